"""Figures of the EDA stage, drawn from an :class:`~claimreport.results.eda.EdaResult`."""

from __future__ import annotations

import numpy as np

from ..data import schema as S
from ..results.eda import BoxGroup, EdaResult, Histogram
from . import FigureSpec
from .common import (
    SYMLOG_WORDS,
    boxes_need_zero,
    draw_boxes,
    draw_correlation,
    draw_histogram,
    flier_words,
    level_handles,
    title,
    with_scale,
)
from .theme import REFERENCE, SMALL, WIDTH, level_colour, new_figure, thousands

__all__ = ["specs"]

BOX_KEY = "Box: middle half; line: median; \u25c7 mean; \u25cb outliers"
BOX_KEY_SHORT = "Box: middle half; line: median;\n\u25c7 mean; \u25cb outliers"


def _box_scale(group: BoxGroup) -> str:
    if not group.log_scale:
        return ""
    return f" ({SYMLOG_WORDS})" if boxes_need_zero(group.boxes) else " (log scale)"


def _hist_scale(h: Histogram) -> str:
    if not h.log_scale:
        return ""
    return SYMLOG_WORDS if h.edges[0] <= 0 else "log scale"


def specs(result: EdaResult) -> dict[str, FigureSpec]:
    from ..render.narrative import eda as rules

    kf = result.key_figures
    boxes = {(b.column, b.by): b for b in result.boxes}
    by_claim = [b for b in result.boxes if b.by == S.CLAIM]

    def box_alt(by: str) -> str:
        b = boxes[(S.VIEWS, by)]
        return (f"Box plot of views per video by {S.noun(by)}{_box_scale(b)}. Medians: "
                + ", ".join(f"{x.label} {x.med:,.0f}" for x in b.boxes) + ". "
                + flier_words(b.boxes))

    hist_scales = sorted({_hist_scale(h) for h in result.histograms} - {""})
    outliers = ", ".join(
        f"{S.noun(g.column)} {sum(x.n_fliers for x in g.boxes):,}" for g in by_claim)
    thinned = any(len(x.fliers) < x.n_fliers for g in by_claim for x in g.boxes)
    return {
        "claim_balance": FigureSpec(
            rules.balance_title(result),
            f"Bar chart of videos by claim status: {kf['n_claim']:,} claims, "
            f"{kf['n_opinion']:,} opinions, {kf['rows_missing_claim_status']:,} missing.",
            lambda plt: _balance(plt, result)),
        "views_by_claim": FigureSpec(
            rules.views_title(result), box_alt(S.CLAIM),
            lambda plt: _box(plt, boxes[(S.VIEWS, S.CLAIM)], WIDTH["third"])),
        "views_by_ban": FigureSpec(
            "Views by author ban status", box_alt(S.BAN),
            lambda plt: _box(plt, boxes[(S.VIEWS, S.BAN)], WIDTH["third"])),
        "views_by_verified": FigureSpec(
            "Views by verified status", box_alt(S.VERIFIED),
            # drawn like views_by_ban, its neighbour in the report (which page 1 prints narrow)
            lambda plt: _box(plt, boxes[(S.VIEWS, S.VERIFIED)], WIDTH["third"])),
        "histograms": FigureSpec(
            "Distributions of duration and engagement counts",
            "Six histograms, claims and opinions overlaid"
            + ("; " + "; ".join(
                ", ".join(S.noun(h.column) for h in result.histograms if _hist_scale(h) == scale)
                + f" on a {scale}" for scale in hist_scales) + "." if hist_scales else "."),
            lambda plt: _histograms(plt, result.histograms), cost=5, seaborn=True),
        "engagement_boxes": FigureSpec(
            "Engagement counts by claim status",
            "Five box plots of engagement counts by claim status"
            + (", on log scales (0 included where a count is 0)"
               if any(g.log_scale for g in by_claim) else "")
            + f". Outliers beyond the whiskers (dots): {outliers}"
            + (f"; at most {max(len(x.fliers) for g in by_claim for x in g.boxes):,} drawn "
               "per box, the most extreme included." if thinned else "."),
            lambda plt: _engagement_boxes(plt, by_claim), cost=4),
        "correlation_heatmap": FigureSpec(
            rules.correlation_title(result),
            "Heat map of Pearson correlations between duration, text length and counts"
            + (f"; the strongest pair is {S.noun(p.a)} and {S.noun(p.b)} (r = {p.pearson:.2f})."
               if (p := next(iter(result.strongest_correlations), None)) else "."),
            lambda plt: _heatmap(plt, result), cost=2),
        "text_length": FigureSpec(
            rules.text_length_title(result),
            "Overlaid histograms of transcription length in characters by claim status.",
            lambda plt: _hist_figure(plt, result.text_length), seaborn=True),
    }


def _balance(plt, result: EdaResult):
    fig, ax = new_figure(plt, WIDTH["third"], 2.15)
    levels = result.class_balance[::-1]
    ax.barh([lc.label for lc in levels], [lc.count for lc in levels],
            color=[level_colour(S.CLAIM, lc.label) for lc in levels])
    for i, lc in enumerate(levels):
        ax.text(lc.count, i, f" {lc.count:,}\n {lc.share:.1%}", va="center", fontsize=SMALL)
    ax.set_xlim(0, max(1, max(lc.count for lc in levels)) * 1.55)
    ax.xaxis.set_major_locator(plt.matplotlib.ticker.MaxNLocator(3))
    ax.set_xlabel("Number of videos")
    ax.grid(axis="y", visible=False)
    thousands(ax, "x")
    title(fig, ax, "Videos by claim status")
    return fig


def _box(plt, group: BoxGroup, width: float):
    narrow = width < WIDTH["half"]
    fig, ax = new_figure(plt, width, 2.3 if narrow else 2.45)
    draw_boxes(ax, group.boxes, group.log_scale, group.by)
    name = S.short(group.column)
    ax.set_ylabel(with_scale(name, ax, "y", sep="\n"))
    ax.set_xlabel(S.label(group.by))
    if narrow:  # a third of the page: "under review" on two lines, so names do not collide
        ax.set_xticks(ax.get_xticks(), [b.label.replace(" ", "\n") for b in group.boxes])
    title(fig, ax, f"{name} by {S.noun(group.by)}")
    # supxlabel, not fig.text: the constrained layout makes room for it
    fig.supxlabel(BOX_KEY_SHORT if narrow else BOX_KEY, x=0.99, ha="right", fontsize=SMALL,
                  color=REFERENCE)
    return fig


def _engagement_boxes(plt, groups: list[BoxGroup]):
    fig, axes = new_figure(plt, WIDTH["full"], 2.9, ncols=len(groups))
    for ax, group in zip(np.atleast_1d(axes), groups):
        draw_boxes(ax, group.boxes, group.log_scale, group.by)
        ax.set_title(S.short(group.column), loc="left")
        ax.set_xticks([])  # the colours say the class; names would collide in narrow panels
        # each panel says its own scale: some counts have zeros (symmetric log), some not
        words = with_scale("", ax, "y").strip(" ()")
        ax.set_xlabel(words.replace(", ", ",\n"), fontsize=SMALL, color=REFERENCE)
    np.atleast_1d(axes)[0].set_ylabel("Count per video")
    labels = [b.label for b in groups[0].boxes]
    fig.legend(handles=level_handles(S.CLAIM, labels, alpha=0.85), title="Claim status",
               loc="outside upper right", ncols=len(labels))
    fig.supxlabel(BOX_KEY, x=0.99, ha="right", fontsize=SMALL, color=REFERENCE)
    return fig


def _hist_figure(plt, h: Histogram):
    fig, ax = new_figure(plt, WIDTH["full"], 2.5)
    draw_histogram(ax, h, S.CLAIM)
    ax.set_xlabel(with_scale(S.label(h.column), ax, "x"))
    ax.legend(handles=level_handles(S.CLAIM, h.counts), title="Claim status")
    ax.set_title(f"{S.short(h.column)} by claim status", loc="left")
    return fig


def _histograms(plt, hists: list[Histogram]):
    fig, axes = new_figure(plt, WIDTH["full"], 4.6, nrows=2, ncols=3)
    for ax, h in zip(axes.ravel(), hists):
        draw_histogram(ax, h, S.CLAIM)
        ax.set_title(S.short(h.column), loc="left")
        ax.set_xlabel(with_scale("", ax, "x").strip(" ()"), fontsize=SMALL, color=REFERENCE)
    for ax in axes.ravel()[len(hists):]:
        ax.axis("off")
    fig.legend(handles=level_handles(S.CLAIM, hists[0].counts if hists else ()),
               title="Claim status", loc="outside upper right", ncols=2)
    return fig


def _heatmap(plt, result: EdaResult):
    m = next(m for m in result.correlations if m.method == "pearson")
    fig, ax = draw_correlation(plt, m, [S.short(x) for x in m.labels], (WIDTH["narrow"], 4.1))
    ax.set_title("Correlation between measures", loc="left")
    return fig
