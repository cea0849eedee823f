"""Rules for the "Since the previous build" section of each report.

Key figures that changed are listed old → new with the change in words ("up 4%", "down from
0.997 to 0.951"); a column whose distribution shifted is named with its PSI reading; a flipped
conclusion gets its own sentence. Nothing is said for a stage whose results did not change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...data import schema as S
from ...profile import PSI_MAJOR, PSI_MODERATE
from .words import defined, num

__all__ = ["Since", "since_previous", "change_words", "SHOWN_FIGURES"]

#: key figures listed per report (the JSON keeps them all)
SHOWN_FIGURES = 8

_VERDICTS = {"persists": "persists within claims and within opinions",
             "explained": "is explained by the mix of claims",
             "reverses": "reverses once the mix of claims is taken into account",
             "none": "shows no clear difference", "emerges": "appears only within claim status",
             "ready": "ready", "pilot": "ready for a pilot only", "not_ready": "not ready"}


@dataclass(frozen=True)
class Since:
    """The section's content; empty lists and no ``flips`` mean nothing changed."""

    intro: str
    figures: list[str] = field(default_factory=list)
    drift: list[str] = field(default_factory=list)
    flips: list[str] = field(default_factory=list)
    more: int = 0


def _fmt(v) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return num(v)
    if isinstance(v, float):
        if not defined(v):
            return "not defined"
        return num(v) if abs(v) >= 1000 else f"{v:.4g}"
    if v is None:
        return "not defined"
    if isinstance(v, list):
        return ", ".join(v) or "none"
    return str(v)


def change_words(old, new) -> str:
    """"up 4.2%", "down 12%", "changed" (for text and flags)."""
    if isinstance(old, bool) or isinstance(new, bool) or not (defined(old) and defined(new)):
        return "changed"
    if old == 0:
        return "up" if new > 0 else "down"
    rel = (new - old) / abs(old)
    return f"{'up' if rel > 0 else 'down'} {abs(rel):.1%}"


def _flip_sentence(flip) -> str:
    if flip.code == "significance":
        return f"The main difference was {flip.old} in the previous build and is {flip.new} now."
    if flip.code == "verdict":
        return (f"The verdict changed: the difference {_VERDICTS.get(flip.old, flip.old)} "
                f"before, and {_VERDICTS.get(flip.new, flip.new)} now.")
    if flip.code == "champion":
        return f"The chosen model changed from {flip.old.replace('_', ' ')} to " \
               f"{flip.new.replace('_', ' ')}."
    if flip.code == "readiness":
        return (f"The model was {_VERDICTS.get(flip.old, flip.old)} in the previous build and is "
                f"{_VERDICTS.get(flip.new, flip.new)} now.")
    if flip.code == "below_target":
        return (f"Test recall fell below the target: {flip.old} before, {flip.new} now.")
    return f"The data alerts changed: {flip.old or 'none'} before, {flip.new or 'none'} now."


def since_previous(changes, stage: str) -> Since | None:
    """The section for *stage*, or None when there is no previous build."""
    if changes is None or stage not in changes.stages:
        return None
    mine = changes.stages[stage]
    data = ("the same data" if changes.same_data else
            f"{changes.previous_input} (sha256 {changes.previous_sha256[:12]})")
    intro = (f"Compared with the build of {changes.previous_built.replace('T', ' ')[:16]} UTC "
             f"on {data}.")
    if mine.new_stage:
        return Since(intro=intro + " That build did not include this stage.")
    figures = [f"{f.name}: {_fmt(f.old)} → {_fmt(f.new)} ({change_words(f.old, f.new)})"
               for f in mine.figures]
    drift = []
    for d in changes.drift:
        if d.level != "none":
            name = S.noun(d.column) if S.known(d.column) else d.column
            word = "a major" if d.psi >= PSI_MAJOR else "a moderate"
            drift.append(f"{name.capitalize()}: {word} shift in distribution (PSI {d.psi:.2f}; "
                         f"{PSI_MODERATE:g} and {PSI_MAJOR:g} mark moderate and major).")
    return Since(intro=intro, figures=figures[:SHOWN_FIGURES], drift=drift,
                 flips=[_flip_sentence(f) for f in mine.flips],
                 more=max(0, len(figures) - SHOWN_FIGURES))
