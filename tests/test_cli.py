"""The command line as users and schedulers meet it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args, cwd=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "claimreport.cli", *args], capture_output=True,
                          text=True, cwd=cwd, env=env)


def test_help_is_light():
    code = ("import sys; from claimreport.cli import app; from typer.testing import CliRunner;"
            "r = CliRunner().invoke(app, ['--help']); assert r.exit_code == 0, r.output;"
            "heavy = ('pandas', 'numpy', 'matplotlib', 'sklearn', 'scipy', 'statsmodels',"
            " 'xgboost', 'weasyprint', 'seaborn');"
            "print([m for m in heavy if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_version():
    from claimreport import __version__

    out = run("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"claimreport {__version__}"


def test_invalid_data_exits_2_with_clear_message_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("#,claim_status,video_id\n1,maybe,1\n")
    before = bad.read_bytes()
    out = run("render", "--stage", "eda", "--data", str(bad), "--out", str(tmp_path / "out"))
    assert out.returncode == 2
    assert "bad.csv" in out.stderr and "missing required columns" in out.stderr
    assert "Traceback" not in out.stderr
    assert not (tmp_path / "out").exists()
    assert bad.read_bytes() == before


def test_debug_shows_traceback(tmp_path):
    out = run("render", "--data", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o"),
              "--debug")
    assert out.returncode != 0 and "Traceback" in out.stderr


def test_unknown_stage_and_format_are_user_errors(tmp_path):
    out = run("render", "--stage", "magic", "--out", str(tmp_path))
    assert out.returncode == 2 and "unknown stage 'magic'" in out.stderr
    out = run("render", "--format", "docx", "--out", str(tmp_path))
    assert out.returncode == 2 and "unknown format 'docx'" in out.stderr


def test_bad_config_file_is_named(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[eda]\ntop_phrases = 'ten'\n")
    out = run("render", "--config", str(cfg), "--out", str(tmp_path / "o"))
    assert out.returncode == 2 and "c.toml" in out.stderr and "eda.top_phrases" in out.stderr


def test_validate_prints_summary(demo_csv):
    out = run("validate", "--data", str(demo_csv))
    assert out.returncode == 0
    assert "2,000" in out.stdout or "2000" in out.stdout


def test_demo_data_is_deterministic(tmp_path):
    for name in ("a.csv", "b.csv"):
        out = run("demo-data", "--rows", "300", "--seed", "3", "--out", str(tmp_path / name))
        assert out.returncode == 0, out.stderr
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_render_html_only_from_demo_default(tmp_path):
    """No --data: the bundled demo dataset is used; --format html writes no PDF."""
    out = run("render", "--stage", "eda", "--format", "html", "--out", str(tmp_path))
    assert out.returncode == 0, out.stderr
    reports = tmp_path / "reports"
    assert (reports / "eda.html").exists() and not (reports / "eda.pdf").exists()
    html = (reports / "eda.html").read_text()
    assert "demo_claims.csv" in html and "SYNTHETIC DEMO DATA" in html
    index = (reports / "index.html").read_text()
    assert 'href="eda.html"' in index and "eda.pdf" not in index


def test_bad_protocol_is_a_user_error(tmp_path):
    out = run("render", "--protocol", "fast", "--out", str(tmp_path))
    assert out.returncode == 2 and "protocol" in out.stderr and "'rigorous' or 'course'" in out.stderr
