"""The pack cache: the same PDF with and without it, and laid out afresh when anything
that decides a unit's pages changes (its data, a template, the renderer's version)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine

from passu.portfolio.reporting import committee_bundle
from passu.reports import committee, pack_cache, render
from passu.reports.committee import CommitteePack, build_committee_pack, pack_units
from passu.reports.committee import render_committee_pack as render_pack
from passu.reports.pack_cache import PackCache, unit_fingerprints
from passu.reports.parts import Part, Unit, render_part, split_part, unit_anchor
from passu.reports.render import SafeFetcher

from .builders import AS_OF, edit_csv
from .runs import reportable_portfolio


def _pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def _outline(path: Path) -> list[str]:
    def titles(items: list) -> list[str]:
        out = []
        for item in items:
            out += titles(item) if isinstance(item, list) else [item.title]
        return out

    return titles(PdfReader(path).outline)


@pytest.fixture(scope="module")
def warm(
    all_pack: tuple[CommitteePack, Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path, Path]:
    """The sample's pack rendered through an empty cache, then again through it warm."""
    pack, _plain = all_pack
    folder = tmp_path_factory.mktemp("pack-cache")
    cold, again = folder / "cold.pdf", folder / "warm.pdf"
    # the fund's sections, one unit per run of them that starts a page (headline and
    # forecast; charts; portfolio; ...), then one unit per project, then the methods
    units = len(pack_units(pack, SafeFetcher()))
    assert units > len(pack.projects) + 2
    first = PackCache(folder / "cache")
    render_pack(pack, cold, cache=first, jobs=2)
    assert (first.hits, first.misses) == (0, units)  # every unit laid out
    second = PackCache(folder / "cache")
    render_pack(pack, again, cache=second, jobs=2)
    assert (second.hits, second.misses) == (units, 0)  # all found
    return folder / "cache", cold, again


def test_the_pdf_reads_the_same_page_by_page_with_and_without_the_cache(all_pack, warm):
    _pack, plain = all_pack  # render_committee_pack: no cache involved
    _cache, cold, again = warm
    expected = _pages(plain)
    assert len(expected) > 20  # the sample's pack: opening, sections, a page or more a project
    assert _pages(cold) == expected
    assert _pages(again) == expected
    # the contents' links and the bookmarks are made for the whole document each time
    assert _outline(again) == _outline(plain)
    assert set(PdfReader(again).named_destinations) == set(PdfReader(plain).named_destinations)


def test_a_warm_pack_copies_shared_fonts_once_not_per_unit(all_pack, warm):
    _pack, plain = all_pack
    _cache, _cold, again = warm
    # Units rendered together share one cached PDF; were each unit its own PDF, every
    # project would carry the fonts again (about ten times the size, measured by hand).
    assert again.stat().st_size < 1.5 * plain.stat().st_size


def _edited_pack(directory: Path) -> CommitteePack:
    def new_coordinator(folder: Path) -> None:
        def change(rows: list[dict[str, str]]) -> None:
            for row in rows:
                if row["project_id"] == "CL-BRISTOL":
                    row["coordinator"] = "Harbourside Outcomes Ltd"

        edit_csv(folder, "projects", change)

    engine: Engine = reportable_portfolio(directory, edit=new_coordinator)
    try:
        return build_committee_pack(committee_bundle(engine, AS_OF, None))
    finally:
        engine.dispose()


def test_a_change_in_one_projects_data_lays_out_that_project_again(
    all_pack, warm, tmp_path_factory
):
    pack, _plain = all_pack
    cache_folder, _cold, _again = warm
    edited = _edited_pack(tmp_path_factory.mktemp("edited"))
    assert [p.anchor for p in edited.projects] == [p.anchor for p in pack.projects]
    units = pack_units(edited, SafeFetcher())
    prints = unit_fingerprints(units)
    found = PackCache(cache_folder).lookup(prints)
    reused = {unit_anchor(u) for u, fp in zip(units, prints, strict=True) if fp in found}
    project_anchors = [p.anchor for p in edited.projects]
    bristol = next(p.anchor for p in edited.projects if "Bristol" in p.title)
    # Every other project's page and the methods are as they were; Bristol's is not.
    assert reused >= {*project_anchors, "methods"} - {bristol}
    assert bristol not in reused
    out = tmp_path_factory.mktemp("edited-pdf") / "pack.pdf"
    cache = PackCache(cache_folder)
    render_pack(edited, out, cache=cache, jobs=2)
    assert cache.misses == len(units) - len(reused)
    assert "Harbourside Outcomes Ltd" in "".join(_pages(out))


def _fingerprints_found(pack: CommitteePack, cache_folder: Path) -> int:
    prints = unit_fingerprints(pack_units(pack, SafeFetcher()))
    return len(PackCache(cache_folder).lookup(prints))


@pytest.mark.parametrize(
    ("template", "change"),
    [
        ("report.css", "\nh2 { letter-spacing: 0.01em }\n"),  # the stylesheet
        ("committee_parts.html", "\n{# a comment: no change to the HTML made #}\n"),
    ],
)
def test_a_change_in_a_template_lays_out_every_unit_again(
    all_pack, warm, monkeypatch, template, change
):
    pack, _plain = all_pack
    cache_folder, _cold, _again = warm
    units = len(pack_units(pack, SafeFetcher()))
    assert _fingerprints_found(pack, cache_folder) == units
    original = render._template_source

    def edited(name: str) -> str:
        return original(name) + (change if name == template else "")

    monkeypatch.setattr(render, "_template_source", edited)
    assert _fingerprints_found(pack, cache_folder) == 0


def test_a_new_renderer_version_lays_out_every_unit_again(all_pack, warm, monkeypatch):
    pack, _plain = all_pack
    cache_folder, _cold, _again = warm
    assert _fingerprints_found(pack, cache_folder) == len(pack_units(pack, SafeFetcher()))
    monkeypatch.setattr(pack_cache, "RENDERER_VERSION", pack_cache.RENDERER_VERSION + 1)
    assert _fingerprints_found(pack, cache_folder) == 0


# Small documents: three units, each starting on a new page, the second two pages long.
_UNITS = [
    Unit(
        '<section id="first" style="break-before: page"><h2>First</h2><p>one</p></section>',
        frozenset(),
    ),
    Unit(
        '<section id="second" style="break-before: page"><h2>Second</h2><p>two</p>'
        '<p style="break-before: page">two, continued</p></section>',
        frozenset(),
    ),
    Unit(
        '<section id="third" style="break-before: page"><h2>Third</h2><p>three</p></section>',
        frozenset(),
    ),
]


def _together() -> Part:
    html = "<html><body>" + "".join(u.html for u in _UNITS) + "</body></html>"
    return Part(html, frozenset())


def test_a_part_is_cut_into_its_units_pages():
    rendered = render_part(_together())
    slices = split_part(rendered, _UNITS)
    assert slices is not None
    # pages 0 | 1, 2 | 3 of the part
    assert [(s.first, s.pages) for s in slices] == [(0, 1), (1, 2), (3, 1)]
    # each unit's anchor on its slice's first page; the second's page 2 has none
    assert slices[0].anchors["first"][0] == 0
    assert slices[1].anchors["second"][0] == 0 and slices[2].anchors["third"][0] == 0
    assert all(s.pdf is rendered.pdf for s in slices)  # one PDF, shared


def test_a_part_without_an_anchor_per_unit_is_not_cut():
    rendered = render_part(_together())
    unnamed = Unit("<section><p>no id</p></section>", frozenset())
    assert split_part(rendered, [_UNITS[0], unnamed, _UNITS[2]]) is None
    assert split_part(rendered, [_UNITS[1], _UNITS[0], _UNITS[2]]) is None  # out of order


def test_a_damaged_cache_file_is_ignored_removed_and_written_again(tmp_path):
    rendered = render_part(_together())
    slices = split_part(rendered, _UNITS)
    assert slices is not None
    entries = [(f"fp{i}", s) for i, s in enumerate(slices)]
    cache = PackCache(tmp_path)
    cache.store(entries)
    (stored,) = (tmp_path / "parts").glob("*.part")
    found = PackCache(tmp_path).lookup(["fp1"])
    assert found["fp1"].pages == 2 and found["fp1"].first == 1
    assert found["fp1"].anchors["second"][0] == 0
    data = bytearray(stored.read_bytes())
    data[-100] ^= 0xFF  # one byte of the PDF flipped: its checksum no longer matches
    stored.write_bytes(bytes(data))
    assert PackCache(tmp_path).lookup(["fp0", "fp1", "fp2"]) == {}
    assert not stored.exists()
    (tmp_path / "parts" / "truncated.part").write_bytes(b"passu-pack-part 1\n\x00\x00")
    cache = PackCache(tmp_path)
    assert cache.lookup(["fp0"]) == {} and cache.misses == 1
    cache.store(entries)
    assert set(PackCache(tmp_path).lookup(["fp0", "fp2"])) == {"fp0", "fp2"}
    assert [p.name for p in (tmp_path / "parts").iterdir() if p.name.startswith(".tmp")] == []


def test_files_no_recent_pack_used_are_deleted(tmp_path):
    rendered = render_part(_together())
    slices = split_part(rendered, _UNITS)
    assert slices is not None

    def pack(fingerprints: list[str], store: list[int]) -> PackCache:
        cache = PackCache(tmp_path, keep_packs=2)
        cache.lookup(fingerprints)
        cache.store([(f"fp{i}", slices[i]) for i in store])
        cache.finish()
        return cache

    pack(["fp0"], [0])  # pack 1 writes file A (unit 0)
    pack(["fp1"], [1])  # pack 2 writes file B (unit 1)
    old = {p.name for p in (tmp_path / "parts").glob("*.part")}
    assert len(old) == 2
    for path in (tmp_path / "parts").glob("*.part"):
        os.utime(path, (1, 1))  # written long before the next pack began
    pack(["fp1"], [])  # pack 3 uses B only: A was used by pack 1, not among the last 2
    left = PackCache(tmp_path)
    assert set(left.lookup(["fp0", "fp1"])) == {"fp1"}
    assert len(list((tmp_path / "packs").glob("*.json"))) == 2


def _openings_laid_out(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the layouts this process does (the opening's; the workers do the rest)."""
    calls: list[int] = []
    real = committee.render_part

    def counted(part: Part, **kwargs: bool) -> object:
        calls.append(1)
        return real(part, **kwargs)

    monkeypatch.setattr(committee, "render_part", counted)
    return calls


def test_the_contents_numbers_of_the_last_pack_spare_a_second_opening(
    all_pack, warm, tmp_path, monkeypatch
):
    pack, plain = all_pack
    cache_folder, _cold, _again = warm
    folder = tmp_path / "cache"
    shutil.copytree(cache_folder, folder)
    calls = _openings_laid_out(monkeypatch)
    guessed = tmp_path / "guessed.pdf"
    render_pack(pack, guessed, cache=PackCache(folder), jobs=2)
    assert len(calls) == 1  # laid out once, with the numbers it needed
    assert _pages(guessed) == _pages(plain)

    # a guess that is wrong (every entry a page later) is laid out again, rightly numbered
    record = max((folder / "packs").glob("*.json"))
    saved = json.loads(record.read_text(encoding="utf-8"))
    saved["contents"] = {k: str(int(v) + 1) for k, v in saved["contents"].items()}
    record.write_text(json.dumps(saved), encoding="utf-8")
    calls.clear()
    wrong = tmp_path / "wrong.pdf"
    render_pack(pack, wrong, cache=PackCache(folder), jobs=2)
    assert len(calls) == 2
    assert _pages(wrong) == _pages(plain)


def test_the_guess_comes_from_a_pack_with_the_same_entries(tmp_path):
    cache = PackCache(tmp_path)
    cache.finish({"headline": "3", "portfolio": "5"})
    other = PackCache(tmp_path)
    other.finish({"headline": "3"})  # a later pack of other entries (a fund-level pack)
    assert PackCache(tmp_path).last_contents(["portfolio", "headline"]) == {
        "headline": "3",
        "portfolio": "5",
    }
    assert PackCache(tmp_path).last_contents(["headline", "methods"]) is None
