"""Classifier evaluation on a held-out set: labelled confusion matrix, per-class metrics,
imbalance-honest summaries and thinned curves. Shared by the regression and modeling stages.

Notes
-----
Class labels are passed explicitly everywhere (``labels=[0, 1]`` with their names), so a
report can never name the classes in the wrong order, as the course exemplar's
``classification_report(..., target_names=["verified", "not verified"])`` did.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..results.common import ClassMetrics, Confusion, Curve

__all__ = ["Evaluation", "evaluate", "thin_curve"]


@dataclass(frozen=True)
class Evaluation:
    confusion: Confusion
    classes: list[ClassMetrics]
    accuracy: float
    balanced_accuracy: float
    roc: Curve
    pr: Curve


def thin_curve(x: np.ndarray, y: np.ndarray, points: int = 200) -> tuple[list[float], list[float]]:
    """Keep at most *points* points, always the first and last, evenly spaced along the curve."""
    if len(x) > points:
        idx = np.unique(np.linspace(0, len(x) - 1, points).round().astype(int))
        x, y = x[idx], y[idx]
    return [round(float(v), 6) for v in x], [round(float(v), 6) for v in y]


def evaluate(y_true: np.ndarray, y_pred: np.ndarray, score: np.ndarray,
             names: tuple[str, str]) -> Evaluation:
    """Metrics of a binary classifier; class 1 (``names[1]``) is the positive class."""
    from sklearn import metrics

    labels = [0, 1]
    cm = metrics.confusion_matrix(y_true, y_pred, labels=labels)
    # precision of a class never predicted is not defined (NaN), not 0
    p, r, f, s = metrics.precision_recall_fscore_support(y_true, y_pred, labels=labels,
                                                          zero_division=np.nan)
    both = len(np.unique(y_true)) == 2  # AUCs need both classes in the held-out set
    fpr, tpr, _ = metrics.roc_curve(y_true, score) if both else (np.array([]), np.array([]), 0)
    prec, rec, _ = (metrics.precision_recall_curve(y_true, score) if both
                    else (np.array([]), np.array([]), 0))
    roc_x, roc_y = thin_curve(fpr, tpr)
    pr_x, pr_y = thin_curve(rec[::-1], prec[::-1])
    return Evaluation(
        confusion=Confusion(labels=list(names), counts=[[int(v) for v in row] for row in cm]),
        classes=[ClassMetrics(label=names[i], precision=float(p[i]), recall=float(r[i]),
                              f1=float(f[i]), support=int(s[i])) for i in labels],
        accuracy=float(metrics.accuracy_score(y_true, y_pred)),
        balanced_accuracy=float(metrics.balanced_accuracy_score(y_true, y_pred)),
        roc=Curve(kind="roc", x=roc_x, y=roc_y,
                  auc=float(metrics.roc_auc_score(y_true, score)) if both else float("nan"),
                  baseline=0.5),
        pr=Curve(kind="pr", x=pr_x, y=pr_y,
                 auc=float(metrics.average_precision_score(y_true, score)) if both
                 else float("nan"), baseline=float(np.mean(y_true))),
    )
