"""Descriptive statistics with a fixed shape: one row per (group, column)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["SUMMARY_COLUMNS", "describe", "box_stats", "iqr_fences"]

SUMMARY_COLUMNS = [
    "count", "mean", "median", "std", "min", "q1", "q3", "max", "iqr", "outliers_iqr", "skewness",
]


def iqr_fences(values: np.ndarray) -> tuple[float, float]:
    """Tukey's fences Q1 - 1.5 IQR and Q3 + 1.5 IQR (quartiles with linear interpolation)."""
    q1, q3 = np.percentile(values, [25, 75])
    iqr = q3 - q1
    return float(q1 - 1.5 * iqr), float(q3 + 1.5 * iqr)


def _row(values: np.ndarray) -> dict[str, float]:
    import pandas as pd

    values = values[~np.isnan(values)]
    if values.size == 0:
        return {"count": 0, **{k: np.nan for k in SUMMARY_COLUMNS[1:]}}
    q1, med, q3 = np.percentile(values, [25, 50, 75])
    lo, hi = iqr_fences(values)
    return {
        "count": int(values.size),
        "mean": float(values.mean()),
        "median": float(med),
        "std": float(values.std(ddof=1)) if values.size > 1 else np.nan,
        "min": float(values.min()),
        "q1": float(q1),
        "q3": float(q3),
        "max": float(values.max()),
        "iqr": float(q3 - q1),
        "outliers_iqr": int(((values < lo) | (values > hi)).sum()),
        # pandas' adjusted Fisher-Pearson skewness, the figure the course reads off df.skew()
        "skewness": float(pd.Series(values).skew()),
    }


def describe(frame: pd.DataFrame, columns: list[str], by: str | None = None,
             order: tuple[str, ...] = ()) -> pd.DataFrame:
    """Summary statistics of *columns*, overall (``by=None``) or per level of *by*.

    Missing values are left out per column, as pandas does. Groups appear in *order* (levels not
    in it after, sorted) and rows whose *by* is missing are left out of the grouped table.
    """
    import pandas as pd

    rows = []
    rank = {level: i for i, level in enumerate(order)}
    groups = ([("all", frame)] if by is None
              else sorted(frame.groupby(by, dropna=True),
                          key=lambda g: (rank.get(g[0], len(rank)), str(g[0]))))
    for level, part in groups:
        for col in columns:
            rows.append({"group": str(level), "column": col, **_row(part[col].to_numpy(float))})
    out = pd.DataFrame(rows, columns=["group", "column", *SUMMARY_COLUMNS])
    if by is None:
        out = out.drop(columns="group")
    return out


def box_stats(values: np.ndarray) -> dict[str, float]:
    """Inputs of matplotlib ``bxp``: quartiles and whiskers at the last points inside the fences."""
    values = values[~np.isnan(values)]
    q1, med, q3 = np.percentile(values, [25, 50, 75])
    lo, hi = iqr_fences(values)
    inside = values[(values >= lo) & (values <= hi)]
    return {
        "n": int(values.size),
        "mean": float(values.mean()),
        "med": float(med),
        "q1": float(q1),
        "q3": float(q3),
        "whislo": float(inside.min()),
        "whishi": float(inside.max()),
    }
