"""Pieces every stage result shares."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["Frozen", "KeyFigure", "TableRef", "FigureRef", "StageResult"]

#: A headline number (or the champion's name). Flat, JSON-native, stable names.
KeyFigure = int | float | str | bool | None


class Frozen(BaseModel):
    """Immutable, strict model: unknown fields in a bundle are an error, not silently dropped.

    Non-finite floats (an odds ratio that overflowed, the skewness of a constant column) are
    written as the strings "NaN"/"Infinity", so every bundle file is standard JSON and reads
    back to the same float.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", ser_json_inf_nan="strings")


class TableRef(Frozen):
    """A table stored as CSV under ``bundle/tables/<stage>/``."""

    title: str
    path: str  # relative to the bundle folder
    rows: int
    columns: list[str]
    caption: str = ""


class FigureRef(Frozen):
    """A figure stored as SVG and PNG under ``bundle/figures/<stage>/``."""

    title: str
    alt: str
    svg: str  # relative to the bundle folder
    png: str


class StageResult(Frozen):
    """Base of every stage's result."""

    stage: str
    key_figures: dict[str, KeyFigure]
    tables: dict[str, TableRef] = {}
    figures: dict[str, FigureRef] = {}
