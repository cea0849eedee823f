"""Figures of the hypothesis stage, drawn from a :class:`HypothesisResult`."""

from __future__ import annotations

import numpy as np

from ..data import schema as S
from ..data.schema import group_phrase
from ..results.hypothesis import HypothesisResult
from . import FigureSpec
from .common import SYMLOG_WORDS, draw_histogram, empty_figure, level_handles, with_scale
from .theme import INK, MUTED, REFERENCE, SMALL, WIDTH, compact, level_colour, new_figure, thousands

__all__ = ["specs"]


def specs(result: HypothesisResult) -> dict[str, FigureSpec]:
    from ..render.narrative.hypothesis import qq_alt

    t = result.primary
    metric = S.noun(t.metric)
    a, b = t.group_a, t.group_b
    h = result.distribution
    scale = (SYMLOG_WORDS if h.edges[0] <= 0 else "log scale") if h.log_scale else "linear scale"
    within = {} if result.stratified is None else {
        "within_means": FigureSpec(
            f"Mean {metric} per video within each {S.noun(result.stratified.by)}, with 95% "
            "confidence intervals", _within_alt(result), lambda plt: _within(plt, result)),
        "differences": FigureSpec(
            f"Gap in mean {metric}, {a.label} minus {b.label}, with 95% confidence intervals",
            _differences_alt(result), lambda plt: _differences(plt, result))}
    return {**within,
        "means_ci": FigureSpec(
            f"Mean {metric} per video with 95% confidence intervals",
            f"Dot plot: mean {metric} of {group_phrase(t.by, a.label)} ({a.mean:,.0f}) and of "
            f"{group_phrase(t.by, b.label)} ({b.mean:,.0f}), each with its 95% interval.",
            lambda plt: _means(plt, result)),
        "distribution": FigureSpec(
            f"{S.short(t.metric)} per video by group, {scale}",
            f"Overlaid histograms of the share of each group's videos by {metric} per video, on a "
            + (f"{scale} (a log scale pulls the long right tail in; linear near 0, so videos "
               "with none stay on the chart)." if scale == SYMLOG_WORDS
               else f"{scale}" + (" (a log scale pulls the long right tail in)."
                                  if h.log_scale else ".")),
            lambda plt: _distribution(plt, result), cost=2, seaborn=True),
        "qq": FigureSpec(
            "Normal QQ plots of each group", qq_alt(result),
            lambda plt: _qq(plt, result), cost=2),
    }


def _means(plt, result: HypothesisResult):
    t = result.primary
    fig, ax = new_figure(plt, WIDTH["half"], 2.2)
    groups = [t.group_a, t.group_b]
    y = np.arange(len(groups))[::-1]
    for yi, g in zip(y, groups):
        ax.errorbar(g.mean, yi, xerr=[[g.mean - g.mean_ci_low], [g.mean_ci_high - g.mean]],
                    fmt="o", color=level_colour(t.by, g.label), capsize=4, ms=6)
        ax.annotate(compact(round(g.mean, -2)), (g.mean, yi), textcoords="offset points",
                    xytext=(0, 8), ha="center", fontsize=SMALL + 0.5)
    ax.set_yticks(y, [g.label for g in groups])
    ax.set_ylim(-0.7, len(groups) - 0.3)
    ax.set_xlim(0, max(g.mean_ci_high for g in groups) * 1.15)
    ax.set_xlabel(f"Mean {S.noun(t.metric)} per video")
    ax.grid(axis="y", visible=False)
    thousands(ax, "x")
    ax.set_title(f"Mean {S.noun(t.metric)} (95% CI)", loc="left")
    return fig


def _distribution(plt, result: HypothesisResult):
    fig, ax = new_figure(plt, WIDTH["half"], 2.2)
    h, by = result.distribution, result.primary.by
    # shares, not counts: the groups differ ~15-fold in size
    draw_histogram(ax, h, by, shares=True)
    ax.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    ax.set_ylabel("Share of group's videos")
    ax.set_xlabel(with_scale(f"{S.short(h.column)} per video", ax, "x"))
    ax.legend(handles=level_handles(by, h.counts))
    ax.set_title(f"{S.short(h.column)} by group", loc="left")
    return fig


def _qq(plt, result: HypothesisResult):
    fig, axes = new_figure(plt, WIDTH["narrow"], 2.4, ncols=len(result.qq), sharey=True)
    for ax, q in zip(np.atleast_1d(axes), result.qq):
        ax.scatter(q.theoretical, q.sample, s=8, color=level_colour(result.primary.by, q.label))
        lim = [min(q.theoretical[0], q.sample[0]), max(q.theoretical[-1], q.sample[-1])]
        ax.plot(lim, lim, color=REFERENCE, linewidth=1, linestyle="--")
        ax.set_xlabel("Normal quantiles")
        ax.set_title(q.label, loc="left")
    np.atleast_1d(axes)[0].set_ylabel("Standardised sample quantiles")
    return fig


def _within_alt(result: HypothesisResult) -> str:
    t, s = result.primary, result.stratified
    pa, pb = group_phrase(t.by, t.group_a.label), group_phrase(t.by, t.group_b.label)
    parts = [f"{group_phrase(s.by, x.level)} {x.mean_a:,.0f} ({pa}) and {x.mean_b:,.0f} ({pb})"
             if x.n_a and x.n_b else f"{group_phrase(s.by, x.level)}: not enough videos to compare"
             for x in s.strata]
    return (f"Mean {S.noun(t.metric)} with 95% intervals, each panel on its own scale: "
            f"{'; '.join(parts)}.")


def _within(plt, result: HypothesisResult):
    t, s = result.primary, result.stratified
    shown = [x for x in s.strata if x.n_a or x.n_b]
    if not shown:
        return empty_figure(plt, f"No complete rows in any {S.noun(s.by)}.", WIDTH["half"])
    # stacked, half a page wide: it prints beside another chart, on page 1 or the analysts' pages
    fig, axes = new_figure(plt, WIDTH["half"], 0.2 + 0.88 * len(shown), nrows=len(shown))
    labels = (t.group_a.label, t.group_b.label)
    for ax, x in zip(np.atleast_1d(axes), shown):
        points = [(x.mean_a, x.mean_a_ci_low, x.mean_a_ci_high),
                  (x.mean_b, x.mean_b_ci_low, x.mean_b_ci_high)]
        for yi, label, (m, low, high) in zip((1, 0), labels, points):
            if m != m:  # no rows of this group here
                continue
            err = [[m - low], [high - m]] if low == low else None  # one row: no interval
            ax.errorbar(m, yi, xerr=err, fmt="o", color=level_colour(t.by, label),
                        capsize=4, ms=6)
            # three significant figures, as page 1 rounds them ("about 501,000"), beside the
            # interval so that the two rows' labels never meet
            ax.annotate(compact(float(f"{m:.3g}")), (high if high == high else m, yi),
                        textcoords="offset points", xytext=(4, 0), ha="left", va="center",
                        fontsize=SMALL)
        ax.set_yticks([1, 0], list(labels))
        ax.set_ylim(-0.6, 1.6)
        ends = [v for p in points for v in p if v == v]
        high = max(ends) if ends and max(ends) > 0 else 1.0
        ax.set_xlim(min(0.0, *ends) - 0.05 * high if ends else 0, high * 1.25)
        ax.grid(axis="y", visible=False)
        thousands(ax, "x")
        ax.set_title(f"{group_phrase(s.by, x.level).capitalize()} ({x.n:,}), own scale",
                     loc="left")
    np.atleast_1d(axes)[-1].set_xlabel(f"Mean {S.noun(t.metric)} per video")
    return fig


def _gaps(result: HypothesisResult) -> list[tuple[str, float, float, float, bool]]:
    """``(label, difference, CI low, CI high, context)`` for the differences chart: the overall
    gap (context), each tested level's and the adjusted one; undefined ones left out."""
    t, s = result.primary, result.stratified
    rows = [("Overall", t.mean_difference, t.ci_low, t.ci_high, True)]
    rows += [(group_phrase(s.by, x.level).capitalize(), x.mean_difference, x.ci_low, x.ci_high,
              False) for x in s.strata if x.reason is None]
    if s.adjusted.reason is None:
        rows.append(("Adjusted", s.adjusted.difference, s.adjusted.ci_low, s.adjusted.ci_high,
                     False))
    return [r for r in rows if all(v == v for v in r[1:4])]


def _signed(x: float) -> str:
    shown = compact(float(f"{x:.3g}"))
    return shown if shown.startswith("-") or shown == "0" else f"+{shown}"


def _differences_alt(result: HypothesisResult) -> str:
    from ..render.narrative.words import signed_about

    t, s = result.primary, result.stratified
    names = {"Overall": "overall", "Adjusted": f"adjusted for {S.noun(s.by)}"}
    parts = [f"{names.get(label, 'within ' + label.lower())} {signed_about(d)} "
             f"({signed_about(lo)} to {signed_about(hi)})"
             for label, d, lo, hi, _ in _gaps(result)]
    return (f"Dot plot, {S.noun(t.metric)} per video: {'; '.join(parts) or 'none defined'}. "
            "Open: the overall gap, for context; dashed: no gap.")


def _differences(plt, result: HypothesisResult):
    t = result.primary
    rows = _gaps(result)
    if not rows:
        return empty_figure(plt, "No gap could be estimated.", WIDTH["half"])
    fig, ax = new_figure(plt, WIDTH["half"], 0.85 + 0.27 * len(rows))
    y = np.arange(len(rows))[::-1]
    ends = [v for r in rows for v in r[2:4]] + [0.0]
    span = max(ends) - min(ends) or 1.0
    low, high = min(ends) - 0.2 * span, max(ends) + 0.2 * span  # room for the labels
    for yi, (_label, d, lo, hi, context) in zip(y, rows):
        colour = MUTED if context else INK
        ax.errorbar(d, yi, xerr=[[d - lo], [hi - d]], fmt="o", color=colour, capsize=4, ms=5,
                    mfc="white" if context else colour)
        # the value beside its interval, on the side with more room
        right = hi - low <= high - lo
        ax.annotate(_signed(d), (hi if right else lo, yi), textcoords="offset points",
                    xytext=(5 if right else -5, 0), ha="left" if right else "right",
                    va="center", fontsize=SMALL, color=colour)
    ax.axvline(0, color=REFERENCE, linewidth=1, linestyle="--")
    ax.set_yticks(y, [r[0] for r in rows])
    ax.set_xlim(low, high)
    ax.set_ylim(-0.6, len(rows) - 0.3)
    ax.set_xlabel(f"{t.group_a.label} \u2212 {t.group_b.label} ({S.noun(t.metric)} per video)")
    ax.grid(axis="y", visible=False)
    thousands(ax, "x")
    # above the whole figure: the level names leave the axes too little room for it
    fig.suptitle(f"Gap in mean {S.noun(t.metric)} (95% CI)", x=0.02, ha="left",
                 fontweight="bold", fontsize=plt.rcParams["axes.titlesize"])
    return fig
