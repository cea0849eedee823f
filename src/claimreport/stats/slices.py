"""Where a classifier fails: recall and flag rate by part of a held-out set, and the engagement
profile of its errors.

Notes
-----
Every proportion carries a 95% Wilson score interval (scipy's ``binomtest(...).proportion_ci(
method="wilson")``): unlike the normal approximation it stays inside [0, 1] and is honest for the
small parts (a few dozen verified claims) and the proportions near 1 this classifier produces.
A part with no claim has no recall (NaN, "not defined"), not a recall of 0.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..data import schema as S
from ..results.modeling import ErrorGroup, Interval, SliceScores

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["wilson", "slice_masks", "slice_scores", "error_profile", "low_views_threshold",
           "LOW_VIEWS_QUANTILE"]

#: "low-view" videos: fewer views than this quantile of the training claims' views
LOW_VIEWS_QUANTILE = 0.10


def wilson(k: int, n: int) -> Interval:
    """*k* of *n* with its 95% Wilson score interval (NaN throughout when *n* is 0)."""
    if not n:
        nan = float("nan")
        return Interval(value=nan, low=nan, high=nan, successes=int(k), trials=0)
    from scipy import stats

    ci = stats.binomtest(int(k), int(n)).proportion_ci(0.95, method="wilson")
    return Interval(value=k / n, low=float(ci.low), high=float(ci.high), successes=int(k),
                    trials=int(n))


def low_views_threshold(train: pd.DataFrame, y_train) -> float:
    """The ``LOW_VIEWS_QUANTILE`` of the training claims' views (NaN without training claims).

    Learned on training rows so the test set does not define its own slice."""
    views = train[S.VIEWS].to_numpy(float)[np.asarray(y_train) == 1]
    return float(np.quantile(views, LOW_VIEWS_QUANTILE)) if len(views) else float("nan")


Mask = tuple[str, "str | None", np.ndarray]


def slice_masks(frame: pd.DataFrame, low_views: float) -> dict[str, Mask]:
    """``{slice code: (column, level, row mask)}`` in report order: author verified status,
    author ban status, then videos with fewer views than *low_views* (level ``None``)."""
    out: dict[str, Mask] = {}
    for col in (S.VERIFIED, S.BAN):
        for level in S.LABELS[col]:
            out[level.replace(" ", "_")] = (col, level, (frame[col] == level).to_numpy())
    views = frame[S.VIEWS].to_numpy(float)
    out["low_views"] = (S.VIEWS, None, views < low_views if np.isfinite(low_views)
                        else np.zeros(len(frame), bool))
    return out


def slice_scores(y_true, y_pred, masks: dict[str, Mask], target: float,
                 min_claims: int) -> list[SliceScores]:
    """Recall and flag rate per slice. ``below_target`` only for slices with at least
    *min_claims* claims: a recall on a handful of claims says little either way."""
    y, p = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    out = []
    for code, (column, level, m) in masks.items():
        claims, caught = int((y & m).sum()), int((y & p & m).sum())
        recall = wilson(caught, claims)
        enough = claims >= min_claims
        out.append(SliceScores(
            slice=code, column=column, level=level, videos=int(m.sum()), claims=claims,
            recall=recall, flag_rate=wilson(int((p & m).sum()), int(m.sum())),
            enough_claims=enough, below_target=bool(enough and recall.value < target)))
    return out


def _profile(group: str, frame: pd.DataFrame) -> ErrorGroup:
    def median(col: str) -> float:
        return float(frame[col].median()) if len(frame) else float("nan")

    def share(col: str, level: str) -> float:
        return float((frame[col] == level).mean()) if len(frame) else float("nan")

    return ErrorGroup(group=group, videos=len(frame), median_views=median(S.VIEWS),
                      median_likes=median(S.LIKES), median_shares=median(S.SHARES),
                      share_verified=share(S.VERIFIED, "verified"),
                      share_banned=share(S.BAN, "banned"))


def error_profile(frame: pd.DataFrame, y_true, y_pred) -> list[ErrorGroup]:
    """Missed claims against caught claims, flagged opinions against passed opinions: how many,
    their median views, likes and shares, and their shares of verified and banned authors."""
    y, p = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    groups = {"missed_claims": y & ~p, "caught_claims": y & p,
              "flagged_opinions": ~y & p, "passed_opinions": ~y & ~p}
    return [_profile(g, frame[m]) for g, m in groups.items()]
