"""Render a long report as several HTML documents at once, one process per CPU.

WeasyPrint lays out about nine A4 pages a second on one core, and a pack of 200
projects has over 400 pages. The pack breaks into parts at its own page breaks
(the opening, the fund's sections, runs of project pages, methods), so each part
lays out exactly as it would inside the whole document; the parts render in a
process pool and :mod:`passu.reports.assemble` joins them.

What needs the whole document is left out of the parts and added afterwards:
page numbers (the page furniture is a separate document overlaid on every page),
the contents' page numbers (the opening is rendered again once the other parts'
page counts are known), and links and bookmarks that cross parts (each part
reports its anchors, links and bookmarks, in CSS pixels, for the assembly).
"""

from __future__ import annotations

import multiprocessing
import os
import re
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from html import unescape

import weasyprint

from passu.portfolio.errors import PassuError

from .render import SafeFetcher, base_url, report_css


class RenderProcessLost(PassuError):
    """A render worker died (killed, out of memory): the pack is not written."""

    exit_code = 1


# The margin boxes (running header, footer, page numbers) come from the furniture
# document, which knows the page count; a part's own pages leave the margins blank.
_NO_MARGIN_BOXES = """
@page { @top-left { content: none } @top-right { content: none }
        @bottom-left { content: none } @bottom-right { content: none } }
"""


@dataclass(frozen=True)
class Link:
    page: int  # index within the part
    target: str  # an anchor name, perhaps in another part
    rect: tuple[float, float, float, float]  # x1, y1, x2, y2 in CSS px from the top left


@dataclass(frozen=True)
class Bookmark:
    page: int
    level: int
    label: str
    x: float
    y: float


@dataclass(frozen=True)
class RenderedPart:
    """Laid-out pages: ``pdf``'s pages from ``first`` on, one per entry of ``sizes``.

    A part rendered on its own starts at page 0 of its own PDF; a unit sliced out of
    a part (:func:`split_part`) shares that part's PDF, so the assembly copies the
    fonts the slices have in common once.
    """

    pdf: bytes
    sizes: tuple[tuple[float, float], ...]  # each page's width and height, CSS px
    anchors: dict[str, tuple[int, float, float]]  # name -> (page, x, y), first occurrence
    links: tuple[Link, ...]  # internal links whose anchor lies in another part
    bookmarks: tuple[Bookmark, ...]
    requested: tuple[str, ...]  # every URL WeasyPrint asked the fetcher for
    first: int = 0  # the index in ``pdf`` of this part's first page

    @property
    def pages(self) -> int:
        return len(self.sizes)


@dataclass(frozen=True)
class Part:
    """One document to render: its HTML and the data: URIs passu wrote into it."""

    html: str
    allowed_data: frozenset[str]
    margin_boxes: bool = False  # only the furniture document draws them


# What a byte of an embedded chart (a base64 data: URI) costs to lay out and draw,
# against a byte of markup: measured on the committee pack (sections and project
# pages alike come to about 30 ms a kilobyte on this machine when weighed so).
_CHART_BYTE = 0.15


@dataclass(frozen=True)
class Unit:
    """A run of markup that starts on a new page: parts are made of whole units."""

    html: str
    allowed_data: frozenset[str]

    @property
    def weight(self) -> float:
        """Layout work, roughly: markup with its embedded charts counted at a discount."""
        charts = sum(len(uri) for uri in self.allowed_data)
        return len(self.html) - (1 - _CHART_BYTE) * charts


_FIRST_ID = re.compile(r"""<[a-zA-Z][^>]*?\sid=["']([^"']+)["']""")


def unit_anchor(unit: Unit) -> str | None:
    """The id of the unit's first element that has one: where its first page starts."""
    found = _FIRST_ID.search(unit.html)
    return unescape(found.group(1)) if found else None


def split_part(part: RenderedPart, units: Sequence[Unit]) -> list[RenderedPart] | None:
    """``part`` (``units`` rendered together) as one slice per unit, or None if it cannot
    be cut.

    Each unit starts on a new page, so unit k's pages run from the page of its first
    anchor to the page before unit k+1's. The slices share ``part.pdf``; anchors, links
    and bookmarks are renumbered from each slice's first page. Without an anchor per
    unit, in order and one unit at least a page, the part cannot be cut (None).
    """
    starts = []
    for unit in units:
        anchor = unit_anchor(unit)
        if anchor is None or anchor not in part.anchors:
            return None
        starts.append(part.anchors[anchor][0])
    ends = [*starts[1:], part.pages]
    if not starts or starts[0] != 0 or any(a >= b for a, b in zip(starts, ends, strict=True)):
        return None
    slices = []
    for number, (start, end) in enumerate(zip(starts, ends, strict=True)):
        slices.append(
            RenderedPart(
                pdf=part.pdf,
                sizes=part.sizes[start:end],
                anchors={
                    name: (page - start, x, y)
                    for name, (page, x, y) in part.anchors.items()
                    if start <= page < end
                },
                links=tuple(
                    replace(link, page=link.page - start)
                    for link in part.links
                    if start <= link.page < end
                ),
                bookmarks=tuple(
                    replace(mark, page=mark.page - start)
                    for mark in part.bookmarks
                    if start <= mark.page < end
                ),
                requested=part.requested if number == 0 else (),
                first=part.first + start,
            )
        )
    return slices


def group_units(units: Sequence[Unit], count: int) -> list[list[Unit]]:
    """``units`` in at most ``count`` runs, in order, of nearly equal weight.

    Each part is laid out in its own process, so the pack takes as long as its
    heaviest part: a run is cut where the running weight passes the next equal share.
    """
    total = sum(u.weight for u in units) or 1.0
    runs: list[list[Unit]] = [[]]
    done = 0.0
    for unit in units:
        share = total * len(runs) / count
        if runs[-1] and done + unit.weight / 2 > share and len(runs) < count:
            runs.append([])
        runs[-1].append(unit)
        done += unit.weight
    return runs


def render_part(part: Part, *, write: bool = True) -> RenderedPart:
    """Lay out one part and (if ``write``) write its PDF, in a worker or in this process."""
    fetcher = SafeFetcher()
    fetcher.allowed_data.update(part.allowed_data)
    stylesheets = [report_css(fetcher)]
    if not part.margin_boxes:
        stylesheets.append(weasyprint.CSS(string=_NO_MARGIN_BOXES))
    html = weasyprint.HTML(string=part.html, base_url=base_url(), url_fetcher=fetcher)
    document = html.render(stylesheets=stylesheets)
    anchors: dict[str, tuple[int, float, float]] = {}
    for number, page in enumerate(document.pages):
        for name, (x, y, _x2, _y2) in page.anchors.items():
            anchors.setdefault(name, (number, x, y))
    links, bookmarks = [], []
    for number, page in enumerate(document.pages):
        kept = []
        for link in page.links:
            kind, target, rect, _box = link
            if kind == "internal" and target not in anchors:
                # WeasyPrint would drop it with an error; the assembly links it instead
                links.append(Link(number, target, tuple(rect)))
            else:
                kept.append(link)
        page.links[:] = kept
        bookmarks += [
            Bookmark(number, level, label, x, y) for level, label, (x, y), _s in page.bookmarks
        ]
    return RenderedPart(
        pdf=document.write_pdf() if write else b"",
        sizes=tuple((page.width, page.height) for page in document.pages),
        anchors=anchors,
        links=tuple(links),
        bookmarks=tuple(bookmarks),
        requested=tuple(fetcher.requested),
    )


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


# Beyond this, parts get so short that each one's fixed cost (fonts, styles) outweighs
# the layout it saves; --jobs can ask for more, up to the CPUs there are.
DEFAULT_JOBS_AT_MOST = 8

_PR_SET_PDEATHSIG = 1  # prctl(2), linux/prctl.h


def _die_with_parent(parent: int) -> None:
    """A render worker's initialiser: the worker ends when the process that started it does.

    However the parent ends (SIGTERM, SIGKILL, a crash), the kernel sends the worker
    SIGKILL (Linux's parent-death signal), so no worker is left rendering for nobody.
    Elsewhere the worker checks its parent once here; the pool's own shutdown covers
    the rest.
    """
    if sys.platform == "linux":
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent ended before the line above took effect
        os._exit(1)


class PartRenderer:
    """Renders parts in ``jobs`` worker processes; with ``jobs=1``, in this process."""

    def __init__(self, jobs: int | None = None) -> None:
        default = min(available_cpus(), DEFAULT_JOBS_AT_MOST)
        # `passu report committee --jobs` is capped at the CPUs there are (cli/); a
        # caller here may ask for more, as the tests do to cut the pack elsewhere
        self.jobs = max(1, jobs if jobs is not None else default)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> PartRenderer:
        if self.jobs > 1:
            # fork on Linux: the workers start with WeasyPrint and its fonts already loaded
            method = "fork" if sys.platform == "linux" else "spawn"
            self._pool = ProcessPoolExecutor(
                self.jobs,
                multiprocessing.get_context(method),
                initializer=_die_with_parent,
                initargs=(os.getpid(),),
            )
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def start(
        self, parts: Sequence[Part], done: Callable[[int], None] | None = None
    ) -> Callable[[], list[RenderedPart]]:
        """Start rendering ``parts``; the function returned waits for them, in order.

        Between the two this process is free for work of its own (the pack lays out
        its opening meanwhile). With no pool, the parts render when collected.
        ``done(i)``, if given, is called as part i is finished (for a progress bar;
        from another thread when there is a pool).
        """
        if self._pool is None:

            def one_by_one() -> list[RenderedPart]:
                rendered = []
                for number, part in enumerate(parts):
                    rendered.append(render_part(part))
                    if done is not None:
                        done(number)
                return rendered

            return one_by_one
        futures = [self._pool.submit(render_part, p) for p in parts]
        if done is not None:
            for number, future in enumerate(futures):
                future.add_done_callback(lambda _f, n=number: done(n))  # type: ignore[misc]

        def collect() -> list[RenderedPart]:
            try:
                return [f.result() for f in futures]
            except BrokenProcessPool:
                raise RenderProcessLost(
                    "a render process stopped before its part was done (out of memory?): "
                    "nothing was written; try again with --jobs 1"
                ) from None

        return collect
