"""Typed result of the hypothesis stage (course 4)."""

from __future__ import annotations

from typing import ClassVar, Literal

from .base import Frozen, Num, OptNum, StageResult
from .common import Histogram, SampleInfo

__all__ = ["GroupSummary", "WelchTest", "ChiSquareTest", "FamilyRow", "QQ", "SkippedTest",
           "StratumTest", "AdjustedEstimate", "StratifiedAnalysis", "HypothesisResult"]

Decision = Literal["reject", "fail to reject"]
#: codes of :func:`claimreport.stats.stratified.difference_verdict`
DifferenceVerdict = Literal["persists", "explained", "reverses", "mixed", "emerges", "none",
                            "not_computed"]


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


class StratumTest(Frozen):
    """The primary's two groups compared within one level of the stratifier (A - B).

    Counts, means and shares are given for every level; the test fields are NaN, with
    ``reason``, when the level cannot support a t-test (``decision`` is then None).
    """

    level: str
    n: int  # rows of either group in this level
    mean: Num  # mean metric of those rows (both groups together)
    n_a: int
    n_b: int
    share_a: Num  # share of group A's rows that are in this level
    share_b: Num
    mean_a: Num
    mean_b: Num
    mean_a_ci_low: Num
    mean_a_ci_high: Num
    mean_b_ci_low: Num
    mean_b_ci_high: Num
    mean_difference: Num
    ci_low: Num
    ci_high: Num
    t_statistic: Num
    dof: Num
    p_value: Num
    p_holm: Num
    decision: Decision | None
    hedges_g: Num
    reason: str | None = None  # why the level was not tested


class AdjustedEstimate(Frozen):
    """OLS of the metric on the group indicator and the stratifier's levels, HC3 errors.

    ``difference`` is A - B holding the level fixed; ``z_statistic`` and the CI are normal-based.
    ``levels`` are the levels in the fit (those holding both groups), reference first.
    """

    difference: Num
    std_err: Num
    z_statistic: Num
    ci_low: Num
    ci_high: Num
    p_value: Num
    p_holm: Num
    decision: Decision | None
    n: int
    levels: list[str]
    reason: str | None = None  # why it is not defined


class StratifiedAnalysis(Frozen):
    """Is the primary difference real, or the mix of ``by``? (See ``difference_verdict``.)"""

    by: str  # the stratifier column
    strata: list[StratumTest]
    adjusted: AdjustedEstimate
    verdict: DifferenceVerdict


class HypothesisResult(StageResult):
    TEXT_FIGURES: ClassVar[frozenset[str]] = frozenset({"stratified_by", "difference_verdict"})

    stage: Literal["hypothesis"] = "hypothesis"
    #: rows behind the rank-based checks, plots and examples (None in bundles before 6)
    sample: SampleInfo | None = None
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
    #: None when ``hypothesis.stratify_by`` is empty
    stratified: StratifiedAnalysis | None = None


