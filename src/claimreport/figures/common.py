"""Drawing pieces shared by several stages' figures.

Axis honesty: an axis label says "log scale" on a log axis and "log scale, 0 included" on a
symmetric-log one (linear near zero, so videos with no comments stay on the chart), and a linear
axis of a quantity that does not start at 0 says where it starts ("axis zoomed: starts at 0.95").
"""

from __future__ import annotations

import numpy as np

from ..results.common import BoxStats, Confusion, Curve, Histogram, Matrix
from .theme import (
    INK,
    REFERENCE,
    SMALL,
    WIDTH,
    level_colour,
    level_palette,
    new_figure,
    text_on,
    thousands,
)

__all__ = ["empty_figure", "draw_boxes", "boxes_need_zero", "flier_words", "draw_histogram",
           "level_handles", "title",
           "draw_correlation", "confusion_on", "draw_confusion", "draw_curves", "scale_words",
           "with_scale", "zoomed", "nice_floor", "SYMLOG_WORDS"]

SYMLOG_WORDS = "log scale, 0 included"


def scale_words(ax, axis: str = "x") -> str:
    """What a reader must know about an axis' scale: "log scale", "log scale, 0 included"
    (symmetric log: linear around zero) or "" (linear)."""
    scale = ax.get_xscale() if axis == "x" else ax.get_yscale()
    return {"log": "log scale", "symlog": SYMLOG_WORDS}.get(scale, "")


def with_scale(label: str, ax, axis: str = "x", sep: str = " ") -> str:
    """*label* followed by the axis' scale words in brackets, if it is not linear."""
    words = scale_words(ax, axis)
    return f"{label}{sep}({words})" if words else label


def nice_floor(low: float, high: float) -> float:
    """*low* rounded down to a tick-friendly value (a step of about a tenth of the range)."""
    span = max(high - low, 1e-12)
    step = 10.0 ** np.floor(np.log10(span / 2))
    return float(np.floor(low / step) * step)


def zoomed(ax, axis: str, label: str, sep: str = " ") -> str:
    """*label*, saying where a linear axis of a quantity starts when it is not at 0 (set the
    limits first); *sep* goes before the bracket ("\\n" in a narrow chart)."""
    scale = ax.get_xscale() if axis == "x" else ax.get_yscale()
    low = (ax.get_xlim() if axis == "x" else ax.get_ylim())[0]
    if scale != "linear" or low <= 0:
        return label
    return f"{label}{sep}(axis zoomed: starts at {low:.6g})"


def title(fig, ax, text: str) -> None:
    """The chart's title, flush left. A figure a third of the page wide takes it above the whole
    figure (suptitle), not above the axes, whose tick labels leave too little room."""
    if fig.get_figwidth() < WIDTH["half"]:
        import matplotlib as mpl

        fig.suptitle(text, x=0.02, ha="left", fontweight="bold",
                     fontsize=mpl.rcParams["axes.titlesize"])
    else:
        ax.set_title(text, loc="left")


def empty_figure(plt, message: str, width: float = WIDTH["full"], height: float = 1.2):
    """A figure that says why there is nothing to draw (the data cannot support the chart)."""
    fig, ax = new_figure(plt, width, height)
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=9, color="#555555",
            wrap=True, transform=ax.transAxes)
    return fig


def boxes_need_zero(boxes: list[BoxStats]) -> bool:
    """True when some drawn value (whisker or outlier) is 0 or less: a log axis would drop it."""
    return any(min([b.whislo, *b.fliers]) <= 0 for b in boxes)


def flier_words(boxes: list[BoxStats]) -> str:
    """For alt text: how many outliers each box has, and how many are drawn when thinned."""
    if not boxes:
        return ""
    parts = [f"{b.label} {b.n_fliers:,}"
             + (f" ({len(b.fliers):,} drawn)" if len(b.fliers) < b.n_fliers else "")
             for b in boxes]
    return "Outliers beyond the whiskers (dots): " + ", ".join(parts) + "."


def draw_boxes(ax, boxes: list[BoxStats], log: bool, column: str) -> None:
    """Tukey boxes from precomputed statistics, outliers as dots, mean as a diamond, coloured
    by the level of *column*; a log axis when asked ("log scale, 0 included" when a drawn value
    is 0).

    Notes
    -----
    matplotlib's ``bxp``, not seaborn's ``boxplot``: results hold Tukey statistics and the
    (thinned) outliers, not the raw values seaborn would need; ``bxp`` draws exactly what was
    computed, from the result alone.
    """
    stats = [{"label": b.label, "med": b.med, "q1": b.q1, "q3": b.q3, "whislo": b.whislo,
              "whishi": b.whishi, "mean": b.mean, "fliers": np.asarray(b.fliers)} for b in boxes]
    parts = ax.bxp(stats, showmeans=True, showfliers=True, patch_artist=True, widths=0.55,
                   meanprops={"marker": "D", "markerfacecolor": "white",
                              "markeredgecolor": "black", "markersize": 4},
                   medianprops={"color": "black"},
                   flierprops={"marker": "o", "markersize": 2.5, "markerfacecolor": "none",
                               "markeredgecolor": INK, "markeredgewidth": 0.5, "alpha": 0.5})
    for patch, median, b in zip(parts["boxes"], parts["medians"], boxes):
        colour = level_colour(column, b.label)
        patch.set_facecolor(colour)
        patch.set_alpha(0.85)
        median.set_color(text_on(colour))  # a black median vanishes in a black box
    if log:
        if not boxes_need_zero(boxes):
            ax.set_yscale("log")
        else:  # zeros are real values here (no comments): keep them on the axis
            ax.set_yscale("symlog", linthresh=1)
            ax.set_ylim(bottom=0)
    thousands(ax)
    ax.grid(axis="x", visible=False)


def draw_histogram(ax, h: Histogram, column: str, shares: bool = False) -> None:
    """Overlaid, lightly filled step histograms per level of *column*, drawn from the stored bin
    counts with matplotlib's ``stairs`` (the result holds counts and edges, never the raw
    values, and ``stairs`` draws exactly those; a statistics library would only re-bin them);
    *shares*: each group's counts as shares of its total.

    Skewed counts get a log x axis: symmetric-log ("log scale, 0 included") when the first bin
    starts at 0, so videos with none stay on the chart. A linear axis starts at 0.
    """
    edges = np.asarray(h.edges, dtype=float)
    levels = list(h.counts)
    palette = level_palette(column, levels)
    for level in levels:
        c = np.asarray(h.counts[level], dtype=float)
        values = c / c.sum() if shares and c.sum() > 0 else c
        colour = palette[level]
        ax.stairs(values, edges, fill=True, alpha=0.35, color=colour, linewidth=0)
        ax.stairs(values, edges, fill=False, color=colour, linewidth=1.2)
    if h.log_scale and edges[0] > 0:
        ax.set_xscale("log")
    elif h.log_scale:
        linthresh = max(edges[1], 1.0)
        ax.set_xscale("symlog", linthresh=linthresh)
        ax.set_xlim(0, edges[-1])
        # zero plus at most three decades, clear of the linear part near zero, so labels like
        # "1,000" and "10k" never run into each other in a narrow panel
        top = int(np.ceil(np.log10(max(edges[-1], 10))))
        decades = list(range(int(np.ceil(np.log10(3 * linthresh))), top + 1))[::-1]
        step = max(1, int(np.ceil(len(decades) / 3)))
        ax.set_xticks([0, *sorted(10.0 ** k for k in decades[::step])])
    else:
        ax.set_xlim(min(0.0, edges[0]), edges[-1])
    ax.set_ylim(bottom=0)
    thousands(ax, "x")
    thousands(ax)
    ax.set_xlabel("")
    ax.set_ylabel("Videos")


def level_handles(column: str, levels, alpha: float = 0.6) -> list:
    """Legend patches for *levels* of *column*, in the shared colours."""
    from matplotlib.patches import Patch

    return [Patch(facecolor=c, edgecolor=c, alpha=alpha, label=lvl)
            for lvl, c in level_palette(column, levels).items()]


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
                    fontsize=SMALL, color="white" if abs(v) > 0.6 else "black")
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
                    fontsize=SMALL + (0 if compact else 0.5),
                    color="white" if shares[i, j] > 0.6 else "black")
    ax.set_xticks([0, 1], confusion.labels)
    ax.set_yticks([0, 1], confusion.labels)
    ax.set_xlabel(f"Predicted {what.lower()}")
    ax.set_ylabel(f"Actual {what.lower()}")
    ax.grid(False)
    ax.set_title(title, loc="left")


def draw_confusion(plt, confusion: Confusion, what: str):
    fig, ax = new_figure(plt, WIDTH["half"], 2.9)
    confusion_on(ax, confusion, what, "Confusion matrix (test set)")
    return fig


def draw_curves(plt, roc: Curve, pr: Curve, positive: str, colour: str = INK,
                model: str = "model"):
    """ROC and precision-recall curves of one model, in its colour; chance levels dashed."""
    fig, (a, b) = new_figure(plt, WIDTH["full"], 2.8, ncols=2)
    a.plot(roc.x, roc.y, color=colour, linewidth=1.6, label=f"{model} (AUC {roc.auc:.2f})")
    a.plot([0, 1], [0, 1], color=REFERENCE, linestyle="--", linewidth=1, label="chance")
    a.set_xlabel("False-positive rate")
    a.set_ylabel("True-positive rate (recall)")
    a.set_title("ROC curve", loc="left")
    a.legend(loc="lower right")
    b.plot(pr.x, pr.y, color=colour, linewidth=1.6, label=f"{model} (AP {pr.auc:.2f})")
    b.axhline(pr.baseline, color=REFERENCE, linestyle="--", linewidth=1,
              label=f"chance ({pr.baseline:.0%} {positive})")
    b.set_xlabel(f"Recall ({positive})")
    b.set_ylabel("Precision")
    b.set_ylim(0, 1.02)
    b.set_title("Precision-recall curve", loc="left")
    b.legend(loc="upper right")
    for ax in (a, b):
        ax.set_xlim(left=min(0.0, ax.get_xlim()[0]))
        ax.set_ylim(bottom=min(0.0, ax.get_ylim()[0]))
    return fig
