"""How each stage's bundle tables are shown: one :class:`~.tables.TableSpec` per table, read by
the HTML/PDF templates (``data_table(formatted(key))``) and by the Quarto documents
(``table_markdown``), so a column's decimals are set here and nowhere else.

A key ending in ``*`` covers every table whose name starts with what comes before it (the
numbered cross-tabulations of the hypothesis stage, the correlation matrix of each class).
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from .tables import TableSpec

__all__ = ["SPECS", "spec_for"]

_SUMMARY = ("count", "mean", "median", "std", "q1", "q3", "outliers_iqr", "skewness")
_SHORT_SUMMARY = ("count", "mean", "median", "std", "skewness")
_SKEW = {"skewness": 2}
# correlation matrices: two decimals in every column of a correlation
_CORR = {c: 2 for c in ("video_duration_sec", "video_view_count", "video_like_count",
                        "video_share_count", "video_download_count", "video_comment_count",
                        "text_length")}

SPECS: dict[str, dict[str, TableSpec]] = {
    "eda": {
        "columns": TableSpec(
            columns=("name", "dtype", "kind", "role", "missing", "missing_share", "unique"),
            numeric=("missing", "missing_share", "unique"), labels=False, pct=("missing_share",)),
        "summary_overall": TableSpec(
            columns=("column", "count", "mean", "median", "std", "q1", "q3", "iqr",
                     "outliers_iqr", "skewness"), digits=_SKEW),
        "summary_by_claim_status": TableSpec(
            columns=("group", "column", *_SUMMARY), numeric=_SUMMARY, digits=_SKEW),
        "engagement_rates": TableSpec(numeric=("count", "mean", "median"),
                                      pct=("mean", "median")),
        "crosstab_author_ban_status": TableSpec(labels=False, pct_suffix="(share)"),
        "crosstab_verified_status": TableSpec(labels=False, pct_suffix="(share)"),
        "summary_by_author_ban_status": TableSpec(
            columns=("group", "column", *_SHORT_SUMMARY), numeric=_SHORT_SUMMARY, digits=_SKEW),
        "summary_by_verified_status": TableSpec(
            columns=("group", "column", *_SHORT_SUMMARY), numeric=_SHORT_SUMMARY, digits=_SKEW),
        "correlation_spearman": TableSpec(digits=_CORR),
        "correlation_pearson_*": TableSpec(digits=_CORR),
        "top_phrases": TableSpec(numeric=("rank", "count")),
        "measures_dimensions": TableSpec(columns=("column", "tableau_name", "role", "why"),
                                         numeric=(), labels=False),
    },
    "hypothesis": {
        "family": TableSpec(
            columns=("name", "test", "statistic", "dof", "p_value", "p_holm", "decision",
                     "effect", "effect_value", "effect_size"),
            numeric=("statistic", "dof", "p_value", "p_holm", "effect_value"), labels=False,
            digits={"statistic": 2, "effect_value": 3}, sci=("p_value", "p_holm")),
        "groups": TableSpec(
            columns=("test", "label", "n", "mean", "mean_ci_low", "mean_ci_high", "median", "std",
                     "skewness"),
            numeric=("n", "mean", "mean_ci_low", "mean_ci_high", "median", "std", "skewness"),
            labels=False,
            digits={"skewness": 2, "mean": 2, "mean_ci_low": 2, "mean_ci_high": 2, "std": 2}),
        "crosstab_*": TableSpec(labels=False),
    },
    "regression": {
        "outliers": TableSpec(digits={"q1": 0, "q3": 0, "upper_fence": 1}),
        "class_metrics": TableSpec(
            columns=("label", "precision", "recall", "f1", "support"),
            numeric=("precision", "recall", "f1", "support"), labels=False,
            digits={"precision": 3, "recall": 3, "f1": 3}),
    },
    "modeling": {
        "validation": TableSpec(labels=False, digits={m: 4 for m in (
            "recall", "precision", "f1", "accuracy", "roc_auc", "pr_auc")}),
    },
}


def spec_for(stage: str, key: str) -> TableSpec:
    """The spec of table *key* of *stage*: its own entry, else the first pattern that matches
    (KeyError when the table has none: every table a report shows is listed here)."""
    specs = SPECS[stage]
    if key in specs:
        return specs[key]
    for pattern, spec in specs.items():
        if pattern.endswith("*") and fnmatchcase(key, pattern):
            return spec
    raise KeyError(f"{stage}: no table spec for {key!r} (add one to render/table_specs.py)")
