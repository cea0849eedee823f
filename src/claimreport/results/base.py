"""Pieces every stage result shares."""

from __future__ import annotations

import math
from numbers import Real
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, PlainValidator, field_validator

from ..safepath import check_ref

__all__ = ["Frozen", "Num", "OptNum", "Ref", "KeyFigure", "TableRef", "FigureRef", "StageResult",
           "undefined_reasons"]


def _number(v) -> float:
    """A float from a number or ``null`` (undefined → NaN). Strings such as ``"NaN"`` are refused:
    a bundle stores undefined values as ``null``, never as text."""
    if v is None:
        return math.nan
    if isinstance(v, bool) or not isinstance(v, Real):
        raise ValueError(f"expected a number or null, got {type(v).__name__} {str(v)[:40]!r}")
    return float(v)


def _optional_number(v) -> float | None:
    return None if v is None else _number(v)


#: A statistic: a finite float, or NaN for "not defined" (stored as JSON ``null``).
Num = Annotated[float, PlainValidator(_number)]
#: A statistic that may be absent by design (``None``); NaN/``null`` read back as ``None``.
OptNum = Annotated[float | None, PlainValidator(_optional_number)]
#: A path relative to the bundle folder: no absolute paths, no ``..`` (see :mod:`..safepath`).
Ref = Annotated[str, PlainValidator(lambda v: check_ref(v) if isinstance(v, str) else _not_text(v))]


def _not_text(v):
    raise ValueError(f"expected a relative path, got {type(v).__name__}")


#: A headline number, a verdict code, or a list of codes. Flat, JSON-native, stable names.
KeyFigure = int | float | str | bool | list[str] | None


class Frozen(BaseModel):
    """Immutable, strict model: unknown fields in a bundle are an error, not silently dropped.

    Undefined statistics (the skewness of a constant column, an odds ratio that overflowed) are
    NaN in memory and ``null`` in the JSON, so every bundle file is standard JSON.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", ser_json_inf_nan="null")


class TableRef(Frozen):
    """A table stored as CSV under ``bundle/tables/<stage>/``."""

    title: str
    path: Ref  # relative to the bundle folder
    rows: int
    columns: list[str]
    caption: str = ""


class FigureRef(Frozen):
    """A figure stored as SVG and PNG under ``bundle/figures/<stage>/``."""

    title: str
    alt: str
    svg: Ref  # relative to the bundle folder
    png: Ref


class StageResult(Frozen):
    """Base of every stage's result.

    ``key_figures`` values are numbers (``null`` when not defined), booleans, or, for the names in
    ``TEXT_FIGURES``, verdict codes and lists of codes. A string where a number belongs is a
    tampered or corrupt bundle, refused on read.
    """

    TEXT_FIGURES: ClassVar[frozenset[str]] = frozenset()

    stage: str
    key_figures: dict[str, KeyFigure]
    #: why a key figure is null, in words a report can print after "not defined"
    undefined: dict[str, str] = {}
    tables: dict[str, TableRef] = {}
    figures: dict[str, FigureRef] = {}

    @field_validator("key_figures")
    @classmethod
    def _typed_figures(cls, figures: dict[str, KeyFigure]) -> dict[str, KeyFigure]:
        out = {}
        for name, value in figures.items():
            if isinstance(value, (str, list)) and name not in cls.TEXT_FIGURES:
                raise ValueError(f"key figure {name!r} must be a number, got {str(value)[:40]!r}")
            # an infinite ratio (a zero variance) is as undefined as NaN: both are stored as null
            out[name] = None if isinstance(value, float) and not math.isfinite(value) else value
        return out


def undefined_reasons(figures: dict[str, KeyFigure], reasons: dict[str, str]) -> dict[str, str]:
    """``{name: reason}`` for every key figure that is not defined (None, NaN or infinite);
    *reasons* words the known cases, others get a generic reason."""
    out = {}
    for name, value in figures.items():
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            out[name] = reasons.get(name, "these data do not support it")
    return out
