"""Formatting filters for templates. Every number a reader sees passes through one of these,
so a missing value prints as an em dash, never as ``nan``."""

from __future__ import annotations

import math
from numbers import Number

__all__ = ["FILTERS", "num", "pct", "pval", "cell", "label", "times", "is_missing"]

DASH = "\u2014"

# Statistics and table columns; column and category labels come from data/schema.py.
_LABELS = {
    "#": "Row number (#)",
    "count": "n", "mean": "Mean", "median": "Median", "std": "Std dev", "min": "Min",
    "q1": "Q1", "q3": "Q3", "max": "Max", "iqr": "IQR", "outliers_iqr": "Outliers (IQR)",
    "skewness": "Skewness", "group": "Group", "column": "Column", "missing": "Missing",
    "missing_share": "Missing share", "unique": "Distinct", "dtype": "Type", "kind": "Kind",
    "role": "Tableau role", "label": "Group", "name": "Name", "rate": "Rate",
    "likes_per_view": "Likes per view", "comments_per_view": "Comments per view",
    "shares_per_view": "Shares per view", "downloads_per_view": "Downloads per view",
    "phrase": "Phrase", "rank": "Rank", "total": "Total", "tableau_name": "Tableau name",
    "why": "Why", "test": "Test", "statistic": "Statistic", "dof": "df", "p_value": "p",
    "p_holm": "p (Holm)", "decision": "Decision", "effect": "Effect size",
    "effect_value": "Value", "effect_size": "Size", "mean_ci_low": "Mean CI low",
    "mean_ci_high": "Mean CI high", "upper_fence": "Upper fence",
    "n_above": "Above fence", "capped": "Capped", "precision": "Precision", "recall": "Recall",
    "f1": "F1", "support": "Support", "roc_auc": "ROC AUC", "pr_auc": "PR AUC",
    "accuracy": "Accuracy",
}


def is_missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def num(x, digits: int = 0) -> str:
    """``1234567.891`` → ``1,234,567`` (or with *digits* decimals)."""
    if is_missing(x):
        return DASH
    text = f"{x:,.{digits}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text  # no "-0.00"


def pct(x, digits: int = 1) -> str:
    """A share ``0.4957`` → ``49.6%``."""
    if is_missing(x):
        return DASH
    return f"{100 * x:.{digits}f}%"


def pval(p, threshold: float = 0.001) -> str:
    """p-values for prose: ``< 0.001`` below the threshold, else three decimals."""
    if is_missing(p):
        return DASH
    return f"< {threshold:g}" if p < threshold else f"{p:.3f}"


def sci(x, digits: int = 3) -> str:
    """Scientific notation for tiny numbers in tables (``2.609e-120``); an underflowed p-value
    of exactly 0 prints as ``< 1e-300`` rather than pretending to be zero."""
    if is_missing(x):
        return DASH
    if x == 0:
        return "< 1e-300"
    return f"{x:.{digits}e}" if x != 0 and abs(x) < 1e-3 else f"{x:.{digits + 1}g}"


def ptab(p) -> str:
    """p-values in tables: three decimals, scientific below 0.001 (2.61e-120)."""
    if is_missing(p):
        return DASH
    if p == 0:
        return "< 1e-300"
    return f"{p:.2e}" if p < 0.001 else f"{p:.3f}"


def cell(x) -> str:
    """Generic table cell: integers with separators, floats with sensible precision."""
    if is_missing(x) or (isinstance(x, str) and x == ""):
        return DASH
    if isinstance(x, bool):
        return "yes" if x else "no"
    if not isinstance(x, Number):
        return str(x)
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{x:,.0f}"
    if abs(x) >= 1:
        return f"{x:,.2f}"
    if abs(x) >= 1e-3:
        return f"{x:.3f}"
    return f"{x:.2e}"


def label(name) -> str:
    """Human label of a column, an indicator (``claim_status_opinion``) or a statistic name;
    unknown names pass through unchanged."""
    from ..data import schema as S

    name = str(name)
    if S.known(name):
        return S.short(name)
    for col, levels in S.LABELS.items():
        if name.startswith(col + "_") and name[len(col) + 1:] in levels:
            return S.level_label(col, name[len(col) + 1:])
    return _LABELS.get(name, name)


def times(ratio: float) -> str:
    """A ratio in words: 101.3 → ``about 100 times``; 1.04 → ``about the same as``."""
    if is_missing(ratio) or ratio <= 0:
        return DASH
    if 0.95 <= ratio <= 1.05:
        return "about the same as"
    if ratio < 1:  # callers put the larger number first; this is only a fallback
        return f"about {ratio:.2f} times"
    if ratio < 10:
        return f"about {ratio:.1f} times".replace(".0 times", " times")
    digits = int(math.floor(math.log10(ratio)))
    one_sig = round(ratio, -digits)
    if abs(ratio - one_sig) / ratio <= 0.05:  # close to a round number: say the round number
        return f"about {one_sig:,.0f} times"
    return f"about {round(ratio, 1 - digits):,.0f} times"


def plain(x) -> str:
    """A configured quantity as written: 100000 → ``100,000``; 0.5 → ``0.5`` (no rounding)."""
    if is_missing(x):
        return DASH
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{x:,.0f}"
    return f"{x:g}"


def feature(name) -> str:
    """A classifier feature in words ("Views", "Author banned", "Phrase 'media claim'")."""
    from ..features import feature_label

    return feature_label(str(name))


FILTERS = {"num": num, "pct": pct, "pval": pval, "sci": sci, "ptab": ptab, "cell": cell,
           "label": label, "times": times, "feature": feature, "plain": plain}
