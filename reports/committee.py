"""``passu report committee``: the investment committee's pack, from a stored run.

The pack is rendered from the run saved for (as-of, scope), never from a fresh
valuation, so the committee reads exactly the figures that were saved (and
approved). What it shows beyond the headline figures (who pays for each project's
outcomes, the investors' cash over time, the year-end history, each project's
economics) was computed by ``valuation/`` when the run was made and stored in it;
the bundle (``portfolio/reporting.py``) adds the bridge from the previous approved
run and the INDIGO market when loaded. No database is read here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from markupsafe import Markup

from passu.portfolio.report_bundle import CommitteeBundle
from passu.portfolio.store.run_info import StoredRun

from . import committee_charts, headline, portfolio_tables
from .assemble import Metadata, assemble, page_numbers, page_sizes
from .bridge import BridgeView, nav_bridge_view
from .fair_value_pages import fair_value_pages, project_fair_value_figures
from .formatting import long_date
from .furniture import CannotStamp, furniture_parts, sheet_per_page
from .history import cumulative_cash, fund_history
from .largest import SUMMARY_ROWS
from .market import MarketView, market_view
from .methods import DEFINITIONS, SOURCES
from .model import Chart, Cover, FairValuePage, Figure, FigureGroup, Section, Table
from .pack_body import Progress, Steps, start_body
from .pack_cache import PackCache
from .parts import Part, PartRenderer, RenderedPart, Unit, render_part
from .pipeline_page import PipelineView, pipeline_view
from .project_economics import economics_views
from .project_facts import project_facts
from .project_pages import ProjectPage, project_page
from .render import SafeFetcher, render_html, template_macros
from .waterfall_page import WaterfallView, government_table, waterfall_views


@dataclass(frozen=True)
class CommitteePack:
    cover: Cover
    contents: tuple[Section, ...]
    footer: str
    illustrative: str | None
    headline: tuple[FigureGroup, ...]
    funds: Table | None
    forecast: Table
    charts: tuple[Chart, ...]
    portfolio: Table
    pipeline: PipelineView
    bridge: BridgeView
    share_classes: Table
    investors: Table
    holders: Table
    pari_passu: str
    breaches: Table
    market: MarketView | None
    projects: tuple[ProjectPage, ...]
    definitions: tuple[Figure, ...]
    sources: tuple[Figure, ...]
    fair_value: tuple[FairValuePage, ...] = ()  # a page per fund (#15)
    # issue 14: a waterfall page per fund with share-class terms, and what the structure
    # costs or gives each government investor (on the pari passu page)
    waterfalls: tuple[WaterfallView, ...] = ()
    government: Table | None = None


def _cover(run: StoredRun, fund_names: dict[str, str], scope_ids: list[str]) -> Cover:
    info, document = run.info, run.document
    funds = "; ".join(f"{fund_names.get(f, f)} ({f})" for f in scope_ids)
    approved = (
        f"approved by {info.approved_by} on {long_date(info.approved_at.date())}"
        if info.approved_at is not None and info.approved_by
        else "draft: not yet approved"
    )
    return Cover(
        title="Investment committee pack",
        subtitle=funds,
        as_of=long_date(document["as_of"]),
        scope="All funds together" if info.scope == "ALL" else f"Fund {info.scope}",
        facts=(
            Figure("Valuation run", f"run {info.run_id}, {approved}"),
            Figure("Data fingerprint (SHA-256 of every input table)", document["fingerprint"]),
            Figure("Saved", f"by {info.created_by} on {long_date(info.created_at.date())}"),
        ),
        notices=("CONFIDENTIAL: for the investors' committee only.",),
    )


def build_committee_pack(bundle: CommitteeBundle, *, summary: bool = False) -> CommitteePack:
    """The pack's content, every figure formatted, from the stored run in ``bundle``.

    ``summary``: the fund-level pack, without a page per project, its per-project and
    per-holding tables cut to their largest rows (``largest.py``).
    """
    keep = SUMMARY_ROWS if summary else None
    run = bundle.run
    document = run.document
    scope, as_of = run.info.scope, run.info.as_of
    fund_names: dict[str, str] = document["names"]["funds"]
    names: dict[str, str] = document["names"]["investors"]
    facts = project_facts(document)
    economics = economics_views(document)
    history = fund_history(document)
    charts = tuple(
        c
        for c in (
            committee_charts.j_curve(cumulative_cash(document), history),
            committee_charts.rates_over_time(history),
            committee_charts.social_value_by_area(document),
            committee_charts.outcomes_by_project(document, facts),
        )
        if c is not None
    )
    holdings_by_project: dict[str, list[dict[str, Any]]] = {}
    for h in document["holdings"]:
        holdings_by_project.setdefault(h["project_id"], []).append(h)
    pages = tuple(
        project_page(
            i,
            p,
            holdings_by_project.get(p["project_id"], []),
            facts[p["project_id"]],
            names,
            economics[p["project_id"]],
            project_fair_value_figures(document, p["project_id"]),
        )
        for i, p in enumerate(document["projects"], start=1)
        if p["project_id"] in facts and not summary
    )
    market = market_view(bundle.market, document)
    scope_label = "All funds" if scope == "ALL" else fund_names.get(scope, scope)
    sections = [
        Section("headline", "Headline figures"),
        Section("forecast", "Forecast against actual"),
        Section("charts", "The fund in charts"),
        Section("portfolio", "Portfolio"),
        Section("pipeline", "Innovations and outcome claims"),
        Section("bridge", "NAV bridge"),
        Section("pari-passu", "Co-investors and pari passu"),
    ]
    if market is not None:
        sections.append(Section("market", "The fund against the market"))
    fair_value = fair_value_pages(document, fund_names, keep)
    sections += [Section(f.anchor, f.title) for f in fair_value]
    waterfalls = waterfall_views(document)
    sections += [Section(w.anchor, w.title) for w in waterfalls]
    sections += [Section(p.anchor, p.title) for p in pages]
    sections.append(Section("methods", "Methods and sources"))
    return CommitteePack(
        cover=_cover(run, fund_names, document["fund"]["funds"]),
        contents=tuple(sections),
        footer=f"passu · {scope_label} · as of {long_date(as_of)} · run {run.info.run_id} · "
        "CONFIDENTIAL",
        illustrative=bundle.illustrative,
        headline=headline.headline_groups(document),
        funds=headline.funds_table(document, fund_names),
        forecast=headline.forecast_table(document),
        charts=charts,
        portfolio=portfolio_tables.portfolio_table(document, facts, scope_label, keep),
        pipeline=pipeline_view(document, keep),
        bridge=nav_bridge_view(bundle.bridge, run.info),
        share_classes=portfolio_tables.share_classes_table(document),
        investors=portfolio_tables.investors_table(document),
        holders=portfolio_tables.holders_table(document, facts, names, keep),
        pari_passu=portfolio_tables.pari_passu_summary(document),
        breaches=portfolio_tables.breaches_table(document, names),
        market=market,
        projects=pages,
        definitions=DEFINITIONS,
        sources=SOURCES,
        fair_value=fair_value,
        waterfalls=waterfalls,
        government=government_table(document, names),
    )


def pack_units(pack: CommitteePack, fetcher: SafeFetcher) -> list[Unit]:
    """The body's units in order: the fund's sections, each project's pages, the methods."""
    macros = template_macros("committee_parts.html")
    return [
        *_section_units(_unit(fetcher, macros.sections, pack)),
        *(_unit(fetcher, macros.project, p) for p in pack.projects),
        _unit(fetcher, macros.methods, pack),
    ]


def render_committee_pack(
    pack: CommitteePack,
    path: Path,
    *,
    fetcher: SafeFetcher | None = None,
    jobs: int | None = None,
    cache: PackCache | None = None,
    progress: Progress | None = None,
) -> SafeFetcher:
    """Render ``pack`` to ``path`` in parts, one per CPU (or ``jobs``), then join them.

    The body (sections, project pages, methods) is laid out in the workers while
    this process lays out the opening with placeholder page numbers; then the
    opening is rendered with the real numbers and the furniture with "Page n of N".
    With a ``cache``, the body's unchanged units' pages are reused from it
    (``pack_body.py``); the opening and furniture are always made afresh.
    Returns ``fetcher`` with every URL the freshly laid-out parts asked for.
    """
    fetcher = fetcher or SafeFetcher()
    units = pack_units(pack, fetcher)
    steps = Steps(len(units) + 2, progress)  # the units, the contents, the joins
    with PartRenderer(jobs) as renderer:
        collect = start_body(renderer, units, partial(_document, pack), cache, steps)
        # The opening is laid out while the workers lay out the body, with the contents'
        # page numbers of the last such pack if the cache has them (laid out once if none
        # has moved), else with placeholders (laid out again once the numbers are known).
        anchors = [s.anchor for s in pack.contents]
        guess = cache.last_contents(anchors) if cache is not None else None
        shown = guess or dict.fromkeys(anchors, "000")
        opening = render_part(_opening(pack, fetcher, shown), write=guess is not None)
        body = collect()
        for _attempt in range(3):
            sizes = page_sizes([opening, *body])
            numbers = _numbers(pack, [opening, *body])
            collect = renderer.start(_furniture(pack, sizes))
            same = numbers == shown  # the opening already shows these numbers
            final = opening if same else render_part(_opening(pack, fetcher, numbers))
            furniture = collect()
            if final.pages == opening.pages:
                break
            opening, shown = final, numbers  # the contents' length changed: number again
        else:
            raise RuntimeError("the contents would not settle on a page count")
    steps.advance()
    for part in (final, *body, *furniture):
        fetcher.requested.extend(part.requested)
    metadata = Metadata(_title(pack))
    try:
        assemble([final, *body], furniture, path, metadata, stamped=True)
    except CannotStamp:
        # Laid out a sheet a page, as before stamping: slower, the same pages.
        sheets = render_part(sheet_per_page(sizes, **_furniture_text(pack)))
        assemble([final, *body], [sheets], path, metadata)
    if cache is not None:
        cache.finish(numbers)
    steps.advance()
    return fetcher


# where a fund section starts on a page of its own (report.css: .section breaks before)
_NEW_PAGE_SECTION = re.compile(r'<section class="section[ "]')


def _section_units(unit: Unit) -> list[Unit]:
    """The fund's sections as one unit per run of sections that starts a page: laid out
    side by side rather than all in one process (200 projects' portfolio, holders and
    pari passu tables are the longest layout in the pack, and change every month), and
    each is a page-aligned unit, so the pages are the same as the sections' together."""
    starts = [m.start() for m in _NEW_PAGE_SECTION.finditer(unit.html)]
    if not starts or unit.html[: starts[0]].strip():
        starts = [0, *starts]
    ends = [*starts[1:], len(unit.html)]
    return [
        Unit(
            unit.html[start:end],
            frozenset(uri for uri in unit.allowed_data if uri in unit.html[start:end]),
        )
        for start, end in zip(starts, ends, strict=True)
    ]


def _title(pack: CommitteePack) -> str:
    return f"{pack.cover.title}: {pack.cover.subtitle}, {pack.cover.as_of}"


def _unit(fetcher: SafeFetcher, macro: Callable[..., str], *args: object) -> Unit:
    """A macro of committee_parts.html as a unit; its last argument places charts."""
    own = SafeFetcher()  # the data: URIs in this unit, and no others, go to its renderer

    def chart_src(svg: str) -> str:
        return own.data_uri("image/svg+xml", svg.encode("utf-8"))

    html = str(macro(*args, chart_src))
    fetcher.allowed_data |= own.allowed_data
    return Unit(html, frozenset(own.allowed_data))


def _document(pack: CommitteePack, units: list[Unit]) -> Part:
    # the units were rendered (and escaped) by the same autoescaping environment
    html = render_html("committee.html", title=_title(pack), units=[Markup(u.html) for u in units])
    return Part(html, frozenset().union(*(u.allowed_data for u in units)))


def _opening(pack: CommitteePack, fetcher: SafeFetcher, numbers: dict[str, str]) -> Part:
    macros = template_macros("committee_parts.html")
    return _document(pack, [_unit(fetcher, macros.opening, pack, numbers)])


def _numbers(pack: CommitteePack, parts: list[RenderedPart]) -> dict[str, str]:
    found = page_numbers(parts)
    return {s.anchor: str(found[s.anchor]) for s in pack.contents}


def _furniture_text(pack: CommitteePack) -> dict[str, Any]:
    return {"footer": pack.footer, "illustrative": pack.illustrative is not None}


def _furniture(pack: CommitteePack, sizes: list[tuple[float, float]]) -> list[Part]:
    """The running header and footer and the page numbers, for pages of ``sizes``: a few
    sheets laid out and stamped on every page (``furniture.py``)."""
    return furniture_parts(sizes, **_furniture_text(pack))


def committee_pack(
    bundle: CommitteeBundle,
    path: Path,
    *,
    jobs: int | None = None,
    cache: PackCache | None = None,
    progress: Progress | None = None,
    summary: bool = False,
) -> Path:
    """Build and render the pack to ``path`` (the function ``passu report committee`` calls).

    ``summary``: the fund-level pack alone, without a page per project and with its long
    tables cut to their largest rows (a ledger of thousands of projects would otherwise
    make a pack of thousands of pages).
    """
    pack = build_committee_pack(bundle, summary=summary)
    render_committee_pack(pack, path, jobs=jobs, cache=cache, progress=progress)
    return path
