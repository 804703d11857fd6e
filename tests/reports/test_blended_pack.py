"""The committee pack and the shareholder statement of a fund with share-class terms
(examples/blended, issue 14): the headline's accrued carry, the waterfall page, the cost
to government on the pari passu page and on the statement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine

from passu.portfolio.interchange.importer import import_portfolio
from passu.portfolio.reference.packaged import unit_cost_codes
from passu.portfolio.reporting import committee_bundle, statement_bundle
from passu.portfolio.store.database import make_engine, upgrade
from passu.reports.committee import build_committee_pack
from passu.reports.statements import build_statement

from .runs import save_reportable

BLENDED = Path(__file__).parents[2] / "examples" / "blended"
AS_OF = dt.date(2026, 10, 31)


@pytest.fixture(scope="module")
def blended(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('blended') / 'passu.db'}")
    upgrade(engine)
    import_portfolio(engine, BLENDED, user="tester", library_codes=unit_cost_codes())
    save_reportable(engine, AS_OF, None)
    return engine


def test_the_pack_shows_the_carry_the_waterfall_and_the_cost_to_government(
    blended: Engine,
) -> None:
    bundle = committee_bundle(blended, AS_OF, None)
    document = bundle.run.document
    pack = build_committee_pack(bundle)
    returns = {g.title: g for g in pack.headline}["Returns"]
    carry = {f.label: f for f in returns.figures}["Accrued carried interest"]
    assert carry.text == "£443k" and carry.note is not None and "net of it" in carry.note
    [page] = pack.waterfalls
    assert page.anchor in {s.anchor for s in pack.contents}
    # the classes' shares + accrued carry + undistributed = NAV
    waterfall = document["fund"]["waterfall"]
    shares = sum(Decimal(c["nav"]) for c in waterfall["classes"])
    total = shares + Decimal(waterfall["accrued_carry"]) + Decimal(waterfall["undistributed"])
    assert total == Decimal(document["fund"]["nav"])
    assert pack.government is not None
    [row] = pack.government.rows
    assert row[:3] == ("Department for Culture, Media and Sport (DCMS)", "BLF1", "J")


def test_the_statement_shows_the_structure_to_its_government_investor(blended: Engine) -> None:
    statement = build_statement(statement_bundle(blended, AS_OF), "DCMS", "shareholder")
    [section] = statement.sections
    assert section.structure is not None
    [row] = section.structure.rows
    government = statement_bundle(blended, AS_OF).run.document["pari_passu"]["government"][0]
    assert row[5] == f"−£{Decimal(government['difference']).copy_abs():,.2f}"
    assert section.lines is not None
    assert ("Carried interest", "£30,203.93") in section.lines.rows
    others = build_statement(statement_bundle(blended, AS_OF), "NGSB", "shareholder")
    assert others.sections[0].structure is None  # a bank: no cost-to-government table
