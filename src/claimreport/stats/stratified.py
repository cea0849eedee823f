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
from .inference import hedges_g, mean_ci, welch

__all__ = ["MIN_GROUP_ROWS", "stratum_tests", "AdjustedDifference", "adjusted_difference",
           "adjusted_estimate", "Verdict", "VERDICTS", "difference_verdict"]

#: rows each group needs within a level for a t-test (a mean and a variance)
MIN_GROUP_ROWS = 2

Verdict = Literal["persists", "explained", "reverses", "mixed", "emerges", "none",
                  "not_computed"]
#: every code :func:`difference_verdict` can return
VERDICTS: tuple[str, ...] = ("persists", "explained", "reverses", "mixed", "emerges", "none",
                             "not_computed")


def _mean(x: np.ndarray) -> float:
    return float(np.mean(x)) if len(x) else math.nan


def _why_not(a: np.ndarray, b: np.ndarray, groups: tuple[str, str]) -> str | None:
    """Why a t-test of *a* vs *b* cannot be computed (None: it can)."""
    few = [f"{g!r} has {len(x)} row(s)" for g, x in zip(groups, (a, b)) if len(x) < MIN_GROUP_ROWS]
    if few:
        return f"{' and '.join(few)}; a t-test needs at least {MIN_GROUP_ROWS} per group"
    if not (np.std(a) > 0 or np.std(b) > 0):
        return "the values do not vary within either group"
    return None


def stratum_tests(y: np.ndarray, group: np.ndarray, strata: np.ndarray, groups: tuple[str, str],
                  levels: Sequence[str], alpha: float) -> list[StratumTest]:
    """Welch test of *y* between ``groups`` (A - B) within each of *levels* of *strata*.

    Every level is returned, so key figures keep their names: one the data cannot test has NaN
    statistics and its ``reason``. ``p_holm`` and ``decision`` are provisional (unadjusted)
    until the family is adjusted.
    """
    y, group, strata = np.asarray(y, float), np.asarray(group, str), np.asarray(strata, str)
    totals = [int((group == g).sum()) for g in groups]
    nan, out = math.nan, []
    for level in levels:
        here = strata == level
        a, b = (y[here & (group == g)] for g in groups)
        (a_low, a_high), (b_low, b_high) = (mean_ci(x) if len(x) >= MIN_GROUP_ROWS else (nan, nan)
                                            for x in (a, b))
        why = _why_not(a, b, groups)
        w = welch(a, b) if why is None else None
        out.append(StratumTest(
            level=level, n=int(here.sum()), mean=_mean(y[here]), n_a=len(a), n_b=len(b),
            share_a=len(a) / totals[0] if totals[0] else nan,
            share_b=len(b) / totals[1] if totals[1] else nan,
            mean_a=_mean(a), mean_b=_mean(b), mean_a_ci_low=a_low, mean_a_ci_high=a_high,
            mean_b_ci_low=b_low, mean_b_ci_high=b_high,
            mean_difference=w.mean_difference if w else _mean(a) - _mean(b),
            ci_low=w.ci_low if w else nan, ci_high=w.ci_high if w else nan,
            t_statistic=w.t_statistic if w else nan, dof=w.dof if w else nan,
            p_value=w.p_value if w else nan, p_holm=w.p_value if w else nan,
            decision=None if w is None else "reject" if w.p_value < alpha else "fail to reject",
            hedges_g=hedges_g(a, b)[0] if w else nan, reason=why))
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
    """OLS of *y* on the indicator *is_a* and dummies of *strata*, with HC3 standard errors.

    Parameters
    ----------
    y : array of float
        The metric, one value per row of group A or B.
    is_a : array of bool
        True for rows of group A, False for group B.
    strata : array of str
        The stratifier's level of each row.
    """
    from statsmodels.regression.linear_model import OLS

    y, is_a, strata = np.asarray(y, float), np.asarray(is_a, bool), np.asarray(strata, str)
    both = [str(lv) for lv in np.unique(strata)
            if 0 < is_a[strata == lv].sum() < (strata == lv).sum()]
    keep = np.isin(strata, both)
    y, is_a, strata = y[keep], is_a[keep], strata[keep]

    def undefined(reason: str) -> AdjustedDifference:
        nan = math.nan
        return AdjustedDifference(nan, nan, nan, nan, nan, nan, len(y), tuple(both), reason)

    if not both:
        return undefined("no level holds rows of both groups, so the difference between the "
                         "groups cannot be separated from the difference between the levels")
    design = np.column_stack([np.ones(len(y)), is_a.astype(float),
                              *[(strata == lv).astype(float) for lv in both[1:]]])
    fit = OLS(y, design).fit(cov_type="HC3")
    se = float(fit.bse[1])
    if not (math.isfinite(se) and se > 0):
        return undefined("the levels that hold both groups have too few rows, or too little "
                         "variation, for a standard error")
    low, high = fit.conf_int(alpha=1 - confidence)[1]
    return AdjustedDifference(float(fit.params[1]), se, float(fit.tvalues[1]),
                              float(fit.pvalues[1]), float(low), float(high), len(y), tuple(both))


def adjusted_estimate(y: np.ndarray, is_a: np.ndarray, strata: np.ndarray,
                      alpha: float) -> AdjustedEstimate:
    """:func:`adjusted_difference` as a result; ``p_holm``/``decision`` are provisional."""
    r = adjusted_difference(y, is_a, strata)
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
