"""Figures of the EDA stage, drawn from an :class:`~claimreport.results.eda.EdaResult`."""

from __future__ import annotations

import numpy as np

from ..results.eda import BoxGroup, EdaResult, Histogram
from . import FigureSpec
from .common import draw_boxes, draw_correlation, draw_histogram
from .theme import CLASS_COLOURS, GROUP_COLOURS, new_figure, thousands

__all__ = ["specs"]

_GROUP_NAMES = {"claim_status": "claim status", "author_ban_status": "author ban status",
                "verified_status": "verified status"}


def specs(result: EdaResult) -> dict[str, FigureSpec]:
    kf = result.key_figures
    boxes = {(b.column, b.by): b for b in result.boxes}
    views = "video_view_count"
    return {
        "claim_balance": FigureSpec(
            "Claims and opinions are almost evenly balanced",
            f"Bar chart of videos by claim status: {kf['n_claim']:,} claims, "
            f"{kf['n_opinion']:,} opinions, {kf['rows_missing_claim_status']:,} missing.",
            lambda plt: _balance(plt, result)),
        "views_by_claim": FigureSpec(
            "Claim videos get far more views than opinion videos",
            "Box plot of views per video by claim status on a log scale.",
            lambda plt: _box(plt, boxes[(views, "claim_status")])),
        "views_by_ban": FigureSpec(
            "Views by author ban status",
            "Box plot of views per video by author ban status on a log scale.",
            lambda plt: _box(plt, boxes[(views, "author_ban_status")])),
        "views_by_verified": FigureSpec(
            "Views by verified status",
            "Box plot of views per video by verified status on a log scale.",
            lambda plt: _box(plt, boxes[(views, "verified_status")])),
        "histograms": FigureSpec(
            "Distributions of duration and engagement counts",
            "Six histograms, claims and opinions overlaid; skewed counts on a log scale.",
            lambda plt: _histograms(plt, result.histograms), cost=5),
        "engagement_boxes": FigureSpec(
            "Engagement counts by claim status",
            "Five box plots of engagement counts by claim status on log scales.",
            lambda plt: _engagement_boxes(plt, [b for b in result.boxes if b.by == "claim_status"]),
            cost=4),
        "correlation_heatmap": FigureSpec(
            "Engagement counts move together",
            "Heat map of Pearson correlations between duration, text length and counts.",
            lambda plt: _heatmap(plt, result), cost=2),
        "text_length": FigureSpec(
            "Claim transcriptions are longer than opinions",
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
    ax.set_ylabel(f"{group.label} per video (log scale)" if group.log_scale else group.label)
    ax.set_xlabel(_GROUP_NAMES.get(group.by, group.by).capitalize())
    ax.set_title(f"{group.label} by {_GROUP_NAMES.get(group.by, group.by)}", loc="left")
    ax.text(1.0, -0.28, "Box: middle half; line: median; diamond: mean",
            transform=ax.transAxes, ha="right", fontsize=7, color="#555555")
    return fig


def _engagement_boxes(plt, groups: list[BoxGroup]):
    from matplotlib.patches import Patch

    fig, axes = new_figure(plt, 7.0, 2.7, ncols=len(groups))
    for ax, group in zip(np.atleast_1d(axes), groups):
        draw_boxes(ax, group.boxes, group.log_scale)
        ax.set_title(group.label, loc="left")
        ax.set_xticks([])  # the colours say the class; names would collide in narrow panels
    np.atleast_1d(axes)[0].set_ylabel("Count per video (log scale)")
    labels = [b.label for b in groups[0].boxes]
    fig.legend([Patch(color=GROUP_COLOURS[x]) for x in labels], labels, title="Claim status",
               loc="outside upper right", ncols=len(labels), fontsize=8)
    return fig


def _hist_figure(plt, h: Histogram):
    fig, ax = new_figure(plt, 7.0, 2.6)
    draw_histogram(ax, h)
    ax.set_xlabel(h.label + (" (log scale)" if h.log_scale else ""))
    ax.legend(title="Claim status")
    ax.set_title(f"{h.label} by claim status", loc="left")
    return fig


def _histograms(plt, hists: list[Histogram]):
    fig, axes = new_figure(plt, 7.0, 4.6, nrows=2, ncols=3)
    for ax, h in zip(axes.ravel(), hists):
        draw_histogram(ax, h)
        ax.set_title(h.label.replace(" (seconds)", " (s)") + (" · log" if h.log_scale else ""),
                     loc="left")
    fig.legend(*axes.ravel()[1].get_legend_handles_labels(), title="Claim status",
               loc="outside upper right", ncols=2, fontsize=8)
    return fig


def _heatmap(plt, result: EdaResult):
    m = next(m for m in result.correlations if m.method == "pearson")
    short = {"video_duration_sec": "Duration", "video_view_count": "Views",
             "video_like_count": "Likes", "video_share_count": "Shares",
             "video_download_count": "Downloads", "video_comment_count": "Comments",
             "text_length": "Text length"}
    fig, ax = draw_correlation(plt, m, [short.get(x, x) for x in m.labels], (5.4, 4.2))
    ax.set_title("Correlation between measures", loc="left")
    return fig
