"""Charts say what their axes are, show every kind of value, keep one colour per level, and are
byte-for-byte reproducible. Drawn from the demo bundle (tests/conftest.py ``demo_build``)."""

from __future__ import annotations

import re

import pytest

from claimreport.stages import STAGE_NAMES

NUMBER = re.compile(r"^[\u2212-]?[0-9][0-9.,]*[kM%]?$")


@pytest.fixture(scope="module")
def demo_bundle(demo_build):
    from claimreport.bundle import read_bundle

    return read_bundle(demo_build / "bundle")


@pytest.fixture(scope="module")
def drawn(demo_bundle):
    """Every figure of every stage, drawn once: {(stage, key): Figure}."""
    import matplotlib
    import matplotlib.pyplot as plt

    from claimreport.figures import draw_figure

    figures = {}
    with matplotlib.rc_context({"figure.max_open_warning": 0}):  # all kept open on purpose
        for stage in STAGE_NAMES:
            result = demo_bundle.results[stage]
            for key in result.figures:
                fig = draw_figure(result, key)
                fig.canvas.draw()
                figures[(stage, key)] = fig
    yield figures
    for fig in figures.values():
        plt.close(fig)


def _labels(ax) -> str:
    return " ".join([ax.get_xlabel(), ax.get_ylabel(), ax.get_title(loc="left"),
                     ax.get_title()]).replace("\n", " ")


def _axes(fig):
    return [ax for ax in fig.axes if ax.get_visible() and ax.axison]


def test_log_axes_say_so_and_symlog_axes_say_zero_is_included(drawn):
    checked = 0
    for (stage, key), fig in drawn.items():
        for ax in _axes(fig):
            for axis, scale in (("x", ax.get_xscale()), ("y", ax.get_yscale())):
                if scale == "symlog":
                    checked += 1
                    assert "log scale, 0 included" in _labels(ax), \
                        f"{stage}/{key}: symmetric-log {axis} axis not labelled as such"
                elif scale == "log":
                    checked += 1
                    assert "log" in _labels(ax), f"{stage}/{key}: log {axis} axis unlabelled"
                    assert "0 included" not in _labels(ax), f"{stage}/{key}: log axis has no 0"
    assert checked >= 10


def _numeric_axis(axis) -> bool:
    labels = [t.get_text() for t in axis.get_ticklabels() if t.get_visible() and t.get_text()]
    return bool(labels) and all(NUMBER.match(x.replace(" ", "")) for x in labels)


def test_zoomed_quantity_axes_say_where_they_start(drawn):
    """A linear numeric axis that does not reach 0 says "axis zoomed: starts at ..."."""
    zoomed = []
    for (stage, key), fig in drawn.items():
        for ax in _axes(fig):
            for axis, low, label, scale in (
                    (ax.xaxis, ax.get_xlim()[0], ax.get_xlabel(), ax.get_xscale()),
                    (ax.yaxis, ax.get_ylim()[0], ax.get_ylabel(), ax.get_yscale())):
                if scale != "linear" or low <= 0 or not _numeric_axis(axis):
                    continue
                assert "axis zoomed: starts at" in label.replace("\n", " "), \
                    f"{stage}/{key}: axis starts at {low:g} without saying so ({label!r})"
                assert f"starts at {low:.6g}" in label.replace("\n", " ")
                zoomed.append((stage, key))
    assert ("modeling", "validation") in zoomed


def test_box_plots_draw_the_stored_outliers(demo_bundle, drawn):
    eda = demo_bundle.results["eda"]
    group = next(g for g in eda.boxes if g.column == "video_view_count"
                 and g.by == "verified_status")
    assert sum(b.n_fliers for b in group.boxes) > 0  # the demo data have outliers here
    fig = drawn[("eda", "views_by_verified")]
    points = sorted(y for line in fig.axes[0].get_lines() if line.get_linestyle() == "None"
                    and line.get_marker() == "o" for y in line.get_ydata())
    assert points == sorted(v for b in group.boxes for v in b.fliers)


def test_thinned_outliers_are_counted_in_the_alt_text():
    from claimreport.figures.common import flier_words
    from claimreport.results.common import BoxStats

    box = BoxStats(label="claim", n=5000, mean=1, med=1, q1=0, q3=2, whislo=0, whishi=5,
                   fliers=[10.0] * 300, n_fliers=1234)
    few = box.model_copy(update={"label": "opinion", "fliers": [9.0, 11.0], "n_fliers": 2})
    assert flier_words([box, few]) == ("Outliers beyond the whiskers (dots): claim 1,234 "
                                       "(300 drawn), opinion 2.")


def test_one_colour_per_level_everywhere(drawn):
    from matplotlib.colors import to_hex

    from claimreport.figures.theme import LEVEL_COLOURS, level_colour

    colours = list(LEVEL_COLOURS.values())
    assert len(set(c.lower() for c in colours)) == len(colours)
    # boxes take their level's colour, whatever the chart
    for key, column, levels in (("views_by_ban", "author_ban_status",
                                 ["active", "under review", "banned"]),
                                ("views_by_claim", "claim_status", ["claim", "opinion"]),
                                ("views_by_verified", "verified_status",
                                 ["verified", "not verified"])):
        ax = drawn[("eda", key)].axes[0]
        faces = [to_hex(p.get_facecolor(), keep_alpha=False) for p in ax.patches]
        assert faces == [level_colour(column, lvl).lower() for lvl in levels], key


def test_same_result_gives_the_same_svg_bytes(demo_bundle, tmp_path):
    from claimreport.figures import save_all

    result = demo_bundle.results["hypothesis"]
    a, b = tmp_path / "a", tmp_path / "b"
    refs = save_all(result, a)
    save_all(result, b)
    for ref in refs.values():
        assert (a / ref.svg).read_bytes() == (b / ref.svg).read_bytes(), ref.svg
        assert (a / ref.png).read_bytes() == (b / ref.png).read_bytes(), ref.png
