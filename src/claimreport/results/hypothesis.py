"""Typed result of the hypothesis stage (course 4)."""

from __future__ import annotations

from typing import Literal

from .base import Frozen, Num, OptNum, StageResult
from .common import Histogram

__all__ = ["GroupSummary", "WelchTest", "ChiSquareTest", "FamilyRow", "QQ", "SkippedTest",
           "HypothesisResult"]

Decision = Literal["reject", "fail to reject"]


class GroupSummary(Frozen):
    label: str
    n: int
    mean: Num
    median: Num
    std: Num
    mean_ci_low: Num
    mean_ci_high: Num
    skewness: Num
    normality_statistic: OptNum  # D'Agostino-Pearson K²; None below 20 values
    normality_p: OptNum
    claim_share: OptNum  # share of claim videos in the group: context for the reader


class WelchTest(Frozen):
    name: str
    metric: str
    by: str
    group_a: GroupSummary
    group_b: GroupSummary
    alpha: Num
    t_statistic: Num
    dof: Num
    p_value: Num
    p_holm: Num
    decision: Decision
    mean_difference: Num
    ci_low: Num
    ci_high: Num
    hedges_g: Num
    hedges_g_ci_low: Num
    hedges_g_ci_high: Num
    effect_size: str
    variance_ratio: Num  # larger variance / smaller variance
    levene_statistic: Num
    levene_p: Num
    mann_whitney_u: Num
    mann_whitney_p: Num
    rank_biserial: Num
    robust_agrees: bool


class ChiSquareTest(Frozen):
    name: str
    by: str
    against: str
    alpha: Num
    chi2: Num
    dof: int
    p_value: Num
    p_holm: Num
    decision: Decision
    cramers_v: Num
    effect_size: str
    n: int
    min_expected: Num
    rows: list[str]
    columns: list[str]
    observed: list[list[int]]


class FamilyRow(Frozen):
    """One line of the family table: every test of the stage, Holm-adjusted together."""

    name: str
    test: str
    statistic: Num
    dof: Num
    p_value: Num
    p_holm: Num
    decision: Decision
    effect: str  # "Hedges' g" or "Cramér's V"
    effect_value: Num
    effect_size: str


class SkippedTest(Frozen):
    """A configured test that the data cannot support, and why (shown in the report)."""

    name: str
    reason: str


class QQ(Frozen):
    """Normal QQ points of a standardised group: theoretical vs sample quantiles."""

    label: str
    theoretical: list[Num]
    sample: list[Num]


class HypothesisResult(StageResult):
    stage: Literal["hypothesis"] = "hypothesis"
    alpha: Num
    rows_used: int
    rows_dropped: int
    primary: WelchTest
    welch_tests: list[WelchTest]
    chi_square_tests: list[ChiSquareTest]
    family: list[FamilyRow]
    skipped: list[SkippedTest] = []
    qq: list[QQ]
    distribution: Histogram


