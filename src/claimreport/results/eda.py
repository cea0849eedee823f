"""Typed result of the EDA stage (course 3)."""

from __future__ import annotations

from typing import ClassVar, Literal

from .base import Frozen, Num, OptNum, StageResult
from .common import BoxStats, Histogram, LevelCount, Matrix, SampleInfo

__all__ = [
    "ColumnInfo",
    "MissingPattern",
    "Inventory",
    "LevelCount",
    "BoxStats",
    "BoxGroup",
    "Histogram",
    "Matrix",
    "CorrelationPair",
    "Phrase",
    "Example",
    "UniformityCheck",
    "SeparationCheck",
    "DataAlert",
    "ClassMatrix",
    "EdaResult",

]


class ColumnInfo(Frozen):
    name: str
    label: str
    dtype: str
    kind: str
    role: str
    missing: int
    missing_share: Num
    unique: int


class MissingPattern(Frozen):
    """Rows in which exactly these columns are missing together."""

    columns: list[str]
    rows: int


class Inventory(Frozen):
    rows: int
    columns: int
    rows_complete: int
    row_number_column: str | None
    dropped_columns: list[str]
    identifiers: list[str]
    column_info: list[ColumnInfo]
    missing_patterns: list[MissingPattern]
    duplicate_rows: int
    duplicate_ids: int


class BoxGroup(Frozen):
    column: str
    by: str
    log_scale: bool
    boxes: list[BoxStats]


class CorrelationPair(Frozen):
    a: str
    b: str
    pearson: Num
    spearman: Num


class Phrase(Frozen):
    phrase: str
    count: int


class Example(Frozen):
    """A sampled transcription, shown verbatim (escaped) so readers see what the text is like."""

    claim_status: str
    text: str  # cut to a few hundred characters, ending in " …" when longer
    views: OptNum
    length: int  # characters of the full transcription


class UniformityCheck(Frozen):
    """How evenly one class's values fill [minimum, maximum] (see :mod:`claimreport.stats.alerts`).

    ``ks_distance``: Kolmogorov-Smirnov distance to the uniform distribution on the class's own
    [minimum, maximum]; ``edge_share_low`` / ``edge_share_high``: share of the values in the
    lowest / highest band of the range (a hard bound keeps them near the uniform's share).
    """

    column: str
    claim_status: str
    n: int
    minimum: OptNum
    maximum: OptNum
    ks_distance: Num  # NaN (null): too few values or a constant column
    edge_share_low: Num
    edge_share_high: Num
    near_uniform: bool


class SeparationCheck(Frozen):
    """The best single-column rule for telling claims from opinions, and how well it does.

    ``threshold``: claims are called above it (``upper_class == "claim"``) or below it;
    ``levels``: the levels called claims (``claim_levels``). Balanced accuracy is the mean of the
    two recalls, so a class's size does not flatter it.
    """

    column: str
    kind: Literal["threshold", "levels"]
    n_claim: int
    n_opinion: int
    balanced_accuracy: Num
    threshold: OptNum  # the rule is "value > threshold" → upper_class
    upper_class: Literal["claim", "opinion"] | None
    claim_levels: list[str] = []
    recall_claim: Num
    recall_opinion: Num


class DataAlert(Frozen):
    """An alert that fired: its code, the columns involved, the statistic that fired it and the
    rule's threshold (a named constant of :mod:`claimreport.stats.alerts`)."""

    code: Literal["separating_column", "near_uniform", "duplicate_transcriptions",
                  "heavy_missingness"]
    columns: list[str]
    value: Num
    threshold: Num


class ClassMatrix(Frozen):
    """A correlation matrix within one claim status (complete rows of that class)."""

    claim_status: str
    method: str
    labels: list[str]
    values: list[list[Num]]


class EdaResult(StageResult):
    TEXT_FIGURES: ClassVar[frozenset[str]] = frozenset({"alerts"})

    stage: Literal["eda"] = "eda"
    #: rows behind the rank-based checks, plots and examples (None in bundles before 6)
    sample: SampleInfo | None = None
    inventory: Inventory
    class_balance: list[LevelCount]
    skewness: dict[str, Num]
    histograms: list[Histogram]
    boxes: list[BoxGroup]
    text_length: Histogram
    correlations: list[Matrix]
    strongest_correlations: list[CorrelationPair]
    top_phrases: dict[str, list[Phrase]]
    examples: list[Example]
    class_correlations: list[ClassMatrix]
    uniformity: list[UniformityCheck]
    separation: list[SeparationCheck]
    duplicate_transcriptions: int  # rows repeating an earlier row's transcription exactly
    duplicate_transcription_conflicts: int  # repeated texts whose rows differ in claim status
    rows_with_missing_share: Num
    alerts: list[DataAlert]


