"""Rules for the modeling report: does the claim classifier beat the obvious, where does it
fail, and can it be used?

The verdict (``ready`` / ``pilot`` / ``not_ready``) is computed with the result
(:mod:`claimreport.stats.readiness`) and only worded here: "ready" is said only for ``ready``,
"not ready" only for ``not_ready``, and a pilot names its reason. "Near-perfect" is said only when
test recall and precision both reach ``NEAR_PERFECT``. What the model relies on is the share of
importance by feature group.

This module holds the title, the headline and the executive page; the checks behind them
(baselines, slices, errors, calibration, readiness) are in :mod:`.modeling_checks` and the model
card's sentences in :mod:`.modeling_card`. Their public names are re-exported here, because the
templates reach every rule of the stage as ``words.<name>``.
"""

from __future__ import annotations

from . import Executive, Tile
from .modeling_card import (
    AUDIT_SAMPLE,
    NEAR_PERFECT,
    _reliance_sentence,
    audit_step,
    flag_rate_sentence,
    limitations,
    reliance,
)
from .modeling_checks import (
    CALIBRATED_GAP,
    MIN_BIN_VIDEOS,
    _baseline_details,
    _best,
    _margin_reason,
    _per_1000,
    _slice_details,
    _worst_slice,
    baseline_phrase,
    calibration_sentence,
    error_sentence,
    group_words,
    margin_sentence,
    readiness_details,
    rule_words,
    slice_sentence,
    slice_summary,
    slice_words,
)
from .words import dec, defined, fit_sample_note, join_words, num, pct, per_thousand, plural

__all__ = ["title", "executive", "readiness", "reason_words", "importance_words",
           "reliance", "limitations", "headline", "margin_sentence", "error_sentence",
           "slice_sentence", "slice_summary", "calibration_sentence", "readiness_details",
           "flag_rate_sentence", "audit_step", "group_words", "search_words", "tuning_sentence",
           "baseline_phrase", "rule_words", "slice_words", "NEAR_PERFECT", "PERMUTATION_SMALL",
           "MIN_BIN_VIDEOS", "CALIBRATED_GAP", "AUDIT_SAMPLE"]

#: the largest drop in validation recall when one feature is shuffled, below which "no single
#: feature matters on its own"
PERMUTATION_SMALL = 0.01

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


SEARCH_WORDS = {"halving_sizes": "successive halving over the course grid, ensembles grown "
                                 "size by size",
                "halving_random": "successive halving over random candidates",
                "full_grid": "the exemplar's full grid",
                "stored": "stored settings refitted without a search"}
TUNING_REASONS = {
    "first_build": "no settings were stored yet",
    "requested": "a new search was asked for (--retune)",
    "expired": "the stored settings were older than modeling.retune_after_days",
    "settings_changed": "the search settings changed since they were stored",
    "refit_missed_target": "the stored settings, refitted on these data, missed the recall "
                           "target on validation",
}


def search_words(code: str) -> str:
    return SEARCH_WORDS[code]


def tuning_sentence(result) -> str:
    """When and on which data the hyper-parameters in use were tuned, and what this build did."""
    t = result.tuning
    when = f"{t.tuned_at} on {t.data_name} (sha256 {t.data_sha256[:12]})"
    if t.source == "stored":
        return (f"The hyper-parameters were tuned on {when} and refitted on these data without a "
                "new search; they are searched again when older than the configured number of "
                "days, on request (--retune), or when a refit misses the recall target.")
    return f"The hyper-parameters were searched in this build ({when}), because " \
        f"{TUNING_REASONS[t.reason]}."


def reason_words(code: str) -> str:
    return REASONS[code]


def importance_words(kind: str) -> str:
    return IMPORTANCE_WORDS[kind]



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
           f"{plural(chosen.candidates, 'candidate setting')}.",
           tuning_sentence(result)]
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
        data_notes=[n for n in (fit_sample_note(result.sample),) if n],
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
