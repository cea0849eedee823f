"""Rules for the regression report: which video characteristics go with a verified author?

Association words follow each coefficient's p-value against ``ALPHA`` and the direction of its
odds ratio; "far" needs an odds ratio of at least ``FAR_ODDS`` (or at most its inverse). The
model's fit is described by McFadden's pseudo-R² bands ``LITTLE_R2`` / ``SOME_R2``.
"""

from __future__ import annotations

from ...data import schema as S
from ...data.schema import group_phrase
from . import Executive, Tile
from .hypothesis import p_phrase
from .words import chance_words, dec, defined, join_words, num, pct

__all__ = ["title", "executive", "coef_label", "odds_change", "step_phrase",
           "coefficient_sentence", "likelihood_headline", "ALPHA", "FAR_ODDS", "LITTLE_R2",
           "SOME_R2"]

ALPHA = 0.05  # significance of a single coefficient
FAR_ODDS = 2.0  # odds ratio from which "far more/less likely"
LITTLE_R2, SOME_R2 = 0.1, 0.2  # McFadden pseudo-R²: explains little / some / a fair share

REBALANCE_WORDS = {
    "class_weight": "classes weighted 50:50 in the training part",
    "upsample": "verified rows upsampled in the training part only",
    "upsample_before_split": "verified rows upsampled before the split (the exemplar's method)",
}


def title(result) -> str:
    return "Logistic regression of verified status"


def coef_label(c) -> str:
    """"Intercept", "Views", "Claim status: opinion (vs claim)"."""
    if c.kind == "intercept":
        return "Intercept"
    if c.kind == "continuous":
        return S.short(c.column)
    return f"{S.label(c.column)}: {c.level} (vs {c.reference})"


def odds_change(ratio: float) -> str:
    """1.52 → "52% higher odds"; 0.7 → "30% lower odds"; 0.2 → "80% lower odds";
    6.4 → "6.4 times the odds"."""
    if not defined(ratio):
        return "odds that cannot be estimated"
    if ratio >= 2:
        return f"{ratio:.1f} times the odds"
    if ratio >= 1:
        return f"{(ratio - 1) * 100:.0f}% higher odds"
    return f"{(1 - ratio) * 100:.0f}% lower odds"


def step_phrase(c) -> str:
    """"each additional 10 seconds of video" / "each additional 100,000 views"."""
    if c.column == S.DURATION:
        return f"each additional {num(c.step)} seconds of video"
    return f"each additional {num(c.step)} {S.noun(c.column)}"


def _videos(column: str, level: str) -> str:
    """"opinion videos", "videos of banned authors"."""
    phrase = group_phrase(column, level)
    return phrase if phrase.endswith("videos") else f"videos of {phrase}"


def coefficient_sentence(c, with_ci: bool = True) -> str:
    """One predictor's association with a verified author, in words (with its 95% CI and p on
    the analysts' pages)."""
    if c.kind == "indicator":
        what = (f"{_videos(c.column, c.level).capitalize()} have "
                f"{odds_change(c.odds_ratio_per_step)} of coming from a verified author compared "
                f"with {_videos(c.column, c.reference)}")
    else:
        what = (f"{step_phrase(c).capitalize()} is associated with "
                f"{odds_change(c.odds_ratio_per_step)} of a verified author")
    if not with_ci:
        return what + "."
    ci = f"95% CI {dec(c.or_step_ci_low, 2)} to {dec(c.or_step_ci_high, 2)}"
    sig = defined(c.p_value) and c.p_value < ALPHA
    return (what + f" ({ci}, {p_phrase(c.p_value)})"
            + ("." if sig else "; this is not statistically significant."))


def likelihood_headline(c) -> str:
    """"Opinion videos are far more likely to come from verified authors"."""
    r = c.odds_ratio_per_step
    degree = "far " if r >= FAR_ODDS or r <= 1 / FAR_ODDS else ""
    direction = f"{degree}{'more' if r >= 1 else 'less'} likely to come from verified authors"
    if c.kind == "indicator":
        return f"{_videos(c.column, c.level).capitalize()} are {direction}"
    return f"Videos with more {S.noun(c.column)} are {direction}"


def _hypothesis_finding(bundle) -> str | None:
    """What the hypothesis stage found about verified status, read from its result."""
    hyp = bundle.results.get("hypothesis")
    if hyp is None or hyp.primary.by != S.VERIFIED:
        return None
    from .hypothesis import compare_means

    t = hyp.primary
    means = compare_means(t)
    return (f"The hypothesis test found that {means[0].lower()}{means[1:]} The gap is "
            f"{chance_words(t.p_holm, t.alpha)}.")


def _significant(result):
    terms = [c for c in result.coefficients if c.kind != "intercept"]
    sig = sorted((c for c in terms if defined(c.p_value) and c.p_value < ALPHA),
                 key=lambda c: c.p_value)
    weak = [c for c in terms if c not in sig]
    return terms, sig, weak


def _term_words(c) -> str:
    return _videos(c.column, c.level) if c.kind == "indicator" else S.noun(c.column)


def _fit_words(r2: float) -> str | None:
    if not defined(r2):
        return None
    if r2 < LITTLE_R2:
        return "little"
    return "some" if r2 < SOME_R2 else "a fair share"


def executive(bundle) -> Executive:
    result = bundle.results["regression"]
    terms, significant, weak = _significant(result)
    verified = result.class_metrics[1]
    cm = result.confusion.counts
    course = result.protocol == "course"
    top = significant[0] if significant else None
    found, flagged_wrong = cm[1][1], cm[0][1]
    perf = (f"On {num(result.n_test)} held-out videos the model finds {pct(verified.recall, 0)} "
            f"of verified authors, but only {pct(verified.precision, 0)} of the videos it flags "
            "as verified really are.")
    insights = [coefficient_sentence(c, with_ci=False) for c in significant[:4]]
    if weak:
        insights.append("Once the other characteristics are held fixed, there is no clear link "
                        f"for {join_words([_term_words(c) for c in weak])}.")
    insights.append(f"Of {num(sum(cm[1]))} verified videos in the test set the model found "
                    f"{num(found)}; it also flagged {num(flagged_wrong)} of {num(sum(cm[0]))} "
                    "unverified videos.")
    if course:
        insights.append(
            f"Course protocol: the test set was upsampled to "
            f"{pct(result.key_figures['share_verified_test'], 0)} verified and "
            f"{num(result.test_rows_also_in_train)} of its {num(result.n_test)} rows are copies "
            "of training rows, so these figures overstate real-world performance.")
    else:
        insights.append(
            "The test set keeps the real share of verified authors "
            f"({pct(result.key_figures['share_verified_test'])}) and shares no video with the "
            "training data, so these figures are what to expect on new videos.")
    if not result.converged:
        insights.insert(0, "Caution: the statistical fit did not settle on an answer, usually "
                        "because a category has no verified author; its associations are not "
                        "reliable.")
    fit = _fit_words(result.pseudo_r2)
    caveat = ("These are associations, not causes"
              + (f", and the characteristics explain only {fit} of who is verified: most of it "
                 "depends on things the data do not hold." if fit in ("little", "some") else "."))
    issue = ("The team wants to know which video characteristics go with a verified author, and "
             "how well they predict it, before building the claims classifier.")
    finding = _hypothesis_finding(bundle)
    details = [coefficient_sentence(c) for c in terms]
    details += [f"McFadden pseudo-R² {dec(result.pseudo_r2, 3)}; likelihood-ratio test "
                f"{p_phrase(result.llr_p)}; ROC AUC {dec(result.roc.auc, 3)}; balanced accuracy "
                f"{dec(result.balanced_accuracy, 3)}; accuracy {dec(result.accuracy, 3)}.",
                f"Rebalancing: {REBALANCE_WORDS[result.rebalance]}."]
    if result.constant_terms:
        details.append("Left out because they do not vary in the training rows: "
                       + ", ".join(result.constant_terms) + ".")
    return Executive(
        headline=(likelihood_headline(top) if top is not None else
                  "No video characteristic is clearly linked to a verified author"),
        issue=(finding + " " + issue) if finding else issue,
        response=(f"We related verified status to {len(terms)} video characteristics using "
                  f"{num(result.n_train)} training videos and tested the predictions on "
                  f"{num(result.n_test)} held-out videos, after checking the method's "
                  "assumptions."),
        impact=((coefficient_sentence(top, with_ci=False) + " ") if top else "") + perf,
        insights=insights,
        next_steps=[
            "Build the claims classifier on engagement counts and transcription phrases, tuned "
            "to catch as many claims as possible (modeling stage).",
            "Do not use this model to label accounts: it describes associations, and most of "
            "what makes an account verified is not in these data."
            if fit in ("little", "some") else
            "Do not use this model to label accounts: it describes associations, not causes.",
        ],
        caveat=caveat,
        tiles=[Tile(pct(verified.recall, 0), "of verified authors found"),
               Tile(pct(verified.precision, 0), "of flagged videos really verified"),
               Tile(num(result.n_test), "held-out test videos"),
               Tile(str(len(significant)), "characteristic with a clear link"
                    if len(significant) == 1 else "characteristics with a clear link")],
        details=details,
    )
