"""Rules for the EDA report: what the data hold, what a reviewer would flag first, and how
claims and opinions differ.

Direction and magnitude come from the class medians (views, transcription length) with the
thresholds of :mod:`.words`; a comparison is only stated when both classes are present. Data
alerts are fired by the stage (codes with their numbers, thresholds in
:mod:`claimreport.stats.alerts`); the rules here only word them. A pooled correlation of at least
``POOLED_STRONG_R`` that is at most ``WITHIN_WEAK_R`` within both claims and opinions is said
to come from the difference between the classes.

The alert wording is in :mod:`.eda_alerts` and the class-driven correlation rule in
:mod:`.eda_correlations`; their public names are re-exported here, because the templates reach
every rule of the stage as ``words.<name>``.
"""

from __future__ import annotations

from ...data import schema as S
from ...stats.alerts import (  # the alert rules' thresholds, shown on the analysts' pages
    EDGE_BAND,
    EDGE_FILL_MIN,
    MISSING_ROWS_MAX,
    SEPARATION_MIN,
    UNIFORM_KS_MAX,
    UNIFORM_MIN_ROWS,
)
from . import Executive, Tile
from .eda_alerts import (
    ALERT_NAMES,
    PROVENANCE_ALERTS,
    _alert_details,
    _other,
    alert_lines,
    alert_sentences,
    duplicates_sentence,
    missingness_sentence,
    separating_engagement,
    separation_sentence,
    uniform_sentence,
)
from .eda_correlations import (
    POOLED_STRONG_R,
    WITHIN_WEAK_R,
    class_driven_pairs,
    class_driven_sentence,
    within_class_r,
)
from .words import (
    EVEN_GAP,
    SKEWED,
    STRONG_R,
    about,
    amount_words,
    dec,
    defined,
    distinct_digits,
    join_words,
    num,
    pct,
    plural,
    ratio_words,
    sample_note,
    share_phrase,
    strength_word,
    times,
)

__all__ = ["title", "executive", "views_leader", "balance_title", "views_title",
           "correlation_title", "text_length_title", "alert_sentences", "separation_sentence",
           "uniform_sentence", "duplicates_sentence", "missingness_sentence", "alert_lines",
           "ALERT_NAMES", "PROVENANCE_ALERTS",
           "class_driven_pairs", "class_driven_sentence", "within_class_r", "LONGER_MIN",
           "POOLED_STRONG_R", "WITHIN_WEAK_R", "EDGE_BAND", "EDGE_FILL_MIN", "MISSING_ROWS_MAX",
           "SEPARATION_MIN", "UNIFORM_KS_MAX", "UNIFORM_MIN_ROWS"]

#: relative difference of median transcription lengths from which one class is "longer"
LONGER_MIN = 0.05


def title(result) -> str:
    return "Exploratory data analysis"


# ------------------------------------------------------------------ comparisons (rules)

def _both_classes(kf) -> bool:
    return bool(kf["n_claim"]) and bool(kf["n_opinion"])


def views_leader(kf) -> tuple[str, str] | None:
    """``(leader, words)``: the class with more median views and "far more"/"more"/"about the
    same". None with one class only or undefined medians."""
    c, o = kf["median_views_claim"], kf["median_views_opinion"]
    if not _both_classes(kf) or not defined(c, o):
        return None
    leader = "claim" if c >= o else "opinion"
    return leader, amount_words(max(c, o), min(c, o))


def _one_class(kf) -> str | None:
    """Claims only or opinions only: comparisons are not possible."""
    if _both_classes(kf):
        return None
    present, absent = ("claims", "opinions") if kf["n_claim"] else ("opinions", "claims")
    return f"Every labelled video is one of the {present}; there are no {absent}"


def views_title(result) -> str:
    kf = result.key_figures
    lead = views_leader(kf)
    if lead is None:
        return "Views per video by claim status"
    leader, words = lead
    if words == "about the same":
        return "Claim and opinion videos get about the same views"
    return f"{leader.capitalize()} videos get {words} views than {_other(leader)} videos"


def balance_title(result) -> str:
    kf = result.key_figures
    if not _both_classes(kf):
        return f"Only {'claims' if kf['n_claim'] else 'opinions'} are labelled"
    gap = kf["share_claim"] - kf["share_opinion"]
    if abs(gap) < EVEN_GAP:
        return "Claims and opinions are almost evenly balanced"
    return "Claims outnumber opinions" if gap > 0 else "Opinions outnumber claims"


def _strongest(result):
    pairs = [p for p in result.strongest_correlations if defined(p.pearson)]
    return pairs[0] if pairs else None


def correlation_title(result) -> str:
    top = _strongest(result)
    if top is None:
        return "Correlation between measures"
    if abs(top.pearson) >= STRONG_R:
        both_engagement = top.a in S.ENGAGEMENT_COLUMNS and top.b in S.ENGAGEMENT_COLUMNS
        return ("Engagement counts move together" if both_engagement and top.pearson > 0 else
                f"{S.short(top.a)} and {S.short(top.b).lower()} move together")
    return "No pair of measures moves strongly together"


def _length_words(kf) -> tuple[str, float, float] | None:
    c, o = kf["median_text_length_claim"], kf["median_text_length_opinion"]
    if not _both_classes(kf) or not defined(c, o) or max(c, o) <= 0:
        return None
    if abs(c - o) / max(c, o) < LONGER_MIN:
        return "about as long as", c, o
    return ("longer than" if c > o else "shorter than"), c, o


def text_length_title(result) -> str:
    words = _length_words(result.key_figures)
    if words is None:
        return "Transcription length by claim status"
    return f"Claim transcriptions are {words[0]} opinions"


# ------------------------------------------------------------------ sentences

def _typical_views(kf) -> str | None:
    lead = views_leader(kf)
    if lead is None:
        return None
    c, o = kf["median_views_claim"], kf["median_views_opinion"]
    leader, words = lead
    if words == "about the same":
        return (f"A typical claim video has about {about(c)} views and a typical opinion video "
                f"about {about(o)}: about the same.")
    hi, lo = (c, o) if leader == "claim" else (o, c)
    return (f"A typical {leader} video has about {about(hi)} views, {ratio_words(hi, lo)} the "
            f"{about(lo)} of a typical {_other(leader)} video.")


def _impact(kf, separating: str | None = None) -> str:
    """Page 1's impact: the typical views of each class and what they mean for the classifier;
    *separating* is the engagement column that alone tells the classes apart almost perfectly
    (``separating_column`` alert), when there is one: the signal is then called suspiciously
    clean rather than strong."""
    one = _one_class(kf)
    if one:
        return (f"{one}, so the data cannot show how the two differ; collect labelled "
                f"{'opinions' if kf['n_claim'] else 'claims'} before building a classifier.")
    typical = _typical_views(kf)
    lead = views_leader(kf)
    if typical is None or lead is None:
        return "Views are not available for both classes, so engagement cannot be compared."
    words = lead[1]
    if separating is not None:
        return (typical + f" {S.noun(separating).capitalize()} alone tell claims from opinions "
                "almost perfectly, more cleanly than real data usually allow: check how the data "
                "were collected before relying on engagement (see the data alerts).")
    if words == "far more":
        return typical + " Engagement is therefore a strong signal for telling claims from opinions."
    if words == "more":
        return (typical + " Engagement differs between the two, but not enough on its own to "
                "tell them apart.")
    return (typical + " Engagement alone will not tell claims from opinions; the words used and "
            "author status must carry the classifier.")


def _headline(kf) -> str:
    one = _one_class(kf)
    if one:
        return one
    lead = views_leader(kf)
    if lead is None:
        return "Claims and opinions cannot be compared on views"
    leader, words = lead
    if words == "about the same":
        return "Claim and opinion videos draw about the same number of views"
    return f"{leader.capitalize()} videos draw {words} views than {_other(leader)} videos"


def _banned_sentence(kf) -> str | None:
    c, o = kf["share_banned_claim"], kf["share_banned_opinion"]
    if not _both_classes(kf) or not defined(c, o) or not (c or o):
        return None
    hi, lo, cls = (c, o, "claim") if c >= o else (o, c, "opinion")
    words = amount_words(hi, lo)
    if words == "about the same":
        return (f"Banned authors are about as common among claim videos ({pct(c)}) as among "
                f"opinion videos ({pct(o)}).")
    tail = f", {times(hi / lo)} as often" if lo > 0 and words == "far more" else ""
    return (f"{pct(hi)} of {cls} videos come from banned authors, against {pct(lo)} of "
            f"{_other(cls)} videos{tail}.")


def _together_sentence(result) -> str | None:
    top = _strongest(result)
    if top is None or abs(top.pearson) < STRONG_R:
        return None
    if any({a, b} == {top.a, top.b} for a, b, *_ in class_driven_pairs(result)):
        return None  # the class-driven rule says what this pair means
    a, b = S.noun(top.a), S.noun(top.b)
    if top.pearson > 0:
        return (f"Videos with more {a} also have more {b}: the counts rise and fall together, so "
                "a model should not treat them as independent pieces of evidence.")
    return f"Videos with more {a} have fewer {b}."


def _skew_sentence(result) -> str | None:
    skew = result.skewness.get(S.VIEWS)
    if not defined(skew) or skew <= SKEWED:
        return None
    return ("A few videos get far more views than the rest, so a typical (median) video "
            "describes the data better than the average.")


def _length_sentence(kf) -> str | None:
    words = _length_words(kf)
    if words is None:
        return None
    relation, c, o = words
    return (f"Claim transcriptions are {relation} opinion transcriptions (typically {num(c)} "
            f"against {num(o)} characters).")


def _missing_note(result) -> str | None:
    kf, inv = result.key_figures, result.inventory
    missing = kf["rows_missing_claim_status"]
    if not missing:
        return None
    together = [p for p in inv.missing_patterns if S.CLAIM in p.columns]
    if len(together) == 1 and len(together[0].columns) > 1:
        others = [S.noun(c) for c in together[0].columns if c != S.CLAIM]
        return (f"{_videos_share(missing, kf['rows_total'])} have no claim status; in all of them "
                f"{join_words(others)} are missing too, so they cannot be labelled and are set "
                "aside.")
    return (f"{_videos_share(missing, kf['rows_total'])} have no claim status and are set aside "
            "in comparisons.")


def _videos_share(k: int, n: int) -> str:
    """"298 videos (1.5%)"."""
    return f"{num(k)} {'video' if k == 1 else 'videos'} ({pct(k / n)})"




def _details(result) -> list[str]:
    kf = result.key_figures
    out = []
    if defined(kf["mean_views_claim"], kf["mean_views_opinion"]):
        out.append(f"Mean views: claims {num(kf['mean_views_claim'], 2)}, opinions "
                   f"{num(kf['mean_views_opinion'], 2)}; medians {num(kf['median_views_claim'])} "
                   f"and {num(kf['median_views_opinion'])}.")
    pairs = [p for p in result.strongest_correlations[:3] if defined(p.pearson)]
    # enough decimals that two different coefficients of the list never read as a tie
    d = distinct_digits([p.pearson for p in pairs])
    ds = distinct_digits([p.spearman for p in pairs])
    for p in pairs:
        within = within_class_r(result, p.a, p.b)
        inside = "".join(f"; within {c}s r = {dec(r, 2)}" for c, r in within.items())
        out.append(f"{S.short(p.a)} and {S.short(p.b).lower()} are "
                   f"{strength_word(p.pearson)} correlated (Pearson r = {dec(p.pearson, d)}, "
                   f"Spearman ρ = {dec(p.spearman, ds)}{inside}).")
    for a, b, r, rc, ro in class_driven_pairs(result):
        out.append(f"{S.short(a)} and {S.short(b).lower()}: pooled r = {dec(r, 2)} "
                   f"(at least {POOLED_STRONG_R}) but r = {dec(rc, 2)} within claims and "
                   f"{dec(ro, 2)} within opinions (both at most {WITHIN_WEAK_R}).")
    out += _alert_details(result)
    skewed = {c: v for c, v in result.skewness.items() if defined(v) and abs(v) > SKEWED}
    if skewed:
        out.append("Skewness above 1 in absolute value: " + ", ".join(
            f"{S.noun(c)} {dec(v, 2)}" for c, v in skewed.items()) + ".")
    return out




def executive(bundle) -> Executive:
    result = bundle.results["eda"]
    kf = result.key_figures
    inv = result.inventory
    n = kf["rows_total"]
    missing = kf["rows_missing_claim_status"]
    alerts = alert_sentences(result)
    # alerts on how the data were made come first: they change how everything after reads
    rules = {"separating_column": separation_sentence, "near_uniform": uniform_sentence}
    provenance = [s for code in PROVENANCE_ALERTS if (s := rules[code](result))]
    insights = [
        *provenance,
        f"The data hold {num(n)} videos: {share_phrase(kf['n_claim'], n)} claims and "
        f"{share_phrase(kf['n_opinion'], n)} opinions.",
        *[s for s in alerts if s not in provenance],
        *[s for s in (_typical_views(kf), _banned_sentence(kf), _together_sentence(result),
                      class_driven_sentence(result), _skew_sentence(result),
                      _length_sentence(kf)) if s],
    ]
    notes = [s for s in (_missing_note(result), sample_note(
        result.sample, "Spearman correlations, the outliers drawn on box plots and the "
        "example transcriptions")) if s]
    if inv.duplicate_ids or inv.duplicate_rows:
        notes.append(f"{num(inv.duplicate_ids)} duplicated video IDs and "
                     f"{num(inv.duplicate_rows)} duplicated rows were found.")
    notes.append(f"{plural(result.duplicate_transcriptions, 'row')} repeat an earlier row's "
                 "transcription word for word.")
    if inv.row_number_column:
        notes.append(f"The column {inv.row_number_column!r} was recognised as a row number and "
                     "set aside; video_id is an identifier: a dimension, never summed or "
                     "averaged.")
    if inv.dropped_columns:
        notes.append(f"Extra columns ignored: {', '.join(inv.dropped_columns)}.")
    one = _one_class(kf)
    next_steps = ([f"Collect labelled {'opinions' if kf['n_claim'] else 'claims'}: a classifier "
                   "needs examples of both."] if one else [])
    codes = set(kf["alerts"])
    if codes & {"separating_column", "near_uniform", "heavy_missingness"}:
        next_steps.append("Before modelling, ask the data owners how the data were collected "
                          "and produced (see the data alerts).")
    if "duplicate_transcriptions" in codes:
        next_steps.append("Keep repeated transcriptions together on one side of any "
                          "training/test split, or remove the copies.")
    next_steps += [
        "Test whether verified and unverified authors get different numbers of views.",
        "Describe which video characteristics go with verified authors.",
        "Build the claim classifier on engagement, author and text features, tuned to catch "
        "as many claims as possible.",
    ]
    return Executive(
        headline=_headline(kf),
        issue=("Moderators face a backlog of user reports. The team is building a model that tells "
               "videos making claims from videos voicing opinions, so claims can be reviewed "
               "first. Before modelling, we need to know what the data hold and how the two kinds "
               "of video differ."),
        response=(f"We profiled all {num(n)} videos: data quality, distributions, claims against "
                  "opinions, author status, how the measures move together and the words used, "
                  "and prepared a Tableau-ready extract."),
        impact=_impact(kf, separating_engagement(result)),
        insights=insights,
        next_steps=next_steps,
        caveat=_missing_note(result),
        data_notes=notes,
        tiles=[Tile(num(n), "videos"), Tile(num(kf["n_claim"]), "claims"),
               Tile(num(kf["n_opinion"]), "opinions"),
               Tile(num(missing), "without claim status")],
        details=_details(result),
    )
