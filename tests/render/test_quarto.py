"""Quarto documents: their Python cells run against a real bundle (no Quarto CLI needed)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from claimreport.render.quarto import md_escape

ROOT = Path(__file__).resolve().parents[2]
QMDS = sorted((ROOT / "reports").glob("*.qmd"))
CELL = re.compile(r"```\{python\}\n(.*?)```", re.S)


def test_every_stage_has_a_document():
    from claimreport.stages import STAGE_NAMES

    assert {p.stem for p in QMDS} == {*STAGE_NAMES, "index"}
    assert (ROOT / "_quarto.yml").is_file()


@pytest.mark.parametrize("qmd", QMDS, ids=lambda p: p.stem)
def test_cells_execute_against_the_bundle(qmd, demo_build, monkeypatch):
    monkeypatch.setenv("CLAIMREPORT_BUNDLE", str(demo_build / "bundle"))
    namespace: dict = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for cell in CELL.findall(qmd.read_text()):
            exec(compile(cell, str(qmd), "exec"), namespace)  # noqa: S102 - our own documents
    text = out.getvalue()
    assert text.strip()
    if qmd.stem != "index":
        assert "### Key insights" in text and "| key figure | value |" in text
        for png in re.findall(r"\]\(([^)]+\.png)\)", text):
            assert Path(png).is_file()


def test_markdown_escaping_keeps_data_text_literal():
    evil = '<script>alert(1)</script> {{< pagebreak >}} **bold** [x](http://y) # h `code` $x$'
    escaped = md_escape(evil)
    for raw in ("<script>", "{{<", "**bold**", "[x](", "`code`", "$x$"):
        assert raw not in escaped
    assert re.sub(r"\\(.)", r"\1", escaped) == evil  # unescaping gives the text back
