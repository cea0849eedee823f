"""Sentences computed from bundle numbers by small, named, tested rules.

One module per stage (``eda``, ``hypothesis``, ``regression``, ``modeling``), registered in
:mod:`claimreport.registry`, plus shared wording in :mod:`.words`. Each stage module has
``title(result)`` and ``executive(bundle)``. A rule returns its sentence or ``None``; its
thresholds are named constants; numbers come from the bundle, never from a template.

Page 1 (``Executive``) speaks to a director: plain words, rounded numbers, the decision and its
main caveat. Test statistics and method details go to ``details`` (the analysts' pages).
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Tile", "Executive", "executive", "title"]


@dataclass(frozen=True)
class Tile:
    """A headline number on the executive page: the value already formatted for people."""

    value: str
    label: str


@dataclass(frozen=True)
class Executive:
    """The executive page in the shape stakeholders know from this project, and the analysts'
    details that back it."""

    headline: str
    issue: str
    response: str
    impact: str
    insights: list[str]
    next_steps: list[str]
    caveat: str | None = None
    data_notes: list[str] = field(default_factory=list)
    tiles: list[Tile] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    since: object | None = None  # changes.Since: the "since the previous build" section


def executive(bundle, stage: str) -> Executive:
    """The executive page of *stage* in *bundle* (other stages' results may inform it)."""
    from dataclasses import replace

    from ...registry import stage_spec
    from .changes import since_previous

    ex = stage_spec(stage).narrative_module().executive(bundle)
    return replace(ex, since=since_previous(getattr(bundle, "changes", None), stage))


def title(result) -> str:
    """The report title of a stage result (it follows the configuration, e.g. the metric)."""
    from ...registry import stage_spec

    return stage_spec(result.stage).narrative_module().title(result)
