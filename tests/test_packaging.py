"""An installed claimreport works outside the repository: templates and demo data ship in the
wheel, and the package list in pyproject.toml covers every package under src/."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_pyproject_lists_every_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {".".join(p.relative_to(ROOT / "src").parent.parts)
             for p in (ROOT / "src").rglob("__init__.py")}
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out),
                           str(ROOT)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {done.stderr[-300:]}")
    (path,) = out.glob("claimreport-*.whl")
    return path


def test_wheel_ships_templates_and_demo_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("claimreport/_templates/base.html.j2", "claimreport/_templates/report.css",
                   "claimreport/_templates/partials/macros.html.j2",
                   "claimreport/_templates/modeling.html.j2", "claimreport/_demo/demo_claims.csv",
                   "claimreport/py.typed"):
        assert needed in names, needed


def test_installed_package_renders_from_another_folder(wheel, tmp_path):
    """The wheel unpacked on its own (dependencies from this environment), run from an
    unrelated folder: demo data and templates come from the package, not the checkout."""
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "CLAIMREPORT_WORKERS": "1"}
    env.pop("CLAIMREPORT_TEMPLATES", None)
    code = ("import claimreport, sys; from claimreport.assets import templates_dir, "
            "demo_data_path; print(claimreport.__file__); print(templates_dir()); "
            "print(demo_data_path())")
    where = subprocess.run([sys.executable, "-c", code], cwd=work, env=env, capture_output=True,
                           text=True, check=True).stdout.splitlines()
    assert all(line.startswith(str(target)) for line in where), where
    done = subprocess.run([sys.executable, "-m", "claimreport.cli", "render", "--stage", "eda",
                           "--format", "html", "--out", "o"], cwd=work, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    html = (work / "o" / "reports" / "eda.html").read_text()
    assert "SYNTHETIC DEMO DATA" in html


def test_a_missing_template_is_found_before_any_stage_computes(tmp_path, demo_csv):
    import shutil

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "modeling.html.j2").unlink()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "CLAIMREPORT_TEMPLATES": str(templates)}
    done = subprocess.run([sys.executable, "-m", "claimreport.cli", "render", "--stage", "eda",
                           "--data", str(demo_csv), "--out", str(tmp_path / "o")], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 4, done.stderr
    assert "modeling.html.j2" in done.stderr and "computing" not in done.stderr
    assert not (tmp_path / "o").exists()


def test_wheel_ships_the_quarto_documents_and_an_equal_project_file(wheel):
    import yaml

    from claimreport.render.quarto import PROJECT_FILE

    names = set(zipfile.ZipFile(wheel).namelist())
    for qmd in (ROOT / "reports").glob("*.qmd"):
        assert f"claimreport/_reports/{qmd.name}" in names
    assert yaml.safe_load(PROJECT_FILE) == yaml.safe_load((ROOT / "_quarto.yml").read_text())
