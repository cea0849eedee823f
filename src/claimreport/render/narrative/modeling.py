"""Rules for the modeling report: does the claim classifier catch enough claims to be used?

"ready" is said only when the chosen model's recall on the test set meets the configured target
(:func:`readiness`); "near-perfect" only when test recall and precision both reach
``NEAR_PERFECT``. What the model relies on is the share of importance by feature group.
"""

from __future__ import annotations

from ...data import schema as S
from . import Executive, Tile
from .words import about, dec, defined, join_words, num, pct, per_thousand, plural

__all__ = ["title", "executive", "readiness", "reason_words", "importance_words",
           "reliance", "limitations", "NEAR_PERFECT", "PERMUTATION_SMALL"]

#: share of importance from which a model relies "almost entirely" on one group of features
ALMOST_ALL = 0.9
#: test recall and precision at or above this are "near-perfect"
NEAR_PERFECT = 0.99
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
    """``ready`` when test recall meets the target recall, else ``not_ready``."""
    recall = result.test.recall
    return "ready" if defined(recall) and recall >= result.target_recall else "not_ready"


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


def _missed_per_thousand(recall: float) -> str:
    if not defined(recall):
        return "Its recall on the test set is not defined."
    miss = 1000 * (1 - recall)
    if miss < 1:
        return "It would miss fewer than 1 in every 1,000 claims."
    return f"Of every 1,000 claims it would miss about {miss:.0f}."


def _details(result) -> list[str]:
    t = result.test
    rc, pc = result.test_recall_ci, result.test_precision_ci
    chosen = next(s for s in result.searches if s.model == result.champion)
    out = ["; ".join(f"{s.name}: validation recall {dec(s.recall, 3)}, precision "
                     f"{dec(s.precision, 3)}" for s in result.validation)
           + f". The {model_phrase(result.champion)} was chosen because "
           f"{reason_words(result.champion_reason)}.",
           f"Test recall {dec(t.recall, 4)} (95% Wilson CI {dec(rc.low, 4)} to {dec(rc.high, 4)}), "
           f"precision {dec(t.precision, 4)} (CI {dec(pc.low, 4)} to {dec(pc.high, 4)}), F1 "
           f"{dec(t.f1, 4)}, ROC AUC {dec(t.roc_auc, 4)}.",
           f"Cross-validated recall of the chosen settings: {dec(chosen.cv_recall_mean, 3)} ± "
           f"{dec(chosen.cv_recall_std, 3)} across folds; {search_words(chosen.method)}, "
           f"{plural(chosen.candidates, 'candidate setting')}."]
    if result.threshold_for_target is not None:
        out.append(f"Validation recall stays at or above {result.target_recall:g} for decision "
                   f"thresholds up to {result.threshold_for_target:.2f}; the report uses 0.5.")
    else:
        out.append(f"No decision threshold keeps validation recall at or above "
                   f"{result.target_recall:g}.")
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
    ready = readiness(result) == "ready"
    target = pct(result.target_recall, 0)
    headline = (f"The {name} catches {pct(t.recall, 1)} of claims: ready to order the review "
                "queue" if ready else
                f"The {name} catches {pct(t.recall, 1)} of claims, below the {target} target: "
                "not ready yet")
    counts = (f"Of {num(claims)} claims in the test set it missed {num(missed)} and sent "
              f"{plural(false_flags, 'opinion')} of {num(opinions)} to review by mistake.")
    impact = (counts + " Moderators can work the queue from the top and meet almost every claim "
              "first." if ready else
              counts + f" Moderators cannot rely on the order yet: {per_thousand(1 - t.recall)} "
              "claims would be missed.")
    insights = [_missed_per_thousand(t.recall)]
    if defined(t.precision):
        insights.append(f"{pct(t.precision, 1)} of the videos it flags are claims, so little "
                        "moderator time goes to opinions." if t.precision >= 0.9 else
                        f"Only {pct(t.precision, 0)} of the videos it flags are claims, so "
                        "moderators would spend much of their time on opinions.")
    reliance_sentence = _reliance_sentence(result)
    if reliance_sentence:
        insights.append(reliance_sentence)
    others = [s for s in result.validation if s.model != result.champion]
    if others:
        insights.append(f"A second kind of model (an {model_phrase(others[0].model)}) was tried; "
                        f"the {name} was chosen because {reason_words(result.champion_reason)}."
                        if others[0].model == "xgboost" else
                        f"A second kind of model (a {model_phrase(others[0].model)}) was tried; "
                        f"the {name} was chosen because {reason_words(result.champion_reason)}.")
    near = defined(t.recall, t.precision) and min(t.recall, t.precision) >= NEAR_PERFECT
    caveat = ("Scores this high partly reflect how cleanly these data separate claims from "
              "opinions; recall must be checked on new, human-reviewed videos before relying on "
              "it." if near else
              "Scores come from one snapshot of data; recall must be checked on new, "
              "human-reviewed videos.")
    next_steps = ([f"Use the {name} as decision support to order the review queue; every "
                   "enforcement decision stays with a human moderator."] if ready else
                  [f"Do not use the {name} to order the queue yet: improve the features or the "
                   f"data until test recall reaches the {target} target."])
    next_steps += [
        f"Check recall regularly on a sample of human-reviewed videos and retrain if it falls "
        f"below {target}.",
        "Score videos only once their engagement has been counted the same way as here."
        if reliance(result)["engagement"] >= 0.5 else
        "Watch for new topics and phrasing in transcriptions: the model learned today's words.",
    ]
    return Executive(
        headline=headline,
        issue=("Moderators face a backlog of user reports. A model that flags videos making claims "
               "lets them review those first. Missing a claim costs more than reviewing an "
               "opinion, so the models were tuned and chosen to catch as many claims as "
               "possible, while watching that they do not flag everything."),
        response=("We built features from each video's engagement, author and words, tuned two "
                  "kinds of model to catch as many claims as possible, picked the better one on "
                  f"{num(result.n_validation)} videos set aside for that, and tested it once on "
                  f"{num(result.n_test)} videos it had never seen."),
        impact=impact,
        insights=insights,
        next_steps=next_steps,
        caveat=caveat,
        tiles=[Tile(pct(t.recall, 1), "of test claims caught"),
               Tile(pct(t.precision, 1), "of flagged videos are claims"),
               Tile(num(missed), f"{'claim' if missed == 1 else 'claims'} missed of {num(claims)}"),
               Tile(about(result.n_test), "test videos, never seen in training")],
        details=_details(result),
    )
