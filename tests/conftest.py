"""Shared fixtures. Real-data results are computed once per test run (session scope)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REAL_CSV = ROOT.parent / "shared" / "data" / "tiktok_dataset.csv"


@pytest.fixture(scope="session")
def real_csv() -> Path:
    if not REAL_CSV.is_file():
        pytest.skip(f"real course data not found at {REAL_CSV}")
    return REAL_CSV


@pytest.fixture(scope="session")
def real_build(real_csv, tmp_path_factory) -> Path:
    """``claimreport render --stage all`` on the real data, once; returns the output folder."""
    from claimreport.config import Config
    from claimreport.pipeline import build

    out = tmp_path_factory.mktemp("real")
    build(real_csv, out, ["eda"], ["html", "pdf"], Config())
    return out


@pytest.fixture(scope="session")
def demo_csv(tmp_path_factory) -> Path:
    """A small synthetic dataset (2,000 rows) in the course format."""
    from claimreport.data.demo import generate, write_csv

    path = tmp_path_factory.mktemp("demo") / "demo.csv"
    write_csv(generate(2000, random_state=7), path)
    return path


@pytest.fixture(scope="session")
def demo_build(demo_csv, tmp_path_factory) -> Path:
    """All stages rendered (HTML + PDF) from the small demo data, once."""
    from claimreport.config import Config
    from claimreport.pipeline import build
    from claimreport.stages import STAGE_NAMES

    out = tmp_path_factory.mktemp("demo_build")
    build(demo_csv, out, list(STAGE_NAMES), ["html", "pdf"], Config())
    return out


@pytest.fixture(scope="session")
def pdf_text():
    """``pdf_text(path, first=None, last=None)``: text of PDF pages via poppler's pdftotext."""
    import subprocess

    def read(path: Path, first: int | None = None, last: int | None = None) -> str:
        args = ["pdftotext"]  # reading order: sentences in grid boxes stay whole
        if first:
            args += ["-f", str(first)]
        if last:
            args += ["-l", str(last)]
        return subprocess.run([*args, str(path), "-"], check=True, capture_output=True,
                              text=True).stdout

    return read
