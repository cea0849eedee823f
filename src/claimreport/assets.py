"""Files the package ships: the report templates and the synthetic demo dataset.

The repository keeps them in its top-level ``templates/`` and ``data/`` folders; the wheel maps
them into the package as ``claimreport._templates`` and ``claimreport._demo``
(``pyproject.toml`` ``[tool.setuptools.package-dir]``), so an installed claimreport finds them
with :mod:`importlib.resources` wherever it runs. A source checkout (tests with
``PYTHONPATH=src``, an editable install) reads the repository folders directly.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import ClaimReportError, RenderError

__all__ = ["templates_dir", "demo_data_path", "check_templates", "DEMO_FILE"]

DEMO_FILE = "demo_claims.csv"
_REPO = Path(__file__).resolve().parents[2]


def _shipped(package: str, repo_folder: str) -> Path | None:
    """The folder of a data package (a namespace package inside ``claimreport`` in a wheel),
    else the repository folder. The package's ``__path__`` is used rather than
    ``importlib.resources.files``, whose namespace-package result is not a plain path on 3.11."""
    from importlib import import_module

    try:
        paths = [Path(p) for p in import_module(package).__path__]
    except ModuleNotFoundError:
        paths = []
    for path in paths:
        if path.is_dir():
            return path
    repo = _REPO / repo_folder
    return repo if repo.is_dir() else None


def templates_dir() -> Path:
    """``$CLAIMREPORT_TEMPLATES``, the package's templates, or the repository's ``templates/``."""
    env = os.environ.get("CLAIMREPORT_TEMPLATES")
    folder = Path(env) if env else _shipped("claimreport._templates", "templates")
    if folder is None or not (folder / "base.html.j2").is_file():
        raise RenderError(f"report templates not found ({folder or 'claimreport._templates'}); "
                          "reinstall claimreport or set CLAIMREPORT_TEMPLATES to a templates "
                          "folder")
    return folder


def check_templates() -> Path:
    """The templates folder, after checking that every stage's template is there: a missing
    template is found at start-up, before any stage computes (exit status 4)."""
    from .registry import STAGES

    folder = templates_dir()
    needed = ["base.html.j2", "index.html.j2", "report.css", "partials/macros.html.j2",
              *(s.template for s in STAGES.values())]
    missing = [name for name in needed if not (folder / name).is_file()]
    if missing:
        raise RenderError(f"{folder}: report templates missing: {', '.join(missing)}; reinstall "
                          "claimreport")
    return folder


def demo_data_path() -> Path:
    """The synthetic demo dataset shipped with the package."""
    folder = _shipped("claimreport._demo", "data")
    path = folder / DEMO_FILE if folder is not None else None
    if path is None or not path.is_file():
        raise ClaimReportError(f"the demo dataset {DEMO_FILE} is missing from this installation; "
                               "reinstall claimreport or pass --data")
    return path
