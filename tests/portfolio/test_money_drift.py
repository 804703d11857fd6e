"""Numbers never drift: Σ money in the database equals Σ of the input files, to the penny.

A synthetic portfolio of a few thousand flows, with amounts chosen to make a
float sum drift (0.10, 0.70, £99,999,999,999.99, every pence ending), is
imported; then for every money column of every table the Σ of what
``load_frames`` hands to valuation (integer pence) equals the exact ``Decimal``
Σ of the CSV cells.
"""

from __future__ import annotations

import csv
import random
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine

from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.interchange.tables import BY_NAME
from passu.portfolio.store.frames import load_frames

from .builders import Table, a_portfolio, write_csvs

ROWS_PER_TABLE = 2_000
# Amounts a float adds badly: tenths, pence near a pound, and very large sums.
AWKWARD = ("0.10", "0.70", "0.01", "0.99", "1234567.89", "99999999999.99", "33333.33", "0.07")


def amount(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return rng.choice(AWKWARD)
    pounds = rng.randint(0, 10 ** rng.randint(0, 9))
    return f"{pounds}.{rng.randint(1, 99):02d}"


def day(rng: random.Random) -> str:
    return f"{rng.randint(2014, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def a_large_portfolio(seed: int = 20261031) -> dict[str, Table]:
    """The small portfolio with 2,000 rows more in each flow table, pence amounts throughout."""
    rng = random.Random(seed)
    tables = a_portfolio()
    investors = ("DEPT", "FDN", "BANK")
    payers = ("Leeds City Council", "Central Fund", "The Lottery")
    for _ in range(ROWS_PER_TABLE):
        tables["investor_flows"].append(
            {
                "fund_id": "F1",
                "investor_id": rng.choice(investors),
                "date": day(rng),
                "kind": rng.choice(("call", "distribution")),
                "amount": amount(rng),
            }
        )
        tables["fund_expenses"].append(
            {
                "fund_id": "F1",
                "date": day(rng),
                "kind": rng.choice(("management_fee", "expense")),
                "amount": amount(rng),
            }
        )
        tables["project_flows"].append(
            {
                "project_id": "P1",
                "holder_id": rng.choice(("F1", "CO1")),
                "tranche": "A",
                "date": day(rng),
                "kind": rng.choice(("drawdown", "repayment", "interest", "dividend", "write_off")),
                "amount": amount(rng),
            }
        )
        tables["outcome_payments"].append(
            {
                "contract_id": "C1",
                "payer": rng.choice(payers),
                "date": day(rng),
                "amount": amount(rng),
                "metric_id": rng.choice(("M1", "")),
                "claim_id": "",
            }
        )
        tables["project_costs"].append(
            {
                "project_id": "P1",
                "date": day(rng),
                "category": rng.choice(("delivery", "management", "other")),
                "amount": amount(rng),
                "innovation_id": "",
            }
        )
    for i in range(ROWS_PER_TABLE // 4):  # keyed tables: a mark per holding and date
        tables["marks"].append(
            {
                "project_id": "P1",
                "holder_id": "CO1",
                "tranche": "A",
                "date": f"{2000 + i // 336}-{1 + i // 28 % 12:02d}-{1 + i % 28:02d}",
                "fair_value": amount(rng),
                "method": "dcf",
                "note": "",
            }
        )
    return tables


def csv_sums(folder: Path) -> dict[tuple[str, str], Decimal]:
    """Σ of every money column of every file, exactly, from the CSV text."""
    sums = {}
    for path in sorted(folder.glob("*.csv")):
        spec = BY_NAME[path.stem]
        money = [c.name for c in spec.columns if c.kind == "money"]
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        for column in money:
            sums[(spec.name, column)] = sum(
                (Decimal(r[column]) for r in rows if r.get(column)), Decimal(0)
            )
    return sums


def test_money_sums_match_the_input_to_the_penny(engine: Engine, tmp_path: Path) -> None:
    folder = write_csvs(tmp_path / "large", a_large_portfolio())
    import_portfolio(engine, folder, user="t")
    expected = csv_sums(folder)
    with engine.connect() as conn:
        frames = load_frames(conn)
    stored = {}
    for table, column in expected:
        pence = getattr(frames, table)[f"{column}_pence"]
        stored[(table, column)] = Decimal(int(pence.sum())).scaleb(-2)
    assert stored == expected
    # the synthetic portfolio is as large as intended: 4 + 2,000 flows, 1 + 500 marks
    assert len(frames.project_flows) == 4 + ROWS_PER_TABLE
    assert len(frames.marks) == 1 + ROWS_PER_TABLE // 4
