"""Does the claim classifier beat the obvious, where does it fail, and are its scores chances?

Why a module of its own: these are the reviewing statistician's checks of the modeling report
(STYLE §12), each a rule over the stored baselines, slices, error groups and reliability bins,
and they are said in three places: page 1, the analysts' pages and the model card. Keeping them
apart from the headline and the executive page (:mod:`.modeling`) lets each be read, and tested,
beside its thresholds. :mod:`.modeling` re-exports every public name, so templates reach them as
``words.<name>``.
"""

from __future__ import annotations

import math

from ...data import schema as S
from .words import about, amount_words, dec, defined, join_words, num, pct, per_thousand, plural

__all__ = ["baseline_phrase", "rule_words", "margin_sentence", "slice_words", "slice_sentence",
           "group_words", "slice_summary", "error_sentence", "calibration_sentence",
           "readiness_details", "MIN_BIN_VIDEOS", "CALIBRATED_GAP"]

#: reliability bins with fewer videos than this are not read (their share of claims is noise)
MIN_BIN_VIDEOS = 30
#: predicted probability within this of the observed share of claims in every read bin:
#: "its scores can be read as chances"
CALIBRATED_GAP = 0.1


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
