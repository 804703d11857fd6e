"""The format's version-2 rules: flows' purposes, and fund, class, waterfall and holding terms.

Called from ``table_rules.validate`` (so ``passu import``, ``--append`` and
``Ledger.from_csv`` all refuse the same input with the same message) with ``state``:
a table's columns as the import leaves it (the imported rows when the import holds
the table, else the rows stored, which ``Ledger.from_csv`` has none of). Frames are
canonical text (``valuation/cells.py``): ``""`` empty, dates ISO, decimals normalised.
Each rule is set-based over whole columns; only the (at most ten) rows it names per
rule are visited one by one, to write their messages. docs/format.md lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

import pandas as pd

from passu.valuation.cells import ROW
from passu.valuation.problems import Problem, show
from passu.valuation.schema import CALL_PURPOSES, DISTRIBUTION_PURPOSES

# A table's columns as the import leaves it (imported rows, or else the stored ones).
State = Callable[[str, tuple[str, ...]], pd.DataFrame]

MAX_FEE_RATE = Decimal("0.1")  # 10% a year: above it a rate is a typing slip (10 for 0.10)
MIN_RETURN_CAP = Decimal(1)  # a cap below 1x would keep a class from its own capital
EQUITY = ("equity", "quasi_equity")  # instruments without a coupon
DEFAULT_ALLOCATION_BASIS = "paid_in"  # an empty allocation_basis (valuation/fees.py)
CLASS_TABLES = ("fund_terms", "class_terms", "waterfalls")  # name a fund's share classes
SHOWN = 10  # problems named per rule, as the other table rules do

__all__ = ["SHOWN", "State", "check", "flow_rules"]


def check(imported: Mapping[str, pd.DataFrame], state: State) -> list[Problem]:
    """Every version-2 problem of an import's final state (``imported``: tables read)."""
    problems: list[Problem] = []
    if "investor_flows" in imported:
        for found in flow_rules(imported["investor_flows"], state):
            problems += found
    if "fund_terms" in imported:
        terms = imported["fund_terms"]
        problems += _fee_rates(terms)
        problems += _step_down_given(terms)
        problems += _step_down_after_first_call(terms, state)
        problems += _one_allocation_basis(terms)
    if "class_terms" in imported:
        problems += _class_ranks_and_caps(imported["class_terms"])
    if "waterfalls" in imported:
        problems += _carry_holders(imported["waterfalls"], state)
        problems += _empty_carry_classes(imported["waterfalls"])
    if "holding_terms" in imported:
        problems += _holding_terms(imported["holding_terms"], state)
    if "commitments" in imported or any(name in imported for name in CLASS_TABLES):
        problems += _classes_held(imported, state)
    if "commitments" in imported or "waterfalls" in imported:
        problems += _carry_holder_commits_nothing(imported, state)
    return problems


def flow_rules(flows: pd.DataFrame, state: State) -> list[list[Problem]]:
    """The rules on investor_flows' rows, one list each (a chunk of them at a time)."""
    return [
        _purposes(flows),
        _recallable_calls(flows),
        _equalisation_at_first_closing(flows, state),
    ]


def _rows(frame: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    return frame[mask].head(SHOWN)


# --- investor_flows ------------------------------------------------------------------


def _purposes(flows: pd.DataFrame) -> list[Problem]:
    """A purpose of the other direction: ``income`` on a call, ``excused`` on a distribution.

    An unknown purpose never gets here: the cell check refuses it, listing every purpose.
    """
    calls = flows["kind"].eq("call")
    given = flows["purpose"].ne("")
    wrong = given & (
        (calls & ~flows["purpose"].isin(CALL_PURPOSES))
        | (~calls & ~flows["purpose"].isin(DISTRIBUTION_PURPOSES))
    )
    problems = []
    for _, row in _rows(flows, wrong).iterrows():
        allowed = CALL_PURPOSES if row["kind"] == "call" else DISTRIBUTION_PURPOSES
        problems.append(
            Problem(
                "investor_flows.csv",
                int(row[ROW]),
                "purpose",
                f"a purpose of a {row['kind']}: {', '.join(allowed)} (or empty)",
                show(row["purpose"]),
            )
        )
    return problems


def _recallable_calls(flows: pd.DataFrame) -> list[Problem]:
    bad = flows["kind"].eq("call") & flows["recallable"].eq("true")
    return [
        Problem(
            "investor_flows.csv",
            int(row[ROW]),
            "recallable",
            "false on a call (only a distribution can be recalled)",
            "true",
        )
        for _, row in _rows(flows, bad).iterrows()
    ]


def _equalisation_at_first_closing(flows: pd.DataFrame, state: State) -> list[Problem]:
    """An equalisation call from an investor admitted at the fund's first closing.

    The first closing is the fund's earliest commitment date; an investor was admitted
    there when each of its commitments to the fund is dated that day or undated (a
    commitment at a later closing, even beside one at the first, pays equalisation on
    it). An investor with no commitment to the fund is left to the other checks.
    """
    calls = flows[flows["kind"].eq("call") & flows["purpose"].eq("equalisation")]
    if calls.empty:
        return []
    commitments = state("commitments", ("fund_id", "investor_id", "date"))
    dated = commitments[commitments["date"].ne("")]
    first_closing = dated.groupby("fund_id")["date"].min()
    first = commitments["fund_id"].map(first_closing).fillna("")
    at_first = commitments["date"].eq("") | commitments["date"].eq(first)
    pair = ["fund_id", "investor_id"]
    held = pd.MultiIndex.from_frame(commitments[pair].astype(str))
    later = pd.MultiIndex.from_frame(commitments.loc[~at_first, pair].astype(str))
    wanted = pd.MultiIndex.from_frame(calls[pair].astype(str))
    bad = wanted.isin(held) & ~wanted.isin(later)
    problems = []
    for _, row in calls[bad].head(SHOWN).iterrows():
        closing = first_closing.get(row["fund_id"])
        when = f"its first closing, {closing}" if closing else "its first closing"
        problems.append(
            Problem(
                "investor_flows.csv",
                int(row[ROW]),
                "purpose",
                f"an equalisation call only from an investor admitted after fund "
                f"{row['fund_id']}'s first closing (commitments.csv date)",
                f"equalisation from {row['investor_id']}, admitted at {when}",
            )
        )
    return problems


# --- fund_terms ------------------------------------------------------------------------


def _decimal_above(column: pd.Series, limit: Decimal) -> pd.Series:
    given = column.ne("")
    return given & column.where(given, "0").map(Decimal).gt(limit)


def _fee_rates(terms: pd.DataFrame) -> list[Problem]:
    problems = []
    for column in ("management_fee_rate", "step_down_rate"):
        for _, row in _rows(terms, _decimal_above(terms[column], MAX_FEE_RATE)).iterrows():
            problems.append(
                Problem(
                    "fund_terms.csv",
                    int(row[ROW]),
                    column,
                    "an annual fee rate from 0 to 0.1 (a fraction: 2% is 0.02)",
                    show(row[column]),
                )
            )
    return problems


def _step_down_given(terms: pd.DataFrame) -> list[Problem]:
    """A rate or basis for after a step-down that the row never says happens."""
    problems = []
    no_date = terms["fee_step_down_date"].eq("")
    for column in ("step_down_rate", "fee_basis_after_step_down"):
        for _, row in _rows(terms, no_date & terms[column].ne("")).iterrows():
            problems.append(
                Problem(
                    "fund_terms.csv",
                    int(row[ROW]),
                    "fee_step_down_date",
                    f"the step-down date, since {column} is given ({row[column]})",
                    "an empty cell",
                )
            )
    return problems


def _step_down_after_first_call(terms: pd.DataFrame, state: State) -> list[Problem]:
    """A step-down dated before the fund's first call (no finding for a fund not yet called)."""
    flows = state("investor_flows", ("fund_id", "kind", "date"))
    first_call = flows[flows["kind"].eq("call")].groupby("fund_id")["date"].min()
    first = terms["fund_id"].map(first_call).fillna("")
    step = terms["fee_step_down_date"]
    bad = step.ne("") & first.ne("") & (step < first)
    return [
        Problem(
            "fund_terms.csv",
            int(row[ROW]),
            "fee_step_down_date",
            f"a date on or after fund {row['fund_id']}'s first call, {first_call[row['fund_id']]}",
            row["fee_step_down_date"],
        )
        for _, row in _rows(terms, bad).iterrows()
    ]


def _one_allocation_basis(terms: pd.DataFrame) -> list[Problem]:
    """One allocation basis per fund: its gain is split among all its classes by it."""
    basis = terms["allocation_basis"].replace("", DEFAULT_ALLOCATION_BASIS)
    first = basis.groupby(terms["fund_id"]).transform("first")
    bad = basis.ne(first)
    return [
        Problem(
            "fund_terms.csv",
            int(row[ROW]),
            "allocation_basis",
            f"one allocation basis for every class of fund {row['fund_id']}: "
            f"{first[index]}, as its first row (empty is {DEFAULT_ALLOCATION_BASIS})",
            show(basis[index]),
        )
        for index, row in _rows(terms, bad).iterrows()
    ]


# --- class_terms, waterfalls, holding_terms --------------------------------------------


def _class_ranks_and_caps(terms: pd.DataFrame) -> list[Problem]:
    problems = [
        Problem(
            "class_terms.csv", int(row[ROW]), "rank", "a rank of 1 or more (1 = paid first)", "0"
        )
        for _, row in _rows(terms, terms["rank"].eq("0")).iterrows()
    ]
    cap = terms["return_cap"]
    given = cap.ne("")
    low = given & cap.where(given, "1").map(Decimal).lt(MIN_RETURN_CAP)
    problems += [
        Problem(
            "class_terms.csv",
            int(row[ROW]),
            "return_cap",
            "a return cap of 1 or more (a multiple of contributions), or empty for none",
            show(row["return_cap"]),
        )
        for _, row in _rows(terms, low).iterrows()
    ]
    return problems


def _carry_holders(waterfalls: pd.DataFrame, state: State) -> list[Problem]:
    investors = state("investors", ("investor_id", "kind"))
    kind_of = dict(zip(investors["investor_id"], investors["kind"], strict=True))
    kind = waterfalls["carry_holder"].map(kind_of)
    # an unknown holder is the reference check's to name
    bad = kind.notna() & kind.ne("manager")
    return [
        Problem(
            "waterfalls.csv",
            int(row[ROW]),
            "carry_holder",
            "an investor of kind manager (investors.csv)",
            f"{row['carry_holder']}, of kind {kind[index]}",
        )
        for index, row in _rows(waterfalls, bad).iterrows()
    ]


def _carry_holder_commits_nothing(
    imported: Mapping[str, pd.DataFrame], state: State
) -> list[Problem]:
    """A carry holder holds no commitment in its fund: carry it also received as an
    investor could not be told from its return (``valuation/structure.py``). Named on the
    waterfalls row when that table is imported, else on the commitment."""
    investors = state("investors", ("investor_id", "kind"))
    managers = set(investors.loc[investors["kind"].eq("manager"), "investor_id"])
    waterfalls = state("waterfalls", ("fund_id", "carry_holder"))
    # a holder of another kind is refused already (``_carry_holders``): once is enough
    waterfalls = waterfalls[waterfalls["carry_holder"].isin(managers)]
    commitments = state("commitments", ("fund_id", "investor_id"))
    both = waterfalls.merge(
        commitments.drop_duplicates(["fund_id", "investor_id"]),
        left_on=["fund_id", "carry_holder"],
        right_on=["fund_id", "investor_id"],
        suffixes=("", "_commitment"),
    )
    if both.empty:
        return []
    expected = "a carry holder with no commitment in the fund (commitments.csv)"
    if "waterfalls" in imported:
        rows = imported["waterfalls"].merge(both[["fund_id", "carry_holder"]])
        return [
            Problem(
                "waterfalls.csv",
                int(row[ROW]),
                "carry_holder",
                expected,
                f"{row['carry_holder']}, committed to {row['fund_id']}",
            )
            for _, row in rows.drop_duplicates(ROW).head(SHOWN).iterrows()
        ]
    rows = imported["commitments"].merge(
        both[["fund_id", "carry_holder"]].rename(columns={"carry_holder": "investor_id"})
    )
    return [
        Problem(
            "commitments.csv",
            int(row[ROW]),
            "investor_id",
            "an investor other than the fund's carry holder (waterfalls.csv)",
            f"{row['investor_id']}, the carry holder of {row['fund_id']}",
        )
        for _, row in rows.drop_duplicates(ROW).head(SHOWN).iterrows()
    ]


def _carry_classes(waterfalls: pd.DataFrame) -> pd.DataFrame:
    """One row per share class a waterfall's ``applies_to`` names (``;``-separated)."""
    return (
        waterfalls.assign(share_class=waterfalls["applies_to"].str.split(";"))
        .explode("share_class")
        .reset_index(drop=True)
    )


def _empty_carry_classes(waterfalls: pd.DataFrame) -> list[Problem]:
    classes = _carry_classes(waterfalls)
    bad = classes[classes["share_class"].eq("")].drop_duplicates(ROW)
    return [
        Problem(
            "waterfalls.csv",
            int(row[ROW]),
            "applies_to",
            "share classes separated by ';', none of them empty (e.g. A;B)",
            show(row["applies_to"]),
        )
        for _, row in bad.head(SHOWN).iterrows()
    ]


def _holding_terms(terms: pd.DataFrame, state: State) -> list[Problem]:
    problems = [
        Problem(
            "holding_terms.csv",
            int(row[ROW]),
            "seniority",
            "a seniority of 1 or more (1 = paid first)",
            "0",
        )
        for _, row in _rows(terms, terms["seniority"].eq("0")).iterrows()
    ]
    keys = ["project_id", "holder_id", "tranche"]
    holdings = state("holdings", (*keys, "instrument"))
    instrument = terms[keys].merge(holdings, on=keys, how="left")["instrument"]
    instrument.index = terms.index
    bad = terms["coupon"].ne("") & instrument.isin(EQUITY)
    problems += [
        Problem(
            "holding_terms.csv",
            int(row[ROW]),
            "coupon",
            f"an empty coupon for {instrument[index]} (a coupon is for a loan or a bond)",
            show(row["coupon"]),
        )
        for index, row in _rows(terms, bad).iterrows()
    ]
    return problems


def _classes_held(imported: Mapping[str, pd.DataFrame], state: State) -> list[Problem]:
    """Terms name only share classes that a commitment to the fund holds.

    A terms table read is checked row by row; a commitments.csv read that drops the last
    commitment of a class stored terms name is refused too, as a removed reference is.
    """
    held = state("commitments", ("fund_id", "share_class"))
    known = pd.MultiIndex.from_frame(held.astype(str))
    problems: list[Problem] = []
    for name in CLASS_TABLES:
        column = "applies_to" if name == "waterfalls" else "share_class"
        if name in imported:
            frame = imported[name]
            named = _carry_classes(frame) if name == "waterfalls" else frame
            named = named[named["share_class"].ne("")]
        elif "commitments" in imported:
            frame = state(name, ("fund_id", column))
            named = _carry_classes(frame) if name == "waterfalls" else frame
            named = named[named["share_class"].ne("")]
        else:
            continue
        wanted = pd.MultiIndex.from_frame(named[["fund_id", "share_class"]].astype(str))
        missing = named[~wanted.isin(known)]
        if name in imported:
            problems += [
                Problem(
                    f"{name}.csv",
                    int(row[ROW]),
                    column,
                    f"a share class that a commitment to fund {row['fund_id']} holds "
                    "(commitments.csv)",
                    f"unknown {show(row['share_class'])}",
                )
                for _, row in missing.drop_duplicates([ROW, "share_class"]).head(SHOWN).iterrows()
            ]
        else:
            pairs = missing[["fund_id", "share_class"]].drop_duplicates().head(SHOWN)
            problems += [
                Problem(
                    "commitments.csv",
                    None,
                    "share_class",
                    f"a commitment in every share class that stored {name} rows name",
                    f"{fund_id}/{share_class} left without one",
                )
                for fund_id, share_class in pairs.itertuples(index=False)
            ]
    return problems
