"""Typed result of the hypothesis stage (course 4)."""

from __future__ import annotations

from typing import Literal

from .base import Frozen, StageResult
from .common import Histogram

__all__ = ["GroupSummary", "WelchTest", "ChiSquareTest", "FamilyRow", "QQ", "HypothesisResult",
           "RESULT"]

Decision = Literal["reject", "fail to reject"]


class GroupSummary(Frozen):
    label: str
    n: int
    mean: float
    median: float
    std: float
    mean_ci_low: float
    mean_ci_high: float
    skewness: float
    normality_statistic: float | None  # D'Agostino-Pearson K²; None below 20 values
    normality_p: float | None
    claim_share: float | None  # share of claim videos in the group: context for the reader


class WelchTest(Frozen):
    name: str
    metric: str
    metric_label: str
    by: str
    group_a: GroupSummary
    group_b: GroupSummary
    h0: str
    ha: str
    alpha: float
    t_statistic: float
    dof: float
    p_value: float
    p_holm: float
    decision: Decision
    mean_difference: float
    ci_low: float
    ci_high: float
    hedges_g: float
    hedges_g_ci_low: float
    hedges_g_ci_high: float
    effect_size: str
    variance_ratio: float  # larger variance / smaller variance
    levene_statistic: float
    levene_p: float
    mann_whitney_u: float
    mann_whitney_p: float
    rank_biserial: float
    robust_agrees: bool


class ChiSquareTest(Frozen):
    name: str
    by: str
    against: str
    h0: str
    ha: str
    alpha: float
    chi2: float
    dof: int
    p_value: float
    p_holm: float
    decision: Decision
    cramers_v: float
    effect_size: str
    n: int
    min_expected: float
    rows: list[str]
    columns: list[str]
    observed: list[list[int]]


class FamilyRow(Frozen):
    """One line of the family table: every test of the stage, Holm-adjusted together."""

    name: str
    test: str
    statistic: float
    dof: float
    p_value: float
    p_holm: float
    decision: Decision
    effect: str  # "Hedges' g" or "Cramér's V"
    effect_value: float
    effect_size: str


class QQ(Frozen):
    """Normal QQ points of a standardised group: theoretical vs sample quantiles."""

    label: str
    theoretical: list[float]
    sample: list[float]


class HypothesisResult(StageResult):
    stage: Literal["hypothesis"] = "hypothesis"
    alpha: float
    rows_used: int
    rows_dropped: int
    primary: WelchTest
    welch_tests: list[WelchTest]
    chi_square_tests: list[ChiSquareTest]
    family: list[FamilyRow]
    qq: list[QQ]
    distribution: Histogram


RESULT = HypothesisResult
