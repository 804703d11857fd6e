"""The market page appears when INDIGO data are loaded, beside the fund's own projects."""

from __future__ import annotations

from pathlib import Path

from passu.portfolio.market.store import import_market
from passu.portfolio.reporting import committee_bundle
from passu.reports.committee import build_committee_pack, render_committee_pack
from passu.reports.market import sector_of

from .builders import AS_OF
from .pdf import pdf_text
from .runs import reportable_portfolio

INDIGO = Path(__file__).resolve().parents[1] / "data" / "indigo_excerpt"


def test_policy_areas_map_to_indigo_sectors_by_keyword():
    assert sector_of("youth homelessness") == "homelessness"
    assert sector_of("Rough sleeping") == "homelessness"
    assert sector_of("family therapy") == "child and family welfare"
    assert sector_of("school-based support") == "education"
    assert sector_of("beekeeping") is None


def test_market_page_only_when_market_data_are_loaded(tmp_path, artefacts):
    engine = reportable_portfolio(tmp_path)
    without = build_committee_pack(committee_bundle(engine, AS_OF, None))
    assert without.market is None
    assert "market" not in [s.anchor for s in without.contents]

    import_market(engine, INDIGO, user="tester")
    pack = build_committee_pack(committee_bundle(engine, AS_OF, None))
    assert pack.market is not None
    sectors = [row[0] for row in pack.market.table.rows]
    # the market's sectors and the fund's own (Health, Education: none in the excerpt)
    assert {"Homelessness", "Child and family welfare", "Health", "Education"} <= set(sectors)
    path = artefacts / "committee-with-market.pdf"
    render_committee_pack(pack, path)
    text = pdf_text(path)
    assert "The fund against the market" in text
    assert "INDIGO Impact Bond Dataset" in text
