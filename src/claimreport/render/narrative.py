"""Sentences computed from bundle numbers by small, tested rules.

Each stage has one function ``<stage>(result) -> Executive``. Rules pick words (direction,
magnitude, significance) from the numbers; no number is ever typed into a template.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .context import label, num, pct, times

__all__ = ["Tile", "Executive", "executive", "eda", "strength_word", "share_phrase"]


@dataclass(frozen=True)
class Tile:
    """A headline number on the executive page: the value already formatted for people."""

    value: str
    label: str


@dataclass(frozen=True)
class Executive:
    """The executive page in the shape stakeholders know from this project."""

    headline: str
    issue: str
    response: str
    impact: str
    insights: list[str]
    next_steps: list[str]
    data_notes: list[str] = field(default_factory=list)
    tiles: list[Tile] = field(default_factory=list)


def executive(stage: str, result) -> Executive:
    return globals()[stage](result)


def strength_word(r: float) -> str:
    """Words for the size of a correlation (Cohen's conventional bands)."""
    a = abs(r)
    if a >= 0.7:
        return "strongly"
    if a >= 0.4:
        return "moderately"
    if a >= 0.1:
        return "weakly"
    return "not"


def share_phrase(count: int, total: int) -> str:
    """``9,608 (49.6%)``"""
    return f"{num(count)} ({pct(count / total)})" if total else num(count)


def _views_sentence(kf) -> str:
    hi, lo = kf["median_views_claim"], kf["median_views_opinion"]
    if hi >= lo:
        return (f"Claim videos have a median of {num(hi)} views, {times(hi / lo)} the "
                f"{num(lo)} of opinion videos.")
    return (f"Opinion videos have a median of {num(lo)} views, {times(lo / hi)} the "
            f"{num(hi)} of claim videos.")


def eda(result) -> Executive:
    kf = result.key_figures
    inv = result.inventory
    n = kf["rows_total"]
    missing = kf["rows_missing_claim_status"]
    insights = [
        f"The data hold {num(n)} videos: {share_phrase(kf['n_claim'], n)} claims and "
        f"{share_phrase(kf['n_opinion'], n)} opinions"
        + (f"; {share_phrase(missing, n)} have no claim status." if missing else "."),
        _views_sentence(kf),
        f"On average claim videos get {num(kf['mean_views_claim'], 2)} views and opinion videos "
        f"{num(kf['mean_views_opinion'], 2)}.",
    ]
    banned_c, banned_o = kf["share_banned_claim"], kf["share_banned_opinion"]
    if banned_o > 0:
        insights.append(
            f"{pct(banned_c)} of claim videos come from banned authors, against {pct(banned_o)} "
            f"of opinion videos ({times(banned_c / banned_o)} as often)."
            if banned_c >= banned_o else
            f"{pct(banned_o)} of opinion videos come from banned authors, against {pct(banned_c)} "
            f"of claim videos.")
    top = result.strongest_correlations[0] if result.strongest_correlations else None
    if top is not None:
        insights.append(
            f"{label(top.a)} and {label(top.b).lower()} are {strength_word(top.pearson)} "
            f"correlated (Pearson r = {top.pearson:.2f}): engagement counts move together, so a "
            "model should not lean on all of them as if they were independent.")
    skewed = {c: s for c, s in result.skewness.items() if c != "text_length"}
    worst = max(skewed, key=lambda c: abs(skewed[c]))
    insights.append(
        f"Engagement counts are right-skewed ({label(worst).lower()} skewness "
        f"{skewed[worst]:.1f}), so medians describe a typical video better than means.")
    tl_c, tl_o = kf["median_text_length_claim"], kf["median_text_length_opinion"]
    insights.append(
        f"Claim transcriptions are {'longer' if tl_c > tl_o else 'shorter'} than opinions "
        f"(median {num(tl_c)} against {num(tl_o)} characters).")

    notes = []
    if missing:
        together = [p for p in inv.missing_patterns if "claim_status" in p.columns]
        if len(together) == 1 and len(together[0].columns) > 1:
            others = [label(c).lower() for c in together[0].columns if c != "claim_status"]
            notes.append(f"In all {num(missing)} rows without a claim status, "
                         f"{', '.join(others)} are missing too: they cannot be labelled and are "
                         "left out of group comparisons.")
        else:
            notes.append(f"{num(missing)} rows have no claim status and are left out of group "
                         "comparisons.")
    notes.append(f"{num(kf['duplicate_ids'])} duplicated video IDs and {num(kf['duplicate_rows'])} "
                 "duplicated rows were found.")
    if inv.row_number_column:
        notes.append(f"The column {inv.row_number_column!r} is a row number and video_id an "
                     "identifier: both are treated as dimensions, never summed or averaged.")
    if inv.dropped_columns:
        notes.append(f"Extra columns ignored: {', '.join(inv.dropped_columns)}.")

    return Executive(
        headline="Claim videos draw far more engagement than opinion videos",
        issue=("Moderators face a backlog of user reports. The team is building a model that tells "
               "videos making claims from videos voicing opinions, so claims can be reviewed "
               "first. Before modelling, we need to know what the data hold and how the two kinds "
               "of video differ."),
        response=(f"We profiled all {num(n)} videos and {num(kf['columns_total'])} columns: data "
                  "quality, distributions, claim-versus-opinion comparisons, author status, "
                  "correlations and the words used, and prepared a Tableau-ready extract."),
        impact=(_views_sentence(kf) + " Engagement counts are therefore the most promising "
                "signals for the classifier; author ban status adds a second signal."),
        insights=insights,
        next_steps=[
            "Test whether verified and unverified authors get different numbers of views "
            "(hypothesis stage).",
            "Model verified status with a logistic regression to understand author behaviour "
            "(regression stage).",
            "Build and tune the claim classifier on engagement and text features, choosing it on "
            "recall of claims (modeling stage).",
        ],
        data_notes=notes,
        tiles=[Tile(num(n), "videos"), Tile(num(kf["n_claim"]), "claims"),
               Tile(num(kf["n_opinion"]), "opinions"),
               Tile(num(missing), "without claim status")],
    )
