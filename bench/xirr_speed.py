"""How fast is batched XIRR? ``xirr_grouped`` over 10,000 series of 120 flows each.

Each series has 40 drawdowns, then 80 receipts, on random days over 5,000 days
(the shape of a holding's IRR flows). The script times ``xirr_grouped`` and,
in the same run, a floor: ``pyxirr.xirr`` called once per series on arrays
already netted, sorted and split (what passu adds on top is the netting, the
grouping and the classification of each series).

This was a wall-clock assertion in tests/valuation/test_returns.py (under 5 s,
typically 0.5 s); a time depends on the machine, so it is measured here.

Usage: python bench/xirr_speed.py [--series 10000] [--flows 120] [--repeat 3]
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyxirr

from passu.valuation.returns import xirr_grouped


def synthetic(series: int, flows: int, seed: int = 7) -> pd.DataFrame:
    """``series`` groups of ``flows`` signed pence: the first third out, the rest back."""
    rng = np.random.default_rng(seed)
    offsets = np.sort(rng.integers(0, 5_000, (series, flows)), axis=1).ravel()
    signs = np.tile(np.where(np.arange(flows) < flows // 3, -1, 1), series)
    return pd.DataFrame(
        {
            "holding": np.repeat(np.arange(series), flows),
            "date": pd.Timestamp("2010-01-01") + pd.to_timedelta(offsets, unit="D"),
            "amount_pence": signs * rng.integers(1, 100_000, series * flows),
        }
    )


def floor_inputs(frame: pd.DataFrame) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per series, its dates and netted amounts, prepared outside the timed floor."""
    netted = frame.groupby(["holding", "date"], sort=True)["amount_pence"].sum().reset_index()
    return [
        (
            group["date"].to_numpy().astype("datetime64[D]"),
            group["amount_pence"].to_numpy(np.float64),
        )
        for _, group in netted.groupby("holding", sort=True)
    ]


def best_of(repeat: int, work: Callable[[], object]) -> float:
    """The fastest of ``repeat`` runs: the others measure the machine's other work."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--flows", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    frame = synthetic(args.series, args.flows)
    results = xirr_grouped(frame, ["holding"])
    solved = sum(r.rate is not None for r in results.values())
    prepared = floor_inputs(frame)

    grouped = best_of(args.repeat, lambda: xirr_grouped(frame, ["holding"]))
    floor = best_of(args.repeat, lambda: [pyxirr.xirr(d, a, silent=True) for d, a in prepared])
    print("| series × flows | solved | xirr_grouped (s) | floor: pyxirr per series (s) | ratio |")
    print("|---|---:|---:|---:|---:|")
    print(
        f"| {args.series:,} × {args.flows} | {solved:,} | {grouped:.2f} | {floor:.2f} "
        f"| {grouped / floor:.1f}× |"
    )


if __name__ == "__main__":
    main()
