"""The two groups of the hypothesis test, and their overall comparison, in words.

Why a module of its own: who the groups are ("videos from unverified accounts"), how their means
compare, the overall headline and the p-values of the analysts' pages are the vocabulary of both
the overall test (:mod:`.hypothesis`) and the verdict on the mix (:mod:`.hypothesis_mix`), and
the regression report quotes them too. :mod:`.hypothesis` re-exports the public names, so
templates reach them as ``words.<name>``.
"""

from __future__ import annotations

from ...data import schema as S
from ...data.schema import group_phrase
from .words import about, amount_words, defined, num, ratio_words

__all__ = ["p_phrase", "significance", "hypotheses", "compare_means"]


def p_phrase(p: float) -> str:
    """"p < 0.001" or "p = 0.234" (analysts' pages)."""
    from ..context import pval

    if not defined(p):
        return "p not defined"
    shown = pval(p)
    return f"p {shown}" if shown.startswith("<") else f"p = {shown}"


def significance(p: float, alpha: float) -> str:
    """"statistically significant (p < 0.001)" / "not statistically significant (p = 0.234)"."""
    word = "statistically significant" if defined(p) and p < alpha else \
        "not statistically significant"
    return f"{word} ({p_phrase(p)})"


def _groups(t) -> tuple[str, str]:
    return group_phrase(t.by, t.group_a.label), group_phrase(t.by, t.group_b.label)


def _videos_of(by: str, level: str) -> str:
    """"videos from unverified accounts", "claim videos"."""
    phrase = group_phrase(by, level)
    return phrase if phrase.endswith("videos") else f"videos from {phrase}"


def hypotheses(t) -> tuple[str, str]:
    """H0 and HA of a Welch test or a chi-square test, in words."""
    if hasattr(t, "against"):
        by, against = S.noun(t.by), S.noun(t.against)
        return (f"{by.capitalize()} and {against} are independent.",
                f"{by.capitalize()} and {against} are associated.")
    pa, pb = _groups(t)
    metric = S.noun(t.metric)
    return (f"Mean {metric} per video are the same for {pa} and {pb}.",
            f"Mean {metric} per video differ between {pa} and {pb}.")


def compare_means(t, rounded: bool = True) -> str:
    """"Videos from unverified accounts average about 266,000 views, about 2.9 times the 91,400
    of videos from verified accounts." (larger group first)."""
    hi, lo = sorted((t.group_a, t.group_b), key=lambda g: -g.mean)
    metric = S.noun(t.metric)
    fmt = about if rounded else num
    words = amount_words(hi.mean, lo.mean)
    if words == "about the same":
        return (f"{_videos_of(t.by, hi.label).capitalize()} and {_videos_of(t.by, lo.label)} "
                f"average about the same {metric} ({fmt(hi.mean)} and {fmt(lo.mean)}).")
    return (f"{_videos_of(t.by, hi.label).capitalize()} average {fmt(hi.mean)} {metric}, "
            f"{ratio_words(hi.mean, lo.mean)} the {fmt(lo.mean)} of "
            f"{_videos_of(t.by, lo.label)}.")


def _headline(t) -> str:
    pa, pb = _groups(t)
    metric = S.noun(t.metric)
    if t.decision != "reject":
        return f"No clear difference in {metric} between {pa} and {pb}"
    hi, lo = (t.group_a, t.group_b) if t.mean_difference > 0 else (t.group_b, t.group_a)
    words = amount_words(hi.mean, lo.mean)
    if words == "about the same":  # significant but tiny: say so
        words = "slightly more"
    return (f"{_videos_of(t.by, hi.label).capitalize()} get {words} {metric} than "
            f"{_videos_of(t.by, lo.label)}")
