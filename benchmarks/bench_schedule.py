"""Time the builds a nightly schedule makes, each in a cold process, on course-sized data.

Usage: python benchmarks/bench_schedule.py [--data PATH] [--runs 3]

1. "unchanged": all four stages, HTML + PDF, into a folder whose published build already holds
   them from the same data, config and versions: the build must do nothing (goal ≤ 1 s).
2. "new data": the same folder, a different export of the same size (every row's counts nudged),
   all four stages: the modeling stage refits its stored settings instead of searching again
   (goal ≤ 10 s).
Prints the median, min and max wall time of each; the README's Scheduling section records them.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "tiktok_dataset.csv"
GOALS = {"unchanged": 1.0, "new data": 10.0}


def _render(data: Path, out: Path, *extra: str) -> float:
    cmd = [sys.executable, "-m", "claimreport.cli", "render", "--stage", "all", "--data",
           str(data), "--out", str(out), *extra]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - t0


def _nudged(data: Path, dest: Path, k: int) -> Path:
    """A different export: every k-th row's view count changes by one (same size and story)."""
    import pandas as pd

    frame = pd.read_csv(data, dtype=str, keep_default_na=False)
    views = frame["video_view_count"]
    rows = [i for i in range(0, len(frame), k) if views[i] not in ("", "#N/A")]
    frame.loc[rows, "video_view_count"] = [str(int(float(views[i])) + 1) for i in rows]
    frame.to_csv(dest, index=False)
    return dest


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=REAL)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    if not args.data.is_file():
        print(f"data not found: {args.data}", file=sys.stderr)
        return 2
    times: dict[str, list[float]] = {"unchanged": [], "new data": []}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        _render(args.data, out)  # the published build a schedule finds
        for run in range(args.runs):
            times["unchanged"].append(_render(args.data, out))
            new = _nudged(args.data, Path(tmp) / f"export-{run}.csv", 7 + run)
            times["new data"].append(_render(new, out))
            _render(args.data, out)  # back to the first export for the next round
    for what, values in times.items():
        med, goal = statistics.median(values), GOALS[what]
        print(f"{what:9s}: {args.runs} cold runs, median {med:.2f} s (min {min(values):.2f}, max "
              f"{max(values):.2f}); goal <= {goal:g} s: {'met' if med <= goal else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
