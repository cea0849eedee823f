"""Figures of the modeling stage, drawn from a :class:`ModelingResult`."""

from __future__ import annotations

import numpy as np

from ..results.modeling import ModelingResult
from . import FigureSpec
from .common import confusion_on, draw_curves, nice_floor, zoomed
from .theme import (
    BASELINE_HATCH,
    REFERENCE,
    SMALL,
    WIDTH,
    model_colour,
    new_figure,
)

__all__ = ["specs"]

METRICS = ("recall", "precision", "f1", "accuracy")


def specs(result: ModelingResult) -> dict[str, FigureSpec]:
    from ..features import feature_label
    from ..render.narrative.modeling import importance_words, model_phrase

    name = model_phrase(result.champion)
    val = {s.model: s for s in result.validation}
    top = result.importances[:3]
    kind = importance_words(result.importance_kind)
    return {
        "baselines": FigureSpec(
            f"Claims missed per 1,000: the {name} against simple baselines (validation)",
            _baselines_alt(result),
            lambda plt: _baselines(plt, result)),
        "calibration": FigureSpec(
            f"Do the {name}'s probabilities match what happens? (test)",
            _calibration_alt(result),
            lambda plt: _calibration(plt, result)),
        "validation": FigureSpec(
            "Validation scores of both models",
            "Dot plot of recall, precision, F1 and accuracy on the validation set for "
            + " and ".join(f"{s.name} (recall {s.recall:.3f})" for s in val.values()) + ".",
            lambda plt: _validation(plt, result)),
        "importances": FigureSpec(
            f"What the {name} relies on: feature importances",
            f"Horizontal bars of the ten most important features by {kind}; the top three are "
            f"{', '.join(feature_label(i.feature).lower() for i in top)}.",
            lambda plt: _importances(plt, result)),
        "confusions": FigureSpec(
            f"Confusion matrices: both models on validation, the {name} on test",
            "Three labelled two-by-two tables of actual against predicted claim status, with the "
            "share of each actual class.",
            lambda plt: _confusions(plt, result), cost=2),
        "curves": FigureSpec(
            f"ROC and precision-recall curves of the {name} on the test set",
            f"ROC curve (AUC {result.test.roc_auc:.3f}) and precision-recall curve (average "
            f"precision {result.test.pr_auc:.3f}) with chance levels dashed.",
            lambda plt: draw_curves(plt, result.test.roc, result.test.pr, "claim",
                                    model_colour(result.champion), result.champion_name)),
        "thresholds": FigureSpec(
            "Recall and precision as the decision threshold moves (validation)",
            "Line chart of the champion's validation recall and precision at every threshold "
            "from 0.01 to 0.99, with the target recall dashed"
            + (f" and the highest threshold keeping it ({result.threshold_for_target:.2f}) "
               "dotted." if result.threshold_for_target is not None else "."),
            lambda plt: _thresholds(plt, result)),
    }


def _validation(plt, result: ModelingResult):
    fig, ax = new_figure(plt, WIDTH["half"], 2.6)
    y = np.arange(len(METRICS))[::-1]
    lows = []
    for k, s in enumerate(result.validation):
        values = [getattr(s, m) for m in METRICS]
        lows += [v for v in values if v == v]
        ax.scatter(values, y + (0.12 if k == 0 else -0.12), s=30, color=model_colour(s.model),
                   label=s.name, zorder=3)
    ax.set_yticks(y, [m.capitalize() if m != "f1" else "F1" for m in METRICS])
    lo = min(lows, default=0.0)
    high = 1.0 + (1 - lo) * 0.15 + 0.0005
    start = max(0.0, lo - (1 - lo) * 0.6 - 0.002)
    # zoomed in to tell close scores apart: start at a round number and say so on the axis
    ax.set_xlim(nice_floor(start, high) if start > 0 else 0.0, high)
    ax.xaxis.set_major_locator(plt.matplotlib.ticker.MaxNLocator(4))
    ax.set_xlabel(zoomed(ax, "x", "Score on validation", sep="\n"))
    ax.legend(loc="lower left")
    ax.grid(axis="y", visible=False)
    ax.set_title("Validation: claim is positive", loc="left")
    return fig


def _importances(plt, result: ModelingResult):
    from ..features import feature_label
    from ..render.narrative.modeling import importance_words

    items = result.importances[:10][::-1]
    fig, ax = new_figure(plt, WIDTH["half"], 2.4)
    ax.barh([feature_label(i.feature) for i in items], [i.importance for i in items],
            color=model_colour(result.champion))
    ax.set_xlabel(f"Share of {importance_words(result.importance_kind)}")
    ax.xaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    ax.tick_params(axis="y", labelsize=SMALL)
    ax.grid(axis="y", visible=False)
    ax.set_title("Top features", loc="left")
    return fig


def _confusions(plt, result: ModelingResult):
    panels = [(s.confusion, f"{s.name} · validation") for s in result.validation]
    panels.append((result.test.confusion, f"{result.champion_name} · test"))
    fig, axes = new_figure(plt, WIDTH["full"], 2.5, ncols=len(panels))
    for k, (ax, (cm, title)) in enumerate(zip(np.atleast_1d(axes), panels)):
        confusion_on(ax, cm, "Claim status", title, compact=True)
        ax.title.set_fontsize(SMALL + 0.5)
        if k:  # the rows are the same in every panel: name them once, leave room for titles
            ax.set_ylabel("")
    return fig


def _thresholds(plt, result: ModelingResult):
    rows = result.thresholds
    fig, ax = new_figure(plt, WIDTH["half"], 2.8)
    t = [r.threshold for r in rows]
    colour = model_colour(result.champion)  # both lines are the champion's: styles tell them apart
    ax.plot(t, [r.recall for r in rows], color=colour, linewidth=1.8, label="recall")
    ax.plot(t, [r.precision for r in rows], color=colour, linewidth=1.4, linestyle=(0, (4, 1.5, 1, 1.5)),
            alpha=0.75, label="precision")
    ax.axhline(result.target_recall, color=REFERENCE, linestyle="--", linewidth=1,
               label=f"target recall {result.target_recall:g}")
    if result.threshold_for_target is not None:
        ax.axvline(result.threshold_for_target, color=REFERENCE, linestyle=":", linewidth=1)
    ax.set_xlim(0, 1)
    scores = [v for r in rows for v in (r.recall, r.precision) if v == v]
    low = min([*scores, result.target_recall], default=0.0)
    if low > 0.5:  # zoomed in to show the trade-off near the target, and said so
        ax.set_ylim(nice_floor(low - 0.1 * (1.0 - low), 1.0), 1.0 + 0.08 * (1.0 - low) + 0.001)
    else:
        ax.set_ylim(0, 1.03)
    ax.set_ylabel(zoomed(ax, "y", "Score", sep="\n"))
    ax.set_xlabel("Decision threshold (probability of a claim)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.45, -0.25), ncols=3, frameon=False,
              columnspacing=0.8, handlelength=1.6)
    ax.set_title("Threshold trade-off (validation)", loc="left")
    return fig


def _baseline_rows(result: ModelingResult) -> list[tuple[str, float, float, bool, str]]:
    """(label, claims missed per 1,000, flag rate, is the champion, model or baseline kind),
    champion first. The majority class is left out: it misses none or all claims by
    construction (see the table)."""
    from ..render.narrative.modeling import rule_words

    rows = [(s.name, 1000 * (1 - s.recall), s.flag_rate, s.model == result.champion, s.model)
            for s in sorted(result.validation, key=lambda s: s.model != result.champion)]
    words = {"rule": lambda b: "Rule: " + rule_words(b).removeprefix("flag videos with "),
             "logistic": lambda b: "Logistic regression"}
    rows += [(words[b.kind](b), 1000 * (1 - b.recall), b.flag_rate, False, b.kind)
             for b in result.baselines if b.kind in words]
    return rows


def _per_1000(x: float) -> str:
    return f"{x:.1f}" if np.isfinite(x) else "not defined"


def _baselines_alt(result: ModelingResult) -> str:
    parts = [f"{label} {_per_1000(missed)} (flags {_pct(flags)} of videos)"
             for label, missed, flags, _, _ in _baseline_rows(result)]
    return ("Horizontal bars of claims missed per 1,000 validation claims, with the target "
            f"dashed: {'; '.join(parts)}.")


def _baselines(plt, result: ModelingResult):
    rows = _baseline_rows(result)[::-1]
    fig, ax = new_figure(plt, WIDTH["half"], 2.15)
    y = np.arange(len(rows))
    missed = [np.nan_to_num(r[1]) for r in rows]
    target = 1000 * (1 - result.target_recall)
    for yi, m, row in zip(y, missed, rows):
        colour = model_colour(row[4])
        if row[4] in BASELINE_HATCH:  # baselines: charcoal outline, hatched by kind
            ax.barh(yi, m, color="white", edgecolor=colour, hatch=BASELINE_HATCH[row[4]],
                    linewidth=0.8, height=0.6)
        else:
            ax.barh(yi, m, color=colour, height=0.6)
    ax.set_yticks(y, [r[0] + (" (chosen)" if r[3] else "") for r in rows])
    ax.tick_params(axis="y", labelsize=SMALL)
    top = max([*missed, target, 1.0])
    ax.axvline(target, color=REFERENCE, linestyle="--", linewidth=1, zorder=1)
    ax.text(target, len(rows) - 0.45, "target", ha="center", va="bottom", fontsize=SMALL,
            color=REFERENCE)
    for yi, (_, m, flags, _, _) in zip(y, rows):
        ax.text(np.nan_to_num(m) + top * 0.02, yi, f"{_per_1000(m)} · flags {_pct(flags)}",
                va="center", fontsize=SMALL, zorder=4,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})
    ax.set_xlim(0, top * 1.75)
    ax.set_ylim(-0.5, len(rows) - 0.1)
    ax.set_xlabel("Claims missed per 1,000")
    ax.grid(axis="y", visible=False)
    ax.set_title("Fewer is better", loc="left")
    return fig


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%" if np.isfinite(x) else "not defined"


def _calibration_alt(result: ModelingResult) -> str:
    c = result.calibration
    used = [b for b in c.bins if b.videos]
    total = sum(b.videos for b in c.bins)
    ends = c.bins[0].videos + c.bins[-1].videos
    brier = f"{c.brier:.4f}" if np.isfinite(c.brier) else "not defined"
    return (f"Reliability curve in {len(c.bins)} equal-width bins of predicted probability "
            f"({len(used)} hold videos) against the share of claims, diagonal dashed; Brier "
            f"score {brier}. {ends:,} of {total:,} test videos get a probability below "
            f"{c.bins[0].high:.1f} or above {c.bins[-1].low:.1f}.")


def _calibration(plt, result: ModelingResult):
    bins = [b for b in result.calibration.bins if b.videos]
    fig, ax = new_figure(plt, WIDTH["half"], 2.8)
    ax.plot([0, 1], [0, 1], color=REFERENCE, linestyle="--", linewidth=1)
    x = [b.mean_predicted for b in bins]
    y = [b.share_claims for b in bins]
    colour = model_colour(result.champion)
    ax.plot(x, y, color=colour, linewidth=1)
    ax.scatter(x, y, s=[12 + 60 * np.sqrt(b.videos / max(1, max(c.videos for c in bins)))
                        for b in bins], color=colour, zorder=3)
    for b in bins:
        ax.annotate(f"{b.videos:,}", (b.mean_predicted, b.share_claims), fontsize=SMALL,
                    xytext=(3, -10), textcoords="offset points")
    ax.set_xlim(-0.03, 1.03)
    ax.set_ylim(-0.05, 1.08)
    ax.set_xlabel("Predicted probability of a claim (bin average)")
    ax.set_ylabel("Share that are claims")
    ax.set_title("Reliability (labels: videos per bin)", loc="left")
    return fig
