"""Histogram bin edges that suit the data: integer-aligned, linear or logarithmic."""

from __future__ import annotations

import numpy as np

__all__ = ["bin_edges_from"]


def bin_edges_from(m, log: bool, bins: int, whole: bool = True) -> np.ndarray:
    """Histogram edges from a column's :class:`~claimreport.backends.Moments` (its range, its
    smallest positive value), so no backend has to hand over the values.

    * ``log``: geometric bins from the smallest positive value, with a first bin starting at 0
      so zero counts stay visible on a symlog axis instead of vanishing from a log axis;
    * *whole* numbers (counts and lengths are): bins aligned on integers, so no bin is empty by
      aliasing;
    * otherwise numpy's equal-width bins.
    """
    if m.n == 0:
        return np.array([0.0, 1.0])
    if log:
        lo = max(m.min_positive, 1.0) if m.min_positive == m.min_positive else 1.0
        edges = np.geomspace(lo, max(m.maximum, lo * 10), bins + 1)
        edges[0] = 0.0
        return edges
    if whole:
        width = max(1.0, np.ceil((m.maximum - m.minimum + 1) / bins))
        return np.arange(m.minimum - 0.5, m.maximum + width, width)
    return np.histogram_bin_edges(np.array([m.minimum, m.maximum]), bins=bins)
