"""PDFs for people and archives: metadata from the bundle, tagged (PDF/UA-1) by default, PDF/A-3b
on request; verified with poppler's pdfinfo."""

from __future__ import annotations

import re
import subprocess
import zlib
from pathlib import Path

import pytest

from claimreport.bundle import read_bundle
from claimreport.render.narrative import executive


def pdfinfo(path: Path, *args: str) -> str:
    return subprocess.run(["pdfinfo", *args, str(path)], check=True, capture_output=True,
                          text=True).stdout


def field(info: str, name: str) -> str:
    return re.search(rf"^{name}:\s*(.*)$", info, flags=re.M)[1].strip()


def test_default_pdf_is_tagged_with_metadata_from_the_bundle(demo_build):
    bundle = read_bundle(demo_build / "bundle")
    pdf = demo_build / "reports" / "hypothesis.pdf"
    info = pdfinfo(pdf)
    assert field(info, "Title").startswith("Hypothesis test: views by verified status")
    assert field(info, "Subject").startswith(executive(bundle, "hypothesis").headline)
    assert field(info, "Author") == "claimreport"
    assert field(info, "Tagged") == "yes"
    created = bundle.manifest.stages["hypothesis"].created_at  # e.g. 2026-11-28T06:04:27+00:00
    meta = pdfinfo(pdf, "-meta")
    assert f"<xmp:CreateDate>{created}</xmp:CreateDate>" in meta
    raw = pdf.read_bytes()
    assert b"/Lang" in raw or b"/Lang" in _inflated(raw)  # the document language, for readers


def _inflated(raw: bytes) -> bytes:
    out = b""
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", raw, flags=re.S):
        try:
            out += zlib.decompress(stream)
        except zlib.error:
            continue
    return out


def test_every_figure_has_alt_text_in_the_tagged_pdf(demo_build):
    """Every image in the PDF is a tagged figure whose /Alt is the figure's alt text."""
    bundle = read_bundle(demo_build / "bundle")
    pdf = demo_build / "reports" / "eda.pdf"
    raw = pdf.read_bytes() + _inflated(pdf.read_bytes())
    alts = re.findall(rb"/Alt \((.*?)(?<!\\)\)", raw, flags=re.S)
    html = (demo_build / "reports" / "eda.html").read_text()
    assert len(alts) == html.count("<img ") > 0
    texts = [a.replace(b"\\(", b"(").replace(b"\\)", b")").decode("latin-1") for a in alts]
    for ref in bundle.results["eda"].figures.values():
        if f'alt="{ref.alt[:20]}' in html.replace("&#39;", "'"):
            assert any(t.startswith(ref.alt[:20]) for t in texts), ref.alt


@pytest.mark.parametrize("variant, expect", [("pdf/a-3b", 'pdfaid:part="3"'),
                                             ("plain", None)])
def test_archival_and_plain_variants(demo_csv, tmp_path, monkeypatch, variant, expect):
    from claimreport.config import Config
    from claimreport.pipeline import build

    monkeypatch.setenv("CLAIMREPORT_WORKERS", "1")
    build(demo_csv, tmp_path / "o", ["hypothesis"], ["pdf"], Config(), pdf_variant=variant)
    pdf = tmp_path / "o" / "reports" / "hypothesis.pdf"
    meta = pdfinfo(pdf, "-meta")
    if expect:
        assert expect in meta and 'pdfaid:conformance="B"' in meta
        assert field(pdfinfo(pdf), "Tagged") == "yes"
    else:
        assert "pdfaid" not in meta and field(pdfinfo(pdf), "Tagged") == "no"
