"""The Quarto engine: ``reports/*.qmd`` read the same bundle as the HTML/PDF engine and print
Markdown built from the same narrative rules and the same table formatting
(:mod:`.tables`, :mod:`.table_specs`), so the two never disagree.

The documents take the bundle folder as a Quarto parameter (``quarto render reports/eda.qmd
-P bundle:out/bundle``). :func:`render_quarto` is ``claimreport render --engine quarto``: it
runs the Quarto CLI on a copy of the documents and publishes its output as ``OUT/quarto`` in one
atomic step. The Quarto CLI cannot be installed from the package registries, so the tests
execute the documents' Python cells with a Jupyter kernel, the way Quarto does.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

from ..bundle import Bundle, read_bundle
from ..errors import BundleError, RenderError
from ..safepath import inside
from .narrative import executive, title

__all__ = ["DEFAULT_BUNDLE", "md_escape", "attr_escape", "resolve_bundle", "bundle_for_quarto",
           "Document", "executive_markdown", "details_markdown", "table_markdown",
           "figure_markdown", "key_figures_markdown",
           "quarto_project", "check_quarto", "render_quarto", "QUARTO_PYTHON_MODULES"]

#: the documents' ``bundle`` parameter when none is given (relative to ``reports/``)
DEFAULT_BUNDLE = "../build/bundle"
ENV_BUNDLE = "CLAIMREPORT_BUNDLE"
#: what Quarto's Jupyter engine imports in the Python that runs the cells (papermill: ``-P``)
QUARTO_PYTHON_MODULES = ("nbformat", "nbclient", "ipykernel", "papermill", "yaml")
_OUTPUTS = ".claimreport-quarto"  # OUT/quarto links to a finished render in here
_KEEP = 2

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$])")


def md_escape(text: str) -> str:
    """Escape Markdown/HTML syntax so data text renders literally (never as markup or code)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def attr_escape(text: str) -> str:
    """A value for a quoted Pandoc attribute (``fig-alt="..."``): backslash and quote escaped,
    on one line."""
    return re.sub(r'(["\\])', r"\\\1", " ".join(str(text).split()))


# ------------------------------------------------------------------------- the bundle
def resolve_bundle(bundle: str | os.PathLike = DEFAULT_BUNDLE, cwd: Path | None = None) -> Path:
    """The bundle folder the documents read.

    *bundle* is the documents' ``bundle`` parameter; left at its default it gives way to
    ``$CLAIMREPORT_BUNDLE`` when that is set. A relative path is looked up from the folder the
    cells run in (Quarto runs them in the document's folder, ``reports/``), then from the
    project folder (the nearest one up holding ``_quarto.yml``), so both ``-P
    bundle:../out/bundle`` and ``-P bundle:out/bundle`` find ``out/bundle`` of the project.
    """
    if os.fspath(bundle) == DEFAULT_BUNDLE and os.environ.get(ENV_BUNDLE):
        bundle = os.environ[ENV_BUNDLE]
    path = Path(bundle).expanduser()
    if path.is_absolute():
        return path
    here = Path(cwd or Path.cwd()).resolve()
    tried = [here / path]
    project = next((d for d in (here, *here.parents) if (d / "_quarto.yml").is_file()), None)
    if project is not None and project != here:
        tried.append(project / path)
    for candidate in tried:
        if (candidate / "manifest.json").is_file():
            return candidate
    raise BundleError(f"no results bundle at {bundle} (looked in {', '.join(map(str, tried))}); "
                      "build one with `claimreport render --out build` or pass "
                      "-P bundle:PATH to quarto render")


def bundle_for_quarto(bundle: str | os.PathLike = DEFAULT_BUNDLE) -> Bundle:
    """The bundle named by the documents' ``bundle`` parameter (see :func:`resolve_bundle`)."""
    return read_bundle(resolve_bundle(bundle))


# ------------------------------------------------------------------------- Markdown
def _items(lines, bold: bool = False) -> list[str]:
    fmt = "- **{}**" if bold else "- {}"
    return [fmt.format(md_escape(s)) for s in lines] + [""]


def executive_markdown(bundle: Bundle, stage: str, charts: tuple[str, ...] = ()) -> str:
    """Page 1 of *stage* as Markdown: headline, headline numbers, issue / response / impact,
    insights, caveat, the page-1 *charts* and next steps (every sentence escaped)."""
    ex = executive(bundle, stage)
    lines = [f"**{md_escape(ex.headline)}**", ""]
    lines += [f"- **{md_escape(t.value)}** {md_escape(t.label)}" for t in ex.tiles] + [""]
    for heading, body in (("Issue / problem", ex.issue), ("Response", ex.response),
                          ("Impact", ex.impact)):
        lines += [f"### {heading}", "", md_escape(body), ""]
    lines += ["### Key insights", "", *_items(ex.insights)]
    if ex.caveat:
        lines += [f"**Caveat.** {md_escape(ex.caveat)}", ""]
    lines += [figure_markdown(bundle, stage, key) for key in charts]
    lines += ["### Next steps", "", *_items(ex.next_steps)]
    return "\n".join(lines)


def details_markdown(bundle: Bundle, stage: str, course: int) -> str:
    """"Since the previous build" (when there was one) and the analysts' details."""
    ex = executive(bundle, stage)
    lines = []
    s = ex.since
    if s is not None:
        lines += ["## Since the previous build", "", f"*{md_escape(s.intro)}*", ""]
        if s.flips:
            lines += _items(s.flips, bold=True)
        if s.figures:
            more = [f"and {s.more} more (see changes.json in the bundle)"] if s.more else []
            lines += _items([*s.figures, *more])
        elif not s.flips:
            lines += ["*No key figure of this report changed.*", ""]
        if s.drift:
            lines += ["*Data drift:*", "", *_items(s.drift)]
    lines += ["## Details for analysts", "",
              "*The statistics behind the summary. Exact values are in the tables below.*", "",
              *_items(ex.details)]
    return "\n".join(lines)


def table_markdown(bundle: Bundle, stage: str, key: str) -> str:
    """A table of the report as Markdown: a bundle table through its spec
    (:mod:`.table_specs`, as the HTML's ``data_table``) or a table built from the result
    (:mod:`.quarto_tables`); empty when the report leaves it out for these data."""
    from .quarto_tables import BUILT, built_table
    from .tables import bundle_table, markdown_table

    table = (built_table(bundle, stage, key) if key in BUILT[stage]
             else bundle_table(bundle, stage, key))
    return markdown_table(table, md_escape) if table is not None else ""


def key_figures_markdown(bundle: Bundle, stage: str) -> str:
    """A two-column Markdown table of the stage's key figures (the public API of scheduled
    builds; the reports show them in words instead)."""
    from .context import cell

    rows = ["| key figure | value |", "|---|---|"]
    result = bundle.results[stage]
    for name, value in result.key_figures.items():
        if value is None:
            shown = f"not defined ({result.undefined.get(name, 'these data do not support it')})"
        elif isinstance(value, list):
            shown = ", ".join(value) or "none"
        else:
            shown = (f"{value:.4g}" if isinstance(value, float) and abs(value) < 1e-3 and value
                     else cell(value))
        rows.append(f"| `{name}` | {md_escape(shown)} |")
    return "\n".join(rows) + "\n"


def figure_markdown(bundle: Bundle, stage: str, key: str) -> str:
    """An image reference to a bundle figure (PNG): its title as the caption, its alt text as
    ``fig-alt``."""
    ref = bundle.results[stage].figures[key]
    path = inside(bundle.folder(), ref.png, "figure").as_posix()
    if re.search(r"[\s()<>]", path):
        path = f"<{path}>"
    return f"![{md_escape(ref.title)}]({path}){{fig-alt=\"{attr_escape(ref.alt)}\"}}\n"


class Document:
    """What a stage's ``.qmd`` prints, bound to its bundle and stage; every method returns
    Markdown (print it from a cell with ``output: asis``)."""

    def __init__(self, bundle: Bundle, stage: str):
        from ..registry import stage_spec

        self.bundle, self.stage = bundle, stage
        self.result = bundle.results[stage]
        self.words = stage_spec(stage).narrative_module()
        self.course = stage_spec(stage).course

    @property
    def title(self) -> str:
        """The report's title (it follows the configuration, e.g. the metric compared)."""
        return title(self.result)

    @property
    def ex(self):
        """The :class:`~.narrative.Executive` page of the stage (data notes and all)."""
        return executive(self.bundle, self.stage)

    def header(self) -> str:
        """The report's title, where its data come from, and the demo-data banner."""
        m = self.bundle.manifest
        built = m.stages[self.stage].created_at.replace("T", " ").replace("+00:00", " UTC")
        line = (f"{'SYNTHETIC DEMO DATA · ' if m.input.synthetic else ''}Data: {m.input.name} "
                f"({m.input.rows:,} rows, sha256 {m.input.sha256[:12]}) · built {built} · "
                f"claimreport {m.claimreport_version}")
        text = [f"**{md_escape(self.title)}**", "", f"*{md_escape(line)}*", ""]
        if m.input.synthetic:
            text += ["> Demonstration report built from synthetic data generated by claimreport. "
                     "Its numbers are not findings about TikTok; run with `--data` on the real "
                     "dataset for those.", ""]
        return "\n".join(text)

    def executive(self, *charts: str) -> str:
        return executive_markdown(self.bundle, self.stage, charts)

    def details(self) -> str:
        return details_markdown(self.bundle, self.stage, self.course)

    def table(self, *keys: str) -> str:
        return "\n".join(table_markdown(self.bundle, self.stage, k) for k in keys)

    def figure(self, *keys: str) -> str:
        return "\n".join(figure_markdown(self.bundle, self.stage, k) for k in keys)

    def text(self, *sentences) -> str:
        """Sentences from the narrative rules as one paragraph (None and empty ones skipped)."""
        return " ".join(md_escape(s) for s in sentences if s) + "\n"

    def notes(self, items, empty: str | None = None) -> str:
        """A bullet list (or *empty* as a note when there is nothing to list)."""
        items = list(items)
        if not items:
            return f"*{md_escape(empty)}*\n" if empty else ""
        return "\n".join(_items(items))


# ------------------------------------------------------------------------- the engine
#: the project file used when claimreport is installed from a wheel (a checkout uses its own
#: top-level _quarto.yml; the two say the same, and a test keeps them equal)
PROJECT_FILE = """project:
  type: default
  render:
    - reports/*.qmd
  output-dir: build/quarto

format:
  html:
    embed-resources: true
    toc: true
    theme: cosmo

execute:
  echo: false
  warning: false
"""


def quarto_documents() -> Path:
    """The folder of the ``*.qmd`` documents: the checkout's ``reports/``, or the copy the wheel
    ships as ``claimreport._reports``."""
    from importlib import import_module

    candidates = [Path(__file__).resolve().parents[3] / "reports"]
    try:
        candidates += [Path(p) for p in import_module("claimreport._reports").__path__]
    except ModuleNotFoundError:
        pass
    for folder in candidates:
        if list(folder.glob("*.qmd")):
            return folder
    raise RenderError("the Quarto documents (reports/*.qmd) are missing from this installation; "
                      "reinstall claimreport")


def quarto_project() -> Path:
    """The Quarto project of a checkout (``_quarto.yml`` beside ``reports/``), or the shipped
    documents' folder when installed from a wheel (:data:`PROJECT_FILE` is then used)."""
    documents = quarto_documents()
    return documents.parent if (documents.parent / "_quarto.yml").is_file() else documents


def check_quarto() -> str:
    """The ``quarto`` executable, after checking everything the Quarto engine needs; a
    :class:`RenderError` (exit status 4) naming what is missing otherwise."""
    exe = shutil.which("quarto")
    if exe is None:
        raise RenderError("rendering the Quarto documents needs the Quarto CLI and `quarto` is "
                          "not on PATH: install it from https://quarto.org (the built-in "
                          "engine, --engine builtin, needs no Quarto)")
    quarto_project()
    missing = [m for m in QUARTO_PYTHON_MODULES if find_spec(m) is None]
    if missing:
        raise RenderError(f"Quarto runs the documents' Python cells with Jupyter, and "
                          f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not "
                          "installed: pip install 'claimreport[quarto]'")
    return exe


def render_quarto(bundle_dir: Path, out: Path, quarto: str | None = None) -> Path:
    """Render every ``reports/*.qmd`` from *bundle_dir* with the Quarto CLI and publish the
    result as ``out/quarto`` in one step (a link swapped atomically, like ``out/reports``).

    Quarto runs on a copy of the documents inside *out*, so the checkout stays untouched and
    a failed render leaves the published ``out/quarto`` as it was.
    """
    exe = quarto or check_quarto()
    project = quarto_project()
    bundle_dir = Path(bundle_dir).resolve()  # this build's folder, not a link a build may swap
    if not (bundle_dir / "manifest.json").is_file():
        raise BundleError(f"no results bundle in {bundle_dir}")
    store = Path(out) / _OUTPUTS
    build_id = os.urandom(4).hex()
    work = store / f"tmp-{build_id}"
    (work / "reports").mkdir(parents=True)
    try:
        documents = quarto_documents()
        if (project / "_quarto.yml").is_file() and project != documents:
            shutil.copy2(project / "_quarto.yml", work / "_quarto.yml")
        else:
            (work / "_quarto.yml").write_text(PROJECT_FILE)
        for qmd in sorted(documents.glob("*.qmd")):
            shutil.copy2(qmd, work / "reports" / qmd.name)
        env = {**os.environ, "QUARTO_PYTHON": sys.executable}
        env.pop(ENV_BUNDLE, None)  # the parameter names the bundle
        done = subprocess.run([exe, "render", str(work), "--output-dir", "_site",
                               "-P", f"bundle:{bundle_dir}"], cwd=work, env=env,
                              capture_output=True, text=True)
        if done.returncode != 0:
            last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no message"]
            raise RenderError(f"quarto render failed (exit status {done.returncode}): {last[0]}")
        site = work / "_site"
        if not site.is_dir():
            raise RenderError(f"quarto render wrote nothing into {site}")
        final = store / build_id
        os.rename(site, final)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    link = Path(out) / "quarto"
    tmp = Path(out) / f".quarto.{build_id}.tmp"
    os.symlink(f"{_OUTPUTS}/{build_id}", tmp)
    if link.is_dir() and not link.is_symlink():  # written by an older `make quarto`
        shutil.rmtree(link)
    os.replace(tmp, link)
    old = sorted((p for p in store.iterdir() if p.is_dir() and p != final
                  and not p.name.startswith("tmp-")), key=lambda p: p.stat().st_mtime)
    for path in old[: max(0, len(old) - (_KEEP - 1))]:
        shutil.rmtree(path, ignore_errors=True)
    return link


def _main(argv: list[str]) -> int:
    """``python -m claimreport.render.quarto BUNDLE OUT`` (``make quarto`` with
    ``CLAIMREPORT_BUNDLE``): render an existing bundle into ``OUT/quarto``, building nothing."""
    from ..errors import ClaimReportError

    if len(argv) != 2:
        print("usage: python -m claimreport.render.quarto BUNDLE OUT", file=sys.stderr)
        return 2
    try:
        link = render_quarto(Path(argv[0]), Path(argv[1]))
    except ClaimReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(link)
    return 0


if __name__ == "__main__":  # pragma: no cover - exercised through `make quarto`
    raise SystemExit(_main(sys.argv[1:]))
