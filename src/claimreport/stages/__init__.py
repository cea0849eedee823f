"""Stage compute functions. Each module exposes ``compute(data, config) -> StageOutput``.

Compute never imports rendering code (jinja2, weasyprint): a test keeps that honest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..results import StageResult

__all__ = ["STAGE_NAMES", "StageOutput", "BuildContext", "compute_stage", "preflight_stage"]

from ..registry import STAGE_NAMES, stage_spec


@dataclass(frozen=True)
class StageOutput:
    """What a stage computes: the typed result (without table/figure refs yet) and its tables.

    ``tables`` maps a table key to ``(title, caption, DataFrame)``; the bundle writer stores them
    as CSV and adds the references to the result.
    """

    result: StageResult
    tables: dict[str, tuple[str, str, pd.DataFrame]] = field(default_factory=dict)
    artifacts: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class BuildContext:
    """What a stage may know about the build beyond data and config: the results of the
    previous published build (the modeling stage refits its stored hyper-parameters) and
    whether the user asked to search them again (``--retune``)."""

    previous: dict = field(default_factory=dict)
    retune: bool = False
    #: the build's progress(event, message, **fields); the modeling search reports its fits
    progress: Callable[..., None] | None = None


def compute_stage(stage: str, loaded, config, context: BuildContext | None = None) -> StageOutput:
    """Run the compute function of *stage* (imported lazily).

    Warnings (the skewness of a constant column, a division by a zero variance) are
    silenced: undefined results are NaN in the result and "not defined" in the report, which is
    where the reader needs to see them, not on the scheduler's stderr.
    """
    import warnings

    import numpy as np

    module = stage_spec(stage).compute_module()
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return module.compute(loaded, config, context)


def preflight_stage(stage: str, loaded, config) -> list[str]:
    """What *stage* needs from the data and does not find, one problem per line (empty: ready).

    Runs before anything is written, so a build that cannot finish never starts.
    """
    return list(stage_spec(stage).compute_module().preflight(loaded, config))
