"""Successive halving with the ensemble size as the resource: grown ensembles equal the ones
fitted in one go, the search covers the grid, and what it reports is what scikit-learn's own
cross-validation computes for the chosen settings."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import ParameterGrid, StratifiedKFold, cross_validate

from claimreport.stages.modeling_search import GRIDS
from claimreport.stats.incremental_search import (
    BoostingLearner,
    ForestLearner,
    Scored,
    halving_search,
    nested_sample,
    rung_sizes,
    sample_points,
    smallest_within_se,
)

SEED = 42


@pytest.fixture(scope="module")
def xy():
    X, y = make_classification(n_samples=700, n_features=8, n_informative=4, flip_y=0.05,
                               random_state=3)
    return X.astype(np.float32), y


def test_a_grown_forest_equals_the_forest_fitted_in_one_go(xy):
    X, y = xy
    params = {"max_depth": None, "max_features": 0.6, "max_samples": 0.7,
              "min_samples_leaf": 1, "min_samples_split": 2}
    learner = ForestLearner(SEED)
    grower = learner.start(params, X[:500], y[:500], X[500:])
    grown = grower.grow([8, 25]) + grower.grow([75, 100])
    for size, (proba, predicted) in zip([8, 25, 75, 100], grown):
        fresh = RandomForestClassifier(n_estimators=size, random_state=SEED, n_jobs=1, **params)
        fresh.fit(X[:500], y[:500])
        np.testing.assert_array_equal(proba, fresh.predict_proba(X[500:])[:, 1])
        np.testing.assert_array_equal(predicted, fresh.predict(X[500:]))


def test_a_booster_read_at_fewer_rounds_equals_the_one_trained_for_them(xy):
    xgb = pytest.importorskip("xgboost")
    X, y = xy
    params = {"max_depth": 4, "min_child_weight": 3, "learning_rate": 0.1}
    learner = BoostingLearner(SEED)
    grower = learner.start(params, X[:500], y[:500], X[500:])
    grown = grower.grow([33, 100]) + grower.grow([300])
    for rounds, (proba, predicted) in zip([33, 100, 300], grown):
        fresh = xgb.XGBClassifier(objective="binary:logistic", random_state=SEED, n_jobs=1,
                                  n_estimators=rounds, **params).fit(X[:500], y[:500])
        np.testing.assert_array_equal(proba, fresh.predict_proba(X[500:])[:, 1])
        np.testing.assert_array_equal(predicted, fresh.predict(X[500:]))


def test_forests_whose_splits_coincide_are_one_family(xy):
    """scikit-learn splits a node only with at least max(min_samples_split,
    2 * min_samples_leaf) rows: with leaves of 2, splits 2 and 3 grow the same trees."""
    X, y = xy
    learner = ForestLearner(SEED)
    same = [RandomForestClassifier(n_estimators=20, min_samples_leaf=2, min_samples_split=s,
                                   random_state=SEED).fit(X, y).predict_proba(X) for s in (2, 3)]
    np.testing.assert_array_equal(*same)
    fam = {learner.family(p) for p in ParameterGrid(GRIDS["random_forest"])}
    assert len(fam) == 18  # 24 combinations without n_estimators, 6 of them duplicates
    assert learner.family({"min_samples_leaf": 1, "min_samples_split": 2, "n_estimators": 75}) \
        != learner.family({"min_samples_leaf": 1, "min_samples_split": 3, "n_estimators": 75})


def test_the_candidate_space_is_the_course_grid():
    for kind, n in (("random_forest", 72), ("xgboost", 24)):
        points = sample_points(GRIDS[kind], 200, SEED)
        assert points == list(ParameterGrid(GRIDS[kind]))
        assert len(points) == n
    drawn = sample_points(GRIDS["random_forest"], 10, SEED)
    assert drawn == sample_points(GRIDS["random_forest"], 10, SEED)
    grid = list(ParameterGrid(GRIDS["random_forest"]))
    assert len(drawn) == 10 and all(p in grid for p in drawn)
    assert [grid.index(p) for p in drawn] == sorted(grid.index(p) for p in drawn)


def test_rung_sizes():
    assert rung_sizes([75, 100, 200], 4, 3) == [8, 25, 75, 200]
    assert rung_sizes([300, 500], 4, 3) == [33, 100, 300, 500]
    assert rung_sizes([300, 500], 1, 3) == [500]
    assert rung_sizes([75], 3, 3) == [8, 25, 75]
    with pytest.raises(ValueError, match="too few trees"):
        rung_sizes([2, 3], 5, 3)


def test_nested_sample_prefixes_are_stratified():
    y = np.array([1] * 30 + [0] * 70)
    order = nested_sample(y, 1)
    assert sorted(order) == list(range(100))
    for k in (10, 20, 50):
        assert abs(y[order[:k]].mean() - 0.3) <= 1 / k + 1e-9
    np.testing.assert_array_equal(order, nested_sample(y, 1))


@pytest.fixture(scope="module")
def forest_search(xy):
    X, y = xy
    return halving_search(ForestLearner(SEED), sample_points(GRIDS["random_forest"], None, SEED),
                          X, y, seed=SEED, folds=2, early_folds=1)


def test_the_search_covers_every_family_and_halves(forest_search):
    r = forest_search
    assert r.candidates == 72
    assert [(g.size, g.families, g.folds) for g in r.rungs] == \
        [(8, 18, 1), (25, 6, 1), (75, 2, 1), (200, 1, 1)]
    assert r.fits == 18 + 6 + 2 + 1 + 1  # and the chosen size grown on the second fold
    assert (r.rows, r.folds) == (700, 2)
    first = {ForestLearner(SEED).family(s.params) for s in r.rungs[0].scores}
    assert len(first) == 18  # every family of the grid, scored on the first rung
    last = r.rungs[-1].scores  # the last family at each of its grid sizes, on the first fold
    assert sorted({s.size for s in last}) == [75, 100, 200] and all(s.on_grid for s in last)
    assert len(last) in (3, 6)  # 6 when two grid points grow the same forests
    assert r.best.index in {s.index for s in last} and r.best.params["n_estimators"] == r.best.size


def test_the_reported_cv_recall_is_scikit_learns_for_the_chosen_settings(xy, forest_search):
    X, y = xy
    best = forest_search.best
    cv = StratifiedKFold(2, shuffle=True, random_state=SEED)
    # sklearn: cross_validate(RandomForestClassifier(**best.params), X, y, cv=cv, scoring=...)
    ref = cross_validate(RandomForestClassifier(random_state=SEED, n_jobs=1, **best.params),
                         X, y, cv=cv, scoring=["recall", "precision"])
    assert best.recall_mean == pytest.approx(ref["test_recall"].mean(), abs=1e-15)
    assert best.recall_std == pytest.approx(ref["test_recall"].std(), abs=1e-15)
    assert best.precision_mean == pytest.approx(ref["test_precision"].mean(), abs=1e-15)
    # the sizes were compared on the first fold: scikit-learn's first-fold scores
    first = forest_search.rungs[-1].scores
    for s in first:
        model = RandomForestClassifier(random_state=SEED, n_jobs=1, **s.params)
        train, test = next(cv.split(X, y))
        predicted = model.fit(X[train], y[train]).predict(X[test])
        assert s.recall_mean == pytest.approx(np.mean(predicted[y[test] == 1] == 1), abs=1e-15)


def test_the_search_is_reproducible_and_threads_change_nothing(xy, forest_search):
    X, y = xy
    points = sample_points(GRIDS["random_forest"], None, SEED)
    with ThreadPoolExecutor(2) as pool:
        again = halving_search(ForestLearner(SEED), points, X, y, seed=SEED, folds=2,
                               early_folds=1, executor=pool)
    assert again.rungs == forest_search.rungs
    assert again.best == forest_search.best
    other = halving_search(ForestLearner(7), points, X, y, seed=7, folds=2, early_folds=1)
    assert other.rungs != forest_search.rungs


def test_every_rung_on_every_fold(xy):
    X, y = xy
    points = sample_points(GRIDS["random_forest"], 12, SEED)
    r = halving_search(ForestLearner(SEED), points, X, y, seed=SEED, folds=2)
    assert all(g.folds == 2 for g in r.rungs)
    assert r.fits == 2 * sum(g.families for g in r.rungs)
    assert r.best in r.rungs[-1].scores


def test_boosting_search_scores_every_round_count_of_the_grid(xy):
    pytest.importorskip("xgboost")
    X, y = xy
    r = halving_search(BoostingLearner(SEED), sample_points(GRIDS["xgboost"], None, SEED),
                       X, y, seed=SEED, folds=2, early_folds=1)
    assert r.candidates == 24
    assert [(g.size, g.families) for g in r.rungs] == [(33, 12), (100, 4), (300, 2), (500, 1)]
    assert sorted(s.size for s in r.rungs[-1].scores) == [300, 500]
    assert r.best.params["n_estimators"] in (300, 500)


def test_progress_counts_every_fit(xy):
    X, y = xy
    seen = []
    r = halving_search(ForestLearner(SEED), sample_points(GRIDS["random_forest"], 6, SEED),
                       X, y, seed=SEED, folds=2, early_folds=1,
                       progress=lambda d, p: seen.append((d, p)))
    assert [d for d, _ in seen] == list(range(1, r.fits + 1))
    assert {p for _, p in seen} == {r.fits}


def test_rows_sample_a_stratified_part(xy):
    X, y = xy
    r = halving_search(ForestLearner(SEED), sample_points(GRIDS["random_forest"], 4, SEED),
                       X, y, seed=SEED, folds=2, rows=300)
    assert r.rows == 300


def scored(size, recall, index=0):
    return Scored(index=index, params={"n_estimators": size}, size=size, recall_mean=recall,
                  recall_std=0.0, precision_mean=1.0, brier_mean=0.01, on_grid=True)


def test_one_standard_error_rule_picks_the_smallest_ensemble_within_it():
    # 1,000 positives, recall 0.99: one standard error is sqrt(0.99 * 0.01 / 1000) = 0.00315
    top = scored(200, 0.990, 2)
    sizes = [scored(75, 0.9860, 0), scored(100, 0.9869, 1), top]
    assert smallest_within_se(top, sizes, 1000).size == 100
    assert smallest_within_se(top, sizes, 400).size == 75  # se 0.005
    assert smallest_within_se(top, sizes, 100_000).size == 200  # se 0.0003: too far
    assert smallest_within_se(top, [top], 1000) is top
