"""Permutation importance of a fitted classifier, batched: scikit-learn's numbers, fewer calls.

scikit-learn's :func:`sklearn.inspection.permutation_importance` calls ``model.predict`` once
per feature and repeat (25 features × 5 repeats = 125 calls on the course data), and with
``n_jobs > 1`` it starts a pool of processes that each import scikit-learn again: 2-5 s for the
champion forest, most of it overhead. Here the permuted copies of the validation rows are
stacked and predicted in a few large calls, split over threads (tree ensembles predict without
holding the GIL), and only what the score can see is predicted again: a row whose value the
shuffle left unchanged keeps its prediction, and recall reads only the positive rows (a sixth
of the copies on the course data, whose phrase counts and indicators are mostly zeros): a few
tenths of a second.

Notes
-----
The permutations are scikit-learn's, draw for draw: one seed is drawn from ``random_state``
(``randint(2**31)``), every feature gets a fresh ``RandomState(seed)``, and the column is
shuffled again at each repeat (repeat *r* sees the composition of the first *r* shuffles). So
for an integer ``random_state`` the importances equal scikit-learn's exactly, which
``tests/stats/test_permutation.py`` pins. Only single-metric scoring on hard predictions
(``model.predict``) is supported: that is what the modeling stage asks for (recall).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["PermutationImportance", "permutation_importance", "recall", "permutation_orders"]

#: rows predicted per call: large enough that per-call overhead vanishes, small enough that a
#: batch of the stacked copies stays a few tens of MB
BATCH_ROWS = 120_000


@dataclass(frozen=True)
class PermutationImportance:
    """``importances[j, r]``: the drop of the score when feature *j* is permuted (repeat *r*);
    ``importances_mean``/``importances_std`` over repeats (population std, as scikit-learn)."""

    baseline: float
    importances: np.ndarray
    importances_mean: np.ndarray
    importances_std: np.ndarray


def recall(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Recall of class 1; 0.0 without any positive (scikit-learn's ``zero_division`` default)."""
    positives = y_true == 1
    n = int(positives.sum())
    return float(np.sum(y_pred[positives] == 1) / n) if n else 0.0


def permutation_orders(n_rows: int, n_repeats: int, random_state: int) -> np.ndarray:
    """Row order of a permuted column at each repeat, shape ``(n_repeats, n_rows)``: the same
    for every feature, as scikit-learn draws them."""
    seed = np.random.RandomState(random_state).randint(np.iinfo(np.int32).max + 1)
    rng = np.random.RandomState(seed)
    shuffle = np.arange(n_rows)
    current = np.arange(n_rows)
    orders = np.empty((n_repeats, n_rows), dtype=np.intp)
    for r in range(n_repeats):
        rng.shuffle(shuffle)
        current = current[shuffle]  # column ← column[shuffle], applied to the permuted column
        orders[r] = current
    return orders


def permutation_importance(model, X: pd.DataFrame, y, *, n_repeats: int, random_state: int,
                           n_jobs: int = 1,
                           score: Callable[[np.ndarray, np.ndarray], float] = recall,
                           scored_rows: np.ndarray | None = None) -> PermutationImportance:
    """Drop of ``score(y, model.predict(X))`` when each column of *X* is permuted.

    Parameters
    ----------
    model : fitted classifier with ``predict``; it must be safe to call from several threads
        (scikit-learn forests and XGBoost are).
    X : DataFrame of the rows to score on (column order and dtypes are kept in the copies).
    n_repeats, random_state : as :func:`sklearn.inspection.permutation_importance`.
    n_jobs : threads predicting the stacked copies.
    score : ``score(y_true, y_pred)``; :func:`recall` by default.
    scored_rows : boolean mask of the rows whose predictions *score* reads (default: for
        :func:`recall`, the positive rows; else all). Only those are predicted again.
    """
    import pandas as pd

    y = np.asarray(y)
    columns = list(X.columns)
    arrays = {c: X[c].to_numpy() for c in columns}
    predicted = np.asarray(model.predict(X))
    baseline = score(y, predicted)
    orders = permutation_orders(len(X), n_repeats, random_state)
    if scored_rows is None:
        scored_rows = y == 1 if score is recall else np.ones(len(y), dtype=bool)
    # a row whose value the permutation leaves unchanged keeps its prediction, and recall
    # reads only the positives' predictions: only the rest is predicted again (a sixth of the
    # copies on the course data, whose phrase counts and indicators are mostly zero)
    changed = [[np.flatnonzero((arrays[c][order] != arrays[c]) & scored_rows)
                for order in orders] for c in columns]

    def run(features: list[int]) -> list[list[float]]:
        parts = [(j, r, changed[j][r]) for j in features for r in range(n_repeats)]
        stacked = {c: np.concatenate([a[rows] for _, _, rows in parts]) for c, a in arrays.items()}
        offset = 0
        for j, r, rows in parts:  # the permuted column of each part
            stacked[columns[j]][offset:offset + len(rows)] = arrays[columns[j]][orders[r]][rows]
            offset += len(rows)
        out = np.asarray(model.predict(pd.DataFrame(stacked, columns=columns))) if offset else []
        scores, offset = [], 0
        for _, _, rows in parts:
            permuted = predicted.copy()
            permuted[rows] = out[offset:offset + len(rows)]
            offset += len(rows)
            scores.append(score(y, permuted))
        return [scores[k * n_repeats:(k + 1) * n_repeats] for k in range(len(features))]

    batches = _batches([sum(len(rows) for rows in per) for per in changed], n_jobs)
    if n_jobs > 1 and len(batches) > 1:
        with ThreadPoolExecutor(max_workers=n_jobs) as pool:
            scores = [s for part in pool.map(run, batches) for s in part]
    else:
        scores = [s for b in batches for s in run(b)]
    drops = baseline - np.array(scores, dtype=float).reshape(len(columns), n_repeats)
    return PermutationImportance(baseline=baseline, importances=drops,
                                 importances_mean=drops.mean(axis=1),
                                 importances_std=drops.std(axis=1))


def _batches(rows: list[int], n_jobs: int) -> list[list[int]]:
    """Consecutive features grouped into batches of about equal rows, at most ``BATCH_ROWS``
    each and a whole number of rounds of the threads."""
    total = sum(rows)
    n = max(1, -(-total // BATCH_ROWS))
    n = -(-n // n_jobs) * n_jobs
    target = total / n
    batches, current, size = [], [], 0
    for j, r in enumerate(rows):
        current.append(j)
        size += r
        if size >= target * (len(batches) + 1) - 1e-9 and len(batches) < n - 1:
            batches.append(current)
            current = []
    if current:
        batches.append(current)
    return batches
