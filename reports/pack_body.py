"""The committee pack's body through the pack cache: only units that changed are laid out.

With a :class:`PackCache`, each unit's pages are looked up by fingerprint, the units
not found are laid out in parts (one per CPU), each part is cut back into its units'
pages and kept, and the body is the units' pages in order, old and new. Without one,
the units go to the workers in runs of equal weight. The opening, furniture, links
and bookmarks are made afresh by :func:`passu.reports.committee.render_committee_pack`
for every pack, cached or not.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from .pack_cache import PackCache, unit_fingerprints
from .parts import Part, PartRenderer, RenderedPart, Unit, group_units, split_part

# progress(done, total): steps of the pack finished, for a progress bar
Progress = Callable[[int, int], None]


class Steps:
    """Counts finished steps (render workers report from another thread)."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total, self.done = total, 0
        self._progress = progress
        self._lock = threading.Lock()

    def advance(self, count: int = 1) -> None:
        with self._lock:
            self.done += count
            if self._progress is not None:
                self._progress(self.done, self.total)


def start_body(
    renderer: PartRenderer,
    units: Sequence[Unit],
    document: Callable[[list[Unit]], Part],
    cache: PackCache | None,
    steps: Steps,
) -> Callable[[], list[RenderedPart]]:
    """Start laying out the body's ``units``; the function returned waits for their pages.

    Without a cache the units go to the workers in runs of equal weight, one part each.
    With one, only units whose fingerprint is not
    cached are laid out (in runs likewise), and the result is one slice per unit.
    """
    if cache is None:
        runs = group_units(units, renderer.jobs)
        return renderer.start(
            [document(run) for run in runs], lambda n: steps.advance(len(runs[n]))
        )
    fingerprints = unit_fingerprints(units)
    found = cache.lookup(fingerprints)
    missing = [i for i, fp in enumerate(fingerprints) if fp not in found]
    steps.advance(len(units) - len(missing))
    runs = group_units([units[i] for i in missing], renderer.jobs) if missing else []
    collect_runs = renderer.start(
        [document(run) for run in runs], lambda n: steps.advance(len(runs[n]))
    )

    def collect() -> list[RenderedPart]:
        fresh: dict[int, RenderedPart] = {}
        indices = iter(missing)
        for run, part in zip(runs, collect_runs(), strict=True):
            places = [next(indices) for _unit in run]
            cut = split_part(part, run)
            if cut is None:
                # No anchor to cut at (or two units with one id): lay each out alone.
                cut = renderer.start([document([unit]) for unit in run])()
                for place, piece in zip(places, cut, strict=True):
                    cache.store([(fingerprints[place], piece)])
            else:
                pieces = zip(places, cut, strict=True)
                cache.store([(fingerprints[place], piece) for place, piece in pieces])
            fresh.update(zip(places, cut, strict=True))
        return [found[fp] if fp in found else fresh[i] for i, fp in enumerate(fingerprints)]

    return collect
