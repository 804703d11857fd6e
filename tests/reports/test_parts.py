"""The pack rendered in parts and joined: page numbers, contents, links, bookmarks, workers."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pikepdf
import pytest

from passu.portfolio.reporting import committee_bundle
from passu.reports import parts
from passu.reports.assemble import page_numbers
from passu.reports.committee import build_committee_pack, render_committee_pack
from passu.reports.parts import (
    Part,
    PartRenderer,
    RenderedPart,
    RenderProcessLost,
    Unit,
    group_units,
)
from passu.reports.render import RefusedURL

from .builders import AS_OF
from .pdf import pdf_text, squashed


def _unit(length: int) -> Unit:
    return Unit("x" * length, frozenset())


def _lengths(runs: list[list[Unit]]) -> list[list[int]]:
    return [[len(u.html) for u in run] for run in runs]


def test_units_are_shared_out_in_order_by_length_of_markup():
    equal = [_unit(10)] * 4
    assert _lengths(group_units(equal, 2)) == [[10, 10], [10, 10]]
    # a long first unit (the fund's sections) is a run of its own
    assert _lengths(group_units([_unit(30), *equal[:3]], 2)) == [[30], [10, 10, 10]]
    # more runs asked for than units: one unit each, never an empty run
    assert _lengths(group_units(equal[:3], 5)) == [[10], [10], [10]]
    assert _lengths(group_units(equal, 1)) == [[10, 10, 10, 10]]


def test_embedded_charts_weigh_less_than_markup():
    # 1,000 characters of markup, 400 of them one chart's data: URI, weigh
    # 600 + 15% of 400 = 660: a byte of chart costs little layout next to a table cell
    uri = "data:image/svg+xml;base64," + "A" * 374
    unit = Unit("<p>" + "x" * 593 + "</p>" + uri, frozenset({uri}))
    assert (len(unit.html), len(uri)) == (1000, 400)
    assert unit.weight == pytest.approx(660)
    # so pages with charts are shared out as lighter than their length: by length the
    # first run would take one of them too (2,640 + 500 is short of half of 6,640)
    light = [unit] * 4
    assert _lengths(group_units([_unit(2640), *light], 2)) == [[2640], [1000] * 4]


def _part(pages: int, anchors: dict[str, int]) -> RenderedPart:
    return RenderedPart(
        pdf=b"",
        sizes=((794.0, 1123.0),) * pages,
        anchors={name: (page, 0.0, 0.0) for name, page in anchors.items()},
        links=(),
        bookmarks=(),
        requested=(),
    )


def test_anchor_page_numbers_count_the_parts_before():
    parts = [
        _part(2, {"cover": 0, "contents": 1}),
        _part(3, {"headline": 0, "portfolio": 2}),
        _part(1, {"methods": 0, "headline": 0}),  # a repeated anchor: its first place counts
    ]
    assert page_numbers(parts) == {
        "cover": 1,
        "contents": 2,
        "headline": 3,
        "portfolio": 5,
        "methods": 6,
    }


def _pages(path: Path) -> list[str]:
    return pdf_text(path).split("\f")


def test_every_page_is_numbered_in_order_of_the_whole(all_pack):
    _pack, path = all_pack
    pages = _pages(path)
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
    # the running footer and header come from the furniture on every page but the cover's
    assert all("passu · All funds" in text for text in pages)
    # the cover has its own notice, not the running header's (nor hidden copies of it)
    assert pages[0].count("Illustrative data") == 1
    assert pages[0].count("passu · All funds") == 1
    assert all("Illustrative data" in text for text in pages[1:])


def _contents(pages: list[str]) -> dict[str, int]:
    """The contents list as printed: title -> page number."""
    lines = [line for text in pages[1:4] for line in text.splitlines()]
    entries = {}
    for line in lines:
        match = re.fullmatch(r"(.+?)\s+(\d+)", line.strip())
        if match and not match.group(1).startswith(("Page ", "passu ")):
            entries[match.group(1)] = int(match.group(2))
    return entries


def test_contents_numbers_point_at_the_pages_their_sections_start_on(all_pack):
    pack, path = all_pack
    pages = _pages(path)
    printed = _contents(pages)
    numbers = [printed[section.title] for section in pack.contents]
    assert numbers == sorted(numbers)
    assert numbers[-1] < len(pages)
    for section, number in zip(pack.contents, numbers, strict=True):
        assert squashed(section.title) in squashed(pages[number - 1])


def test_contents_links_and_bookmarks_go_to_the_sections(all_pack):
    pack, path = all_pack
    pages = _pages(path)
    with pikepdf.open(path) as pdf:
        index = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        destinations = pikepdf.NameTree(pdf.Root.Names.Dests)
        links = [
            annotation
            for page in pdf.pages[1:4]
            for annotation in page.obj.get("/Annots", [])
            if annotation.get("/Subtype") == "/Link"
        ]
        linked = {str(link.Dest) for link in links}
        assert {s.anchor for s in pack.contents} <= linked
        for section in pack.contents:
            target = index[destinations[section.anchor][0].objgen]
            assert squashed(section.title) in squashed(pages[target])
        with pdf.open_outline() as outline:
            top = {item.title: item for item in outline.root}
            for title in ("Contents", "Headline figures", "Portfolio", "Methods and sources"):
                destination = top[title].destination
                assert squashed(title) in squashed(pages[index[destination[0].objgen]])
            projects = [p.title for p in pack.projects]
            assert [t for t in top if t in projects] == projects


def test_the_landscape_portfolio_keeps_its_size_and_its_furniture(all_pack):
    _pack, path = all_pack
    pages = _pages(path)
    with pikepdf.open(path) as pdf:
        sizes = [tuple(float(v) for v in page.mediabox[2:]) for page in pdf.pages]
    portfolio = next(n for n, text in enumerate(pages) if text.lstrip().startswith("Portfolio"))
    width, height = sizes[portfolio]
    assert width > height  # A4 landscape
    assert sizes[0][0] < sizes[0][1]
    assert f"Page {portfolio + 1} of {len(pages)}" in pages[portfolio]


def test_one_process_or_several_render_the_same_pages(sample_engine, artefacts):
    pack = build_committee_pack(committee_bundle(sample_engine, AS_OF, "SOF1"))
    texts = {}
    for jobs in (1, 3):  # three workers cut the pack at other places than the default two
        path = artefacts / f"committee-SOF1-jobs{jobs}.pdf"
        render_committee_pack(pack, path, jobs=jobs)
        texts[jobs] = _pages(path)
    assert len(texts[1]) > 15
    assert texts[1] == texts[3]
    total = len(texts[3])
    for number, text in enumerate(texts[3], start=1):
        assert f"Page {number} of {total}" in text


@pytest.mark.parametrize("jobs", [1, 2])
def test_workers_fetch_only_what_passu_wrote(jobs):
    # markup that slipped past escaping would still reach nothing from a worker process
    local = Part('<p>x</p><img src="file:///etc/hostname">', frozenset())
    forged = Part('<img src="data:image/svg+xml;base64,PHN2Zy8+">', frozenset())
    for part in (local, forged):
        with pytest.raises(RefusedURL), PartRenderer(jobs) as renderer:
            renderer.start([part])()


def _killed(_part: Part) -> RenderedPart:
    os._exit(9)  # as the kernel's out-of-memory killer would leave it


def test_a_lost_worker_is_one_line_and_no_pack(monkeypatch, sample_engine, tmp_path):
    monkeypatch.setattr(parts, "render_part", _killed)
    pack = build_committee_pack(committee_bundle(sample_engine, AS_OF, "SOF1"))
    path = tmp_path / "pack.pdf"
    with pytest.raises(RenderProcessLost, match="nothing was written"):
        render_committee_pack(pack, path, jobs=2)
    assert not path.exists()


def _children(pid: int) -> set[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return set()
    return {int(child) for child in text.split()}


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits to be read


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGKILL"])
def test_render_workers_end_with_their_parent(signal_name, sample_engine, tmp_path):
    """No orphans: kill `passu report committee` mid-render and its workers end too."""
    import signal
    import subprocess
    import sys
    import time

    command = [
        sys.executable, "-m", "passu", "--database", str(sample_engine.url), "--quiet",
        "report", "committee", "--as-of", AS_OF.isoformat(), "--jobs", "2",
        "-o", str(tmp_path / "pack.pdf"),
    ]  # fmt: skip
    parent = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        workers: set[int] = set()
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline and parent.poll() is None:
            workers = _children(parent.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, "the render workers never started"
        parent.send_signal(getattr(signal, signal_name))
        parent.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [w for w in workers if _alive(w)], "render workers outlived their parent"
    finally:
        for pid in [parent.pid, *workers]:
            if _alive(pid):
                os.kill(pid, 9)
        parent.wait(timeout=10)
    assert not (tmp_path / "pack.pdf").exists()
