"""Rules for the regression report: which video characteristics go with a verified author,
and does the prediction model beat the obvious?

Page 1 speaks in risks, never in odds: each clear link is stated as verified authors per 100
videos of a level against its reference, model-adjusted by marginal standardisation (numbers
computed by the stage from the inference fit). "Far more likely" needs an adjusted risk ratio of
at least ``FAR_RISK_RATIO`` (or at most its inverse); a link is clear when its coefficient's
p-value is below ``ALPHA``. The prediction model is stated beside the no-information baseline:
its precision against the verified share of the test set (the precision of flags picked at
random), with the words chosen by the lift bands ``LIFT_NONE`` / ``LIFT_USEFUL``. The fit is
described by McFadden's pseudo-R² bands ``LITTLE_R2`` / ``SOME_R2``. Odds ratios, their CIs and
p-values stay on the analysts' pages.

The rules that state links as risks per 100 videos are in :mod:`.regression_risk`; their public
names are re-exported here, because the templates reach every rule of the stage as
``words.<name>``.
"""

from __future__ import annotations

from ...data import schema as S
from . import Executive, Tile
from .hypothesis import p_phrase
from .regression_risk import (
    FAR_RISK_RATIO,
    OBSERVED_DIFFERS,
    _link_sentence,
    _risk,
    _risk_details,
    _videos,
    likelihood_headline,
    observed_sentence,
    per_100,
    risk_sentence,
    step_phrase,
)
from .words import chance_words, dec, defined, fit_sample_note, join_words, num, pct

__all__ = ["title", "executive", "coef_label", "odds_change", "step_phrase",
           "coefficient_sentence", "likelihood_headline", "per_100", "risk_sentence",
           "screening_verdict", "baseline_sentence", "two_models_sentence", "fit_label",
           "baseline_rows",
           "observed_sentence", "ALPHA", "FAR_ODDS", "FAR_RISK_RATIO", "LIFT_WORSE",
           "LIFT_NONE", "LIFT_USEFUL", "MOSTLY_WRONG", "OBSERVED_DIFFERS", "LITTLE_R2",
           "SOME_R2"]

ALPHA = 0.05  # significance of a single coefficient
FAR_ODDS = 2.0  # odds ratio from which "far" on the analysts' pages (kept for the forest plot)
#: precision / verified share of the test set: below LIFT_WORSE the flags are "worse than
#: picking videos at random", below LIFT_NONE "no better", below LIFT_USEFUL "only a little
#: better", from LIFT_USEFUL on "clearly better"
LIFT_WORSE, LIFT_NONE, LIFT_USEFUL = 0.8, 1.2, 2.0
#: precision below which "most of its flags are wrong" is added
MOSTLY_WRONG = 0.5
LITTLE_R2, SOME_R2 = 0.1, 0.2  # McFadden pseudo-R²: explains little / some / a fair share

REBALANCE_WORDS = {
    "none": "no rebalancing",
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


def screening_verdict(result) -> str:
    """``none`` (flags nothing), ``worse`` (lift < ``LIFT_WORSE``), ``no_better`` (below
    ``LIFT_NONE``), ``weak`` (below ``LIFT_USEFUL``) or ``useful``: the precision of the
    model's flags against the verified share of the test set, which is the precision of flags
    picked at random."""
    verified = result.class_metrics[1]
    prevalence = result.key_figures["share_verified_test"]
    if not defined(verified.precision, prevalence) or prevalence <= 0:
        return "none"
    lift = verified.precision / prevalence
    if lift < LIFT_WORSE:
        return "worse"
    return "no_better" if lift < LIFT_NONE else "weak" if lift < LIFT_USEFUL else "useful"


_SCREENING_WORDS = {
    "worse": "worse than picking videos at random",
    "no_better": "no better than picking videos at random",
    "weak": f"better than picking videos at random, but less than {LIFT_USEFUL:g} times as good",
    "useful": f"at least {LIFT_USEFUL:g} times as good as picking videos at random",
}


def _answer(label: str) -> str:
    return f"always answering \u201c{label}\u201d"


def baseline_sentence(result) -> str:
    """The model's accuracy beside always answering the training majority, and why they differ."""
    base, acc = result.baseline, result.accuracy
    flagged = pct(result.share_flagged, 0)
    if defined(acc, base.accuracy) and acc < base.accuracy:
        return (f"{_answer(base.predicted_label).capitalize()} would be right for "
                f"{pct(base.accuracy, 0)} of test videos; the flagging model is right for {pct(acc, 0)}, "
                f"because it flags {flagged} of all videos to find verified authors.")
    return (f"The flagging model is right for {pct(acc, 0)} of test videos, against "
            f"{pct(base.accuracy, 0)} "
            f"for {_answer(base.predicted_label)}; it flags {flagged} of all videos.")


def _screening_sentence(result) -> str:
    verdict = screening_verdict(result)
    verified = result.class_metrics[1]
    n = num(result.n_test)
    if verdict == "none":
        return (f"A second model, built to flag verified authors, flagged none of {n} held-out "
                "videos, so it cannot be used to find them.")
    return (f"A second model, built to flag verified authors, finds {pct(verified.recall, 0)} of "
            f"them among {n} held-out videos by flagging {pct(result.share_flagged, 0)} of all "
            f"videos; {pct(verified.precision, 0)} of its flags are right, against "
            f"{pct(result.key_figures['share_verified_test'], 0)} for flags picked at random: "
            f"{_SCREENING_WORDS[verdict]}"
            + ("; most of its flags are wrong." if verified.precision < MOSTLY_WRONG else "."))


_PREDICTION_TRAINING = {
    "none": "fitted to the training videos as they are",
    "class_weight": "that weighs verified and unverified authors equally, so it finds more "
                    "verified authors but also flags many unverified ones",
    "upsample": "trained on extra copies of verified authors' videos until both groups are the "
                "same size, so it finds more verified authors but also flags many unverified ones",
    "upsample_before_split": "trained on the course's upsampled data, where half the videos are "
                             "verified",
}


def two_models_sentence(result, risks_shown: bool = True) -> str:
    """Page 1 says which model each number comes from, in plain words (*risks_shown*: page 1
    states risks per 100 videos)."""
    upsampled = result.inference_fit.rebalance != "none"
    fitted = ("the course's upsampled training data" if upsampled
              else "the training videos as they are")
    first = (f"the risks come from a model that describes {fitted}" if risks_shown
             else f"what is said about links comes from a model that describes {fitted}")
    if upsampled and risks_shown:
        first += (" (about half of those videos are verified, so its risks are far higher than "
                  "on real data)")
    return (f"Two models are used: {first}; the flags come from a second model "
            f"{_PREDICTION_TRAINING[result.prediction_fit.rebalance]}.")


def fit_label(fit) -> str:
    """Analysts' label of a fit with its settings: "statsmodels Logit, unweighted, no
    regularisation, 14,313 training rows"."""
    weights = ("unweighted" if fit.rebalance == "none" else REBALANCE_WORDS[fit.rebalance])
    penalty = ("no regularisation" if fit.penalty == "none"
               else f"{fit.penalty.upper()} penalty, C = {fit.C:g}")
    scaled = "counts standardised" if fit.scaled else "counts unscaled"
    iters = f", max_iter {fit.max_iter}" if fit.max_iter else ""
    return (f"{fit.library} {fit.estimator}, {weights}, {penalty}, {scaled}{iters}, fitted on "
            f"{num(fit.rows)} training rows")


def _hypothesis_finding(bundle) -> str | None:
    """What the hypothesis stage found about verified status, and its verdict on whether the
    claim mix explains it, read from its result (nothing without one)."""
    hyp = bundle.results.get("hypothesis")
    if hyp is None or hyp.primary.by != S.VERIFIED:
        return None
    from .hypothesis import compare_means, verdict_sentence

    t = hyp.primary
    means = compare_means(t)
    verdict = verdict_sentence(hyp)
    return (f"The hypothesis test found that {means[0].lower()}{means[1:]} The gap is "
            f"{chance_words(t.p_holm, t.alpha)}." + (f" {verdict}" if verdict else ""))


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


def baseline_rows(result) -> list[tuple[str, float, float]]:
    """``(metric, prediction model, baseline)`` for every test-set metric, for the analysts."""
    base, verified = result.baseline, result.class_metrics[1]
    return [("accuracy", result.accuracy, base.accuracy),
            ("balanced accuracy", result.balanced_accuracy, base.balanced_accuracy),
            ("precision (verified)", verified.precision, base.precision_verified),
            ("recall (verified)", verified.recall, base.recall_verified),
            ("F1 (verified)", verified.f1, base.f1_verified),
            ("ROC AUC", result.roc.auc, base.roc_auc),
            ("PR AUC (average precision)", result.pr.auc, base.pr_auc),
            ("share of test videos flagged", result.share_flagged, base.share_flagged)]


def _baseline_details(result) -> str:
    base = result.baseline
    shown = "; ".join(f"{name} {dec(m, 3)} vs {dec(b, 3)}" for name, m, b in baseline_rows(result))
    return (f"Prediction model against the no-information baseline ({_answer(base.predicted_label)}"
            f", the training majority), test set: {shown}. The baseline's precision is not "
            "defined because it flags nothing; flags picked at random would be right "
            f"{pct(result.key_figures['share_verified_test'])} of the time.")


def executive(bundle) -> Executive:
    result = bundle.results["regression"]
    terms, significant, weak = _significant(result)
    verified = result.class_metrics[1]
    cm = result.confusion.counts
    course = result.protocol == "course"
    top = significant[0] if significant else None
    found, flagged_wrong = cm[1][1], cm[0][1]
    insights = [_link_sentence(result, c) for c in significant[1:4]]
    if weak:
        insights.append("Once the other characteristics are held fixed, there is no clear link "
                        f"for {join_words([_term_words(c) for c in weak])}.")
    shown = top is not None and _risk(result, top) is not None
    insights += [two_models_sentence(result, shown), baseline_sentence(result)]
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
    details = [f"Inference model (odds ratios, p-values, adjusted risks): "
               f"{fit_label(result.inference_fit)}.",
               f"Prediction model (confusion matrix, precision, recall, AUCs): "
               f"{fit_label(result.prediction_fit)}."]
    details += [coefficient_sentence(c) for c in terms]
    details += _risk_details(result)
    details += [f"McFadden pseudo-R² {dec(result.pseudo_r2, 3)}; likelihood-ratio test "
                f"{p_phrase(result.llr_p)}.", _baseline_details(result),
                f"Of {num(sum(cm[1]))} verified videos in the test set the prediction model "
                f"found {num(found)}; it also flagged {num(flagged_wrong)} of {num(sum(cm[0]))} "
                "unverified videos."]
    if result.constant_terms:
        details.append("Left out because they do not vary in the training rows: "
                       + ", ".join(result.constant_terms) + ".")
    base = result.baseline
    return Executive(
        data_notes=[n for n in (fit_sample_note(result.sample),) if n],
        headline=(likelihood_headline(top, _risk(result, top)) if top is not None else
                  "No video characteristic is clearly linked to a verified author"),
        issue=(finding + " " + issue) if finding else issue,
        response=(f"We related verified status to {len(terms)} video characteristics using "
                  f"{num(result.n_train)} training videos and tested the predictions on "
                  f"{num(result.n_test)} held-out videos, after checking the method's "
                  "assumptions."),
        impact=((_link_sentence(result, top) + " ") if top else "")
        + _screening_sentence(result),
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
        tiles=[Tile(pct(verified.precision, 0), "of flagged videos really verified (random "
                    f"flags: {pct(result.key_figures['share_verified_test'], 0)})"),
               Tile(pct(result.share_flagged, 0), "of test videos flagged as verified"),
               Tile(pct(base.accuracy, 0), f"right by {_answer(base.predicted_label)} "
                    f"(model: {pct(result.accuracy, 0)})"),
               Tile(pct(verified.recall, 0), "of verified authors found")],
        details=details,
    )
