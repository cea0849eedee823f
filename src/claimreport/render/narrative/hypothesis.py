"""Rules for the hypothesis report: is the difference in a metric between two groups real?

Significance words follow the Holm-adjusted p-value against the configured alpha; direction
words follow the sign of the mean difference; magnitude words the ratio of the means
(:func:`.words.amount_words`). Test statistics appear only in ``details``.

Is it the mix? The stage stores a verdict code (``difference_verdict``: persists, explained,
reverses, mixed, emerges, none, not_computed); ``VERDICT_HEADLINES`` and ``VERDICT_SENTENCES``
turn it into words, so page 1 leads with the verdict when it changes the story (headline, tiles and
charts), and other stages (the regression's issue) state it from this result only. Tests of
independence are said with direction and size (:func:`association_sentence`: which group has the
larger share, both shares, Cramér's V's size word); the advice on author status as a classifier
feature follows its test against claim status (:func:`feature_step`).

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
    association_sentence,
    compare_means,
    hypotheses,
    p_phrase,
    significance,
)
from .hypothesis_mix import (
    LEAD_VERDICTS,
    MIX_WORDS,
    VERDICT_HEADLINES,
    VERDICT_SENTENCES,
    VERDICT_TILES,
    _verdict_tile,
    _within_words,
    adjusted_range,
    leads_with_mix,
    mix_heading,
    mix_reason,
    mix_tiles,
    mix_words,
    page_one_charts,
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
    join_words,
    num,
    plural,
    sample_note,
    signed_about,
    times,
)

__all__ = ["title", "executive", "hypotheses", "compare_means", "assumption_notes",
           "significance", "p_phrase", "qq_alt", "mix_words", "mix_heading", "verdict_headline",
           "verdict_sentence", "mix_reason", "within_sentence", "verdict_details",
           "adjusted_range", "leads_with_mix", "mix_tiles", "page_one_charts",
           "association_sentence", "feature_step", "method_notes", "yates_note",
           "MIN_RELIABLE_N", "MIX_WORDS", "VERDICT_HEADLINES", "VERDICT_SENTENCES",
           "VERDICT_TILES", "LEAD_VERDICTS"]

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


def _mix_test(result):
    """The test of independence of the compared groups and the stratifier, when there is one:
    its numbers are those of the mix reason, so page 1 states only its verdict."""
    t, s = result.primary, result.stratified
    if s is None:
        return None
    return next((c for c in result.chi_square_tests if {c.by, c.against} == {t.by, s.by}), None)


def _other_tests(result) -> list[str]:
    """The family's other tests on page 1. A test of the metric across the stratifier's levels,
    or of the groups against the stratifier, repeats the mix reason's numbers: the mix reason
    says the latter's verdict, and nothing is said of the former here."""
    out = []
    s = result.stratified
    mixing = mix_reason(result) is not None
    for w in result.welch_tests[1:]:
        if mixing and w.by == s.by and w.metric == result.primary.metric:
            continue  # the mix reason states this gap already
        out.append(f"{compare_means(w)} The gap is {chance_words(w.p_holm, w.alpha)}.")
    mixed = _mix_test(result) if mixing else None
    out += [said for c in result.chi_square_tests
            if c is not mixed and (said := association_sentence(c)) is not None]
    return out


def feature_step(result) -> str | None:
    """Whether to keep the compared grouping as a candidate feature of the claims classifier,
    from its test of independence with claim status: keep it when that test rejects
    independence, do not count on it when it does not; without such a test, test it first.
    None when the groups are claim statuses themselves."""
    t = result.primary
    if t.by == S.CLAIM:
        return None
    by = S.noun(t.by)
    c = next((c for c in result.chi_square_tests if {c.by, c.against} == {t.by, S.CLAIM}), None)
    if c is None:
        return (f"Test whether {by} goes with claim status before using it as a feature of the "
                "claims classifier.")
    if c.decision == "reject":
        return (f"Keep {by} as a candidate feature of the claims classifier: it goes with claim "
                f"status beyond chance (a {c.effect_size} link).")
    return (f"Do not count on {by} as a feature of the claims classifier: it shows no clear link "
            "with claim status.")


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
        yates = " (Yates-corrected)" if c.dof == 1 else ""
        out.append(f"{c.name}: chi-square{yates} = {num(c.chi2, 1)} with {c.dof} df, "
                   f"{p_phrase(c.p_holm)} (Holm); Cramér's V = {dec(c.cramers_v, 2)} "
                   f"({effect_word(c.cramers_v, 'v')}).")
    for s in result.skipped:
        out.append(f"Not computed: {s.name} ({s.reason}).")
    return out




def yates_note(result) -> str | None:
    """Which tests of independence use Yates' continuity correction: scipy's
    ``chi2_contingency`` applies it to tables with one degree of freedom (2 × 2) and to no other
    (:func:`claimreport.stats.inference.chi_square`). None without such a table."""
    corrected = [c.name for c in result.chi_square_tests if c.dof == 1]
    if not corrected:
        return None
    return (f"Chi-square tests of 2 × 2 tables ({join_words(corrected)}) use Yates' continuity "
            "correction (scipy's default), which makes them slightly conservative; Cramér's V "
            "is computed from the same corrected statistic. Larger tables are not corrected.")


def method_notes(result) -> list[str]:
    """The method notes of the analysts' pages (the HTML report and the Quarto document)."""
    notes = [
        "Welch's t-test compares means without assuming equal variances: when groups differ in "
        "size and spread, Student's pooled test is biased, while Welch's costs almost nothing "
        "when variances happen to be equal.",
        "The difference's confidence interval uses Welch's standard error and degrees of "
        "freedom. Hedges' g is the standardised difference with the small-sample correction; "
        "its interval uses the normal approximation of Hedges and Olkin. Size words follow "
        "Cohen: below 0.2 negligible, from 0.2 small, from 0.5 medium, from 0.8 large "
        "(Cramér's V: from 0.1 small, from 0.3 medium, from 0.5 large).",
        "All tests of the stage are one family: p-values are adjusted with Holm's step-down "
        "method and every decision uses the adjusted p-value. Very small p-values are reported "
        "as computed; prose says \"p < 0.001\".",
    ]
    if result.chi_square_tests:
        notes.append(yates_note(result) or "No test of independence is on a 2 × 2 table, so "
                     "none uses Yates' continuity correction.")
    notes += [
        "A significant difference is an association, not a cause: the groups may differ in "
        "other ways (for example in what they post) that drive the metric. The stratified "
        "analysis checks one such way: the groups are compared within each level of the "
        "configured column (stratify_by), and an OLS fit of the metric on the group and that "
        "column's levels, with HC3 (heteroskedasticity-consistent) standard errors, gives the "
        "difference adjusted for it. The within-level tests and the adjusted estimate join the "
        "Holm family; a level where a group has fewer than two videos, or where the metric does "
        "not vary, is reported as not computed.",
        "Comparisons are defined in the configuration (metric, grouping column, two groups), so "
        "analysts add tests without code.",
    ]
    return notes


def _tiles(result) -> list[Tile]:
    """Page-1 tiles: led by the verdict on the mix when it changes the story
    (:func:`mix_tiles`); otherwise each group's mean, the ratio of the means when the gap is
    clear or its 95% interval when it is not, and the verdict."""
    if leads_with_mix(result):
        return mix_tiles(result)
    t = result.primary
    a, b = t.group_a, t.group_b
    metric = S.noun(t.metric)
    hi, lo = sorted((a, b), key=lambda g: -g.mean)
    if t.decision == "reject" or not defined(t.ci_low, t.ci_high):
        ratio = times(hi.mean / lo.mean) if lo.mean > 0 else "far more"
        third = Tile(ratio.replace("about ", "") if ratio != "about the same as"
                     else "about the same", f"{hi.label} against {lo.label}")
    else:
        third = Tile(f"{signed_about(t.ci_low)} to {signed_about(t.ci_high)}",
                     f"{metric} per video, {a.label} against {b.label} (range allowing for "
                     "chance)")
    return [Tile(about(a.mean), f"average {metric}, {a.label}"),
            Tile(about(b.mean), f"average {metric}, {b.label}"), third, _verdict_tile(result)]


def executive(bundle) -> Executive:
    result = bundle.results["hypothesis"]
    t, s = result.primary, result.stratified
    a, b = t.group_a, t.group_b
    pa, pb = _groups(t)
    metric = S.noun(t.metric)
    verdict = s.verdict if s is not None else None
    # when the mix explains or reverses the gap, its overall range is not the finding: it stays
    # on the analysts' pages
    overall_range = None if verdict in ("explained", "reverses") else _range_sentence(t)
    insights = [x for x in (mix_reason(result, _mix_test(result)), within_sentence(result),
                            overall_range, _typical_sentence(t)) if x]
    insights += _other_tests(result)
    if result.skipped:
        insights.append(f"{plural(len(result.skipped), 'configured test')} could not be run on "
                        "these data (see the analysts' pages).")
    within = _within_words(s) if s is not None else ""
    again = f" compared them again {within}," if within else ""
    persists = (f"When reading the claims classifier's predictions, remember that {pa} and {pb} "
                f"differ in {metric} even once the {mix_words(s.by)} is taken into account."
                if verdict == "persists" else None)
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
        next_steps=[x for x in (
            "Look at which video characteristics go with verified accounts, holding claim status "
            "fixed (regression stage).", feature_step(result), persists) if x],
        caveat=("This compares groups as they are: taking the mix into account rules out one "
                "explanation, but the gap is still an association, not a cause."
                if verdict in ("persists", "reverses", "mixed", "emerges") else
                "This compares groups as they are: it shows an association, not a cause."),
        data_notes=[f"{num(result.rows_dropped)} rows with missing values were left out; "
                    f"{num(result.rows_used)} complete rows were tested.",
                    *[n for n in (sample_note(result.sample, "the rank-based checks "
                                              "(Mann-Whitney, Levene), the normality tests and "
                                              "the QQ plots"),) if n]],
        tiles=_tiles(result),
        details=_details(result) + verdict_details(result),
    )
