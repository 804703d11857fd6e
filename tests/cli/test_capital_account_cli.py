"""`passu capital-account`, `passu check`'s fee finding and `passu value`'s capital
accounts on portfolios imported from CSV with the format's purpose, recallable and
fund_terms columns (issue 13). Amounts worked by hand in the comments (pounds)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from passu.cli.main import cli
from tests.portfolio.builders import write_csvs

Table = list[dict[str, str]]


def _run(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--database", url, "--quiet", *args])


def _imported(tmp_path: Path, tables: dict[str, Table]) -> str:
    url = f"sqlite:///{tmp_path / 'passu.db'}"
    for args in (["init"], ["import", str(write_csvs(tmp_path / "portfolio", tables))]):
        result = _run(url, *args)
        assert result.exit_code == 0, result.output
    return url


def _flow(investor: str, date: str, kind: str, amount: str, purpose: str = "",
          recallable: str = "") -> dict[str, str]:  # fmt: skip
    return {"fund_id": "F1", "investor_id": investor, "date": date, "kind": kind,
            "amount": amount, "purpose": purpose, "recallable": recallable}  # fmt: skip


def _base(investors: list[str]) -> dict[str, Table]:
    return {
        "funds": [{"fund_id": "F1", "name": "Fund One", "currency": "GBP", "vintage": "2020",
                   "manager": "M"}],
        "investors": [{"investor_id": "F1", "name": "Fund One", "kind": "fund"}]
        + [{"investor_id": i, "name": f"Investor {i}", "kind": "foundation"} for i in investors],
        "projects": [],
    }  # fmt: skip


def equalised() -> dict[str, Table]:
    """A pays £50,000 (10 Jan 2020) into P1, marked £60,000 (31 Mar) and £66,000 (30 Jun).
    B closes on 1 Apr and equalises on 10 Apr: £25,000 of capital + £498.63 interest
    (8% for 91 days on £25,000), all paid on to A (the £25,000 recallable)."""
    tables = _base(["A", "B"])
    tables["projects"] = [
        {"project_id": "P1", "name": "One", "policy_area": "housing", "region": "London",
         "coordinator": "", "start_date": "2020-01-01", "end_date": "2024-12-31",
         "status": "active"}
    ]  # fmt: skip
    tables["commitments"] = [
        {"fund_id": "F1", "investor_id": "A", "share_class": "A", "amount": "100000",
         "date": "2020-01-01"},
        {"fund_id": "F1", "investor_id": "B", "share_class": "A", "amount": "100000",
         "date": "2020-04-01"},
    ]  # fmt: skip
    tables["investor_flows"] = [
        _flow("A", "2020-01-10", "call", "50000", "investment", "false"),
        _flow("B", "2020-04-10", "call", "25498.63", "equalisation", "false"),
        _flow("A", "2020-04-10", "distribution", "25000", "equalisation", "true"),
        _flow("A", "2020-04-10", "distribution", "498.63", "equalisation", "false"),
    ]
    tables["holdings"] = [
        {"project_id": "P1", "holder_id": "F1", "tranche": "A", "instrument": "equity",
         "commitment": "50000"}
    ]  # fmt: skip
    tables["project_flows"] = [
        {"project_id": "P1", "holder_id": "F1", "tranche": "A", "date": "2020-01-15",
         "kind": "drawdown", "amount": "50000"}
    ]  # fmt: skip
    tables["marks"] = [
        {"project_id": "P1", "holder_id": "F1", "tranche": "A", "date": d, "fair_value": v,
         "method": "dcf", "note": ""}
        for d, v in (("2020-03-31", "60000"), ("2020-06-30", "66000"))
    ]  # fmt: skip
    return tables


@pytest.fixture
def equalised_url(tmp_path: Path) -> str:
    return _imported(tmp_path, equalised())


def _statement(url: str, investor: str, start: str, end: str, *more: str) -> dict[str, Any]:
    result = _run(url, "capital-account", investor, "--from", start, "--to", end,
                  "--format", "json", *more)  # fmt: skip
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_the_quarter_year_and_inception_columns_reconcile(equalised_url: str) -> None:
    document = _statement(equalised_url, "A", "2020-04-01", "2020-06-30")
    assert document["columns"] == {
        "period": {"from": "2020-04-01", "to": "2020-06-30"},
        "year_to_date": {"from": "2020-01-01", "to": "2020-06-30"},
        "since_inception": {"from": None, "to": "2020-06-30"},
    }
    [account] = document["accounts"]
    quarter, year = account["period"], account["year_to_date"]
    # The quarter: A's balance at 31 Mar is P1's £60,000 mark (its own, alone then);
    # − 25,498.63 equalisation + 498.63 interest income + June's £3,000 gain (half of
    # £6,000 on 25,000 : 25,000 of capital) = 38,000.
    assert (quarter["beginning"], quarter["distributions_equalisation"]) == ("60000.00", "25498.63")
    assert (quarter["income"], quarter["equalisation_interest"]) == ("498.63", "498.63")
    assert (quarter["unrealised"], quarter["ending"]) == ("3000.00", "38000.00")
    # The year: 0 + 50,000 − 25,498.63 + 498.63 + 13,000 unrealised = 38,000.
    assert (year["beginning"], year["contributions_investment"], year["unrealised"]) == (
        "0.00",
        "50000.00",
        "13000.00",
    )
    assert account["since_inception"] == year
    # unfunded 100,000 − 50,000 + 25,000 returned, of which the 25,000 recallable
    assert (year["unfunded"], year["recallable"]) == ("75000.00", "25000.00")


def test_the_inception_column_is_the_runs_capital_account(equalised_url: str) -> None:
    result = _run(equalised_url, "value", "--as-of", "2020-06-30", "--format", "json")
    assert result.exit_code == 0, result.output
    run = json.loads(result.stdout)
    for investor in run["investors"]:
        document = _statement(equalised_url, investor["investor_id"], "2020-06-01", "2020-06-30")
        since = document["accounts"][0]["since_inception"]
        assert investor["capital_account"] == {k: v for k, v in since.items() if k != "committed"}
        assert since["ending"] == investor["nav"]
    # B: 25,498.63 − 498.63 interest paid + 3,000 = 28,000; the check is clean
    assert [i["nav"] for i in run["investors"]] == ["38000.00", "28000.00"]
    assert run["pari_passu"]["ok"] is True and run["pari_passu"]["breaches"] == []
    assert [e["holder_or_investor"] for e in run["pari_passu"]["excused"]] == ["A", "B"]


def test_csv_and_xlsx_hold_the_same_lines(equalised_url: str, tmp_path: Path) -> None:
    document = _statement(equalised_url, "B", "2020-04-01", "2020-06-30")
    quarter = document["accounts"][0]["period"]
    result = _run(equalised_url, "capital-account", "B", "--from", "2020-04-01", "--to",
                  "2020-06-30", "--format", "csv")  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = [line.split(",") for line in result.stdout.splitlines()]
    assert rows[0] == ["fund_id", "share_class", "line", "period", "year_to_date",
                       "since_inception"]  # fmt: skip
    assert {r[2]: r[3] for r in rows[1:]} == quarter
    path = tmp_path / "b.xlsx"
    result = _run(equalised_url, "capital-account", "B", "--from", "2020-04-01", "--to",
                  "2020-06-30", "--format", "xlsx", "-o", str(path))  # fmt: skip
    assert result.exit_code == 0, result.output
    sheet = load_workbook(path)["capital_account"]
    cells = {r[3]: r[5] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert {k: f"{v:.2f}" for k, v in cells.items()} == quarter
    # B's equalisation call 25,498.63 less the 498.63 interest paid (income −498.63)
    assert quarter["contributions_equalisation"] == "25498.63"
    assert quarter["income"] == "-498.63"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["NOBODY", "--from", "2020-04-01", "--to", "2020-06-30"],
         "error: no investor 'NOBODY': `passu list investors` shows the ids"),
        (["A", "--from", "2020-07-01", "--to", "2020-06-30"],
         "error: --from 2020-07-01 is after --to 2020-06-30: expected a period ending on --to"),
        (["A", "--from", "2020-04-02", "--to", "2020-06-30"],
         "error: --from 2020-04-02: expected the first day of a month (capital accounts roll "
         "forward month by month), found day 2"),
        (["A", "--fund", "F9", "--from", "2020-04-01", "--to", "2020-06-30"],
         "error: no fund 'F9': `passu list funds` shows the ids"),
    ],
)  # fmt: skip
def test_bad_requests_are_one_line_and_exit_2(
    equalised_url: str, args: list[str], message: str
) -> None:
    result = _run(equalised_url, "capital-account", *args)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [message]
    assert result.stdout == ""


def fee_portfolio(q2_fee: str) -> dict[str, Table]:
    """A and B commit £1,000,000 each (standing) and pay £100,000 each on 1 Jan 2020. The
    terms: 2% a year on commitment, stepping down to 1% from 1 May 2020."""
    tables = _base(["A", "B"])
    tables["commitments"] = [
        {"fund_id": "F1", "investor_id": i, "share_class": "A", "amount": "1000000", "date": ""}
        for i in "AB"
    ]
    tables["investor_flows"] = [_flow(i, "2020-01-01", "call", "100000") for i in "AB"]
    tables["fund_terms"] = [
        {"fund_id": "F1", "share_class": "A", "allocation_basis": "paid_in",
         "management_fee_rate": "0.02", "fee_basis": "commitment",
         "fee_step_down_date": "2020-05-01", "step_down_rate": "0.01",
         "fee_basis_after_step_down": "", "fee_offset_share": "", "equalisation_rate": ""}
    ]  # fmt: skip
    # Q1 (1 Jan – 31 Mar 2020, 91 days): 1,000,000 × 2% × 91/365 = 4,986.30 each,
    # 9,972.60 for both. Q2: 30 days at 2% and 61 at 1%: 1,000,000 × (0.02 × 30 +
    # 0.01 × 61) / 365 = 3,315.07 each, 6,630.14 for both.
    tables["fund_expenses"] = [
        {"fund_id": "F1", "date": "2020-03-31", "kind": "management_fee", "amount": "9972.60"},
        {"fund_id": "F1", "date": "2020-06-30", "kind": "management_fee", "amount": q2_fee},
    ]
    return tables


def _fee_findings(url: str) -> list[dict[str, str]]:
    result = _run(url, "check", "--as-of", "2020-06-30", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    findings = json.loads(result.stdout)
    return [f for f in findings if f["check"] == "management_fee_from_terms"]


def test_fees_from_terms_with_a_step_down_reconcile(tmp_path: Path) -> None:
    url = _imported(tmp_path, fee_portfolio("6630.14"))
    assert _fee_findings(url) == []


def test_a_mischarged_quarter_is_found_by_passu_check(tmp_path: Path) -> None:
    url = _imported(tmp_path, fee_portfolio("7000.00"))
    assert _fee_findings(url) == [
        {
            "check": "management_fee_from_terms",
            "message": "fund F1 class A 2020-Q2: management fee expected £6,630.14 from the "
            "terms, recorded £7,000.00",
            "rows": "fund_expenses F1 2020-Q2",
        }
    ]
    result = _run(url, "check", "--as-of", "2020-06-30")
    assert result.exit_code == 1
