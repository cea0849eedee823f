"""The statistics layer every backend answers: a small set of exact, mergeable aggregates.

Why a layer: the EDA and hypothesis stages need the population's counts, means, variances,
co-moments, quantiles, histograms and phrase counts, not its rows. Asking a backend for those
aggregates lets the same stage code run on a pandas frame on one machine
(:mod:`.pandas_backend`) or on a Spark DataFrame past it (:mod:`.spark_backend`), and keeps the
statistics identical: Welch's test from group moments is Welch's test from the rows.

What cannot be merged from small aggregates (ranks for Spearman and Mann-Whitney, the outliers
drawn on a box plot, a QQ plot's points, the example transcriptions, the data alerts' exact value
distributions) is computed on :meth:`Backend.sample`, a stratified sample of at most
``sample_rows`` rows that *is* the whole data when the data are smaller; the report names its
size and seed when it is a sample.

Conventions shared by every method
----------------------------------
* ``by`` names grouping columns; results are keyed by the tuple of their levels (``()`` when
  ``by`` is empty). Rows where a ``by`` column is missing belong to no group.
* Numeric statistics leave missing values out per column, as pandas does.
* ``complete=True`` restricts to rows where every data column is present (the hypothesis stage's
  rows, as in the course).
* Columns may be data columns or the derived columns of :data:`DERIVED` (text length, rates).
* Quantiles are numpy's linear interpolation; a backend whose quantiles are approximate states
  the bound on their rank error in :attr:`Backend.quantile_error` (0 for exact).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from ..data import schema as S

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["Moments", "CoMoments", "Tails", "Duplicates", "Backend", "DERIVED", "RATES",
           "Levels"]

Levels = tuple

#: per-view rates: numerator column, defined where views > 0
RATES = {"likes_per_view": S.LIKES, "comments_per_view": S.COMMENTS,
         "shares_per_view": S.SHARES, "downloads_per_view": S.DOWNLOADS}
#: columns a backend derives from the data columns: text length and the per-view rates
DERIVED = (S.TEXT_LENGTH, *RATES)


@dataclass(frozen=True)
class Moments:
    """Count, mean, central moment sums (``m2 = Σ(x - mean)²`` …) and range of one column in one
    group. Merging two (Pébay's formulas) gives the moments of the union."""

    n: int
    mean: float
    m2: float
    m3: float
    m4: float
    minimum: float
    maximum: float
    #: the smallest value above 0 (log axes start there); NaN when there is none
    min_positive: float = math.nan

    @classmethod
    def of(cls, x: np.ndarray) -> Moments:
        """The moments of the finite values of *x* (the reference the backends are tested
        against)."""
        x = np.asarray(x, dtype=float)
        x = x[~np.isnan(x)]
        if x.size == 0:
            return cls(0, *(math.nan,) * 6)
        mean = float(x.mean())
        d = x - mean
        d2 = d * d
        positive = np.where(x > 0, x, np.inf).min()
        # dot products: one pass each, no temporary arrays
        return cls(int(x.size), mean, float(d.dot(d)), float(d2.dot(d)), float(d2.dot(d2)),
                   float(x.min()), float(x.max()),
                   float(positive) if np.isfinite(positive) else math.nan)

    def merge(self, other: Moments) -> Moments:
        if other.n == 0:
            return self
        if self.n == 0:
            return other
        n, na, nb = self.n + other.n, self.n, other.n
        delta = other.mean - self.mean
        mean = self.mean + delta * nb / n
        m2 = self.m2 + other.m2 + delta ** 2 * na * nb / n
        m3 = (self.m3 + other.m3 + delta ** 3 * na * nb * (na - nb) / n ** 2
              + 3 * delta * (na * other.m2 - nb * self.m2) / n)
        m4 = (self.m4 + other.m4
              + delta ** 4 * na * nb * (na * na - na * nb + nb * nb) / n ** 3
              + 6 * delta ** 2 * (na * na * other.m2 + nb * nb * self.m2) / n ** 2
              + 4 * delta * (na * other.m3 - nb * self.m3) / n)
        return Moments(n, mean, m2, m3, m4, min(self.minimum, other.minimum),
                       max(self.maximum, other.maximum),
                       float(np.nanmin([self.min_positive, other.min_positive]))
                       if not (math.isnan(self.min_positive) and math.isnan(other.min_positive))
                       else math.nan)

    @property
    def variance(self) -> float:
        """Sample variance (ddof=1); NaN below two values."""
        return self.m2 / (self.n - 1) if self.n > 1 else math.nan

    @property
    def std(self) -> float:
        return math.sqrt(self.variance) if self.n > 1 else math.nan

    @property
    def skewness(self) -> float:
        """The adjusted Fisher-Pearson coefficient of ``pandas.Series.skew`` (NaN below three
        values or when the values do not vary, as pandas gives)."""
        n = self.n
        if n < 3 or self.m2 <= 1e-14 * max(1.0, self.mean * self.mean) * n:
            return math.nan
        g1 = (self.m3 / n) / (self.m2 / n) ** 1.5
        return g1 * math.sqrt(n * (n - 1)) / (n - 2)

    @property
    def kurtosis(self) -> float:
        """Excess kurtosis, biased (Fisher), as ``scipy.stats.kurtosis(bias=True)``."""
        if self.n < 1 or self.m2 <= 0:
            return math.nan
        return (self.m4 / self.n) / (self.m2 / self.n) ** 2 - 3.0


@dataclass(frozen=True)
class CoMoments:
    """Rows, means and the matrix of co-moment sums ``Σ(x - x̄)(y - ȳ)`` of complete rows of
    several columns: Pearson correlations without the rows."""

    n: int
    columns: tuple[str, ...]
    means: np.ndarray
    cross: np.ndarray

    def correlation(self) -> np.ndarray:
        d = np.sqrt(np.diag(self.cross))
        with np.errstate(invalid="ignore", divide="ignore"):
            r = self.cross / np.outer(d, d)
        r[np.outer(d, d) == 0] = np.nan
        return np.clip(r, -1.0, 1.0)


@dataclass(frozen=True)
class Tails:
    """What lies outside a pair of fences: counts below and above, and the extreme values
    inside them (a box plot's whiskers)."""

    below: int
    above: int
    min_inside: float
    max_inside: float


@dataclass(frozen=True)
class Duplicates:
    """Repeated rows, ids and transcriptions (each counted as in ``Series.duplicated()``:
    every occurrence after the first), and repeated transcriptions whose copies carry different
    claim statuses."""

    rows: int
    ids: int
    texts: int
    text_conflicts: int


class Backend(Protocol):
    """What the EDA and hypothesis stages ask of the data. See the module notes."""

    name: str
    #: rows in the data
    rows: int
    #: bound on the rank error of :meth:`quantiles` as a share of the rows (0: exact)
    quantile_error: float

    def moments(self, columns: list[str], by: tuple[str, ...] = (),
                complete: bool = False) -> dict[tuple[Levels, str], Moments]: ...

    def quantiles(self, columns: list[str], probs: tuple[float, ...], by: tuple[str, ...] = (),
                  complete: bool = False) -> dict[tuple[Levels, str], np.ndarray]: ...

    def counts(self, columns: list[str], complete: bool = False) -> pd.DataFrame:
        """One row per combination of levels present (missing as ``None``), and ``count``."""
        ...

    def missing(self) -> tuple[dict[str, int], pd.DataFrame]:
        """Missing values per data column, and one row per pattern of missing columns
        (boolean columns named after the data columns, and ``count``)."""
        ...

    def distinct(self, columns: list[str]) -> dict[str, int]:
        """Distinct non-missing values per column."""
        ...

    def comoments(self, columns: list[str], by: tuple[str, ...] = ()
                  ) -> dict[Levels, CoMoments]:
        """Co-moments of the rows where every one of *columns* is present."""
        ...

    def histogram(self, column: str, edges: np.ndarray, by: tuple[str, ...] = (),
                  complete: bool = False) -> dict[Levels, np.ndarray]:
        """``numpy.histogram`` counts (last bin closed) of the non-missing values per group."""
        ...

    def tails(self, column: str, fences: dict[Levels, tuple[float, float]],
              by: tuple[str, ...] = (), complete: bool = False) -> dict[Levels, Tails]: ...

    def phrases(self, by: str, top: int, low: int = 2, high: int = 3
                ) -> dict[str, list[tuple[str, int]]]:
        """The *top* most frequent word n-grams of the transcriptions per level of *by*, counted
        as CountVectorizer(ngram_range=(low, high), stop_words="english") counts them; ties in
        alphabetical order."""
        ...

    def value_counts(self, column: str, by: tuple[str, ...] = ()
                     ) -> dict[Levels, tuple[np.ndarray, np.ndarray]]:
        """Sorted distinct finite values of *column* and how often each occurs, per group
        (exact: the data alerts' uniformity and best-cut checks read them)."""
        ...

    def duplicates(self) -> Duplicates: ...

    def sample(self, max_rows: int, by: str, seed: int) -> pd.DataFrame:
        """Every row when there are at most *max_rows*, else a sample stratified by *by*
        (missing is a stratum) of about *max_rows* rows, drawn with *seed*; data columns plus
        :data:`DERIVED`, in the data's row order."""
        ...
