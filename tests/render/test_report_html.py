"""HTML/PDF output: self-contained, untrusted text stays text, fetcher refuses the network."""

from __future__ import annotations

import re
import time

import pytest

from claimreport.config import Config
from claimreport.pipeline import build
from claimreport.stages import STAGE_NAMES

HEADER = ("#,claim_status,video_id,video_duration_sec,video_transcription_text,verified_status,"
          "author_ban_status,video_view_count,video_like_count,video_share_count,"
          "video_download_count,video_comment_count\n")
EVIL = [
    '<script>alert("x")</script> someone shared with me that ovens sing',
    "{{ 7*7 }} {% raw %} someone shared with me that jinja runs",
    "**bold** [link](http://example.com/x.png) # heading someone read that",
]


@pytest.fixture(scope="module")
def evil_build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("evil")
    lines = [f'{i + 1},claim,{900 + i},30,"{t.replace(chr(34), chr(34) * 2)}",not verified,'
             f"active,{1000 * (i + 1)},10,1,1,0" for i, t in enumerate(EVIL)]
    lines += [f"{4 + i},opinion,{950 + i},20,i think that tea is {w},verified,active,"
              f"{10 + i},1,0,0,0" for i, w in enumerate(["hot", "nice", "green"])]
    path = tmp / "evil.csv"
    path.write_text(HEADER + "\n".join(lines) + "\n")
    build(path, tmp / "out", ["eda"], ["html", "pdf"], Config())
    return tmp / "out"


def test_untrusted_text_shows_literally(evil_build):
    html = (evil_build / "reports" / "eda.html").read_text()
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "<script>" not in html
    assert "{{ 7*7 }} {% raw %}" in html and "49 {" not in html
    assert "**bold** [link](http://example.com/x.png) # heading" in html
    assert "<strong>bold" not in html


def test_untrusted_text_in_pdf(evil_build, pdf_text):
    text = pdf_text(evil_build / "reports" / "eda.pdf")
    assert '<script>alert("x")</script>' in text
    assert "{{ 7*7 }}" in text


@pytest.mark.parametrize("stage", STAGE_NAMES)
def test_html_is_self_contained(demo_build, stage):
    html = (demo_build / "reports" / f"{stage}.html").read_text()
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<link" not in html
    assert html.count("data:image/svg+xml;base64,") == len(
        re.findall(r"<img ", html))
    assert 'name="viewport"' in html


def test_index_links_stages(demo_build):
    index = (demo_build / "reports" / "index.html").read_text()
    for stage in STAGE_NAMES:
        assert f'href="{stage}.html"' in index and f'href="{stage}.pdf"' in index


@pytest.mark.parametrize("stage", STAGE_NAMES)
def test_pdf_pages_and_footer(demo_build, pdf_text, stage):
    text = pdf_text(demo_build / "reports" / f"{stage}.pdf")
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) >= 2
    first = " ".join(pages[0].split())
    for word in ("Issue / problem", "Response", "Impact", "Key insights", "Next steps"):
        assert word.lower() in first.lower()
    assert "Page 1 of" in first and "sha256" in first and "claimreport 0.1.0" in first
    # the whole executive summary fits on page 1: its last sentence is there
    from claimreport.bundle import read_bundle
    from claimreport.render.narrative import executive

    ex = executive(read_bundle(demo_build / "bundle"), stage)
    assert " ".join(ex.next_steps[-1].split())[-40:] in first
    assert " nan " not in f" {text.lower()} "


def test_fetcher_refuses_network_and_outside_files(tmp_path):
    from claimreport.render.pdf import bundle_fetcher

    inside = tmp_path / "in.txt"
    inside.write_text("ok")
    fetch = bundle_fetcher(tmp_path)
    assert fetch.fetch(inside.as_uri()).read() == b"ok"
    t0 = time.perf_counter()
    for url in ("http://10.255.255.1/x.png", "https://example.com/a.css", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="refused"):
            fetch.fetch(url)
    assert time.perf_counter() - t0 < 1  # refused at once, no network wait


@pytest.mark.parametrize("stage", ["eda", "hypothesis", "regression"])
def test_readers_see_no_internal_codes(demo_build, stage):
    """The course a stage comes from and the alert codes are internal: readers get words."""
    from html import unescape

    html = unescape(re.sub(r"<[^>]+>", " ", (demo_build / "reports" / f"{stage}.html").read_text()))
    assert not re.search(r"\bcourse \d", html, re.I), re.search(r".{40}\bcourse \d.{40}", html, re.I)
    for code in ("separating_column", "near_uniform", "duplicate_transcriptions",
                 "heavy_missingness"):
        assert code not in html


def test_method_notes_name_what_the_stages_do(demo_build):
    hypothesis = (demo_build / "reports" / "hypothesis.html").read_text()
    assert "Yates&#39; continuity correction" in hypothesis or \
        "Yates' continuity correction" in hypothesis
    regression = (demo_build / "reports" / "regression.html").read_text()
    assert "Outliers are capped, not removed" in regression
    assert "shifted by 1" in regression
