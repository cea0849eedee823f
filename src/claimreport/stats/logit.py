"""Inference and assumption checks for logistic regression (statsmodels, unregularised).

Notes
-----
scikit-learn's ``LogisticRegression`` is L2-regularised by default (C=1), so its coefficients are
shrunk and depend on the scale of each predictor; statsmodels' ``Logit`` is the plain maximum
likelihood fit with standard errors, which is what odds ratios and their confidence intervals
need. The regression stage predicts with the former and explains with the latter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["LogitFit", "fit_logit", "vif", "box_tidwell", "empirical_logits"]


@dataclass(frozen=True)
class LogitFit:
    """Per-term estimates in the order of the design matrix's columns (constant first)."""

    terms: list[str]
    coef: np.ndarray
    std_err: np.ndarray
    z: np.ndarray
    p_value: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    pseudo_r2: float
    llr_p: float
    converged: bool
    n: int


def fit_logit(X: pd.DataFrame, y: np.ndarray) -> LogitFit:
    """Unregularised maximum-likelihood logit of *y* on *X* plus a constant."""
    import warnings

    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    design = sm.add_constant(X.astype(float), has_constant="add")
    with warnings.catch_warnings():  # reported through LogitFit.converged instead
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", UserWarning)  # perfect separation, singular Hessian
        try:
            res = sm.Logit(np.asarray(y, dtype=float), design).fit(disp=0, maxiter=200)
            ci = np.asarray(res.conf_int())
        except (np.linalg.LinAlgError, ValueError, OverflowError):
            # collinear predictors or separated classes: no estimate exists; say so, no crash
            nan = np.full(design.shape[1], np.nan)
            return LogitFit(terms=list(design.columns), coef=nan, std_err=nan, z=nan,
                            p_value=nan, ci_low=nan, ci_high=nan, pseudo_r2=float("nan"),
                            llr_p=float("nan"), converged=False, n=len(design))
    return LogitFit(
        terms=list(design.columns), coef=np.asarray(res.params), std_err=np.asarray(res.bse),
        z=np.asarray(res.tvalues), p_value=np.asarray(res.pvalues), ci_low=ci[:, 0],
        ci_high=ci[:, 1], pseudo_r2=float(res.prsquared), llr_p=float(res.llr_pvalue),
        converged=bool(res.mle_retvals.get("converged", True)), n=int(res.nobs),
    )


def vif(X: pd.DataFrame) -> dict[str, float]:
    """Variance inflation factor of each column (computed with a constant in the design)."""
    import warnings

    import statsmodels.api as sm
    from statsmodels.stats.outliers_influence import variance_inflation_factor

    design = sm.add_constant(X.astype(float), has_constant="add").to_numpy()
    # statsmodels installs "always" filters for its own warnings when imported; a constant or
    # collinear column gives an infinite VIF, which the report shows, so silence them here
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {col: float(variance_inflation_factor(design, i + 1))
                for i, col in enumerate(X.columns)}


def box_tidwell(X: pd.DataFrame, y: np.ndarray, continuous: list[str]) -> dict[str, tuple[float, float]]:
    """Box-Tidwell test of linearity in the log-odds: ``{column: (coef, p)}`` of the added
    x·ln(x) terms, all fitted together with the model's predictors.

    Values are shifted by 1 (counts can be 0) and divided by their SD for numerical stability;
    the x·ln(x) coefficient's test is unchanged by rescaling (the difference is absorbed by the
    linear term).
    """
    Z = X.astype(float).copy()
    for col in continuous:
        v = (X[col].astype(float) + 1.0) / max(float(X[col].std()), 1e-12)
        Z[col] = v
        Z[f"{col}:xlogx"] = v * np.log(v)
    fit = fit_logit(Z, y)
    index = {t: i for i, t in enumerate(fit.terms)}
    return {col: (float(fit.coef[index[f"{col}:xlogx"]]), float(fit.p_value[index[f"{col}:xlogx"]]))
            for col in continuous}


def empirical_logits(x: np.ndarray, y: np.ndarray, bins: int = 10) -> tuple[list[float], list[float]]:
    """Median of x and the empirical logit ln((k + ½)/(n − k + ½)) of y in quantile bins of x.

    A straight line means the log-odds are linear in x, as logistic regression assumes.
    """
    import pandas as pd

    bins = min(bins, len(x) // 2)
    if bins < 2:
        return [], []
    groups = pd.qcut(pd.Series(x).rank(method="first"), bins, labels=False)
    frame = pd.DataFrame({"x": x, "y": y, "g": groups}).groupby("g")
    med = frame["x"].median()
    k, n = frame["y"].sum(), frame["y"].count()
    logit = np.log((k + 0.5) / (n - k + 0.5))
    return [round(float(v), 6) for v in med], [round(float(v), 6) for v in logit]
