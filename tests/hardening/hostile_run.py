"""Run ``claimreport render`` in-process as the CLI does, and judge the outcome of a hostile case.

The contract checked (README, "Exit status" and issue: hardening): exit 0 with every requested
report complete, or exit 2 with one ``error:`` message naming the file and the problem; never a
traceback or another exit status; nothing written by a refused build; the inputs untouched.
"""

from __future__ import annotations

import csv
import json
import os
import re
import struct
import traceback
import zlib
from contextlib import contextmanager, nullcontext
from pathlib import Path
from unittest.mock import patch

from matplotlib.figure import Figure
from threadpoolctl import threadpool_limits
from typer.testing import CliRunner

import claimreport.figures
from claimreport.cli import app

from .hostile_data import FORMULA_STARTS

ENV = {"CLAIMREPORT_WORKERS": "1"}  # figures in this process: no worker is forked
UNDEFINED_WORDS = re.compile(r"\b(nan|NaN|inf|-inf|Infinity|None)\b")
#: markup that hostile text and config names carry: it must reach the HTML escaped
RAW_MARKUP = ("<script>alert(1)</script>", "<b>bold</b>", "<b>x</b>")
PROBLEM_LIST = re.compile(r"(.+): (\d+) problems? found, nothing was written:")


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


PLACEHOLDERS = {"svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>',
                "png": _png()}


def _placeholder_savefig(self, fname, *args, format=None, **kwargs):
    """Figure.savefig that stores a 1-pixel placeholder instead of laying out and rasterising."""
    fmt = (format or Path(fname).suffix.lstrip(".") or "png").lower()
    data = PLACEHOLDERS.get(fmt, PLACEHOLDERS["png"])
    if hasattr(fname, "write"):
        fname.write(data)
    else:
        Path(fname).write_bytes(data)


def _blank_figure(result, key):
    return Figure()


def render(args: list[str], *, real_figures: bool = False):
    """``claimreport render ARGS`` through the CLI's own entry point, in this process.

    Unless *real_figures*, figures are not drawn: their titles and alt texts (the captions the
    report shows) are computed from the result as always, but each figure is a blank one stored
    as a 1-pixel placeholder: building and drawing them is most of a small build's time (4.3 s
    of 4.6 s CPU on 150 rows). BLAS runs on one thread: on 150-row data its threads only wait
    for each other, and the results are the same.
    """
    figures = nullcontext() if real_figures else _no_drawing()
    with figures, threadpool_limits(1):
        return CliRunner().invoke(app, ["render", *args], env=ENV)


@contextmanager
def _no_drawing():
    with patch.object(claimreport.figures, "draw_figure", _blank_figure), \
            patch.object(Figure, "savefig", _placeholder_savefig):
        yield


def visible_text(html: str) -> str:
    html = re.sub(r"<(style|script)[^>]*>.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def snapshot(out: Path) -> dict[str, object]:
    """Every file readers see under OUT/bundle and OUT/reports, the links, and the internal
    folder's entries (a refused build must not leave a staging folder behind)."""
    files: dict[str, object] = {}
    for part in ("bundle", "reports"):
        root = out / part
        for p in sorted(root.rglob("*")):
            if p.is_file():
                files[f"{part}/{p.relative_to(root)}"] = p.read_bytes()
    internal = out / ".claimreport"
    files[":links"] = tuple(os.readlink(p) for p in (out / "bundle", out / "reports",
                                                     internal / "current"))
    files[":internal"] = sorted(os.listdir(internal))
    files[":builds"] = sorted(os.listdir(internal / "builds"))
    files[":out"] = sorted(os.listdir(out))
    return files


def error_message(stderr: str) -> str:
    """The text after ``error:``: one line, or the loader's header line and its bullets."""
    lines = stderr.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    at = [i for i, line in enumerate(lines) if line.startswith("error: ")]
    assert len(at) == 1, f"expected one 'error:' line on stderr, got:\n{stderr}"
    noise = [line for line in lines[:at[0]] if not line.startswith("claimreport: ")]
    assert not noise, f"unexpected output before the error:\n{stderr}"
    head, *rest = lines[at[0]:]
    head = head.removeprefix("error: ")
    assert head.strip(), f"empty error message:\n{stderr}"
    if rest:
        m = PROBLEM_LIST.fullmatch(head)
        assert m, f"an error of several lines must be the list of problems:\n{stderr}"
        bullets_ok = all(re.fullmatch(r"  - \S.*", line) for line in rest)
        assert len(rest) == int(m[2]) and bullets_ok, \
            f"the list of {m[2]} problem(s) is not one bullet line each:\n{stderr}"
    return "\n".join([head, *rest])


def refusal_source(message: str) -> str:
    """Which check refused: the config, the loader, or a stage's preflight."""
    head, *bullets = message.split("\n")
    if not bullets:
        return "config" if "config" in head else "other"
    stages = ("eda: ", "hypothesis: ", "regression: ", "modeling: ")
    return "preflight" if all(b[4:].startswith(stages) for b in bullets) else "loader"


def judge(result, *, out: Path, stages: list[str], inputs: dict[Path, bytes],
          names: list[str], published: dict | None = None) -> tuple[str, str]:
    """("accepted", "") or ("refused", message); raises AssertionError on a broken contract.

    *names*: one of them must appear in the message's first line (the file that is wrong).
    *published*: the snapshot of OUT before the build, when OUT held a published build.
    """
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        tb = "".join(traceback.format_exception(exc))
        raise AssertionError(f"traceback instead of a message:\n{tb}\nstderr:\n{result.stderr}")
    assert result.exit_code in (0, 2), f"exit status {result.exit_code}:\n{result.stderr}"
    for path, data in inputs.items():
        assert path.read_bytes() == data, f"the input {path} was modified"
    if result.exit_code == 0:
        check_reports(out, stages)
        return "accepted", ""
    assert isinstance(exc, SystemExit) and exc.code == 2, repr(exc)
    message = error_message(result.stderr)
    head = message.split("\n")[0]
    assert any(n in head for n in names), f"the message names none of {names}:\n{message}"
    if published is None:
        assert not out.exists(), f"a refused first build left {sorted(os.listdir(out))}"
    else:
        assert snapshot(out) == published, "a refused build changed the published build"
    return "refused", message


def check_reports(out: Path, stages: list[str]) -> None:
    reports = out / "reports"
    assert (reports / "index.html").is_file(), "no index.html"
    for stage in stages:
        html = (reports / f"{stage}.html").read_text(encoding="utf-8")
        text = visible_text(html)
        m = UNDEFINED_WORDS.search(text)
        assert not m, f"{stage}.html shows {m[0]!r}: …{text[max(0, m.start() - 150):m.end() + 80]}…"
        raw = [s for s in RAW_MARKUP if s in html]
        assert not raw, f"{stage}.html holds unescaped markup {raw}"


def check_tableau_extract(out: Path, text_columns: tuple[str, ...]) -> None:
    """Text cells of the Tableau extract never start like a spreadsheet formula."""
    path = out / "bundle" / "tables" / "eda" / "tableau_extract.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    at = [rows[0].index(name) for name in text_columns]
    risky = [r[j] for r in rows[1:] for j in at if r[j].startswith(FORMULA_STARTS)]
    assert not risky, f"formula-like cells in the Tableau extract: {risky[:3]}"


def manifest(out: Path) -> dict:
    return json.loads((out / "bundle" / "manifest.json").read_text(encoding="utf-8"))


def key_figures(out: Path, stage: str) -> dict:
    return json.loads((out / "bundle" / f"{stage}.json").read_text(encoding="utf-8"))["key_figures"]
