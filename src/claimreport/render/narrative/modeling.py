"""Rules for the modeling report: does the claim classifier beat the obvious, where does it
fail, and can it be used?

The verdict (``ready`` / ``pilot`` / ``not_ready``) is computed with the result
(:mod:`claimreport.stats.readiness`) and only worded here: "ready" is said only for ``ready``,
"not ready" only for ``not_ready``, and a pilot names its reason. "Near-perfect" is said only when
test recall and precision both reach ``NEAR_PERFECT``. What the model relies on is the share of
importance by feature group.
"""

from __future__ import annotations

import math

from ...data import schema as S
from . import Executive, Tile
from .words import about, amount_words, dec, defined, join_words, num, pct, per_thousand, plural

__all__ = ["title", "executive", "readiness", "reason_words", "importance_words",
           "reliance", "limitations", "headline", "margin_sentence", "error_sentence",
           "slice_sentence", "slice_summary", "calibration_sentence", "readiness_details",
           "flag_rate_sentence", "audit_step", "group_words",
           "baseline_phrase", "rule_words", "slice_words", "NEAR_PERFECT", "PERMUTATION_SMALL",
           "MIN_BIN_VIDEOS", "CALIBRATED_GAP", "AUDIT_SAMPLE"]

#: share of importance from which a model relies "almost entirely" on one group of features
ALMOST_ALL = 0.9
#: test recall and precision at or above this are "near-perfect"
NEAR_PERFECT = 0.99
#: the largest drop in validation recall when one feature is shuffled, below which "no single
#: feature matters on its own"
PERMUTATION_SMALL = 0.01
#: reliability bins with fewer videos than this are not read (their share of claims is noise)
MIN_BIN_VIDEOS = 30
#: predicted probability within this of the observed share of claims in every read bin:
#: "its scores can be read as chances"
CALIBRATED_GAP = 0.1
#: unflagged videos a month the monitoring step suggests auditing
AUDIT_SAMPLE = 1000

REASONS = {
    "higher_recall": "it caught more claims on the validation set",
    "higher_precision": "both caught as many claims on the validation set, and it flagged fewer "
                        "opinions",
    "higher_f1": "both were equal on recall and precision, and it had the better balance (F1)",
    "tie": "both scored the same on every criterion, and it is listed first",
    "only_model": "it was the only model",
}
IMPORTANCE_WORDS = {"impurity": "impurity decrease", "gain": "gain"}


def title(result) -> str:
    return "Claim classifier: model selection and evaluation"


MODEL_PHRASES = {"random_forest": "random forest", "xgboost": "XGBoost model"}


def model_phrase(kind: str) -> str:
    """"random forest", "XGBoost model": a model's name inside a sentence."""
    return MODEL_PHRASES[kind]


def readiness(result) -> str:
    """The stored verdict: ``ready``, ``pilot`` or ``not_ready`` (computed by
    :func:`claimreport.stats.readiness.readiness`; this module only words it)."""
    return result.readiness


SEARCH_WORDS = {"halving_random": "successive halving over random candidates",
                "full_grid": "the exemplar's full grid"}


def search_words(code: str) -> str:
    return SEARCH_WORDS[code]


def reason_words(code: str) -> str:
    return REASONS[code]


def importance_words(kind: str) -> str:
    return IMPORTANCE_WORDS[kind]


def reliance(result) -> dict[str, float]:
    """Share of the model's importance carried by engagement counts, transcription phrases,
    transcription length and duration, and author status."""
    groups = {"engagement": 0.0, "phrases": 0.0, "length and duration": 0.0, "author": 0.0}
    phrases = set(result.phrases)
    for i in result.importances:
        if not defined(i.importance):
            continue
        if i.feature in S.ENGAGEMENT_COLUMNS:
            groups["engagement"] += i.importance
        elif i.feature in phrases:
            groups["phrases"] += i.importance
        elif i.feature in (S.DURATION, S.TEXT_LENGTH):
            groups["length and duration"] += i.importance
        else:
            groups["author"] += i.importance
    return groups


def _reliance_sentence(result) -> str | None:
    groups = reliance(result)
    total = sum(groups.values())
    if total <= 0:
        return None
    main, share = max(groups.items(), key=lambda kv: kv[1])
    top = [i for i in result.importances[:3] if defined(i.importance) and i.importance > 0]
    from ...features import feature_label

    what = {"engagement": "engagement counts", "phrases": "the words in the transcription",
            "length and duration": "transcription length and video duration",
            "author": "author status"}[main]
    how = ("almost entirely on" if share / total >= ALMOST_ALL else
           "mostly on" if share / total >= 0.5 else "most on")
    signals = join_words([feature_label(i.feature).lower() for i in top])
    return f"It relies {how} {what}; the strongest single signals are {signals}."


def limitations(result) -> str:
    """The model card's limitations, from the numbers."""
    t = result.test
    text = ("Relies on engagement counts, which grow after posting: early scores of a video can "
            "differ from later ones. " if reliance(result)["engagement"] >= 0.5 else "")
    text += ("Trained on one snapshot of English transcriptions; performance under drift (new "
             "topics, new phrasing, changes in how views are counted) is unknown until "
             "monitored.")
    if defined(t.recall, t.precision) and min(t.recall, t.precision) >= NEAR_PERFECT:
        text += (" Near-perfect scores partly reflect how cleanly this dataset separates claims "
                 "from opinions; expect lower scores on harder, newer data.")
    return text


# ------------------------------------------------------------------ does it beat the obvious?


def _baselines(result) -> dict:
    return {b.kind: b for b in result.baselines}


def _best(result):
    return _baselines(result).get(result.best_baseline) if result.best_baseline else None


def _champion_validation(result):
    return next(s for s in result.validation if s.model == result.champion)


def _feature_noun(feature: str) -> str:
    """"views", "transcription length", "author status", "the phrase 'media claim'"."""
    if feature in S.COUNT_COLUMNS or feature == S.TEXT_LENGTH:
        return S.noun(feature)
    from ...features import INDICATORS

    if feature in INDICATORS:
        return "author status"
    return f"the phrase '{feature}'"


def baseline_phrase(b) -> str:
    """A baseline in a sentence for a director: "a simple rule on views alone"."""
    if b.kind == "rule":
        return f"a simple rule on {_feature_noun(b.feature)} alone"
    if b.kind == "logistic":
        return "a simple scoring formula on the same features"
    return "flagging every video" if b.predicts == "claim" else "flagging no video"


def rule_words(b) -> str:
    """The rule exactly: "flag videos with at least 10,032 views" (counts are whole numbers, so
    "> 10,031.5" is "at least 10,032"); other features: "flag videos with text length above 75.5"."""
    above = b.direction == "above"
    if b.feature in S.ENGAGEMENT_COLUMNS and defined(b.threshold):
        bound = math.floor(b.threshold) + 1 if above else math.ceil(b.threshold) - 1
        return f"flag videos with {'at least' if above else 'at most'} {num(bound)} {S.noun(b.feature)}"
    from ...features import feature_label

    return (f"flag videos with {feature_label(b.feature).lower()} "
            f"{'above' if above else 'below'} {b.threshold:,.6g}")


def _per_1000(x: float) -> str:
    return f"{abs(x):.1f}" if abs(x) < 10 else f"{abs(x):,.0f}"


def margin_sentence(result) -> str:
    """The champion against the best learned baseline, same validation videos, in claims per
    1,000 (bar: the stored ``min_margin_per_1000``)."""
    best, champ = _best(result), _champion_validation(result)
    m, bar = result.margin_per_1000, result.min_margin_per_1000
    if best is None or not defined(m):
        return ("It could not be compared with simple rules: the videos set aside to choose it "
                "hold no claim.")
    where = f"On the {num(best.claims)} claims set aside to choose it"
    if m >= bar:
        return (f"{where}, it caught {pct(champ.recall, 1)}: {_per_1000(m)} more per 1,000 than "
                f"{baseline_phrase(best)} ({pct(best.recall, 1)}).")
    if m > 0:
        return (f"{where}, {baseline_phrase(best)} caught {pct(best.recall, 1)} against its "
                f"{pct(champ.recall, 1)}: only {_per_1000(m)} more per 1,000 for the model, "
                f"short of the {bar:g} that would justify it over a simpler method.")
    if m == 0:
        return (f"{where}, {baseline_phrase(best)} caught just as many as the model "
                f"({pct(best.recall, 1)}).")
    return (f"{where}, {baseline_phrase(best)} caught {pct(best.recall, 1)} against the "
            f"model's {pct(champ.recall, 1)}: {_per_1000(m)} more per 1,000 than the model.")


def _margin_reason(result) -> str:
    """The pilot headline's reason when the margin falls short."""
    best, m = _best(result), result.margin_per_1000
    if best is None or not defined(m):
        return "it could not be compared with simple rules"
    who = baseline_phrase(best)
    return (f"{who} catches just as many" if m == 0 else
            f"{who} catches nearly as many" if m > 0 else f"{who} catches more")


# ------------------------------------------------------------------ where does it fail?


def slice_words(s, result) -> str:
    """"from verified accounts", "from banned authors", "with fewer than 9,877 views"."""
    if s.level is None:  # low views: counts are whole numbers, so "< 9,876.4" is "< 9,877"
        return f"with fewer than {num(math.ceil(result.low_views_threshold))} views"
    return f"from {S.group_phrase(s.column, s.level)}"


def _worst_slice(result):
    below = [s for s in result.slices if s.below_target]
    return min(below, key=lambda s: s.recall.value) if below else None


def slice_sentence(result) -> str | None:
    """The slice with enough claims and the lowest recall below the target, if any."""
    worst = _worst_slice(result)
    if worst is None:
        return None
    others = sum(s.below_target for s in result.slices) - 1
    more = (f"; {plural(others, 'other group')} also {'falls' if others == 1 else 'fall'} short"
            if others else "")
    return (f"It catches only {pct(worst.recall.value, 1)} of the {num(worst.claims)} test claims "
            f"{slice_words(worst, result)}, below the {pct(result.target_recall, 0)} target"
            f"{more}.")


GROUP_WORDS = {"missed_claims": "Claims it missed", "caught_claims": "Claims it caught",
               "flagged_opinions": "Opinions it flagged", "passed_opinions": "Opinions it passed"}


def group_words(code: str) -> str:
    return GROUP_WORDS[code]


def slice_summary(result) -> str:
    """For analysts and the model card: the slice sentence, or that every judged group meets the
    target, and the groups too small to judge."""
    text = slice_sentence(result) or (
        f"Every group with at least {result.min_slice_claims} test claims meets the "
        f"{pct(result.target_recall, 0)} target.")
    small = [f"{slice_words(s, result)} ({num(s.claims)})" for s in result.slices
             if not s.enough_claims]
    return text + (f" Too few test claims to judge: {join_words(small)}." if small else "")


def _fewer(hi_word: str) -> str:
    return {"far more": "far fewer", "more": "fewer"}.get(hi_word, hi_word)


def error_sentence(result) -> str:
    """How many claims it misses and how the missed ones differ in views from the caught ones
    (``amount_words`` on the medians); without misses, the same for the opinions it flags."""
    g = {e.group: e for e in result.errors}
    missed, caught = g["missed_claims"], g["caught_claims"]
    flagged, passed = g["flagged_opinions"], g["passed_opinions"]
    if missed.videos and caught.videos and defined(missed.median_views, caught.median_views):
        m, c = missed.median_views, caught.median_views
        word = amount_words(max(m, c), min(m, c))
        lead = f"It misses {per_thousand(1 - result.test.recall)} claims"
        them, value = (("the one it missed drew", f"about {about(m)}") if missed.videos == 1 else
                       ("those draw", f"typically about {about(m)}"))
        if word == "about the same":
            return (f"{lead}; {them} about as many views as the claims it catches ({value}, "
                    f"against {about(c)}).")
        return (f"{lead}; {them} {word if m > c else _fewer(word)} views than the claims it "
                f"catches: {value}, against {about(c)}.")
    if missed.videos:
        return "It missed every claim in the test set."
    if flagged.videos and passed.videos and defined(flagged.median_views, passed.median_views):
        them = ("the one opinion it flagged drew about" if flagged.videos == 1 else
                f"the {num(flagged.videos)} opinions it flagged typically drew about")
        return (f"It missed no claim in the test set; {them} {about(flagged.median_views)} views, "
                f"against {about(passed.median_views)} for the opinions it passed.")
    if flagged.videos:
        return "It missed no claim in the test set, and flagged every opinion."
    return "It made no mistake on the test set: every claim was flagged and no opinion was."


def calibration_sentence(result) -> str:
    """Brier score against always predicting the claim share, and whether its probabilities
    match the observed shares (every bin with ``MIN_BIN_VIDEOS`` videos within
    ``CALIBRATED_GAP``)."""
    c = result.calibration
    if not defined(c.brier):
        return "Its probabilities could not be checked: the test set is empty."
    head = (f"Brier score {dec(c.brier, 4)} on the test set (always predicting the claim share "
            f"would score {dec(c.reference_brier, 3)})")
    read = [b for b in c.bins if b.videos >= MIN_BIN_VIDEOS]
    if not read:
        return f"{head}; no probability bin holds {MIN_BIN_VIDEOS} videos, so none is read."
    worst = max(read, key=lambda b: abs(b.mean_predicted - b.share_claims))
    gap = abs(worst.mean_predicted - worst.share_claims)
    unread = sum(b.videos for b in c.bins) - sum(b.videos for b in read)
    if gap <= CALIBRATED_GAP and not unread:
        return (f"{head}; in every bin the average predicted probability is within "
                f"{CALIBRATED_GAP * 100:.0f} points of the share of claims, so its scores can be "
                "read as chances.")
    if gap <= CALIBRATED_GAP:
        return (f"{head}; in the {plural(len(read), 'bin')} with at least {MIN_BIN_VIDEOS} videos "
                f"the average predicted probability is within {CALIBRATED_GAP * 100:.0f} points "
                f"of the share of claims; the other {plural(unread, 'video')} "
                f"{'is' if unread == 1 else 'are'} too few to check the scores in between.")
    return (f"{head}; for scores from {worst.low:.1f} to {worst.high:.1f} it predicts "
            f"{pct(worst.mean_predicted, 0)} on average but {pct(worst.share_claims, 0)} are "
            "claims, so read its scores as a ranking, not as chances.")


def flag_rate_sentence(result) -> str:
    """Flag rates by verified status beside each group's share of claims (model card)."""
    parts = []
    for s in result.slices:
        if s.column == S.VERIFIED and s.videos:
            parts.append(f"{pct(s.flag_rate.value, 0)} of videos {slice_words(s, result)} "
                         f"({pct(s.claims / s.videos, 0)} of them are claims)")
    return f"On the test set it flags {join_words(parts)}." if parts else ""


def audit_step(result) -> str:
    """The monitoring next step: a random audit of unflagged videos."""
    cm = result.test.confusion.counts
    unflagged, missed = cm[0][0] + cm[1][0], cm[1][0]
    rate = ("on the test set no unflagged video was a claim" if unflagged and not missed else
            f"on the test set {per_thousand(missed / unflagged)} unflagged videos were claims"
            if unflagged else "the test set has no unflagged video to compare with")
    return (f"Once a model is in use, have moderators review a random sample of the videos it "
            f"did not flag (for example {AUDIT_SAMPLE:,} a month): the claims found there are the "
            f"only way to measure what it misses ({rate}); retrain if recall falls below "
            f"{pct(result.target_recall, 0)}.")


# ------------------------------------------------------------------ verdict


def headline(result) -> str:
    """The verdict and its first reason."""
    name, recall = model_phrase(result.champion), pct(result.test.recall, 1)
    if result.readiness == "ready":
        return (f"The {name} catches {recall} of claims, {_per_1000(result.margin_per_1000)} more "
                "per 1,000 than simple rules: ready to order the review queue")
    if result.readiness == "not_ready":
        return (f"The {name} catches {recall} of claims, below the "
                f"{pct(result.target_recall, 0)} target: not ready yet")
    worst = _worst_slice(result)
    if worst is not None and not {"small_margin", "no_margin"} & set(result.readiness_reasons):
        return (f"Pilot only: the {name} catches {recall} of claims overall, but only "
                f"{pct(worst.recall.value, 1)} of claims {slice_words(worst, result)}")
    return f"Pilot only: the {name} catches {recall} of claims, but {_margin_reason(result)}"


def _impact(result, counts: str) -> str:
    t = result.test
    if result.readiness == "ready":
        return counts + " Moderators can work the queue from the top and meet almost every claim first."
    if result.readiness == "not_ready":
        return (counts + f" Moderators cannot rely on the order yet: {per_thousand(1 - t.recall)} "
                "claims would be missed.")
    why = []
    if {"small_margin", "no_margin"} & set(result.readiness_reasons):
        m = result.margin_per_1000
        why.append("it has not been compared with simpler methods" if not defined(m) else
                   "a much simpler method catches more claims" if m < 0 else
                   "a much simpler method does about as well and is easier to run and explain")
    worst = _worst_slice(result)
    if worst is not None:
        why.append(f"it misses more claims {slice_words(worst, result)}")
    return counts + f" Try it on part of the queue before it orders all of it: {join_words(why)}."


def _next_steps(result, name: str) -> list[str]:
    target = pct(result.target_recall, 0)
    if result.readiness == "ready":
        steps = [f"Use the {name} as decision support to order the review queue; every "
                 "enforcement decision stays with a human moderator."]
    elif result.readiness == "pilot":
        best = _best(result)
        beside = f" beside {baseline_phrase(best).replace(' alone', '')}" if best else ""
        steps = [f"Pilot the {name} on part of the queue{beside}, with a human moderator behind "
                 "every decision, and keep it only if it catches more claims there."]
        worst = _worst_slice(result)
        if worst is not None:
            steps.append(f"Review claims {slice_words(worst, result)} by hand during the pilot "
                         "and gather more of them to retrain on.")
    else:
        steps = [f"Do not use the {name} to order the queue yet: improve the features or the data "
                 f"until test recall reaches the {target} target."]
    steps.append(audit_step(result))
    steps.append("Score videos only once their engagement has been counted the same way as here."
                 if reliance(result)["engagement"] >= 0.5 else
                 "Watch for new topics and phrasing in transcriptions: the model learned today's "
                 "words.")
    return steps


# ------------------------------------------------------------------ analysts' details


def _baseline_details(result) -> str:
    parts = []
    for b in result.baselines:
        if b.kind == "rule":
            what = (f"best single-feature rule: {rule_words(b)} (training balanced accuracy "
                    f"{dec(b.train_balanced_accuracy, 4)})")
        else:
            what = (f"majority class ({b.predicts} for every video)" if b.kind == "majority" else
                    "logistic regression on the same standardised features")
        parts.append(f"{what}: recall {dec(b.recall, 4)}, precision {dec(b.precision, 4)}, "
                     f"flags {pct(b.flag_rate, 1)}")
    best = _best(result)
    bar = (f"The bar is the {dict(rule='rule', logistic='logistic regression')[best.kind]} "
           f"(highest validation recall among the learned baselines); margin "
           f"{dec(result.margin_per_1000, 1)} claims per 1,000" if best else
           "No learned baseline has a recall; margin not defined")
    return (f"Baselines, learned on the training rows and scored on the validation set: "
            f"{'; '.join(parts)}. {bar}.")


def _slice_details(result) -> str:
    parts = [f"claims {slice_words(s, result)} {dec(s.recall.value, 3)} ({dec(s.recall.low, 3)} to "
             f"{dec(s.recall.high, 3)}, {plural(s.claims, 'claim')}; flags "
             f"{pct(s.flag_rate.value, 1)} of {num(s.videos)})" for s in result.slices]
    return (f"Test recall by group (95% Wilson CI): {'; '.join(parts)}. Groups with fewer than "
            f"{result.min_slice_claims} claims are not judged against the target.")


VERDICT_WORDS = {"ready": "ready", "pilot": "pilot", "not_ready": "not ready"}
REASON_WORDS = {
    "target_missed": "test recall below the target",
    "small_margin": "margin over the best baseline below {bar:g} claims per 1,000",
    "no_margin": "no baseline recall to compare with",
    "slice_below_target": "a group with at least {claims} claims below the target",
}


def readiness_details(result) -> str:
    """The verdict, its reasons and the rule, for analysts and the model card."""
    why = [REASON_WORDS[r].format(bar=result.min_margin_per_1000, claims=result.min_slice_claims)
           for r in result.readiness_reasons]
    return (f"Readiness: {VERDICT_WORDS[result.readiness]}"
            f"{' (' + '; '.join(why) + ')' if why else ''}. Ready needs test recall of at least "
            f"{result.target_recall:g}, at least {result.min_margin_per_1000:g} more claims per "
            f"1,000 than the best baseline on validation, and the target met in every group "
            f"with at least {result.min_slice_claims} test claims; pilot when the target is "
            "met but the margin or a group falls short; not ready when the target is missed.")


def _details(result) -> list[str]:
    t = result.test
    rc, pc = result.test_recall_ci, result.test_precision_ci
    chosen = next(s for s in result.searches if s.model == result.champion)
    out = [readiness_details(result),
           "; ".join(f"{s.name}: validation recall {dec(s.recall, 3)}, precision "
                     f"{dec(s.precision, 3)}" for s in result.validation)
           + f". The {model_phrase(result.champion)} was chosen because "
           f"{reason_words(result.champion_reason)}.",
           _baseline_details(result),
           f"Test recall {dec(t.recall, 4)} (95% Wilson CI {dec(rc.low, 4)} to {dec(rc.high, 4)}), "
           f"precision {dec(t.precision, 4)} (CI {dec(pc.low, 4)} to {dec(pc.high, 4)}), F1 "
           f"{dec(t.f1, 4)}, ROC AUC {dec(t.roc_auc, 4)}.",
           _slice_details(result) + " " + slice_summary(result),
           calibration_sentence(result),
           f"Cross-validated recall of the chosen settings: {dec(chosen.cv_recall_mean, 3)} ± "
           f"{dec(chosen.cv_recall_std, 3)} across folds; {search_words(chosen.method)}, "
           f"{plural(chosen.candidates, 'candidate setting')}."]
    if result.threshold_for_target is not None:
        out.append(f"Validation recall stays at or above {result.target_recall:g} for decision "
                   f"thresholds up to {result.threshold_for_target:.2f} (every 0.01 from 0.01 to "
                   "0.99 was checked; that row is in the threshold table); the report uses 0.5.")
    else:
        out.append(f"No decision threshold from 0.01 to 0.99 (every 0.01) keeps validation "
                   f"recall at or above {result.target_recall:g}.")
    top_perm = max((i.permutation_mean for i in result.importances
                    if defined(i.permutation_mean)), default=None)
    if top_perm is not None and top_perm < PERMUTATION_SMALL:
        out.append(f"Shuffling any single feature changes validation recall by at most "
                   f"{dec(top_perm, 3)}: the features carry overlapping information, so losing "
                   "one leaves the others.")
    if result.protocol == "course":
        out.append("Course protocol: the exemplar's unstratified split is reproduced so its "
                   "figures can be checked.")
    return out


def executive(bundle) -> Executive:
    result = bundle.results["modeling"]
    t = result.test
    name = model_phrase(result.champion)
    cm = t.confusion.counts
    claims, opinions = sum(cm[1]), sum(cm[0])
    missed, false_flags = cm[1][0], cm[0][1]
    counts = (f"Of {num(claims)} claims in the test set it missed {num(missed)} and sent "
              f"{plural(false_flags, 'opinion')} of {num(opinions)} to review by mistake.")
    insights = [margin_sentence(result)]
    if defined(t.precision):
        insights.append(f"{pct(t.precision, 1)} of the videos it flags are claims, so little "
                        "moderator time goes to opinions." if t.precision >= 0.9 else
                        f"Only {pct(t.precision, 0)} of the videos it flags are claims, so "
                        "moderators would spend much of their time on opinions.")
    insights.append(error_sentence(result))
    insights += [s for s in (slice_sentence(result), _reliance_sentence(result)) if s]
    near = defined(t.recall, t.precision) and min(t.recall, t.precision) >= NEAR_PERFECT
    caveat = ("Scores this high partly reflect how cleanly these data separate claims from "
              "opinions; recall must be checked on new, human-reviewed videos before relying on "
              "it." if near else
              "Scores come from one snapshot of data; recall must be checked on new, "
              "human-reviewed videos.")
    m = result.margin_per_1000
    return Executive(
        headline=headline(result),
        issue=("Moderators face a backlog of user reports. A model that flags videos making claims "
               "lets them review those first. Missing a claim costs more than reviewing an "
               "opinion, so the models were tuned and chosen to catch as many claims as "
               "possible, while watching that they do not flag everything."),
        response=("We built features from each video's engagement, author and words, tuned two "
                  "kinds of model to catch as many claims as possible, picked the better one on "
                  f"{num(result.n_validation)} videos set aside for that, checked it against "
                  f"simple rules on the same videos, and tested it once on {num(result.n_test)} "
                  "videos it had never seen."),
        impact=_impact(result, counts),
        insights=insights,
        next_steps=_next_steps(result, name),
        caveat=caveat,
        tiles=[Tile(pct(t.recall, 1), "of test claims caught"),
               Tile(pct(t.precision, 1), "of flagged videos are claims"),
               Tile(num(missed), f"{'claim' if missed == 1 else 'claims'} missed of {num(claims)}"),
               Tile(f"{'+' if defined(m) and m > 0 else '−' if defined(m) and m < 0 else ''}"
                    f"{_per_1000(m) if defined(m) else '—'}",
                    "claims per 1,000 gained over the best simple method")],
        details=_details(result),
    )
