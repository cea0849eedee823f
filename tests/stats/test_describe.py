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
