"""Result pieces shared by several stages (figures draw them the same way everywhere)."""

from __future__ import annotations

from .base import Frozen, Num

__all__ = ["SampleInfo", "LevelCount", "BoxStats", "Histogram", "Matrix", "Curve",
           "ClassMetrics", "Confusion"]


class SampleInfo(Frozen):
    """The rows the sample-based parts of a stage used: every row (``rows == population``) or a
    sample stratified by claim status, drawn with ``seed``."""

    population: int
    rows: int
    seed: int
    backend: str = "pandas"
    #: bound on the rank error of quantiles as a share of the rows (0: exact)
    quantile_error: Num = 0.0

    @property
    def is_sample(self) -> bool:
        return self.rows < self.population


class LevelCount(Frozen):
    label: str
    count: int
    share: Num


class BoxStats(Frozen):
    """Tukey box: the inputs of matplotlib's ``bxp`` (whiskers at 1.5 IQR, clipped to data).

    ``fliers``: the values beyond the whiskers, sorted; all of them when there are few, else a
    deterministic subset (the most extreme on each side plus an even sample, see
    :func:`claimreport.stats.describe.thin_fliers`). ``n_fliers``: how many there really are.
    """

    label: str
    n: int
    mean: Num
    med: Num
    q1: Num
    q3: Num
    whislo: Num
    whishi: Num
    fliers: list[Num]
    n_fliers: int


class Histogram(Frozen):
    """Counts per bin for each group (same edges for all groups)."""

    column: str
    log_scale: bool
    edges: list[Num]
    counts: dict[str, list[int]]


class Matrix(Frozen):
    method: str
    labels: list[str]
    values: list[list[Num]]


class Curve(Frozen):
    """A ROC or precision-recall curve, thinned to at most a few hundred points."""

    kind: str  # "roc" or "pr"
    x: list[Num]  # false-positive rate (ROC) or recall (PR)
    y: list[Num]  # true-positive rate (ROC) or precision (PR)
    auc: Num
    baseline: Num  # chance level: the diagonal's AUC 0.5 (ROC) or the positive share (PR)


class ClassMetrics(Frozen):
    label: str
    precision: Num
    recall: Num
    f1: Num
    support: int


class Confusion(Frozen):
    """Counts with rows = actual class, columns = predicted class, in ``labels`` order."""

    labels: list[str]
    counts: list[list[int]]
