"""No text below 8 pt in the printed reports: the stylesheet's font sizes, and every text element
of every figure at the width the PDF prints it.

Printed figure widths come from the layout the templates give each figure (found in the rendered
HTML: full width, ``.charts`` two or three columns, ``figure.narrow``) and the A4 geometry in
``report.css``; a figure printed at *w* inches from a *W*-inch-wide matplotlib figure shows a
*s*-point text at *s* x *w* / *W* points.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from claimreport.stages import STAGE_NAMES

ROOT = Path(__file__).resolve().parents[2]
CSS = ROOT / "templates" / "report.css"
MIN_PT = 8.0
MM = 1 / 25.4  # inches
PT = 1 / 72  # inches


# ----------------------------------------------------------------------------- the stylesheet


def _strip_comments(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def _blocks(css: str, prefix: str = ""):
    """(selector path, declarations) for every rule, nested at-rules included."""
    i = 0
    while i < len(css):
        start = css.find("{", i)
        if start < 0:
            return
        selector = css[i:start].strip().split(";")[-1].strip()
        depth, j = 1, start + 1
        while depth and j < len(css):
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
        body = css[start + 1:j - 1]
        path = f"{prefix} {selector}".strip()
        if "{" in body:  # a block with nested rules (@page, @media): its own declarations too
            yield path, re.sub(r"[^;{}]*\{[^{}]*\}", "", body)
            yield from _blocks(body, path)
        else:
            yield path, body
        i = j


def _declarations(body: str) -> dict[str, str]:
    out = {}
    for part in body.split(";"):
        if ":" in part:
            key, value = part.split(":", 1)
            out[key.strip()] = value.strip()
    return out


def _html_sizes(css: str) -> dict[str, float]:
    """The root font size (pt) per context: screen, print, small screens."""
    sizes = {}
    for path, body in _blocks(css):
        if path.split()[-1] == "html" and "font-size" in _declarations(body):
            sizes[path] = _points(_declarations(body)["font-size"], rem=None)
    return sizes


def _points(value: str, rem: float | None) -> float:
    m = re.fullmatch(r"([0-9]*\.?[0-9]+)(pt|rem|px)", value.strip())
    if not m:
        raise AssertionError(f"font-size {value!r}: use pt, rem or px (em and % compound, so a "
                             "test cannot check them)")
    number, unit = float(m.group(1)), m.group(2)
    if unit == "rem":
        assert rem is not None, "the html font-size must be absolute"
        return number * rem
    return number * (0.75 if unit == "px" else 1.0)


def test_css_has_no_font_below_8pt():
    css = _strip_comments(CSS.read_text())
    roots = _html_sizes(css)
    assert roots, "report.css sets no html font-size"
    smallest_root = min(roots.values())  # the print size: every rem is checked against it
    too_small, seen = [], 0
    for path, body in _blocks(css):
        size = _declarations(body).get("font-size")
        if size is None:
            continue
        seen += 1
        if path.split()[-1] == "html":
            points = _points(size, None)
        else:
            points = _points(size, smallest_root)
        if points < MIN_PT - 1e-9:
            too_small.append(f"{path}: {size} = {points:.2f} pt")
    assert seen > 10
    assert not too_small, "text below 8 pt in print:\n" + "\n".join(too_small)


def test_css_checks_page_margin_boxes():
    """The footer ("Page 1 of 9") sits in an @page margin box: the parser must see it."""
    css = _strip_comments(CSS.read_text())
    paths = [p for p, body in _blocks(css) if "font-size" in _declarations(body)]
    assert any(p.startswith("@page") for p in paths)


def test_css_level_colours_are_the_figures_colours():
    """One colour per level: the stylesheet's --level-* colours are theme.LEVEL_COLOURS."""
    from claimreport.figures.theme import LEVEL_COLOURS

    css = _strip_comments(CSS.read_text())
    found = dict(re.findall(r"--level-([a-z-]+):\s*(#[0-9A-Fa-f]{6})", css))
    expected = {lvl.replace(" ", "-").replace("_", "-"): c for (_, lvl), c in LEVEL_COLOURS.items()}
    assert len(expected) == len(LEVEL_COLOURS)  # level names are unique across columns
    assert {k: v.upper() for k, v in found.items()} == {k: v.upper() for k, v in expected.items()}


# ----------------------------------------------------------------------------- figures


def page_geometry(css: str) -> dict[str, float]:
    """Printed widths (inches) of the figure layouts, from report.css."""
    blocks = list(_blocks(_strip_comments(css)))
    page = next(_declarations(b) for p, b in blocks if p == "@page")
    assert page["size"].startswith("A4")
    margins = [float(x) for x in re.findall(r"([0-9.]+)mm", page["margin"])]
    left, right = (margins[3], margins[1]) if len(margins) == 4 else (margins[-1], margins[-1])
    text = (210 - left - right) * MM
    root = _html_sizes(css)["@media print html"]
    charts = next(_declarations(b) for p, b in blocks if p == ".charts")
    gap = _points(charts["gap"], root) * PT
    narrow = next(_declarations(b) for p, b in blocks if p == "figure.narrow img")
    share = float(narrow["width"].rstrip("%")) / 100
    return {"full": text, "two": (text - gap) / 2, "three": (text - 2 * gap) / 3,
            "narrow": share * text}


class _Figures(HTMLParser):
    """(layout, alt text) of every <figure>: in a .charts grid (two or three columns), narrow,
    or full width."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.found: list[tuple[str, bool, str]] = []
        self._figure: tuple[str, bool] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("img", "br", "meta", "link", "hr", "input"):
            if tag == "img" and self._figure is not None:
                self.found.append((*self._figure, attrs.get("alt", "")))
            return
        classes = (attrs.get("class") or "").split()
        self.stack.append((tag, " ".join(classes)))
        if tag == "figure":
            grid = next((c for t, c in reversed(self.stack) if "charts" in c.split()), None)
            layout = "full" if grid is None else ("three" if "three" in grid.split() else "two")
            self._figure = (layout, "narrow" in classes)

    def handle_endtag(self, tag):
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break
        if tag == "figure":
            self._figure = None


def printed_widths(report_html: str, figures: dict, geometry: dict[str, float]) -> dict[str, float]:
    """{figure key: narrowest printed width in inches} for the figures a report shows."""
    parser = _Figures()
    parser.feed(report_html)
    by_alt = {ref.alt: key for key, ref in figures.items()}
    widths: dict[str, float] = {}
    for layout, narrow, alt in parser.found:
        key = by_alt[alt]
        width = geometry[layout] * (geometry["narrow"] / geometry["full"] if narrow else 1.0)
        widths[key] = min(width, widths.get(key, width))
    return widths


def printed_text_sizes(fig, printed_width: float) -> list[tuple[float, str]]:
    """(printed size in pt, text) of every visible, non-empty text of a drawn figure."""
    from matplotlib.text import Text

    fig.canvas.draw()  # creates the tick labels
    scale = printed_width / fig.get_figwidth()
    return [(t.get_fontsize() * scale, t.get_text()) for t in fig.findobj(Text)
            if t.get_visible() and t.get_text().strip()]


@pytest.fixture(scope="module")
def demo_bundle(demo_build):
    from claimreport.bundle import read_bundle

    return read_bundle(demo_build / "bundle")


@pytest.mark.parametrize("stage", STAGE_NAMES)
def test_figure_text_prints_at_8pt_or_more(demo_build, demo_bundle, stage):
    import matplotlib.pyplot as plt

    from claimreport.figures import draw_figure

    result = demo_bundle.results[stage]
    html = (demo_build / "reports" / f"{stage}.html").read_text()
    widths = printed_widths(html, result.figures, page_geometry(CSS.read_text()))
    assert set(widths) == set(result.figures), "a figure of the bundle is not in the report"
    small = []
    for key, width in sorted(widths.items()):
        fig = draw_figure(result, key)
        try:
            sizes = printed_text_sizes(fig, width)
        finally:
            plt.close(fig)
        assert sizes, key
        size, text = min(sizes)
        if size < MIN_PT - 1e-6:
            small.append(f"{key} (printed {width:.2f} in wide): {size:.2f} pt {text!r}")
    assert not small, "figure text below 8 pt in print:\n" + "\n".join(small)


def test_geometry_matches_the_figure_widths_of_the_theme():
    """The theme's figure widths are at most the printed widths, so theme sizes are printed
    sizes or more."""
    from claimreport.figures.theme import WIDTH

    g = page_geometry(CSS.read_text())
    assert WIDTH["full"] <= g["full"] and WIDTH["half"] <= g["two"]
    assert WIDTH["third"] <= g["three"] and WIDTH["narrow"] <= g["narrow"]
