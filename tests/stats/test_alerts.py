"""Data-alert statistics pinned to scipy and scikit-learn; each rule fed both sides of its
threshold and the undefined case."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from claimreport.stats import alerts as A


def _ks_scipy(x: np.ndarray) -> float:
    from scipy import stats

    lo, hi = x.min(), x.max()
    return float(stats.kstest(x, stats.uniform(loc=lo, scale=hi - lo).cdf).statistic)


@pytest.mark.parametrize("draw", [
    lambda rng: rng.uniform(0, 1, 500),  # continuous, no ties
    lambda rng: rng.integers(5, 61, 2000).astype(float),  # integers: many ties (durations)
    lambda rng: rng.exponential(1.0, 800),  # a tail: far from uniform
    lambda rng: np.round(rng.lognormal(5, 2, 1000)),  # a heavy-tailed count with ties
])
def test_ks_uniform_matches_scipy_kstest(draw):
    x = draw(np.random.default_rng(3))
    values, counts = A.value_counts(x)
    assert A.ks_uniform(values, counts) == pytest.approx(_ks_scipy(x), abs=1e-12)


def test_ks_uniform_undefined_for_a_constant():
    assert np.isnan(A.ks_uniform(*A.value_counts(np.array([4.0, 4.0, 4.0]))))
    assert np.isnan(A.ks_uniform(*A.value_counts(np.array([]))))


def test_edge_shares_on_known_data():
    x = np.arange(0, 100, dtype=float)  # range 0..99; 5% bands: <= 4.95 and >= 94.05
    low, high = A.edge_shares(*A.value_counts(x))
    assert (low, high) == (0.05, 0.05)
    low, high = A.edge_shares(*A.value_counts(np.array([0, 50, 50, 50, 100.0])))
    assert (low, high) == (0.2, 0.2)


def _brute_force_ba(claim: np.ndarray, opinion: np.ndarray) -> float:
    from sklearn.metrics import balanced_accuracy_score

    y = np.r_[np.ones(len(claim), bool), np.zeros(len(opinion), bool)]
    x = np.r_[claim, opinion]
    best = 0.0
    for t in np.unique(x):
        for pred in (x > t, x <= t):
            best = max(best, balanced_accuracy_score(y, pred))
    return best


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_best_cut_is_the_best_threshold_rule(seed):
    from sklearn.metrics import balanced_accuracy_score

    rng = np.random.default_rng(seed)
    claim = rng.integers(0, 60, 300).astype(float) + (seed * 10)
    opinion = rng.integers(0, 50, 200).astype(float)
    split = A.best_cut(A.value_counts(claim), A.value_counts(opinion))
    assert split.balanced_accuracy == pytest.approx(_brute_force_ba(claim, opinion), abs=1e-12)
    # the stored rule reproduces the score and both recalls
    x = np.r_[claim, opinion]
    y = np.r_[np.ones(300, bool), np.zeros(200, bool)]
    pred = (x > split.threshold) if split.upper == "claim" else (x <= split.threshold)
    assert balanced_accuracy_score(y, pred) == pytest.approx(split.balanced_accuracy, abs=1e-12)
    assert split.recall_claim == pytest.approx(pred[y].mean())
    assert split.recall_opinion == pytest.approx((~pred[~y]).mean())


def test_best_cut_on_separated_and_reversed_classes():
    perfect = A.best_cut(A.value_counts(np.array([10.0, 11, 12])), A.value_counts(np.array([1.0, 2])))
    assert (perfect.balanced_accuracy, perfect.threshold, perfect.upper) == (1.0, 2.0, "claim")
    reverse = A.best_cut(A.value_counts(np.array([1.0, 2])), A.value_counts(np.array([10.0, 11])))
    assert (reverse.balanced_accuracy, reverse.threshold, reverse.upper) == (1.0, 2.0, "opinion")
    assert reverse.recall_claim == 1.0 and reverse.recall_opinion == 1.0
    same = A.best_cut(A.value_counts(np.array([1.0, 2])), A.value_counts(np.array([1.0, 2])))
    assert same.balanced_accuracy == 0.5
    empty = A.best_cut(A.value_counts(np.array([1.0])), A.value_counts(np.array([])))
    assert np.isnan(empty.balanced_accuracy)


def test_best_levels_matches_balanced_accuracy_score():
    from sklearn.metrics import balanced_accuracy_score

    claim = pd.Series(["banned"] * 30 + ["under review"] * 30 + ["active"] * 40)
    opinion = pd.Series(["banned"] * 2 + ["under review"] * 8 + ["active"] * 90)
    split = A.best_levels(claim, opinion, ("active", "under review", "banned"))
    assert split.claim_levels == ("under review", "banned")
    y = np.r_[np.ones(100, bool), np.zeros(100, bool)]
    pred = pd.concat([claim, opinion]).isin(split.claim_levels).to_numpy()
    assert split.balanced_accuracy == pytest.approx(balanced_accuracy_score(y, pred))
    assert split.recall_claim == pytest.approx(0.6) and split.recall_opinion == pytest.approx(0.9)


def test_duplicate_texts_counts_repeats_and_conflicts():
    text = pd.Series(["a b", "a b", "c d", "c d", "c d", "e f", None, None])
    label = pd.Series(["claim", "claim", "claim", "opinion", "claim", "opinion", None, "claim"])
    assert A.duplicate_texts(text, label) == (3, 1)  # 1 repeat of "a b", 2 of "c d"
    assert A.duplicate_texts(pd.Series(["x", "y", None]), pd.Series(["claim"] * 3)) == (0, 0)


def _frame(views_claim, views_opinion, missing_rows=0, texts=None):
    n_c, n_o = len(views_claim), len(views_opinion)
    n = n_c + n_o
    df = pd.DataFrame({
        "claim_status": ["claim"] * n_c + ["opinion"] * n_o,
        "video_view_count": np.r_[views_claim, views_opinion].astype(float),
        "video_transcription_text": texts if texts is not None else [f"text {i}" for i in range(n)],
        "author_ban_status": ["active"] * n,
    })
    df.loc[: missing_rows - 1, "video_view_count"] = np.nan
    return df


def _checks(df):
    from claimreport.data import schema as S

    df = df.assign(**{c: 1.0 for c in S.DATA_COLUMNS if c not in df})
    df[S.ID] = np.arange(len(df))
    from claimreport.backends.pandas_backend import PandasBackend

    return A.data_checks(PandasBackend(df), ["video_view_count"], {"author_ban_status": ("active", "banned")},
                         "claim_status", "video_transcription_text")


def test_rules_fire_on_the_side_of_their_thresholds():
    rng = np.random.default_rng(0)
    flat = _checks(_frame(rng.integers(1000, 1_000_001, 2000), rng.integers(20, 10_001, 2000)))
    codes = [a.code for a in flat.alerts]
    assert codes == ["separating_column", "near_uniform"]  # in ALERT_ORDER
    near = next(a for a in flat.alerts if a.code == "near_uniform")
    assert near.columns == ["video_view_count"] and near.value < A.UNIFORM_KS_MAX

    tail = _checks(_frame(np.round(rng.lognormal(8, 1.5, 2000)), np.round(rng.lognormal(8, 1.5, 2000))))
    assert [a.code for a in tail.alerts] == []  # same tail in both classes: nothing to flag
    assert all(u.ks_distance > A.UNIFORM_KS_MAX for u in tail.uniformity)
    assert tail.separation[0].balanced_accuracy < A.SEPARATION_MIN

    # uniform but too few values per class to judge: not flagged, distance not defined
    few = _checks(_frame(rng.integers(0, 100, 50), rng.integers(0, 100, 50)))
    assert "near_uniform" not in [a.code for a in few.alerts]
    assert np.isnan(few.uniformity[0].ks_distance)


def test_uniform_without_hard_bounds_is_not_flagged():
    # a uniform bulk whose top 5% band is nearly empty (a taper): the KS distance alone is small
    rng = np.random.default_rng(1)
    body = rng.uniform(0, 95, 5000)
    x = np.r_[body, [99.0]]  # one straggler sets the max
    check = _checks(_frame(x, x)).uniformity[0]
    assert check.ks_distance < A.UNIFORM_KS_MAX
    assert check.edge_share_high < A.EDGE_FILL_MIN * A.EDGE_BAND and not check.near_uniform


def test_duplicate_and_missingness_alerts():
    rng = np.random.default_rng(2)
    views = rng.lognormal(8, 1.5, 100)
    texts = ["same words"] * 2 + [f"text {i}" for i in range(98)]
    df = _frame(views[:50], views[50:], missing_rows=10, texts=texts)
    out = _checks(df)
    assert out.duplicate_transcriptions == 1 and out.duplicate_transcription_conflicts == 0
    assert out.rows_with_missing_share == pytest.approx(0.10)
    assert [a.code for a in out.alerts] == ["duplicate_transcriptions", "heavy_missingness"]
    quiet = _checks(_frame(views[:50], views[50:], missing_rows=5))  # 5% is not above 5%
    assert [a.code for a in quiet.alerts] == []
