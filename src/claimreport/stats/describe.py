"""Descriptive statistics with a fixed shape: one row per (group, column)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["SUMMARY_COLUMNS", "MAX_FLIERS", "EXTREME_FLIERS", "describe", "describe_from",
           "box_stats", "box_stats_from", "iqr_fences", "thin_fliers"]

#: at most this many outliers are stored per box (a bundle stays small, a chart stays fast) ...
MAX_FLIERS = 300
#: ... always including the most extreme values on each side
EXTREME_FLIERS = 20

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


def _fences(q1: float, q3: float) -> tuple[float, float]:
    iqr = q3 - q1
    return float(q1 - 1.5 * iqr), float(q3 + 1.5 * iqr)


def describe_from(stats, columns: list[str], by: str | None = None,
                  order: tuple[str, ...] = ()) -> pd.DataFrame:
    """:func:`describe` from a statistics backend (:class:`claimreport.backends.Backend`): the
    same table, from moments, quantiles and a count of the values beyond the fences."""
    import pandas as pd

    grouping = (by,) if by else ()
    moments = stats.moments(columns, by=grouping)
    quantiles = stats.quantiles(columns, (0.25, 0.5, 0.75), by=grouping)
    levels = sorted({key for key, _ in moments},
                    key=lambda k: (order.index(k[0]) if k and k[0] in order else len(order),
                                   str(k)))
    rows = []
    for col in columns:
        fences = {lv: _fences(quantiles[lv, col][0], quantiles[lv, col][2]) for lv in levels
                  if moments[lv, col].n}
        tails = stats.tails(col, fences, by=grouping)
        for lv in levels:
            m = moments[lv, col]
            row = {"group": str(lv[0]) if lv else "all", "column": col}
            if m.n == 0:
                rows.append({**row, "count": 0, **{k: np.nan for k in SUMMARY_COLUMNS[1:]}})
                continue
            q1, med, q3 = quantiles[lv, col]
            t = tails[lv]
            rows.append({**row, "count": m.n, "mean": m.mean, "median": float(med),
                         "std": m.std, "min": m.minimum, "q1": float(q1), "q3": float(q3),
                         "max": m.maximum, "iqr": float(q3 - q1),
                         "outliers_iqr": t.below + t.above, "skewness": m.skewness})
    rows.sort(key=lambda r: [str(lv[0]) if lv else "all" for lv in levels].index(r["group"]))
    out = pd.DataFrame(rows, columns=["group", "column", *SUMMARY_COLUMNS])
    if by is None:
        out = out.drop(columns="group")
    return out


def box_stats_from(m, quartiles, tails, fliers: tuple[np.ndarray, np.ndarray],
                   max_fliers: int = MAX_FLIERS) -> dict:
    """:func:`box_stats` from a group's moments, quartiles and :class:`Tails`; the outliers
    drawn are *fliers* (the values below and above the fences in the rows at hand: all rows,
    or a sample of them), while ``n_fliers`` counts every row's."""
    q1, med, q3 = quartiles
    return {
        "n": m.n, "mean": m.mean, "med": float(med), "q1": float(q1), "q3": float(q3),
        "whislo": tails.min_inside, "whishi": tails.max_inside,
        "fliers": [float(v) for v in thin_fliers(*fliers, max_fliers)],
        "n_fliers": tails.below + tails.above,
    }


def thin_fliers(low: np.ndarray, high: np.ndarray, cap: int = MAX_FLIERS,
                extreme: int = EXTREME_FLIERS) -> np.ndarray:
    """The outliers to draw, sorted: all of them when there are at most *cap*, otherwise the
    *extreme* most extreme values on each side plus an even sample of the rest, *cap* in all.

    Notes
    -----
    Deterministic (no random sample): the even sample takes equally spaced ranks of the sorted
    remaining outliers, so it keeps their distribution's shape (a quantile sample), and the same
    data always gives the same points. *low* and *high* are the values below and above the
    fences.
    """
    both = np.sort(np.concatenate([low, high]))
    if both.size <= cap:
        return both
    low, high = np.sort(low), np.sort(high)
    extreme = min(extreme, cap // 2)
    n_low, n_high = min(extreme, low.size), min(extreme, high.size)
    ends = np.concatenate([low[:n_low], high[high.size - n_high:]])
    rest = np.concatenate([low[n_low:], high[:high.size - n_high]])  # sorted: low < high
    take = cap - ends.size
    sample = rest[np.unique(np.linspace(0, rest.size - 1, take).round().astype(int))]
    return np.sort(np.concatenate([ends, sample]))


def box_stats(values: np.ndarray, max_fliers: int = MAX_FLIERS) -> dict:
    """Inputs of matplotlib ``bxp``: quartiles, whiskers at the last points inside the fences,
    the outliers beyond them (thinned to *max_fliers*, see :func:`thin_fliers`) and their true
    count ``n_fliers``."""
    values = values[~np.isnan(values)]
    q1, med, q3 = np.percentile(values, [25, 50, 75])
    lo, hi = iqr_fences(values)
    inside = values[(values >= lo) & (values <= hi)]
    low, high = values[values < lo], values[values > hi]
    return {
        "n": int(values.size),
        "mean": float(values.mean()),
        "med": float(med),
        "q1": float(q1),
        "q3": float(q3),
        "whislo": float(inside.min()),
        "whishi": float(inside.max()),
        "fliers": [float(v) for v in thin_fliers(low, high, max_fliers)],
        "n_fliers": int(low.size + high.size),
    }
