"""The committee pack's project economics and its innovations and claims page, read from the PDF.

FT-LONDON is the sample's copy of the published family-therapy example: its
page must show the seed's stack at the seed's rounding (£4.5m delivery, £1.8m
innovations, £6.3m expenditure, £0.3m financing, £6.6m to government, 410
families at about £16k each).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from passu.portfolio.reporting import committee_bundle
from passu.portfolio.store.runs import get_run
from passu.reports.committee import CommitteePack, build_committee_pack, render_committee_pack
from passu.reports.formatting import count, days, money_short, percent

from .builders import AS_OF, edit_csv
from .pdf import pdf_text, squashed
from .runs import reportable_portfolio

COSTLESS = "YH-WMID"  # a SOF1 project with no innovations: its cost rows are dropped
HOSTILE_LINKS = ("file:///etc/passwd", "https://evaluations.example.invalid/report.pdf")


def _pages_of(path: Path) -> list[str]:
    return pdf_text(path).split("\f")


def _section(pages: list[str], title: str, next_title: str | None) -> str:
    """The text of a section: from the page its heading opens to the page before the next's."""
    starts = [i for i, page in enumerate(pages) if squashed(page).startswith(squashed(title))]
    assert starts, f"no page opens with {title!r}"
    end = len(pages)
    if next_title is not None:
        end = next(
            i
            for i, page in enumerate(pages)
            if i > starts[0] and squashed(page).startswith(squashed(next_title))
        )
    return "\n".join(pages[starts[0] : end])


def _project_text(pack: CommitteePack, path: Path, project_id: str) -> str:
    titles = [p.title for p in pack.projects]
    index = next(i for i, t in enumerate(titles) if t.endswith(f"({project_id})"))
    following = titles[index + 1] if index + 1 < len(titles) else "Methods and sources"
    return _section(_pages_of(path), titles[index], following)


def test_ft_london_shows_the_seed_stack_at_the_seed_rounding(all_pack):
    pack, path = all_pack
    text = squashed(_project_text(pack, path, "FT-LONDON"))
    for line in (
        "Delivery£4.5m",
        "Innovations£1.8m",
        "Projectexpenditure£6.3m",
        "Costoffinancing(whattheholdersearned)£0.3m",
        "Costtogovernment(outcomepayments)£6.6m",
        "Beneficiaries(participants)410",
        "Costperbeneficiary£16k",  # £6.6m ÷ 410 families = £16,097.56
    ):
        assert line in text
    # the register lists the six innovations at bid and the seven added in delivery
    assert all(f"FTL-I{n:02d}" in text for n in range(1, 14))
    assert "13innovations£1.8m£1.8m" in text  # estimated and actual both £1.8m in all
    # the what-if is drawn, and its assumption stated in the caption
    assert "Withouttheinnovationspending" in text
    assert "productivityincreaseof80%" in text
    # evaluations: date, evaluator, kind and summary
    assert "31Mar2021OutcomesEconomicsLtdEconomicCostperfamilyofabout£16k" in text


def test_claims_pipeline_is_the_runs_claims_section_as_the_pack_formats_it(sample_engine, all_pack):
    _pack, path = all_pack
    claims = get_run(sample_engine, AS_OF, "ALL").document["claims"]
    page = _section(_pages_of(path), "Innovations and outcome claims", "NAV bridge")
    block = squashed(page[page.index("Outcome claims pipeline") :])
    expected = [
        count(claims["claims"]),
        money_short(claims["claimed"]),
        money_short(claims["verified"]),
        money_short(claims["rejected"]),
        money_short(claims["paid"]),
        money_short(claims["outstanding_unverified"]),
        money_short(claims["outstanding_unpaid"]),
        percent(claims["verification_rate"]),
        days(claims["median_days_to_verify"]),
        days(claims["median_days_to_pay"]),
    ]
    assert [squashed(v) for v in expected if squashed(v) not in block] == []
    for label in ("Claimed", "Verified", "Rejected", "Paid", "Awaitingverification"):
        assert label in block
    # the ageing's totals are what is outstanding: every waiting claim is in one bucket
    for bucket in ("0-30days", "31-60days", "61-90days", "over90days"):
        assert bucket in block
    total = block[block.rindex("Total") :]  # the ageing's total row, the block's last
    assert total.index(money_short(claims["outstanding_unverified"])) < total.index(
        money_short(claims["outstanding_unpaid"])
    )


def test_project_by_theme_matrix_sits_beside_outcomes(all_pack):
    _pack, path = all_pack
    page = squashed(_section(_pages_of(path), "Innovations and outcome claims", "NAV bridge"))
    # FT-LONDON's row: its spending by theme, then 930 achieved against 844 forecast
    row = page[page.index("FT-LONDON") :]
    assert row.index("£380k") < row.index("930844110%")


@pytest.fixture(scope="module")
def costless_pack(tmp_path_factory, artefacts):
    """SOF1's pack with one project's cost rows dropped and hostile evaluation links."""

    def drop_costs(rows: list[dict[str, str]]) -> None:
        rows[:] = [r for r in rows if r["project_id"] != COSTLESS]

    def add_evaluations(rows: list[dict[str, str]]) -> None:
        rows.extend(
            {
                "project_id": COSTLESS,
                "date": f"2022-0{n + 1}-28",
                "evaluator": f"Evaluator {n}",
                "kind": "impact",
                "summary": "A link the renderer must never open",
                "link": link,
            }
            for n, link in enumerate(HOSTILE_LINKS)
        )

    def edit(folder: Path) -> None:
        edit_csv(folder, "project_costs", drop_costs)
        edit_csv(folder, "evaluations", add_evaluations)

    engine = reportable_portfolio(tmp_path_factory.mktemp("costless"), edit=edit, scopes=("SOF1",))
    pack = build_committee_pack(committee_bundle(engine, AS_OF, "SOF1"))
    path = artefacts / "committee-SOF1-no-costs.pdf"
    fetcher = render_committee_pack(pack, path)
    return pack, path, fetcher


def test_a_project_without_costs_says_so_never_zeros(costless_pack):
    pack, path, _fetcher = costless_pack
    text = squashed(_project_text(pack, path, COSTLESS))
    assert "Projectexpenditurenocostsrecorded" in text
    assert "Nocostsrecordedforthisproject" in text
    assert "Delivery£" not in text and "Unexplained(surplusordatagap)–" in text
    # what is known still shows: the outcome payments and the holders' return
    assert "Costtogovernment(outcomepayments)£" in text


def test_evaluation_links_are_printed_never_fetched(costless_pack):
    pack, path, fetcher = costless_pack
    text = squashed(_project_text(pack, path, COSTLESS))
    for link in HOSTILE_LINKS:
        assert squashed(link) in text
        assert not any(link in url for url in fetcher.requested)
    assert all(url.startswith(("data:", "file:")) for url in fetcher.requested)
    assert not any("etc/passwd" in url for url in fetcher.requested)


def test_new_pages_as_png_to_look_at(all_pack, artefacts):
    """FT-LONDON's pages and the innovations and claims page, as PNG in test-artefacts/."""
    pack, path = all_pack
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler) is not installed")
    pages = _pages_of(path)
    wanted = {
        "pipeline": "Innovations and outcome claims",
        "ft-london": next(p.title for p in pack.projects if p.title.endswith("(FT-LONDON)")),
    }
    for name, title in wanted.items():
        first = next(i for i, p in enumerate(pages) if squashed(p).startswith(squashed(title)))
        prefix = artefacts / f"committee-economics-{name}"
        subprocess.run(
            ["pdftoppm", "-r", "70", "-png", "-f", str(first + 1), "-l", str(first + 3),
             str(path), str(prefix)],
            check=True,
        )  # fmt: skip
        assert list(artefacts.glob(f"{prefix.name}-*.png"))
