"""Project economics: the family-therapy cost stack, innovations and the cash profile."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest

from passu.valuation.cash_profile import cash_profile, cash_profiles
from passu.valuation.economics import (
    NO_COSTS,
    cost_of_financing,
    project_economics,
    projects_economics,
)
from passu.valuation.innovations import (
    InnovationTotal,
    ProjectThemeCell,
    innovation_portfolio,
    innovation_register,
)

D = Decimal
AS_OF = dt.date(2023, 12, 31)
K = 100_000  # pence in £1,000


def dates(values: list[str | None]) -> pd.Series:
    return pd.Series(pd.to_datetime(values)).astype("datetime64[ns]")


def innovations() -> pd.DataFrame:
    rows = [
        # innovations in the bid (design), £780k
        (
            "I01",
            "FT",
            "Integrate 3 delivery organisations",
            "design",
            "integration",
            150,
            "2021-01-01",
        ),
        ("I02", "FT", "Referral processes", "design", "referrals", 100, "2021-01-01"),
        ("I03", "FT", "Retention bonuses", "design", "workforce", 130, "2021-01-01"),
        ("I04", "FT", "Links with schools and CAMHS", "design", "integration", 100, "2021-01-01"),
        ("I05", "FT", "Enhanced clinical supervision", "design", "workforce", 100, "2021-01-01"),
        ("I06", "FT", "Data-enhanced decisions", "design", "data", 200, "2021-01-01"),
        # added during delivery (pilot), £1,020k
        ("I07", "FT", "Better terms for therapists", "pilot", "workforce", 200, "2022-01-01"),
        ("I08", "FT", "Booster sessions", "pilot", "capacity", 100, "2022-01-01"),
        ("I09", "FT", "Five new boroughs", "pilot", "capacity", 150, "2022-04-01"),
        ("I10", "FT", "Moving online", "pilot", "digital", 50, "2022-04-01"),
        ("I11", "FT", "Extra supervisor", "pilot", "workforce", 200, "2022-07-01"),
        ("I12", "FT", "Expedited training", "pilot", "workforce", 20, "2022-07-01"),
        ("I13", "FT", "Extra therapists", "pilot", "capacity", 300, "2022-07-01"),
        # starts after the as-of date: not in the register yet
        ("I14", "FT", "Parent peer mentors", "pilot", "capacity", 80, "2024-02-01"),
        # a project with an innovation but no cost rows at all
        ("I20", "NC", "Shared caseworker", "design", "workforce", 40, "2023-01-01"),
    ]
    out = pd.DataFrame(
        [(r[0], r[1], r[2], "objective", r[3], r[4], r[5] * K, "running") for r in rows],
        columns=[
            "innovation_id",
            "project_id",
            "name",
            "objective",
            "stage",
            "theme",
            "estimated_cost_pence",
            "status",
        ],
    ).astype({"estimated_cost_pence": "int64"})
    out["start_date"] = dates([r[6] for r in rows])
    return out


def costs() -> pd.DataFrame:
    rows: list[tuple[str, str, str, int, str | None]] = [
        ("FT", "2021-12-31", "delivery", 1_500 * K, None),
        ("FT", "2022-12-31", "delivery", 1_500 * K, None),
        ("FT", "2023-12-31", "delivery", 1_500 * K, None),
        ("FT", "2024-03-31", "delivery", 900 * K, None),  # after the as-of date
    ]
    # every innovation spent its estimate except I03 (£150k, £20k over) and I10 (£30k, £20k under)
    actual = {"I03": 150, "I10": 30}
    for row in innovations().itertuples(index=False):
        if row.project_id != "FT" or row.innovation_id == "I14":
            continue
        amount = actual.get(row.innovation_id, row.estimated_cost_pence // K) * K
        # spent in two halves a year apart, so an innovation has several rows
        rows.append(("FT", "2022-06-30", "innovation", amount // 2, row.innovation_id))
        rows.append(("FT", "2023-06-30", "innovation", amount - amount // 2, row.innovation_id))
    out = pd.DataFrame(
        rows, columns=["project_id", "date", "category", "amount_pence", "innovation_id"]
    )
    out["date"] = dates([r[1] for r in rows])
    return out.astype({"amount_pence": "int64"})


def contracts() -> pd.DataFrame:
    out = pd.DataFrame(
        {"contract_id": ["FTC", "NCC"], "project_id": ["FT", "NC"], "name": ["FT", "NC"]}
    )
    out["start_date"] = dates(["2021-01-01", "2023-01-01"])
    out["end_date"] = dates(["2023-12-31", "2025-12-31"])
    out["cap_pence"] = pd.Series([7_000 * K, 100 * K], dtype="int64")
    return out


BOROUGHS = [f"B{n:02d}" for n in range(1, 11)]


def payers() -> pd.DataFrame:
    rows = [("FTC", b, "local_government", D("0.1")) for b in BOROUGHS]
    rows.append(("NCC", "NCPAYER", "central_government", D("1")))
    return pd.DataFrame(rows, columns=["contract_id", "payer", "payer_kind", "share"])


def payments() -> pd.DataFrame:
    rows: list[tuple[str, str, str, int]] = []
    for borough in BOROUGHS:
        rows.append(("FTC", borough, "2022-06-30", 330 * K))
        rows.append(("FTC", borough, "2023-06-30", 330 * K))
    rows.append(("FTC", "B01", "2024-01-31", 50 * K))  # after the as-of date
    rows.append(("NCC", "NCPAYER", "2023-09-30", 50 * K))
    out = pd.DataFrame(rows, columns=["contract_id", "payer", "date", "amount_pence"])
    out["date"] = dates([r[2] for r in rows])
    out["metric_id"] = None
    out["claim_id"] = None
    return out.astype({"amount_pence": "int64"})


def measures() -> pd.DataFrame:
    rows = [
        ("FT", "2021-12-31", "participants", D("120")),
        ("FT", "2022-12-31", "participants", D("150")),
        ("FT", "2023-12-31", "participants", D("140")),
        ("FT", "2023-12-31", "quality_score", D("4.5")),
        ("FT", "2024-03-31", "participants", D("50")),  # after the as-of date
    ]
    out = pd.DataFrame(rows, columns=["project_id", "period_end", "measure", "value"])
    out["period_end"] = dates([r[1] for r in rows])
    return out


def tables() -> dict[str, pd.DataFrame]:
    return {
        "project_costs": costs(),
        "innovations": innovations(),
        "outcome_contracts": contracts(),
        "contract_payers": payers(),
        "outcome_payments": payments(),
        "project_measures": measures(),
    }


def economics(project_id: str, **kwargs: Any):
    args: dict[str, Any] = {
        "project_id": project_id,
        "as_of": AS_OF,
        **tables(),
        # holders put in £2.0m and got back £1.9m with £0.4m still held: earned £0.3m
        "realised": D("1900000.00"),
        "nav": D("400000.00"),
        "invested": D("2000000.00"),
    }
    args.update(kwargs)
    return project_economics(**args)


def test_every_project_in_one_pass_is_each_projects_own_stack():
    both = projects_economics(
        project_ids=["FT", "NC"],
        as_of=AS_OF,
        capital={
            "FT": (D("2000000.00"), D("1900000.00"), D("400000.00")),
            "NC": (None, None, None),
        },
        **tables(),
    )
    assert both["FT"] == economics("FT")
    assert both["NC"] == economics("NC", realised=None, nav=None, invested=None)
    # nothing crosses between projects: NC was paid its one £50k, by its one payer
    assert (both["NC"].cost_to_government, both["NC"].payers) == (D("50000.00"), 1)
    assert both["FT"].payers == 10


def test_family_therapy_cost_stack():
    ft = economics("FT")
    # delivery 3 × £1.5m = £4.5m (the 2024 row is after the as-of date)
    assert ft.delivery_cost == D("4500000.00")
    # innovations £1.8m: design 780k + 20k over on I03 = 800k; pilot 1,020k − 20k on I10
    assert ft.innovation_cost == D("1800000.00")
    assert (ft.innovation_design_cost, ft.innovation_pilot_cost) == (
        D("800000.00"),
        D("1000000.00"),
    )
    assert ft.other_cost == D("0.00")  # costs are recorded, none of them management or other
    # expenditure 4.5m + 1.8m = 6.3m; financing 1.9m + 0.4m − 2.0m = 0.3m
    assert ft.project_expenditure == D("6300000.00")
    assert ft.cost_of_financing == D("300000.00")
    # 10 boroughs × (330k + 330k) = 6.6m by the as-of date; 6.6 − 6.3 − 0.3 = 0
    assert ft.cost_to_government == D("6600000.00")
    assert ft.unexplained == D("0.00")
    # 120 + 150 + 140 = 410 families; 6,600,000 / 410 = 16,097.5609… -> £16,097.56
    assert ft.beneficiaries == D("410")
    assert ft.cost_per_beneficiary == D("16097.56")
    # 10 payers: 6,600,000 / 10 = £660,000 each
    assert (ft.payers, ft.cost_per_payer) == (10, D("660000.00"))
    assert ft.notes == ()


def test_unexplained_shows_a_surplus():
    ft = economics("FT", realised=D("1800000.00"))
    # financing 1.8 + 0.4 − 2.0 = 0.2m; unexplained 6.6 − 6.3 − 0.2 = 0.1m
    assert ft.unexplained == D("100000.00")


def test_a_project_with_no_costs_recorded_has_no_cost_figures():
    nc = economics("NC", realised=None)
    assert nc.delivery_cost is None
    assert nc.project_expenditure is None
    assert nc.innovation_design_cost is None
    assert nc.unexplained is None
    assert nc.cost_to_government == D("50000.00")
    assert nc.cost_per_beneficiary is None
    assert nc.notes == (NO_COSTS, "cost of financing not given", "no participants recorded")


def test_cost_of_financing():
    assert cost_of_financing(D("10"), D("5"), D("12")) == D("3")
    assert cost_of_financing(None, D("5"), D("12")) is None


def test_innovation_register():
    register = {
        r.innovation_id: r
        for r in innovation_register(innovations=innovations(), project_costs=costs(), as_of=AS_OF)
    }
    assert "I14" not in register  # starts 2024-02-01
    i03 = register["I03"]
    # estimated £130k, actual £75k + £75k = £150k: £20k over
    assert (i03.estimated_cost, i03.actual_cost, i03.variance) == (
        D("130000.00"),
        D("150000.00"),
        D("20000.00"),
    )
    assert register["I10"].variance == D("-20000.00")  # £30k against £50k
    assert register["I20"].actual_cost == D("0.00")
    later = innovation_register(
        innovations=innovations(), project_costs=costs(), as_of=dt.date(2024, 3, 1)
    )
    assert "I14" in {r.innovation_id for r in later}


def test_innovation_register_at_an_earlier_date_counts_only_costs_so_far():
    register = {
        r.innovation_id: r
        for r in innovation_register(
            innovations=innovations(),
            project_costs=costs(),
            as_of=dt.date(2022, 12, 31),
            project_ids={"FT"},
        )
    }
    # I03: only the first half, £75k, by the end of 2022
    assert register["I03"].actual_cost == D("75000.00")
    assert "I20" not in register


def test_innovations_across_projects():
    portfolio = innovation_portfolio(innovations=innovations(), project_costs=costs(), as_of=AS_OF)
    stages = {t.stage: t for t in portfolio.by_stage}
    # design: FT's 6 (780k est, 800k actual) + NC's I20 (40k est, nothing spent)
    assert stages["design"] == InnovationTotal(
        None, "design", 7, D("820000.00"), D("800000.00"), D("-20000.00")
    )
    # pilot: 7 innovations, 1,020k estimated, 1,000k actual
    assert stages["pilot"] == InnovationTotal(
        None, "pilot", 7, D("1020000.00"), D("1000000.00"), D("-20000.00")
    )
    themes = {t.theme: t for t in portfolio.by_theme}
    # workforce: I03 130 + I05 100 + I07 200 + I11 200 + I12 20 + I20 40 = 690k estimated;
    # actual 150 + 100 + 200 + 200 + 20 + 0 = 670k
    assert (themes["workforce"].innovations, themes["workforce"].estimated_cost) == (
        6,
        D("690000.00"),
    )
    assert themes["workforce"].actual_cost == D("670000.00")
    cells = {(t.theme, t.stage): t for t in portfolio.by_theme_stage}
    # workforce / pilot: I07, I11, I12 = 200 + 200 + 20 = 420k
    assert cells[("workforce", "pilot")].estimated_cost == D("420000.00")
    assert portfolio.total == InnovationTotal(
        None, None, 14, D("1840000.00"), D("1800000.00"), D("-40000.00")
    )
    assert ProjectThemeCell("NC", "workforce", 1, D("0.00")) in portfolio.project_theme
    assert ProjectThemeCell("FT", "capacity", 3, D("550000.00")) in portfolio.project_theme


def cash_frames() -> dict[str, pd.DataFrame]:
    flows_rows = [
        ("CP", "F1", "A", "2024-01-10", "drawdown", 100 * K),
        ("CP", "F1", "A", "2024-09-30", "repayment", 50 * K),
        ("CP", "F1", "A", "2024-09-30", "write_off", 5 * K),  # moves no cash
        ("CP", "F1", "A", "2024-10-15", "interest", 8 * K),  # after the as-of date
    ]
    flows = pd.DataFrame(
        flows_rows, columns=["project_id", "holder_id", "tranche", "date", "kind", "amount_pence"]
    ).astype({"amount_pence": "int64"})
    flows["date"] = dates([r[3] for r in flows_rows])
    cost_rows = [
        ("CP", "2024-02-01", "delivery", 30 * K, None),
        ("CP", "2024-03-01", "innovation", 10 * K, "IX"),
        ("CP", "2024-09-01", "delivery", 20 * K, None),
    ]
    spent = pd.DataFrame(
        cost_rows, columns=["project_id", "date", "category", "amount_pence", "innovation_id"]
    ).astype({"amount_pence": "int64"})
    spent["date"] = dates([r[1] for r in cost_rows])
    contract = pd.DataFrame({"contract_id": ["CPC"], "project_id": ["CP"]})
    paid = pd.DataFrame(
        {
            "contract_id": ["CPC"],
            "payer": ["LA"],
            "date": dates(["2024-08-15"]),
            "amount_pence": pd.Series([90 * K], dtype="int64"),
            "metric_id": [None],
            "claim_id": [None],
        }
    )
    return {
        "project_flows": flows,
        "project_costs": spent,
        "outcome_payments": paid,
        "outcome_contracts": contract,
    }


def test_quarterly_cash_profile():
    profile = cash_profile(**cash_frames(), as_of=dt.date(2024, 9, 30))
    assert [q.quarter for q in profile] == ["2024Q1", "2024Q2", "2024Q3"]
    q1, q2, q3 = profile
    # Q1: drawdown 100k − delivery 30k − innovation 10k = 60k
    assert (q1.drawdowns, q1.delivery, q1.innovation, q1.net) == (
        D("100000.00"),
        D("30000.00"),
        D("10000.00"),
        D("60000.00"),
    )
    # Q2: nothing happened, still listed
    assert (q2.net, q2.cumulative_net, q2.quarter_end) == (
        D("0.00"),
        D("60000.00"),
        dt.date(2024, 6, 30),
    )
    # Q3: receipts 90k − delivery 20k − repayment 50k = 20k; cumulative 80k
    assert (q3.outcome_receipts, q3.returns_to_holders, q3.net, q3.cumulative_net) == (
        D("90000.00"),
        D("50000.00"),
        D("20000.00"),
        D("80000.00"),
    )


def _second_project(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """cash_frames() plus project DP: a 40k drawdown in 2024Q2, 15k paid to it in 2024Q3."""
    flows = frames["project_flows"]
    extra_flow = flows.iloc[[0]].assign(project_id="DP", amount_pence=40 * K)
    extra_flow["date"] = dates(["2024-05-20"])
    paid = frames["outcome_payments"]
    extra_paid = paid.assign(contract_id="DPC", amount_pence=15 * K)
    extra_paid["date"] = dates(["2024-07-01"])
    return {
        **frames,
        "project_flows": pd.concat([flows, extra_flow], ignore_index=True),
        "outcome_payments": pd.concat([paid, extra_paid], ignore_index=True),
        "outcome_contracts": pd.DataFrame(
            {"contract_id": ["CPC", "DPC"], "project_id": ["CP", "DP"]}
        ),
    }


def test_each_projects_profile_in_one_pass():
    frames = _second_project(cash_frames())
    every = cash_profiles(**frames, as_of=dt.date(2024, 9, 30))
    assert sorted(every) == ["CP", "DP"]
    # CP's own profile is the one worked out above: cumulative 60k, 60k, 80k
    assert [q.cumulative_net for q in every["CP"]] == [D("60000.00"), D("60000.00"), D("80000.00")]
    # DP starts in its own first quarter: +40k drawn in Q2, +15k received in Q3
    assert [(q.quarter, q.net) for q in every["DP"]] == [
        ("2024Q2", D("40000.00")),
        ("2024Q3", D("15000.00")),
    ]
    # together they are the two added quarter by quarter: Q2 60k + 40k, Q3 80k + 55k
    together = cash_profile(**frames, as_of=dt.date(2024, 9, 30))
    assert [q.cumulative_net for q in together] == [
        D("60000.00"),
        D("100000.00"),
        D("135000.00"),
    ]
    assert cash_profiles(**frames, as_of=dt.date(2024, 9, 30), by_project=False) == {"": together}


def test_cash_profile_without_innovation():
    profile = cash_profile(
        **cash_frames(),
        as_of=dt.date(2024, 9, 30),
        without_innovation=True,
        productivity_gain=D("0.8"),
    )
    q1, _, q3 = profile
    # Q1 without the £10k innovation: 100k − 30k = 70k
    assert (q1.innovation, q1.net) == (D("0.00"), D("70000.00"))
    # Q3: receipts 90k / 1.8 = 50k; 50k − 20k − 50k = −20k; cumulative 70k − 20k = 50k
    assert (q3.outcome_receipts, q3.net, q3.cumulative_net) == (
        D("50000.00"),
        D("-20000.00"),
        D("50000.00"),
    )
    # 90,000 / 1.7 = 52,941.176… -> £52,941.18 (rounded once per quarter)
    q3 = cash_profile(
        **cash_frames(),
        as_of=dt.date(2024, 9, 30),
        without_innovation=True,
        productivity_gain=D("0.7"),
    )[2]
    assert q3.outcome_receipts == D("52941.18")


def test_a_productivity_gain_needs_the_without_innovation_case():
    with pytest.raises(ValueError, match="without_innovation"):
        cash_profile(**cash_frames(), as_of=dt.date(2024, 9, 30), productivity_gain=D("0.8"))
