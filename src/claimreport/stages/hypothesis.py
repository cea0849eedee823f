"""Hypothesis stage (course 4): do videos of verified and unverified accounts get different
numbers of views? Welch's two-sample t-test, with the checks a statistician signs off on.

Notes
-----
* All tests use complete rows (every column present), as the course does: the 298 rows without
  a claim status have no view counts either.
* The primary test and the config-defined comparisons form one family; p-values are
  Holm-adjusted across it and every decision uses the adjusted p-value, so adding comparisons
  never inflates the chance of a false discovery.
* Views are far from normal, so a normality test rejects at these sample sizes; the t-test is
  still valid for *means* by the central limit theorem (n in the thousands), and Welch's form
  does not need equal variances. Mann-Whitney U, which compares ranks, is the robustness check.
* Tiny p-values are stored as computed (e.g. 2.6e-120); prose says "p < 0.001".
* Is the difference real, or the mix? The primary's groups are compared again within each level
  of ``stratify_by`` (claim status by default: unverified authors post far more claims, and
  claims draw ~100x the views), and an adjusted difference is estimated by OLS of the metric on
  the group indicator and the levels, with HC3 standard errors (:mod:`..stats.stratified`).
  The within-level tests AND the adjusted estimate join the Holm family: each is a test of the
  same question whose decision feeds the verdict, and the stage's rule is that every decision
  uses a family-adjusted p-value. The raw p-values are kept beside the adjusted ones. A level
  that cannot support a t-test (a group with fewer than two rows, no variation) is reported as
  not computed, with the reason, and stays out of the family.
* ``difference_verdict`` (:func:`..stats.stratified.difference_verdict`) reads the adjusted
  p-values and the directions: ``persists``, ``explained``, ``reverses``, ``mixed``,
  ``emerges``, ``none`` or ``not_computed``. The narrative turns the code into words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..config import Comparison
from ..data import schema as S
from ..errors import DataValidationError
from ..results.base import undefined_reasons
from ..results.common import Histogram
from ..results.hypothesis import (
    QQ,
    ChiSquareTest,
    FamilyRow,
    GroupSummary,
    HypothesisResult,
    SkippedTest,
    StratifiedAnalysis,
    WelchTest,
)
from ..stats import stable
from ..stats.binning import bin_edges_from
from ..stats.inference import (
    chi_square,
    effect_word,
    hedges_g_from,
    holm,
    mean_ci_from,
    rank_biserial,
    welch_from,
)
from ..stats.stratified import adjusted_estimate, difference_verdict, stratum_tests_from
from . import StageOutput
from ._sample import sample_info
from .hypothesis_stratified import (
    _stratified_figures,
    _stratified_reasons,
    _stratified_rows,
    _stratified_table,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..config import Config
    from ..data.load import LoadedData

__all__ = ["compute", "preflight", "welch_test", "chi_square_test"]


def compute(loaded: LoadedData, config: Config, context=None) -> StageOutput:
    import pandas as pd

    cfg = config.hypothesis
    stats = loaded.statistics()
    drawn = stats.sample(config.sample_rows, S.CLAIM, config.random_state)
    sample = drawn[drawn[list(S.DATA_COLUMNS)].notna().all(axis=1)]
    problems = _problems(stats, cfg.primary)
    if problems:  # preflight refuses this before anything is written; keep compute honest too
        raise DataValidationError(loaded.source.name, problems)
    skipped = [SkippedTest(name=c.name, reason=why) for c in cfg.comparisons
               if (why := "; ".join(_problems(stats, c)))]
    runnable = [c for c in cfg.comparisons if c.name not in {s.name for s in skipped}]

    welch_tests = [welch_test(stats, sample, c, cfg.alpha)
                   for c in (cfg.primary, *runnable) if c.kind == "welch"]
    chi_tests = [chi_square_test(stats, c, cfg.alpha) for c in runnable if c.kind == "chi2"]
    c = cfg.primary
    strata, adj = [], None
    if cfg.stratify_by:
        cells = {(g, lv): m for ((g, lv), _), m in stats.moments(
            [c.metric], by=(c.by, cfg.stratify_by), complete=True).items() if g in c.groups}
        strata = stratum_tests_from(cells, c.groups, S.LABELS[cfg.stratify_by], cfg.alpha)
        adj = adjusted_estimate(cells, c.groups, cfg.alpha)
    tested = [s for s in strata if s.reason is None]
    in_family = [adj] if adj is not None and adj.reason is None else []
    members = [*welch_tests, *chi_tests, *tested, *in_family]
    decided = iter([_decide(t, p, cfg.alpha)
                    for t, p in zip(members, holm([t.p_value for t in members]))])
    welch_tests = [next(decided) for _ in welch_tests]
    chi_tests = [next(decided) for _ in chi_tests]
    strata = [next(decided) if s.reason is None else s for s in strata]
    adj = next(decided) if in_family else adj
    primary = welch_tests[0]
    stratified = None if adj is None else StratifiedAnalysis(
        by=cfg.stratify_by, strata=strata, adjusted=adj,
        verdict=difference_verdict(
            primary.p_holm, primary.mean_difference, adj.p_holm, adj.difference,
            [(t.p_holm, t.mean_difference) for t in strata if t.reason is None], cfg.alpha))

    family = [FamilyRow(name=t.name, test="Welch t", statistic=t.t_statistic, dof=t.dof,
                        p_value=t.p_value, p_holm=t.p_holm, decision=t.decision,
                        effect="Hedges' g", effect_value=t.hedges_g, effect_size=t.effect_size)
              for t in welch_tests]
    family += [FamilyRow(name=t.name, test="Chi-square", statistic=t.chi2, dof=t.dof,
                         p_value=t.p_value, p_holm=t.p_holm, decision=t.decision,
                         effect="Cramér's V", effect_value=t.cramers_v, effect_size=t.effect_size)
               for t in chi_tests]
    if stratified is not None:
        family += _stratified_rows(cfg.primary, stratified)

    values = {g: sample.loc[sample[c.by] == g, c.metric].to_numpy(float) for g in c.groups}
    overall = stats.moments([c.metric], complete=True)[(), c.metric]
    edges = bin_edges_from(overall, log=True, bins=40)
    histogram = stats.histogram(c.metric, edges, by=(c.by,), complete=True)
    metric = S.short_name(c.metric)
    a, b = primary.group_a, primary.group_b
    slug_a, slug_b = (g.replace(" ", "_") for g in c.groups)
    key = {
        "t_statistic": primary.t_statistic,
        "dof": primary.dof,
        "p_value": primary.p_value,
        "p_value_holm": primary.p_holm,
        "alpha": cfg.alpha,
        "reject_h0": primary.decision == "reject",
        f"n_{slug_a}": a.n,
        f"n_{slug_b}": b.n,
        f"mean_{metric}_{slug_a}": a.mean,
        f"mean_{metric}_{slug_b}": b.mean,
        f"median_{metric}_{slug_a}": a.median,
        f"median_{metric}_{slug_b}": b.median,
        "mean_difference": primary.mean_difference,
        "ci_low": primary.ci_low,
        "ci_high": primary.ci_high,
        "hedges_g": primary.hedges_g,
        "variance_ratio": primary.variance_ratio,
        "levene_p": primary.levene_p,
        "mann_whitney_p": primary.mann_whitney_p,
        "rank_biserial": primary.rank_biserial,
        "tests_in_family": len(family),
        **_stratified_figures(cfg.stratify_by, stratified),
        **_association_figures(cfg, chi_tests, skipped),
    }
    tables = {
        "family": ("Family of tests", "p-values Holm-adjusted across the family.",
                   pd.DataFrame([r.model_dump() for r in family])),
        "groups": ("Groups compared", "Means with 95% t confidence intervals.",
                   pd.DataFrame([{"test": t.name, **g.model_dump()}
                                 for t in welch_tests for g in (t.group_a, t.group_b)])),
    }
    if stratified is not None:
        tables["stratified"] = (
            f"{S.short(c.metric)}: {c.groups[0]} vs {c.groups[1]}, within each "
            f"{S.noun(cfg.stratify_by)} and adjusted for it",
            "Differences A - B; p (Holm) adjusted across the whole family of the stage.",
            _stratified_table(cfg.stratify_by, stratified))
    for i, t in enumerate(chi_tests):
        tables[f"crosstab_{i + 1}"] = (f"Observed counts: {t.name}", "",
                                       pd.DataFrame(t.observed, index=t.rows, columns=t.columns)
                                       .reset_index(names=t.by))
    result = HypothesisResult(
        key_figures=key,
        undefined=undefined_reasons(key, {
            "variance_ratio": "one group's values do not vary",
            "levene_p": "one group's values do not vary",
            "hedges_g": "values do not vary within either group",
            **_stratified_reasons(c, stratified), **_association_reasons(cfg, skipped)}),
        alpha=cfg.alpha,
        rows_used=_complete_rows(stats),
        rows_dropped=stats.rows - _complete_rows(stats),
        sample=sample_info(stats, drawn, config),
        primary=primary,
        welch_tests=welch_tests,
        chi_square_tests=chi_tests,
        family=family,
        skipped=skipped,
        qq=[_qq(g, v, cfg.qq_points) for g, v in values.items()],
        distribution=Histogram(column=c.metric, log_scale=True,
                               edges=[stable(e) for e in edges],
                               counts={g: [int(x) for x in histogram.get((g,), np.zeros(
                                   len(edges) - 1))] for g in c.groups}),
        stratified=stratified,
    )
    return StageOutput(result=result, tables=tables)


#: complete rows a group needs for a t-test (a mean and a variance)
MIN_GROUP_ROWS = 2


def _complete_rows(stats) -> int:
    """Rows with every data column present (the rows every test uses)."""
    _, patterns = stats.missing()
    flags = patterns.drop(columns="count")
    return int(patterns.loc[~flags.any(axis=1), "count"].sum())


def _levels_present(stats, column: str) -> list[str]:
    counts = stats.counts([column], complete=True)
    return sorted(str(v) for v in counts[column] if v is not None)


def _problems(stats, c: Comparison) -> list[str]:
    """Why comparison *c* cannot be computed on the complete rows (empty: it can)."""
    if c.kind == "chi2":
        levels = {col: _levels_present(stats, col) for col in (c.by, c.against)}
        flat = [col for col, lv in levels.items() if len(lv) < 2]
        return [f"column {col!r} has {'one level' if levels[col] else 'no values'} in the "
                f"complete rows ({', '.join(map(str, levels[col])) or 'none'}); a test of "
                "independence needs two or more" for col in flat]
    moments = stats.moments([c.metric], by=(c.by,), complete=True)
    groups = {g: moments.get(((g,), c.metric)) for g in c.groups}
    problems = []
    for g, m in groups.items():
        n = m.n if m is not None else 0
        if n < MIN_GROUP_ROWS:
            problems.append(f"group {g!r} of column {c.by!r} has {n} complete row(s); a t-test "
                            f"needs at least {MIN_GROUP_ROWS} per group")
    if not problems and not any(m.m2 > 0 for m in groups.values()):
        values = ", ".join(f"{g}: {m.minimum:,.0f}" for g, m in groups.items())
        problems.append(f"{c.metric} does not vary within either group ({values}); a t-test "
                        "needs variation in at least one group")
    return problems


def preflight(loaded: LoadedData, config: Config) -> list[str]:
    """The primary test must be computable; other comparisons that cannot be are skipped and
    listed in the report instead."""
    p = config.hypothesis.primary
    return [f"primary test {p.name!r}: {why}" for why in _problems(loaded.statistics(), p)]


def _group(stats, sample: pd.DataFrame, c: Comparison, label: str, m) -> GroupSummary:
    """One group's summary: exact figures from its moments and quantiles; the normality test
    on the group's rows in the sample (all of them unless the data exceed ``sample_rows``)."""
    from scipy import stats as sps

    low, high = mean_ci_from(m)
    x = sample.loc[sample[c.by] == label, c.metric].to_numpy(float)
    normal = sps.normaltest(x) if len(x) >= 20 else None  # D'Agostino needs n >= 20 to be sane
    median = stats.quantiles([c.metric], (0.5,), by=(c.by,), complete=True)[(label,), c.metric]
    claim_share = None
    if c.by != S.CLAIM:
        mix = stats.counts([c.by, S.CLAIM], complete=True)
        mine = mix[mix[c.by] == label]
        claim_share = float(mine.loc[mine[S.CLAIM] == "claim", "count"].sum()
                            / mine["count"].sum())
    return GroupSummary(
        label=label, n=m.n, mean=m.mean, median=float(median[0]), std=m.std,
        mean_ci_low=low, mean_ci_high=high, skewness=m.skewness,
        normality_statistic=float(normal.statistic) if normal else None,
        normality_p=float(normal.pvalue) if normal else None, claim_share=claim_share,
    )


def welch_test(stats, sample: pd.DataFrame, c: Comparison, alpha: float) -> WelchTest:
    """Welch t-test of ``c.metric`` between ``c.groups`` (A - B) with effect size and checks.

    The test, the interval, Hedges' g and the variance ratio come from the groups' exact moments;
    the rank-based checks (Mann-Whitney, Levene around the median) from their rows in the
    sample. ``p_holm`` and ``decision`` are provisional (unadjusted) until the family is
    adjusted.
    """
    from scipy import stats as sps

    moments = stats.moments([c.metric], by=(c.by,), complete=True)
    ma, mb = (moments[(g,), c.metric] for g in c.groups)
    a, b = (sample.loc[sample[c.by] == g, c.metric].to_numpy(float) for g in c.groups)
    w = welch_from(ma, mb)
    g, g_low, g_high = hedges_g_from(ma, mb)
    u, u_p, r = rank_biserial(a, b)
    lev = sps.levene(a, b, center="median")
    va, vb = ma.variance, mb.variance
    return WelchTest(
        name=c.name, metric=c.metric, by=c.by,
        group_a=_group(stats, sample, c, c.groups[0], ma),
        group_b=_group(stats, sample, c, c.groups[1], mb),
        alpha=alpha, t_statistic=w.t_statistic, dof=w.dof, p_value=w.p_value, p_holm=w.p_value,
        decision="reject" if w.p_value < alpha else "fail to reject",
        mean_difference=w.mean_difference, ci_low=w.ci_low, ci_high=w.ci_high,
        hedges_g=g, hedges_g_ci_low=g_low, hedges_g_ci_high=g_high,
        effect_size=effect_word(g, "g"),
        variance_ratio=float(max(va, vb) / min(va, vb)) if min(va, vb) > 0 else float("nan"),
        levene_statistic=float(lev.statistic), levene_p=float(lev.pvalue),
        mann_whitney_u=u, mann_whitney_p=u_p, rank_biserial=r,
        robust_agrees=bool((u_p < alpha) == (w.p_value < alpha)
                           and (u_p >= alpha or np.sign(r) == np.sign(w.mean_difference))),
    )


def chi_square_test(stats, c: Comparison, alpha: float) -> ChiSquareTest:
    counts = stats.counts([c.by, c.against], complete=True)
    table = counts.pivot_table(index=c.by, columns=c.against, values="count", aggfunc="sum",
                               fill_value=0)
    table = table.reindex(index=[x for x in S.LABELS[c.by] if x in table.index],
                          columns=[x for x in S.LABELS[c.against] if x in table.columns])
    res = chi_square(table.to_numpy())
    return ChiSquareTest(
        name=c.name, by=c.by, against=c.against,
        alpha=alpha, chi2=res.chi2, dof=res.dof, p_value=res.p_value, p_holm=res.p_value,
        decision="reject" if res.p_value < alpha else "fail to reject",
        cramers_v=res.cramers_v, effect_size=effect_word(res.cramers_v, "v"), n=res.n,
        min_expected=res.min_expected, rows=list(table.index), columns=list(table.columns),
        observed=[[int(x) for x in row] for row in table.to_numpy()],
    )


#: how a category column appears in key-figure names (``chi2_verified_claim``)
_COLUMN_SLUGS = {S.VERIFIED: "verified", S.CLAIM: "claim", S.BAN: "ban"}


def _associations(cfg, skipped: list[SkippedTest]):
    """``(key suffix, comparison)`` of each chi-square comparison of the primary's column."""
    by = cfg.primary.by
    for c in cfg.comparisons:
        if c.kind == "chi2" and by in (c.by, c.against):
            other = c.against if c.by == by else c.by
            yield f"{_COLUMN_SLUGS[by]}_{_COLUMN_SLUGS[other]}", c


def _association_figures(cfg, chi_tests: list[ChiSquareTest], skipped) -> dict:
    """``chi2_<primary column>_<other>`` and ``cramers_v_…``: does the mix differ by group?"""
    done = {t.name: t for t in chi_tests}
    out = {}
    for suffix, c in _associations(cfg, skipped):
        t = done.get(c.name)
        out[f"chi2_{suffix}"] = t.chi2 if t else float("nan")
        out[f"cramers_v_{suffix}"] = t.cramers_v if t else float("nan")
    return out


def _association_reasons(cfg, skipped: list[SkippedTest]) -> dict[str, str]:
    why = {s.name: f"not computed: {s.reason}" for s in skipped}
    return {f"{kind}_{suffix}": why[c.name] for suffix, c in _associations(cfg, skipped)
            if c.name in why for kind in ("chi2", "cramers_v")}


def _decide(test, p_holm: float, alpha: float):
    return test.model_copy(update={"p_holm": p_holm,
                                   "decision": "reject" if p_holm < alpha else "fail to reject"})


def _qq(label: str, x: np.ndarray, k: int) -> QQ:
    from scipy import stats

    probs = (np.arange(1, k + 1) - 0.5) / k
    sd = x.std(ddof=1)
    z = (x - x.mean()) / sd if sd > 0 else np.zeros_like(x)  # a constant group: one point at 0
    return QQ(label=label, theoretical=[stable(v, 4) for v in stats.norm.ppf(probs)],
              sample=[stable(v, 4) for v in np.quantile(z, probs)])

