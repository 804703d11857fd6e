"""Reconciliation checks: for each, a hand-built frame that trips it and one that does not."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
from decimal import Decimal

import pandas as pd

from passu.valuation import checks, claim_checks, fees, structure_run
from passu.valuation.checks import Finding
from passu.valuation.ledger import Ledger

AS_OF = dt.date(2024, 12, 31)


def frame(columns: str, *rows: tuple[object, ...]) -> pd.DataFrame:
    """A frame in load_frames' shape: ``*_pence`` int64, date columns datetime64, else text.

    Money is written in pounds in the rows and converted to pence here.
    """
    names = columns.split()
    out = pd.DataFrame.from_records(list(rows), columns=names)
    for name in names:
        if name.endswith("_pence"):
            out[name] = pd.array(
                [None if pd.isna(v) else round(v * 100) for v in out[name]], dtype="Int64"
            )
            if out[name].notna().all():
                out[name] = out[name].astype("int64")
        elif name == "date" or name.endswith(("_date", "_on", "_end")):
            out[name] = pd.to_datetime(out[name]).astype("datetime64[ns]")
    return out


def holdings(*rows: tuple[object, ...]) -> pd.DataFrame:
    return frame("project_id holder_id tranche commitment_pence", *rows)


def project_flows(*rows: tuple[object, ...]) -> pd.DataFrame:
    return frame("project_id holder_id tranche date kind amount_pence", *rows)


def investor_flows(*rows: tuple[object, ...]) -> pd.DataFrame:
    return frame("fund_id investor_id date kind amount_pence", *rows)


def fund_expenses(*rows: tuple[object, ...]) -> pd.DataFrame:
    return frame("fund_id date kind amount_pence", *rows)


def marks(*rows: tuple[object, ...]) -> pd.DataFrame:
    return frame("project_id holder_id tranche date fair_value_pence", *rows)


def contracts(*rows: tuple[object, ...]) -> pd.DataFrame:
    return frame("contract_id project_id cap_pence", *rows)


def payments(*rows: tuple[object, ...]) -> pd.DataFrame:
    return frame("contract_id payer date amount_pence metric_id claim_id", *rows)


def claims(*rows: tuple[object, ...]) -> pd.DataFrame:
    return frame("claim_id verified_on verified_amount_pence rejected_on", *rows)


FUNDS = frame("fund_id", ("F1",))


def ledger(**tables: pd.DataFrame) -> Ledger:
    """A ledger holding ``tables``; every other table empty, so a check reading one fails."""
    empty = {f.name: pd.DataFrame() for f in dataclasses.fields(Ledger)}
    return Ledger(**{**empty, **tables})


# --- drawdowns beyond a holding's commitment ----------------------------------------


def test_drawdowns_over_commitment_names_the_holding_and_the_day_it_passed():
    h = holdings(("P1", "F1", "A", 100_000), ("P1", "CO1", "A", 50_000))
    f = project_flows(
        ("P1", "F1", "A", "2020-01-10", "drawdown", 60_000),
        ("P1", "F1", "A", "2020-06-10", "repayment", 30_000),  # a receipt does not refill it
        ("P1", "F1", "A", "2021-01-10", "drawdown", 40_000),  # 100,000: exactly the commitment
        ("P1", "F1", "A", "2021-03-10", "drawdown", 0.01),  # 100,000.01: one penny over
        ("P1", "CO1", "A", "2020-01-10", "drawdown", 50_000),  # exactly its commitment
    )
    found = checks.drawdowns_over_commitment(ledger(holdings=h, project_flows=f), AS_OF)
    assert found == [
        Finding(
            "drawdowns_over_commitment",
            "holding P1/F1/A: drawdowns £100,000.01 exceed its commitment £100,000.00 "
            "(from 2021-03-10)",
            ("holdings: P1/F1/A", "project_flows: P1/F1/A, drawdown, 2021-03-10"),
        )
    ]


def test_drawdowns_within_commitment_are_clean():
    h = holdings(("P1", "F1", "A", 100_000))
    f = project_flows(
        ("P1", "F1", "A", "2020-01-10", "drawdown", 60_000),
        ("P1", "F1", "A", "2021-01-10", "drawdown", 40_000),
        ("P1", "F1", "A", "2021-06-10", "interest", 90_000),
    )
    assert checks.drawdowns_over_commitment(ledger(holdings=h, project_flows=f), AS_OF) == []


# --- an investor's calls beyond its commitment --------------------------------------


def test_calls_over_commitment_adds_share_classes_and_flags_the_uncommitted():
    c = frame(
        "fund_id investor_id share_class amount_pence",
        ("F1", "DEPT", "A", 300_000),
        ("F1", "DEPT", "B", 100_000),  # 400,000 committed over two classes
        ("F2", "DEPT", "A", 10_000),  # another fund's commitment does not count
    )
    flows = investor_flows(
        ("F1", "DEPT", "2020-01-01", "call", 250_000),
        ("F1", "DEPT", "2020-02-01", "distribution", 500_000),
        ("F1", "DEPT", "2020-03-01", "call", 150_000),  # 400,000: within
        ("F1", "DEPT", "2020-04-01", "call", 20_000),  # 420,000: over
        ("F1", "BANK", "2020-04-01", "call", 1_000),  # no commitment at all
    )
    found = checks.calls_over_commitment(ledger(commitments=c, investor_flows=flows), AS_OF)
    assert [f.message for f in found] == [
        "investor BANK in fund F1: calls £1,000.00 exceed its commitment £0.00 (from 2020-04-01)",
        "investor DEPT in fund F1: calls £420,000.00 exceed its commitment £400,000.00 "
        "(from 2020-04-01)",
    ]
    assert found[1].rows == (
        "commitments: F1/DEPT",
        "investor_flows: F1/DEPT, call, 2020-04-01",
    )


def test_calls_within_commitment_are_clean():
    c = frame("fund_id investor_id share_class amount_pence", ("F1", "DEPT", "A", 300_000))
    flows = investor_flows(("F1", "DEPT", "2020-01-01", "call", 300_000))
    assert checks.calls_over_commitment(ledger(commitments=c, investor_flows=flows), AS_OF) == []


# --- fund cash ----------------------------------------------------------------------


def test_negative_fund_cash_reports_each_spell_with_its_low_point():
    calls = investor_flows(
        ("F1", "DEPT", "2020-01-01", "call", 100_000),
        ("F1", "DEPT", "2021-01-01", "call", 50_000),
        ("F1", "DEPT", "2022-06-30", "distribution", 30_000),
    )
    flows = project_flows(
        # cash 100,000 → 10,000 after an £90k drawdown on 1 Feb 2020
        ("P1", "F1", "A", "2020-02-01", "drawdown", 90_000),
        # another £40k drawdown: −30,000 at the end of 1 Mar 2020
        ("P1", "F1", "A", "2020-03-01", "drawdown", 40_000),
        # interest in the morning, drawdown in the afternoon: netted, −35,000 on 1 Jun
        ("P1", "F1", "A", "2020-06-01", "interest", 5_000),
        ("P1", "F1", "A", "2020-06-01", "drawdown", 10_000),
        ("P1", "F1", "A", "2020-07-01", "write_off", 99_000),  # no cash moves
        ("P1", "CO1", "A", "2020-02-01", "drawdown", 500_000),  # a co-investor's, not the fund's
        # the 2021 call brings cash to +15,000; a £20k repayment: 35,000
        ("P1", "F1", "A", "2022-01-01", "repayment", 20_000),
    )
    # a fee of £10k on 1 Jul 2022 after the £30k distribution: 35 − 30 − 10 = −5,000
    fees = fund_expenses(("F1", "2022-07-01", "management_fee", 10_000))
    found = checks.negative_fund_cash(
        ledger(funds=FUNDS, investor_flows=calls, fund_expenses=fees, project_flows=flows), AS_OF
    )
    assert [f.message for f in found] == [
        "fund F1: cash negative from 2020-03-01, lowest -£35,000.00 on 2020-06-01; "
        "back to zero or above on 2021-01-01",
        "fund F1: cash negative from 2022-07-01, lowest -£5,000.00 on 2022-07-01; still negative",
    ]
    assert found[0].rows == ("funds: F1", "fund cash: F1, 2020-03-01")


def test_fund_cash_that_touches_zero_is_clean():
    calls = investor_flows(("F1", "DEPT", "2020-01-01", "call", 100_000))
    flows = project_flows(
        ("P1", "F1", "A", "2020-02-01", "drawdown", 97_500),
        ("P1", "F1", "A", "2020-03-01", "dividend", 1_000),
    )
    # 100,000 − 97,500 − 2,500 fee = 0, then + 1,000 − 1,000 distribution = 0
    fees = fund_expenses(("F1", "2020-02-01", "expense", 2_500))
    calls = pd.concat(
        [calls, investor_flows(("F1", "DEPT", "2020-03-01", "distribution", 1_000))],
        ignore_index=True,
    )
    assert (
        checks.negative_fund_cash(
            ledger(funds=FUNDS, investor_flows=calls, fund_expenses=fees, project_flows=flows),
            AS_OF,
        )
        == []
    )


# --- distributions before the first receipt ------------------------------------------


def test_distribution_before_first_receipt():
    flows = project_flows(
        ("P1", "F1", "A", "2020-01-01", "drawdown", 1_000),
        ("P1", "F1", "A", "2021-01-01", "interest", 100),
        ("P1", "CO1", "A", "2020-05-01", "interest", 100),  # not the fund's receipt
    )
    dist = investor_flows(
        ("F1", "DEPT", "2020-06-30", "distribution", 40),
        ("F1", "FDN", "2020-06-30", "distribution", 60),
        ("F1", "DEPT", "2021-01-01", "distribution", 40),  # the same day: fine
        ("F2", "DEPT", "2021-06-30", "distribution", 5),  # F2 never received anything
    )
    found = checks.distribution_before_receipt(
        ledger(investor_flows=dist, project_flows=flows), AS_OF
    )
    assert found == [
        Finding(
            "distribution_before_receipt",
            "fund F1: distributions of £100.00 before its first receipt from a project "
            "on 2021-01-01",
            (
                "investor_flows: F1/DEPT, distribution, 2020-06-30, £40.00",
                "investor_flows: F1/FDN, distribution, 2020-06-30, £60.00",
            ),
        ),
        Finding(
            "distribution_before_receipt",
            "fund F2: distributions of £5.00 before any receipt from a project",
            ("investor_flows: F2/DEPT, distribution, 2021-06-30, £5.00",),
        ),
    ]


def test_distributions_after_a_receipt_are_clean():
    flows = project_flows(("P1", "F1", "A", "2020-01-01", "repayment", 100))
    dist = investor_flows(
        ("F1", "DEPT", "2020-01-01", "distribution", 100),
        ("F1", "DEPT", "2019-01-01", "call", 100),  # calls before receipts are normal
    )
    assert (
        checks.distribution_before_receipt(ledger(investor_flows=dist, project_flows=flows), AS_OF)
        == []
    )


# --- marks before drawdowns ----------------------------------------------------------


def test_mark_before_any_drawdown():
    flows = project_flows(
        ("P1", "F1", "A", "2020-03-31", "drawdown", 1_000),
        ("P1", "CO1", "A", "2019-03-31", "interest", 5),  # a receipt is not a drawdown
    )
    m = marks(
        ("P1", "F1", "A", "2019-12-31", 1_000),  # before the first drawdown
        ("P1", "F1", "A", "2020-03-31", 1_000),  # the same day: fine
        ("P1", "CO1", "A", "2020-03-31", 0),  # never drawn at all
    )
    found = checks.mark_before_drawdown(ledger(marks=m, project_flows=flows), AS_OF)
    assert [(f.message, f.rows) for f in found] == [
        (
            "holding P1/F1/A: marked £1,000.00 on 2019-12-31 but its first drawdown is on "
            "2020-03-31",
            ("marks: P1/F1/A, 2019-12-31",),
        ),
        (
            "holding P1/CO1/A: marked £0.00 on 2020-03-31 but it has no drawdown",
            ("marks: P1/CO1/A, 2020-03-31",),
        ),
    ]


def test_marks_after_drawdown_are_clean():
    flows = project_flows(("P1", "F1", "A", "2020-03-31", "drawdown", 1_000))
    m = marks(("P1", "F1", "A", "2020-06-30", 1_200))
    assert checks.mark_before_drawdown(ledger(marks=m, project_flows=flows), AS_OF) == []


# --- payments beyond a contract's cap ------------------------------------------------


def test_payments_over_cap():
    c = contracts(("C1", "P1", 10_000), ("C2", "P1", 5_000))
    p = payments(
        ("C1", "Council", "2020-01-01", 6_000, None, None),
        ("C1", "Lottery", "2020-02-01", 4_000, None, None),  # 10,000: at the cap
        ("C1", "Council", "2020-03-01", 500, None, None),  # 10,500: over
        ("C2", "Council", "2020-03-01", 5_000, None, None),
    )
    found = checks.payments_over_cap(ledger(outcome_contracts=c, outcome_payments=p), AS_OF)
    assert found == [
        Finding(
            "payments_over_cap",
            "contract C1: outcome payments £10,500.00 exceed its cap £10,000.00 (from 2020-03-01)",
            ("outcome_contracts: C1", "outcome_payments: C1, 2020-03-01"),
        )
    ]


def test_payments_up_to_the_cap_are_clean():
    c = contracts(("C1", "P1", 10_000))
    p = payments(("C1", "Council", "2020-01-01", 10_000, None, None))
    assert checks.payments_over_cap(ledger(outcome_contracts=c, outcome_payments=p), AS_OF) == []


# --- payer shares --------------------------------------------------------------------


def test_payer_shares_off_by_more_than_the_tolerance():
    c = contracts(("C1", "P1", 1), ("C2", "P1", 1), ("C3", "P1", 1), ("C4", "P1", 1))
    payers = frame(
        "contract_id payer share",
        ("C1", "A", Decimal("0.333333")),
        ("C1", "B", Decimal("0.333333")),
        ("C1", "C", Decimal("0.333333")),  # 0.999999: within 0.0001
        ("C2", "A", Decimal("0.7")),
        ("C2", "B", Decimal("0.2")),  # 0.9: off by 0.1
        ("C3", "A", Decimal("0.50011")),
        ("C3", "B", Decimal("0.5")),  # 1.00011: off by 0.00011
    )
    found = checks.payer_shares(ledger(outcome_contracts=c, contract_payers=payers), AS_OF)
    # C4 has no payers at all: its shares sum to 0
    assert [f.message for f in found] == [
        "contract C2: payer shares sum to 0.9, not 1",
        "contract C3: payer shares sum to 1.00011, not 1",
        "contract C4: payer shares sum to 0, not 1",
    ]
    assert found[0].rows == ("contract_payers: C2",)


def test_payer_shares_summing_to_one_are_clean():
    c = contracts(("C1", "P1", 1))
    payers = frame(
        "contract_id payer share",
        ("C1", "A", Decimal("0.3")),
        ("C1", "B", Decimal("0.70009")),  # 1.00009: inside the tolerance
    )
    assert checks.payer_shares(ledger(outcome_contracts=c, contract_payers=payers), AS_OF) == []


# --- outcome payments before any outcome ---------------------------------------------


def outcome_metrics() -> pd.DataFrame:
    return frame("metric_id contract_id", ("M1", "C1"), ("M2", "C1"), ("M3", "C2"))


def test_payment_before_any_outcome_achieved():
    outcomes = frame(
        "metric_id period_end achieved",
        ("M1", "2020-03-31", 0),  # forecast only: nothing achieved yet
        ("M2", "2020-06-30", 4),  # the first outcome on C1
        ("M3", "2020-03-31", 0),
    )
    p = payments(
        ("C1", "Council", "2020-04-15", 1_000, "M1", None),  # before 30 Jun
        ("C1", "Lottery", "2020-04-15", 500, None, None),
        ("C1", "Council", "2020-06-30", 2_000, "M2", None),  # on the day: fine
        ("C2", "Council", "2020-07-01", 300, "M3", None),  # C2 has achieved nothing
    )
    found = checks.payment_before_outcome(
        ledger(outcome_metrics=outcome_metrics(), outcomes=outcomes, outcome_payments=p), AS_OF
    )
    assert found == [
        Finding(
            "payment_before_outcome",
            "contract C1: outcome payments of £1,500.00 before its first outcome achieved "
            "(period ending 2020-06-30)",
            (
                "outcome_payments: C1/Council, 2020-04-15, £1,000.00",
                "outcome_payments: C1/Lottery, 2020-04-15, £500.00",
            ),
        ),
        Finding(
            "payment_before_outcome",
            "contract C2: outcome payments of £300.00 before any outcome was achieved",
            ("outcome_payments: C2/Council, 2020-07-01, £300.00",),
        ),
    ]


def test_payments_after_outcomes_are_clean():
    outcomes = frame("metric_id period_end achieved", ("M1", "2020-03-31", 1))
    p = payments(("C1", "Council", "2020-04-15", 1_000, "M1", None))
    assert (
        checks.payment_before_outcome(
            ledger(outcome_metrics=outcome_metrics(), outcomes=outcomes, outcome_payments=p), AS_OF
        )
        == []
    )


# --- stale marks on completed projects ------------------------------------------------


def projects() -> pd.DataFrame:
    return frame(
        "project_id status end_date",
        ("P1", "completed", "2023-06-30"),
        ("P2", "active", "2022-06-30"),  # not completed: not this check's business
        ("P3", "completed", None),
    )


def test_completed_project_still_marked_a_year_after_its_end():
    m = marks(
        ("P1", "F1", "A", "2023-03-31", 5_000),
        ("P1", "F1", "A", "2023-06-30", 2_000),  # the latest mark, still above zero
        ("P1", "CO1", "A", "2023-06-30", 0),  # written down: fine
        ("P2", "F1", "A", "2022-06-30", 9_000),
        ("P3", "F1", "A", "2020-06-30", 9_000),
    )
    # a year after 30 Jun 2023 is 30 Jun 2024, on or before 31 Dec 2024
    found = checks.stale_mark(ledger(projects=projects(), marks=m), AS_OF)
    assert found == [
        Finding(
            "stale_mark",
            "holding P1/F1/A: still marked £2,000.00 (on 2023-06-30) though project P1 "
            "completed on 2023-06-30",
            ("marks: P1/F1/A, 2023-06-30", "projects: P1"),
        )
    ]
    # within the year (29 Jun 2024) the same mark is not yet stale
    assert checks.stale_mark(ledger(projects=projects(), marks=m), dt.date(2024, 6, 29)) == []


def test_completed_project_marked_down_is_clean():
    m = marks(
        ("P1", "F1", "A", "2023-06-30", 2_000),
        ("P1", "F1", "A", "2024-03-31", 0),
    )
    assert checks.stale_mark(ledger(projects=projects(), marks=m), AS_OF) == []


# --- projects without contracts --------------------------------------------------------


def test_project_without_contract():
    p = frame("project_id", ("P1",), ("P2",))
    found = checks.project_without_contract(
        ledger(projects=p, outcome_contracts=contracts(("C1", "P1", 1))), AS_OF
    )
    assert found == [
        Finding("project_without_contract", "project P2: no outcome contract", ("projects: P2",))
    ]


def test_every_project_with_a_contract_is_clean():
    p = frame("project_id", ("P1",))
    assert (
        checks.project_without_contract(
            ledger(projects=p, outcome_contracts=contracts(("C1", "P1", 1))), AS_OF
        )
        == []
    )


# --- claims ------------------------------------------------------------------------------


def claim_book() -> pd.DataFrame:
    return claims(
        ("K1", "2024-02-01", 1_000, None),  # verified for £1,000
        ("K2", "2024-05-01", 800, None),  # verified on 1 May
        ("K3", None, None, "2024-03-01"),  # rejected
        ("K4", None, None, None),  # awaiting verification
        ("K5", "2025-02-01", 500, None),  # verified after the as-of date
        ("K6", None, None, "2025-03-01"),  # rejected after the as-of date
    )


def test_payment_on_unverified_claim():
    p = payments(
        ("C1", "Council", "2024-03-01", 1_000, "M1", "K1"),  # after verification: fine
        ("C1", "Council", "2024-04-01", 300, "M1", "K2"),  # a month before verification
        ("C1", "Council", "2024-04-01", 10, "M1", "K4"),  # never verified
        ("C1", "Council", "2024-04-01", 20, "M1", "K5"),  # verified only after the as-of date
        ("C1", "Council", "2024-04-01", 30, "M1", "K6"),  # rejected, but not yet at as-of
        ("C1", "Council", "2024-04-01", 40, "M1", "K3"),  # rejected: the other check's
        ("C1", "Council", "2024-04-01", 50, "M1", None),  # names no claim
    )
    found = checks.payment_on_unverified_claim(
        ledger(outcome_payments=p, outcome_claims=claim_book()), AS_OF
    )
    assert [f.message for f in found] == [
        "claim K2: paid £300.00 by Council on 2024-04-01, verified only on 2024-05-01",
        "claim K4: paid £10.00 by Council on 2024-04-01, not verified",
        "claim K5: paid £20.00 by Council on 2024-04-01, not verified",
        "claim K6: paid £30.00 by Council on 2024-04-01, not verified",
    ]
    assert found[0].rows == (
        "outcome_payments: C1/Council, 2024-04-01, £300.00, claim K2",
        "outcome_claims: K2",
    )


def test_payment_on_rejected_claim():
    p = payments(
        ("C1", "Council", "2024-02-15", 40, "M1", "K3"),  # paid, then rejected on 1 Mar
        ("C1", "Council", "2024-04-01", 30, "M1", "K6"),  # rejected after the as-of date
    )
    found = checks.payment_on_rejected_claim(
        ledger(outcome_payments=p, outcome_claims=claim_book()), AS_OF
    )
    assert [f.message for f in found] == [
        "claim K3: paid £40.00 by Council on 2024-02-15, but rejected on 2024-03-01"
    ]
    # a year later K6's rejection is known
    later = checks.payment_on_rejected_claim(
        ledger(outcome_payments=p, outcome_claims=claim_book()), dt.date(2025, 12, 31)
    )
    assert [f.rows[1] for f in later] == ["outcome_claims: K3", "outcome_claims: K6"]


def test_paid_over_verified_amount():
    p = payments(
        ("C1", "Council", "2024-03-01", 600, "M1", "K1"),
        ("C1", "Lottery", "2024-03-01", 400.01, "M1", "K1"),  # 1,000.01 against 1,000
        ("C1", "Council", "2024-06-01", 800, "M1", "K2"),  # exactly the verified 800
    )
    found = checks.paid_over_verified(
        ledger(outcome_payments=p, outcome_claims=claim_book()), AS_OF
    )
    assert found == [
        Finding(
            "paid_over_verified",
            "claim K1: payments £1,000.01 exceed its verified amount £1,000.00",
            ("outcome_claims: K1", "outcome_payments: claim K1"),
        )
    ]


def test_payments_on_verified_claims_within_amount_are_clean():
    p = payments(
        ("C1", "Council", "2024-02-01", 1_000, "M1", "K1"),  # on the day of verification
        ("C1", "Council", "2024-06-01", 500, "M1", "K2"),
        ("C1", "Council", "2024-06-01", 70, "M1", None),
    )
    claimed = ledger(outcome_payments=p, outcome_claims=claim_book())
    assert checks.payment_on_unverified_claim(claimed, AS_OF) == []
    assert checks.payment_on_rejected_claim(claimed, AS_OF) == []
    assert checks.paid_over_verified(claimed, AS_OF) == []


# --- the registry ---------------------------------------------------------------------


def test_every_check_is_in_the_one_registry_once_under_its_own_name():
    registered = [check.name for check in checks.CHECKS]
    assert len(registered) == len(set(registered)) == 15
    # every public function of the four modules taking (ledger, as_of) is a check
    defined = {
        name
        for module in (checks, claim_checks, fees, structure_run)
        for name, value in vars(module).items()
        if inspect.isfunction(value)
        and value.__module__ == module.__name__
        and not name.startswith("_")
        and list(inspect.signature(value).parameters) == ["ledger", "as_of"]
        and inspect.signature(value).return_annotation == "list[Finding]"
        and name != "run_checks"
    }
    assert set(registered) == defined
    for check in checks.CHECKS:
        assert check.run.__name__ == check.name
        assert check.description and "\n" not in check.description


def test_run_checks_lists_findings_in_registry_order():
    # F1 draws £150 against a £100 commitment (first in the registry) with nothing
    # called, so its cash is 0 − £150 = −£150 from that day (third), and project P1
    # has no contract (tenth): listed in registry order, capital before outcomes.
    h = holdings(("P1", "F1", "A", 100))
    f = project_flows(("P1", "F1", "A", "2020-01-10", "drawdown", 150))
    whole = dataclasses.replace(
        Ledger.empty(),
        funds=FUNDS,
        holdings=h,
        project_flows=f,
        projects=frame("project_id status end_date", ("P1", "active", None)),
    )
    assert [(f.check, f.message) for f in checks.run_checks(whole, AS_OF)] == [
        (
            "drawdowns_over_commitment",
            "holding P1/F1/A: drawdowns £150.00 exceed its commitment £100.00 (from 2020-01-10)",
        ),
        (
            "negative_fund_cash",
            "fund F1: cash negative from 2020-01-10, lowest -£150.00 on 2020-01-10; still negative",
        ),
        ("project_without_contract", "project P1: no outcome contract"),
    ]
