"""Figures of the modeling stage, drawn from a :class:`ModelingResult`."""

from __future__ import annotations

import numpy as np

from ..results.modeling import ModelingResult
from . import FigureSpec
from .common import confusion_on, draw_curves
from .theme import PALETTE, new_figure

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
            lambda plt: draw_curves(plt, result.test.roc, result.test.pr, "claim")),
        "thresholds": FigureSpec(
            "Recall and precision as the decision threshold moves (validation)",
            "Line chart of the champion's validation recall and precision at each threshold, "
            "with the target recall dashed.",
            lambda plt: _thresholds(plt, result)),
    }


def _validation(plt, result: ModelingResult):
    fig, ax = new_figure(plt, 3.6, 2.6)
    y = np.arange(len(METRICS))[::-1]
    lows = []
    for k, s in enumerate(result.validation):
        values = [getattr(s, m) for m in METRICS]
        lows += values
        ax.scatter(values, y + (0.12 if k == 0 else -0.12), s=30, color=PALETTE[k], label=s.name,
                   zorder=3)
    ax.set_yticks(y, [m.capitalize() if m != "f1" else "F1" for m in METRICS])
    lo = min(lows)
    ax.set_xlim(max(0.0, lo - (1 - lo) * 0.6 - 0.002), 1.0 + (1 - lo) * 0.15 + 0.0005)
    ax.set_xlabel("Score on validation (axis zoomed)")
    ax.legend(fontsize=7, loc="lower left")
    ax.grid(axis="y", visible=False)
    ax.set_title("Validation: claim is positive", loc="left")
    return fig


def _importances(plt, result: ModelingResult):
    from ..features import feature_label
    from ..render.narrative.modeling import importance_words

    items = result.importances[:10][::-1]
    fig, ax = new_figure(plt, 3.6, 2.8)
    ax.barh([feature_label(i.feature) for i in items], [i.importance for i in items],
            color=PALETTE[0])
    ax.set_xlabel(f"Share of {importance_words(result.importance_kind)}")
    ax.xaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    ax.tick_params(axis="y", labelsize=7.5)
    ax.grid(axis="y", visible=False)
    ax.set_title("Top features", loc="left")
    return fig


def _confusions(plt, result: ModelingResult):
    panels = [(s.confusion, f"{s.name} · validation") for s in result.validation]
    panels.append((result.test.confusion, f"{result.champion_name} · test"))
    fig, axes = new_figure(plt, 7.0, 2.5, ncols=len(panels))
    for ax, (cm, title) in zip(np.atleast_1d(axes), panels):
        confusion_on(ax, cm, "Claim status", title, compact=True)
        ax.title.set_fontsize(8)
    return fig


def _thresholds(plt, result: ModelingResult):
    rows = result.thresholds
    fig, ax = new_figure(plt, 3.6, 2.7)
    t = [r.threshold for r in rows]
    ax.plot(t, [r.recall for r in rows], marker="o", ms=3.5, color=PALETTE[0], label="recall")
    ax.plot(t, [r.precision for r in rows], marker="s", ms=3.5, color=PALETTE[1],
            label="precision")
    ax.axhline(result.target_recall, color="#555555", linestyle="--", linewidth=1,
               label=f"target recall {result.target_recall:g}")
    ax.set_xlabel("Decision threshold (probability of a claim)")
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.28), ncols=3, frameon=False)
    ax.set_title("Threshold trade-off (validation)", loc="left")
    return fig
