"""A small summary of the input data, stored in every bundle, to measure drift between builds.

Each count column is summarised by its decile edges and the rows per decile bin; each category
column by its level counts. The next build bins its own data on the previous edges and compares
the shares with the population stability index (PSI), a standard drift measure for scheduled
model monitoring: PSI = Σ (new − old) · ln(new / old) over bins.

Notes
-----
* Shares are floored at ``EPSILON`` before the logarithm, as usual for PSI, so an empty bin on
  one side gives a large but finite index.
* Conventional reading: below 0.1 no real change, 0.1–0.25 a moderate shift, above 0.25 a major
  shift (``PSI_MODERATE``, ``PSI_MAJOR``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .results.base import Frozen, Num

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["ColumnProfile", "DataProfile", "Drift", "profile_data", "drift", "psi",
           "PSI_MODERATE", "PSI_MAJOR", "EPSILON"]

PSI_MODERATE = 0.1
PSI_MAJOR = 0.25
EPSILON = 1e-4


class ColumnProfile(Frozen):
    column: str
    kind: str  # "count" or "category"
    edges: list[Num] = []  # counts: bin edges (deciles), first and last open-ended in use
    labels: list[str] = []  # categories: levels, "missing" included
    counts: list[int]
    missing: int


class DataProfile(Frozen):
    rows: int
    columns: list[ColumnProfile]


class Drift(Frozen):
    """The shift of one column between the previous build's data and this build's."""

    column: str
    psi: Num
    level: str  # "none", "moderate" or "major"


def _bins(values, edges):
    import numpy as np

    inner = np.asarray(edges[1:-1], dtype=float)
    idx = np.searchsorted(inner, values, side="right")
    return np.bincount(idx, minlength=len(edges) - 1)


def profile_data(frame: pd.DataFrame) -> DataProfile:
    """Decile edges and counts of every count column, level counts of every category column."""
    import numpy as np

    from .data import schema as S

    columns = []
    for col in S.COUNT_COLUMNS:
        values = frame[col].dropna().to_numpy(float)
        if values.size:
            edges = np.unique(np.quantile(values, np.linspace(0, 1, 11)))
            if edges.size < 2:  # a constant column: one bin
                edges = np.array([edges[0], edges[0]])
        else:
            edges = np.array([0.0, 0.0])
        counts = _bins(values, edges) if values.size else np.zeros(len(edges) - 1, int)
        columns.append(ColumnProfile(column=col, kind="count", edges=[float(e) for e in edges],
                                     counts=[int(c) for c in counts],
                                     missing=int(frame[col].isna().sum())))
    for col, levels in S.LABELS.items():
        s = frame[col]
        labels = [*levels, "missing"]
        counts = [int((s == lvl).sum()) for lvl in levels] + [int(s.isna().sum())]
        columns.append(ColumnProfile(column=col, kind="category", labels=labels, counts=counts,
                                     missing=int(s.isna().sum())))
    return DataProfile(rows=len(frame), columns=columns)


def psi(old: list[float], new: list[float]) -> float:
    """Population stability index of two count vectors over the same bins."""
    total_old, total_new = sum(old), sum(new)
    if not total_old or not total_new:
        return math.nan
    out = 0.0
    for o, n in zip(old, new):
        po, pn = max(o / total_old, EPSILON), max(n / total_new, EPSILON)
        out += (pn - po) * math.log(pn / po)
    return out


def _level(value: float) -> str:
    if not value == value:
        return "none"
    return "major" if value >= PSI_MAJOR else "moderate" if value >= PSI_MODERATE else "none"


def drift(previous: DataProfile, frame: pd.DataFrame) -> list[Drift]:
    """PSI of every profiled column: this build's *frame* binned on *previous*'s edges."""
    out = []
    for p in previous.columns:
        if p.column not in frame:
            continue
        s = frame[p.column]
        if p.kind == "count":
            new = _bins(s.dropna().to_numpy(float), p.edges).tolist() + [int(s.isna().sum())]
            old = [*p.counts, p.missing]
        else:
            new = [int((s == lvl).sum()) for lvl in p.labels[:-1]] + [int(s.isna().sum())]
            old = list(p.counts)
        value = psi(old, new)
        out.append(Drift(column=p.column, psi=round(value, 6) if value == value else value,
                         level=_level(value)))
    return out
