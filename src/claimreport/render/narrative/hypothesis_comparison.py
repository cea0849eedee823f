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
from .words import about, amount_words, defined, distinct_digits, num, ratio_words, times

__all__ = ["p_phrase", "significance", "hypotheses", "compare_means", "association_sentence"]


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


def _shares_pair(hi: float, lo: float) -> tuple[str, str]:
    """Two shares in whole percent, or with one decimal when they would read alike."""
    d = distinct_digits([100 * hi, 100 * lo], 0, 1)
    return f"{100 * hi:.{d}f}%", f"{100 * lo:.{d}f}%"


def _is_phrase(column: str, level: str) -> str:
    """"are claim videos", "come from banned authors"."""
    phrase = group_phrase(column, level)
    return f"are {phrase}" if phrase.endswith("videos") else f"come from {phrase}"


def _widest(c):
    """``(level of c.against, group with the larger share, its share, group with the smaller
    share, its share)``: the level whose share differs most between the groups of ``c.by``
    (percentage points; the first such level on ties). None when a group is empty."""
    totals = [sum(row) for row in c.observed]
    if len(totals) < 2 or min(totals) <= 0 or len(c.columns) < 2:
        return None
    shares = [[k / n for k in row] for row, n in zip(c.observed, totals)]
    best = None
    for j, level in enumerate(c.columns):
        col = [row[j] for row in shares]
        hi = max(range(len(col)), key=col.__getitem__)
        lo = min((i for i in range(len(col)) if i != hi), key=col.__getitem__)
        if best is None or col[hi] - col[lo] > best[2] - best[4]:
            best = (level, c.rows[hi], col[hi], c.rows[lo], col[lo])
    return best


def association_sentence(c) -> str | None:
    """A test of independence on page 1, with direction and size: which group has the larger
    share of which level (the level of ``c.against`` whose share differs most between the groups
    of ``c.by``), both shares, "N times as often" when ``amount_words`` says "far more", the size
    word of Cramér's V (Cohen's bands, ``c.effect_size``) and whether it could be chance.

    "53% of videos from unverified accounts are claim videos, against 17% of videos from
    verified accounts, about 3 times as often: a small link, too large to be explained by
    chance." When even that widest gap rounds away, "about equally often" with the one share.
    None when a group is empty."""
    widest = _widest(c)
    if widest is None:
        return None
    level, hi_group, hi, lo_group, lo = widest
    shown_hi, shown_lo = _shares_pair(hi, lo)
    often = f", {times(hi / lo)} as often" if lo > 0 and amount_words(hi, lo) == "far more" \
        else ""
    tail = (f"a {c.effect_size} link, too large to be explained by chance" if c.decision ==
            "reject" else "a gap small enough to be explained by chance, so no clear link")
    if shown_hi == shown_lo:  # the widest gap rounds away: say so rather than print a tie
        return (f"{_videos_of(c.by, hi_group).capitalize()} and {_videos_of(c.by, lo_group)} "
                f"{_is_phrase(c.against, level)} about equally often ({shown_hi} each): {tail}.")
    return (f"{shown_hi} of {_videos_of(c.by, hi_group)} {_is_phrase(c.against, level)}, "
            f"against {shown_lo} of {_videos_of(c.by, lo_group)}{often}: {tail}.")
