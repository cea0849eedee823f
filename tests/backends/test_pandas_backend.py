"""The statistics layer on pandas against independent references (numpy, pandas, scipy), and
the stage figures it feeds against the row-based functions they replace."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from claimreport.backends import Moments
from claimreport.backends.pandas_backend import PandasBackend
from claimreport.data import schema as S
from claimreport.data.demo import generate
from claimreport.stats.describe import box_stats, box_stats_from, describe, describe_from
from claimreport.stats.inference import hedges_g, hedges_g_from, welch, welch_from


@pytest.fixture(scope="module")
def frame():
    df = generate(rows=3000, random_state=7)
    df = df.drop(columns=[S.ROW_NUMBER])
    for c in S.COUNT_COLUMNS:
        df[c] = df[c].astype(float)
    return df


@pytest.fixture(scope="module")
def backend(frame):
    return PandasBackend(frame)


def test_moments_match_numpy_and_pandas():
    x = np.random.default_rng(0).lognormal(3, 1.5, 5000)
    m = Moments.of(np.r_[x, np.nan])
    assert m.n == 5000 and m.mean == pytest.approx(x.mean(), rel=1e-12)
    assert m.variance == pytest.approx(x.var(ddof=1), rel=1e-12)
    assert m.skewness == pytest.approx(pd.Series(x).skew(), rel=1e-10)
    assert m.kurtosis == pytest.approx(stats.kurtosis(x), rel=1e-10)
    assert np.isnan(Moments.of(np.full(5, 3.0)).skewness)  # as pandas: not defined


def test_merged_moments_are_the_moments_of_the_union():
    rng = np.random.default_rng(1)
    a, b = rng.exponential(5, 700), rng.normal(40, 3, 300)
    merged, whole = Moments.of(a).merge(Moments.of(b)), Moments.of(np.r_[a, b])
    for field in ("n", "mean", "m2", "m3", "m4", "minimum", "maximum", "min_positive"):
        assert getattr(merged, field) == pytest.approx(getattr(whole, field), rel=1e-9)


def test_groups_counts_and_quantiles(backend, frame):
    m = backend.moments([S.VIEWS], by=(S.CLAIM,))
    for level in ("claim", "opinion"):
        x = frame.loc[frame[S.CLAIM] == level, S.VIEWS].dropna()
        assert m[(level,), S.VIEWS].n == len(x)
        assert m[(level,), S.VIEWS].mean == pytest.approx(x.mean(), rel=1e-12)
        q = backend.quantiles([S.VIEWS], (0.25, 0.5, 0.75), by=(S.CLAIM,))[(level,), S.VIEWS]
        assert list(q) == pytest.approx(list(np.percentile(x, [25, 50, 75])))
    counts = backend.counts([S.CLAIM, S.VERIFIED])
    ref = frame[[S.CLAIM, S.VERIFIED]].value_counts(dropna=False)
    assert counts["count"].sum() == len(frame) and len(counts) == len(ref)
    complete = backend.counts([S.CLAIM], complete=True)
    assert complete["count"].sum() == len(frame.dropna())


def test_comoments_give_pandas_correlations(backend, frame):
    cols = list(S.ENGAGEMENT_COLUMNS)
    r = backend.comoments(cols)[()].correlation()
    assert np.allclose(r, frame[cols].dropna().corr().to_numpy(), atol=1e-12)


def test_describe_and_boxes_from_aggregates_equal_the_row_versions(backend, frame):
    cols = [S.VIEWS, S.LIKES, S.DURATION]
    for by, order in ((None, ()), (S.VERIFIED, S.LABELS[S.VERIFIED])):
        new, old = describe_from(backend, cols, by, order), describe(frame, cols, by, order)
        pd.testing.assert_frame_equal(new, old, check_exact=False, rtol=1e-9)
    x = frame.loc[frame[S.CLAIM] == "opinion", S.VIEWS].to_numpy(float)
    x = x[~np.isnan(x)]
    q = np.percentile(x, [25, 50, 75])
    lo, hi = q[0] - 1.5 * (q[2] - q[0]), q[2] + 1.5 * (q[2] - q[0])
    tails = backend.tails(S.VIEWS, {("opinion",): (lo, hi)}, by=(S.CLAIM,))[("opinion",)]
    new, old = box_stats_from(Moments.of(x), q, tails, (x[x < lo], x[x > hi])), box_stats(x)
    assert new.pop("fliers") == old.pop("fliers")
    assert new == pytest.approx(old)


def test_welch_and_hedges_from_moments_equal_scipy():
    rng = np.random.default_rng(3)
    a, b = rng.exponential(3, 400), rng.exponential(2, 90)
    w, ref = welch_from(Moments.of(a), Moments.of(b)), stats.ttest_ind(a, b, equal_var=False)
    assert (w.t_statistic, w.p_value, w.dof) == pytest.approx((ref.statistic, ref.pvalue, ref.df))
    ci = ref.confidence_interval()
    assert (w.ci_low, w.ci_high) == pytest.approx((ci.low, ci.high))
    assert welch(a, b).t_statistic == pytest.approx(w.t_statistic)
    assert hedges_g_from(Moments.of(a), Moments.of(b)) == pytest.approx(hedges_g(a, b))


def test_histogram_value_counts_and_duplicates(backend, frame):
    edges = np.linspace(0, 1e6, 11)
    h = backend.histogram(S.VIEWS, edges, by=(S.CLAIM,))
    x = frame.loc[frame[S.CLAIM] == "claim", S.VIEWS].dropna()
    assert list(h[("claim",)]) == list(np.histogram(x, edges)[0])
    values, counts = backend.value_counts(S.DURATION, by=(S.CLAIM,))[("claim",)]
    ref = frame.loc[frame[S.CLAIM] == "claim", S.DURATION].value_counts().sort_index()
    assert list(values) == list(ref.index) and list(counts) == list(ref)
    twice = PandasBackend(pd.concat([frame, frame.iloc[:5]], ignore_index=True))
    d = twice.duplicates()
    assert (d.rows, d.ids) == (5, 5) and d.texts >= 5


def test_sample_is_everything_below_the_cap_and_stratified_above(backend, frame):
    assert len(backend.sample(10_000, S.CLAIM, 1)) == len(frame)
    part = backend.sample(1000, S.CLAIM, 1)
    assert 950 <= len(part) <= 1050
    assert part.index.is_monotonic_increasing  # data order
    share = (part[S.CLAIM] == "claim").mean()
    assert share == pytest.approx((frame[S.CLAIM] == "claim").mean(), abs=0.01)
    pd.testing.assert_frame_equal(part, backend.sample(1000, S.CLAIM, 1))  # seeded


def test_boxes_with_outliers_from_aggregates_equal_the_row_version():
    x = np.r_[np.random.default_rng(4).normal(100, 10, 500), 400.0, 420.0, -300.0]
    frame = pd.DataFrame({S.CLAIM: "claim", S.VIEWS: x})
    for c in S.DATA_COLUMNS:
        frame[c] = frame.get(c, 1.0)
    frame[S.ID] = np.arange(len(x))
    frame[S.TEXT] = "some text"
    b = PandasBackend(frame)
    q = np.percentile(x, [25, 50, 75])
    lo, hi = q[0] - 1.5 * (q[2] - q[0]), q[2] + 1.5 * (q[2] - q[0])
    tails = b.tails(S.VIEWS, {("claim",): (lo, hi)}, by=(S.CLAIM,))[("claim",)]
    new, old = box_stats_from(Moments.of(x), q, tails, (x[x < lo], x[x > hi])), box_stats(x)
    assert new.pop("fliers") == old.pop("fliers") and new["n_fliers"] >= 3
    assert new == pytest.approx(old)
