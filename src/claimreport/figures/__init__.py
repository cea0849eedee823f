"""Figures are functions of a stage result (never of raw data), in one theme.

Each ``figures/<stage>.py`` exposes ``specs(result) -> {key: FigureSpec}``. :func:`save_all`
draws them and writes SVG + PNG into the bundle, on two processes where the platform can fork:
figure layout and rasterising dominate a stage's run time and each figure is independent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..fsio import atomic_path
from ..results import FigureRef

__all__ = ["FigureSpec", "FigureWorkers", "specs", "draw_figure", "save_all"]


@dataclass(frozen=True)
class FigureSpec:
    title: str
    alt: str
    draw: Callable[[Any], Any]  # (pyplot module) -> matplotlib Figure
    cost: int = 1  # relative drawing time: the workers start with the dearest figures
    seaborn: bool = False  # drawn with seaborn (imported on first use, ~0.5 s per process)


def specs(result) -> dict[str, FigureSpec]:
    """The figures of *result* (a :class:`~claimreport.results.StageResult`)."""
    from ..registry import stage_spec

    return stage_spec(result.stage).figures_module().specs(result)


def draw_figure(result, key: str):
    """Draw one figure of *result* in the project theme; returns a matplotlib Figure."""
    from .theme import style

    with style() as plt:
        return specs(result)[key].draw(plt)


def _save(result, key: str, bundle_dir: str) -> tuple[str, FigureRef]:
    import matplotlib.pyplot as plt

    from .theme import style

    spec = specs(result)[key]
    fig = draw_figure(result, key)
    stage = result.stage
    svg, png = f"figures/{stage}/{key}.svg", f"figures/{stage}/{key}.png"
    try:
        # saved inside the theme: savefig reads svg.hashsalt then, so element ids are hashes of
        # the content (same result, same SVG bytes), not random
        with style():
            with atomic_path(Path(bundle_dir) / svg) as tmp:
                fig.savefig(tmp, format="svg", metadata={"Date": None})
            with atomic_path(Path(bundle_dir) / png) as tmp:
                fig.savefig(tmp, format="png", dpi=150, metadata={"Software": None})
    finally:
        plt.close(fig)
    return key, FigureRef(title=spec.title, alt=spec.alt, svg=svg, png=png)


def _save_many(result, keys: list[str], bundle_dir: str) -> list[tuple[str, FigureRef]]:
    return [_save(result, key, bundle_dir) for key in keys]


def _workers() -> int:
    """``CLAIMREPORT_WORKERS`` (default 2), capped at the cores this process may use."""
    from ..config import usable_cores, workers_from_env

    requested = workers_from_env()  # ConfigError if set to anything but a positive integer
    return usable_cores(2 if requested is None else requested)


def _die_with_parent() -> None:
    """Ask the kernel to kill this worker when its parent dies, however it dies (kill -9
    included), so no orphan keeps drawing or holds the caller's pipes and the build lock.
    Linux only (prctl PR_SET_PDEATHSIG); elsewhere the pool's own shutdown has to do."""
    import ctypes
    import os
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the call: follow it now
        os._exit(1)


def _warm() -> None:
    """Worker initialiser: die with the parent; import matplotlib and load the font while the
    parent computes. (seaborn is imported by the one worker that draws a stage's seaborn
    figures, see :meth:`FigureWorkers.submit`.)"""
    import io
    import signal

    _die_with_parent()
    # the parent turns SIGINT/SIGTERM into a clean unwind; a worker just stops
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    from .theme import style

    with style() as plt:  # one tiny figure through both back-ends loads fonts and renderers
        fig, ax = plt.subplots(figsize=(1, 1), layout="constrained")
        ax.set_title("warm")
        ax.set_yscale("log")
        for fmt in ("png", "svg"):
            fig.savefig(io.BytesIO(), format=fmt)
        plt.close(fig)


class FigureWorkers:
    """Processes that draw and store figures.

    Enter it before loading data: the workers are forked at once and import matplotlib on the
    second core while the parent loads and computes. Where fork is unavailable, or with
    ``CLAIMREPORT_WORKERS=1``, figures are drawn in-process. Figures only depend on the result,
    so the output is the same either way.
    """

    def __init__(self, workers: int | None = None):
        self.workers = workers or _workers()
        self._pool = None

    def __enter__(self) -> FigureWorkers:
        import multiprocessing as mp

        if self.workers > 1 and "fork" in mp.get_all_start_methods():
            from concurrent.futures import ProcessPoolExecutor

            # seaborn (drawing) needs pandas and the parent imports it anyway to load the data:
            # imported before the fork, the workers inherit it instead of importing it twice more
            import pandas  # noqa: F401

            self._pool = ProcessPoolExecutor(self.workers, mp_context=mp.get_context("fork"),
                                             initializer=_warm)
            self._pool.submit(int)  # fork-context pools start every worker on first submit
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def stop(self) -> None:
        """Kill the workers now (a failed or interrupted build): nothing may keep writing into
        a staging folder that is about to be removed."""
        if self._pool is None:
            return
        for proc in list(getattr(self._pool, "_processes", {}).values()):
            proc.kill()
        for proc in list(getattr(self._pool, "_processes", {}).values()):
            proc.join(timeout=5)
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = None

    def submit(self, result, bundle_dir: Path) -> Callable[[], dict[str, FigureRef]]:
        """Start drawing every figure of *result*; call the returned function for the refs."""
        all_specs = specs(result)
        keys = sorted(all_specs, key=lambda k: -all_specs[k].cost)
        if self._pool is None:
            return lambda: save_all(result, bundle_dir)
        # the seaborn figures go first and together: one worker imports seaborn (mostly
        # scipy.stats) while the other draws the rest, instead of both importing it
        together = [k for k in keys if all_specs[k].seaborn]
        groups = ([together] if together else []) + [[k] for k in keys if k not in together]
        futures = [self._pool.submit(_save_many, result, group, str(bundle_dir))
                   for group in groups]

        def collect() -> dict[str, FigureRef]:
            done = dict(pair for f in futures for pair in f.result())
            return {key: done[key] for key in all_specs}  # report order, not drawing order

        return collect


def save_all(result, bundle_dir: Path) -> dict[str, FigureRef]:
    """Draw and store every figure of *result* (in this process); returns their references."""
    return {key: ref for key, ref in (_save(result, k, str(bundle_dir)) for k in specs(result))}
