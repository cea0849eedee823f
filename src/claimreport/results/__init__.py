"""Typed, frozen stage results: the content of ``<stage>.json`` in a bundle.

Results hold numbers only. Big tables live in CSV files the result points to; figures are drawn
from a result by :mod:`claimreport.figures` and stored next to it.
"""

from .base import FigureRef, KeyFigure, StageResult, TableRef

__all__ = ["FigureRef", "KeyFigure", "StageResult", "TableRef", "result_model"]


def result_model(stage: str) -> type[StageResult]:
    """The result class of *stage* (imported lazily: reading one stage loads one module)."""
    from ..registry import stage_spec

    return stage_spec(stage).result_class()
