"""Typed result of the EDA stage (course 3)."""

from __future__ import annotations

from typing import Literal

from .base import Frozen, Num, OptNum, StageResult
from .common import BoxStats, Histogram, LevelCount, Matrix

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


class EdaResult(StageResult):
    stage: Literal["eda"] = "eda"
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


