"""The no-information baseline of a binary classifier: always answer the majority class (the
regression stage; the modeling stage's richer baselines are in :mod:`.baselines`).

Notes
-----
Accuracy means little without it: on a test set where 94 % of the videos are "not verified",
a rule that never flags anything is right 94 % of the time. The baseline is scored with the same
:func:`~claimreport.stats.evaluation.evaluate` as the model, so every metric can be stated beside
its no-information value: accuracy = the majority share, balanced accuracy = 0.5, recall of the
minority = 0, its precision not defined (nothing flagged), ROC AUC = 0.5 and average precision =
the positive share (a constant score). The majority is read from the *training* labels, as
scikit-learn's ``DummyClassifier(strategy="most_frequent")`` does (ties go to class 0), so the
test labels are never used to choose it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .evaluation import Evaluation, evaluate

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["majority_baseline", "comparison_table", "COMPARED"]

#: metrics stated beside their baseline value, in table order
COMPARED = ("accuracy", "balanced_accuracy", "precision", "recall", "f1", "roc_auc", "pr_auc",
            "share_flagged")


def majority_baseline(y_train: np.ndarray, y_test: np.ndarray,
                      names: tuple[str, str]) -> tuple[int, Evaluation]:
    """``(majority class, its evaluation on y_test)``; class 1 is the positive class."""
    majority = int(np.bincount(np.asarray(y_train, dtype=int), minlength=2).argmax())
    n = len(y_test)
    return majority, evaluate(y_test, np.full(n, majority), np.full(n, float(majority)), names)


def _metrics(ev: Evaluation, share_flagged: float) -> dict[str, float]:
    positive = ev.classes[1]
    return {"accuracy": ev.accuracy, "balanced_accuracy": ev.balanced_accuracy,
            "precision": positive.precision, "recall": positive.recall, "f1": positive.f1,
            "roc_auc": ev.roc.auc, "pr_auc": ev.pr.auc, "share_flagged": share_flagged}


def comparison_table(model: Evaluation, model_flagged: float, base: Evaluation,
                     base_flagged: float) -> pd.DataFrame:
    """One row per metric of :data:`COMPARED`: ``metric, model, baseline``."""
    import pandas as pd

    m, b = _metrics(model, model_flagged), _metrics(base, base_flagged)
    return pd.DataFrame({"metric": list(COMPARED), "model": [m[k] for k in COMPARED],
                         "baseline": [b[k] for k in COMPARED]})
