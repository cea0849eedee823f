"""What the claim classifier relies on, its limitations, and how to watch it in use.

Why a module of its own: the model card (``partials/model_card.html.j2``) states these beside
the checks of :mod:`.modeling_checks`, and page 1 borrows two of them (what the model relies on,
the monitoring step). They are rules over the feature importances, the test metrics and the
slices, with their thresholds here. :mod:`.modeling` re-exports every public name, so templates
reach them as ``words.<name>``.
"""

from __future__ import annotations

from ...data import schema as S
from .modeling_checks import slice_words
from .words import defined, join_words, pct, per_thousand

__all__ = ["reliance", "limitations", "flag_rate_sentence", "audit_step", "NEAR_PERFECT",
           "AUDIT_SAMPLE"]

#: share of importance from which a model relies "almost entirely" on one group of features
ALMOST_ALL = 0.9
#: test recall and precision at or above this are "near-perfect"
NEAR_PERFECT = 0.99
#: unflagged videos a month the monitoring step suggests auditing
AUDIT_SAMPLE = 1000


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
