"""Histogram bin edges that suit the data: integer-aligned, linear or logarithmic."""

from __future__ import annotations

import numpy as np

__all__ = ["bin_edges", "counts"]


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


def counts(values: np.ndarray, edges: np.ndarray) -> list[int]:
    return [int(x) for x in np.histogram(values[~np.isnan(values)], bins=edges)[0]]
