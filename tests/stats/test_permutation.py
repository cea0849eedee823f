"""Batched permutation importance: scikit-learn's numbers, draw for draw."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.inspection import permutation_importance as sklearn_permutation_importance
from sklearn.linear_model import LogisticRegression

from claimreport.stats.permutation import (
    _batches,
    permutation_importance,
    permutation_orders,
    recall,
)


def data(n: int = 300, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Two informative columns, a sparse count (mostly zeros, as the phrase counts are), an
    indicator and a noise column."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n),
                      "phrase": rng.poisson(0.1, size=n), "flag": rng.integers(0, 2, size=n),
                      "noise": rng.normal(size=n)})
    y = ((X["a"] + 0.5 * X["b"] + 0.3 * X["phrase"] + rng.normal(0, 0.5, n)) > 0).astype(int)
    return X, y.to_numpy()


@pytest.mark.parametrize("n_jobs", [1, 2])
@pytest.mark.parametrize("model", [
    RandomForestClassifier(n_estimators=20, random_state=0, n_jobs=1),
    LogisticRegression(),
])
def test_equals_scikit_learn_exactly(model, n_jobs):
    X, y = data()
    model.fit(X, y)
    ours = permutation_importance(model, X, y, n_repeats=4, random_state=42, n_jobs=n_jobs)
    # sklearn: permutation_importance(model, X, y, scoring="recall", n_repeats=4, random_state=42)
    ref = sklearn_permutation_importance(model, X, y, scoring="recall", n_repeats=4,
                                         random_state=42)
    np.testing.assert_array_equal(ours.importances, ref.importances)
    np.testing.assert_array_equal(ours.importances_mean, ref.importances_mean)
    np.testing.assert_array_equal(ours.importances_std, ref.importances_std)
    assert ours.baseline == recall(y, model.predict(X))


def test_xgboost_equals_scikit_learn_exactly():
    xgb = pytest.importorskip("xgboost")
    X, y = data(seed=1)
    model = xgb.XGBClassifier(n_estimators=30, max_depth=3, random_state=0, n_jobs=1).fit(X, y)
    ours = permutation_importance(model, X, y, n_repeats=3, random_state=7, n_jobs=2)
    ref = sklearn_permutation_importance(model, X, y, scoring="recall", n_repeats=3,
                                         random_state=7)
    np.testing.assert_array_equal(ours.importances, ref.importances)


class Counting:
    """A model that counts the rows it is asked to predict."""

    def __init__(self, model):
        self.model, self.rows = model, 0

    def predict(self, X):
        self.rows += len(X)
        return self.model.predict(X)


def test_rows_a_permutation_leaves_unchanged_are_not_predicted_again():
    X, y = data()
    counting = Counting(LogisticRegression().fit(X, y))
    permutation_importance(counting, X, y, n_repeats=5, random_state=0)
    every = len(X) * (1 + 5 * X.shape[1])  # what predicting every permuted copy would take
    orders = permutation_orders(len(X), 5, 0)
    # recall reads the positives only; a shuffled value equal to the old one changes nothing
    changed = sum(int(((X[c].to_numpy()[o] != X[c].to_numpy()) & (y == 1)).sum())
                  for c in X.columns for o in orders)
    assert counting.rows == len(X) + changed < every
    assert changed < 0.5 * (every - len(X))


def test_other_scores_see_every_row():
    from sklearn.metrics import precision_score

    X, y = data(seed=2)
    model = LogisticRegression().fit(X, y)
    ours = permutation_importance(model, X, y, n_repeats=3, random_state=1,
                                  score=lambda t, p: precision_score(t, p, zero_division=0))
    ref = sklearn_permutation_importance(model, X, y, scoring="precision", n_repeats=3,
                                         random_state=1)
    np.testing.assert_array_equal(ours.importances, ref.importances)


def test_permutation_orders_compose_the_shuffles():
    orders = permutation_orders(10, 3, 5)
    assert orders.shape == (3, 10)
    for order in orders:
        assert sorted(order) == list(range(10))
    assert not np.array_equal(orders[0], orders[1])
    np.testing.assert_array_equal(orders, permutation_orders(10, 3, 5))


def test_batches_cover_every_feature_once_in_whole_rounds():
    batches = _batches([50_000] * 7, n_jobs=2)
    assert [j for b in batches for j in b] == list(range(7))
    assert len(batches) % 2 == 0
    assert _batches([10] * 3, n_jobs=1) == [[0, 1, 2]]


def test_recall_without_positives_is_zero_as_scikit_learn():
    assert recall(np.array([0, 0]), np.array([1, 0])) == 0.0
    assert recall(np.array([1, 1, 0]), np.array([1, 0, 1])) == 0.5
