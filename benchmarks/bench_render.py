"""Time `claimreport render` in a cold process (compute + HTML + PDF), as a user waits for it.

Usage: python benchmarks/bench_render.py [--stage eda] [--data PATH] [--runs 5]

Each run is a fresh interpreter writing into a fresh folder, so nothing is cached. Prints the
median, min and max wall time; the README's Performance section records the median.
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
TARGETS = {"eda": 4.0, "hypothesis": 3.0, "regression": 8.0, "modeling": 60.0}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stage", default="eda")
    ap.add_argument("--data", type=Path, default=REAL)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--format", default="html,pdf")
    args = ap.parse_args()
    if not args.data.is_file():
        print(f"data not found: {args.data}", file=sys.stderr)
        return 2
    cmd = [sys.executable, "-m", "claimreport.cli", "render", "--stage", args.stage,
           "--data", str(args.data), "--format", args.format]
    times = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            subprocess.run([*cmd, "--out", out], check=True, capture_output=True)
            times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    target = TARGETS.get(args.stage)
    verdict = "" if target is None else f"  target <= {target:g} s: {'met' if med <= target else 'MISSED'}"
    print(f"render --stage {args.stage} ({args.data.name}, {args.format}), {args.runs} cold runs: "
          f"median {med:.2f} s, min {min(times):.2f} s, max {max(times):.2f} s{verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
