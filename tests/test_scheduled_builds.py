"""Unattended scheduled builds: consistent, atomic, locked, with history and "what changed".

Subprocess tests run the real CLI (``python -m claimreport.cli``) as a scheduler would, killing
it at several moments; in-process tests check reuse, history and the "since" section.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimreport import history
from claimreport.bundle import read_bundle
from claimreport.config import Config
from claimreport.data.demo import generate, write_csv
from claimreport.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
FAST = Config(modeling={"candidates": 3, "cv_folds": 3, "permutation_repeats": 1})


@pytest.fixture(scope="module")
def datasets(tmp_path_factory):
    """Two different course-format files, A and B, and C on which the hypothesis test fails."""
    folder = tmp_path_factory.mktemp("data")
    a, b, c = folder / "A.csv", folder / "B.csv", folder / "C.csv"
    write_csv(generate(900, random_state=1), a)
    write_csv(generate(1300, random_state=2), b)
    frame = generate(700, random_state=3)
    write_csv(frame.assign(verified_status="not verified"), c)
    return a, b, c


@pytest.fixture()
def one_worker(monkeypatch):
    monkeypatch.setenv("CLAIMREPORT_WORKERS", "1")


def cli(*args, env=None, **kwargs) -> subprocess.Popen:
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **(env or {})}
    return subprocess.Popen([sys.executable, "-m", "claimreport.cli", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=environment, **kwargs)


def footer_and_rows(report: Path) -> tuple[str, int]:
    """The data file named in a report's footer and the row count its first page states."""
    html = report.read_text()
    name = re.search(r"Data: ([^ ]+) \(", html)[1]
    rows = int(re.search(r"The data hold ([\d,]+) videos", html)[1].replace(",", ""))
    return name, rows


def assert_consistent(out: Path) -> None:
    """A published build is whole: every stage of the bundle has its reports, every report and
    the bundle name the same input, and every referenced file exists."""
    bundle = read_bundle(out / "bundle")
    m = bundle.manifest
    for stage, result in bundle.results.items():
        for ref in result.tables.values():
            assert (out / "bundle" / ref.path).is_file()
        for ref in result.figures.values():
            assert (out / "bundle" / ref.png).is_file()
        for fmt, _fp in m.reports.get(stage, {}).items():
            report = out / "reports" / f"{stage}.{fmt}"
            assert report.is_file(), report
            if fmt == "html":
                assert f"Data: {m.input.name} ({m.input.rows:,} rows" in report.read_text()


def test_a_b_a_reports_always_match_their_footer(datasets, tmp_path, one_worker):
    a, _b, c = datasets
    out = tmp_path / "o"
    build(a, out, ["eda", "hypothesis"], ["html"], FAST)
    assert footer_and_rows(out / "reports" / "eda.html") == ("A.csv", 900)
    with pytest.raises(Exception, match="nothing was written"):
        build(c, out, ["eda", "hypothesis"], ["html"], FAST)  # C fails in hypothesis
    assert footer_and_rows(out / "reports" / "eda.html") == ("A.csv", 900)
    build(a, out, ["eda", "hypothesis"], ["html"], FAST)
    assert footer_and_rows(out / "reports" / "eda.html") == ("A.csv", 900)
    assert_consistent(out)
    outcomes = [r["outcome"] for r in history.read(out)]
    assert outcomes == ["published", "failed", "unchanged"]


def test_changing_one_stage_setting_recomputes_only_that_stage(datasets, tmp_path, one_worker):
    a, _b, _c = datasets
    out = tmp_path / "o"
    first = build(a, out, ["eda", "modeling"], ["html"], FAST)
    assert set(first.timings) == {"eda", "modeling"}
    model = (out / "bundle" / "modeling.json").read_bytes()
    second = build(a, out, ["eda", "modeling"], ["html"],
                   FAST.model_copy(update={"eda": FAST.eda.model_copy(update={"top_phrases": 4})}))
    assert set(second.timings) == {"eda"}  # the model is not refitted
    assert (out / "bundle" / "modeling.json").read_bytes() == model
    reused = history.read(out)[-1]["stages"]
    assert reused["modeling"]["reused"] and not reused["eda"]["reused"]


def test_nothing_changed_does_nothing(datasets, tmp_path, one_worker):
    a, _b, _c = datasets
    out = tmp_path / "o"
    build(a, out, ["eda"], ["html"], FAST)
    current = os.readlink(out / ".claimreport" / "current")
    report = build(a, out, ["eda"], ["html"], FAST)
    assert report.timings == {}
    assert os.readlink(out / ".claimreport" / "current") == current  # nothing published
    assert history.read(out)[-1]["outcome"] == "unchanged"
    # another format is a change: the index then links only what this build made
    build(a, out, ["eda"], ["pdf"], FAST)
    index = (out / "reports" / "index.html").read_text()
    assert 'href="eda.pdf"' in index and 'href="eda.html"' not in index
    assert not (out / "reports" / "eda.html").exists()


def test_stages_from_other_data_are_not_kept(datasets, tmp_path, one_worker):
    a, b, _c = datasets
    out = tmp_path / "o"
    build(a, out, ["eda", "hypothesis"], ["html"], FAST)
    build(b, out, ["eda"], ["html"], FAST)
    bundle = read_bundle(out / "bundle")
    assert set(bundle.results) == {"eda"}  # hypothesis came from A: not published with B
    assert not (out / "reports" / "hypothesis.html").exists()
    assert 'href="hypothesis.html"' not in (out / "reports" / "index.html").read_text()


def test_since_previous_build_section(datasets, tmp_path, one_worker):
    a, b, _c = datasets
    out = tmp_path / "o"
    build(a, out, ["eda"], ["html"], FAST)
    html = (out / "reports" / "eda.html").read_text()
    assert "Since the previous build" not in html  # a first build has nothing to compare
    build(b, out, ["eda"], ["html"], FAST)
    html = (out / "reports" / "eda.html").read_text()
    assert "Since the previous build" in html and "on A.csv" in html
    assert "rows_total: 900 → 1,300 (up 44.4%)" in html
    changes = json.loads((out / "bundle" / "changes.json").read_text())
    assert changes["previous_input"] == "A.csv" and not changes["same_data"]
    assert {d["column"] for d in changes["drift"]} >= {"video_view_count", "claim_status"}


def test_lock_busy_exits_75_and_waiting_works(datasets, tmp_path):
    from claimreport.lock import build_lock

    a, _b, _c = datasets
    out = tmp_path / "o"
    with build_lock(out / ".claimreport"):
        done = cli("render", "--stage", "eda", "--format", "html", "--data", str(a), "--out",
                   str(out))
        _, err = done.communicate(timeout=120)
        assert done.returncode == 75, err
        assert f"pid {os.getpid()}" in err and "--wait" in err
    done = cli("render", "--stage", "eda", "--format", "html", "--data", str(a), "--out",
               str(out), "--wait", "30")
    _, err = done.communicate(timeout=300)
    assert done.returncode == 0, err


def test_two_concurrent_builds_publish_one_input(datasets, tmp_path):
    a, b, _c = datasets
    out = tmp_path / "o"
    runs = [cli("render", "--stage", "eda,hypothesis", "--format", "html", "--data", str(d),
                "--out", str(out), "--wait", "300") for d in (a, b)]
    codes = [r.wait(timeout=600) for r in runs]
    assert codes == [0, 0], [r.stderr.read() for r in runs]
    assert_consistent(out)
    name = read_bundle(out / "bundle").manifest.input.name
    assert name in ("A.csv", "B.csv")


def _children_of_group(pgid: int) -> list[str]:
    done = subprocess.run(["ps", "-eo", "pid,pgid,stat,cmd"], capture_output=True, text=True)
    return [ln for ln in done.stdout.splitlines()[1:]
            if ln.split()[1] == str(pgid) and not ln.split()[2].startswith("Z")]


@pytest.mark.parametrize("delay", [0.8, 2.5, 5.0])
def test_kill_9_at_any_moment_leaves_the_previous_build_intact(datasets, tmp_path, delay):
    a, b, _c = datasets
    out = tmp_path / "o"
    first = cli("render", "--stage", "eda,hypothesis", "--format", "html,pdf", "--data", str(a),
                "--out", str(out))
    assert first.wait(timeout=600) == 0, first.stderr.read()
    before = {p.name: p.read_bytes() for p in (out / "reports").iterdir()}
    run = cli("render", "--stage", "eda,hypothesis", "--format", "html,pdf", "--data", str(b),
              "--out", str(out), start_new_session=True)
    time.sleep(delay)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(timeout=60)
    time.sleep(0.5)
    assert _children_of_group(run.pid) == []  # figure workers died with their parent
    name = read_bundle(out / "bundle").manifest.input.name
    assert_consistent(out)  # the old build or, if it had finished, the new one: never a mix
    if name == "A.csv":
        assert {p.name: p.read_bytes() for p in (out / "reports").iterdir()} == before
    again = cli("render", "--stage", "eda", "--format", "html", "--data", str(a), "--out",
                str(out))
    assert again.wait(timeout=600) == 0, again.stderr.read()
    assert not list((out / ".claimreport").glob("staging-*"))  # the next build swept up


def test_sigterm_cleans_up_and_exits_143(datasets, tmp_path):
    a, b, _c = datasets
    out = tmp_path / "o"
    assert cli("render", "--stage", "eda", "--format", "html", "--data", str(a), "--out",
               str(out)).wait(timeout=600) == 0
    run = cli("render", "--stage", "eda,hypothesis,regression", "--format", "html,pdf",
              "--data", str(b), "--out", str(out), start_new_session=True)
    time.sleep(2.0)
    run.send_signal(signal.SIGTERM)
    _, err = run.communicate(timeout=120)
    assert run.returncode == 143, err
    assert "Traceback" not in err
    assert read_bundle(out / "bundle").manifest.input.name == "A.csv"
    assert not list((out / ".claimreport").glob("staging-*"))
    assert history.read(out)[-1]["outcome"] == "failed"
    time.sleep(0.5)
    assert _children_of_group(run.pid) == []


def test_json_log_events(datasets, tmp_path):
    a, _b, _c = datasets
    run = cli("render", "--stage", "eda", "--format", "html", "--data", str(a), "--out",
              str(tmp_path / "o"), "--log-format", "json")
    _, err = run.communicate(timeout=600)
    assert run.returncode == 0, err
    events = [json.loads(line) for line in err.splitlines()]
    kinds = [e["event"] for e in events]
    assert kinds[0] == "build_started" and kinds[-1] == "build_published"
    assert "stage_computed" in kinds and "report_rendering" in kinds
    bad = cli("render", "--data", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "x"),
              "--log-format", "json")
    _, err = bad.communicate(timeout=120)
    last = json.loads(err.splitlines()[-1])
    assert bad.returncode == 2 and last["event"] == "build_failed" and last["exit_status"] == 2


def test_history_command(datasets, tmp_path, one_worker):
    a, _b, _c = datasets
    out = tmp_path / "o"
    build(a, out, ["eda"], ["html"], FAST)
    build(a, out, ["eda"], ["html"], FAST)
    run = cli("history", str(out))
    text, err = run.communicate(timeout=60)
    assert run.returncode == 0, err
    lines = text.splitlines()
    assert lines[0].split()[:2] == ["time", "outcome"]
    assert "published" in lines[1] and "unchanged" in lines[2] and "A.csv" in lines[1]
    run = cli("history", str(out), "--json")
    records = [json.loads(line) for line in run.communicate(timeout=60)[0].splitlines()]
    assert records[0]["stages"]["eda"]["key_figures"]["rows_total"] == 900
