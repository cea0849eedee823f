"""Drawing pieces shared by several stages' figures."""

from __future__ import annotations

import numpy as np

from ..results.common import BoxStats, Confusion, Curve, Histogram, Matrix
from .theme import GROUP_COLOURS, PALETTE, new_figure, thousands

__all__ = ["empty_figure", "draw_boxes", "draw_histogram", "draw_correlation", "confusion_on",
           "draw_confusion", "draw_curves"]


def empty_figure(plt, message: str, width: float = 6.4, height: float = 1.2):
    """A figure that says why there is nothing to draw (the data cannot support the chart)."""
    fig, ax = new_figure(plt, width, height)
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=9, color="#555555",
            wrap=True, transform=ax.transAxes)
    return fig


def draw_boxes(ax, boxes: list[BoxStats], log: bool) -> None:
    """Tukey boxes from precomputed statistics; mean as a diamond; log axis when asked."""
    stats = [{"label": b.label, "med": b.med, "q1": b.q1, "q3": b.q3, "whislo": b.whislo,
              "whishi": b.whishi, "mean": b.mean, "fliers": []} for b in boxes]
    parts = ax.bxp(stats, showmeans=True, showfliers=False, patch_artist=True, widths=0.55,
                   meanprops={"marker": "D", "markerfacecolor": "white",
                              "markeredgecolor": "black", "markersize": 4},
                   medianprops={"color": "black"})
    for patch, b in zip(parts["boxes"], boxes):
        patch.set_facecolor(GROUP_COLOURS.get(b.label, "#56B4E9"))
        patch.set_alpha(0.85)
    if log:
        if min(b.whislo for b in boxes) > 0:
            ax.set_yscale("log")
        else:  # zeros are real values here (no comments): keep them on the axis
            ax.set_yscale("symlog", linthresh=1)
            ax.set_ylim(bottom=0)
    thousands(ax)
    ax.grid(axis="x", visible=False)


def draw_histogram(ax, h: Histogram) -> None:
    """Overlaid, lightly filled step histograms per group; symlog x for skewed counts."""
    edges = np.asarray(h.edges)
    for label, counts in h.counts.items():
        colour = GROUP_COLOURS.get(label, "#56B4E9")
        ax.stairs(counts, edges, label=label, color=colour, fill=True, alpha=0.35)
        ax.stairs(counts, edges, color=colour, linewidth=1.2)
    if h.log_scale:
        linthresh = max(edges[1], 1.0)
        ax.set_xscale("symlog", linthresh=linthresh)
        ax.set_xlim(left=0)
        # zero plus at most three decades, clear of the linear part near zero, so labels like
        # "1,000" and "10k" never run into each other in a narrow panel
        top = int(np.ceil(np.log10(max(edges[-1], 10))))
        decades = list(range(int(np.ceil(np.log10(3 * linthresh))), top + 1))[::-1]
        step = max(1, int(np.ceil(len(decades) / 3)))
        ax.set_xticks([0, *sorted(10.0 ** k for k in decades[::step])])
    thousands(ax, "x")
    thousands(ax)
    ax.set_ylabel("Videos")


def draw_correlation(plt, m: Matrix, names: list[str], size: tuple[float, float]):
    """An annotated correlation heat map (diverging, -1 to 1; "-0.00" printed as 0.00)."""
    values = np.asarray(m.values)
    fig, ax = new_figure(plt, *size)
    im = ax.imshow(values, cmap="RdBu_r", vmin=-1, vmax=1)
    ax.set_xticks(range(len(names)), names, rotation=40, ha="right")
    ax.set_yticks(range(len(names)), names)
    ax.grid(False)
    for i in range(len(names)):
        for j in range(len(names)):
            v = values[i, j]
            ax.text(j, i, f"{0.0 if abs(v) < 0.005 else v:.2f}", ha="center", va="center",
                    fontsize=7, color="white" if abs(v) > 0.6 else "black")
    fig.colorbar(im, ax=ax, shrink=0.8, label=f"{m.method.title()} correlation")
    return fig, ax


def confusion_on(ax, confusion: Confusion, what: str, title: str, compact: bool = False) -> None:
    """A labelled 2 x 2 confusion matrix (rows actual, columns predicted) with row shares."""
    counts = np.asarray(confusion.counts)
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    for i in range(2):
        for j in range(2):
            share = shares[i, j]
            # never round a few errors away: 6 of 1,922 is "<1%", not "0%"
            shown = ("<1%" if 0 < share < 0.005 else ">99%" if 0.995 < share < 1
                     else f"{share:.0%}")
            note = shown if compact else f"({shown} of row)"
            ax.text(j, i, f"{counts[i, j]:,}\n{note}", ha="center", va="center",
                    fontsize=7.5 if compact else 8,
                    color="white" if shares[i, j] > 0.6 else "black")
    ax.set_xticks([0, 1], confusion.labels)
    ax.set_yticks([0, 1], confusion.labels)
    ax.set_xlabel(f"Predicted {what.lower()}")
    ax.set_ylabel(f"Actual {what.lower()}")
    ax.grid(False)
    ax.set_title(title, loc="left")


def draw_confusion(plt, confusion: Confusion, what: str):
    fig, ax = new_figure(plt, 3.3, 2.8)
    confusion_on(ax, confusion, what, "Confusion matrix (test set)")
    return fig


def draw_curves(plt, roc: Curve, pr: Curve, positive: str):
    fig, (a, b) = new_figure(plt, 6.4, 2.8, ncols=2)
    a.plot(roc.x, roc.y, color=PALETTE[0], linewidth=1.6, label=f"model (AUC {roc.auc:.2f})")
    a.plot([0, 1], [0, 1], color="#999999", linestyle="--", linewidth=1, label="chance")
    a.set_xlabel("False-positive rate")
    a.set_ylabel("True-positive rate (recall)")
    a.set_title("ROC curve", loc="left")
    a.legend(fontsize=7, loc="lower right")
    b.plot(pr.x, pr.y, color=PALETTE[1], linewidth=1.6, label=f"model (AP {pr.auc:.2f})")
    b.axhline(pr.baseline, color="#999999", linestyle="--", linewidth=1,
              label=f"chance ({pr.baseline:.0%} {positive})")
    b.set_xlabel(f"Recall ({positive})")
    b.set_ylabel("Precision")
    b.set_ylim(0, 1.02)
    b.set_title("Precision-recall curve", loc="left")
    b.legend(fontsize=7, loc="upper right")
    return fig
