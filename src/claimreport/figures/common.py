"""Drawing pieces shared by several stages' figures."""

from __future__ import annotations

import numpy as np

from ..results.common import BoxStats, Histogram
from .theme import GROUP_COLOURS, thousands

__all__ = ["draw_boxes", "draw_histogram"]


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
