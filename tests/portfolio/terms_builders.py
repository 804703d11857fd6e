"""A portfolio using every table and column of format version 2 (docs/format.md).

``a_blended_portfolio`` is ``a_portfolio`` (one fund, three class-A investors at the
first closing, 2014-01-15) with: a junior class B held by the department, a late closer
(``LATE``, admitted 2014-09-30) paying equalisation, fee and expense calls, recallable
and purposed distributions, a manager holding the carry, and every terms and forecast
table filled.
"""

from __future__ import annotations

from collections.abc import Callable

from .builders import Table, a_portfolio

FIRST_CLOSING = "2014-01-15"
SECOND_CLOSING = "2014-09-30"
FIRST_CALL = "2014-03-31"  # a_portfolio's calls


def _flow(
    investor: str, date: str, kind: str, amount: str, purpose: str = "", recallable: str = "false"
) -> dict[str, str]:
    return {
        "fund_id": "F1",
        "investor_id": investor,
        "date": date,
        "kind": kind,
        "amount": amount,
        "purpose": purpose,
        "recallable": recallable,
    }


def a_blended_portfolio() -> dict[str, Table]:
    tables = a_portfolio()
    tables["investors"] += [
        {"investor_id": "MGR", "name": "Example Manager LLP", "kind": "manager"},
        {"investor_id": "LATE", "name": "A Late Closer", "kind": "social_investor"},
    ]
    tables["commitments"] += [
        {
            "fund_id": "F1",
            "investor_id": "DEPT",
            "share_class": "B",
            "amount": "100000",
            "date": FIRST_CLOSING,
        },
        {
            "fund_id": "F1",
            "investor_id": "LATE",
            "share_class": "A",
            "amount": "200000",
            "date": SECOND_CLOSING,
        },
    ]
    # a_portfolio's calls carry neither column: the rows below give both
    for row in tables["investor_flows"]:
        row.update(purpose="", recallable="false")
    tables["investor_flows"] += [
        _flow("LATE", SECOND_CLOSING, "call", "20000.00", "equalisation"),
        _flow("DEPT", SECOND_CLOSING, "distribution", "3000.00", "equalisation", "true"),
        _flow("FDN", "2014-12-31", "call", "2500.00", "management_fee"),
        _flow("BANK", "2014-12-31", "call", "120.00", "expense"),
        _flow("DEPT", "2015-03-31", "call", "10000.00", "investment"),
        _flow("FDN", "2015-06-30", "distribution", "4000.00", "return_of_capital", "true"),
        _flow("BANK", "2015-06-30", "distribution", "900.00", "income"),
        _flow("DEPT", "2015-06-30", "distribution", "500.00"),
    ]
    tables["fund_terms"] = [
        {
            "fund_id": "F1",
            "share_class": "A",
            "allocation_basis": "commitment",
            "management_fee_rate": "0.02",
            "fee_basis": "commitment",
            "fee_step_down_date": "2016-01-01",
            "step_down_rate": "0.015",
            "fee_basis_after_step_down": "invested_cost",
            "fee_offset_share": "0.5",
            "equalisation_rate": "0.05",
        },
        {
            "fund_id": "F1",
            "share_class": "B",
            "allocation_basis": "commitment",
            "management_fee_rate": "0",
            "fee_basis": "nav",
            "fee_step_down_date": "",
            "step_down_rate": "",
            "fee_basis_after_step_down": "",
            "fee_offset_share": "",
            "equalisation_rate": "",
        },
    ]
    tables["class_terms"] = [
        {
            "fund_id": "F1",
            "share_class": "A",
            "rank": "1",
            "preferred_return": "0.08",
            "return_cap": "",
        },
        {
            "fund_id": "F1",
            "share_class": "B",
            "rank": "2",
            "preferred_return": "0",
            "return_cap": "1.5",
        },
    ]
    tables["waterfalls"] = [
        {
            "fund_id": "F1",
            "style": "european",
            "hurdle": "0.08",
            "catch_up": "1",
            "carry": "0.2",
            "carry_holder": "MGR",
            "applies_to": "A;B",
        }
    ]
    tables["cost_forecasts"] = [
        {
            "project_id": "P1",
            "period_end": "2016-03-31",
            "category": "delivery",
            "amount": "12500.5",
        },
        {"project_id": "P1", "period_end": "2016-03-31", "category": "management", "amount": "0"},
        {"project_id": "P1", "period_end": "2016-06-30", "category": "delivery", "amount": "9000"},
    ]
    tables["holding_terms"] = [
        {
            "project_id": "P1",
            "holder_id": "F1",
            "tranche": "A",
            "seniority": "1",
            "coupon": "0.05",
            "maturity_date": "2018-03-31",
        },
        {
            "project_id": "P1",
            "holder_id": "CO1",
            "tranche": "A",
            "seniority": "2",
            "coupon": "",
            "maturity_date": "",
        },
    ]
    return tables


# --- bad versions of it, and the line each is refused with --------------------------

Tables = dict[str, Table]
Mutation = Callable[[Tables], None]


def _set(table: str, row: int, column: str, value: str) -> Mutation:
    """Row ``row`` (0-based; the file's row ``row + 1``) of ``table`` gets ``value``."""

    def change(t: Tables) -> None:
        t[table][row][column] = value

    return change


def _append(table: str, row: dict[str, str]) -> Mutation:
    def change(t: Tables) -> None:
        t[table].append(row)

    return change


def _both(*changes: Mutation) -> Mutation:
    def change(t: Tables) -> None:
        for one in changes:
            one(t)

    return change


# investor_flows rows (file row = index + 1): 1-3 a_portfolio's calls at the first
# closing, 4 LATE's equalisation call, 5 DEPT's equalisation distribution, 6 FDN's fee
# call, 7 BANK's expense call, 8 DEPT's investment call, 9 FDN's recallable return of
# capital, 10 BANK's income, 11 DEPT's plain distribution.
BAD: dict[str, tuple[Mutation, str]] = {
    "a distribution's purpose on a call": (
        _set("investor_flows", 5, "purpose", "income"),
        "investor_flows.csv, row 6, column purpose: expected a purpose of a call: investment, "
        "management_fee, expense, equalisation, excused (or empty), found 'income'",
    ),
    "a call's purpose on a distribution": (
        _set("investor_flows", 9, "purpose", "excused"),
        "investor_flows.csv, row 10, column purpose: expected a purpose of a distribution: "
        "return_of_capital, income, gain, equalisation (or empty), found 'excused'",
    ),
    "an unknown purpose": (
        _set("investor_flows", 5, "purpose", "fees"),
        "investor_flows.csv, row 6, column purpose: expected a call's purpose (investment, "
        "management_fee, expense, equalisation, excused) or a distribution's "
        "(return_of_capital, income, gain, equalisation), or empty, found 'fees'",
    ),
    "a recallable call": (
        _set("investor_flows", 6, "recallable", "true"),
        "investor_flows.csv, row 7, column recallable: expected false on a call (only a "
        "distribution can be recalled), found true",
    ),
    "a recallable flag neither true nor false": (
        _set("investor_flows", 8, "recallable", "yes"),
        "investor_flows.csv, row 9, column recallable: expected true or false, found 'yes'",
    ),
    "an equalisation call from a first closer": (
        _set("investor_flows", 7, "purpose", "equalisation"),
        "investor_flows.csv, row 8, column purpose: expected an equalisation call only from "
        "an investor admitted after fund F1's first closing (commitments.csv date), found "
        "equalisation from DEPT, admitted at its first closing, 2014-01-15",
    ),
    "an equalisation call from an undated commitment": (
        _set("commitments", 4, "date", ""),
        "investor_flows.csv, row 4, column purpose: expected an equalisation call only from "
        "an investor admitted after fund F1's first closing (commitments.csv date), found "
        "equalisation from LATE, admitted at its first closing, 2014-01-15",
    ),
    "a management fee rate above 10%": (
        _set("fund_terms", 0, "management_fee_rate", "0.25"),
        "fund_terms.csv, row 1, column management_fee_rate: expected an annual fee rate from "
        "0 to 0.1 (a fraction: 2% is 0.02), found '0.25'",
    ),
    "a step-down rate above 10%": (
        _set("fund_terms", 0, "step_down_rate", "0.15"),
        "fund_terms.csv, row 1, column step_down_rate: expected an annual fee rate from 0 to "
        "0.1 (a fraction: 2% is 0.02), found '0.15'",
    ),
    "a negative fee rate": (
        _set("fund_terms", 1, "management_fee_rate", "-0.01"),
        "fund_terms.csv, row 2, column management_fee_rate: expected a fraction from 0 to 1, "
        "such as 0.25, found '-0.01'",
    ),
    "a step-down before the first call": (
        _set("fund_terms", 0, "fee_step_down_date", "2014-03-30"),
        "fund_terms.csv, row 1, column fee_step_down_date: expected a date on or after fund "
        "F1's first call, 2014-03-31, found 2014-03-30",
    ),
    "a step-down rate without a step-down date": (
        _both(
            _set("fund_terms", 0, "fee_step_down_date", ""),
            _set("fund_terms", 0, "fee_basis_after_step_down", ""),
        ),
        "fund_terms.csv, row 1, column fee_step_down_date: expected the step-down date, since "
        "step_down_rate is given (0.015), found an empty cell",
    ),
    "a basis after a step-down without its date": (
        _set("fund_terms", 1, "fee_basis_after_step_down", "nav"),
        "fund_terms.csv, row 2, column fee_step_down_date: expected the step-down date, since "
        "fee_basis_after_step_down is given (nav), found an empty cell",
    ),
    "fund terms for a class nobody holds": (
        _set("fund_terms", 1, "share_class", "C"),
        "fund_terms.csv, row 2, column share_class: expected a share class that a commitment "
        "to fund F1 holds (commitments.csv), found unknown 'C'",
    ),
    "two allocation bases in one fund": (
        _set("fund_terms", 1, "allocation_basis", ""),
        "fund_terms.csv, row 2, column allocation_basis: expected one allocation basis for "
        "every class of fund F1: commitment, as its first row (empty is paid_in), found "
        "'paid_in'",
    ),
    "an unknown fee basis": (
        _set("fund_terms", 0, "fee_basis", "gross"),
        "fund_terms.csv, row 1, column fee_basis: expected one of commitment, invested_cost, "
        "nav, found 'gross'",
    ),
    "a rank of 0": (
        _set("class_terms", 0, "rank", "0"),
        "class_terms.csv, row 1, column rank: expected a rank of 1 or more (1 = paid first), "
        "found 0",
    ),
    "a return cap below 1x": (
        _set("class_terms", 1, "return_cap", "0.8"),
        "class_terms.csv, row 2, column return_cap: expected a return cap of 1 or more (a "
        "multiple of contributions), or empty for none, found '0.8'",
    ),
    "a negative return cap": (
        _set("class_terms", 1, "return_cap", "-2"),
        "class_terms.csv, row 2, column return_cap: expected a return cap of 1 or more (a "
        "multiple of contributions), or empty for none, found '-2'",
    ),
    "class terms for a class nobody holds": (
        _set("class_terms", 1, "share_class", "Z"),
        "class_terms.csv, row 2, column share_class: expected a share class that a commitment "
        "to fund F1 holds (commitments.csv), found unknown 'Z'",
    ),
    "a carry holder who is not a manager": (
        _set("waterfalls", 0, "carry_holder", "DEPT"),
        "waterfalls.csv, row 1, column carry_holder: expected an investor of kind manager "
        "(investors.csv), found DEPT, of kind government",
    ),
    "a carry holder with a commitment in its fund": (
        _append(
            "commitments",
            {
                "fund_id": "F1",
                "investor_id": "MGR",
                "share_class": "A",
                "amount": "1000",
                "date": FIRST_CLOSING,
            },
        ),
        "waterfalls.csv, row 1, column carry_holder: expected a carry holder with no "
        "commitment in the fund (commitments.csv), found MGR, committed to F1",
    ),
    "an unknown carry holder": (
        _set("waterfalls", 0, "carry_holder", "NOBODY"),
        "waterfalls.csv, row 1, column carry_holder: expected a reference to investors.csv "
        "(investor_id), found unknown 'NOBODY'",
    ),
    "an empty class in applies_to": (
        _set("waterfalls", 0, "applies_to", "A;;B"),
        "waterfalls.csv, row 1, column applies_to: expected share classes separated by ';', "
        "none of them empty (e.g. A;B), found 'A;;B'",
    ),
    "carry for a class nobody holds": (
        _set("waterfalls", 0, "applies_to", "A;C"),
        "waterfalls.csv, row 1, column applies_to: expected a share class that a commitment "
        "to fund F1 holds (commitments.csv), found unknown 'C'",
    ),
    "a carry above 1": (
        _set("waterfalls", 0, "carry", "20"),
        "waterfalls.csv, row 1, column carry: expected a fraction from 0 to 1, such as 0.25, "
        "found '20'",
    ),
    "a catch-up above 1": (
        _set("waterfalls", 0, "catch_up", "1.5"),
        "waterfalls.csv, row 1, column catch_up: expected a fraction from 0 to 1, such as "
        "0.25, found '1.5'",
    ),
    "an unknown waterfall style": (
        _set("waterfalls", 0, "style", "deal_by_deal"),
        "waterfalls.csv, row 1, column style: expected one of european, american, found "
        "'deal_by_deal'",
    ),
    "a negative cost forecast": (
        _set("cost_forecasts", 2, "amount", "-9000"),
        "cost_forecasts.csv, row 3, column amount: expected an amount in pounds of 0 or more, "
        "found '-9000'",
    ),
    "an unknown cost category": (
        _set("cost_forecasts", 0, "category", "salaries"),
        "cost_forecasts.csv, row 1, column category: expected one of delivery, innovation, "
        "management, other, found 'salaries'",
    ),
    "a seniority of 0": (
        _set("holding_terms", 1, "seniority", "0"),
        "holding_terms.csv, row 2, column seniority: expected a seniority of 1 or more (1 = "
        "paid first), found 0",
    ),
    "a coupon on equity": (
        _both(
            _set("holdings", 1, "instrument", "equity"), _set("holding_terms", 1, "coupon", "0.03")
        ),
        "holding_terms.csv, row 2, column coupon: expected an empty coupon for equity (a "
        "coupon is for a loan or a bond), found '0.03'",
    ),
    "a coupon on quasi-equity": (
        _set("holdings", 0, "instrument", "quasi_equity"),
        "holding_terms.csv, row 1, column coupon: expected an empty coupon for quasi_equity "
        "(a coupon is for a loan or a bond), found '0.05'",
    ),
    "terms for a holding that does not exist": (
        _set("holding_terms", 1, "tranche", "B"),
        "holding_terms.csv, row 2, column tranche: expected a reference to holdings.csv "
        "(project_id, holder_id, tranche), found unknown 'P1/CO1/B'",
    ),
}
