"""Histogram bin edges that suit the data: integer-aligned, linear or logarithmic."""

from __future__ import annotations

import numpy as np

__all__ = ["bin_edges", "bin_edges_from", "counts"]


def bin_edges(values: np.ndarray, log: bool, bins: int) -> np.ndarray:
    """Edges for *values* (NaN-free).

    * ``log``: geometric bins from the smallest positive value, with a first bin starting at 0
      so zero counts stay visible on a symlog axis instead of vanishing from a log axis;
    * whole numbers: bins aligned on integers, so no bin is empty by aliasing;
    * otherwise numpy's equal-width bins.
    """
    if values.size == 0:
        return np.array([0.0, 1.0])
    if log:
        positive = values[values > 0]
        lo = max(positive.min(), 1.0) if positive.size else 1.0
        edges = np.geomspace(lo, max(values.max(), lo * 10), bins + 1)
        edges[0] = 0.0
        return edges
    if np.all(values == np.round(values)):
        width = max(1.0, np.ceil((values.max() - values.min() + 1) / bins))
        return np.arange(values.min() - 0.5, values.max() + width, width)
    return np.histogram_bin_edges(values, bins=bins)


def bin_edges_from(m, log: bool, bins: int, whole: bool = True) -> np.ndarray:
    """:func:`bin_edges` from a column's :class:`~claimreport.backends.Moments` (its range, its
    smallest positive value) instead of its values; *whole* says the values are whole numbers
    (counts and lengths are)."""
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


def counts(values: np.ndarray, edges: np.ndarray) -> list[int]:
    return [int(x) for x in np.histogram(values[~np.isnan(values)], bins=edges)[0]]
