"""Correlations that come only from the difference between claims and opinions.

Why a module of its own: a pooled correlation of at least ``POOLED_STRONG_R`` that is at most
``WITHIN_WEAK_R`` within both claims and opinions says something about the classes, not about
videos of one kind; this rule reads the pooled and the within-class correlation matrices, is
said on page 1 and on the analysts' pages, and keeps the EDA's "move together" sentence from
repeating it. :mod:`.eda` re-exports the public names, so templates reach them as
``words.<name>``.
"""

from __future__ import annotations

from ...data import schema as S
from .words import MODERATE_R, STRONG_R, defined

__all__ = ["within_class_r", "class_driven_pairs", "class_driven_sentence", "POOLED_STRONG_R",
           "WITHIN_WEAK_R"]

#: |pooled r| from which, with |r| <= WITHIN_WEAK_R within both classes, a correlation is
#: said to come from the difference between claims and opinions
POOLED_STRONG_R, WITHIN_WEAK_R = STRONG_R, MODERATE_R


def within_class_r(result, a: str, b: str, method: str = "pearson") -> dict[str, float]:
    """``{claim_status: r}`` of the pair (a, b) within each class."""
    out = {}
    for m in result.class_correlations:
        if m.method == method and a in m.labels and b in m.labels:
            out[m.claim_status] = m.values[m.labels.index(a)][m.labels.index(b)]
    return out


def class_driven_pairs(result) -> list[tuple[str, str, float, float, float]]:
    """``(a, b, pooled r, r within claims, r within opinions)`` for every pair whose pooled
    |Pearson r| is at least ``POOLED_STRONG_R`` while both within-class |r| are at most
    ``WITHIN_WEAK_R``; pairs with an undefined r are left out."""
    pooled = next((m for m in result.correlations if m.method == "pearson"), None)
    if pooled is None:
        return []
    out = []
    labels = pooled.labels
    for i in range(len(labels)):
        for j in range(i + 1, len(labels)):
            r = pooled.values[i][j]
            within = within_class_r(result, labels[i], labels[j])
            rc, ro = within.get("claim"), within.get("opinion")
            if not defined(r, rc, ro) or abs(r) < POOLED_STRONG_R:
                continue
            if abs(rc) <= WITHIN_WEAK_R and abs(ro) <= WITHIN_WEAK_R:
                out.append((labels[i], labels[j], r, rc, ro))
    return sorted(out, key=lambda t: -abs(t[2]))


def class_driven_sentence(result) -> str | None:
    """The strongest class-driven pair in words, or None."""
    pairs = class_driven_pairs(result)
    if not pairs:
        return None
    a, b, r, _rc, _ro = pairs[0]
    together = "rise together" if r > 0 else "move in opposite directions"
    return (f"{S.short(a)} and {S.noun(b)} {together} across all videos only because claims "
            "and opinions differ in both: within claims and within opinions they are at most "
            "moderately related, so the overall link says little about videos of one kind.")
