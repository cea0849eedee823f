"""claimreport on ten million rows on one machine: wall time and peak memory.

Usage: python benchmarks/bench_scale.py [--rows 10000000] [--format parquet|csv|both]
                                        [--stages eda,hypothesis] [--backend pandas]
                                        [--workdir /tmp/claimreport-scale]

Generates the demo data once per size and format (``claimreport demo-data --rows N --out
big.parquet``: the format follows the extension; kept in the work folder for the next run), then
runs ``claimreport render --stage eda,hypothesis`` (HTML + PDF) in a cold process into a fresh
folder and samples the resident memory of the whole process tree (the main process and its
figure workers, summed) ten times a second. Prints one line per run to paste into the README.
Goal (issue #13): at most 60 s and 4 GiB for ``eda,hypothesis`` on 10,000,000 rows.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

GOAL_SECONDS, GOAL_GIB = 60.0, 4.0


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def run(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak summed RSS in GiB and stderr of *cmd*."""
    peak = [0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def watch():
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            time.sleep(0.1)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    watcher.join()
    if proc.returncode:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err[-2000:]}")
    return wall, peak[0] / 2**30, err


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--format", choices=("parquet", "csv", "both"), default="both")
    ap.add_argument("--stages", default="eda,hypothesis")
    ap.add_argument("--backend", default="pandas")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "claimreport-scale")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    cli = [sys.executable, "-m", "claimreport.cli"]
    formats = ("parquet", "csv") if args.format == "both" else (args.format,)
    for fmt in formats:
        data = args.workdir / f"demo_{args.rows}.{fmt}"
        if not data.exists():
            t0 = time.perf_counter()
            subprocess.run([*cli, "demo-data", "--rows", str(args.rows), "--out", str(data)],
                           check=True, capture_output=True)
            print(f"generated {data} ({data.stat().st_size / 2**20:,.0f} MiB) in "
                  f"{time.perf_counter() - t0:.1f} s")
        with tempfile.TemporaryDirectory(dir=args.workdir) as out:
            cmd = [*cli, "render", "--stage", args.stages, "--data", str(data), "--out", out]
            if args.backend != "pandas":
                cmd += ["--backend", args.backend]
            wall, gib, err = run(cmd)
        steps = "; ".join(line.split("claimreport: ")[-1] for line in err.splitlines()
                          if "computed" in line)
        verdict = "meets" if wall <= GOAL_SECONDS and gib <= GOAL_GIB else "misses"
        print(f"{args.rows:,} rows, {fmt}, {args.backend}, --stage {args.stages}: "
              f"{wall:.1f} s wall, {gib:.2f} GiB peak (process tree) — {verdict} the goal of "
              f"{GOAL_SECONDS:.0f} s and {GOAL_GIB:.0f} GiB [{steps}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
