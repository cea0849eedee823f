"""Scenario datasets: synthetic data with the course schema that tell a chosen story.

Each scenario is a set of :class:`GeneratorParams` for :func:`claimreport.data.demo.generate`:
who posts claims (class shares, author cells), how much engagement each group draws and how
distinguishable claim and opinion transcriptions are. The stories are test fixtures: a report
rendered from ``generate_scenario("confounded")`` must say that the difference between verified
and unverified authors is explained by what they post, one from ``"weak_signal"`` that no model
is ready, and so on (``tests/data/test_scenarios.py`` pins every story with scipy/scikit-learn).

Notes
-----
This module holds only parameters, so the command line can list the scenario names without
loading numpy or pandas; :func:`generate_scenario` imports the generator when it is called.

Every scenario except ``course`` sets ``stratified=True``: class sizes and author cells are the
design shares rounded rather than multinomial draws, and the counts are Latin-hypercube draws
within each (class, verified status) group. A group's distribution then matches its design to
about 1/n instead of 1/sqrt(n), so a story of "no difference" does not turn into a significant
difference for one seed in twenty, and a story of a difference holds from a few hundred rows.
``course`` keeps plain random draws so that the committed ``data/demo_claims.csv`` stays the same.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from claimreport.errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "AUTHOR_CELLS",
    "CLASSES",
    "COURSE",
    "Engagement",
    "GeneratorParams",
    "SCENARIOS",
    "Scenario",
    "generate_scenario",
    "get_scenario",
]

#: Claim status of the three row classes; ``None`` is the class of rows without a status.
CLASSES: tuple[str | None, ...] = ("claim", "opinion", None)
#: (verified_status, author_ban_status) cells, in the order of the author weights.
AUTHOR_CELLS: tuple[tuple[str, str], ...] = tuple(
    (v, b) for v in ("verified", "not verified") for b in ("active", "banned", "under review"))


@dataclass(frozen=True)
class Engagement:
    """Ranges of the engagement counts of one group of videos.

    Views are uniform integers in ``[views_low, views_high]``; every other count is a uniform
    fraction of the count before it (likes of views, shares and downloads of likes, comments of
    downloads) up to the given maximum, which gives the heavy right tail of the course file and
    ``comments <= downloads <= likes <= views`` by construction.
    """

    views_low: int
    views_high: int
    max_likes_per_view: float
    max_comments_per_download: float
    max_shares_per_like: float = 0.4
    max_downloads_per_like: float = 0.025

    def __post_init__(self) -> None:
        if not 0 <= self.views_low <= self.views_high <= 10**12:
            raise ConfigError(f"views range must satisfy 0 <= low <= high <= 1e12, got "
                              f"({self.views_low}, {self.views_high})")
        for name in ("max_likes_per_view", "max_comments_per_download", "max_shares_per_like",
                     "max_downloads_per_like"):
            if not 0 <= getattr(self, name) <= 1:
                raise ConfigError(f"{name} must be between 0 and 1, got {getattr(self, name)!r}")


@dataclass(frozen=True)
class GeneratorParams:
    """Everything :func:`claimreport.data.demo.generate` needs to know about the story.

    Attributes
    ----------
    class_weights
        Relative sizes of the claim, opinion and missing-status classes.
    claim_authors, opinion_authors, missing_authors
        Relative weights of the :data:`AUTHOR_CELLS` within each class.
    claim_engagement, opinion_engagement
        Engagement of each class (of its unverified authors when a verified range is given).
    verified_claim_engagement, verified_opinion_engagement
        Engagement of verified authors within each class; ``None`` means the class's range.
    text_mix
        Share of transcriptions written in a style picked at random (claim or opinion, 50:50)
        instead of the class's own: 0 keeps the texts apart, 1 makes them identically
        distributed.
    stratified
        Rounded shares and Latin-hypercube counts instead of plain random draws (module Notes).
    """

    class_weights: tuple[float, float, float]
    claim_authors: tuple[float, ...]
    opinion_authors: tuple[float, ...]
    missing_authors: tuple[float, ...]
    claim_engagement: Engagement
    opinion_engagement: Engagement
    verified_claim_engagement: Engagement | None = None
    verified_opinion_engagement: Engagement | None = None
    text_mix: float = 0.0
    stratified: bool = False

    def __post_init__(self) -> None:
        if len(self.class_weights) != 3 or not _weights_ok(self.class_weights[:2]) \
                or self.class_weights[2] < 0:
            raise ConfigError("class_weights must be three non-negative weights (claim, opinion, "
                              f"missing) with claims and opinions both present, got "
                              f"{self.class_weights!r}")
        for status in CLASSES:
            weights = self.authors(status)
            if len(weights) != len(AUTHOR_CELLS) or not _weights_ok(weights, all_positive=False):
                raise ConfigError(f"author weights of class {status or 'missing'} must be "
                                  f"{len(AUTHOR_CELLS)} non-negative numbers with a positive "
                                  f"sum, one per cell of {AUTHOR_CELLS}; got {weights!r}")
        if not 0 <= self.text_mix <= 1:
            raise ConfigError(f"text_mix must be between 0 and 1, got {self.text_mix!r}")

    def authors(self, status: str | None) -> tuple[float, ...]:
        """Author-cell weights of the class *status* (``None``: rows without a claim status)."""
        return {"claim": self.claim_authors, "opinion": self.opinion_authors,
                None: self.missing_authors}[status]

    def engagement(self, status: str, verified: bool) -> Engagement:
        """Engagement of *status* videos by verified (``True``) or unverified authors."""
        plain, by_verified = ((self.claim_engagement, self.verified_claim_engagement)
                              if status == "claim" else
                              (self.opinion_engagement, self.verified_opinion_engagement))
        return by_verified if verified and by_verified is not None else plain

    def depends_on_verified(self, status: str) -> bool:
        """Whether verified authors of *status* videos have their own engagement range."""
        return (self.verified_claim_engagement if status == "claim"
                else self.verified_opinion_engagement) is not None


def _weights_ok(weights: tuple[float, ...], all_positive: bool = True) -> bool:
    if any(w < 0 for w in weights):
        return False
    return all(w > 0 for w in weights) if all_positive else sum(weights) > 0


@dataclass(frozen=True)
class Scenario:
    """A named story: what the data say, the rows drawn by default and the generator parameters."""

    name: str
    description: str
    default_rows: int
    params: GeneratorParams


# --- the course file, as measured ---------------------------------------------------------------
# 9,608 claims, 9,476 opinions and 298 rows without a status; author cells counted per class.
# Banned and under-review authors are far more common among claims, verified ones among opinions.
_COURSE_CLAIM_AUTHORS = (159, 22, 28, 6407, 1417, 1575)
_COURSE_OPINION_AUTHORS = (919, 23, 49, 7898, 173, 414)
_CLAIMS = Engagement(1_000, 1_000_000, 2 / 3, 2 / 3)
_OPINIONS = Engagement(20, 10_000, 4 / 9, 0.4)

#: The parameters that reproduce the course file's structure (and ``data/demo_claims.csv``).
COURSE = GeneratorParams(
    class_weights=(9608, 9476, 298),
    claim_authors=_COURSE_CLAIM_AUTHORS,
    opinion_authors=_COURSE_OPINION_AUTHORS,
    missing_authors=(36, 1, 3, 244, 3, 11),
    claim_engagement=_CLAIMS,
    opinion_engagement=_OPINIONS,
)
_COURSE_LIKE = replace(COURSE, stratified=True)

# Verified authors are 8 % of both classes, so a within-class difference is also the overall one.
_EVEN_VERIFIED = dict(claim_authors=(7.0, 0.5, 0.5, 62.7, 13.9, 15.4),
                      opinion_authors=(7.4, 0.2, 0.4, 85.6, 1.9, 4.5))
# Verified authors are 16 % of claims but 4 % of opinions: four in five of their videos are claims.
_VERIFIED_POST_CLAIMS = dict(claim_authors=(14.0, 1.0, 1.0, 57.3, 12.7, 14.0),
                             opinion_authors=(3.7, 0.1, 0.2, 89.4, 1.9, 4.7))
# Both classes share one author mix: the pooled course cells.
_POOLED_AUTHORS = tuple(c + o for c, o in zip(_COURSE_CLAIM_AUTHORS, _COURSE_OPINION_AUTHORS))
_SAME_EVERYWHERE = Engagement(1_000, 100_000, 0.5, 0.5)

SCENARIOS: dict[str, Scenario] = {s.name: s for s in (
    Scenario("course", "The course story: claims get about 100 times the views of opinions, "
             "verified authors get fewer views only because they post mostly opinions, and a "
             "model finds claims easily.", 20_000, COURSE),
    Scenario("reversed", "Opinions get about 100 times the views and engagement of claims; "
             "verified authors, who post mostly opinions, get more views overall.", 20_000,
             replace(_COURSE_LIKE, claim_engagement=_OPINIONS, opinion_engagement=_CLAIMS)),
    Scenario("no_difference", "Views and engagement are the same for claims and opinions and for "
             "verified and unverified authors; only the texts and author mix tell claims apart.",
             20_000, replace(_COURSE_LIKE, claim_engagement=_SAME_EVERYWHERE,
                             opinion_engagement=_SAME_EVERYWHERE)),
    Scenario("verified_popular", "Verified authors get 3 times the views of unverified ones, "
             "overall and within claims and within opinions alike.", 20_000,
             replace(_COURSE_LIKE, **_EVEN_VERIFIED,
                     verified_claim_engagement=Engagement(3_000, 3_000_000, 2 / 3, 2 / 3),
                     verified_opinion_engagement=Engagement(60, 30_000, 4 / 9, 0.4))),
    Scenario("confounded", "Verified authors get more views overall only because most of their "
             "videos are claims; within claims and within opinions their views are the same.",
             20_000, replace(_COURSE_LIKE, **_VERIFIED_POST_CLAIMS)),
    Scenario("weak_signal", "Claims and opinions look almost alike (same texts, authors and "
             "nearly the same engagement), so no model can find 99 % of the claims.", 20_000,
             replace(_COURSE_LIKE, claim_authors=_POOLED_AUTHORS, opinion_authors=_POOLED_AUTHORS,
                     claim_engagement=Engagement(1_000, 1_200_000, 0.5, 0.5),
                     opinion_engagement=Engagement(1_000, 1_000_000, 0.5, 0.5), text_mix=1.0)),
    Scenario("small", "The course story in only a few hundred videos.", 300, _COURSE_LIKE),
    Scenario("imbalanced", "The course story, but only about 5 % of the labelled videos are "
             "claims.", 20_000, replace(_COURSE_LIKE, class_weights=(4.9, 93.6, 1.5))),
)}


def get_scenario(name: str) -> Scenario:
    """The scenario called *name*; :class:`ConfigError` listing the valid names otherwise."""
    scenario = SCENARIOS.get(name) if isinstance(name, str) else None
    if scenario is None:
        raise ConfigError(f"unknown scenario {name!r}; choose one of: {', '.join(SCENARIOS)}")
    return scenario


def generate_scenario(name: str, rows: int | None = None, random_state: int = 42) -> pd.DataFrame:
    """Draw the dataset of the scenario *name*.

    Parameters
    ----------
    name : str
        A key of :data:`SCENARIOS`.
    rows : int, optional
        Number of videos; default the scenario's ``default_rows``.
    random_state : int, default 42
        Seed; the same arguments give an identical frame.

    Returns
    -------
    pandas.DataFrame
        The columns and dtypes of :func:`claimreport.data.demo.generate`;
        ``generate_scenario("course", n, seed)`` is exactly ``demo.generate(n, seed)``.

    Raises
    ------
    ConfigError
        For an unknown *name* (the message lists the valid ones) or a bad row count.
    """
    scenario = get_scenario(name)
    from claimreport.data.demo import generate  # numpy/pandas only when data are drawn

    return generate(scenario.default_rows if rows is None else rows, random_state,
                    params=scenario.params)
