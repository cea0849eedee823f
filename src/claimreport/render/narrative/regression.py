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

The rules that state links as risks per 100 videos (and as odds ratios for the analysts) are in
:mod:`.regression_risk`; their public names are re-exported here, because the templates reach
every rule of the stage as ``words.<name>``.
"""

from __future__ import annotations

from ...data import schema as S
from . import Executive, Tile
from .hypothesis import p_phrase
from .regression_risk import (
    ALPHA,
    FAR_RISK_RATIO,
    OBSERVED_DIFFERS,
    _link_sentence,
    _risk,
    _risk_details,
    _videos,
    coef_label,
    coefficient_sentence,
    likelihood_headline,
    observed_sentence,
    odds_change,
    per_100,
    risk_sentence,
    risk_tiles,
    step_phrase,
)
from .words import chance_words, dec, defined, fit_sample_note, join_words, num, pct

__all__ = ["title", "executive", "coef_label", "odds_change", "step_phrase", "tiles",
           "risk_tiles", "method_notes", "capping_note", "box_tidwell_note",
           "coefficient_sentence", "likelihood_headline", "per_100", "risk_sentence",
           "screening_verdict", "baseline_sentence", "two_models_sentence", "fit_label",
           "baseline_rows",
           "observed_sentence", "ALPHA", "FAR_ODDS", "FAR_RISK_RATIO", "LIFT_WORSE",
           "LIFT_NONE", "LIFT_USEFUL", "MOSTLY_WRONG", "OBSERVED_DIFFERS", "LITTLE_R2",
           "SOME_R2"]

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
    """What the hypothesis stage found about verified status, read from its result (nothing
    without one): its verdict's headline and the adjusted interval when the verdict changes the
    story (that report leads with it); else the overall gap, whether it is chance, the verdict."""
    hyp = bundle.results.get("hypothesis")
    if hyp is None or hyp.primary.by != S.VERIFIED:
        return None
    from .hypothesis import adjusted_range, compare_means, leads_with_mix, verdict_headline, verdict_sentence

    if leads_with_mix(hyp):
        headline, span = verdict_headline(hyp), adjusted_range(hyp)
        return (f"The hypothesis test found that {headline[0].lower()}{headline[1:]}"
                + (f" (allowing for chance, {span})." if span else "."))
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


def tiles(result, top) -> list[Tile]:
    """Page-1 tiles: the headline's adjusted risks first (:func:`risk_tiles`, the inference
    model), then the flagging model's two numbers, each beside what it is compared with: the
    verified authors it finds with the share of videos it flags, and its flags' precision with
    that of flags picked at random. Without risks to show, the flagging model's four numbers
    (precision, share flagged, accuracy against always answering the majority, recall)."""
    verified, kf = result.class_metrics[1], result.key_figures
    random_flags = f"random flags: {pct(kf['share_verified_test'], 0)}"
    risks = risk_tiles(result, top)
    if risks:
        return risks + [
            Tile(pct(verified.recall, 0), "of verified authors found by the flagging model, "
                 f"which flags {pct(result.share_flagged, 0)} of test videos"),
            Tile(pct(verified.precision, 0), f"of its flags really verified ({random_flags})")]
    base = result.baseline
    return [Tile(pct(verified.precision, 0), f"of flagged videos really verified ({random_flags})"),
            Tile(pct(result.share_flagged, 0), "of test videos flagged as verified"),
            Tile(pct(base.accuracy, 0), f"right by {_answer(base.predicted_label)} "
                 f"(model: {pct(result.accuracy, 0)})"),
            Tile(pct(verified.recall, 0), "of verified authors found")]


def capping_note(result) -> str:
    """What the stage does to outliers, from the outlier table: which predictors it caps at
    their upper Tukey fence (Q3 + 1.5 IQR), on which rows the fence is computed (the training
    part in the rigorous protocol, every complete row in the course's), how many values that
    moves, and which capped predictors the model then leaves out."""
    capped = [o for o in result.outliers if o.capped]
    if not capped:
        return "No predictor is capped: outliers are counted (outlier table) and kept as they are."
    rigorous = result.protocol != "course"
    rows = "training rows" if rigorous else "complete rows (before upsampling and the split)"
    moved = join_words([f"{S.noun(o.column)} at {num(o.upper_fence, 1)} ({num(o.n_above)} values)"
                        for o in capped])
    left_out = [S.noun(o.column) for o in capped if o.column not in result.predictors]
    return ("Outliers are capped, not removed: values above the upper Tukey fence (third "
            f"quartile + 1.5 interquartile ranges of the {rows}) are set to the fence before "
            f"both models are fitted: {moved}"
            + ("; the test set is capped at the same fences, so nothing about it is used to "
               "prepare the data" if rigorous else "")
            + ". The outlier table counts values above the fence before capping."
            + (f" {join_words(left_out).capitalize()} {'is' if len(left_out) == 1 else 'are'} "
               "capped but then left out of the model (multicollinearity)." if left_out else ""))


def box_tidwell_note(result) -> str | None:
    """How the Box-Tidwell test treats the counts (:func:`claimreport.stats.logit.box_tidwell`):
    None when no count predictor was tested."""
    if not result.linearity:
        return None
    rows = ("training rows (after capping, before standardising)" if result.protocol != "course"
            else "upsampled training rows (after capping)")
    return ("Box-Tidwell test: each count predictor x gets an added x·ln(x) term, all fitted "
            f"together with the model's predictors on the {rows}, and the term's coefficient is "
            "tested. Counts can be 0, where ln is not defined, so every value is first shifted "
            "by 1 (x + 1) and divided by its standard deviation: the scaling does not change the "
            "test (the linear term absorbs it), the shift does slightly, most for predictors "
            "with many small counts.")


def method_notes(result) -> list[str]:
    """The method notes of the analysts' pages (the HTML report and the Quarto document)."""
    rigorous = result.protocol != "course"
    fit = result.prediction_fit
    return [
        "Two models, reported apart. Inference uses statsmodels' unregularised Logit on the "
        "training rows " + ("as they are (no weights, no upsampled copies, which would "
                            "understate standard errors)" if rigorous else
                            "of the exemplar (upsampled before the split, so its standard errors "
                            "are too small)")
        + f"; prediction uses scikit-learn's LogisticRegression (L2 penalty, C = {dec(fit.C, 2)}, "
        f"{REBALANCE_WORDS[fit.rebalance]}), so its coefficients are shrunk and are not "
        "interpreted.",
        "Adjusted risks are marginal standardisation (average predicted probability): the "
        "inference model predicts every training row with the category set to the level and "
        "then to the reference, other characteristics as they are, and averages; page 1 states "
        "them as verified authors per 100 videos instead of odds ratios, which readers take for "
        "ratios of risks.",
        capping_note(result),
        *[n for n in (box_tidwell_note(result),) if n],
        "The baseline always answers the class most common in the training rows (scikit-learn's "
        "DummyClassifier with strategy \"most_frequent\"); every test-set metric is shown beside "
        "its baseline value.",
        "Class labels are set explicitly in every metric (rows and columns of the confusion "
        "matrix read \"not verified\", \"verified\").",
        "The rigorous protocol fixes the exemplar's flaws: it splits first (stratified) so the "
        "test set keeps the real verified share and no copy of a training row; it computes "
        "capping fences and scaling on the training part only; it reports ROC AUC, PR AUC and "
        "balanced accuracy, which stay honest under imbalance. The course notebook upsampled "
        "before splitting, named the classes in the wrong order in its classification report, "
        "and interpreted unscaled, regularised coefficients of order 1e-4." if rigorous else
        "This report follows the course notebook so its numbers can be checked. The notebook's "
        "flaws: upsampling before the split copies verified rows into both parts, so the test "
        "set contains duplicates of training rows and its metrics are optimistic; its "
        "classification report named the classes in the wrong order; its unscaled, regularised "
        "coefficients of order 1e-4 are not interpretable and change with library versions. "
        "Run with --protocol rigorous (the default) for honest figures.",
        "Odds ratios describe associations with a verified author in these data, not causes.",
    ]


def executive(bundle) -> Executive:
    result = bundle.results["regression"]
    terms, significant, weak = _significant(result)
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
            "training data, so these figures are what to expect on videos like these, collected "
            "the same way.")
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
        tiles=tiles(result, top),
        details=details,
    )
