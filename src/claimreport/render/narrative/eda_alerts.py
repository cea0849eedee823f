"""Data alerts of the EDA report in words: the stage fires them, these rules only word them.

Why a module of its own: each alert (a column that separates claims from opinions, measures
spread evenly between hard limits, repeated transcriptions, heavy missingness) is a code with its
numbers, fired by the stage with thresholds in :mod:`claimreport.stats.alerts`; turning each code
into a sentence for page 1, and its numbers into a line for the analysts, is a family of rules of
its own beside the class comparisons of :mod:`.eda`, which re-exports the public names so
templates reach them as ``words.<name>``.
"""

from __future__ import annotations

from ...data import schema as S
from .words import about, dec, defined, join_words, num, pct, plural

__all__ = ["alert_sentences", "separation_sentence", "uniform_sentence", "duplicates_sentence",
           "missingness_sentence", "alert_lines", "separating_engagement", "ALERT_NAMES",
           "PROVENANCE_ALERTS"]

#: every alert code in words, for the analysts' list of fired alerts (never the raw code)
ALERT_NAMES = {
    "separating_column": "One column tells claims from opinions almost perfectly",
    "near_uniform": "Measures spread evenly between hard limits",
    "duplicate_transcriptions": "Transcriptions repeated word for word",
    "heavy_missingness": "Many videos miss a value",
}
#: alerts about how the data were collected or produced: page 1 leads with them
PROVENANCE_ALERTS = ("separating_column", "near_uniform")


def _other(cls: str) -> str:
    """The other class ("claim" for "opinion"); :mod:`.eda` uses it too."""
    return "opinion" if cls == "claim" else "claim"


def _alert(result, code: str):
    return next((a for a in result.alerts if a.code == code), None)


def _share_words(x: float) -> str:
    """Recall in words: 1.0 → "all"; 0.996 → "over 99%"; 0.914 → "91%"."""
    if not defined(x):
        return "an undefined share"
    if x >= 1:
        return "all"
    return "over 99%" if x >= 0.995 else pct(x, 0)


def _unit(column: str) -> str:
    """"seconds", "characters", "views"."""
    return {S.DURATION: "seconds", S.TEXT_LENGTH: "characters"}.get(column, S.noun(column))


def _of(share: float, cls: str) -> str:
    """"all opinions", "over 99% of claims"."""
    words = _share_words(share)
    return f"all {cls}s" if words == "all" else f"{words} of {cls}s"


def separation_sentence(result) -> str | None:
    """Rule ``separating_column``: the column whose one-column rule separates the classes best."""
    alert = _alert(result, "separating_column")
    if alert is None:
        return None
    best = max((x for x in result.separation if x.column in alert.columns),
               key=lambda x: x.balanced_accuracy)
    others = [c for c in alert.columns if c != best.column]
    also = f" ({join_words([S.noun(c) for c in others])} nearly as well)" if others else ""
    if best.kind == "threshold":
        upper = best.upper_class
        r_up, r_low = ((best.recall_claim, best.recall_opinion) if upper == "claim"
                       else (best.recall_opinion, best.recall_claim))
        how = (f"{_of(r_up, upper)} have more than about {about(best.threshold)} "
               f"{_unit(best.column)} and {_of(r_low, _other(upper))} have no more")
    else:
        names = best.claim_levels or ["no level"]
        levels = " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        how = (f"{_of(best.recall_claim, 'claim')} have {S.noun(best.column)} {levels} and "
               f"{_of(best.recall_opinion, 'opinion')} do not")
    return (f"Data alert: one column, {S.noun(best.column)}, tells claims from opinions almost "
            f"perfectly{also}: {how}. A model will find this easy; check how the data were "
            "collected.")


def _range(u) -> str:
    return f"{about(u.minimum)} to {about(u.maximum)}"


def uniform_sentence(result) -> str | None:
    """Rule ``near_uniform``: measures spread evenly between hard limits within a class."""
    alert = _alert(result, "near_uniform")
    if alert is None:
        return None
    parts = []
    for col in alert.columns:
        flat = [u for u in result.uniformity if u.column == col and u.near_uniform]
        unit = f" {_unit(col)}" if col in (S.DURATION, S.TEXT_LENGTH) else ""
        if len({_range(u) for u in flat}) == 1 and len(flat) > 1:  # alike once rounded
            parts.append(f"{S.noun(col)} from {_range(flat[0])}{unit} for claims and opinions "
                         "alike")
        else:
            parts.append(f"{S.noun(col)} " + " and ".join(
                f"from {_range(u)}{unit} for {u.claim_status}s" for u in flat))
    return ("Data alert: within a kind of video, some measures are spread almost evenly "
            f"between hard limits ({'; '.join(parts)}). Real measurements thin out towards "
            "their extremes; flat ones with sharp edges are typical of generated data, so check "
            "how the data were produced.")


def duplicates_sentence(result) -> str | None:
    """Rule ``duplicate_transcriptions``: rows that repeat another row's transcription."""
    if _alert(result, "duplicate_transcriptions") is None:
        return None
    k = result.duplicate_transcriptions
    conflict = result.duplicate_transcription_conflicts
    tail = (f" {plural(conflict, 'repeated text')} "
            f"{'carries' if conflict == 1 else 'carry'} different claim statuses."
            if conflict else "")
    return (f"Data alert: {plural(k, 'video')} repeat{'s' if k == 1 else ''} another video's "
            "transcription word for word; a model trained on one copy and tested on the other "
            f"looks better than it is.{tail}")


def missingness_sentence(result) -> str | None:
    """Rule ``heavy_missingness``: many rows miss at least one value."""
    if _alert(result, "heavy_missingness") is None:
        return None
    patterns = result.inventory.missing_patterns
    common = (f", most often {join_words([S.noun(c) for c in patterns[0].columns])} together"
              if patterns else "")
    return (f"Data alert: {pct(result.rows_with_missing_share, 0)} of videos miss at least one "
            f"value{common}; find out why before setting them aside.")


def alert_sentences(result) -> list[str]:
    """Every fired alert in words, in the stage's order (the one that matters most first)."""
    rules = {"separating_column": separation_sentence, "near_uniform": uniform_sentence,
             "duplicate_transcriptions": duplicates_sentence,
             "heavy_missingness": missingness_sentence}
    return [s for a in result.alerts if (s := rules[a.code](result))]


def _alert_details(result) -> list[str]:
    """The numbers behind each data-alert rule, fired or not, for the analysts."""
    seps = sorted((x for x in result.separation if defined(x.balanced_accuracy)),
                  key=lambda x: -x.balanced_accuracy)[:4]
    flat = [u for u in result.uniformity if u.near_uniform]
    out = ["Best single-column rule, balanced accuracy: " + ", ".join(
        f"{S.noun(x.column)} {dec(x.balanced_accuracy, 4)}" for x in seps) + "."] if seps else []
    if flat:
        out.append("Near-uniform with hard bounds (Kolmogorov-Smirnov distance D to the uniform "
                   "on the class's [min, max]): " + ", ".join(
                       f"{S.noun(u.column)} within {u.claim_status}s D = {dec(u.ks_distance, 4)} "
                       f"on [{num(u.minimum)}, {num(u.maximum)}]" for u in flat) + ".")
    out.append(f"Repeated transcriptions: {num(result.duplicate_transcriptions)} rows repeat an "
               f"earlier row's text; {num(result.duplicate_transcription_conflicts)} repeated "
               f"texts carry different claim statuses. Rows with a missing value: "
               f"{pct(result.rows_with_missing_share)}.")
    return out


def _alert_statistic(a) -> str:
    """What an alert's value and threshold measure, in words with both numbers."""
    if a.code == "separating_column":
        return (f"balanced accuracy of the best one-column rule {dec(a.value, 3)} (fires from "
                f"{dec(a.threshold, 2)})")
    if a.code == "near_uniform":
        return (f"smallest Kolmogorov-Smirnov distance to an even spread {dec(a.value, 3)} "
                f"(fires below {dec(a.threshold, 2)})")
    if a.code == "duplicate_transcriptions":
        return f"{num(a.value)} repeated rows (fires from {num(a.threshold)})"
    if a.code == "heavy_missingness":
        return f"{pct(a.value)} of rows miss a value (fires above {pct(a.threshold, 0)})"
    return f"statistic {dec(a.value, 3)}, threshold {dec(a.threshold, 3)}"


def alert_lines(result) -> list[str]:
    """The fired alerts for the analysts, in words: what fired, on which columns, and the
    statistic against its threshold."""
    return [f"{ALERT_NAMES.get(a.code, a.code.replace('_', ' ').capitalize())}: "
            f"{join_words([S.short(c) for c in a.columns])}; {_alert_statistic(a)}."
            for a in result.alerts]


def separating_engagement(result) -> str | None:
    """The engagement column that best tells claims from opinions when ``separating_column``
    fired on one (None otherwise): the EDA's impact then says the signal is suspiciously clean."""
    alert = _alert(result, "separating_column")
    if alert is None:
        return None
    best = max((x for x in result.separation if x.column in alert.columns),
               key=lambda x: x.balanced_accuracy)
    return best.column if best.column in S.ENGAGEMENT_COLUMNS else None
