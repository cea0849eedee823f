"""Time ``claimreport render --stage eda,hypothesis`` on a 10,000,000-row Parquet file, on the
Spark backend and (for comparison) the pandas backend: wall time and the peak resident memory of
the whole process tree (the CLI, its figure workers and Spark's JVM).

Usage: python benchmarks/bench_spark.py [--data /tmp/big.parquet] [--rows 10000000]
                                        [--backends spark,pandas] [--format html,pdf]
                                        [--conf spark.driver.memory=4g ...]

The data file is made once with ``claimreport demo-data --rows N --out PATH`` when it does not
exist (and reused afterwards). Each run is a cold process writing into a fresh folder. Prints one
line per backend in the form the README's "Running on Spark" section records. Linux only (the
memory is read from /proc).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _rss(pid: int) -> int:
    """Resident bytes of *pid* (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_rss(root: int) -> int:
    """Resident bytes of *root* and all its descendants now."""
    tree, total, todo = _children(), 0, [root]
    while todo:
        pid = todo.pop()
        total += _rss(pid)
        todo.extend(tree.get(pid, []))
    return total


def run(cmd: list[str]) -> tuple[float, int, subprocess.CompletedProcess]:
    """Wall seconds and peak process-tree RSS of *cmd* (sampled every 0.25 s)."""
    peak = 0
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out: dict[str, str] = {}
    reader = threading.Thread(target=lambda: out.update(zip(("stdout", "stderr"),
                                                            proc.communicate())))
    reader.start()
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.25)
    reader.join()
    seconds = time.perf_counter() - t0
    return seconds, peak, subprocess.CompletedProcess(cmd, proc.returncode, out.get("stdout", ""),
                                                      out.get("stderr", ""))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("/tmp/big.parquet"))
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--backends", default="spark,pandas")
    ap.add_argument("--stage", default="eda,hypothesis")
    ap.add_argument("--format", default="html,pdf")
    ap.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                    help="passed on to render --conf (Spark backend)")
    args = ap.parse_args()
    cli = [sys.executable, "-m", "claimreport.cli"]
    if not args.data.exists():
        print(f"writing {args.rows:,} rows to {args.data} ...", file=sys.stderr, flush=True)
        subprocess.run([*cli, "demo-data", "--rows", str(args.rows), "--out", str(args.data)],
                       check=True)
    rows = _rows(args.data)
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory() as out:
            cmd = [*cli, "render", "--stage", args.stage, "--data", str(args.data),
                   "--format", args.format, "--out", out, "--backend", backend]
            if backend == "spark":
                cmd += [x for kv in args.conf for x in ("--conf", kv)]
            seconds, peak, done = run(cmd)
        if done.returncode:
            print(f"{backend}: failed (exit {done.returncode}): {done.stderr[-2000:]}",
                  file=sys.stderr)
            return 1
        stage_times = ", ".join(line.split("computed ", 1)[1] for line in done.stderr.splitlines()
                                if "claimreport: computed " in line)
        print(f"| `render --backend {backend} --stage {args.stage} --format {args.format}` "
              f"on {rows:,} rows ({args.data.name}, {os.cpu_count()} cores) | "
              f"{seconds:.0f} s ({stage_times}) | {peak / 2**30:.1f} GiB |", flush=True)
    return 0


def _rows(path: Path) -> int:
    import pyarrow.parquet as pq

    if path.is_dir():
        return sum(pq.ParquetFile(p).metadata.num_rows for p in path.rglob("*.parquet"))
    return pq.ParquetFile(path).metadata.num_rows


if __name__ == "__main__":
    sys.exit(main())
