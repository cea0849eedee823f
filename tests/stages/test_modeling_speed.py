"""The fast modeling search (issue #13): both models searched at once over the whole course
grids, what it chooses on the course file, and the progress it reports.

Measured on the course file (rigorous split, 11,450 training rows), 5-fold ``GridSearchCV``
over every grid point is the reference: the deep forests (``max_depth=None``,
``min_samples_leaf=1``) have the best cross-validated recall (0.9943-0.9950), depth 7 next
(0.9918-0.9931), depth 5 last (0.9903-0.9922); every XGBoost setting lies within 0.9875-0.9891.
With 2 folds on all training rows the fast search chose a deep forest for each of seeds 1-5 and
42; with 3 folds on a third of the rows it chose a depth-5 forest for three of them.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from claimreport.cli import _progress
from claimreport.config import Config
from claimreport.data.load import load_data
from claimreport.stages.modeling import prepare
from claimreport.stages.modeling_search import NAMES, search_all, tuning_settings

FAST = Config(modeling={"candidates": 6, "permutation_repeats": 1})


@pytest.fixture(scope="module")
def real_search(real_csv):
    config = Config()
    p = prepare(load_data(real_csv).frame.dropna(), config)
    events = []
    found = search_all(p["X"]["train"], p["y"]["train"], config, p["seed"],
                       lambda event, message, **fields: events.append((event, message, fields)))
    return p, found, events


def _val_recall(model, p) -> float:
    y, predicted = p["y"]["validation"], model.predict(p["X"]["validation"])
    return float(np.mean(predicted[y == 1] == 1))


@pytest.mark.realdata
def test_fast_search_meets_the_course_targets_on_the_course_file(real_search):
    p, found, _ = real_search
    forest, rf = found["random_forest"]
    booster, xgb = found["xgboost"]
    assert _val_recall(forest, p) >= 0.99
    assert _val_recall(booster, p) >= 0.98
    assert (rf.method, rf.candidates, xgb.method, xgb.candidates) == \
        ("halving_sizes", 72, "halving_sizes", 24)
    assert (rf.cv_folds, rf.cv_rows) == (2, 11_450)
    # the family the full 5-fold grid ranks first (see the module docstring)
    assert rf.best_params["max_depth"] is None and rf.best_params["min_samples_leaf"] == 1
    assert rf.cv_recall_mean >= 0.99 and xgb.cv_recall_mean >= 0.98


@pytest.mark.realdata
def test_search_progress_reaches_every_planned_fit(real_search):
    _, found, events = real_search
    for kind in NAMES:
        mine = [f for e, _, f in events if e == "search_progress" and f["model"] == kind]
        counts = [f for f in mine if "fits_done" in f]
        assert counts and counts[-1]["fits_done"] == counts[-1]["fits_planned"]
        assert [f["fits_done"] for f in counts] == sorted(f["fits_done"] for f in counts)
        done = [f for f in mine if f.get("refitted")]
        assert len(done) == 1 and done[0]["seconds"] > 0
        assert done[0]["fits"] == found[kind][1].fits == counts[-1]["fits_planned"] + 1


def test_the_search_is_reproducible_with_the_seed(demo_csv):
    p = prepare(load_data(demo_csv).frame.dropna(), FAST)
    args = (p["X"]["train"], p["y"]["train"], FAST, p["seed"])
    first, second = search_all(*args), search_all(*args)
    for kind in NAMES:
        assert first[kind][1] == second[kind][1]
        X = p["X"]["validation"]
        np.testing.assert_array_equal(first[kind][0].predict_proba(X),
                                      second[kind][0].predict_proba(X))


def test_one_thread_or_two_choose_the_same(demo_csv):
    one = FAST.model_copy(update={"modeling": FAST.modeling.model_copy(update={"n_jobs": 1})})
    p = prepare(load_data(demo_csv).frame.dropna(), FAST)
    a = search_all(p["X"]["train"], p["y"]["train"], one, p["seed"])
    b = search_all(p["X"]["train"], p["y"]["train"], FAST, p["seed"])
    for kind in NAMES:
        assert a[kind][1] == b[kind][1]
        # a forest grown alongside the search on two threads is stored as one fitted in one
        # go on one: the same parameters, trees and predictions
        assert a[kind][0].get_params() == b[kind][0].get_params()
        X = p["X"]["validation"]
        np.testing.assert_array_equal(a[kind][0].predict_proba(X), b[kind][0].predict_proba(X))
    for one, two in zip(a["random_forest"][0].estimators_, b["random_forest"][0].estimators_):
        for part in ("children_left", "feature", "threshold", "value"):
            np.testing.assert_array_equal(getattr(one.tree_, part), getattr(two.tree_, part))


def test_the_fast_search_design_is_part_of_the_stored_settings():
    course = Config(modeling={"search": "course"})
    assert tuning_settings(Config(), 42) != tuning_settings(course, 42)
    assert tuning_settings(Config(), 42) == tuning_settings(Config(), 42)


def test_search_progress_is_for_a_terminal_or_json_only(capsys):
    with _progress(3, "text") as progress:  # pytest's stderr is not a terminal
        progress("search_progress", "modeling: random forest 3/54 fits", model="random_forest",
                 fits_done=3, fits_planned=54)
        progress("stage_started", "computing modeling", stage="modeling")
    assert capsys.readouterr().err == "claimreport: computing modeling\n"
    with _progress(3, "json") as progress:
        progress("search_progress", "modeling: xgboost 5/38 fits", model="xgboost",
                 fits_done=5, fits_planned=38)
    event = json.loads(capsys.readouterr().err)
    assert (event["event"], event["fits_done"], event["fits_planned"]) == \
        ("search_progress", 5, 38)
