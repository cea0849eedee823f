"""The output folder: staged builds published in one step; failures leave it exactly as it was."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from claimreport.config import Config
from claimreport.errors import ConfigError, DataValidationError, OutputError
from claimreport.outdir import OutputFolder
from claimreport.pipeline import build

ROOT = Path(__file__).resolve().parents[1]


def snapshot(folder: Path) -> dict[str, str]:
    """Every file readers can reach through OUT (links followed) with its content hash."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def published(folder: Path) -> dict[str, str]:
    """What readers see: the bundle and the reports (not the internal folder or the history)."""
    return {k: v for k, v in snapshot(folder).items()
            if k.startswith(("bundle/", "reports/"))}


@pytest.fixture()
def one_worker(monkeypatch):
    monkeypatch.setenv("CLAIMREPORT_WORKERS", "1")


def test_layout_links_bundle_and_reports_to_the_current_build(demo_csv, tmp_path, one_worker):
    out = tmp_path / "out"
    build(demo_csv, out, ["eda"], ["html"], Config())
    assert (out / "bundle").is_symlink() and (out / "reports").is_symlink()
    assert (out / "bundle" / "eda.json").is_file() and (out / "reports" / "eda.html").is_file()
    assert not list((out / ".claimreport").glob("staging-*"))


def test_failed_build_leaves_the_published_build_untouched(demo_csv, tmp_path, one_worker):
    out = tmp_path / "out"
    build(demo_csv, out, ["eda", "hypothesis"], ["html"], Config())
    before = published(out)
    bad = tmp_path / "few.csv"  # hypothesis cannot run: the EDA would, but nothing is written
    lines = demo_csv.read_text().splitlines(keepends=True)
    bad.write_text("".join([lines[0], *[ln for ln in lines[1:] if ",verified," not in ln]]))
    with pytest.raises(DataValidationError, match="nothing was written"):
        build(bad, out, ["eda", "hypothesis"], ["html"], Config())
    assert published(out) == before
    assert not list((out / ".claimreport").glob("staging-*"))
    from claimreport import history

    last = history.read(out)[-1]
    assert last["outcome"] == "failed" and last["exit_status"] == 2
    assert "few.csv" in last["message"]


def test_crash_in_the_middle_leaves_the_published_build_untouched(demo_csv, tmp_path, one_worker,
                                                                   monkeypatch):
    import claimreport.stages as stages

    out = tmp_path / "out"
    build(demo_csv, out, ["eda"], ["html"], Config())
    before = published(out)
    real = stages.compute_stage

    def crash(stage, loaded, config, context=None):
        if stage == "hypothesis":
            raise RuntimeError("boom")
        return real(stage, loaded, config, context)

    monkeypatch.setattr(stages, "compute_stage", crash)
    with pytest.raises(RuntimeError):
        build(demo_csv, out, ["eda", "hypothesis"], ["html"], Config(eda={"top_phrases": 4}))
    assert published(out) == before
    assert not list((out / ".claimreport").glob("staging-*"))


def test_failed_first_build_leaves_no_folder(demo_csv, tmp_path, one_worker, monkeypatch):
    import claimreport.stages as stages

    monkeypatch.setattr(stages, "compute_stage", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt))
    out = tmp_path / "new"
    with pytest.raises(KeyboardInterrupt):
        build(demo_csv, out, ["eda"], ["html"], Config())
    assert not out.exists()


@pytest.mark.parametrize("where", ["root", "home", "file", "bundle_is_file"])
def test_folders_that_must_never_be_written_are_refused(where, tmp_path):
    target = {"root": Path("/"), "home": Path.home(), "file": tmp_path / "f.txt",
              "bundle_is_file": tmp_path / "o"}[where]
    if where == "file":
        target.write_text("x")
    if where == "bundle_is_file":
        target.mkdir()
        (target / "bundle").write_text("x")
    with pytest.raises(ConfigError):
        OutputFolder(target).check()


def _mount_tmpfs(path: Path, options: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
                          capture_output=True)
    return done.returncode == 0


def _run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "CLAIMREPORT_WORKERS": "1"}
    return subprocess.run([sys.executable, "-m", "claimreport.cli", *args], capture_output=True,
                          text=True, env=env)


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small file system needs root")
def test_full_disk_gives_one_line_and_leaves_nothing(demo_csv, tmp_path):
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, "size=600k"):
        pytest.skip("cannot mount tmpfs here")
    try:
        done = _run_cli("render", "--stage", "eda", "--data", str(demo_csv), "--out",
                        str(disk / "out"))
        assert done.returncode == 1, done.stderr
        assert "disk is full" in done.stderr and "Traceback" not in done.stderr
        errors = [ln for ln in done.stderr.splitlines() if not ln.startswith("claimreport: ")]
        assert len(errors) == 1 and errors[0].startswith("error: ")  # progress lines aside
        assert not (disk / "out").exists()
    finally:
        subprocess.run(["umount", str(disk)])


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a read-only file system needs root")
def test_read_only_file_system_gives_one_line(demo_csv, tmp_path):
    disk = tmp_path / "ro"
    if not _mount_tmpfs(disk, "size=1m,ro"):
        pytest.skip("cannot mount tmpfs here")
    try:
        done = _run_cli("render", "--stage", "eda", "--data", str(demo_csv), "--out",
                        str(disk / "out"))
        assert done.returncode == 1, done.stderr
        assert "read-only" in done.stderr and "Traceback" not in done.stderr
    finally:
        subprocess.run(["umount", str(disk)])


def test_output_errors_name_the_cause(tmp_path):
    import errno

    from claimreport.outdir import output_error

    err = output_error(OSError(errno.ENOSPC, "No space left on device", "x.png"), tmp_path)
    assert isinstance(err, OutputError) and err.exit_code == 1 and "disk is full" in str(err)
    assert output_error(OSError(errno.EBADF, "bad"), tmp_path) is None  # a bug, not the folder
