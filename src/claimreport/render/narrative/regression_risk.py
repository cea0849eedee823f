"""Links with a verified author in words: risks per 100 videos for page 1, odds for analysts.

Why a module of its own: page 1 of the regression report speaks in risks, never in odds. Each
clear link is stated as verified authors per 100 videos of a level against its reference,
model-adjusted by marginal standardisation (numbers computed by the stage from the inference
fit), with "far" chosen by ``FAR_RISK_RATIO`` and the raw rates added when they tell another
story (``OBSERVED_DIFFERS``). These rules read only the inference model's stored estimates
(adjusted risks, and the odds ratios of the analysts' pages, :func:`coefficient_sentence`), so
they sit apart from the prediction model and its baseline in :mod:`.regression`, which
re-exports the public names so templates reach them as ``words.<name>``.
"""

from __future__ import annotations

from ...data import schema as S
from ...data.schema import group_phrase
from . import Tile
from .hypothesis_comparison import p_phrase
from .words import NOT_DEFINED, dec, defined, num

__all__ = ["step_phrase", "likelihood_headline", "per_100", "risk_sentence", "observed_sentence",
           "risk_tiles", "coef_label", "odds_change", "coefficient_sentence", "ALPHA",
           "FAR_RISK_RATIO", "OBSERVED_DIFFERS"]

ALPHA = 0.05  # significance of a single coefficient

#: model-adjusted risk ratio (level / reference) from which "far more/less likely"
FAR_RISK_RATIO = 2.0
#: the observed rates are stated beside the adjusted risks when the two ratios (level /
#: reference) differ by at least this factor: holding the other characteristics fixed changed
#: the picture, and a reader must not take the adjusted figure for a count
OBSERVED_DIFFERS = 1.5


def step_phrase(c) -> str:
    """"each additional 10 seconds of video" / "each additional 100,000 views"."""
    if c.column == S.DURATION:
        return f"each additional {num(c.step)} seconds of video"
    return f"each additional {num(c.step)} {S.noun(c.column)}"


def _videos(column: str, level: str) -> str:
    """"opinion videos", "videos of banned authors"."""
    phrase = group_phrase(column, level)
    return phrase if phrase.endswith("videos") else f"videos of {phrase}"


def _risk(result, c):
    """The :class:`AdjustedRisk` of coefficient *c* (None for the intercept or an old bundle)."""
    return next((r for r in result.adjusted_risks if r.term == c.term), None)


def _risk_ratio(risk) -> float:
    if risk is None or not defined(risk.adjusted_per_100_level, risk.adjusted_per_100_reference) \
            or risk.adjusted_per_100_reference <= 0:
        return float("nan")
    return risk.adjusted_per_100_level / risk.adjusted_per_100_reference


def likelihood_headline(c, risk=None) -> str:
    """"Opinion videos are far more likely to come from verified authors".

    Direction: the coefficient's sign (the adjusted risks follow it). "far": the adjusted risk
    ratio is at least ``FAR_RISK_RATIO`` or at most its inverse."""
    ratio = _risk_ratio(risk)
    far = defined(ratio) and (ratio >= FAR_RISK_RATIO or ratio <= 1 / FAR_RISK_RATIO)
    more = c.odds_ratio_per_step >= 1
    direction = f"{'far ' if far else ''}{'more' if more else 'less'} likely to come from " \
                "verified authors"
    if c.kind == "indicator":
        return f"{_videos(c.column, c.level).capitalize()} are {direction}"
    return f"Videos with more {S.noun(c.column)} are {direction}"


def per_100(x: float, other: float | None = None) -> str:
    """Verified authors per 100 videos for people: 11.23 → "about 11"; 0.4 → "fewer than 1".

    One decimal when *other* rounds to the same whole number, so two different risks never
    read alike ("about 6.4" against "about 5.9")."""
    if not defined(x):
        return NOT_DEFINED
    if x == 0:
        return "none"
    if x < 1:
        return "fewer than 1"
    same = other is not None and defined(other) and round(other) == round(x) and other != x
    return f"about {x:.1f}" if same else f"about {x:.0f}"


def risk_sentence(risk) -> str | None:
    """A term's model-adjusted risks in words; None when they are not defined.

    Indicators: "Of every 100 opinion videos, about 11 come from verified authors, against about
    2 of every 100 claim videos (other characteristics held as they are)." Counts: "Each
    additional 10,000 shares goes with more verified authors: about 51 in every 100 videos
    instead of about 50 (…)"."""
    if risk is None or not defined(risk.adjusted_per_100_level, risk.adjusted_per_100_reference):
        return None
    lvl, ref = risk.adjusted_per_100_level, risk.adjusted_per_100_reference
    held = "other characteristics held as they are"
    if risk.kind == "indicator":
        return (f"Of every 100 {_videos(risk.column, risk.level)}, {per_100(lvl, ref)} come from "
                f"verified authors, against {per_100(ref, lvl)} of every 100 "
                f"{_videos(risk.column, risk.reference)} ({held}).")
    direction = "more" if lvl > ref else "fewer" if lvl < ref else "as many"
    return (f"{step_phrase(risk).capitalize()} goes with {direction} verified authors: "
            f"{per_100(lvl, ref)} in every 100 videos instead of {per_100(ref, lvl)} ({held}).")


def observed_sentence(risk) -> str | None:
    """The raw rates of an indicator when they tell a different story from the adjusted risks
    (ratios apart by ``OBSERVED_DIFFERS`` or more); None otherwise or when undefined."""
    if risk is None or risk.kind != "indicator":
        return None
    seen, seen_ref = risk.observed_per_100_level, risk.observed_per_100_reference
    adjusted = _risk_ratio(risk)
    if not defined(seen, seen_ref, adjusted) or seen <= 0 or seen_ref <= 0 or adjusted <= 0:
        return None
    gap = (seen / seen_ref) / adjusted
    if 1 / OBSERVED_DIFFERS < gap < OBSERVED_DIFFERS:
        return None
    return (f"Counted as they are, without holding anything fixed, it is {per_100(seen, seen_ref)} "
            f"in every 100 {_videos(risk.column, risk.level)} against "
            f"{per_100(seen_ref, seen)} in every 100 {_videos(risk.column, risk.reference)}.")


def _link_sentence(result, c) -> str:
    """A clear link on page 1: its adjusted risks, or its direction when they are undefined."""
    risk = _risk(result, c)
    said = risk_sentence(risk) or likelihood_headline(c) + "."
    counted = observed_sentence(risk)
    return f"{said} {counted}" if counted else said


def _risk_details(result) -> list[str]:
    out = []
    for r in result.adjusted_risks:
        if r.kind != "indicator":
            continue
        out.append(f"{S.label(r.column)} {r.level} vs {r.reference}: verified authors per 100 "
                   f"videos, model-adjusted {dec(r.adjusted_per_100_level, 1)} vs "
                   f"{dec(r.adjusted_per_100_reference, 1)}; observed "
                   f"{dec(r.observed_per_100_level, 1)} vs {dec(r.observed_per_100_reference, 1)} "
                   f"({num(r.n_level)} and {num(r.n_reference)} training rows).")
    return out


def _per_100_tile(x: float, other: float) -> str:
    """A risk on a tile: "11 in 100", "fewer than 1 in 100", "0 in 100"."""
    words = per_100(x, other)
    return f"{'0' if words == 'none' else words.replace('about ', '')} in 100"


def risk_tiles(result, top) -> list[Tile]:
    """The headline's numbers as tiles, from the same model: the inference model's adjusted
    risks of the strongest clear link *top* (level and reference, or as is and one step more).
    Empty when there is no clear link or its risks are not defined."""
    risk = _risk(result, top) if top is not None else None
    if risk is None or not defined(risk.adjusted_per_100_level, risk.adjusted_per_100_reference):
        return []
    lvl, ref = risk.adjusted_per_100_level, risk.adjusted_per_100_reference
    if risk.kind == "indicator":
        return [Tile(_per_100_tile(lvl, ref), f"{_videos(risk.column, risk.level)} come from "
                     "verified authors (model-adjusted)"),
                Tile(_per_100_tile(ref, lvl), f"{_videos(risk.column, risk.reference)} come from "
                     "verified authors (model-adjusted)")]
    return [Tile(_per_100_tile(ref, lvl), "videos come from verified authors (model-adjusted)"),
            Tile(_per_100_tile(lvl, ref), f"with {step_phrase(risk)}")]


# ------------------------------------------------------------------ odds (analysts' pages)


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
