"""Typed result of the regression stage (course 5): logistic regression of verified status."""

from __future__ import annotations

from typing import ClassVar, Literal

from .base import Frozen, Num, OptNum, StageResult
from .common import ClassMetrics, Confusion, Curve, LevelCount, Matrix, SampleInfo

__all__ = ["OutlierRow", "VifRow", "LinearityRow", "EmpiricalLogit", "Coefficient",
           "AdjustedRisk", "FitSettings", "Baseline", "RegressionResult"]


class OutlierRow(Frozen):
    column: str
    q1: Num
    q3: Num
    upper_fence: Num  # Q3 + 1.5 IQR
    n_above: int
    capped: bool  # values above the fence were set to it


class VifRow(Frozen):
    column: str
    vif_all: Num  # with every candidate predictor
    vif_model: OptNum  # with the model's predictors; None when dropped
    max_abs_correlation: Num
    most_correlated_with: str
    dropped: bool


class LinearityRow(Frozen):
    column: str
    box_tidwell_coef: Num
    box_tidwell_p: Num


class EmpiricalLogit(Frozen):
    column: str
    x: list[Num]
    logit: list[Num]


class Coefficient(Frozen):
    """One term of the unregularised statsmodels Logit, with odds ratios in useful units."""

    term: str
    kind: Literal["intercept", "continuous", "indicator"]
    column: str | None  # the data column (None for the intercept)
    level: str | None  # indicators: the level this term is for, e.g. "opinion"
    reference: str | None  # indicators: the level it is compared with, e.g. "claim"
    coef: Num  # on the scale fitted (per SD in the rigorous protocol, per unit in course)
    std_err: Num
    z: Num
    p_value: Num
    ci_low: Num
    ci_high: Num
    odds_ratio_per_unit: Num
    odds_ratio_per_sd: OptNum
    or_sd_ci_low: OptNum
    or_sd_ci_high: OptNum
    step: OptNum  # e.g. 10 seconds, 100,000 views
    odds_ratio_per_step: OptNum
    or_step_ci_low: OptNum
    or_step_ci_high: OptNum


class AdjustedRisk(Frozen):
    """How many videos in 100 come from verified authors, for one term of the statsmodels fit.

    Model-adjusted (marginal standardisation over the training rows, see
    :mod:`claimreport.stats.risk`): every training row set to ``level`` and then to ``reference``
    (indicators), or as it is and with one ``step`` more (counts), other characteristics as they
    are. Observed: the raw share among training rows of the level and of the reference
    (indicators only).
    """

    term: str
    kind: Literal["continuous", "indicator"]
    column: str
    level: str | None  # indicators: e.g. "opinion"
    reference: str | None  # indicators: e.g. "claim"
    step: OptNum  # counts: the step added, in the column's units (e.g. 100,000 views)
    adjusted_per_100_level: Num  # at the level (indicators) or one step more (counts)
    adjusted_per_100_reference: Num  # at the reference level (indicators) or as observed
    observed_per_100_level: OptNum
    observed_per_100_reference: OptNum
    n_level: int | None  # training rows of the level / of the reference (indicators)
    n_reference: int | None


class FitSettings(Frozen):
    """One of the two fits of the stage, with the settings that make its numbers what they are.

    ``inference``: statsmodels' unregularised Logit on the training rows (odds ratios, CIs,
    p-values, adjusted risks). ``prediction``: scikit-learn's LogisticRegression, L2-penalised
    with strength 1/C and rebalanced as the protocol says (confusion matrix, precision, recall,
    AUCs).
    """

    purpose: Literal["inference", "prediction"]
    library: Literal["statsmodels", "scikit-learn"]
    estimator: Literal["Logit", "LogisticRegression"]
    rows: int  # rows the fit saw, copies from upsampling included
    rebalance: Literal["none", "class_weight", "upsample", "upsample_before_split"]
    penalty: Literal["none", "l2", "elasticnet"]
    C: OptNum  # inverse regularisation strength; None without a penalty
    scaled: bool  # counts standardised with the training part's mean and SD
    max_iter: int | None


class Baseline(Frozen):
    """The no-information rule on the test set: always answer the class most common in the
    training rows (scikit-learn's ``DummyClassifier(strategy="most_frequent")``)."""

    strategy: Literal["majority"] = "majority"
    predicted_label: str
    accuracy: Num
    balanced_accuracy: Num
    precision_verified: Num  # NaN (null) when the rule flags no video as verified
    recall_verified: Num
    f1_verified: Num
    roc_auc: Num  # a constant score: 0.5
    pr_auc: Num  # a constant score: the verified share of the test set
    share_flagged: Num


class RegressionResult(StageResult):
    TEXT_FIGURES: ClassVar[frozenset[str]] = frozenset({"protocol"})

    stage: Literal["regression"] = "regression"
    #: the rows fitted on: all of them, or a stratified sample above sample_rows
    sample: SampleInfo | None = None
    protocol: Literal["rigorous", "course"]
    #: class_weight / upsample: the training part only; upsample_before_split: the exemplar's
    rebalance: Literal["class_weight", "upsample", "upsample_before_split"]
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
    constant_terms: list[str] = []  # predictors left out: no variation in the training part
    coefficients: list[Coefficient]
    pseudo_r2: Num
    llr_p: Num
    converged: bool
    sklearn_coefficients: dict[str, Num]
    confusion: Confusion
    class_metrics: list[ClassMetrics]
    accuracy: Num
    balanced_accuracy: Num
    roc: Curve
    pr: Curve
    share_flagged: Num  # test videos the prediction model flags as verified
    baseline: Baseline
    inference_fit: FitSettings
    prediction_fit: FitSettings
    adjusted_risks: list[AdjustedRisk]


