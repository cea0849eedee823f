"""Result pieces shared by several stages (figures draw them the same way everywhere)."""

from __future__ import annotations

from .base import Frozen

__all__ = ["LevelCount", "BoxStats", "Histogram", "Matrix", "Curve", "ClassMetrics", "Confusion"]


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


class Matrix(Frozen):
    method: str
    labels: list[str]
    values: list[list[float]]


class Curve(Frozen):
    """A ROC or precision-recall curve, thinned to at most a few hundred points."""

    kind: str  # "roc" or "pr"
    x: list[float]  # false-positive rate (ROC) or recall (PR)
    y: list[float]  # true-positive rate (ROC) or precision (PR)
    auc: float
    baseline: float  # chance level: the diagonal's AUC 0.5 (ROC) or the positive share (PR)


class ClassMetrics(Frozen):
    label: str
    precision: float
    recall: float
    f1: float
    support: int


class Confusion(Frozen):
    """Counts with rows = actual class, columns = predicted class, in ``labels`` order."""

    labels: list[str]
    counts: list[list[int]]
