"""Recall and precision of a scored classifier as its decision threshold moves.

Notes
-----
The table is computed on a fixed grid (every 0.01 from 0.01 to 0.99) plus any thresholds the
report is configured to show, so a sentence about "the highest threshold that keeps recall at the
target" always names a threshold that is in the stored table, and the row it names is marked
``shown`` so the reader finds it in the report's table too. Recall can only fall as the
threshold rises, so the highest threshold keeping the target is the end of an unbroken run.
"""

from __future__ import annotations

import numpy as np

from ..results.modeling import ThresholdRow

__all__ = ["THRESHOLD_GRID", "DECISION_THRESHOLD", "threshold_row", "threshold_table"]

#: the decision threshold the report's scores use
DECISION_THRESHOLD = 0.5
#: every threshold the bundle's threshold table holds: 0.01, 0.02, ..., 0.99
THRESHOLD_GRID = tuple(round(0.01 * i, 2) for i in range(1, 100))


def threshold_row(t: float, proba: np.ndarray, y: np.ndarray, shown: bool = True) -> ThresholdRow:
    """Flag ``proba >= t``: recall, precision (NaN when nothing is flagged), flagged, missed."""
    pred = np.asarray(proba) >= t
    y = np.asarray(y)
    tp = int((pred & (y == 1)).sum())
    flagged = int(pred.sum())
    positives = int((y == 1).sum())
    return ThresholdRow(threshold=float(t), recall=tp / positives if positives else float("nan"),
                        precision=tp / flagged if flagged else float("nan"), flagged=flagged,
                        missed_claims=positives - tp, shown=shown)


def threshold_table(proba, y, target: float,
                    shown: tuple[float, ...] = ()) -> tuple[list[ThresholdRow], float | None]:
    """Rows for every threshold of ``THRESHOLD_GRID`` and *shown*, and the highest of them that
    keeps recall at or above *target* (``None`` if none does).

    A row is ``shown`` in the report when it is one of *shown*, the decision threshold or that
    highest threshold.
    """
    grid = sorted({round(float(t), 6) for t in (*THRESHOLD_GRID, *shown)})
    rows = [threshold_row(t, proba, y) for t in grid]
    keeping = [r.threshold for r in rows if r.recall >= target]
    best = max(keeping) if keeping else None
    visible = {round(float(t), 6) for t in shown} | {DECISION_THRESHOLD, best}
    return [r.model_copy(update={"shown": r.threshold in visible}) for r in rows], best
