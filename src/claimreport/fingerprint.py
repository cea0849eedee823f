"""Fingerprints that decide what a scheduled rebuild may reuse.

A stage's result is a function of the data bytes, its own config section (plus the seed and
protocol where it uses them, see :class:`~claimreport.registry.StageSpec` ``settings``), the
claimreport and package versions and the bundle schema. Its fingerprint hashes exactly those, so
changing ``eda.top_phrases`` recomputes the EDA and nothing else. A report additionally depends
on the templates and on the results of the stages it reads.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

__all__ = ["stage_fingerprint", "report_fingerprint", "templates_hash", "file_sha256", "code_hash"]


def _digest(payload) -> str:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def stage_fingerprint(stage: str, data_sha256: str, config, packages: dict[str, str],
                      backend: str = "pandas") -> str:
    """What *stage*'s result depends on: data, its settings, versions, schema, and the backend
    that computed it (Spark's quantiles are approximate: a Spark build never reuses a pandas
    result, nor the other way round)."""
    from . import __version__
    from .bundle import SCHEMA_VERSION
    from .registry import stage_spec

    settings = config.model_dump(mode="json")
    return _digest({
        "stage": stage, "data": data_sha256, "schema": SCHEMA_VERSION,
        "settings": {key: settings[key] for key in stage_spec(stage).settings},
        "claimreport": __version__, "code": code_hash(), "packages": packages,
        **({} if backend == "pandas" else {"backend": backend}),
    })


@lru_cache(maxsize=1)
def code_hash() -> str:
    """Hash of claimreport's own source: a changed computation is never served from a result of
    the old code, even before the version number moves (a development checkout)."""
    folder = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*.py")):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:20]


def report_fingerprint(stage: str, fingerprints: dict[str, str], templates: str,
                       extra: str = "") -> str:
    """What *stage*'s report depends on: its result, the results it reads, the templates, and
    *extra* (the build facts it prints, such as the "since the previous build" section)."""
    from .registry import stage_spec

    reads = {s: fingerprints.get(s) for s in stage_spec(stage).reads}
    return _digest({"stage": fingerprints[stage], "reads": reads, "templates": templates,
                    "extra": extra})


def templates_hash(folder: Path) -> str:
    """Hash of every template file (names and bytes), so an edited template re-renders."""
    h = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:20]


def file_sha256(path: Path, chunk: int = 1 << 20) -> str:
    """sha256 of a file's bytes, read in chunks (no copy of a large file in memory)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()
