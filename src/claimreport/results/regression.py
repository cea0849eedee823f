"""Typed result of the regression stage (course 5): logistic regression of verified status."""

from __future__ import annotations

from typing import Literal

from .base import Frozen, StageResult
from .common import ClassMetrics, Confusion, Curve, LevelCount, Matrix

__all__ = ["OutlierRow", "VifRow", "LinearityRow", "EmpiricalLogit", "Coefficient",
           "RegressionResult", "RESULT"]


class OutlierRow(Frozen):
    column: str
    q1: float
    q3: float
    upper_fence: float  # Q3 + 1.5 IQR
    n_above: int
    capped: bool  # values above the fence were set to it


class VifRow(Frozen):
    column: str
    vif_all: float  # with every candidate predictor
    vif_model: float | None  # with the model's predictors; None when dropped
    max_abs_correlation: float
    most_correlated_with: str
    dropped: bool


class LinearityRow(Frozen):
    column: str
    box_tidwell_coef: float
    box_tidwell_p: float


class EmpiricalLogit(Frozen):
    column: str
    x: list[float]
    logit: list[float]


class Coefficient(Frozen):
    """One term of the unregularised statsmodels Logit, with odds ratios in useful units."""

    term: str
    label: str
    kind: Literal["intercept", "continuous", "indicator"]
    coef: float  # on the scale fitted (per SD in the rigorous protocol, per unit in course)
    std_err: float
    z: float
    p_value: float
    ci_low: float
    ci_high: float
    odds_ratio_per_unit: float
    odds_ratio_per_sd: float | None
    or_sd_ci_low: float | None
    or_sd_ci_high: float | None
    step: float | None  # e.g. 10 seconds, 100,000 views
    odds_ratio_per_step: float | None
    or_step_ci_low: float | None
    or_step_ci_high: float | None


class RegressionResult(StageResult):
    stage: Literal["regression"] = "regression"
    protocol: Literal["rigorous", "course"]
    rebalance: str
    random_state: int
    rows_complete: int
    n_train: int
    n_test: int
    predictors: list[str]
    balance_before: list[LevelCount]
    balance_train: list[LevelCount]
    balance_test: list[LevelCount]
    test_rows_also_in_train: int
    test_rows_repeated: int
    outliers: list[OutlierRow]
    correlation: Matrix
    vif: list[VifRow]
    linearity: list[LinearityRow]
    empirical_logits: list[EmpiricalLogit]
    coefficients: list[Coefficient]
    pseudo_r2: float
    llr_p: float
    converged: bool
    sklearn_coefficients: dict[str, float]
    confusion: Confusion
    class_metrics: list[ClassMetrics]
    accuracy: float
    balanced_accuracy: float
    roc: Curve
    pr: Curve


RESULT = RegressionResult
