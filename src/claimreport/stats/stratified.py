"""Is a difference between two groups real, or the mix of a third variable? Stratified tests,
an adjusted estimate and the verdict rule that reads them.

Notes
-----
* The adjusted difference is the coefficient of the group indicator (1 = group A, 0 = group B)
  in an ordinary least-squares fit of the metric on that indicator and one dummy per level of
  the stratifier (the alphabetically first level is the reference; the choice does not change
  the coefficient). It is the difference A - B that remains when both groups are compared level
  by level: the average of the within-level differences weighted by n_A n_B / (n_A + n_B).
* A level is tested when each group has at least ``MIN_GROUP_ROWS`` rows in it and at least one
  group's values vary there (Welch's test, like the primary, needs no more); otherwise it is
  returned with the reason and no statistics.
* Standard errors are HC3 (MacKinnon & White 1985): the residual variance is allowed to differ
  from row to row. View counts of claims vary a hundred times more than those of opinions, so
  the classical OLS standard error, which pools one variance, would be badly wrong; HC3 is the
  heteroskedasticity-consistent form that behaves best in small samples. As statsmodels does
  for robust covariances, the test and the confidence interval use the normal distribution.
* A level that holds rows of one group only is fitted exactly by its own dummy: it carries no
  information about the group difference, and neither the estimate nor its HC3 standard error
  changes when it is left out (the design separates into blocks). It is left out, because a
  single-row level has leverage 1, for which HC3 divides by zero.
* The group difference is not estimable when no level holds rows of both groups (the indicator
  is then a sum of level dummies): the result is undefined, with that reason. So is its
  standard error when the levels that hold both groups have too few rows (leverage 1).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ..results.hypothesis import AdjustedEstimate, StratumTest
from .inference import hedges_g_from, mean_ci_from, welch_from

__all__ = ["MIN_GROUP_ROWS", "stratum_tests", "stratum_tests_from", "AdjustedDifference",
           "adjusted_difference", "adjusted_difference_from", "adjusted_estimate", "Verdict",
           "VERDICTS", "difference_verdict"]

#: rows each group needs within a level for a t-test (a mean and a variance)
MIN_GROUP_ROWS = 2

Verdict = Literal["persists", "explained", "reverses", "mixed", "emerges", "none",
                  "not_computed"]
#: every code :func:`difference_verdict` can return
VERDICTS: tuple[str, ...] = ("persists", "explained", "reverses", "mixed", "emerges", "none",
                             "not_computed")


def _cells(y, group, strata, groups, levels) -> dict:
    """Moments of *y* per (group, level) from the rows: the aggregates the functions below
    read."""
    from ..backends import Moments

    y, group, strata = np.asarray(y, float), np.asarray(group, str), np.asarray(strata, str)
    return {(g, lv): Moments.of(y[(group == g) & (strata == lv)]) for g in groups
            for lv in levels}


def _why_not(a, b, groups: tuple[str, str]) -> str | None:
    """Why a t-test of groups with moments *a* and *b* cannot be computed (None: it can)."""
    few = [f"{g!r} has {m.n} row(s)" for g, m in zip(groups, (a, b)) if m.n < MIN_GROUP_ROWS]
    if few:
        return f"{' and '.join(few)}; a t-test needs at least {MIN_GROUP_ROWS} per group"
    if not (a.m2 > 0 or b.m2 > 0):
        return "the values do not vary within either group"
    return None


def stratum_tests(y: np.ndarray, group: np.ndarray, strata: np.ndarray, groups: tuple[str, str],
                  levels: Sequence[str], alpha: float) -> list[StratumTest]:
    """Welch test of *y* between ``groups`` (A - B) within each of *levels* of *strata* (from
    the rows; :func:`stratum_tests_from` does the work)."""
    return stratum_tests_from(_cells(y, group, strata, groups, levels), groups, levels, alpha)


def stratum_tests_from(cells: dict, groups: tuple[str, str], levels: Sequence[str],
                       alpha: float) -> list[StratumTest]:
    """Welch test between ``groups`` (A - B) within each of *levels*, from the moments of each
    ``(group, level)`` cell.

    Every level is returned, so key figures keep their names: one the data cannot test has NaN
    statistics and its ``reason``. ``p_holm`` and ``decision`` are provisional (unadjusted)
    until the family is adjusted.
    """
    from ..backends import Moments

    empty = Moments.of(np.array([]))
    totals = [sum(cells.get((g, lv), empty).n for lv in levels) for g in groups]
    nan, out = math.nan, []
    for level in levels:
        a, b = (cells.get((g, level), empty) for g in groups)
        both = a.merge(b)
        (a_low, a_high), (b_low, b_high) = (mean_ci_from(m) if m.n >= MIN_GROUP_ROWS
                                            else (nan, nan) for m in (a, b))
        why = _why_not(a, b, groups)
        w = welch_from(a, b) if why is None else None
        out.append(StratumTest(
            level=level, n=both.n, mean=both.mean, n_a=a.n, n_b=b.n,
            share_a=a.n / totals[0] if totals[0] else nan,
            share_b=b.n / totals[1] if totals[1] else nan,
            mean_a=a.mean, mean_b=b.mean, mean_a_ci_low=a_low, mean_a_ci_high=a_high,
            mean_b_ci_low=b_low, mean_b_ci_high=b_high,
            mean_difference=w.mean_difference if w else a.mean - b.mean,
            ci_low=w.ci_low if w else nan, ci_high=w.ci_high if w else nan,
            t_statistic=w.t_statistic if w else nan, dof=w.dof if w else nan,
            p_value=w.p_value if w else nan, p_holm=w.p_value if w else nan,
            decision=None if w is None else "reject" if w.p_value < alpha else "fail to reject",
            hedges_g=hedges_g_from(a, b)[0] if w else nan, reason=why))
    return out


@dataclass(frozen=True)
class AdjustedDifference:
    """The group coefficient of the adjusted fit; NaN numbers and a *reason* when undefined."""

    difference: float
    std_err: float
    z_statistic: float
    p_value: float
    ci_low: float
    ci_high: float
    n: int
    levels: tuple[str, ...]  # levels in the fit (those holding both groups), reference first
    reason: str | None = None


def adjusted_difference(y: np.ndarray, is_a: np.ndarray, strata: np.ndarray,
                        confidence: float = 0.95) -> AdjustedDifference:
    """OLS of *y* on the indicator *is_a* and dummies of *strata*, with HC3 standard errors
    (from the rows; :func:`adjusted_difference_from` does the work).

    Parameters
    ----------
    y : array of float
        The metric, one value per row of group A or B.
    is_a : array of bool
        True for rows of group A, False for group B.
    strata : array of str
        The stratifier's level of each row.
    """
    is_a, strata = np.asarray(is_a, bool), np.asarray(strata, str)
    group = np.where(is_a, "a", "b")
    levels = [str(lv) for lv in np.unique(strata)]
    return adjusted_difference_from(_cells(y, group, strata, ("a", "b"), levels), ("a", "b"),
                                    confidence)


def adjusted_difference_from(cells: dict, groups: tuple[str, str],
                             confidence: float = 0.95) -> AdjustedDifference:
    """The OLS fit of :func:`adjusted_difference` from the moments of each (group, level) cell.

    Every row of a cell has the same design row x_c (intercept, group indicator, level dummy),
    so the fit needs only the cells: X'X = sum n_c x_c x_c', X'y = sum n_c mean_c x_c, each
    row's leverage is the cell's h_c = x_c' (X'X)^-1 x_c, and the sum of a cell's squared
    residuals is m2_c + n_c (mean_c - fitted_c)^2. HC3 (as statsmodels computes it) is then
    (X'X)^-1 [sum x_c x_c' SSR_c / (1 - h_c)^2] (X'X)^-1; the test and the interval use the
    normal distribution, as statsmodels does for robust covariances.
    """
    from scipy import stats

    a_name, b_name = groups
    levels = sorted({lv for (_, lv), m in cells.items() if m.n})
    both = [lv for lv in levels
            if cells.get((a_name, lv)) is not None and cells.get((b_name, lv)) is not None
            and cells[a_name, lv].n > 0 and cells[b_name, lv].n > 0]
    n = sum(cells[g, lv].n for lv in both for g in groups)

    def undefined(reason: str) -> AdjustedDifference:
        nan = math.nan
        return AdjustedDifference(nan, nan, nan, nan, nan, nan, n, tuple(both), reason)

    if not both:
        return undefined("no level holds rows of both groups, so the difference between the "
                         "groups cannot be separated from the difference between the levels")
    rows = []  # (design row, moments) per cell
    for lv in both:
        dummies = [1.0 if lv == other else 0.0 for other in both[1:]]
        for g in groups:
            rows.append((np.array([1.0, 1.0 if g == a_name else 0.0, *dummies]), cells[g, lv]))
    xtx = sum(m.n * np.outer(x, x) for x, m in rows)
    xty = sum(m.n * m.mean * x for x, m in rows)
    try:
        inverse = np.linalg.inv(xtx)
    except np.linalg.LinAlgError:
        return undefined("the levels that hold both groups have too few rows, or too little "
                         "variation, for a standard error")
    beta = inverse @ xty
    meat = np.zeros_like(xtx)
    for x, m in rows:
        h = float(x @ inverse @ x)
        ssr = m.m2 + m.n * (m.mean - float(x @ beta)) ** 2
        meat += np.outer(x, x) * (ssr / (1 - h) ** 2 if h < 1 - 1e-12 else math.inf)
    with np.errstate(invalid="ignore"):
        se = float(np.sqrt((inverse @ meat @ inverse)[1, 1]))
    if not (math.isfinite(se) and se > 0):
        return undefined("the levels that hold both groups have too few rows, or too little "
                         "variation, for a standard error")
    z = float(beta[1]) / se
    q = stats.norm.ppf(0.5 + confidence / 2)
    return AdjustedDifference(float(beta[1]), se, z, float(2 * stats.norm.sf(abs(z))),
                              float(beta[1] - q * se), float(beta[1] + q * se), n, tuple(both))


def adjusted_estimate(cells: dict, groups: tuple[str, str], alpha: float) -> AdjustedEstimate:
    """:func:`adjusted_difference_from` as a result; ``p_holm``/``decision`` are provisional."""
    r = adjusted_difference_from(cells, groups)
    return AdjustedEstimate(
        difference=r.difference, std_err=r.std_err, z_statistic=r.z_statistic, ci_low=r.ci_low,
        ci_high=r.ci_high, p_value=r.p_value, p_holm=r.p_value,
        decision=None if r.reason else "reject" if r.p_value < alpha else "fail to reject",
        n=r.n, levels=list(r.levels), reason=r.reason)


def _significant(p: float, alpha: float) -> bool:
    return math.isfinite(p) and p < alpha  # NaN (not computed) is never significant


def difference_verdict(overall_p: float, overall_difference: float, adjusted_p: float,
                       adjusted_difference: float, strata: Sequence[tuple[float, float]],
                       alpha: float) -> Verdict:
    """Whether the overall difference between two groups survives comparing them within the
    levels of a stratifier.

    Parameters
    ----------
    overall_p, overall_difference : float
        The primary test's (family-adjusted) p-value and its difference A - B.
    adjusted_p, adjusted_difference : float
        The same for the adjusted estimate; NaN when it is not defined.
    strata : sequence of (p, difference)
        One pair per level where the groups were compared (family-adjusted p, A - B).
    alpha : float
        The significance level every p is compared with.

    Returns
    -------
    str
        When the overall difference is significant: ``persists`` (a significant within-level
        or adjusted difference points the same way, none the other way), ``reverses`` (one
        points the other way, none the same way), ``mixed`` (both happen), ``explained`` (none
        is significant). When it is not: ``none`` (nothing is significant), ``emerges`` (a
        within-level or adjusted difference is, all pointing one way), ``mixed`` (they point
        both ways). ``not_computed`` when neither a within-level test nor the adjusted estimate
        could be computed.
    """
    evidence = [(p, d) for p, d in ((adjusted_p, adjusted_difference), *strata)
                if math.isfinite(p)]
    if not evidence:
        return "not_computed"
    directions = {float(np.sign(d)) for p, d in evidence if _significant(p, alpha) and d != 0}
    if not _significant(overall_p, alpha):
        if not directions:
            return "none"
        return "emerges" if len(directions) == 1 else "mixed"
    way = float(np.sign(overall_difference))
    same, opposite = way in directions, -way in directions
    if same and opposite:
        return "mixed"
    if opposite:
        return "reverses"
    return "persists" if same else "explained"
