"""The readiness verdict of a claim classifier: one small pure function over explicit numbers.

``ready``      test recall meets the target, the model catches at least
               ``MIN_MARGIN_PER_1000`` more claims per 1,000 than the best simple baseline
               (validation), and every slice with at least ``MIN_SLICE_CLAIMS`` claims meets the
               target too;
``pilot``      the target is met, but the margin or a slice falls short (or the margin cannot
               be measured);
``not_ready``  test recall misses the target (or is not defined).

The reasons come back as codes, in a fixed order, for the narrative to put into words:
``target_missed``, ``small_margin``, ``no_margin`` (no baseline recall to compare with),
``slice_below_target``.

Notes
-----
The margin bar is in claims per 1,000 because that is the unit a moderation lead budgets in;
5 per 1,000 is what a model must add to be worth running and explaining instead of a one-line
rule. Slices with fewer than 30 claims are not judged: the 95% interval of a recall near 1 on
29 claims is wider than 10 points, so a miss or two there is noise, not a finding.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Literal

__all__ = ["MIN_MARGIN_PER_1000", "MIN_SLICE_CLAIMS", "Verdict", "Reason", "readiness"]

#: claims per 1,000 the model must catch beyond the best baseline (validation) to be "ready"
MIN_MARGIN_PER_1000 = 5.0
#: a slice is judged against the target only with at least this many claims
MIN_SLICE_CLAIMS = 30

Verdict = Literal["ready", "pilot", "not_ready"]
Reason = Literal["target_missed", "small_margin", "no_margin", "slice_below_target"]


def readiness(test_recall: float, target_recall: float, margin_per_1000: float,
              slices: Iterable[tuple[int, float]]) -> tuple[Verdict, list[Reason]]:
    """The verdict and every reason that keeps it from ``ready``.

    Parameters
    ----------
    test_recall, target_recall
        Recall of the claim class on the test set, and the configured target.
    margin_per_1000
        (model recall − best baseline recall) × 1,000 on the validation set; NaN when there is
        no baseline recall to compare with.
    slices
        ``(claims, recall)`` of each slice of the test set.
    """
    reasons: list[Reason] = []
    if not (math.isfinite(test_recall) and test_recall >= target_recall):
        reasons.append("target_missed")
    if not math.isfinite(margin_per_1000):
        reasons.append("no_margin")
    elif margin_per_1000 < MIN_MARGIN_PER_1000:
        reasons.append("small_margin")
    if any(claims >= MIN_SLICE_CLAIMS and not recall >= target_recall
           for claims, recall in slices):
        reasons.append("slice_below_target")
    if "target_missed" in reasons:
        return "not_ready", reasons
    return ("pilot" if reasons else "ready"), reasons
