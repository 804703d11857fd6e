"""The committee pack's fair-value pages (reports/fair_value_pages.py), from a stored run's
``fair_value`` section written by hand here (the section's own figures are tested in
tests/valuation and tests/cli/test_marks_cli.py)."""

from __future__ import annotations

from typing import Any

from passu.reports.fair_value_pages import fair_value_pages, project_fair_value_figures


def band(p5: str, p25: str, p50: str, p75: str, p95: str) -> dict[str, str]:
    return {"p5": p5, "p25": p25, "p50": p50, "p75": p75, "p95": p95}


def a_document(with_section: bool = True) -> dict[str, Any]:
    section = {
        "as_of": "2014-12-31",
        "paths": 2000,
        "seed": 1,
        "projects": {
            "P1": {
                "value": "30000.00",
                "rate": 0.1,
                "rate_note": "calibrated at 2014-04-15 to £100,000.00 drawn",
                "performance_ratio": 1.05,
                "expected_payments": "42000.00",
                "expected_costs": "9000.00",
            }
        },
        "funds": {
            "F1": {
                "holdings": [
                    {
                        "project_id": "P1",
                        "tranche": "A",
                        "kind": "loan",
                        "proposed": "18000.00",
                        "current": "61000.00",
                        "difference": "-43000.00",
                        "rate": 0.1,
                        "note": None,
                    }
                ],
                "totals": {
                    "proposed": "18000.00",
                    "current": "61000.00",
                    "difference": "-43000.00",
                },
                "dispersion": 0.25,
                "dispersion_source": "from 3 completed contracts",
                "payments_to_come": band(
                    "30000.00", "36000.00", "42000.00", "48000.00", "60000.00"
                ),
                "payments_by_year": [
                    {
                        "year": 2015,
                        **band("30000.00", "36000.00", "42000.00", "48000.00", "60000.00"),
                    }
                ],
                "stakes": [
                    {
                        "date": "2014-12-31",
                        **band("9000.00", "15000.00", "18000.00", "21000.00", "27000.00"),
                    },
                    {"date": "2015-12-31", **band("0.00", "0.00", "0.00", "0.00", "0.00")},
                ],
                "nav": band("10000.00", "16000.00", "19000.00", "22000.00", "28000.00"),
                "less_than_paid_in": 0.25,
            }
        },
    }
    return {"fair_value": section} if with_section else {}


def test_a_page_per_fund_with_proposed_against_current_and_a_fan() -> None:
    (page,) = fair_value_pages(a_document(), {"F1": "Outcomes Fund I"})
    assert page.anchor == "fair-value-F1"
    assert page.title == "Fair value from expected outcomes: Outcomes Fund I"
    assert page.marks.rows == (
        ("P1", "A", "loan", "£61,000.00", "£18,000.00", "−£43,000.00", "10.0%"),
    )
    assert page.marks.total is not None and page.marks.total[3:6] == (
        "£61,000.00",
        "£18,000.00",
        "−£43,000.00",
    )
    figures = {f.label: f for f in page.figures}
    assert figures["Proposed marks"].text == "£18k"
    assert figures["Outcome payments to come (P50)"].note == "P5 £30k, P95 £60k"
    assert figures["Chance of returning less than paid-in"].text == "25.0%"
    assert page.chart is not None and page.chart.svg.startswith("<?xml")
    assert "P5–P95" in page.chart.svg  # the legend names the bands
    assert "2,000 paths, seed 1" in page.notes[0]


def test_an_active_project_shows_its_proposed_value_rate_and_performance() -> None:
    figures = {f.label: f.text for f in project_fair_value_figures(a_document(), "P1")}
    assert figures == {
        "Proposed value": "£30k",
        "Discount rate": "10.0%",
        "Performance ratio": "1.05x",
    }
    assert project_fair_value_figures(a_document(), "P2") == ()


def test_a_run_saved_without_the_section_has_no_such_pages() -> None:
    assert fair_value_pages(a_document(with_section=False), {}) == ()
    assert project_fair_value_figures(a_document(with_section=False), "P1") == ()
