"""The README works when pasted: its TOML loads, its command lines parse, its schedules are
valid (cron fields, systemd units, GitHub Actions YAML)."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def command_lines() -> list[list[str]]:
    """Every `claimreport …` invocation in a code block (not the synopsis table)."""
    out = []
    for block in re.findall(r"```\w*\n(.*?)```", README, flags=re.S):
        for line in block.splitlines():
            for part in re.split(r"&&|;|\|", line):
                words = shlex.split(part.split("#")[0].strip().split("2>>")[0], posix=True) \
                    if "claimreport" in part else []
                words = [w for w in words if w not in ("-", "run:")]  # a YAML step's prefix
                if words and (words[0] == "claimreport" or words[0].endswith("bin/claimreport")):
                    out.append(words[1:])
    for line in re.findall(r"ExecStart=(\S+claimreport .*)", README):
        out.append(shlex.split(line)[1:])
    return out


def test_every_toml_block_loads_through_the_config_loader(tmp_path):
    from claimreport.config import load_config

    found = blocks("toml")
    assert len(found) >= 3
    for i, text in enumerate(found):
        path = tmp_path / f"block{i}.toml"
        path.write_text(text)
        load_config(path)  # raises ConfigError with the field named if the README drifts


def test_every_command_line_parses():
    from typer.main import get_command

    from claimreport.cli import app

    group = get_command(app)
    lines = command_lines()
    assert len(lines) >= 6
    for args in lines:
        ctx = group.make_context("claimreport", list(args))
        rest = [*getattr(ctx, "_protected_args", []), *ctx.args]  # click 8.2+ and older
        if not rest:
            continue
        name, cmd, sub_args = group.resolve_command(ctx, rest)
        cmd.make_context(name, sub_args, parent=ctx)  # raises on an unknown option or value


_CRON_RANGES = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]


def _cron_field_ok(field: str, lo: int, hi: int) -> bool:
    for part in field.split(","):
        base, _, step = part.partition("/")
        if step and not step.isdigit():
            return False
        if base == "*":
            continue
        ends = base.split("-")
        if not all(e.isdigit() and lo <= int(e) <= hi for e in ends) or len(ends) > 2:
            return False
    return True


def test_cron_line_is_valid():
    (block,) = blocks("cron")
    line = block.strip()
    fields = line.split(None, 5)
    assert len(fields) == 6
    for f, (lo, hi) in zip(fields[:5], _CRON_RANGES):
        assert _cron_field_ok(f, lo, hi), f
    assert "claimreport render" in fields[5]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not here")
def test_systemd_units_verify(tmp_path):
    service, timer = blocks("ini")
    # the example's binary does not exist here: point ExecStart at this Python, keep the rest
    service = re.sub(r"ExecStart=\S+", f"ExecStart={sys.executable}", service)
    (tmp_path / "claimreport.service").write_text(service)
    (tmp_path / "claimreport.timer").write_text(timer)
    done = subprocess.run(["systemd-analyze", "verify", "claimreport.service", "claimreport.timer"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "claimreport" not in done.stderr  # no warnings about our units


def test_github_actions_workflow_is_valid_yaml():
    yaml = pytest.importorskip("yaml")
    (block,) = blocks("yaml")
    workflow = yaml.safe_load(block)
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads on: as True
    (schedule,) = triggers["schedule"]
    cron = schedule["cron"].split()
    assert len(cron) == 5 and all(_cron_field_ok(f, *r) for f, r in zip(cron, _CRON_RANGES))
    steps = workflow["jobs"]["render"]["steps"]
    runs = [s["run"] for s in steps if "run" in s]
    assert any(r.startswith("claimreport render") for r in runs)
    assert any("history" in r for r in runs)
