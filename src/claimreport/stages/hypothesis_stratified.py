"""How the hypothesis stage's stratified analysis enters its outputs: family rows, key
figures with their reasons, and the stratified table.

Why a module of its own: running the within-level tests and the adjusted estimate is
:mod:`claimreport.stats.stratified`'s job, and :mod:`.hypothesis` puts them in the Holm family
and decides the verdict; what is left is bookkeeping, turning a
:class:`~claimreport.results.hypothesis.StratifiedAnalysis` into the rows of the family table, the
``*_within_<level>`` and ``adjusted_*`` key figures (or why each is undefined) and the
``stratified`` table, which would otherwise make the stage module longer than it is readable.
Internal to :mod:`.hypothesis`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..data import schema as S
from ..results.hypothesis import FamilyRow, StratifiedAnalysis
from ..stats.inference import effect_word

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..config import Comparison


def _slug(text: str) -> str:
    return text.replace(" ", "_")


def _stratified_rows(c: Comparison, s: StratifiedAnalysis) -> list[FamilyRow]:
    rows = [FamilyRow(name=f"{c.name}, within {t.level}", test="Welch t", statistic=t.t_statistic,
                      dof=t.dof, p_value=t.p_value, p_holm=t.p_holm, decision=t.decision,
                      effect="Hedges' g", effect_value=t.hedges_g,
                      effect_size=effect_word(t.hedges_g, "g"))
            for t in s.strata if t.reason is None]
    a = s.adjusted
    if a.reason is None:
        rows.append(FamilyRow(name=f"{c.name}, adjusted for {S.noun(s.by)}",
                              test="OLS, HC3 (z)", statistic=a.z_statistic, dof=float("nan"),
                              p_value=a.p_value, p_holm=a.p_holm, decision=a.decision,
                              effect="Adjusted difference", effect_value=a.difference,
                              effect_size=""))
    return rows


def _stratified_figures(by: str, s: StratifiedAnalysis | None) -> dict:
    nan = float("nan")
    if s is None:
        return {"stratified_by": None, "difference_verdict": None, "adjusted_difference": nan,
                "adjusted_p_value": nan}
    out = {"stratified_by": by}
    for t in s.strata:
        out[f"p_value_within_{_slug(t.level)}"] = t.p_holm
        out[f"mean_difference_within_{_slug(t.level)}"] = t.mean_difference
    return {**out, "adjusted_difference": s.adjusted.difference,
            "adjusted_p_value": s.adjusted.p_holm, "difference_verdict": s.verdict}


def _stratified_reasons(c: Comparison, s: StratifiedAnalysis | None) -> dict[str, str]:
    if s is None:
        off = "the stratified analysis is switched off (hypothesis.stratify_by is empty)"
        return dict.fromkeys(("stratified_by", "difference_verdict", "adjusted_difference",
                              "adjusted_p_value"), off)
    out = {}
    for t in s.strata:
        if t.reason is not None:
            out[f"p_value_within_{_slug(t.level)}"] = f"not tested within {t.level}: {t.reason}"
        empty = [g for g, n in zip(c.groups, (t.n_a, t.n_b)) if n == 0]
        if empty:
            out[f"mean_difference_within_{_slug(t.level)}"] = (
                f"no complete rows of {' or '.join(map(repr, empty))} within {t.level}")
    if s.adjusted.reason is not None:
        out["adjusted_difference"] = out["adjusted_p_value"] = s.adjusted.reason
    return out


def _stratified_table(by: str, s: StratifiedAnalysis) -> pd.DataFrame:
    import pandas as pd

    rows = [{"estimate": f"within {t.level}", "n_a": t.n_a, "n_b": t.n_b, "mean_a": t.mean_a,
             "mean_b": t.mean_b, "difference": t.mean_difference, "ci_low": t.ci_low,
             "ci_high": t.ci_high, "statistic": t.t_statistic, "dof": t.dof,
             "p_value": t.p_value, "p_holm": t.p_holm, "decision": t.decision or "not computed",
             "note": t.reason or ""} for t in s.strata]
    a = s.adjusted
    fitted = [t for t in s.strata if t.level in a.levels]
    rows.append({"estimate": f"adjusted for {S.noun(by)}", "n_a": sum(t.n_a for t in fitted),
                 "n_b": sum(t.n_b for t in fitted), "mean_a": float("nan"),
                 "mean_b": float("nan"), "difference": a.difference, "ci_low": a.ci_low,
                 "ci_high": a.ci_high, "statistic": a.z_statistic, "dof": float("nan"),
                 "p_value": a.p_value, "p_holm": a.p_holm,
                 "decision": a.decision or "not computed", "note": a.reason or ""})
    return pd.DataFrame(rows)
