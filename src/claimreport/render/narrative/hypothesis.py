"""Rules for the hypothesis report: is the difference in a metric between two groups real?

Significance words follow the Holm-adjusted p-value against the configured alpha; direction
words follow the sign of the mean difference; magnitude words the ratio of the means
(:func:`.words.amount_words`). Test statistics appear only in ``details``.

Is it the mix? The stage stores a verdict code (``difference_verdict``: persists, explained,
reverses, mixed, emerges, none, not_computed); ``VERDICT_HEADLINES`` and ``VERDICT_SENTENCES``
turn it into words, so page 1 leads with the verdict when it changes the story, and other stages
(the regression's issue) state it from this result only.

The verdict's wording is in :mod:`.hypothesis_mix`; the groups' names and the overall comparison,
which that wording uses too, are in :mod:`.hypothesis_comparison`. Their public names are
re-exported here, because the templates reach every rule of the stage as ``words.<name>``.
"""

from __future__ import annotations

from ...data import schema as S
from ...stats.inference import effect_word
from . import Executive, Tile
from .hypothesis_comparison import (
    _groups,
    _headline,
    _videos_of,
    compare_means,
    hypotheses,
    p_phrase,
    significance,
)
from .hypothesis_mix import (
    MIX_WORDS,
    VERDICT_HEADLINES,
    VERDICT_SENTENCES,
    VERDICT_TILES,
    _verdict_tile,
    _within_words,
    mix_heading,
    mix_reason,
    mix_words,
    verdict_details,
    verdict_headline,
    verdict_sentence,
    within_sentence,
)
from .words import (
    SKEWED,
    about,
    chance_words,
    dec,
    defined,
    num,
    plural,
    sample_note,
    times,
)

__all__ = ["title", "executive", "hypotheses", "compare_means", "assumption_notes",
           "significance", "p_phrase", "qq_alt", "mix_words", "mix_heading", "verdict_headline",
           "verdict_sentence", "mix_reason", "within_sentence", "verdict_details",
           "MIN_RELIABLE_N", "MIX_WORDS", "VERDICT_HEADLINES", "VERDICT_SENTENCES",
           "VERDICT_TILES"]

#: group size from which the t-test on means is called reliable despite skew (CLT rule of thumb)
MIN_RELIABLE_N = 30


def title(result) -> str:
    t = result.primary
    return f"Hypothesis test: {S.noun(t.metric)} by {S.noun(t.by)}"


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
                    f"{num(result.rows_used)} complete rows were tested.",
                    *[n for n in (sample_note(result.sample, "the rank-based checks "
                                              "(Mann-Whitney, Levene), the normality tests and "
                                              "the QQ plots"),) if n]],
        tiles=[Tile(about(a.mean), f"average {metric}, {a.label}"),
               Tile(about(b.mean), f"average {metric}, {b.label}"),
               Tile(ratio.replace("about ", "") if ratio != "about the same as" else "about the same",
                    f"{hi.label} against {lo.label}"),
               _verdict_tile(result)],
        details=_details(result) + verdict_details(result),
    )
