"""Rules for the hypothesis report: is the difference in a metric between two groups real?

Significance words follow the Holm-adjusted p-value against the configured alpha; direction
words follow the sign of the mean difference; magnitude words the ratio of the means
(:func:`.words.amount_words`). Test statistics appear only in ``details``.

Is it the mix? The stage stores a verdict code (``difference_verdict``: persists, explained,
reverses, mixed, emerges, none, not_computed); ``VERDICT_HEADLINES`` and ``VERDICT_SENTENCES``
turn it into words, so page 1 leads with the verdict when it changes the story, and other stages
(the regression's issue) state it from this result only.
"""

from __future__ import annotations

from ...data import schema as S
from ...data.schema import group_phrase
from ...stats.inference import effect_word
from . import Executive, Tile
from .words import (
    SKEWED,
    about,
    amount_words,
    chance_words,
    dec,
    defined,
    join_words,
    num,
    pct,
    plural,
    ratio_words,
    times,
)

__all__ = ["title", "executive", "hypotheses", "compare_means", "assumption_notes",
           "significance", "p_phrase", "qq_alt", "mix_words", "mix_heading", "verdict_headline",
           "verdict_sentence", "mix_reason", "within_sentence", "verdict_details",
           "MIN_RELIABLE_N", "MIX_WORDS", "VERDICT_HEADLINES", "VERDICT_SENTENCES",
           "VERDICT_TILES"]

#: group size from which the t-test on means is called reliable despite skew (CLT rule of thumb)
MIN_RELIABLE_N = 30
#: what "the mix" is called for each stratifier ("once the claim mix is taken into account")
MIX_WORDS = {S.CLAIM: "claim mix", S.BAN: "mix of author ban statuses",
             S.VERIFIED: "mix of verified and unverified authors"}


def title(result) -> str:
    t = result.primary
    return f"Hypothesis test: {S.noun(t.metric)} by {S.noun(t.by)}"


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


def _range_sentence(t) -> str | None:
    """The 95% CI of the difference in plain words."""
    if not defined(t.ci_low, t.ci_high):
        return None
    metric = S.noun(t.metric)
    first, second = _videos_of(t.by, t.group_a.label), _videos_of(t.by, t.group_b.label)
    if t.ci_low > 0 or t.ci_high < 0:
        lo, hi = sorted((abs(t.ci_low), abs(t.ci_high)))
        more = first if t.ci_low > 0 else second
        less = second if t.ci_low > 0 else first
        return (f"Allowing for chance, {more} average between about {about(lo)} and "
                f"{about(hi)} more {metric} per video than {less}.")
    return (f"Allowing for chance, the difference in average {metric} per video could be anything "
            f"from {about(abs(t.ci_low))} fewer to {about(t.ci_high)} more for {first}, zero "
            "included.")


def _typical_sentence(t) -> str | None:
    a, b = t.group_a, t.group_b
    if not defined(a.median, b.median):
        return None
    pa, pb = _groups(t)
    return (f"The typical (median) video gets about {about(a.median)} {S.noun(t.metric)} from "
            f"{pa} and about {about(b.median)} from {pb}.")


# ------------------------------------------------------------ is it the mix? (stratified)

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
                 "and {pb} show no clear difference in {metric}.",
    "persists": "It remains once the {mix} is taken into account: {lead} still get more "
                "{metric}{clear_lead}.",
    "reverses": "It reverses once the {mix} is taken into account: {trail} get more "
                "{metric}{clear_trail}.",
    "mixed": "Once the {mix} is taken into account, the gap in {metric} does not point one way.",
    "emerges": "Once the {mix} is taken into account, {found} get more {metric}{clear_found}.",
    "none": "Compared {tested}, there is no clear difference either.",
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
                tested=_within_words(s))


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


def mix_reason(result) -> str | None:
    """Why the mix can matter: each group's share of videos in the level with the highest mean
    metric, and how that level's mean compares with the other levels' (page 1)."""
    s, t = result.stratified, result.primary
    present = [x for x in (s.strata if s is not None else []) if x.n > 0]
    if len(present) < 2:
        return None

    def others_mean(top) -> float:
        rest = [x for x in present if x is not top]
        return sum(x.n * x.mean for x in rest) / sum(x.n for x in rest)

    top = max(present, key=lambda x: x.mean)
    if amount_words(top.mean, others_mean(top)) == "about the same":
        top = present[0]  # no level stands out: keep the schema's order (claims first)
    rest, rest_mean = [x for x in present if x is not top], others_mean(top)
    others = _videos_of(s.by, rest[0].level) if len(rest) == 1 else "other videos"
    level, (pa, pb), metric = _videos_of(s.by, top.level), _groups(t), S.noun(t.metric)
    gap = (f"about the same {metric} as {others}"
           if amount_words(*sorted((top.mean, rest_mean), reverse=True)) == "about the same"
           else f"{ratio_words(top.mean, rest_mean)} the {metric} of {others}")
    return (f"{pct(top.share_a, 0)} of the videos from {pa} are {level}, against "
            f"{pct(top.share_b, 0)} of those from {pb}, and {level} average {gap}.")


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
    out = [f"Compared like for like, {'; '.join(parts)}: {tail} to be explained by chance."
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


def _other_tests(result) -> list[str]:
    out = []
    for w in result.welch_tests[1:]:
        out.append(f"{compare_means(w)} The gap is {chance_words(w.p_holm, w.alpha)}.")
    for c in result.chi_square_tests:
        a, b = S.noun(c.by).capitalize(), S.noun(c.against)
        out.append(f"{a} and {b} go together more than chance would allow." if c.decision ==
                   "reject" else f"{a} and {b} show no clear link.")
    return out


def assumption_notes(result) -> list[str]:
    """The assumption checks of the primary test, each stated from its numbers."""
    t = result.primary
    a, b = t.group_a, t.group_b
    ps = [g.normality_p for g in (a, b)]
    rejected = [g.label for g in (a, b) if g.normality_p is not None and g.normality_p < t.alpha]
    if all(p is None for p in ps):
        normal = "D'Agostino-Pearson normality tests need at least 20 values per group: not run."
    else:
        shown = "; ".join(f"{g.label}: {p_phrase(g.normality_p)}" if g.normality_p is not None
                          else f"{g.label}: too few rows" for g in (a, b))
        normal = (f"Normality: D'Agostino-Pearson tests reject normality in "
                  f"{'both groups' if len(rejected) == 2 else 'one group' if rejected else 'neither group'}"
                  f" ({shown}).")
    n = min(a.n, b.n)
    clt = (f" With {num(a.n)} and {num(b.n)} videos the sampling distribution of each mean is "
           "close to normal (central limit theorem), so the t-test on means stays valid."
           if n >= MIN_RELIABLE_N else
           f" A group has fewer than {MIN_RELIABLE_N} videos, so the t-test on means is rough; "
           "the rank-based test below is the better guide.")
    spread = (f"Equal variances are not assumed: the variance ratio is "
              f"{dec(t.variance_ratio, 2)} and Levene's test (median-centred) gives "
              f"{p_phrase(t.levene_p)}, which is why Welch's test is used rather than Student's."
              if defined(t.variance_ratio) else
              "Equal variances are not assumed: one group's values do not vary at all, and "
              "Welch's test handles that.")
    robust = (f"Robustness: Mann-Whitney U = {num(t.mann_whitney_u)}, {p_phrase(t.mann_whitney_p)}, "
              f"rank-biserial r = {dec(t.rank_biserial, 3)}; the rank-based test "
              f"{'agrees with' if t.robust_agrees else 'does not agree with'} the t-test.")
    return [normal + clt, spread, robust]


def qq_alt(result) -> str:
    """Alt text of the QQ figure, from the normality tests."""
    t = result.primary
    rejected = [g.label for g in (t.group_a, t.group_b)
                if g.normality_p is not None and g.normality_p < t.alpha]
    metric = S.noun(t.metric)
    if len(rejected) == 2:
        tail = f"points bend away from the diagonal, so {metric} are not normally distributed."
    elif rejected:
        tail = f"points bend away from the diagonal for {rejected[0]} only."
    else:
        tail = "no group departs from normality beyond chance."
    return f"Two QQ plots of standardised {metric} against normal quantiles; {tail}"


def _details(result) -> list[str]:
    t = result.primary
    out = [
        f"Welch's t = {dec(t.t_statistic, 2)} with {num(t.dof, 1)} degrees of freedom; "
        f"{p_phrase(t.p_value)} before and {p_phrase(t.p_holm)} after the Holm adjustment over "
        f"{plural(len(result.family), 'test')} (α = {t.alpha:g}).",
        f"Mean difference {num(t.mean_difference, 2)} (95% CI {num(t.ci_low, 2)} to "
        f"{num(t.ci_high, 2)}).",
        (f"Hedges' g = {dec(t.hedges_g, 3)} (95% CI {dec(t.hedges_g_ci_low, 3)} to "
         f"{dec(t.hedges_g_ci_high, 3)}): a {t.effect_size} standardised effect."
         if defined(t.hedges_g) else
         f"Hedges' g is not defined: {S.noun(t.metric)} do not vary within either group."),
    ]
    skews = [g.skewness for g in (t.group_a, t.group_b)]
    if defined(*skews) and max(abs(x) for x in skews) > SKEWED:
        out.append(f"Skewness {dec(t.group_a.skewness, 2)} ({t.group_a.label}) and "
                   f"{dec(t.group_b.skewness, 2)} ({t.group_b.label}).")
    for w in result.welch_tests[1:]:
        out.append(f"{w.name}: t = {dec(w.t_statistic, 2)}, {p_phrase(w.p_holm)} (Holm), "
                   f"Hedges' g = {dec(w.hedges_g, 2)} ({w.effect_size}).")
    for c in result.chi_square_tests:
        out.append(f"{c.name}: chi-square = {num(c.chi2, 1)} with {c.dof} df, "
                   f"{p_phrase(c.p_holm)} (Holm); Cramér's V = {dec(c.cramers_v, 2)} "
                   f"({effect_word(c.cramers_v, 'v')}).")
    for s in result.skipped:
        out.append(f"Not computed: {s.name} ({s.reason}).")
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


def executive(bundle) -> Executive:
    result = bundle.results["hypothesis"]
    t, s = result.primary, result.stratified
    a, b = t.group_a, t.group_b
    pa, pb = _groups(t)
    metric = S.noun(t.metric)
    reject = t.decision == "reject"
    verdict = s.verdict if s is not None else None
    hi, lo = sorted((a, b), key=lambda g: -g.mean)
    ratio = times(hi.mean / lo.mean) if lo.mean > 0 else "far more"
    # when the mix explains or reverses the gap, its overall range is not the finding: it stays
    # on the analysts' pages
    overall_range = None if verdict in ("explained", "reverses") else _range_sentence(t)
    insights = [x for x in (mix_reason(result), within_sentence(result), overall_range,
                            _typical_sentence(t)) if x]
    insights += _other_tests(result)
    if result.skipped:
        insights.append(f"{plural(len(result.skipped), 'configured test')} could not be run on "
                        "these data (see the analysts' pages).")
    within = _within_words(s) if s is not None else ""
    again = f" compared them again {within}," if within else ""
    return Executive(
        headline=verdict_headline(result) or _headline(t),
        issue=(f"Before modelling claims, the team needs to know whether {metric} differ between "
               f"{pa} and {pb}. If author status goes with engagement, it matters for how "
               "moderators read engagement and for which features the claims model uses."),
        response=(f"We compared the average {metric} of {num(a.n)} videos from {pa} and "
                  f"{num(b.n)} from {pb}, checked whether the gap could be chance,{again} and "
                  "confirmed the answer with a second test that is not thrown by extreme values."),
        impact=" ".join(x for x in (compare_means(t), f"The gap is "
                                    f"{chance_words(t.p_holm, t.alpha)}.",
                                    verdict_sentence(result)) if x),
        insights=insights,
        next_steps=[
            "Look at which video characteristics go with verified accounts, holding claim status "
            "fixed (regression stage).",
            "Keep author status as a candidate feature of the claims classifier"
            + (f": its link with {metric} runs through the {mix_words(s.by)}." if
               verdict == "explained" else
               ", and remember that engagement differs by author status when reading its "
               "predictions." if reject else "."),
        ],
        caveat=("This compares groups as they are: taking the mix into account rules out one "
                "explanation, but the gap is still an association, not a cause."
                if verdict in ("persists", "reverses", "mixed", "emerges") else
                "This compares groups as they are: it shows an association, not a cause."),
        data_notes=[f"{num(result.rows_dropped)} rows with missing values were left out; "
                    f"{num(result.rows_used)} complete rows were tested."],
        tiles=[Tile(about(a.mean), f"average {metric}, {a.label}"),
               Tile(about(b.mean), f"average {metric}, {b.label}"),
               Tile(ratio.replace("about ", "") if ratio != "about the same as" else "about the same",
                    f"{hi.label} against {lo.label}"),
               _verdict_tile(result)],
        details=_details(result) + verdict_details(result),
    )
