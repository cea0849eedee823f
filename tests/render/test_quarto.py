"""The Quarto documents, proven without the Quarto CLI (it cannot be installed here).

Each ``reports/*.qmd`` is turned into a notebook the way Quarto's Jupyter engine does it
(``quartoMdToJupyter``: the front matter becomes a raw cell, each ```{python} block a code cell
whose options Quarto does not handle itself, such as ``tags``, move into the cell's metadata),
the ``bundle`` parameter is injected as ``quarto render -P bundle:...`` does (papermill's
translation, in a cell tagged ``injected-parameters`` right after the cell tagged
``parameters``), and the notebook runs on a ``python3`` Jupyter kernel with nbclient, in the
document's folder. The Markdown the cells print (``output: asis``) is then compared with the
HTML report of the same bundle: every table (title and every cell), every figure (alt text),
the headline and the headline numbers.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from claimreport.render.quarto import DEFAULT_BUNDLE, md_escape

ROOT = Path(__file__).resolve().parents[2]
QMDS = sorted((ROOT / "reports").glob("*.qmd"))
STAGE_QMDS = [p for p in QMDS if p.stem != "index"]
KERNEL = "python3"  # ipykernel installs this kernelspec into the virtual environment
# cell options Quarto keeps in the cell source (kJupyterCellOptionKeys); any other moves into
# the cell metadata, as ``tags`` does
QUARTO_OPTIONS = {"eval", "echo", "warning", "error", "output", "include", "label", "classes",
                  "panel", "column", "fig-cap", "fig-subcap", "fig-scap", "fig-alt", "tbl-cap",
                  "code-fold", "code-summary", "layout", "layout-ncol", "layout-nrow"}
OPTION = re.compile(r"^#\s*\| ?(.*)$")


# --------------------------------------------------------------------------- qmd → Markdown
def _options(source: str) -> tuple[dict, list[str], list[str]]:
    """A cell's ``#|`` options, its option lines and the rest of its lines."""
    lines = source.splitlines()
    n = next((i for i, line in enumerate(lines) if not OPTION.match(line)), len(lines))
    opts = yaml.safe_load("\n".join(OPTION.match(x).group(1) for x in lines[:n])) or {}
    return opts, lines[:n], lines[n:]


def qmd_notebook(path: Path, params: dict):
    """*path* as the notebook Quarto's Jupyter engine executes, *params* injected."""
    import nbformat
    from papermill.translators import translate_parameters

    text = path.read_text()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL, "language": "python", "display_name": "Python 3"}
    front = re.match(r"^---\n.*?\n---\n", text, re.S)
    assert front, f"{path.name}: no front matter"
    nb.cells.append(nbformat.v4.new_raw_cell(front.group(0).strip()))
    for markdown, code in re.findall(r"(.*?)```\{python\}\n(.*?)```\n?", text[front.end():], re.S):
        if markdown.strip():
            nb.cells.append(nbformat.v4.new_markdown_cell(markdown.strip()))
        opts, option_lines, rest = _options(code)
        kept = [x for x in option_lines if OPTION.match(x).group(1).split(":")[0] in QUARTO_OPTIONS]
        cell = nbformat.v4.new_code_cell("\n".join(kept + rest).strip())
        cell.metadata.update({k: v for k, v in opts.items() if k not in QUARTO_OPTIONS})
        nb.cells.append(cell)
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: needs exactly one cell tagged parameters"
    params_opts, _, _ = _options(nb.cells[tagged[0]].source)
    injected = nbformat.v4.new_code_cell(
        "".join(f"#| {k}: {str(v).lower() if isinstance(v, bool) else v}\n"
                for k, v in params_opts.items() if k != "label")
        + translate_parameters(KERNEL, "python", params, "Injected Parameters"))
    injected.metadata["tags"] = ["injected-parameters"]
    nb.cells.insert(tagged[0] + 1, injected)
    return nb


def execute_qmd(path: Path, params: dict) -> str:
    """Run *path*'s cells on a Jupyter kernel in its folder; the Markdown they print."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    from nbclient import NotebookClient

    try:
        KernelSpecManager().get_kernel_spec(KERNEL)
    except NoSuchKernel:  # pragma: no cover - ipykernel (the test extra) provides it
        pytest.fail(f"no {KERNEL!r} Jupyter kernel: pip install -e '.[test]' installs ipykernel")
    nb = qmd_notebook(path, params)
    NotebookClient(nb, kernel_name=KERNEL, timeout=600,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    parts = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            if cell.cell_type == "markdown":
                parts.append(cell.source)
            continue
        opts, _, _ = _options(cell.source)
        if opts.get("include") is False:
            continue
        assert opts.get("output") == "asis", f"{path.name}: a cell that shows code or repr"
        parts += [o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stdout"]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def markdown(demo_build, tmp_path_factory):
    """{document: Markdown}, every document executed once against the demo build's bundle."""
    env = os.environ.pop("CLAIMREPORT_BUNDLE", None)  # the parameter alone names the bundle
    try:
        return {p.stem: execute_qmd(p, {"bundle": str(demo_build / "bundle")}) for p in QMDS}
    finally:
        if env is not None:
            os.environ["CLAIMREPORT_BUNDLE"] = env


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def norm(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- what HTML shows
class _HtmlReport(HTMLParser):
    """Tables (title: caption, else the heading above; rows of cell texts) and image alts."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.alts: set[str] = set()
        self.heading = ""
        self._text: list[str] | None = None
        self._table: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("h1", "h2", "h3", "caption", "th", "td"):
            self._text = []
        elif tag == "table":
            self._table = {"caption": None, "rows": []}
        elif tag == "tr" and self._table is not None:
            self._table["rows"].append([])
        elif tag == "img":
            self.alts.add(norm(dict(attrs)["alt"]))

    def handle_endtag(self, tag):
        text = norm("".join(self._text or []))
        if tag in ("h1", "h2", "h3"):
            self.heading = text
        elif tag == "caption":
            self._table["caption"] = text
        elif tag in ("th", "td") and self._table is not None:
            self._table["rows"][-1].append(text)
        elif tag == "table":
            t, self._table = self._table, None
            self.tables[t["caption"] or self.heading] = t["rows"]

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def html_report(path: Path) -> _HtmlReport:
    parser = _HtmlReport()
    parser.feed(path.read_text())
    return parser


def markdown_tables(md: str) -> dict[str, list[list[str]]]:
    """Pipe tables of *md* by their caption (``: caption`` under the table), cells unescaped."""
    tables, lines, i = {}, md.splitlines(), 0
    while i < len(lines):
        if not lines[i].startswith("|"):
            i += 1
            continue
        block = []
        while i < len(lines) and lines[i].startswith("|"):
            block.append(lines[i])
            i += 1
        while i < len(lines) and not lines[i].strip():
            i += 1
        assert i < len(lines) and lines[i].startswith(": "), f"table without a caption: {block[0]}"
        rows = [[norm(unescape(c)) for c in re.split(r"(?<!\\)\|", row)[1:-1]]
                for n, row in enumerate(block) if n != 1]  # line 1 is the alignment rule
        tables[norm(unescape(lines[i][2:]))] = rows
    return tables


def cells(rows: list[list[str]]) -> list[list[str]]:
    """Rows without empty cells (a header row of a two-column table, a colspan's filler)."""
    return [r for r in ([c for c in row if c] for row in rows) if r]


FIGURE = re.compile(r'!\[((?:\\.|[^\]\\])*)\]\((<[^>]+>|[^)\s]+)\)\{fig-alt="((?:\\.|[^"\\])*)"\}')


# --------------------------------------------------------------------------- the documents
def test_every_stage_has_a_document():
    from claimreport.stages import STAGE_NAMES

    assert {p.stem for p in QMDS} == {*STAGE_NAMES, "index"}
    assert (ROOT / "_quarto.yml").is_file()


@pytest.mark.parametrize("qmd", QMDS, ids=lambda p: p.stem)
def test_bundle_is_a_quarto_parameter(qmd):
    """``params: bundle:`` in the front matter, and the papermill-style parameters cell that
    Quarto's Jupyter engine overrides with ``-P bundle:PATH``, agree on the default."""
    front = yaml.safe_load(re.match(r"^---\n(.*?)\n---\n", qmd.read_text(), re.S).group(1))
    assert front["params"] == {"bundle": DEFAULT_BUNDLE}
    nb = qmd_notebook(qmd, {"bundle": "/elsewhere/bundle"})
    i = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    assert f'bundle = "{DEFAULT_BUNDLE}"' in nb.cells[i].source
    assert nb.cells[i + 1].metadata["tags"] == ["injected-parameters"]
    assert 'bundle = "/elsewhere/bundle"' in nb.cells[i + 1].source
    assert "#| include: false" in nb.cells[i + 1].source
    assert "CLAIMREPORT_BUNDLE" not in "".join(c.source for c in nb.cells if c.cell_type == "code"
                                              and "parameters" not in c.metadata.get("tags", []))


@pytest.mark.parametrize("qmd", STAGE_QMDS, ids=lambda p: p.stem)
def test_document_shows_page_one(qmd, markdown, demo_build):
    from claimreport.bundle import read_bundle
    from claimreport.render.narrative import executive

    ex = executive(read_bundle(demo_build / "bundle"), qmd.stem)
    text = norm(unescape(markdown[qmd.stem]))
    assert ex.tiles, "every stage's page 1 has headline numbers"
    expected = [ex.headline, ex.issue, ex.response, ex.impact, *ex.insights, *ex.next_steps,
                *ex.details, *(t.value for t in ex.tiles), *(t.label for t in ex.tiles)]
    if ex.caveat:
        expected.append(ex.caveat)
    missing = [s for s in expected if norm(s) not in text]
    assert not missing, missing
    assert f"**{md_escape(ex.headline)}**" in markdown[qmd.stem]


@pytest.mark.parametrize("qmd", STAGE_QMDS, ids=lambda p: p.stem)
def test_document_shows_every_table_of_the_html_report(qmd, markdown, demo_build):
    html = html_report(demo_build / "reports" / f"{qmd.stem}.html").tables
    md = markdown_tables(markdown[qmd.stem])
    assert set(md) == set(html), (sorted(set(html) - set(md)), sorted(set(md) - set(html)))
    for title, rows in html.items():
        # every cell, numbers formatted by the same rules, reads the same in both
        assert cells(md[title]) == cells(rows), title
        assert any(re.search(r"\d", c) for row in cells(rows) for c in row) or \
            title == "Tableau measures and dimensions", f"{title}: no number compared"


@pytest.mark.parametrize("qmd", STAGE_QMDS, ids=lambda p: p.stem)
def test_document_shows_every_figure_with_alt_text(qmd, markdown, demo_build):
    html = html_report(demo_build / "reports" / f"{qmd.stem}.html").alts
    found = FIGURE.findall(markdown[qmd.stem])
    assert {norm(unescape(alt)) for _, _, alt in found} == html
    for caption, path, alt in found:
        assert caption and alt
        assert Path(path.strip("<>")).is_file()


def test_index_lists_every_stage(markdown, demo_build):
    from claimreport.bundle import read_bundle
    from claimreport.render.narrative import executive

    bundle = read_bundle(demo_build / "bundle")
    text = norm(unescape(markdown["index"]))
    for stage in bundle.results:
        ex = executive(bundle, stage)
        assert f"]({stage}.qmd)" in markdown["index"]
        assert norm(ex.headline) in text and all(t.value in text for t in ex.tiles)


def test_untrusted_text_is_escaped_in_tables(markdown, demo_build):
    """Transcriptions are data: shown verbatim, never as Markdown (table rows stay whole)."""
    from claimreport.bundle import read_bundle

    result = read_bundle(demo_build / "bundle").results["eda"]
    examples = markdown_tables(markdown["eda"])["Example transcriptions (random sample)"]
    assert [row[1] for row in examples[1:]] == [" ".join(e.text.split()) for e in result.examples]


def test_since_the_previous_build_section(demo_build, monkeypatch):
    from dataclasses import replace

    from claimreport.bundle import read_bundle
    from claimreport.render import quarto
    from claimreport.render.narrative import changes

    bundle = read_bundle(demo_build / "bundle")
    since = changes.Since(intro="Compared with the build of 2026-01-01 on the same data.",
                          figures=["share_claims: 0.5 → 0.6 (up 20.0%)"],
                          drift=["Views: a major shift in distribution (PSI 0.31)."],
                          flips=["The chosen model changed from xgboost to random forest."],
                          more=3)
    real = quarto.executive
    monkeypatch.setattr(quarto, "executive", lambda b, s: replace(real(b, s), since=since))
    text = unescape(quarto.details_markdown(bundle, "modeling", 6))
    assert text.index("## Since the previous build") < text.index("## Details for analysts")
    for s in (since.intro, *since.figures, *since.drift, *since.flips, "and 3 more"):
        assert s in text


# --------------------------------------------------------------------------- the parameter
def test_relative_bundle_is_found_from_the_document_or_the_project(tmp_path, monkeypatch):
    from claimreport.errors import BundleError
    from claimreport.render.quarto import resolve_bundle

    monkeypatch.delenv("CLAIMREPORT_BUNDLE", raising=False)
    (tmp_path / "_quarto.yml").write_text("project: {type: default}\n")
    (tmp_path / "reports").mkdir()
    for name in ("build", "out"):
        (tmp_path / name / "bundle").mkdir(parents=True)
        (tmp_path / name / "bundle" / "manifest.json").write_text("{}")
    docs = tmp_path / "reports"
    assert resolve_bundle(DEFAULT_BUNDLE, docs) == docs / "../build/bundle"
    assert resolve_bundle("out/bundle", docs) == tmp_path / "out" / "bundle"  # -P from the root
    assert resolve_bundle(tmp_path / "out" / "bundle", docs) == tmp_path / "out" / "bundle"
    monkeypatch.setenv("CLAIMREPORT_BUNDLE", str(tmp_path / "out" / "bundle"))
    assert resolve_bundle(DEFAULT_BUNDLE, docs) == tmp_path / "out" / "bundle"  # the fallback
    assert resolve_bundle("../build/bundle/", docs) == docs / "../build/bundle/"  # given: wins
    with pytest.raises(BundleError, match="-P bundle:PATH"):
        resolve_bundle("missing/bundle", docs)


def test_markdown_escaping_keeps_data_text_literal():
    evil = '<script>alert(1)</script> {{< pagebreak >}} **bold** [x](http://y) # h `code` $x$'
    escaped = md_escape(evil)
    for raw in ("<script>", "{{<", "**bold**", "[x](", "`code`", "$x$"):
        assert raw not in escaped
    assert re.sub(r"\\(.)", r"\1", escaped) == evil  # unescaping gives the text back


def test_figure_alt_text_stays_inside_its_attribute():
    from claimreport.render.quarto import attr_escape

    alt = 'Bars of "views" \\ by group\nsecond line'
    value = attr_escape(alt)
    assert "\n" not in value and re.fullmatch(r'(?:\\.|[^"\\])*', value)
    assert unescape(value) == " ".join(alt.split())


# --------------------------------------------------------------------------- --engine quarto
def _cli(*args, path: str, cwd=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PATH": path}
    env.pop("CLAIMREPORT_BUNDLE", None)
    return subprocess.run([sys.executable, "-m", "claimreport.cli", *args], capture_output=True,
                          text=True, env=env, cwd=cwd)


def _fake_quarto(folder: Path, status: int = 0) -> Path:
    """A stand-in ``quarto`` that records its arguments and writes one page per document."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "quarto"
    script.write_text(f"#!{sys.executable}\n" + textwrap.dedent(f"""\
        import os, sys
        from pathlib import Path
        args = sys.argv[1:]
        assert args[0] == "render" and args[2] == "--output-dir" and args[4] == "-P", args
        project, bundle = Path(args[1]), args[5].split(":", 1)[1]
        site = project / args[3] / "reports"
        site.mkdir(parents=True)
        for qmd in (project / "reports").glob("*.qmd"):
            (site / (qmd.stem + ".html")).write_text(
                bundle + "\\n" + os.environ["QUARTO_PYTHON"])
        if {status}:
            print("ERROR: something went wrong", file=sys.stderr)
        sys.exit({status})
        """))
    script.chmod(0o755)
    return folder


def test_engine_quarto_without_quarto_fails_before_any_stage_computes(tmp_path, demo_csv):
    out = tmp_path / "out"
    done = _cli("render", "--engine", "quarto", "--data", str(demo_csv), "--out", str(out),
                path=str(tmp_path / "empty-bin"))
    assert done.returncode == 4, done.stderr
    assert done.stderr.count("\n") == 1 and "`quarto` is not on PATH" in done.stderr
    assert not out.exists()  # decided before the data were read or anything was written
    done = _cli("render", "--engine", "typst", "--out", str(out), path=os.environ["PATH"])
    assert done.returncode == 2 and "unknown --engine 'typst'" in done.stderr


def test_engine_quarto_publishes_out_quarto_from_the_published_bundle(tmp_path, demo_build,
                                                                      demo_csv):
    out = tmp_path / "out"
    shutil.copytree(demo_build, out, symlinks=True)  # the same data: no stage recomputes
    path = f"{_fake_quarto(tmp_path / 'bin')}{os.pathsep}{os.environ['PATH']}"
    for _ in range(3):
        done = _cli("render", "--engine", "quarto", "--data", str(demo_csv), "--out", str(out),
                    "--log-format", "json", path=path)
        assert done.returncode == 0, done.stderr
    page = out / "quarto" / "reports" / "eda.html"
    bundle, python = page.read_text().splitlines()
    assert Path(bundle) == (out / "bundle").resolve()  # the build itself, not the link
    assert python == sys.executable
    assert (out / "quarto").is_symlink() and str(page) in done.stdout
    store = out / ".claimreport-quarto"
    assert len(list(store.iterdir())) == 2  # the published render and the one before it

    before = (out / "quarto").resolve()
    failing = f"{_fake_quarto(tmp_path / 'bad-bin', status=1)}{os.pathsep}{os.environ['PATH']}"
    done = _cli("render", "--engine", "quarto", "--data", str(demo_csv), "--out", str(out),
                path=failing)
    assert done.returncode == 4 and "quarto render failed" in done.stderr
    assert "something went wrong" in done.stderr
    assert (out / "quarto").resolve() == before and page.is_file()
    assert not [p for p in store.iterdir() if p.name.startswith("tmp-")]


@pytest.mark.parametrize("stage", ["hypothesis", "regression"])
def test_document_shows_the_method_notes(stage, markdown, demo_build):
    """The method notes come from the narrative rules, so both engines say the same."""
    from claimreport.bundle import read_bundle
    from claimreport.registry import stage_spec

    result = read_bundle(demo_build / "bundle").results[stage]
    text = norm(unescape(markdown[stage]))
    notes = stage_spec(stage).narrative_module().method_notes(result)
    assert notes and all(norm(n) in text for n in notes)
