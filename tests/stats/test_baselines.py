"""Baselines pinned to hand computations and to scikit-learn on small data."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, precision_score, recall_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from claimreport.results.modeling import Baseline
from claimreport.stats.baselines import (
    ThresholdRule,
    best_baseline,
    best_threshold_rule,
    binary_scores,
    learn_baselines,
    majority_class,
    margin_per_1000,
    scan_feature,
)

# a: 1..6 with labels 0 0 1 0 1 1. Flagging above each midpoint, by hand:
#   > 1.5: TPR 3/3, TNR 1/3 -> BA 2/3     > 2.5: TPR 3/3, TNR 2/3 -> BA 5/6
#   > 3.5: TPR 2/3, TNR 2/3 -> BA 2/3     > 4.5: TPR 2/3, TNR 3/3 -> BA 5/6
#   > 5.5: TPR 1/3, TNR 3/3 -> BA 2/3
A = np.array([1, 2, 3, 4, 5, 6], dtype=float)
Y = np.array([0, 0, 1, 0, 1, 1])


def test_scan_feature_by_hand():
    thresholds, ba = scan_feature(A, Y)
    assert thresholds.tolist() == [1.5, 2.5, 3.5, 4.5, 5.5]
    assert ba == pytest.approx([2 / 3, 5 / 6, 2 / 3, 5 / 6, 2 / 3])
    # unsorted input and repeated values give the same scan
    order = np.array([3, 0, 5, 1, 4, 2])
    t2, ba2 = scan_feature(A[order], Y[order])
    assert t2.tolist() == thresholds.tolist() and ba2 == pytest.approx(ba)


def test_best_rule_by_hand_with_its_tie_break():
    """Two thresholds tie at 5/6: the lower one wins; a weaker feature loses."""
    X = pd.DataFrame({"noise": [1, 2, 1, 2, 1, 2], "a": A})  # noise: best BA 2/3
    rule = best_threshold_rule(X, Y)
    assert rule == ThresholdRule("a", "above", 2.5, pytest.approx(5 / 6))
    assert rule.predict([2, 2.5, 3]).tolist() == [0, 0, 1]


def test_best_rule_flags_below_when_that_is_better():
    X = pd.DataFrame({"minus_a": -A})
    rule = best_threshold_rule(X, Y)
    assert rule.direction == "below" and rule.balanced_accuracy == pytest.approx(5 / 6)
    assert rule.predict(-A).tolist() in ([0, 0, 1, 1, 1, 1], [0, 0, 0, 0, 1, 1])


def _brute_force(X: pd.DataFrame, y: np.ndarray) -> float:
    """Balanced accuracy of the best rule by trying every midpoint and both directions with
    scikit-learn's balanced_accuracy_score."""
    best = 0.0
    for name in X.columns:
        values = np.unique(X[name])
        for t, above in itertools.product((values[:-1] + values[1:]) / 2, (True, False)):
            pred = X[name].to_numpy() > t if above else X[name].to_numpy() < t
            best = max(best, balanced_accuracy_score(y, pred))
    return best


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_best_rule_matches_a_brute_force_search(seed):
    rng = np.random.default_rng(seed)
    n = 120
    y = (rng.random(n) < 0.3).astype(int)  # imbalanced: accuracy would favour the majority
    X = pd.DataFrame({"counts": rng.poisson(5 + 3 * y), "flag": rng.integers(0, 2, n),
                      "noisy": rng.normal(-0.5 * y, 1).round(1)})
    rule = best_threshold_rule(X, y)
    assert rule.balanced_accuracy == pytest.approx(_brute_force(X, y))
    pred = rule.predict(X[rule.feature])
    assert balanced_accuracy_score(y, pred) == pytest.approx(rule.balanced_accuracy)


def test_no_rule_without_variation_or_without_both_classes():
    assert best_threshold_rule(pd.DataFrame({"c": [1.0] * 6}), Y) is None
    assert best_threshold_rule(pd.DataFrame({"a": A}), np.ones(6, int)) is None


def test_binary_scores_match_scikit_learn():
    y = np.array([1, 1, 1, 0, 0, 1, 0, 1])
    p = np.array([1, 0, 1, 1, 0, 1, 0, 0])
    s = binary_scores(y, p)
    assert s.recall == pytest.approx(recall_score(y, p))
    assert s.precision == pytest.approx(precision_score(y, p))
    assert s.flag_rate == pytest.approx(4 / 8)
    assert (s.claims, s.caught, s.flagged, s.videos) == (5, 3, 4, 8)
    nothing = binary_scores(y, np.zeros(8))
    assert np.isnan(nothing.precision) and nothing.recall == 0
    assert np.isnan(binary_scores(np.zeros(3), np.ones(3)).recall)


def test_majority_class_breaks_a_tie_towards_claims():
    assert majority_class([0, 0, 1]) == 0
    assert majority_class([1, 1, 0]) == 1
    assert majority_class([1, 0]) == 1


def _frame(rng, n):
    y = (rng.random(n) < 0.5).astype(int)
    X = pd.DataFrame({"views": rng.lognormal(8 + 3 * y, 1).round(),
                      "likes": rng.lognormal(6 + 2 * y, 1.5).round(),
                      "verified": rng.integers(0, 2, n)})
    return X, y


def test_learn_baselines_fits_on_training_rows_only():
    rng = np.random.default_rng(3)
    Xt, yt = _frame(rng, 400)
    Xv, yv = _frame(rng, 200)
    base = {b.kind: b for b in learn_baselines(Xt, yt, Xv, yv, random_state=0)}
    assert set(base) == {"majority", "rule", "logistic"}
    rule = best_threshold_rule(Xt, yt)
    assert (base["rule"].feature, base["rule"].direction, base["rule"].threshold) == (
        rule.feature, rule.direction, rule.threshold)
    assert base["rule"].recall == pytest.approx(recall_score(yv, rule.predict(Xv[rule.feature])))
    reference = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)).fit(Xt, yt)
    assert base["logistic"].recall == pytest.approx(recall_score(yv, reference.predict(Xv)))
    majority = majority_class(yt)
    assert base["majority"].predicts == ("claim" if majority else "opinion")
    assert base["majority"].flag_rate == majority
    # validation labels never shape a baseline
    again = {b.kind: b for b in learn_baselines(Xt, yt, Xv, 1 - yv, random_state=0)}
    assert again["rule"].threshold == base["rule"].threshold
    assert again["logistic"].flagged == base["logistic"].flagged


def _b(kind, recall, precision):
    return Baseline(kind=kind, recall=recall, precision=precision, flag_rate=0.5, claims=100,
                    caught=round(100 * recall) if recall == recall else 0, flagged=50, videos=200)


def test_best_baseline_is_the_highest_learned_recall_ties_by_precision():
    majority = _b("majority", 1.0, 0.5)  # flags everything: never the bar
    assert best_baseline([majority, _b("rule", 0.98, 1.0), _b("logistic", 0.99, 0.9)]).kind == \
        "logistic"
    assert best_baseline([majority, _b("rule", 0.99, 1.0), _b("logistic", 0.99, 0.9)]).kind == \
        "rule"
    assert best_baseline([majority, _b("rule", 0.99, float("nan")),
                          _b("logistic", 0.99, 0.9)]).kind == "logistic"
    assert best_baseline([majority, _b("logistic", float("nan"), float("nan"))]) is None


def test_margin_is_exact_claims_per_thousand():
    assert margin_per_1000(1916, 1906, 2000) == 5.0  # 10 of 2,000: exactly the bar
    assert margin_per_1000(1916, 1907, 1922) == pytest.approx(1000 * (1916 - 1907) / 1922)
    assert margin_per_1000(5, 7, 10) == -200
    assert np.isnan(margin_per_1000(0, 0, 0))
