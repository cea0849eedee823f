"""Typed result of the modeling stage (course 6): claim classifier tuned for recall."""

from __future__ import annotations

from typing import ClassVar, Literal

from .base import Frozen, Num, OptNum, Ref, StageResult
from .common import ClassMetrics, Confusion, Curve, SampleInfo

__all__ = ["SearchSummary", "Tuning", "ModelScores", "ThresholdRow", "Importance", "Interval", "Baseline",
           "ReliabilityBin", "CalibrationSummary", "ErrorGroup", "SliceScores", "ModelingResult"]


class SearchSummary(Frozen):
    model: str  # "random_forest" / "xgboost"
    name: str  # "Random forest" / "XGBoost"
    #: successive halving on ensemble size over the course grid (``halving_random``: the
    #: random-candidate halving of bundles before it) / the exemplar's grid / stored settings
    #: refitted without a search
    method: Literal["halving_sizes", "halving_random", "full_grid", "stored"]
    candidates: int  # distinct hyper-parameter sets tried
    #: model fits, cross-validation folds and the final refit included (halving_sizes: one
    #: growing ensemble per family and fold per rung)
    fits: int
    best_params: dict[str, float | int | str | None]
    cv_recall_mean: Num
    cv_recall_std: Num
    grid: dict[str, list[float | int | str | None]]
    #: the cross-validation behind cv_recall: folds and training rows (None: not recorded,
    #: e.g. stored settings)
    cv_folds: int | None = None
    cv_rows: int | None = None


class Tuning(Frozen):
    """The hyper-parameters in use and where they come from (see stages.modeling_search).

    ``tuned_at``/``data_*``: when and on which data the search that found them ran;
    ``source``/``reason``: what this build did: ``searched`` (reason ``first_build``,
    ``requested``, ``expired``, ``settings_changed``, ``refit_missed_target``) or ``stored``
    (settings refitted on this build's training rows without a search).
    """

    tuned_at: str  # ISO date (UTC)
    data_name: str
    data_sha256: str
    settings: str  # fingerprint of the search settings the parameters are valid for
    params: dict[str, dict[str, float | int | str | None]]
    cv_recall: dict[str, Num]
    cv_recall_std: dict[str, Num]
    source: Literal["searched", "stored"]
    reason: Literal["first_build", "requested", "expired", "settings_changed",
                    "refit_missed_target", "stored"]


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
    flag_rate: Num  # share of the set's videos flagged as claims
    confusion: Confusion
    classes: list[ClassMetrics]
    roc: Curve
    pr: Curve


class ThresholdRow(Frozen):
    """The champion on the validation set at one decision threshold. ``shown``: the row is in
    the report's table (the configured thresholds, 0.5 and the highest one keeping the target);
    the bundle keeps every row."""

    threshold: Num
    recall: Num
    precision: Num
    flagged: int
    missed_claims: int
    shown: bool = True


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


class Baseline(Frozen):
    """A simple alternative learned on the training rows, scored on the validation set.

    ``majority``: the training rows' more frequent class for every video (``predicts``);
    ``rule``: flag when ``feature`` is ``direction`` ``threshold`` (chosen by
    ``train_balanced_accuracy``); ``logistic``: a standardised logistic regression.
    """

    kind: Literal["majority", "rule", "logistic"]
    recall: Num
    precision: Num  # NaN when it flags nothing
    flag_rate: Num
    claims: int
    caught: int
    flagged: int
    videos: int
    predicts: Literal["claim", "opinion"] | None = None
    feature: str | None = None
    direction: Literal["above", "below"] | None = None
    threshold: OptNum = None
    train_balanced_accuracy: OptNum = None


class ReliabilityBin(Frozen):
    """One equal-width bin of predicted claim probability; means are NaN for an empty bin."""

    low: Num
    high: Num
    videos: int
    mean_predicted: Num
    share_claims: Num


class CalibrationSummary(Frozen):
    """The champion's probabilities on the test set: Brier score (0 is perfect), the Brier
    score of always predicting the claim share, and the reliability curve."""

    brier: Num
    reference_brier: Num
    bins: list[ReliabilityBin]


class ErrorGroup(Frozen):
    """Engagement profile of one outcome group of the test set."""

    group: Literal["missed_claims", "caught_claims", "flagged_opinions", "passed_opinions"]
    videos: int
    median_views: Num
    median_likes: Num
    median_shares: Num
    share_verified: Num
    share_banned: Num


class SliceScores(Frozen):
    """The champion on one part of the test set. ``column``/``level``: the part (level
    ``None`` for ``low_views``: fewer views than ``ModelingResult.low_views_threshold``).
    ``below_target`` only when the part has ``enough_claims`` to be judged."""

    slice: str
    column: str
    level: str | None
    videos: int
    claims: int
    recall: Interval
    flag_rate: Interval
    enough_claims: bool
    below_target: bool


class ModelingResult(StageResult):
    TEXT_FIGURES: ClassVar[frozenset[str]] = frozenset(
        {"protocol", "search", "champion", "baseline_rule_feature", "readiness"})

    stage: Literal["modeling"] = "modeling"
    #: the rows fitted on: all of them, or a stratified sample above sample_rows
    sample: SampleInfo | None = None
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
    tuning: Tuning
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
    #: majority class, best single-feature rule (absent when every feature is constant),
    #: logistic regression; all on the validation set
    baselines: list[Baseline]
    #: the baseline the champion is measured against: highest validation recall, ties by
    #: precision, among the learned ones (a constant prediction is not a bar; see the stage)
    best_baseline: Literal["rule", "logistic"] | None
    #: (champion − best baseline) validation recall × 1,000; NaN without a baseline recall
    margin_per_1000: Num
    calibration: CalibrationSummary
    errors: list[ErrorGroup]
    #: slices' recall on the test set; "low views" is below this many views (a quantile of
    #: the training claims' views, ``low_views_quantile``)
    slices: list[SliceScores]
    low_views_threshold: Num
    low_views_quantile: Num
    readiness: Literal["ready", "pilot", "not_ready"]
    readiness_reasons: list[Literal["target_missed", "small_margin", "no_margin",
                                    "slice_below_target"]]
    #: the readiness rule's bars, as computed with (see stats.readiness)
    min_margin_per_1000: Num
    min_slice_claims: int
    model_file: Ref
    model_format: str
    feature_file: Ref
    package_versions: dict[str, str]


