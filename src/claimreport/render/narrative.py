"""Sentences computed from bundle numbers by small, tested rules.

Each stage has one function ``<stage>(result) -> Executive``. Rules pick words (direction,
magnitude, significance) from the numbers; no number is ever typed into a template.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..data import schema as S
from ..data.schema import group_phrase
from .context import label, pval, times
from .context import num as _num
from .context import pct as _pct

NOT_DEFINED = "not defined"


def _prose(fmt):
    """A formatter for sentences: an undefined value reads "not defined", never a dash or nan."""
    def wrapped(x, *args, **kwargs):
        return fmt(x, *args, **kwargs) if x is not None and x == x else NOT_DEFINED
    wrapped.__doc__ = fmt.__doc__
    return wrapped


num, pct = _prose(_num), _prose(_pct)
dec = _prose(lambda x, digits: f"{x:.{digits}f}")

__all__ = ["Tile", "Executive", "executive", "eda", "hypothesis", "strength_word", "share_phrase",
           "significance", "p_phrase", "compare_means", "regression", "join_words",
           "odds_change", "step_phrase", "coefficient_sentence", "likelihood_headline",
           "modeling"]


@dataclass(frozen=True)
class Tile:
    """A headline number on the executive page: the value already formatted for people."""

    value: str
    label: str


@dataclass(frozen=True)
class Executive:
    """The executive page in the shape stakeholders know from this project."""

    headline: str
    issue: str
    response: str
    impact: str
    insights: list[str]
    next_steps: list[str]
    data_notes: list[str] = field(default_factory=list)
    tiles: list[Tile] = field(default_factory=list)


#: |skewness| above which a distribution is called skewed in prose
SKEWED = 1.0


def executive(stage: str, result) -> Executive:
    return globals()[stage](result)


def strength_word(r: float) -> str:
    """Words for the size of a correlation (Cohen's conventional bands)."""
    a = abs(r)
    if a >= 0.7:
        return "strongly"
    if a >= 0.4:
        return "moderately"
    if a >= 0.1:
        return "weakly"
    return "not"


def join_words(items: list[str]) -> str:
    """["a", "b", "c"] → "a, b and c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def share_phrase(count: int, total: int) -> str:
    """``9,608 (49.6%)``"""
    return f"{num(count)} ({pct(count / total)})" if total else num(count)


def defined(*values) -> bool:
    """Whether every value is a number that exists (not None, not NaN)."""
    return all(v is not None and v == v for v in values)


def ratio_words(hi: float, lo: float) -> str:
    """"about 100 times" for hi / lo; "far more than" when lo is 0 (no finite ratio)."""
    return times(hi / lo) if lo > 0 else "far more than"


def _views_sentence(kf) -> str | None:
    """Which class draws more views at the median, and by how much (None with one class)."""
    hi, lo = kf["median_views_claim"], kf["median_views_opinion"]
    if not defined(hi, lo):
        return None
    if hi == lo:
        return f"Claim and opinion videos have the same median number of views ({num(hi)})."
    if hi > lo:
        return (f"Claim videos have a median of {num(hi)} views, {ratio_words(hi, lo)} the "
                f"{num(lo)} of opinion videos.")
    return (f"Opinion videos have a median of {num(lo)} views, {ratio_words(lo, hi)} the "
            f"{num(hi)} of claim videos.")


def _one_class_sentence(kf) -> str | None:
    """Data with claims only or opinions only: say that comparisons are not possible."""
    if kf["n_claim"] and kf["n_opinion"]:
        return None
    present, absent = ("claims", "opinions") if kf["n_claim"] else ("opinions", "claims")
    return (f"Every labelled video is one of the {present}: there are no {absent}, so claims and "
            "opinions cannot be compared in these data.")


def eda(result) -> Executive:
    kf = result.key_figures
    inv = result.inventory
    n = kf["rows_total"]
    missing = kf["rows_missing_claim_status"]
    views = _views_sentence(kf)
    one_class = _one_class_sentence(kf)
    insights = [
        f"The data hold {num(n)} videos: {share_phrase(kf['n_claim'], n)} claims and "
        f"{share_phrase(kf['n_opinion'], n)} opinions"
        + (f"; {share_phrase(missing, n)} have no claim status." if missing else "."),
    ]
    insights += [x for x in (one_class, views) if x]
    if defined(kf["mean_views_claim"], kf["mean_views_opinion"]):
        insights.append(f"On average claim videos get {num(kf['mean_views_claim'], 2)} views and "
                        f"opinion videos {num(kf['mean_views_opinion'], 2)}.")
    banned_c, banned_o = kf["share_banned_claim"], kf["share_banned_opinion"]
    if defined(banned_c, banned_o) and (banned_c or banned_o):
        if banned_c >= banned_o:
            insights.append(
                f"{pct(banned_c)} of claim videos come from banned authors, against "
                f"{pct(banned_o)} of opinion videos"
                + (f" ({times(banned_c / banned_o)} as often)." if banned_o > 0 else "."))
        else:
            insights.append(f"{pct(banned_o)} of opinion videos come from banned authors, against "
                            f"{pct(banned_c)} of claim videos.")
    top = result.strongest_correlations[0] if result.strongest_correlations else None
    if top is not None and defined(top.pearson):
        insights.append(
            f"{label(top.a)} and {label(top.b).lower()} are {strength_word(top.pearson)} "
            f"correlated (Pearson r = {dec(top.pearson, 2)})"
            + (": engagement counts move together, so a model should not lean on all of them as "
               "if they were independent." if abs(top.pearson) >= 0.4 else "."))
    skewed = {c: v for c, v in result.skewness.items() if c != "text_length" and defined(v)}
    if skewed:
        worst = max(skewed, key=lambda c: abs(skewed[c]))
        if abs(skewed[worst]) > SKEWED:
            side = "right" if skewed[worst] > 0 else "left"
            insights.append(
                f"{label(worst)} are {side}-skewed (skewness {dec(skewed[worst], 1)}), so medians "
                "describe a typical video better than means.")
    tl_c, tl_o = kf["median_text_length_claim"], kf["median_text_length_opinion"]
    if defined(tl_c, tl_o):
        insights.append(
            f"Claim transcriptions are {'longer' if tl_c > tl_o else 'shorter'} than opinions "
            f"(median {num(tl_c)} against {num(tl_o)} characters)." if tl_c != tl_o else
            f"Claim and opinion transcriptions have the same median length ({num(tl_c)} "
            "characters).")

    notes = []
    if missing:
        together = [p for p in inv.missing_patterns if "claim_status" in p.columns]
        if len(together) == 1 and len(together[0].columns) > 1:
            others = [label(c).lower() for c in together[0].columns if c != "claim_status"]
            notes.append(f"In all {num(missing)} rows without a claim status, "
                         f"{join_words(others)} are missing too: they cannot be labelled and are "
                         "left out of group comparisons.")
        else:
            notes.append(f"{num(missing)} rows have no claim status and are left out of group "
                         "comparisons.")
    notes.append(f"{num(kf['duplicate_ids'])} duplicated video IDs and {num(kf['duplicate_rows'])} "
                 "duplicated rows were found.")
    if inv.row_number_column:
        notes.append(f"The column {inv.row_number_column!r} was recognised as a row number and "
                     "set aside (it is not among the columns below); video_id is an identifier: "
                     "a dimension, never summed or averaged.")
    if inv.dropped_columns:
        notes.append(f"Extra columns ignored: {', '.join(inv.dropped_columns)}.")

    more = _engagement_leader(kf)
    headline = (one_class.split(":")[0] if one_class else
                f"{more.capitalize()} videos draw more views than "
                f"{'opinion' if more == 'claim' else 'claim'} videos" if more else
                "Claim and opinion videos draw the same views at the median")
    return Executive(
        headline=headline,
        issue=("Moderators face a backlog of user reports. The team is building a model that tells "
               "videos making claims from videos voicing opinions, so claims can be reviewed "
               "first. Before modelling, we need to know what the data hold and how the two kinds "
               "of video differ."),
        response=(f"We profiled all {num(n)} videos and {num(kf['columns_total'])} columns: data "
                  "quality, distributions, claim-versus-opinion comparisons, author status, "
                  "correlations and the words used, and prepared a Tableau-ready extract."),
        impact=(views + " Engagement counts are therefore promising signals for the classifier."
                if views and more else views or one_class or
                "Engagement does not separate claims from opinions at the median."),
        insights=insights,
        next_steps=[
            "Test whether verified and unverified authors get different numbers of views "
            "(hypothesis stage).",
            "Model verified status with a logistic regression to understand author behaviour "
            "(regression stage).",
            "Build and tune the claim classifier on engagement and text features, choosing it on "
            "recall of claims (modeling stage).",
        ],
        data_notes=notes,
        tiles=[Tile(num(n), "videos"), Tile(num(kf["n_claim"]), "claims"),
               Tile(num(kf["n_opinion"]), "opinions"),
               Tile(num(missing), "without claim status")],
    )


def _engagement_leader(kf) -> str | None:
    """"claim" or "opinion": the class with more median views (None when equal or undefined)."""
    hi, lo = kf["median_views_claim"], kf["median_views_opinion"]
    if not defined(hi, lo) or hi == lo:
        return None
    return "claim" if hi > lo else "opinion"


def p_phrase(p: float) -> str:
    """"p < 0.001" or "p = 0.234"."""
    shown = pval(p)
    return f"p {shown}" if shown.startswith("<") else f"p = {shown}"


def significance(p: float, alpha: float) -> str:
    """"statistically significant (p < 0.001)" or "not statistically significant (p = 0.234)"."""
    word = "statistically significant" if p < alpha else "not statistically significant"
    return f"{word} ({p_phrase(p)})"


def compare_means(t) -> str:
    """"Videos from unverified accounts average 265,664 views, about 2.9 times the 91,439 of
    verified accounts." (larger group first)."""
    hi, lo = sorted((t.group_a, t.group_b), key=lambda g: -g.mean)
    metric = t.metric_label.lower()
    who = group_phrase(t.by, hi.label)
    subject = f"Videos from {who}" if t.by == "verified_status" else who.capitalize()
    ratio = hi.mean / lo.mean if lo.mean > 0 else float("inf")
    return (f"{subject} average {num(hi.mean)} {metric}, {times(ratio)} the {num(lo.mean)} of "
            f"{group_phrase(t.by, lo.label)}.")


def hypothesis(result) -> Executive:
    t = result.primary
    a, b = t.group_a, t.group_b
    pa, pb = group_phrase(t.by, a.label), group_phrase(t.by, b.label)
    metric = t.metric_label.lower()
    reject = t.decision == "reject"
    more = pa if t.mean_difference > 0 else pb
    fewer = pb if t.mean_difference > 0 else pa
    headline = (f"Videos from {more} get significantly more {metric} than videos from {fewer}"
                if reject else f"No evidence that {metric} differ between {pa} and {pb}")
    verdict = (f"The difference is {significance(t.p_holm, t.alpha)}, so we reject the null "
               "hypothesis that the means are equal." if reject else
               f"The difference is {significance(t.p_holm, t.alpha)}, so we cannot reject the "
               "null hypothesis that the means are equal.")
    insights = [
        f"The mean difference is {num(abs(t.mean_difference))} {metric} per video "
        f"(95% confidence interval {num(t.ci_low)} to {num(t.ci_high)}; Welch's t = "
        f"{dec(t.t_statistic, 2)}, {num(t.dof, 1)} degrees of freedom).",
        f"Hedges' g = {dec(t.hedges_g, 2)} (95% CI {dec(t.hedges_g_ci_low, 2)} to "
        f"{dec(t.hedges_g_ci_high, 2)}): a {t.effect_size} effect." if defined(t.hedges_g) else
        f"Hedges' g is not defined: {metric} do not vary within either group.",
        _shape_sentence(t),
        f"A rank-based Mann-Whitney U test {'agrees' if t.robust_agrees else 'does not agree'}: "
        f"{p_phrase(t.mann_whitney_p)}, rank-biserial r = {dec(t.rank_biserial, 2)}.",
    ]
    for skipped in result.skipped:
        insights.append(f"Not computed: {skipped.name} ({skipped.reason}).")
    if a.claim_share is not None and b.claim_share is not None:
        insights.append(
            f"This is an association, not a cause: {pct(a.claim_share)} of videos from {pa} are "
            f"claims against {pct(b.claim_share)} from {pb}, and claim videos draw far more "
            f"{metric}.")
    for other in result.welch_tests[1:]:
        insights.append(f"{compare_means(other)} This difference is "
                        f"{significance(other.p_holm, other.alpha)}.")
    for c in result.chi_square_tests:
        insights.append(
            f"{label(c.by)} and {label(c.against).lower()} are "
            f"{'associated' if c.decision == 'reject' else 'not shown to be associated'} "
            f"(chi-square = {num(c.chi2, 1)}, {p_phrase(c.p_holm)}; "
            f"Cramér's V = {dec(c.cramers_v, 2)}, {c.effect_size}).")
    return Executive(
        headline=headline,
        issue=(f"Before modelling claims, the team needs to know whether {metric} differ between "
               f"{pa} and {pb}. If author status goes with engagement, it matters for how "
               "moderators read engagement and for which features the claims model uses."),
        response=(f"We compared mean {metric} of {num(a.n)} videos from {pa} and {num(b.n)} from "
                  f"{pb} (complete rows only) with Welch's two-sample t-test at a "
                  f"{pct(t.alpha, 0)} significance level, checked its assumptions, confirmed it "
                  f"with a rank-based test, and ran {len(result.family) - 1} related "
                  f"test{'s' if len(result.family) != 2 else ''}."),
        impact=f"{compare_means(t)} {verdict}",
        insights=insights,
        next_steps=[
            "Model verified status with a logistic regression to see which video "
            "characteristics go with verified accounts, holding claim status fixed (regression "
            "stage).",
            "Keep author status as a candidate feature of the claims classifier, and remember "
            "that engagement differs by author status when reading its predictions.",
        ],
        data_notes=[f"{num(result.rows_dropped)} rows with missing values were left out; "
                    f"{num(result.rows_used)} complete rows were tested."],
        tiles=[Tile(num(a.mean), f"mean {metric}, {a.label}"),
               Tile(num(b.mean), f"mean {metric}, {b.label}"),
               Tile(p_phrase(t.p_holm), "two-sided, Holm-adjusted"),
               Tile(f"{dec(abs(t.hedges_g), 2)}" if defined(t.hedges_g) else "not defined",
                    f"effect size (Hedges' g): {t.effect_size}")],
    )


def _shape_sentence(t) -> str:
    """Why a t-test on means is fine here: skewness (when defined), sizes, unequal spread."""
    a, b = t.group_a, t.group_b
    skews = [g.skewness for g in (a, b)]
    shape = ""
    if defined(*skews) and max(abs(x) for x in skews) > SKEWED:
        side = "right" if max(skews, key=abs) > 0 else "left"
        shape = (f"{t.metric_label} are {side}-skewed (skewness {dec(a.skewness, 1)} for {a.label} "
                 f"and {dec(b.skewness, 1)} for {b.label}; medians {num(a.median)} and "
                 f"{num(b.median)}), so they are not normal, but w")
    else:
        shape = "W"
    spread = (f" (variance ratio {dec(t.variance_ratio, 1)})" if defined(t.variance_ratio) else
              " (one group does not vary at all)")
    return (f"{shape}ith {num(a.n)} and {num(b.n)} videos the comparison of means is "
            f"{'reliable' if min(a.n, b.n) >= 30 else 'rough: a group has fewer than 30 videos'}, "
            f"and Welch's test does not assume equal spread{spread}.")


def odds_change(ratio: float) -> str:
    """1.52 → "52% higher odds"; 0.7 → "30% lower odds"; 6.4 → "6.4 times the odds"."""
    if ratio >= 2:
        return f"{dec(ratio, 1)} times the odds"
    if ratio >= 1:
        return f"{dec((ratio - 1) * 100, 0)}% higher odds"
    if ratio > 0.5:
        return f"{dec((1 - ratio) * 100, 0)}% lower odds"
    return f"1/{dec(1 / ratio, 1)} of the odds"


def step_phrase(coef) -> str:
    """"each additional 10 seconds of video" / "each additional 100,000 views"."""
    if coef.term == "video_duration_sec":
        return f"each additional {num(coef.step)} seconds of video"
    return f"each additional {num(coef.step)} {coef.label.lower()}"


def _term_words(coef) -> str:
    """"video duration", "views", "videos of banned authors"."""
    if coef.kind == "indicator":
        col = next(c for c in (S.CLAIM, S.BAN, S.VERIFIED) if coef.term.startswith(c))
        return _videos(col, coef.term[len(col) + 1:])
    return coef.label.split(" (")[0].lower()


def _videos(column: str, level: str) -> str:
    """"opinion videos", "videos of banned authors"."""
    phrase = group_phrase(column, level)
    return phrase if phrase.endswith("videos") else f"videos of {phrase}"


def coefficient_sentence(coef, alpha: float = 0.05) -> str:
    """One predictor's association with a verified author, in words, with its 95% CI."""
    ci = f"95% CI {dec(coef.or_step_ci_low, 2)} to {dec(coef.or_step_ci_high, 2)}"
    sig = coef.p_value < alpha
    if coef.kind == "indicator":
        col = next(c for c in (S.CLAIM, S.BAN, S.VERIFIED) if coef.term.startswith(c))
        level = coef.term[len(col) + 1:]
        ref = coef.label.partition(" (vs ")[2].rstrip(")")
        what = (f"{_videos(col, level).capitalize()} have {odds_change(coef.odds_ratio_per_step)} "
                f"of coming from a verified author compared with {_videos(col, ref)}")
    else:
        what = (f"{step_phrase(coef).capitalize()} is associated with "
                f"{odds_change(coef.odds_ratio_per_step)} of a verified author")
    tail = f" ({ci}, {p_phrase(coef.p_value)})"
    return what + tail + ("." if sig else "; this is not statistically significant.")


def likelihood_headline(coef) -> str:
    """"Opinion videos are far more likely to come from verified authors"."""
    r = coef.odds_ratio_per_step
    degree = "far " if r >= 2 or r <= 0.5 else ""
    direction = f"{degree}{'more' if r >= 1 else 'less'} likely to come from verified authors"
    if coef.kind == "indicator":
        col, _, level = coef.label.partition(": ")
        level = level.partition(" (vs ")[0]
        if col == "Claim status":
            return f"{level.capitalize()} videos are {direction}"
        return f"Videos of authors with {col.lower()} '{level}' are {direction}"
    return f"Videos with more {coef.label.lower()} are {direction}"


def regression(result) -> Executive:
    kf = result.key_figures
    terms = [c for c in result.coefficients if c.kind != "intercept"]
    significant = sorted((c for c in terms if c.p_value < 0.05), key=lambda c: c.p_value)
    weak = [c for c in terms if c.p_value >= 0.05]
    verified = result.class_metrics[1]
    cm = result.confusion.counts
    course = result.protocol == "course"
    top = significant[0] if significant else None
    headline = (likelihood_headline(top) if top is not None else
                "No video characteristic is clearly associated with a verified author")
    perf = (f"On {num(result.n_test)} held-out videos the model finds {pct(verified.recall, 0)} of "
            f"verified authors (recall), but only {pct(verified.precision, 0)} of the videos it "
            f"flags as verified really are (precision); ROC AUC {dec(kf['roc_auc'], 2)}.")
    insights = [coefficient_sentence(c) for c in significant[:4]]
    if weak:
        insights.append("Once the other characteristics are held fixed, there is no clear "
                        f"association for {join_words([_term_words(c) for c in weak])}.")
    insights.append(
        f"Of {num(sum(cm[1]))} verified videos in the test set the model found {num(cm[1][1])}; "
        f"it also flagged {num(cm[0][1])} of {num(sum(cm[0]))} unverified videos "
        f"(balanced accuracy {dec(kf['balanced_accuracy'], 2)}, accuracy {dec(kf['accuracy'], 2)}).")
    if course:
        insights.append(
            f"Course protocol: the test set was upsampled to {pct(kf['share_verified_test'], 0)} "
            f"verified and {num(result.test_rows_also_in_train)} of its {num(result.n_test)} rows "
            "are copies of training rows, so these figures overstate real-world performance.")
    else:
        insights.append(
            f"The test set keeps the real share of verified authors "
            f"({pct(kf['share_verified_test'])}) and shares no video with the training data, so "
            "these figures are what to expect on new videos.")
    if not result.converged:
        insights.insert(0, "Caution: the statsmodels fit did not converge, usually because a "
                        "category has no verified author in the training data; its odds ratios "
                        "are not reliable.")
    r2 = result.pseudo_r2
    insights.append(
        f"The model explains {'little' if r2 < 0.1 else 'some' if r2 < 0.2 else 'a fair share'} "
        f"of the variation (McFadden pseudo-R² {dec(r2, 2)})"
        + (": verified status depends mostly on things the data do not hold." if r2 < 0.2
           else "."))
    return Executive(
        headline=headline,
        issue=("Verified accounts get fewer views than unverified ones (hypothesis stage). The "
               "team wants to know which video characteristics go with a verified author, and "
               "how well they predict it, before building the claims classifier."),
        response=(f"We fitted a logistic regression of verified status on "
                  f"{len(terms)} video characteristics with {num(result.n_train)} training "
                  f"videos and tested it on {num(result.n_test)} held-out videos "
                  f"({result.protocol} protocol), after checking outliers, collinearity and "
                  "linearity."),
        impact=((coefficient_sentence(top) + " ") if top else "") + perf,
        insights=insights,
        next_steps=[
            "Build the claims classifier (modeling stage) on engagement counts and transcription "
            "phrases, tuned for recall of claims.",
            "Do not use this model to label accounts: it is a description of associations, and "
            "most of what makes an account verified is not in these data.",
        ],
        data_notes=[],
        tiles=[Tile(pct(verified.recall, 0), "recall, verified"),
               Tile(pct(verified.precision, 0), "precision, verified"),
               Tile(f"{dec(kf['roc_auc'], 2)}", "ROC AUC"),
               Tile(num(result.n_test), f"test videos ({result.protocol})")],
    )


def modeling(result) -> Executive:
    kf = result.key_figures
    t = result.test
    champ = result.champion_name
    val = {s.model: s for s in result.validation}[result.champion]
    vcm, tcm = val.confusion.counts, t.confusion.counts
    claims_val, claims_test = sum(vcm[1]), sum(tcm[1])
    rc, pc = result.test_recall_ci, result.test_precision_ci
    engagement = {"video_view_count", "video_like_count", "video_share_count",
                  "video_download_count", "video_comment_count"}
    top3 = result.importances[:3]
    engagement_share = sum(i.impurity for i in result.importances if i.feature in engagement)
    phrase_share = sum(i.impurity for i in result.importances if i.feature in result.phrases)
    max_perm = max((i.permutation_mean for i in result.importances), default=0.0)
    chosen = next(s for s in result.searches if s.model == result.champion)
    insights = [
        "; ".join(f"{s.name}: validation recall {dec(s.recall, 3)}, precision {dec(s.precision, 3)}"
                  for s in result.validation)
        + f". The {champ.lower()} is the champion: {result.champion_reason}.",
        f"On {num(result.n_test)} test videos, used once and only for the champion, it caught "
        f"{num(tcm[1][1])} of {num(claims_test)} claims (recall {dec(rc.value, 3)}, 95% CI "
        f"{dec(rc.low, 3)} to {dec(rc.high, 3)}) and {pct(pc.value, 1)} of the videos it flagged were "
        f"claims (95% CI {pct(pc.low, 1)} to {pct(pc.high, 1)}).",
        f"In moderator terms: of every 1,000 claim videos it would miss about "
        f"{num(1000 * (1 - t.recall))}, and it sent {num(tcm[0][1])} of {num(sum(tcm[0]))} test "
        "opinions to review by mistake.",
        f"Predictions rest on engagement: {', '.join(i.label.lower() for i in top3)} are the top "
        f"features, and engagement counts carry {pct(engagement_share, 0)} of the importance "
        f"(transcription phrases {pct(phrase_share, 0)}). Shuffling any single feature changes "
        f"validation recall by at most {dec(max_perm, 3)}, because the counts overlap.",
        f"Cross-validated recall of the chosen {champ.lower()} settings: "
        f"{dec(chosen.cv_recall_mean, 3)} ± {dec(chosen.cv_recall_std, 3)} across folds; "
        f"{chosen.method}, {num(chosen.candidates)} candidate settings per model.",
    ]
    if result.threshold_for_target is not None:
        insights.append(
            f"Validation recall stays at or above {result.target_recall:g} for decision "
            f"thresholds up to {dec(result.threshold_for_target, 2)} (checked in steps of 0.01); the "
            "report uses 0.5.")
    if result.protocol == "course":
        insights.append("Course protocol: the exemplar's unstratified split is reproduced so its "
                        "figures can be checked.")
    return Executive(
        headline=f"The {champ.lower()} catches {pct(t.recall, 1)} of claims with "
                 f"{pct(t.precision, 1)} precision: "
                 + ("ready to prioritise the review queue" if t.recall >= result.target_recall
                    else f"below the {pct(result.target_recall, 0)} recall target, not ready yet"),
        issue=("Moderators face a backlog of user reports. A model that flags videos making claims "
               "lets them review those first. Missing a claim costs more than reviewing an "
               "opinion, so the models were tuned and chosen on recall of claims, with precision "
               "watched so the model does not flag everything."),
        response=(f"We built features (transcription length, the {len(result.phrases)} most "
                  "frequent phrases, author status, engagement counts), tuned a random forest and "
                  f"an XGBoost model by cross-validation on {num(result.n_train)} videos, chose "
                  f"the champion on {num(result.n_validation)} validation videos and tested it "
                  f"once on {num(result.n_test)} held-out videos."),
        impact=(f"Of {num(claims_val)} claim videos in validation, the {champ.lower()} missed "
                f"{num(vcm[1][0])}; on the test set it missed {num(tcm[1][0])} of "
                f"{num(claims_test)} and sent {num(tcm[0][1])} opinion"
                f"{'' if tcm[0][1] == 1 else 's'} to review by mistake. Moderators can work the "
                "queue from the top and meet almost every claim first."),
        insights=insights,
        next_steps=[
            f"Use the {champ.lower()} as decision support to order the review queue; every "
            "enforcement decision stays with a human moderator.",
            f"Check recall monthly on a sample of human-reviewed videos and retrain (claimreport "
            f"render --stage modeling) if it falls below {result.target_recall:g}.",
            "Score videos only once their engagement has been counted the same way as here: the "
            "model leans on views and likes, so very new videos are less reliable.",
        ],
        tiles=[Tile(champ, "champion"), Tile(f"{dec(t.recall, 3)}", "test recall, claims"),
               Tile(f"{dec(t.precision, 3)}", "test precision, claims"),
               Tile(num(kf["test_claims_missed"]), f"claims missed of {num(claims_test)}")],
    )
