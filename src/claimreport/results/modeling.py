"""Typed result of the modeling stage (course 6): claim classifier tuned for recall."""

from __future__ import annotations

from typing import ClassVar, Literal

from .base import Frozen, Num, OptNum, Ref, StageResult
from .common import ClassMetrics, Confusion, Curve

__all__ = ["SearchSummary", "ModelScores", "ThresholdRow", "Importance", "Interval",
           "ModelingResult"]


class SearchSummary(Frozen):
    model: str  # "random_forest" / "xgboost"
    name: str  # "Random forest" / "XGBoost"
    method: Literal["halving_random", "full_grid"]  # successive halving / the exemplar's grid
    candidates: int  # distinct hyper-parameter sets tried
    fits: int  # model fits, cross-validation folds and the final refit included
    best_params: dict[str, float | int | str | None]
    cv_recall_mean: Num
    cv_recall_std: Num
    grid: dict[str, list[float | int | str | None]]


class ModelScores(Frozen):
    model: str
    name: str
    split: Literal["validation", "test"]
    recall: Num
    precision: Num
    f1: Num
    accuracy: Num
    roc_auc: Num
    pr_auc: Num
    confusion: Confusion
    classes: list[ClassMetrics]
    roc: Curve
    pr: Curve


class ThresholdRow(Frozen):
    threshold: Num
    recall: Num
    precision: Num
    flagged: int
    missed_claims: int


class Importance(Frozen):
    """``importance``: the model's own measure (``ModelingResult.importance_kind``), as shares."""

    feature: str
    importance: Num
    permutation_mean: Num
    permutation_std: Num


class Interval(Frozen):
    """A proportion with its 95% Wilson score interval."""

    value: Num
    low: Num
    high: Num
    successes: int
    trials: int


class ModelingResult(StageResult):
    TEXT_FIGURES: ClassVar[frozenset[str]] = frozenset({"protocol", "search", "champion"})

    stage: Literal["modeling"] = "modeling"
    protocol: Literal["rigorous", "course"]
    search: Literal["fast", "course"]
    random_state: int
    rows_complete: int
    n_train: int
    n_validation: int
    n_test: int
    claim_share: dict[str, Num]  # per split
    features: list[str]
    phrases: list[str]
    searches: list[SearchSummary]
    validation: list[ModelScores]
    champion: str
    champion_name: str
    #: why the champion won on validation: higher_recall, higher_precision, higher_f1, tie,
    #: only_model (see stages.modeling.choose_champion)
    champion_reason: Literal["higher_recall", "higher_precision", "higher_f1", "tie",
                             "only_model"]
    test: ModelScores
    test_recall_ci: Interval
    test_precision_ci: Interval
    thresholds: list[ThresholdRow]
    threshold_for_target: OptNum  # highest threshold keeping validation recall >= target
    target_recall: Num
    #: impurity (random forest: mean decrease in impurity) or gain (XGBoost)
    importance_kind: Literal["impurity", "gain"]
    importances: list[Importance]
    model_file: Ref
    model_format: str
    feature_file: Ref
    package_versions: dict[str, str]


