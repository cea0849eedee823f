"""Result pieces shared by several stages (figures draw them the same way everywhere)."""

from __future__ import annotations

from .base import Frozen

__all__ = ["LevelCount", "BoxStats", "Histogram"]


class LevelCount(Frozen):
    label: str
    count: int
    share: float


class BoxStats(Frozen):
    """Tukey box: the inputs of matplotlib's ``bxp`` (whiskers at 1.5 IQR, clipped to data)."""

    label: str
    n: int
    mean: float
    med: float
    q1: float
    q3: float
    whislo: float
    whishi: float


class Histogram(Frozen):
    """Counts per bin for each group (same edges for all groups)."""

    column: str
    label: str
    log_scale: bool
    edges: list[float]
    counts: dict[str, list[int]]
