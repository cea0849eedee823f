"""What changed since the previous published build: key figures, data drift, flipped conclusions.

Computed when a build is made (it needs the previous bundle and this build's data) and stored in
the bundle as ``changes.json``, so a report rebuilt from the bundle alone shows the same section.
Flips are codes; :mod:`claimreport.render.narrative.changes` turns them into sentences.
"""

from __future__ import annotations

import math
from typing import Literal

from .profile import Drift
from .results.base import Frozen, KeyFigure

__all__ = ["FigureChange", "Flip", "StageChanges", "BuildChanges", "compare"]

FlipCode = Literal["significance", "verdict", "champion", "readiness", "below_target", "alerts"]


class FigureChange(Frozen):
    name: str
    old: KeyFigure
    new: KeyFigure


class Flip(Frozen):
    """A conclusion that changed: ``code`` names the rule, ``old``/``new`` the two states."""

    code: FlipCode
    old: str
    new: str


class StageChanges(Frozen):
    stage: str
    new_stage: bool = False  # the previous build did not have this stage
    figures: list[FigureChange] = []
    flips: list[Flip] = []


class BuildChanges(Frozen):
    previous_built: str
    previous_input: str
    previous_sha256: str
    same_data: bool
    drift: list[Drift] = []
    stages: dict[str, StageChanges] = {}


def _differs(a: KeyFigure, b: KeyFigure) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) and math.isnan(b):
            return False
        return not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a != b


def _flag(value: KeyFigure, yes: str, no: str) -> str:
    return yes if value else no


def _flips(stage: str, old: dict, new: dict, old_result, new_result) -> list[Flip]:
    """The conclusions of *stage* that changed between two results (rules by stage)."""
    out: list[Flip] = []
    if stage == "hypothesis":
        if "reject_h0" in old and old.get("reject_h0") != new.get("reject_h0"):
            out.append(Flip(code="significance",
                            old=_flag(old["reject_h0"], "significant", "not significant"),
                            new=_flag(new["reject_h0"], "significant", "not significant")))
        if old.get("difference_verdict") != new.get("difference_verdict") and \
                old.get("difference_verdict") and new.get("difference_verdict"):
            out.append(Flip(code="verdict", old=str(old["difference_verdict"]),
                            new=str(new["difference_verdict"])))
    elif stage == "modeling":
        if old.get("champion") != new.get("champion"):
            out.append(Flip(code="champion", old=str(old.get("champion")),
                            new=str(new.get("champion"))))
        if old.get("readiness") and old.get("readiness") != new.get("readiness"):
            out.append(Flip(code="readiness", old=str(old["readiness"]),
                            new=str(new.get("readiness"))))
        target = getattr(new_result, "target_recall", None)
        was, now = old.get("champion_test_recall"), new.get("champion_test_recall")
        if target is not None and isinstance(was, float) and isinstance(now, float) and \
                was >= target > now:
            out.append(Flip(code="below_target", old=f"{was:.4f}", new=f"{now:.4f}"))
    elif stage == "eda":
        before, after = set(old.get("alerts") or []), set(new.get("alerts") or [])
        if before != after:
            out.append(Flip(code="alerts", old=",".join(sorted(before)),
                            new=",".join(sorted(after))))
    return out


def compare(previous_manifest, previous_results: dict, results: dict, drift: list[Drift],
            sha256: str) -> BuildChanges:
    """Changes from the previous build (*previous_manifest*, *previous_results*) to this one."""
    stages = {}
    for stage, result in results.items():
        before = previous_results.get(stage)
        if before is None:
            stages[stage] = StageChanges(stage=stage, new_stage=True)
            continue
        old, new = before.key_figures, result.key_figures
        figures = [FigureChange(name=k, old=old[k], new=v) for k, v in new.items()
                   if k in old and _differs(old[k], v)]
        stages[stage] = StageChanges(stage=stage, figures=figures,
                                     flips=_flips(stage, old, new, before, result))
    return BuildChanges(previous_built=previous_manifest.created_at,
                        previous_input=previous_manifest.input.name,
                        previous_sha256=previous_manifest.input.sha256,
                        same_data=previous_manifest.input.sha256 == sha256,
                        drift=drift, stages=stages)
