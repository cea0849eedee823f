"""The obvious alternatives a classifier must beat, learned on the training rows only.

* the majority class of the training rows (a constant prediction);
* the best single-feature threshold rule ("flag a video when its views are above 4,950.5"):
  every column of the design matrix, every midpoint between two neighbouring distinct training
  values, both directions, chosen by balanced accuracy on the training rows;
* a logistic regression on the same (standardised) features.

Notes
-----
The rule search is exact, not sampled: for one feature, sorting the training values once gives
the claims and opinions at or below every candidate threshold as cumulative counts, so all
candidates of all features are scored in O(n log n) per feature (a few milliseconds on the
course data). Balanced accuracy, not accuracy, picks the rule so a rule cannot win by
following the majority when the classes are imbalanced. Flagging *below* a threshold has
balanced accuracy ``1 - BA(above)``, so both directions come from one scan.

Ties are broken deterministically: the higher balanced accuracy, then the earlier feature in
design-matrix order, then "above" before "below", then the lower threshold.

scikit-learn's ``LogisticRegression`` is L2-regularised by default (``C=1``); with standardised
features that is a mild penalty, which keeps the fit finite when a feature separates the
classes perfectly (the unpenalised MLE would not exist).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from ..results.modeling import Baseline

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["ThresholdRule", "BinaryScores", "binary_scores", "scan_feature", "best_threshold_rule",
           "majority_class", "fit_logistic", "learn_baselines", "best_baseline",
           "margin_per_1000"]


@dataclass(frozen=True)
class ThresholdRule:
    """``flag = value > threshold`` (``above``) or ``value < threshold`` (``below``)."""

    feature: str
    direction: Literal["above", "below"]
    threshold: float
    balanced_accuracy: float  # on the training rows it was chosen on

    def predict(self, values) -> np.ndarray:
        v = np.asarray(values, dtype=float)
        return (v > self.threshold if self.direction == "above" else v < self.threshold).astype(int)


@dataclass(frozen=True)
class BinaryScores:
    """Recall, precision and flag rate of 0/1 predictions; class 1 (claim) is positive.

    Precision is NaN when nothing is flagged and recall NaN when there is no claim.
    """

    recall: float
    precision: float
    flag_rate: float
    claims: int
    caught: int
    flagged: int
    videos: int


def binary_scores(y_true, y_pred) -> BinaryScores:
    y, p = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    claims, flagged, caught = int(y.sum()), int(p.sum()), int((y & p).sum())
    n = len(y)
    return BinaryScores(recall=caught / claims if claims else float("nan"),
                        precision=caught / flagged if flagged else float("nan"),
                        flag_rate=flagged / n if n else float("nan"),
                        claims=claims, caught=caught, flagged=flagged, videos=n)


def scan_feature(values, y) -> tuple[np.ndarray, np.ndarray]:
    """Every candidate threshold of one feature and the training balanced accuracy of
    flagging the videos *above* it.

    Candidates are the midpoints between neighbouring distinct values (none for a constant
    feature). Both classes must be present in *y*.
    """
    v = np.asarray(values, dtype=float)
    y = np.asarray(y).astype(bool)
    order = np.argsort(v, kind="mergesort")
    v, y = v[order], y[order]
    distinct = np.unique(v)
    if len(distinct) < 2:
        return np.empty(0), np.empty(0)
    # rows at or below each distinct value (all but the largest): a split after that value
    last = np.searchsorted(v, distinct[:-1], side="right")
    claims_below = np.cumsum(y)[last - 1]
    opinions_below = last - claims_below
    pos, neg = int(y.sum()), int((~y).sum())
    recall_above = (pos - claims_below) / pos
    specificity_above = opinions_below / neg
    return (distinct[:-1] + distinct[1:]) / 2, (recall_above + specificity_above) / 2


def best_threshold_rule(X: pd.DataFrame, y) -> ThresholdRule | None:
    """The single-feature threshold rule with the highest balanced accuracy on (*X*, *y*).

    ``None`` when every feature is constant or *y* holds one class only. See the module notes
    for the search and the tie-break.
    """
    y = np.asarray(y)
    if len(np.unique(y)) < 2:
        return None
    best: ThresholdRule | None = None
    for name in X.columns:
        thresholds, ba = scan_feature(X[name].to_numpy(), y)
        if not len(ba):
            continue
        for direction, score in (("above", ba), ("below", 1 - ba)):
            i = int(np.argmax(score))  # first maximum: the lowest threshold
            if best is None or score[i] > best.balanced_accuracy + 1e-12:
                best = ThresholdRule(feature=str(name), direction=direction,
                                     threshold=float(thresholds[i]),
                                     balanced_accuracy=float(score[i]))
    return best


def majority_class(y) -> int:
    """The more frequent class of *y* (1 = claim); a tie goes to the claim, the class the
    model is asked not to miss."""
    y = np.asarray(y)
    return int(y.sum() * 2 >= len(y))


def fit_logistic(X: pd.DataFrame, y, random_state: int):
    """A standardised logistic regression (scikit-learn defaults: L2, C=1, lbfgs).

    Fitted with one BLAS thread: on a small matrix (11,450 × 25 on the course data) threads
    only add synchronisation, and on a busy two-core machine they made the fit six times slower
    (0.25 s against 0.04 s, measured).
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from threadpoolctl import threadpool_limits

    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000,
                                                               random_state=random_state))
    with threadpool_limits(limits=1, user_api="blas"):
        return model.fit(X.to_numpy(float), np.asarray(y))


def _scored(kind: str, y_val, pred, **fields) -> Baseline:
    s = binary_scores(y_val, pred)
    return Baseline(kind=kind, recall=s.recall, precision=s.precision, flag_rate=s.flag_rate,
                    claims=s.claims, caught=s.caught, flagged=s.flagged, videos=s.videos,
                    **fields)


def learn_baselines(X_train: pd.DataFrame, y_train, X_val: pd.DataFrame, y_val,
                    random_state: int) -> list[Baseline]:
    """The majority class, the best single-feature rule (when some feature varies) and a
    logistic regression, learned on the training rows and scored on the validation rows."""
    majority = majority_class(y_train)
    out = [_scored("majority", y_val, np.full(len(X_val), majority),
                   predicts="claim" if majority else "opinion")]
    rule = best_threshold_rule(X_train, y_train)
    if rule is not None:
        out.append(_scored("rule", y_val, rule.predict(X_val[rule.feature]), feature=rule.feature,
                           direction=rule.direction, threshold=rule.threshold,
                           train_balanced_accuracy=rule.balanced_accuracy))
    logistic = fit_logistic(X_train, y_train, random_state)
    out.append(_scored("logistic", y_val, logistic.predict(X_val.to_numpy(float))))
    return out


def best_baseline(baselines: list[Baseline]) -> Baseline | None:
    """The bar the model must clear: the highest validation recall, ties broken by precision,
    then listed order, among the *learned* baselines.

    The majority class is left out on purpose: when claims are the majority it flags every
    video, so its recall is 1 by construction and no model could ever beat it; when opinions are
    the majority its recall is 0. It is reported for scale (its precision is the claim share),
    not used as the bar. ``None`` when no learned baseline has a recall.
    """
    learned = [b for b in baselines if b.kind != "majority" and math.isfinite(b.recall)]
    if not learned:
        return None
    return min(enumerate(learned), key=lambda ib: (
        -ib[1].recall, -(ib[1].precision if math.isfinite(ib[1].precision) else -1.0),
        ib[0]))[1]


def margin_per_1000(model_caught: int, baseline_caught: int, claims: int) -> float:
    """Claims per 1,000 the model catches beyond a baseline on the same *claims*:
    (model recall − baseline recall) × 1,000, from counts so that 10 of 2,000 is exactly 5."""
    return 1000 * (model_caught - baseline_caught) / claims if claims else float("nan")
