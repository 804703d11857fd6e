"""The pack's waterfall page (reports/waterfall_page.py) from a hand-written run document."""

from __future__ import annotations

from typing import Any

from passu.reports.formatting import basis_points
from passu.reports.render import template_macros
from passu.reports.waterfall_page import government_table, waterfall_views


def tiers(**amounts: tuple[str, str]) -> dict[str, dict[str, str]]:
    names = ("return_of_capital", "preferred_return", "catch_up", "carried_interest", "residual")
    return {
        t: dict(zip(("to_date", "at_liquidation"), amounts.get(t, ("0.00", "0.00")), strict=True))
        for t in names
    }


# A senior class S (rank 1, 5%, capped 1.2x) over a junior J paying 20% carry: S had
# 800,000 + 40,000 to date and 120,000 more at liquidation; J 60,000 capital to date and,
# at liquidation, 200,000 capital, 88,000 carried interest and 352,000 residual.
WATERFALL: dict[str, Any] = {
    "style": "european",
    "carry_holder": "MGR",
    "hurdle": 0.0,
    "catch_up": 0.0,
    "carry": 0.2,
    "nav": "700000.00",
    "carry_paid": "0.00",
    "carry_to_date": "0.00",
    "carry_at_liquidation": "88000.00",
    "accrued_carry": "88000.00",
    "clawback": "0.00",
    "undistributed": "0.00",
    "classes": [
        {
            "share_class": "S", "rank": 1, "preferred_return": 0.05, "return_cap": 1.2,
            "pays_carry": False, "contributed": "800000.00", "received": "840000.00",
            "nav": "120000.00", "carry_to_date": "0.00", "carry_at_liquidation": "0.00",
            "tiers": tiers(
                return_of_capital=("800000.00", "800000.00"),
                preferred_return=("40000.00", "40000.00"),
                residual=("0.00", "120000.00"),
            ),
        },
        {
            "share_class": "J", "rank": 2, "preferred_return": 0.0, "return_cap": None,
            "pays_carry": True, "contributed": "200000.00", "received": "60000.00",
            "nav": "492000.00", "carry_to_date": "0.00", "carry_at_liquidation": "88000.00",
            "tiers": tiers(
                return_of_capital=("60000.00", "200000.00"),
                carried_interest=("0.00", "88000.00"),
                residual=("0.00", "352000.00"),
            ),
        },
    ],
    "investors": [],
}  # fmt: skip


def a_document(**fund: Any) -> dict[str, Any]:
    return {"scope": "F1", "fund": {"fund_id": "F1", **fund}, "funds": []}


def test_a_fund_without_terms_has_no_page() -> None:
    assert waterfall_views(a_document()) == ()
    assert waterfall_views(a_document(waterfall=None)) == ()


def test_tiers_to_date_and_at_liquidation_per_class() -> None:
    [view] = waterfall_views(a_document(waterfall=WATERFALL, accrued_carry="88000.00"))
    assert view.anchor == "waterfall-F1"
    # Tiers with nothing in either column are left out.
    assert view.tiers.rows == (
        ("S", "Return of capital", "£800k", "£800k"),
        ("S", "Preferred return", "£40k", "£40k"),
        ("S", "Residual", "£0", "£120k"),
        ("J", "Return of capital", "£60k", "£200k"),
        ("J", "Carried interest", "£0", "£88k"),
        ("J", "Residual", "£0", "£352k"),
    )
    # To date 800,000 + 40,000 + 60,000 = 900,000 (what was distributed); at liquidation
    # 960,000 + 640,000 = 1,600,000 = 900,000 + the 700,000 NAV.
    assert view.tiers.total == ("Total", "", "£900k", "£1.6m")
    terms, carry = view.terms
    assert [(f.label, f.text) for f in carry.figures][:3] == [
        ("Paid to date", "£0"),
        ("The waterfall gives to date", "£0"),
        ("Accrued at NAV", "£88k"),
    ]
    texts = {f.label: f.text for f in terms.figures}
    assert texts["Carried interest"] == "20.0%"
    assert texts["Class S (rank 1)"] == "preferred return 5.0%, cap 1.20x"
    assert texts["Class J (rank 2)"] == "preferred return 0.0%, cap none, pays carry"
    assert view.chart is not None and view.chart.svg.lstrip().startswith("<?xml")


def test_all_scope_has_a_page_per_fund_with_terms() -> None:
    document = {
        "scope": "ALL",
        "fund": {"fund_id": "ALL"},
        "funds": [{"fund_id": "F1"}, {"fund_id": "F/2", "waterfall": WATERFALL}],
    }
    [view] = waterfall_views(document)
    assert (view.fund_id, view.anchor) == ("F/2", "waterfall-F-2")


def test_the_macro_places_the_page() -> None:
    views = waterfall_views(a_document(waterfall=WATERFALL))
    html = str(template_macros("waterfall_parts.html").waterfall_pages(views, lambda svg: "x"))
    assert 'id="waterfall-F1"' in html
    assert "Waterfall: F1" in html
    assert "£352k" in html


# test_structure_run.py's junior government investor: 552,000 received and held against
# 320,000 pro rata, a benefit of 232,000; IRR 28.3% against 40% pro rata.
GOVERNMENT = {
    "investor_id": "GOV",
    "fund_id": "F1",
    "share_class": "J",
    "actual_value": "552000.00",
    "pro_rata_value": "320000.00",
    "difference": "232000.00",
    "irr": 0.2834,
    "pro_rata_irr": 0.4,
    "difference_bps": -1166.0,
}


def test_the_cost_to_government_table() -> None:
    document = {**a_document(), "pari_passu": {"government": [GOVERNMENT]}}
    table = government_table(document, {"GOV": "Department"})
    assert table is not None
    assert table.rows == (
        ("Department (GOV)", "F1", "J", "£552,000.00", "£320,000.00", "£232,000.00",
         "28.34%", "40.00%", basis_points(-1166.0)),
    )  # fmt: skip
    # on the investor's statement, its own row only, in full pounds
    own = government_table(document, {"GOV": "Department"}, account=("GOV", "F1", "J"))
    assert own is not None and own.rows[0][3:6] == ("£552,000.00", "£320,000.00", "£232,000.00")
    assert government_table(document, {}, account=("GOV", "F1", "S")) is None
    # a run without terms has no table
    assert government_table({**a_document(), "pari_passu": {"ok": True}}, {}) is None
