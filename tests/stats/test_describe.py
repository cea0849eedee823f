"""Descriptive statistics pinned to pandas/numpy on data with a known answer."""

import numpy as np
import pandas as pd
import pytest

from claimreport.stats.describe import box_stats, describe


def test_describe_matches_pandas():
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"x": rng.exponential(10, 500), "g": rng.choice(["a", "b"], 500)})
    df.loc[:9, "x"] = np.nan
    out = describe(df, ["x"])
    row = out.iloc[0]
    x = df["x"].dropna()
    assert row["count"] == 490
    assert row["mean"] == pytest.approx(x.mean())
    assert row["median"] == pytest.approx(x.median())
    assert row["std"] == pytest.approx(x.std())
    assert row["q1"] == pytest.approx(x.quantile(0.25))
    assert row["skewness"] == pytest.approx(x.skew())
    lo, hi = x.quantile(0.25) - 1.5 * (x.quantile(0.75) - x.quantile(0.25)), \
        x.quantile(0.75) + 1.5 * (x.quantile(0.75) - x.quantile(0.25))
    assert row["outliers_iqr"] == int(((x < lo) | (x > hi)).sum())


def test_describe_by_group_has_one_row_per_group_and_column():
    df = pd.DataFrame({"x": [1.0, 2, 3, 4], "y": [1.0, 1, 1, 1], "g": ["a", "a", "b", None]})
    out = describe(df, ["x", "y"], by="g")
    assert list(out["group"]) == ["a", "a", "b", "b"]
    assert out.loc[(out.group == "a") & (out.column == "x"), "mean"].item() == 1.5


def test_box_stats_whiskers_stop_at_last_point_inside_fences():
    values = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 100.0])
    b = box_stats(values)
    assert b["med"] == 5.5
    assert b["whishi"] == 9  # 100 is beyond Q3 + 1.5 IQR
    assert b["whislo"] == 1


def test_box_stats_match_matplotlib_boxplot_stats_with_every_flier():
    """Few outliers: all of them, exactly matplotlib's (the reference that draws the boxes)."""
    from matplotlib.cbook import boxplot_stats

    rng = np.random.default_rng(1)
    values = np.concatenate([rng.normal(50, 5, 400), [0.0, 1.0, 120.0, 150.0, 151.0]])
    b = box_stats(values)
    ref = boxplot_stats(values, whis=1.5)[0]
    for key in ("med", "q1", "q3", "whislo", "whishi", "mean"):
        assert b[key] == pytest.approx(ref[key])
    assert b["fliers"] == sorted(ref["fliers"].tolist())
    assert b["n_fliers"] == len(ref["fliers"]) >= 5


def test_box_stats_without_outliers_has_none():
    b = box_stats(np.arange(1.0, 11.0))
    assert b["fliers"] == [] and b["n_fliers"] == 0


def test_many_fliers_are_thinned_deterministically_keeping_the_extremes():
    from claimreport.stats.describe import EXTREME_FLIERS, MAX_FLIERS

    rng = np.random.default_rng(2)
    values = np.concatenate([rng.normal(0, 1, 5000), rng.exponential(1, 1500) + 10,
                             -rng.exponential(1, 500) - 10])
    lo, hi = np.percentile(values, [25, 75])
    low_fence, high_fence = lo - 1.5 * (hi - lo), hi + 1.5 * (hi - lo)
    beyond = np.sort(values[(values < low_fence) | (values > high_fence)])
    b = box_stats(values)
    assert b["n_fliers"] == beyond.size > MAX_FLIERS
    assert len(b["fliers"]) == MAX_FLIERS
    assert b["fliers"] == sorted(b["fliers"])
    assert set(b["fliers"]) <= set(beyond.tolist())
    # the most extreme values on each side are always drawn
    assert beyond[:EXTREME_FLIERS].tolist() == b["fliers"][:EXTREME_FLIERS]
    assert beyond[-EXTREME_FLIERS:].tolist() == b["fliers"][-EXTREME_FLIERS:]
    # an even (quantile) sample: both sides keep roughly their share of the outliers
    drawn_high = np.mean(np.asarray(b["fliers"]) > high_fence)
    assert drawn_high == pytest.approx(np.mean(beyond > high_fence), abs=0.05)
    assert box_stats(values) == b  # no randomness


def test_thin_fliers_small_cap():
    from claimreport.stats.describe import thin_fliers

    out = thin_fliers(np.arange(-100.0, -50), np.arange(50.0, 200), cap=10)
    assert len(out) == 10 and out[0] == -100 and out[-1] == 199
