"""Figures of the EDA stage, drawn from an :class:`~claimreport.results.eda.EdaResult`."""

from __future__ import annotations

import numpy as np

from ..data import schema as S
from ..results.eda import BoxGroup, EdaResult, Histogram
from . import FigureSpec
from .common import draw_boxes, draw_correlation, draw_histogram
from .theme import CLASS_COLOURS, GROUP_COLOURS, new_figure, thousands

__all__ = ["specs"]



def specs(result: EdaResult) -> dict[str, FigureSpec]:
    from ..render.narrative import eda as rules

    kf = result.key_figures
    boxes = {(b.column, b.by): b for b in result.boxes}

    def box_alt(by: str) -> str:
        b = boxes[(S.VIEWS, by)]
        return (f"Box plot of views per video by {S.noun(by)}"
                + (" on a log scale." if b.log_scale else ".")
                + " Medians: " + ", ".join(f"{x.label} {x.med:,.0f}" for x in b.boxes) + ".")

    return {
        "claim_balance": FigureSpec(
            rules.balance_title(result),
            f"Bar chart of videos by claim status: {kf['n_claim']:,} claims, "
            f"{kf['n_opinion']:,} opinions, {kf['rows_missing_claim_status']:,} missing.",
            lambda plt: _balance(plt, result)),
        "views_by_claim": FigureSpec(
            rules.views_title(result), box_alt(S.CLAIM),
            lambda plt: _box(plt, boxes[(S.VIEWS, S.CLAIM)])),
        "views_by_ban": FigureSpec(
            "Views by author ban status", box_alt(S.BAN),
            lambda plt: _box(plt, boxes[(S.VIEWS, S.BAN)])),
        "views_by_verified": FigureSpec(
            "Views by verified status", box_alt(S.VERIFIED),
            lambda plt: _box(plt, boxes[(S.VIEWS, S.VERIFIED)])),
        "histograms": FigureSpec(
            "Distributions of duration and engagement counts",
            "Six histograms, claims and opinions overlaid"
            + ("; " + ", ".join(S.noun(h.column) for h in result.histograms if h.log_scale)
               + " on log scales." if any(h.log_scale for h in result.histograms) else "."),
            lambda plt: _histograms(plt, result.histograms), cost=5),
        "engagement_boxes": FigureSpec(
            "Engagement counts by claim status",
            "Five box plots of engagement counts by claim status"
            + (" on log scales." if any(b.log_scale for b in result.boxes) else "."),
            lambda plt: _engagement_boxes(plt, [b for b in result.boxes if b.by == S.CLAIM]),
            cost=4),
        "correlation_heatmap": FigureSpec(
            rules.correlation_title(result),
            "Heat map of Pearson correlations between duration, text length and counts"
            + (f"; the strongest pair is {S.noun(p.a)} and {S.noun(p.b)} (r = {p.pearson:.2f})."
               if (p := next(iter(result.strongest_correlations), None)) else "."),
            lambda plt: _heatmap(plt, result), cost=2),
        "text_length": FigureSpec(
            rules.text_length_title(result),
            "Overlaid histograms of transcription length in characters by claim status.",
            lambda plt: _hist_figure(plt, result.text_length)),
    }


def _balance(plt, result: EdaResult):
    fig, ax = new_figure(plt, 3.2, 2.6)
    levels = result.class_balance[::-1]
    ax.barh([lc.label for lc in levels], [lc.count for lc in levels],
            color=[CLASS_COLOURS.get(lc.label, "#999999") for lc in levels])
    for i, lc in enumerate(levels):
        ax.text(lc.count, i, f"  {lc.count:,} ({lc.share:.1%})", va="center", fontsize=8)
    ax.set_xlim(0, max(lc.count for lc in levels) * 1.6)
    ax.set_xlabel("Number of videos")
    ax.grid(axis="y", visible=False)
    thousands(ax, "x")
    ax.set_title("Videos by claim status", loc="left")
    return fig


def _box(plt, group: BoxGroup):
    fig, ax = new_figure(plt, 3.2, 2.6)
    draw_boxes(ax, group.boxes, group.log_scale)
    name = S.short(group.column)
    ax.set_ylabel(f"{name} per video (log scale)" if group.log_scale else name)
    ax.set_xlabel(S.label(group.by))
    ax.set_title(f"{name} by {S.noun(group.by)}", loc="left")
    ax.text(1.0, -0.28, "Box: middle half; line: median; diamond: mean",
            transform=ax.transAxes, ha="right", fontsize=7, color="#555555")
    return fig


def _engagement_boxes(plt, groups: list[BoxGroup]):
    from matplotlib.patches import Patch

    fig, axes = new_figure(plt, 7.0, 2.7, ncols=len(groups))
    for ax, group in zip(np.atleast_1d(axes), groups):
        draw_boxes(ax, group.boxes, group.log_scale)
        ax.set_title(S.short(group.column), loc="left")
        ax.set_xticks([])  # the colours say the class; names would collide in narrow panels
    np.atleast_1d(axes)[0].set_ylabel("Count per video (log scale)")
    labels = [b.label for b in groups[0].boxes]
    fig.legend([Patch(color=GROUP_COLOURS[x]) for x in labels], labels, title="Claim status",
               loc="outside upper right", ncols=len(labels), fontsize=8)
    return fig


def _hist_figure(plt, h: Histogram):
    fig, ax = new_figure(plt, 7.0, 2.6)
    draw_histogram(ax, h)
    ax.set_xlabel(S.label(h.column) + (" (log scale)" if h.log_scale else ""))
    ax.legend(title="Claim status")
    ax.set_title(f"{S.short(h.column)} by claim status", loc="left")
    return fig


def _histograms(plt, hists: list[Histogram]):
    fig, axes = new_figure(plt, 7.0, 4.6, nrows=2, ncols=3)
    for ax, h in zip(axes.ravel(), hists):
        draw_histogram(ax, h)
        ax.set_title(S.short(h.column) + (" · log" if h.log_scale else ""),
                     loc="left")
    fig.legend(*axes.ravel()[1].get_legend_handles_labels(), title="Claim status",
               loc="outside upper right", ncols=2, fontsize=8)
    return fig


def _heatmap(plt, result: EdaResult):
    m = next(m for m in result.correlations if m.method == "pearson")
    fig, ax = draw_correlation(plt, m, [S.short(x) for x in m.labels], (5.4, 4.2))
    ax.set_title("Correlation between measures", loc="left")
    return fig
