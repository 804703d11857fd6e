"""Rules across rows and tables: keys, references and the format's business rules.

They run over the *final* state of a portfolio: each table read as read, every
other table as it stands (``fetch``), so that removing a project that stored
flows still name is refused as surely as a flow naming an unknown project.
``passu import`` fetches the other tables from the database; ``Ledger.from_csv``
has none (``nothing_stored``). Both check here, so a rule is written once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

import pandas as pd

from passu.valuation import terms_rules
from passu.valuation.cells import ROW
from passu.valuation.problems import Problem, show
from passu.valuation.schema import BY_NAME, SCHEMAS, Ref, TableSchema

# Distinct values of some columns of a table as stored (used for tables not read).
Fetch = Callable[[str, tuple[str, ...]], pd.DataFrame]


def nothing_stored(name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    """The ``fetch`` of a portfolio read on its own: a table it leaves out has no rows."""
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})


SHARE_TOLERANCE = Decimal("0.0001")


def validate(
    imported: Mapping[str, pd.DataFrame],
    fetch: Fetch,
    library_codes: frozenset[str] = frozenset(),
    streamed: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Every problem across rows and tables, with ``imported`` as canonical text frames.

    Keys used once; references resolving (both ways: a stored row a read table
    removes is named too); then the format's rules (``_rules``). ``library_codes``
    are unit-value codes allowed besides the tables' own (the GMCA library's).
    ``streamed`` are flow tables the import holds but ``imported`` does not: their
    rows are checked a chunk at a time (``flow_row_rules``) and ``fetch`` reads them
    as the import leaves them, so that a ledger of millions of flows is never whole
    in memory.
    """
    problems: list[Problem] = []
    for name, frame in imported.items():
        problems += _duplicate_keys(BY_NAME[name], frame)
    problems += _references(imported, fetch, streamed)
    problems += _rules(imported, fetch, library_codes)
    return problems


def flow_row_rules(
    name: str, chunk: pd.DataFrame, imported: Mapping[str, pd.DataFrame], fetch: Fetch
) -> list[list[Problem]]:
    """The rules that judge a flow table's rows one at a time, over one chunk of them.

    ``imported`` holds the import's other tables (not flow tables, which the rules
    never look up). One list per rule, each naming at most ``terms_rules.SHOWN``
    rows: ``first_named`` keeps a file's first rows of each rule across its chunks,
    as ``validate`` names them when the whole table is read at once.
    """
    spec = BY_NAME[name]
    view = {**imported, name: chunk}
    groups = [_reference(spec, ref, view, fetch) for ref in spec.refs]
    if name == "project_costs":
        groups += _innovation_cost_groups(view, fetch)
    if name == "outcome_payments":
        groups.append(_payment_claims(view, fetch))
    if name == "investor_flows":
        groups += terms_rules.flow_rules(chunk, lambda n, cols: _state(n, cols, view, fetch))
    return groups


def first_named(chunks: list[list[list[Problem]]]) -> list[Problem]:
    """The problems of ``flow_row_rules`` over every chunk: each rule's first rows."""
    problems: list[Problem] = []
    for rule in zip(*chunks, strict=True):
        problems += [p for found in rule for p in found][: terms_rules.SHOWN]
    return problems


def _duplicate_keys(spec: TableSchema, frame: pd.DataFrame) -> list[Problem]:
    if spec.is_flow or frame.empty:
        return []
    dup = frame.duplicated(list(spec.key), keep="first")
    out = []
    for _, row in frame[dup].head(10).iterrows():
        key = ", ".join(f"{k}={row[k]}" for k in spec.key)
        out.append(Problem(spec.file, int(row[ROW]), spec.key[-1], "a key used once", key))
    return out


def _state(
    name: str, columns: tuple[str, ...], imported: Mapping[str, pd.DataFrame], fetch: Fetch
) -> pd.DataFrame:
    if name in imported:
        return imported[name][list(columns)]
    return fetch(name, columns)


def _references(
    imported: Mapping[str, pd.DataFrame], fetch: Fetch, streamed: frozenset[str]
) -> list[Problem]:
    problems: list[Problem] = []
    for spec in SCHEMAS:
        if spec.name in streamed:
            continue  # its rows are checked chunk by chunk (flow_row_rules)
        for ref in spec.refs:
            if spec.name in imported or ref.table in imported:
                problems += _reference(spec, ref, imported, fetch)
    return problems


def _reference(
    spec: TableSchema, ref: Ref, imported: Mapping[str, pd.DataFrame], fetch: Fetch
) -> list[Problem]:
    """One reference resolving: each row read naming a parent row there, or (for a
    table not read) each stored row still finding its parent."""
    child = _state(
        spec.name,
        (*ref.columns, ROW) if spec.name in imported else ref.columns,
        imported,
        fetch,
    )
    parent = _state(ref.table, ref.target, imported, fetch)
    cols = list(ref.columns)
    present = child[cols].ne("").all(axis=1)
    child = child[present]
    if child.empty:
        return []
    keys = pd.MultiIndex.from_frame(parent[list(ref.target)].astype(str))
    wanted = pd.MultiIndex.from_frame(child[cols].astype(str))
    missing = ~wanted.isin(keys)
    if not missing.any():
        return []
    bad = child[missing]
    target = f"{ref.table}.csv ({', '.join(ref.target)})"
    problems: list[Problem] = []
    if spec.name in imported:
        for _, row in bad.head(10).iterrows():
            value = "/".join(str(row[c]) for c in cols)
            problems.append(
                Problem(
                    spec.file,
                    int(row[ROW]),
                    cols[-1],
                    f"a reference to {target}",
                    f"unknown {show(value)}",
                )
            )
    else:
        for value in bad[cols].drop_duplicates().head(10).itertuples(index=False):
            shown = "/".join(value)
            problems.append(
                Problem(
                    BY_NAME[ref.table].file,
                    None,
                    ref.target[-1],
                    f"every {ref.table} row that stored {spec.name} rows refer to",
                    f"{show(shown)} removed",
                )
            )
    return problems


def _rules(
    imported: Mapping[str, pd.DataFrame], fetch: Fetch, library_codes: frozenset[str]
) -> list[Problem]:
    problems: list[Problem] = []
    if "contract_payers" in imported:
        problems += _payer_shares(imported["contract_payers"])
    if "unit_values" in imported:
        problems += _unit_value_factors(imported["unit_values"])
    if "outcome_metrics" in imported or "unit_values" in imported:
        problems += _unit_value_codes(imported, fetch, library_codes)
    if "projects" in imported:
        problems += _date_order(imported["projects"], "projects.csv", "start_date", "end_date")
    if "outcome_contracts" in imported:
        problems += _date_order(
            imported["outcome_contracts"], "outcome_contracts.csv", "start_date", "end_date"
        )
    if "project_costs" in imported or "innovations" in imported:
        problems += _innovation_costs(imported, fetch)
    if "outcome_claims" in imported:
        problems += _claims(imported["outcome_claims"])
    if "outcome_payments" in imported or "outcome_claims" in imported:
        problems += _payment_claims(imported, fetch)
    # format version 2: flows' purposes and the terms tables (valuation/terms_rules.py)
    problems += terms_rules.check(imported, lambda name, cols: _state(name, cols, imported, fetch))
    return problems


def _payer_shares(frame: pd.DataFrame) -> list[Problem]:
    problems = []
    shares = frame[frame["share"].ne("")]
    if shares.empty:
        return []
    totals = shares.assign(value=shares["share"].map(Decimal)).groupby("contract_id")["value"]
    for contract_id, total in totals.sum().items():
        if abs(total - 1) > SHARE_TOLERANCE:
            first = int(shares.loc[shares["contract_id"] == contract_id, ROW].iloc[0])
            problems.append(
                Problem(
                    "contract_payers.csv",
                    first,
                    "share",
                    f"shares of contract {contract_id} summing to 1 (within 0.0001)",
                    f"a total of {total}",
                )
            )
    zero = shares["share"].map(Decimal).eq(0)
    for _, row in shares[zero].head(5).iterrows():
        problems.append(
            Problem("contract_payers.csv", int(row[ROW]), "share", "a share above 0", "0")
        )
    return problems


def _unit_value_factors(frame: pd.DataFrame) -> list[Problem]:
    problems = []
    checks = (
        ("deadweight", lambda v: 0 <= v < 1, "a deadweight from 0 up to (not including) 1"),
        ("optimism_bias", lambda v: 0 <= v < 1, "an optimism bias from 0 up to (not including) 1"),
        ("attribution", lambda v: 0 < v <= 1, "an attribution above 0, at most 1"),
    )
    for column, ok, expected in checks:
        values = frame[frame[column].ne("")]
        for _, row in values.iterrows():
            if not ok(Decimal(row[column])):
                problems.append(
                    Problem("unit_values.csv", int(row[ROW]), column, expected, show(row[column]))
                )
    return problems


def _unit_value_codes(
    imported: Mapping[str, pd.DataFrame], fetch: Fetch, library_codes: frozenset[str]
) -> list[Problem]:
    # The row number comes with the imported rows, so the problem names its row.
    metrics = (
        imported["outcome_metrics"][[ROW, "metric_id", "unit_value_code"]]
        if "outcome_metrics" in imported
        else fetch("outcome_metrics", ("metric_id", "unit_value_code"))
    )
    codes = set(_state("unit_values", ("code",), imported, fetch)["code"]) | library_codes
    used = metrics[metrics["unit_value_code"].ne("") & ~metrics["unit_value_code"].isin(codes)]
    problems = []
    for _, row in used.head(10).iterrows():
        rownum = int(row[ROW]) if ROW in row and "outcome_metrics" in imported else None
        problems.append(
            Problem(
                "outcome_metrics.csv",
                rownum,
                "unit_value_code",
                "a code in unit_values.csv or the unit-cost library",
                f"unknown {show(row['unit_value_code'])}",
            )
        )
    return problems


def _date_order(frame: pd.DataFrame, file: str, start: str, end: str) -> list[Problem]:
    bad = frame[frame[end].ne("") & frame[start].ne("") & (frame[end] < frame[start])]
    return [
        Problem(file, int(row[ROW]), end, f"a date on or after {start} {row[start]}", row[end])
        for _, row in bad.head(10).iterrows()
    ]


def _innovation_costs(imported: Mapping[str, pd.DataFrame], fetch: Fetch) -> list[Problem]:
    return [p for found in _innovation_cost_groups(imported, fetch) for p in found]


def _innovation_cost_groups(
    imported: Mapping[str, pd.DataFrame], fetch: Fetch
) -> list[list[Problem]]:
    """Three rules, one list each: a cost missing its innovation, a cost naming one
    though not an innovation cost, and one naming another project's innovation."""
    if "project_costs" not in imported:
        return [[], [], []]
    costs = imported["project_costs"]
    innovations = _state("innovations", ("innovation_id", "project_id"), imported, fetch)
    owner = dict(zip(innovations["innovation_id"], innovations["project_id"], strict=True))
    missing_problems: list[Problem] = []
    stray_problems: list[Problem] = []
    wrong_problems: list[Problem] = []
    is_innovation = costs["category"].eq("innovation")
    missing = costs[is_innovation & costs["innovation_id"].eq("")]
    for _, row in missing.head(10).iterrows():
        missing_problems.append(
            Problem(
                "project_costs.csv",
                int(row[ROW]),
                "innovation_id",
                "the innovation this cost is for",
                "an empty cell",
            )
        )
    stray = costs[~is_innovation & costs["innovation_id"].ne("")]
    for _, row in stray.head(10).iterrows():
        stray_problems.append(
            Problem(
                "project_costs.csv",
                int(row[ROW]),
                "innovation_id",
                "an empty cell (only innovation costs name an innovation)",
                show(row["innovation_id"]),
            )
        )
    named = costs[is_innovation & costs["innovation_id"].ne("")]
    wrong = named[named["innovation_id"].map(owner).fillna("") != named["project_id"]]
    wrong = wrong[wrong["innovation_id"].isin(owner)]
    for _, row in wrong.head(10).iterrows():
        wrong_problems.append(
            Problem(
                "project_costs.csv",
                int(row[ROW]),
                "innovation_id",
                f"an innovation of project {row['project_id']}",
                f"{row['innovation_id']} of project {owner[row['innovation_id']]}",
            )
        )
    return [missing_problems, stray_problems, wrong_problems]


def _claims(claims: pd.DataFrame) -> list[Problem]:
    problems = []
    for _, row in claims.iterrows():
        rownum = int(row[ROW])
        for column in ("verified_on", "rejected_on"):
            if row[column] and row["claimed_on"] and row[column] < row["claimed_on"]:
                problems.append(
                    Problem(
                        "outcome_claims.csv",
                        rownum,
                        column,
                        f"a date on or after claimed_on {row['claimed_on']}",
                        row[column],
                    )
                )
        if row["verified_on"] and row["rejected_on"]:
            problems.append(
                Problem(
                    "outcome_claims.csv",
                    rownum,
                    "rejected_on",
                    "a claim either verified or rejected, not both",
                    f"verified {row['verified_on']} and rejected {row['rejected_on']}",
                )
            )
        verified = [row[c] != "" for c in ("verified_on", "verified_count", "verified_amount")]
        if any(verified) and not all(verified):
            problems.append(
                Problem(
                    "outcome_claims.csv",
                    rownum,
                    "verified_on",
                    "verified_on, verified_count and verified_amount all set or all empty",
                    "some of them",
                )
            )
        if (
            row["verified_count"]
            and row["count"]
            and int(row["verified_count"]) > int(row["count"])
        ):
            problems.append(
                Problem(
                    "outcome_claims.csv",
                    rownum,
                    "verified_count",
                    f"at most the count claimed ({row['count']})",
                    row["verified_count"],
                )
            )
    return problems


def _payment_claims(imported: Mapping[str, pd.DataFrame], fetch: Fetch) -> list[Problem]:
    if "outcome_payments" not in imported:
        return []
    payments = imported["outcome_payments"]
    named = payments[payments["claim_id"].ne("")]
    if named.empty:
        return []
    claims = _state("outcome_claims", ("claim_id", "contract_id"), imported, fetch)
    contract_of = dict(zip(claims["claim_id"], claims["contract_id"], strict=True))
    claimed_contract = named["claim_id"].map(contract_of)
    wrong = named[claimed_contract.notna() & claimed_contract.ne(named["contract_id"])]
    return [
        Problem(
            "outcome_payments.csv",
            int(row[ROW]),
            "claim_id",
            f"a claim on contract {row['contract_id']}",
            f"{row['claim_id']} on contract {contract_of[row['claim_id']]}",
        )
        for _, row in wrong.head(10).iterrows()
    ]
