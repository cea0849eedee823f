"""claimreport against one ydata-profiling report, on the same machine in the same run.

Usage: python benchmarks/bench_vs_profiler.py [--data PATH] [--runs 3]
                                              [--profiler-python /path/to/venv/bin/python]

Paired cold-process runs, alternating the tools so that machine load affects both alike:

* ydata-profiling 4.x: one EDA HTML report of the file (``ProfileReport(df).to_file``), when the
  given Python (default: this one) can import it — install it in a separate environment, e.g.
  ``python -m venv /tmp/yd && /tmp/yd/bin/pip install ydata-profiling``; it is not a dependency;
* ``claimreport render --stage eda`` and ``--stage all`` (HTML + PDF), each into a fresh folder.

Prints the median of each and the ratios the README's Performance section records (goals: all
four stages ≤ 1.5× the profiler, aim ≤ 1.0×; EDA ≤ 0.25×). Without the profiler, prints the
claimreport half alone.
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
PROFILE = """
import sys, warnings
warnings.filterwarnings("ignore")
import pandas as pd
from ydata_profiling import ProfileReport
df = pd.read_csv(sys.argv[1], na_values=["#N/A"])
ProfileReport(df, title="TikTok claims", progress_bar=False).to_file(sys.argv[2])
"""
GOALS = {"claimreport all stages": 1.5, "claimreport eda": 0.25}


def _time(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=REAL)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--profiler-python", default=sys.executable)
    args = ap.parse_args()
    if not args.data.is_file():
        print(f"data not found: {args.data}", file=sys.stderr)
        return 2
    has_profiler = subprocess.run([args.profiler_python, "-c", "import ydata_profiling"],
                                  capture_output=True).returncode == 0
    times: dict[str, list[float]] = {"ydata-profiling eda": [], "claimreport eda": [],
                                     "claimreport all stages": []}
    claim = [sys.executable, "-m", "claimreport.cli", "render", "--data", str(args.data)]
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            if has_profiler:
                times["ydata-profiling eda"].append(_time(
                    [args.profiler_python, "-c", PROFILE, str(args.data),
                     f"{tmp}/profile-{run}.html"]))
            times["claimreport eda"].append(_time([*claim, "--stage", "eda",
                                                   "--out", f"{tmp}/eda-{run}"]))
            times["claimreport all stages"].append(_time([*claim, "--stage", "all",
                                                          "--out", f"{tmp}/all-{run}"]))
    base = statistics.median(times["ydata-profiling eda"]) if has_profiler else None
    for what, values in times.items():
        if not values:
            print(f"{what:24s}: not installed (pass --profiler-python)")
            continue
        med = statistics.median(values)
        line = (f"{what:24s}: {len(values)} cold runs, median {med:.2f} s "
                f"(min {min(values):.2f}, max {max(values):.2f})")
        if base and what != "ydata-profiling eda":
            ratio = med / base
            goal = GOALS[what]
            line += f" = {ratio:.2f}x the profiler; goal <= {goal:g}x: " \
                    f"{'met' if ratio <= goal else 'MISSED'}"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
