"""One look for every figure: one colour per variable level in all four reports (Okabe-Ito,
safe for colour-blind readers), plain labels, thousands separators, deterministic SVG output.

Colours
-------
:data:`LEVEL_COLOURS` is the only place a colour gets a meaning. A level keeps its colour in
every chart of every report, and no colour means two things: the eight data levels take
Okabe-Ito's eight hues (light grey for a missing claim status), and the models take dark
shades (brown, navy, charcoal) that no level uses, baselines told apart by hatching. The set was
checked for the smallest CIEDE2000 difference between any two entries, with normal vision and
simulated protanopia, deuteranopia and tritanopia (Machado et al. 2009): at least 11.7 (the
closest pair, "missing" and "not verified" under deuteranopia, never share a chart).
``templates/report.css`` repeats the level colours as ``--level-*`` custom properties; a test
keeps the two equal.

Drawing from results
--------------------
Figures draw stored results, never raw rows: histograms are matplotlib's ``stairs`` over the
stored bin counts, Tukey boxes with their stored outliers are ``bxp`` (see
:mod:`claimreport.figures.common`). No statistics library is imported to draw: seaborn (which
drew the histograms before) imports scipy.stats, about a second of every EDA build spent
re-binning counts that were already binned. The rc below is the whole theme.

Sizes
-----
Reports print figures at fixed widths (``report.css``: A4 with 14 mm side margins, ``.charts``
two or three columns, ``figure.narrow`` at 72 %). :data:`WIDTH` holds figure widths at most those
printed widths, so a font size here is at least its printed size; with :data:`SMALL` as the
smallest size used, no printed chart text is below 8 pt (``tests/render/test_print_sizes.py``).
"""

from __future__ import annotations

from contextlib import contextmanager

from ..data.schema import BAN, CLAIM, VERIFIED

__all__ = ["PALETTE", "LEVEL_COLOURS", "MODEL", "BASELINE_HATCH", "INK", "MUTED", "REFERENCE",
           "SMALL", "WIDTH", "level_colour", "level_palette", "model_colour", "text_on",
           "new_figure", "thousands", "compact", "style"]

#: Okabe-Ito: orange, sky blue, bluish green, yellow, blue, vermillion, reddish purple, black
PALETTE = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]

#: pseudo-column of the model colours in :data:`LEVEL_COLOURS`
MODEL = "model"

#: (column, level) -> colour: the one meaning of every colour in every report
LEVEL_COLOURS: dict[tuple[str, str], str] = {
    (CLAIM, "claim"): "#D55E00",  # vermillion
    (CLAIM, "opinion"): "#0072B2",  # blue
    (CLAIM, "missing"): "#BBBBBB",  # light grey: no claim status
    (VERIFIED, "verified"): "#009E73",  # bluish green
    (VERIFIED, "not verified"): "#CC79A7",  # reddish purple
    (BAN, "active"): "#56B4E9",  # sky blue
    (BAN, "under review"): "#F0E442",  # yellow
    (BAN, "banned"): "#000000",  # black
    (MODEL, "random_forest"): "#753400",  # brown (vermillion at 55 % lightness)
    (MODEL, "xgboost"): "#003F62",  # navy (blue at 55 % lightness)
    (MODEL, "baseline"): "#666666",  # charcoal; each kind hatched (BASELINE_HATCH)
}
#: a baseline's kind -> hatch pattern on its (charcoal) bars
BASELINE_HATCH = {"rule": "////", "logistic": "....", "majority": "xxxx"}

INK = "#333333"  # a series that stands for no level and no particular model
MUTED = "#999999"  # estimates that are not significant, "nothing here"
REFERENCE = "#555555"  # reference lines (chance, target, no effect) and notes
UNKNOWN = "#999999"  # a level outside the schema (never expected)

SMALL = 8.0  # the smallest font size in any figure (annotations, notes, legends)

#: figure widths (inches) for each printed layout: at most the printed width
#: (report.css: 182 mm of text = 7.17 in; .charts 3.54 in; .charts.three 2.34 in; narrow 5.16 in)
WIDTH = {"full": 7.0, "half": 3.5, "third": 2.3, "narrow": 5.1}

_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 9.5,
    "axes.titleweight": "bold",
    "axes.labelsize": 9,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "legend.fontsize": SMALL + 0.5,
    "legend.title_fontsize": 9,
    "figure.titlesize": 9.5,
    "figure.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#333333",
    "text.color": "#262626",
    "axes.labelcolor": "#262626",
    "xtick.color": "#262626",
    "ytick.color": "#262626",
    "axes.grid": True,
    "grid.color": "#e5e5e5",
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
    "xtick.bottom": True,
    "ytick.left": True,
    "legend.frameon": False,
    "svg.hashsalt": "claimreport",  # stable element ids: same result, same SVG
    # glyphs as paths: an SVG with text would name 'DejaVu Sans' only, and a browser without
    # it would substitute a wider serif font (overlapping labels); the PDF prints the PNGs
    "svg.fonttype": "path",
    "figure.dpi": 100,
}


def level_colour(column: str, level: str) -> str:
    """The colour of *level* of *column* (``MODEL`` for models), the same in every report."""
    return LEVEL_COLOURS.get((column, level), UNKNOWN)


def level_palette(column: str, levels) -> dict[str, str]:
    """``{level: colour}`` for a chart's series and legends, from :data:`LEVEL_COLOURS`."""
    return {level: level_colour(column, level) for level in levels}


def model_colour(model: str) -> str:
    """A model's colour: ``random_forest``, ``xgboost``; anything else is a baseline."""
    return LEVEL_COLOURS.get((MODEL, model), LEVEL_COLOURS[(MODEL, "baseline")])


def text_on(colour: str) -> str:
    """Black or white, whichever reads on a fill of *colour* (WCAG relative luminance)."""
    rgb = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    luminance = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return "black" if luminance > 0.18 else "white"


@contextmanager
def style():
    """Apply the theme for the duration of a block (never changes global state for callers)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from cycler import cycler

    rc = {**_RC, "axes.prop_cycle": cycler(color=[INK, *PALETTE])}
    with plt.rc_context(rc):
        yield plt


def compact(x: float) -> str:
    """Tick label for people: 500 · 2k · 10k · 1M, one style on every axis (no 10^5 notation,
    which readers stumble on)."""
    a = abs(x)
    if a >= 1e6:
        return f"{x / 1e6:g}M"
    if a >= 1e3:
        return f"{x / 1e3:g}k"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2g}"


def thousands(ax, axis: str = "y") -> None:
    """People-friendly tick labels on a linear or log axis (also avoids slow mathtext)."""
    from matplotlib.ticker import FuncFormatter, NullLocator

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(lambda x, _pos: compact(x)))
    # no minor ticks: unlabelled anyway, and on log axes they were a third of the drawing time
    target.set_minor_locator(NullLocator())


def new_figure(plt, width: float = WIDTH["full"], height: float = 3.2, **kwargs):
    fig, axes = plt.subplots(figsize=(width, height), layout="constrained", **kwargs)
    return fig, axes
