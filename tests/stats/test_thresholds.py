"""The threshold table: every 0.01, the shown rows, and the highest threshold keeping a target."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import precision_score, recall_score

from claimreport.stats.thresholds import DECISION_THRESHOLD, THRESHOLD_GRID, threshold_table

Y = np.array([1, 1, 1, 1, 0, 0, 0, 0])
PROBA = np.array([0.95, 0.8, 0.42, 0.37, 0.6, 0.3, 0.1, 0.02])


def test_every_hundredth_is_stored_and_matches_scikit_learn():
    rows, best = threshold_table(PROBA, Y, target=1.0)
    assert [r.threshold for r in rows] == list(THRESHOLD_GRID)
    assert THRESHOLD_GRID[0] == 0.01 and THRESHOLD_GRID[-1] == 0.99 and len(THRESHOLD_GRID) == 99
    for r in rows:
        pred = (PROBA >= r.threshold).astype(int)
        assert r.recall == pytest.approx(recall_score(Y, pred))
        if pred.any():
            assert r.precision == pytest.approx(precision_score(Y, pred))
        else:
            assert np.isnan(r.precision)
        assert r.missed_claims == int(((pred == 0) & (Y == 1)).sum())
    # recall stays 1 while the threshold is at most the lowest claim's 0.37
    assert best == 0.37


def test_shown_rows_are_the_configured_ones_the_decision_threshold_and_the_best():
    shown = tuple(round(0.05 * i, 2) for i in range(1, 20))
    rows, best = threshold_table(PROBA, Y, target=0.75, shown=shown)
    assert best == 0.42  # three of four claims kept up to the third claim's 0.42
    visible = [r.threshold for r in rows if r.shown]
    assert visible == sorted({*shown, DECISION_THRESHOLD, best})
    # a configured threshold off the grid gets its own exact row
    rows, _ = threshold_table(PROBA, Y, target=0.75, shown=(0.125,))
    extra = next(r for r in rows if r.threshold == 0.125)
    assert extra.shown and len(rows) == 100


def test_no_threshold_keeps_an_impossible_target():
    rows, best = threshold_table(PROBA, np.zeros(8, int), target=0.99)
    assert best is None and all(np.isnan(r.recall) for r in rows)
