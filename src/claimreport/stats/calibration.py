"""How far a classifier's predicted probabilities can be read as probabilities.

Notes
-----
The reliability curve uses scikit-learn's ``calibration_curve`` with equal-width bins
(``strategy="uniform"``), and the counts per bin are taken with the same bin assignment
(``np.searchsorted`` on the inner edges, as scikit-learn does), so every plotted point carries
the number of videos behind it: a well-separated classifier puts almost every video in the first
and last bins, and a point made of three videos should not be read like one made of 1,800.
Empty bins are kept (NaN means, ``null`` in the bundle) so the table always has ``n_bins`` rows.
The Brier score is the mean squared difference between the predicted probability and the
0/1 outcome (0 is perfect; always predicting the claim share ``p`` scores ``p(1 - p)``).
"""

from __future__ import annotations

import numpy as np

from ..results.modeling import CalibrationSummary, ReliabilityBin

__all__ = ["calibration", "N_BINS"]

#: equal-width bins of the reliability curve
N_BINS = 10


def calibration(y_true, proba, n_bins: int = N_BINS) -> CalibrationSummary:
    """Brier score and an equal-width reliability curve with counts per bin."""
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import brier_score_loss

    y, p = np.asarray(y_true).astype(int), np.asarray(proba, dtype=float)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    counts = np.bincount(np.searchsorted(edges[1:-1], p), minlength=n_bins)
    both = len(np.unique(y)) == 2
    if both:
        share, mean = calibration_curve(y, p, n_bins=n_bins, strategy="uniform")
    else:  # scikit-learn refuses one class; the per-bin shares are still plain averages
        ids = np.searchsorted(edges[1:-1], p)
        keep = counts > 0
        share = (np.bincount(ids, weights=y, minlength=n_bins)[keep] / counts[keep])
        mean = (np.bincount(ids, weights=p, minlength=n_bins)[keep] / counts[keep])
    it = iter(zip(mean, share))
    bins = []
    for i in range(n_bins):
        m, s = next(it) if counts[i] else (float("nan"), float("nan"))
        bins.append(ReliabilityBin(low=round(float(edges[i]), 6), high=round(float(edges[i + 1]), 6),
                                   videos=int(counts[i]), mean_predicted=float(m),
                                   share_claims=float(s)))
    rate = float(y.mean()) if len(y) else float("nan")
    brier = float(brier_score_loss(y, p, labels=[0, 1])) if len(y) else float("nan")
    return CalibrationSummary(brier=brier, reference_brier=rate * (1 - rate), bins=bins)
