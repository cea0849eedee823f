"""Model-adjusted risks from a fitted logistic regression (marginal standardisation).

Notes
-----
An odds ratio is not a ratio of risks, and most readers take it for one: "4.5 times the odds"
is heard as "4.5 times as likely", which is only close when the outcome is rare in both groups.
People decide with risks ("how many in 100"), so the report's first page states them instead.

*Marginal standardisation* (also called g-computation, average predicted probability, Stata's
``margins``): every row of the reference sample is given the level of interest, the model's
predicted probabilities are averaged; then every row is given the reference level and the
average is taken again. The two averages compare the level with its reference with every other
characteristic held at the values the rows actually have, instead of at an invented "average
video" (Muller & MacLehose 2014, Int J Epidemiol 43:962). For a count, the rows are compared
as they are and with the count raised by one step.

Functions take the coefficient vector (constant first, then the design's columns in order), so
they work on any fit that produced it: statsmodels' unregularised ``Logit`` in the regression
stage, and the tests pin them to ``statsmodels.Logit(...).predict``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["predicted_probability", "average_risk", "observed_rate"]


def predicted_probability(params: np.ndarray, X: pd.DataFrame) -> np.ndarray:
    """P(y = 1) of each row of *X* under ``logit p = params[0] + X @ params[1:]``."""
    params = np.asarray(params, dtype=float)
    eta = params[0] + X.to_numpy(float) @ params[1:]
    with np.errstate(over="ignore"):  # exp(-eta) overflows to inf for eta << 0: p = 0, correct
        return 1.0 / (1.0 + np.exp(-eta))


def average_risk(params: np.ndarray, X: pd.DataFrame, assign: Mapping[str, float] | None = None,
                 shift: Mapping[str, float] | None = None) -> float:
    """Mean predicted probability over the rows of *X*, after setting the columns in *assign*
    to a value for every row and adding *shift* to the columns in it.

    With ``assign={"claim_status_opinion": 1}`` it is the risk "had every video been an
    opinion", other characteristics as they are; NaN when the fit has no estimate.
    """
    if not np.all(np.isfinite(params)) or len(X) == 0:
        return float("nan")
    Z = X.astype(float)
    changes = {c: np.full(len(Z), float(v)) for c, v in (assign or {}).items()}
    changes.update({c: Z[c].to_numpy() + float(d) for c, d in (shift or {}).items()})
    if changes:
        Z = Z.assign(**changes)
    return float(predicted_probability(params, Z).mean())


def observed_rate(y: np.ndarray, mask: np.ndarray) -> tuple[float, int]:
    """``(share of y == 1, rows)`` among the rows selected by *mask*; NaN share with no rows."""
    y, mask = np.asarray(y), np.asarray(mask, dtype=bool)
    n = int(mask.sum())
    return (float(y[mask].mean()) if n else float("nan")), n
