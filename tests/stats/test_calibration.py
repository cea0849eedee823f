"""Calibration pinned to scikit-learn's brier_score_loss and calibration_curve."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss

from claimreport.stats.calibration import calibration


@pytest.mark.parametrize("seed", [0, 1])
def test_brier_and_reliability_curve_match_scikit_learn(seed):
    rng = np.random.default_rng(seed)
    proba = rng.beta(0.5, 0.5, 500)
    y = (rng.random(500) < proba ** 1.5).astype(int)  # over-confident on purpose
    c = calibration(y, proba, n_bins=10)
    assert c.brier == pytest.approx(brier_score_loss(y, proba))
    assert c.reference_brier == pytest.approx(y.mean() * (1 - y.mean()))
    share, mean = calibration_curve(y, proba, n_bins=10, strategy="uniform")
    filled = [b for b in c.bins if b.videos]
    assert [b.share_claims for b in filled] == pytest.approx(share)
    assert [b.mean_predicted for b in filled] == pytest.approx(mean)
    # counts per bin: intervals closed on the right, as scikit-learn assigns them
    counts = pd.Series(pd.cut(proba, np.linspace(0, 1, 11), right=True,
                              include_lowest=True)).value_counts(sort=False)
    assert [b.videos for b in c.bins] == counts.tolist()
    assert [(b.low, b.high) for b in c.bins][:2] == [(0.0, 0.1), (0.1, 0.2)]


def test_empty_bins_are_kept_as_undefined():
    y = np.array([0, 0, 1, 1])
    proba = np.array([0.01, 0.02, 0.97, 0.99])
    c = calibration(y, proba)
    assert len(c.bins) == 10 and [b.videos for b in c.bins] == [2, 0, 0, 0, 0, 0, 0, 0, 0, 2]
    assert np.isnan(c.bins[4].mean_predicted) and np.isnan(c.bins[4].share_claims)
    assert c.bins[0].share_claims == 0 and c.bins[-1].share_claims == 1
    assert c.brier == pytest.approx(np.mean((proba - y) ** 2))


def test_one_class_still_gives_a_brier_score():
    c = calibration(np.zeros(3, int), np.array([0.1, 0.2, 0.3]))
    assert c.brier == pytest.approx((0.01 + 0.04 + 0.09) / 3)
    assert [b.share_claims for b in c.bins if b.videos] == [0, 0, 0]
