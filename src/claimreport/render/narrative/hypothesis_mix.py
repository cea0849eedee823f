"""Is it the mix? The stratified verdict of the hypothesis test, in words.

Why a module of its own: the stage stores a verdict code (``difference_verdict``: persists,
explained, reverses, mixed, emerges, none, not_computed) from the tests within each level of the
stratifier and the adjusted estimate; ``VERDICT_HEADLINES``, ``VERDICT_SENTENCES`` and
``VERDICT_TILES`` turn it into words for page 1, the within-level means and the reason the mix
can matter are said beside it, and the regression report states the verdict from this result
only. When the verdict changes the story (``LEAD_VERDICTS``), page 1 leads with it: its tiles
(:func:`mix_tiles`) and charts (:func:`page_one_charts`) show the difference once the mix is
taken into account, with its 95% interval, and keep the overall gap as context. A "no clear
difference" always says how large a difference the data still allow (:func:`adjusted_range`).
:mod:`.hypothesis` re-exports the public names, so templates reach them as ``words.<name>``.
"""

from __future__ import annotations

from ...data import schema as S
from . import Tile
from .hypothesis_comparison import _groups, _headline, _videos_of, p_phrase
from .words import (
    about,
    amount_words,
    between_words,
    dec,
    defined,
    join_words,
    num,
    pct,
    ratio_words,
    signed_about,
    times,
)

__all__ = ["mix_words", "mix_heading", "verdict_headline", "verdict_sentence", "mix_reason",
           "within_sentence", "verdict_details", "adjusted_range", "leads_with_mix",
           "mix_tiles", "page_one_charts", "MIX_WORDS", "VERDICT_HEADLINES",
           "VERDICT_SENTENCES", "VERDICT_TILES", "LEAD_VERDICTS"]

#: what "the mix" is called for each stratifier ("once the claim mix is taken into account")
MIX_WORDS = {S.CLAIM: "claim mix", S.BAN: "mix of author ban statuses",
             S.VERIFIED: "mix of verified and unverified authors"}

#: the verdict as a headline / as a sentence; fields from :func:`_verdict_fields`
VERDICT_HEADLINES = {
    "explained": "The gap in {metric} between {pa} and {pb} disappears once the {mix} is taken "
                 "into account",
    "persists": "{overall}, and the {mix} does not explain it",
    "reverses": "{Lead} get more {metric} overall, but {trail} get more once the {mix} is taken "
                "into account",
    "mixed": "{overall}; once the {mix} is taken into account, the gap changes direction",
    "emerges": "{overall} overall, but {found} get more once the {mix} is taken into account",
}
VERDICT_SENTENCES = {
    "explained": "It disappears once the {mix} is taken into account: compared {tested}, {pa} "
                 "and {pb} show no clear difference in {metric}{range}.",
    "persists": "It remains once the {mix} is taken into account: {lead} still get more "
                "{metric}{clear_lead}.",
    "reverses": "It reverses once the {mix} is taken into account: {trail} get more "
                "{metric}{clear_trail}.",
    "mixed": "Once the {mix} is taken into account, the gap in {metric} does not point one way.",
    "emerges": "Once the {mix} is taken into account, {found} get more {metric}{clear_found}.",
    "none": "Compared {tested}, there is no clear difference either{range}.",
    "not_computed": "The {mix} could not be taken into account on these data (see the analysts' "
                    "pages).",
}


def mix_words(by: str) -> str:
    """"claim mix" for claim status: the words after "once the … is taken into account"."""
    return MIX_WORDS.get(by, f"mix of {S.noun(by)}")


def mix_heading(result) -> str | None:
    """"Is the difference real, or the claim mix?" (None without a stratified analysis)."""
    s = result.stratified
    return None if s is None else f"Is the difference real, or the {mix_words(s.by)}?"


def _sign(x: float) -> float:
    return 1.0 if x > 0 else -1.0


def _verdict_fields(result) -> dict[str, str]:
    """Words for the verdict templates: groups, who leads overall (``lead``) and who trails,
    who leads where only the adjusted/within-level differences are significant (``found``),
    and the levels where each direction is significant (``clear_…``)."""
    s, t = result.stratified, result.primary
    pa, pb = _groups(t)
    sign = _sign(t.mean_difference)

    def leader(way: float) -> str:
        return _videos_of(t.by, (t.group_a if way > 0 else t.group_b).label)

    def clear(way: float) -> str:
        levels = [_videos_of(s.by, x.level) for x in s.strata
                  if x.decision == "reject" and _sign(x.mean_difference) == way]
        return f", clearly so among {join_words(levels)}" if levels else ""

    evidence = [x.difference for x in (s.adjusted,) if x.decision == "reject"] + \
        [x.mean_difference for x in s.strata if x.decision == "reject"]
    found = _sign(evidence[0]) if evidence else sign
    return dict(pa=pa, pb=pb, Pa=pa.capitalize(), metric=S.noun(t.metric), mix=mix_words(s.by),
                overall=_headline(t), lead=leader(sign), Lead=leader(sign).capitalize(),
                trail=leader(-sign), found=leader(found), clear_lead=clear(sign),
                clear_trail=clear(-sign), clear_found=clear(found),
                tested=_within_words(s),
                range=f" (allowing for chance, {r})" if (r := adjusted_range(result)) else "")


def adjusted_range(result) -> str | None:
    """The difference once the mix is taken into account, as its 95% confidence interval in
    words: "between about 7,220 fewer and about 7,040 more views per video for unverified
    accounts". None without a stratified analysis or when the adjusted estimate is not defined.

    Why the adjusted estimate and not each level's: it is the one number for "once the mix is
    taken into account", and a "no clear difference" must say how large a difference the data
    still allow."""
    s, t = result.stratified, result.primary
    if s is None or s.adjusted.reason or not defined(s.adjusted.ci_low, s.adjusted.ci_high):
        return None
    unit = f"{S.noun(t.metric)} per video"
    return f"{between_words(s.adjusted.ci_low, s.adjusted.ci_high, unit)} for {_groups(t)[0]}"


def _within_words(s) -> str:
    """"within claim videos and within opinion videos" (the levels that were tested)."""
    return join_words([f"within {_videos_of(s.by, x.level)}" for x in s.strata
                       if x.reason is None])


def verdict_headline(result) -> str | None:
    """The headline when the verdict changes the story; None keeps the overall headline (no
    stratified analysis, verdict ``none`` or ``not_computed``)."""
    s = result.stratified
    if s is None or s.verdict not in VERDICT_HEADLINES:
        return None
    return VERDICT_HEADLINES[s.verdict].format(**_verdict_fields(result))


def verdict_sentence(result) -> str | None:
    """The verdict in one plain sentence, for page 1 and for other stages that read this one."""
    s = result.stratified
    return None if s is None else VERDICT_SENTENCES[s.verdict].format(**_verdict_fields(result))


def _mix_top(result):
    """``(top level, the other levels, their mean)`` for the mix reason: the level with the
    highest mean metric, or the schema's first when no level stands out (``amount_words``);
    None with fewer than two levels holding videos."""
    s = result.stratified
    present = [x for x in (s.strata if s is not None else []) if x.n > 0]
    if len(present) < 2:
        return None

    def others_mean(top) -> float:
        rest = [x for x in present if x is not top]
        return sum(x.n * x.mean for x in rest) / sum(x.n for x in rest)

    top = max(present, key=lambda x: x.mean)
    if amount_words(top.mean, others_mean(top)) == "about the same":
        top = present[0]  # no level stands out: keep the schema's order (claims first)
    return top, [x for x in present if x is not top], others_mean(top)


def mix_reason(result, test=None) -> str | None:
    """Why the mix can matter: each group's share of videos in the level with the highest mean
    metric, and how that level's mean compares with the other levels' (page 1). *test*: the test
    of independence of the groups and the stratifier, whose verdict and size word are then said
    beside the shares (its numbers are these shares)."""
    found = _mix_top(result)
    if found is None:
        return None
    s, t = result.stratified, result.primary
    top, rest, rest_mean = found
    others = _videos_of(s.by, rest[0].level) if len(rest) == 1 else "other videos"
    level, (pa, pb), metric = _videos_of(s.by, top.level), _groups(t), S.noun(t.metric)
    gap = (f"about the same {metric} as {others}"
           if amount_words(*sorted((top.mean, rest_mean), reverse=True)) == "about the same"
           else f"{ratio_words(top.mean, rest_mean)} the {metric} of {others}")
    verdict = "" if test is None else (
        f" (a {test.effect_size} link, too large to be explained by chance)"
        if test.decision == "reject" else " (a gap small enough to be explained by chance)")
    return (f"{pct(top.share_a, 0)} of the videos from {pa} are {level}, against "
            f"{pct(top.share_b, 0)} of those from {pb}{verdict}, and {level} average {gap}.")


def within_sentence(result) -> str | None:
    """The two groups' means within each level, and whether each gap could be chance (page 1)."""
    s, t = result.stratified, result.primary
    if s is None:
        return None
    tested = [x for x in s.strata if x.reason is None]
    (pa, pb), metric = _groups(t), S.noun(t.metric)
    parts = [f"{_videos_of(s.by, x.level)} from {pa} average about {about(x.mean_a)} {metric}, "
             f"against {about(x.mean_b)} from {pb}" if i == 0 else
             f"{_videos_of(s.by, x.level)} about {about(x.mean_a)} against {about(x.mean_b)}"
             for i, x in enumerate(tested)]
    clear = [_videos_of(s.by, x.level) for x in tested if x.decision == "reject"]
    none_clear, all_clear = {1: ("the gap is small enough", "the gap is too large"), 2: (
        "neither gap is too large", "both gaps are too large")}.get(
        len(tested), ("no gap is too large", "every gap is too large"))
    tail = (f"only the gap among {join_words(clear)} is too large" if 0 < len(clear) < len(tested)
            else all_clear if clear else none_clear)
    ranges = [f"{signed_about(x.ci_low)} to {signed_about(x.ci_high)}"
              f"{' ' + metric if i == 0 else ''} among {_videos_of(s.by, x.level)}"
              for i, x in enumerate(x for x in tested if defined(x.ci_low, x.ci_high))]
    span = (f" (the gap, {pa} minus {pb}, allowing for chance: {join_words(ranges)})"
            if ranges else "")
    out = [f"Compared like for like, {'; '.join(parts)}: {tail} to be explained by chance{span}."
           ] if tested else []
    for x in (x for x in s.strata if x.reason is not None and x.n):
        few = pa if x.n_a < 2 else pb if x.n_b < 2 else None
        out.append(f"Among {_videos_of(s.by, x.level)} there are too few videos from {few} to "
                   "compare them." if few else f"Among {_videos_of(s.by, x.level)} {metric} do "
                   "not vary, so there is nothing to compare.")
    return " ".join(out) or None


def verdict_details(result) -> list[str]:
    """The within-level tests, the adjusted estimate and the verdict rule (analysts' pages)."""
    s, t = result.stratified, result.primary
    if s is None:
        return ["Stratified analysis: switched off (hypothesis.stratify_by is empty)."]
    by, diff, a = S.noun(s.by), f"{t.group_a.label} − {t.group_b.label}", s.adjusted
    out = [f"Within {by} = {x.level}: not computed ({x.reason})." if x.reason else
           f"Within {by} = {x.level}: Welch's t = {dec(x.t_statistic, 2)} with {num(x.dof, 1)} "
           f"df, {p_phrase(x.p_value)} before and {p_phrase(x.p_holm)} after Holm; difference "
           f"{diff} {num(x.mean_difference, 2)} (95% CI {num(x.ci_low, 2)} to "
           f"{num(x.ci_high, 2)}); n = {num(x.n_a)} and {num(x.n_b)}." for x in s.strata]
    out.append(
        f"Adjusted difference: not computed ({a.reason})." if a.reason else
        f"Adjusted difference {diff} (OLS of {S.noun(t.metric)} on {S.noun(t.by)} and {by}, HC3 "
        f"standard errors): {num(a.difference, 2)} (95% CI {num(a.ci_low, 2)} to "
        f"{num(a.ci_high, 2)}), z = {dec(a.z_statistic, 2)}, {p_phrase(a.p_value)} before and "
        f"{p_phrase(a.p_holm)} after Holm; {num(a.n)} rows in the levels that hold both groups.")
    out.append(f"Verdict: {s.verdict} (on Holm-adjusted p at α = {t.alpha:g}). If the overall "
               "difference is significant: persists when a significant within-level or adjusted "
               "difference points the same way, reverses when one points the other way, mixed "
               "when both, explained when none; if not: none, emerges (all one way) or mixed.")
    return out


#: the fourth tile for each verdict: its value, and the label before "<mix> is taken into account"
VERDICT_TILES = {"persists": ("yes", "a real difference, also once the"),
                 "explained": ("no", "real difference once the"),
                 "reverses": ("reversed", "the gap once the"),
                 "mixed": ("mixed", "the gap's direction once the"),
                 "emerges": ("yes", "a real difference once the"),
                 "none": ("no", "real difference, overall or once the")}


def _verdict_tile(result) -> Tile:
    s, t = result.stratified, result.primary
    if s is None or s.verdict not in VERDICT_TILES:
        return Tile("yes" if t.decision == "reject" else "no",
                    f"a real difference (at the {pct(t.alpha, 0)} level)")
    value, label = VERDICT_TILES[s.verdict]
    return Tile(value, f"{label} {mix_words(s.by)} is taken into account")


#: verdicts for which the overall gap is not the finding: page 1 leads with the comparison once
#: the mix is taken into account (tiles and charts), and the overall gap is shown as context
LEAD_VERDICTS = ("explained", "reverses", "mixed", "emerges")


def leads_with_mix(result) -> bool:
    """Whether page 1 leads with the mix (the verdict is one of ``LEAD_VERDICTS``)."""
    s = result.stratified
    return s is not None and s.verdict in LEAD_VERDICTS


def page_one_charts(result) -> list[str]:
    """The figures of page 1: the gap within each level and adjusted, and the means within each
    level, when the page leads with the mix; the overall means and distribution otherwise."""
    if leads_with_mix(result):
        return ["differences", "within_means"]
    return ["means_ci", "distribution"]


def mix_tiles(result) -> list[Tile]:
    """Page-1 tiles when the page leads with the mix: the verdict, the adjusted difference with
    its 95% interval, the groups' shares of the level that drives the mix, and the overall gap
    as context (tiles whose numbers are not defined are left out)."""
    s, t = result.stratified, result.primary
    metric = S.noun(t.metric)
    tiles = [_verdict_tile(result)]
    a = s.adjusted
    if not a.reason and defined(a.ci_low, a.ci_high):
        tiles.append(Tile(f"{signed_about(a.ci_low)} to {signed_about(a.ci_high)}",
                          f"{metric} per video, {t.group_a.label} minus {t.group_b.label}, "
                          f"same {S.noun(s.by)}, allowing for chance"))
    found = _mix_top(result)
    if found is not None:
        top = found[0]
        tiles.append(Tile(f"{pct(top.share_a, 0)} vs {pct(top.share_b, 0)}",
                          f"{_videos_of(s.by, top.level)}, {t.group_a.label} against "
                          f"{t.group_b.label}"))
    hi, lo = sorted((t.group_a, t.group_b), key=lambda g: -g.mean)
    if defined(hi.mean, lo.mean) and lo.mean > 0:
        ratio = times(hi.mean / lo.mean)
        tiles.append(Tile("about the same" if ratio == "about the same as"
                          else ratio.replace("about ", ""),
                          f"average {metric}, {hi.label} against {lo.label}, overall"))
    return tiles
