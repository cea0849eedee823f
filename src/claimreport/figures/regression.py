"""Figures of the regression stage, drawn from a :class:`RegressionResult`."""

from __future__ import annotations

import numpy as np

from ..data.schema import VERIFIED, short
from ..results.regression import RegressionResult
from . import FigureSpec
from .common import draw_confusion, draw_correlation, draw_curves, empty_figure, with_scale
from .theme import (
    BASELINE_HATCH,
    INK,
    MUTED,
    REFERENCE,
    SMALL,
    WIDTH,
    level_colour,
    model_colour,
    new_figure,
    text_on,
    thousands,
)

__all__ = ["specs"]


def _short(col: str) -> str:
    return short(col)


def specs(result: RegressionResult) -> dict[str, FigureSpec]:
    cm = result.confusion.counts
    return {
        "forest": FigureSpec(
            "What goes with a verified author: odds ratios with 95% CIs",
            "Forest plot of odds ratios on a log scale; counts per standard deviation, categories "
            "against their reference; the line at 1 means no association; open grey estimates "
            "are not statistically significant.",
            lambda plt: _forest(plt, result)),
        "confusion": FigureSpec(
            "Test-set confusion matrix",
            f"Two-by-two table of actual against predicted verified status; the model found "
            f"{cm[1][1]:,} of {sum(cm[1]):,} verified videos and flagged {cm[0][1]:,} unverified "
            "ones by mistake.",
            lambda plt: draw_confusion(plt, result.confusion, "Verified status")),
        "curves": FigureSpec(
            "ROC and precision-recall curves on the test set",
            f"ROC curve (AUC {result.roc.auc:.2f}) and precision-recall curve (average precision "
            f"{result.pr.auc:.2f}) with chance levels dashed.",
            lambda plt: draw_curves(plt, result.roc, result.pr, "verified", INK,
                                    "flagging model")),
        "balance": FigureSpec(
            "Class balance of the data, the training rows and the test set",
            "Stacked bars of the verified share in " + _balance_words(result) + ".",
            lambda plt: _balance(plt, result)),
        "correlation": FigureSpec(
            "Correlation between candidate predictors",
            "Heat map of Pearson correlations among the count predictors; the strongest pair is "
            + _strongest_pair(result) + ".",
            lambda plt: _correlation(plt, result), cost=2),
        "risks": FigureSpec(
            "Verified authors per 100 videos, other characteristics held as they are",
            "Model-adjusted verified authors per 100 videos: " + _risk_alt(result) + ".",
            lambda plt: _risks(plt, result)),
        "baseline": FigureSpec(
            f"Flagging model against always answering \u201c{result.baseline.predicted_label}\u201d",
            f"Model against baseline: right answers {result.accuracy:.0%} and "
            f"{result.baseline.accuracy:.0%}, videos flagged {result.share_flagged:.0%} and "
            f"{result.baseline.share_flagged:.0%}, verified authors found "
            f"{result.class_metrics[1].recall:.0%} and {result.baseline.recall_verified:.0%}, "
            "flags right " + _share(result.class_metrics[1].precision) + " and "
            + _share(result.baseline.precision_verified) + ".",
            lambda plt: _baseline(plt, result)),
        "logits": FigureSpec(
            "Linearity of the log-odds: empirical logits by decile",
            "Small multiples of the empirical log-odds of a verified author against each count "
            "predictor's decile medians, each panel's x axis on the scale it names (log scales "
            "include 0 where a decile median is 0); straight lines would mean linear log-odds.",
            lambda plt: _logits(plt, result), cost=3),
    }


def _interval(c) -> tuple[float, float, float]:
    if c.kind == "continuous":
        return c.odds_ratio_per_sd, c.or_sd_ci_low, c.or_sd_ci_high
    return c.odds_ratio_per_step, c.or_step_ci_low, c.or_step_ci_high


def _strongest_pair(result: RegressionResult) -> str:
    m = result.correlation
    n = len(m.labels)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n) if m.values[i][j] == m.values[i][j]]
    if not pairs:
        return "no pair of predictors (a constant predictor correlates with nothing)"
    i, j = max(pairs, key=lambda ij: abs(m.values[ij[0]][ij[1]]))
    return f"{_short(m.labels[i]).lower()} and {_short(m.labels[j]).lower()} (r = {m.values[i][j]:.2f})"


def _forest(plt, result: RegressionResult):
    # a category with no verified author cannot be estimated (infinite or zero odds ratio)
    rows = [c for c in result.coefficients if c.kind != "intercept"
            and all(v is not None and 0 < v < float("inf") for v in _interval(c))]
    fig, ax = new_figure(plt, WIDTH["narrow"], 0.27 * len(rows) + 0.95)
    y = np.arange(len(rows))[::-1]
    for yi, c in zip(y, rows):
        est, lo, hi = _interval(c)
        significant = c.p_value < 0.05
        colour = INK if significant else MUTED
        ax.errorbar(est, yi, xerr=[[est - lo], [hi - est]], fmt="o", color=colour, capsize=3,
                    ms=5, mfc=colour if significant else "white")
    ax.axvline(1, color=REFERENCE, linewidth=1, linestyle="--")
    ax.set_xscale("log")
    ax.set_yticks(y, [_term_label(c) for c in rows])
    ax.set_xlabel("Odds ratio (log scale)")
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter
    ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))  # 0.5 1 2 5, not only 1
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"{x:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.grid(axis="y", visible=False)
    ax.set_title("Odds ratios, 95% CI", loc="left")
    lo = min([_interval(c)[1] for c in rows] + [0.5])
    hi = max([_interval(c)[2] for c in rows] + [2.0])
    ax.set_xlim(lo / 1.3, hi * 1.3)
    return fig


def _term_label(c) -> str:
    """Short axis label: "Duration (s), per SD", "Opinion vs claim", "Banned vs active"."""
    if c.kind == "continuous":
        return f"{_short(c.term)}, per SD"
    return f"{c.level.capitalize()} vs {c.reference}"


#: the prediction model's rebalancing -> how it weighs the training rows, for the balance chart
_WEIGHED = {"class_weight": "as the\nflagging model weighs them",
            "upsample": "upsampled, as the\nflagging model is fitted"}


def _balance_parts(result: RegressionResult) -> list[tuple[str, list]]:
    """The bars of the balance chart: every row, the training rows as counted, the training rows
    as the flagging model weighs them (when it rebalances them: balanced class weights and
    upsampling both give each class the same total weight, so equal shares), the test set."""
    course = result.protocol == "course"
    parts = [("All rows, after upsampling" if course else "All complete rows",
              result.balance_before),
             ("Training rows, counted", result.balance_train)]
    weighed = _WEIGHED.get(result.prediction_fit.rebalance)
    if weighed:
        k = len(result.balance_train)
        parts.append((f"Training rows, {weighed}",
                      [lvl.model_copy(update={"share": 1 / k}) for lvl in result.balance_train]))
    return parts + [("Test set", result.balance_test)]


def _balance_words(result: RegressionResult) -> str:
    return ", ".join(f"{name.lower().replace(chr(10), ' ')} "
                     f"({', '.join(f'{lvl.share:.0%} {lvl.label}' for lvl in levels)})"
                     for name, levels in _balance_parts(result))


def _balance(plt, result: RegressionResult):
    parts = _balance_parts(result)
    fig, ax = new_figure(plt, WIDTH["narrow"], 0.45 * len(parts) + 0.85)
    y = np.arange(len(parts))[::-1]
    for yi, (_name, levels) in zip(y, parts):
        left = 0.0
        for lvl in levels:
            colour = level_colour(VERIFIED, lvl.label)
            ax.barh(yi, lvl.share, left=left, color=colour, height=0.6,
                    label=lvl.label if yi == y[0] else None)
            if lvl.share >= 0.12:
                ax.text(left + lvl.share / 2, yi, f"{lvl.share:.0%}", ha="center", va="center",
                        fontsize=SMALL + 0.5, color=text_on(colour))
            elif lvl.share > 0:  # a thin bar: label it outside, to the right
                ax.text(1.01, yi, f"{lvl.share:.0%} {lvl.label}", ha="left", va="center",
                        fontsize=SMALL, color=INK)
            left += lvl.share
    ax.set_yticks(y, [p[0] for p in parts])
    ax.set_xlim(0, 1)
    ax.set_xticks([0, 0.5, 1])
    ax.set_clip_on(False)
    ax.xaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    ax.grid(False)
    ax.legend(ncols=2, loc="upper center", bbox_to_anchor=(0.5, -0.2))
    ax.set_title("Verified share", loc="left")
    return fig


def _correlation(plt, result: RegressionResult):
    m = result.correlation
    fig, _ax = draw_correlation(plt, m, [_short(c) for c in m.labels], (WIDTH["half"], 3.1))
    return fig


def _logits(plt, result: RegressionResult):
    items = [e for e in result.empirical_logits if e.x]
    if not items:
        return empty_figure(plt, "No count predictor varies enough to bin into deciles.")
    fig, axes = new_figure(plt, WIDTH["full"], 2.6, ncols=len(items), sharey=True)
    for ax, e in zip(np.atleast_1d(axes), items):
        ax.plot(e.x, e.logit, marker="o", ms=3.5, color=INK, linewidth=1.2)
        ax.set_title(_short(e.column), loc="left")
        positive = [v for v in e.x if v > 0]
        if max(e.x) > 1000 and min(e.x) > 0:  # counts span decades
            ax.set_xscale("log")
        elif max(e.x) > 1000:  # ... and a decile at 0: symlog keeps it on the chart
            ax.set_xscale("symlog", linthresh=max(min(positive, default=1.0), 1.0))
            ax.set_xlim(left=0)
        elif min(e.x) >= 0:  # a linear axis of a count starts at 0
            ax.set_xlim(left=0)
        thousands(ax, "x")
        ax.tick_params(axis="x", rotation=30)
        ax.set_xlabel(with_scale("", ax, "x").strip(" ()").replace(", ", ",\n") or "linear",
                      fontsize=SMALL, color=REFERENCE)
    np.atleast_1d(axes)[0].set_ylabel("Empirical log-odds")
    return fig


def _share(x: float) -> str:
    return f"{x:.0%}" if x == x else "not defined (nothing flagged)"


def _indicator_risks(result: RegressionResult) -> list:
    return [r for r in result.adjusted_risks if r.kind == "indicator"
            and r.adjusted_per_100_level == r.adjusted_per_100_level
            and r.adjusted_per_100_reference == r.adjusted_per_100_reference]


def _risk_alt(result: RegressionResult) -> str:
    rows = _indicator_risks(result)
    if not rows:
        return "no category could be estimated"
    return "; ".join(f"{r.level} {r.adjusted_per_100_level:.1f} against {r.reference} "
                     f"{r.adjusted_per_100_reference:.1f}" for r in rows) + (
        " (filled: category; open: reference)")


def _risks(plt, result: RegressionResult):
    rows = _indicator_risks(result)
    if not rows:
        return empty_figure(plt, "No category of the model could be estimated.", WIDTH["half"])
    from matplotlib.lines import Line2D

    fig, ax = new_figure(plt, WIDTH["half"], 0.36 * len(rows) + 1.1)
    y = np.arange(len(rows))[::-1]
    for yi, r in zip(y, rows):
        lvl, ref = r.adjusted_per_100_level, r.adjusted_per_100_reference
        ax.plot(sorted((lvl, ref)), [yi, yi], color="#cccccc", linewidth=2, zorder=1)
        # each point in its level's colour; filled: the category, open: its reference
        ax.scatter(ref, yi, s=30, zorder=2, facecolor="white",
                   edgecolor=level_colour(r.column, r.reference), linewidth=1.6)
        ax.scatter(lvl, yi, s=36, zorder=3, color=level_colour(r.column, r.level),
                   edgecolor=INK, linewidth=0.5)
        # one decimal on both, as the alt text and the table: the category's value above its
        # point, the reference's below, so close values never overlap
        ax.annotate(f"{lvl:.1f}", (lvl, yi), textcoords="offset points", xytext=(0, 5),
                    ha="center", va="bottom", fontsize=SMALL)
        ax.annotate(f"{ref:.1f}", (ref, yi), textcoords="offset points", xytext=(0, -5),
                    ha="center", va="top", fontsize=SMALL, color=REFERENCE)
    ax.set_yticks(y, [f"{r.level.capitalize()} vs {r.reference}" for r in rows])
    ax.set_xlim(0, max(max(r.adjusted_per_100_level, r.adjusted_per_100_reference)
                       for r in rows) * 1.15)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xlabel("Verified authors per 100 videos")
    ax.grid(axis="y", visible=False)
    ax.set_title("Model-adjusted risk", loc="left")
    marks = [Line2D([], [], marker="o", linestyle="", color=MUTED, mec=INK, mew=0.5,
                    label="category"),
             Line2D([], [], marker="o", linestyle="", mfc="white", mec=MUTED, mew=1.6,
                    label="reference (after \u201cvs\u201d)")]
    ax.legend(handles=marks, ncols=2, loc="upper center", bbox_to_anchor=(0.5, -0.32),
              handletextpad=0.3, columnspacing=1.2)
    return fig


def _baseline(plt, result: RegressionResult):
    base, verified = result.baseline, result.class_metrics[1]
    names = ["Right answers", "Videos flagged", "Verified found", "Flags right"]
    model = [result.accuracy, result.share_flagged, verified.recall, verified.precision]
    never = [base.accuracy, base.share_flagged, base.recall_verified, base.precision_verified]
    fig, ax = new_figure(plt, WIDTH["half"], 2.2)
    y = np.arange(len(names))[::-1]
    h = 0.4
    ax.barh(y + h / 2, [v if v == v else 0 for v in model], h, color=INK,
            label="flagging model")
    ax.barh(y - h / 2, [v if v == v else 0 for v in never], h, color="white",
            edgecolor=model_colour("baseline"), hatch=BASELINE_HATCH["majority"], linewidth=0.8,
            label=f"always \u201c{base.predicted_label}\u201d")
    for yi, m, b in zip(y, model, never):
        for off, v in ((h / 2, m), (-h / 2, b)):
            ax.text((v if v == v else 0) + 0.01, yi + off, f"{v:.0%}" if v == v else "none flagged",
                    va="center", fontsize=SMALL)
    ax.set_yticks(y, names)
    ax.set_xlim(0, 1.22)
    ax.set_xticks([0, 0.5, 1])
    ax.xaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    ax.grid(axis="y", visible=False)
    ax.legend(ncols=2, loc="upper center", bbox_to_anchor=(0.45, -0.12), columnspacing=1,
              handlelength=1.5)
    ax.set_title("Test set", loc="left")
    return fig
