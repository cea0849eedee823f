"""Data alerts: the things a reviewing statistician checks before believing any result.

Each alert is a rule with its threshold as a named constant; the EDA stage stores every check
with its numbers (so the report can show the ones that did not fire too) and the codes of the
alerts that fired. The narrative turns codes into words.

Rules
-----
``separating_column``
    A single column tells claims from opinions almost perfectly: the best one-cut rule (or the
    best assignment of a category's levels) reaches a balanced accuracy of at least
    :data:`SEPARATION_MIN`. A model will find the task easy; check how the data were collected.
``near_uniform``
    Within a class a measure fills its own [min, max] almost evenly and stops dead at the
    bounds: the Kolmogorov-Smirnov distance to the uniform distribution on [min, max] is below
    :data:`UNIFORM_KS_MAX` and each outer band of :data:`EDGE_BAND` of the range holds at least
    :data:`EDGE_FILL_MIN` of the share a uniform puts there. Real counts taper off into a tail;
    flat counts with hard edges are a sign of generated data. Needs :data:`UNIFORM_MIN_ROWS`
    values in the class.
``duplicate_transcriptions``
    At least :data:`DUPLICATE_TEXTS_MIN` rows repeat another row's transcription exactly: a
    copy in the training part and one in the test part make a classifier look better than it is.
``heavy_missingness``
    More than :data:`MISSING_ROWS_MAX` of the rows miss at least one value.

Notes
-----
Both distribution checks are functions of per-class value counts (distinct values and how often
each occurs), a mergeable aggregate that any engine can produce. The KS distance is computed
exactly as ``scipy.stats.kstest(x, uniform(lo, hi - lo).cdf)`` computes it (ties included);
the best cut's balanced accuracy is (1 + D) / 2 for the two-sample KS distance D of the classes,
found by one pass over the sorted distinct values. The tests pin both to scipy and to
scikit-learn's ``balanced_accuracy_score``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["SEPARATION_MIN", "UNIFORM_KS_MAX", "UNIFORM_MIN_ROWS", "EDGE_BAND", "EDGE_FILL_MIN",
           "DUPLICATE_TEXTS_MIN", "MISSING_ROWS_MAX", "ALERT_ORDER", "value_counts",
           "ks_uniform", "edge_shares", "Split", "best_cut", "best_levels",
           "duplicate_texts"]

#: balanced accuracy of a one-column rule from which the column "separates the classes"
SEPARATION_MIN = 0.98
#: KS distance to the uniform on the class's [min, max] below which values are "near-uniform"
UNIFORM_KS_MAX = 0.05
#: values a class needs before its distribution is judged (a uniform sample of 100 values has a
#: median KS distance of about 0.09, so smaller classes could not pass anyway)
UNIFORM_MIN_ROWS = 100
#: width of each outer band of the range, as a share of max - min ...
EDGE_BAND = 0.05
#: ... and the share of a uniform's mass (EDGE_BAND) each band must hold for a "hard bound"
EDGE_FILL_MIN = 0.5
#: repeated transcriptions from which the alert fires
DUPLICATE_TEXTS_MIN = 1
#: share of rows with at least one missing value above which missingness is "heavy"
MISSING_ROWS_MAX = 0.05
#: the order in which alerts are listed: the one that changes conclusions most first
ALERT_ORDER = ("separating_column", "near_uniform", "duplicate_transcriptions",
               "heavy_missingness")


def value_counts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct finite values of *x* and how often each occurs."""
    x = np.asarray(x, dtype=float)
    return np.unique(x[np.isfinite(x)], return_counts=True)


def ks_uniform(values: np.ndarray, counts: np.ndarray) -> float:
    """Kolmogorov-Smirnov distance between the data (distinct *values*, their *counts*) and the
    uniform distribution on [min, max]; NaN for fewer than two distinct values."""
    values, counts = np.asarray(values, dtype=float), np.asarray(counts, dtype=float)
    if values.size < 2:
        return float("nan")
    lo, hi = values[0], values[-1]
    cdf = (values - lo) / (hi - lo)
    n = counts.sum()
    above = np.cumsum(counts) / n  # ECDF at the last of each run of ties
    below = above - counts / n  # ... and just before the first
    return float(max(np.max(above - cdf), np.max(cdf - below)))


def edge_shares(values: np.ndarray, counts: np.ndarray, band: float = EDGE_BAND) -> tuple[float, float]:
    """Share of the data in the lowest and in the highest *band* of [min, max]."""
    values, counts = np.asarray(values, dtype=float), np.asarray(counts, dtype=float)
    if values.size < 2:
        return float("nan"), float("nan")
    lo, hi = values[0], values[-1]
    width = band * (hi - lo)
    n = counts.sum()
    return (float(counts[values <= lo + width].sum() / n),
            float(counts[values >= hi - width].sum() / n))


@dataclass(frozen=True)
class Split:
    """The best one-column rule: ``value > threshold`` → *upper* class (threshold rules) or the
    levels called claims (level rules), with the recall of each class."""

    balanced_accuracy: float
    threshold: float | None
    upper: str | None
    claim_levels: tuple[str, ...]
    recall_claim: float
    recall_opinion: float


_NO_SPLIT = Split(float("nan"), None, None, (), float("nan"), float("nan"))


def best_cut(claim: tuple[np.ndarray, np.ndarray], opinion: tuple[np.ndarray, np.ndarray]) -> Split:
    """The cut with the highest balanced accuracy, from each class's :func:`value_counts`.

    Every distinct value *t* is a candidate for "value > t is one class, value <= t the other",
    in both directions; the first best cut wins ties. NaN with an empty class."""
    (vc, cc), (vo, co) = claim, opinion
    nc, no = cc.sum(), co.sum()
    if nc == 0 or no == 0:
        return _NO_SPLIT
    grid = np.union1d(vc, vo)
    at_or_below_c = np.cumsum(np.bincount(np.searchsorted(grid, vc), cc, len(grid))) / nc
    at_or_below_o = np.cumsum(np.bincount(np.searchsorted(grid, vo), co, len(grid))) / no
    # claims above the cut, opinions at or below it; the reverse rule scores 1 - this
    above = ((1 - at_or_below_c) + at_or_below_o) / 2
    k = int(np.argmax(np.maximum(above, 1 - above)))
    if above[k] >= 1 - above[k]:
        return Split(float(above[k]), float(grid[k]), "claim", (), float(1 - at_or_below_c[k]),
                     float(at_or_below_o[k]))
    return Split(float(1 - above[k]), float(grid[k]), "opinion", (), float(at_or_below_c[k]),
                 float(1 - at_or_below_o[k]))


def best_levels(claim: pd.Series, opinion: pd.Series, levels: tuple[str, ...]) -> Split:
    """The best rule on a category: each level is called a claim when its share among claims
    is larger than among opinions; balanced accuracy (1 + total variation distance) / 2."""
    return best_level_counts({lvl: int((claim == lvl).sum()) for lvl in levels},
                             {lvl: int((opinion == lvl).sum()) for lvl in levels}, levels)


def best_level_counts(claim: dict[str, int], opinion: dict[str, int],
                      levels: tuple[str, ...]) -> Split:
    """:func:`best_levels` from each class's count of each level."""
    nc, no = sum(claim.values()), sum(opinion.values())
    if nc == 0 or no == 0:
        return _NO_SPLIT
    pc = np.array([claim.get(lvl, 0) / nc for lvl in levels])
    po = np.array([opinion.get(lvl, 0) / no for lvl in levels])
    to_claim = pc > po
    rc, ro = float(pc[to_claim].sum()), float(1 - po[to_claim].sum())
    return Split((rc + ro) / 2, None, None, tuple(lvl for lvl, c in zip(levels, to_claim) if c),
                 rc, ro)


def duplicate_texts(text: pd.Series, label: pd.Series) -> tuple[int, int]:
    """``(rows repeating an earlier row's text exactly, repeated texts whose rows carry more
    than one label)``; missing texts are not duplicates of each other."""
    present = text.notna()
    t, lab = text[present], label[present]
    repeated = int(t.duplicated().sum())
    if not repeated:
        return 0, 0
    dup = t.duplicated(keep=False)
    labels_per_text = lab[dup].groupby(t[dup]).nunique(dropna=False)
    return repeated, int((labels_per_text > 1).sum())


@dataclass(frozen=True)
class DataChecks:
    """Every check with its numbers, and the alerts that fired (in :data:`ALERT_ORDER`)."""

    uniformity: list  # list[UniformityCheck]
    separation: list  # list[SeparationCheck]
    duplicate_transcriptions: int
    duplicate_transcription_conflicts: int
    rows_with_missing_share: float
    alerts: list  # list[DataAlert]


def data_checks(stats, measures: list[str], categories: dict[str, tuple[str, ...]],
                claim: str, text: str, classes: tuple[str, str] = ("claim", "opinion")
                ) -> DataChecks:
    """Run every rule of this module on the data behind *stats* (a
    :class:`claimreport.backends.Backend`), *claim* being the class column. Every check reads
    exact aggregates: each class's value counts, level counts, duplicate counts and missing
    patterns."""
    from ..results.eda import DataAlert, SeparationCheck, UniformityCheck

    empty = (np.array([]), np.array([], dtype=int))
    uniformity, separation = [], []
    for col in measures:
        per_class = stats.value_counts(col, by=(claim,))
        counts = {c: per_class.get((c,), empty) for c in classes}
        for c in classes:
            values, k = counts[c]
            n = int(k.sum())
            ks = ks_uniform(values, k) if n >= UNIFORM_MIN_ROWS else float("nan")
            low, high = edge_shares(values, k)
            flat = bool(ks < UNIFORM_KS_MAX and min(low, high) >= EDGE_FILL_MIN * EDGE_BAND)
            uniformity.append(UniformityCheck(
                column=col, claim_status=c, n=n, minimum=values[0] if n else None,
                maximum=values[-1] if n else None, ks_distance=ks, edge_share_low=low,
                edge_share_high=high, near_uniform=flat))
        split = best_cut(counts[classes[0]], counts[classes[1]])
        separation.append(_separation(SeparationCheck, col, "threshold", split,
                                      *(int(counts[c][1].sum()) for c in classes)))
    for col, levels in categories.items():
        table = stats.counts([claim, col])
        table = table[table[col].notna()]
        per = {c: {lv: int(table.loc[(table[claim] == c) & (table[col] == lv), "count"].sum())
                   for lv in levels} for c in classes}
        separation.append(_separation(SeparationCheck, col, "levels",
                                      best_level_counts(per[classes[0]], per[classes[1]], levels),
                                      *(sum(per[c].values()) for c in classes)))
    dup = stats.duplicates()
    repeated, conflicts = dup.texts, dup.text_conflicts
    _, patterns = stats.missing()
    with_missing = int(patterns.loc[patterns.drop(columns="count").any(axis=1), "count"].sum())
    missing = with_missing / stats.rows if stats.rows else 0.0

    alerts = []
    separating = [s for s in separation if s.balanced_accuracy >= SEPARATION_MIN]
    if separating:
        alerts.append(DataAlert(code="separating_column", columns=[s.column for s in separating],
                                value=max(s.balanced_accuracy for s in separating),
                                threshold=SEPARATION_MIN))
    flat = [u for u in uniformity if u.near_uniform]
    if flat:
        alerts.append(DataAlert(code="near_uniform",
                                columns=list(dict.fromkeys(u.column for u in flat)),
                                value=min(u.ks_distance for u in flat), threshold=UNIFORM_KS_MAX))
    if repeated >= DUPLICATE_TEXTS_MIN:
        alerts.append(DataAlert(code="duplicate_transcriptions", columns=[text], value=repeated,
                                threshold=DUPLICATE_TEXTS_MIN))
    if missing > MISSING_ROWS_MAX:
        alerts.append(DataAlert(code="heavy_missingness",
                                columns=[c for c, k in stats.missing()[0].items() if k],
                                value=missing, threshold=MISSING_ROWS_MAX))
    return DataChecks(uniformity, separation, repeated, conflicts, missing, alerts)


def _separation(cls, column: str, kind: str, split: Split, n_claim: int, n_opinion: int):
    return cls(column=column, kind=kind, n_claim=n_claim, n_opinion=n_opinion,
               balanced_accuracy=split.balanced_accuracy, threshold=split.threshold,
               upper_class=split.upper, claim_levels=list(split.claim_levels),
               recall_claim=split.recall_claim, recall_opinion=split.recall_opinion)
