"""The results bundle: the contract between compute and every renderer.

Layout under ``OUT/bundle/``::

    manifest.json            schema version, input file + sha256, config, seed, versions, timings
    <stage>.json             the stage's typed result (key_figures, table and figure refs)
    tables/<stage>/*.csv     big tables
    figures/<stage>/*.svg|png
    artifacts/<stage>/*      models and vocabularies (modeling)

Stage JSON holds no time fields, so the same data and config give byte-identical files; times
live in the manifest.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError, field_validator

from . import __version__
from .changes import BuildChanges
from .config import Config
from .errors import BundleError
from .fsio import atomic_write
from .results import FigureRef, StageResult, TableRef, result_model
from .results.base import Frozen, Ref
from .safepath import inside

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .stages import StageOutput

__all__ = [
    "SCHEMA_VERSION",
    "InputInfo",
    "StageEntry",
    "Manifest",
    "Bundle",
    "write_tables",
    "write_result",
    "write_manifest",
    "copy_stages",
    "write_extra",
    "read_extra",
    "reusable_stages",
    "read_manifest",
    "read_bundle",
    "read_table",
    "package_versions",
]

#: Bump when a stage JSON or the manifest changes shape or a key figure is renamed.
#: 6: stages name the sample behind their rank-based parts and the backend; 5: box plots carry
#: their outliers (4: fingerprints, profile, changes)
SCHEMA_VERSION = 6
KEY_PACKAGES = ("pandas", "numpy", "scipy", "statsmodels", "scikit-learn", "xgboost",
                "matplotlib", "jinja2", "weasyprint", "pydantic")


class InputInfo(Frozen):
    name: str
    sha256: str
    rows: int
    format: str
    synthetic: bool = False  # the bundled demo data: reports say so on every page


class StageEntry(Frozen):
    file: Ref
    seconds: float
    created_at: str
    fingerprint: str  # see claimreport.fingerprint.stage_fingerprint


class Manifest(Frozen):
    schema_version: int
    claimreport_version: str
    created_at: str
    input: InputInfo
    config: Config
    random_state: int
    packages: dict[str, str]
    stages: dict[str, StageEntry]
    templates: str = ""  # hash of the templates the reports were rendered with
    #: report fingerprints: {stage or "index": {format: fingerprint}} of the reports published
    #: with this bundle (a rebuild copies a report whose fingerprint is unchanged)
    reports: dict[str, dict[str, str]] = {}
    pdf_variant: str = "pdf/ua-1"  # of the PDFs published with this bundle

    @field_validator("stages")
    @classmethod
    def _known_stages(cls, stages: dict[str, StageEntry]) -> dict[str, StageEntry]:
        from .registry import STAGE_NAMES

        unknown = [s for s in stages if s not in STAGE_NAMES]
        if unknown:
            raise ValueError(f"unknown stage(s) {', '.join(map(repr, unknown))[:80]}")
        return stages


class Bundle(Frozen):
    """A bundle read back from disk: what renderers get (never a DataFrame)."""

    path: str
    manifest: Manifest
    results: dict[str, StageResult]
    changes: BuildChanges | None = None  # since the previous published build, when there was one

    def folder(self) -> Path:
        return Path(self.path)


def package_versions() -> dict[str, str]:
    out = {}
    for name in KEY_PACKAGES:
        for dist in (name, f"{name}-cpu"):
            try:
                out[name] = metadata.version(dist)
                break
            except metadata.PackageNotFoundError:
                continue
    return out


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _dump(model: Frozen) -> str:
    return model.model_dump_json(indent=2) + "\n"


def write_tables(bundle_dir: Path, output: StageOutput) -> dict[str, TableRef]:
    """Store a stage's tables (CSV) and artifacts; returns the table references."""
    bundle_dir = Path(bundle_dir)
    stage = output.result.stage
    tables: dict[str, TableRef] = {}
    for key, (title, caption, frame) in output.tables.items():
        big = len(frame) > PARQUET_ROWS
        rel = f"tables/{stage}/{key}.{'parquet' if big else 'csv'}"
        tables[key] = TableRef(title=title, path=rel, rows=len(frame),
                               columns=[str(c) for c in frame.columns], caption=caption)
        if big:
            _write_parquet(frame, bundle_dir / rel)
        else:
            atomic_write(bundle_dir / rel, _csv(frame))
    for name, data in output.artifacts.items():
        atomic_write(bundle_dir / f"artifacts/{stage}/{name}", data)
    return tables


def write_result(bundle_dir: Path, result: StageResult, tables: dict[str, TableRef],
                 figures: dict[str, FigureRef]) -> StageResult:
    """Write ``<stage>.json`` with its table and figure references. Call it last, once those
    files exist, so a reader never finds a JSON pointing at missing files."""
    result = result.model_copy(update={"tables": tables, "figures": figures})
    # validate again: model_copy does not, and the JSON is the contract
    result = type(result).model_validate(result.model_dump())
    atomic_write(Path(bundle_dir) / f"{result.stage}.json", _dump(result))
    return result


#: tables longer than this (the Tableau extract of a large input) are stored as Parquet: a CSV
#: the size of the input would double the disk and the time it takes to write
PARQUET_ROWS = 200_000


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    from .fsio import atomic_path

    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False, compression="zstd")


def _csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, float_format="%.10g", lineterminator="\n")


def reusable_stages(bundle_dir: Path, fingerprints: dict[str, str]) -> set[str]:
    """Stages of the bundle whose stored fingerprint equals *fingerprints* (what the stage would
    be computed from now) and whose files are all present: a rebuild reuses them, models
    included, instead of computing again."""
    bundle_dir = Path(bundle_dir)
    try:
        old = read_manifest(bundle_dir)
    except BundleError:
        return set()
    keep = set()
    for stage, entry in old.stages.items():
        if fingerprints.get(stage) != entry.fingerprint:
            continue
        try:
            result = read_bundle(bundle_dir, [stage]).results[stage]
            files = [t.path for t in result.tables.values()]
            files += [p for f in result.figures.values() for p in (f.svg, f.png)]
            files += [getattr(result, a) for a in ("model_file", "feature_file")
                      if hasattr(result, a)]
            for f in files:
                inside(bundle_dir, f)
        except (BundleError, KeyError):
            continue
        keep.add(stage)
    return keep


def copy_stages(src: Path, dst: Path, stages: list[str]) -> dict[str, StageEntry]:
    """Copy *stages* (JSON, tables, figures, artifacts) from bundle *src* into bundle *dst*
    (hard links where the file system allows: files in a bundle are never rewritten in place).
    Returns their manifest entries."""
    import shutil

    src, dst = Path(src), Path(dst)
    old = read_manifest(src)

    def link(a: str, b: str) -> None:
        try:
            os.link(a, b)
        except OSError:
            shutil.copy2(a, b)

    for stage in stages:
        for sub in ("tables", "figures", "artifacts"):
            if (src / sub / stage).is_dir():
                shutil.copytree(src / sub / stage, dst / sub / stage, copy_function=link)
        link(str(inside(src, old.stages[stage].file)), str(dst / old.stages[stage].file))
    return {stage: old.stages[stage] for stage in stages}


def write_manifest(bundle_dir: Path, *, input: InputInfo, config: Config,
                   timings: dict[str, float], fingerprints: dict[str, str],
                   kept: dict[str, StageEntry] | None = None, templates: str = "",
                   reports: dict[str, dict[str, str]] | None = None,
                   packages: dict[str, str] | None = None,
                   pdf_variant: str = "pdf/ua-1") -> Manifest:
    """Write the manifest of a bundle: the stages computed now (*timings*) and those *kept*
    from the previous build (same fingerprint)."""
    bundle_dir = Path(bundle_dir)
    stages: dict[str, StageEntry] = dict(kept or {})
    now = _now()
    for stage, seconds in timings.items():
        stages[stage] = StageEntry(file=f"{stage}.json", seconds=round(seconds, 3), created_at=now,
                                   fingerprint=fingerprints[stage])
    manifest = Manifest(
        schema_version=SCHEMA_VERSION, claimreport_version=__version__, created_at=now,
        input=input, config=config, random_state=config.random_state,
        packages=packages if packages is not None else package_versions(),
        stages={s: stages[s] for s in sorted(stages, key=_stage_order)},
        templates=templates, reports=reports or {}, pdf_variant=pdf_variant,
    )
    atomic_write(bundle_dir / "manifest.json", _dump(manifest))
    return manifest


def _stage_order(stage: str) -> int:
    from .registry import STAGE_NAMES

    return STAGE_NAMES.index(stage)


def write_extra(bundle_dir: Path, name: str, model: Frozen) -> None:
    """Write a bundle-level JSON (``profile.json``, ``changes.json``)."""
    atomic_write(Path(bundle_dir) / name, _dump(model))


def read_extra(bundle_dir: Path, name: str, model: type):
    """A bundle-level JSON, or None when the bundle has none (a first build has no changes)."""
    path = Path(bundle_dir) / name
    if not path.is_file():
        return None
    try:
        return model.model_validate(_read_json(path))
    except ValidationError as exc:
        raise BundleError(f"{path}: invalid ({_first_error(exc)}); {_REBUILD}") from None


#: Bundle JSON files larger than this are refused before parsing (the biggest real one is ~100 kB).
MAX_JSON_BYTES = 50_000_000
_REBUILD = "re-render with `claimreport render --force`"


def _finite_float(text: str) -> float:
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"number {text[:30]} is beyond the range of a float")
    return value


def _no_constant(name: str):
    raise ValueError(f"{name} is not standard JSON; undefined numbers are stored as null")


def _read_json(path: Path) -> dict:
    """Parse a bundle JSON file strictly: standard JSON only, finite numbers, bounded size and
    depth. Anything else is a :class:`BundleError` naming the file."""
    try:
        if path.stat().st_size > MAX_JSON_BYTES:
            raise BundleError(f"{path}: bundle file is larger than {MAX_JSON_BYTES:,} bytes; "
                              f"{_REBUILD}")
        data = json.loads(path.read_text(encoding="utf-8"), parse_float=_finite_float,
                          parse_constant=_no_constant)
    except FileNotFoundError:
        raise BundleError(f"{path}: not found; run `claimreport render` first") from None
    except RecursionError:
        raise BundleError(f"{path}: bundle file is nested too deeply to be a claimreport "
                          f"bundle; {_REBUILD}") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BundleError(f"{path}: unreadable bundle file ({str(exc)[:200]}); {_REBUILD}") from None
    if not isinstance(data, dict):
        raise BundleError(f"{path}: a bundle file must hold a JSON object; {_REBUILD}")
    return data


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{exc.error_count()} problem(s), first: {where}: {err['msg'].removeprefix('Value error, ')}"


def read_manifest(bundle_dir: Path) -> Manifest:
    path = Path(bundle_dir) / "manifest.json"
    data = _read_json(path)
    version = data.get("schema_version") if isinstance(data, dict) else None
    if version != SCHEMA_VERSION:
        raise BundleError(
            f"{path}: bundle schema version {version!r}, this claimreport reads version "
            f"{SCHEMA_VERSION}; rebuild the bundle with `claimreport render`")
    try:
        return Manifest.model_validate(data)
    except ValidationError as exc:
        raise BundleError(f"{path}: invalid manifest ({_first_error(exc)}); {_REBUILD}") from None


def read_bundle(bundle_dir: Path, stages: list[str] | None = None) -> Bundle:
    """Read and validate the manifest and the stage results (all listed, or *stages*)."""
    bundle_dir = Path(bundle_dir)
    manifest = read_manifest(bundle_dir)
    wanted = stages if stages is not None else list(manifest.stages)
    results: dict[str, StageResult] = {}
    for stage in wanted:
        if stage not in manifest.stages:
            raise BundleError(f"{bundle_dir}: bundle has no stage {stage!r} "
                              f"(it has: {', '.join(manifest.stages) or 'none'})")
        path = inside(bundle_dir, manifest.stages[stage].file, "stage result")
        try:
            results[stage] = result_model(stage).model_validate(_read_json(path))
        except ValidationError as exc:
            raise BundleError(f"{path}: invalid stage result ({_first_error(exc)}); {_REBUILD}") from None
        except RecursionError:
            raise BundleError(f"{path}: stage result nested too deeply; {_REBUILD}") from None
    changes = read_extra(bundle_dir, "changes.json", BuildChanges)
    return Bundle(path=str(bundle_dir.resolve()), manifest=manifest, results=results,
                  changes=changes)


def read_table(bundle: Bundle | Path, ref: TableRef) -> pd.DataFrame:
    """A bundle table, read only from inside the bundle and checked against its reference."""
    import pandas as pd

    folder = bundle.folder() if isinstance(bundle, Bundle) else Path(bundle)
    path = inside(folder, ref.path, "table")
    try:
        frame = (pd.read_parquet(path) if path.suffix == ".parquet"
                 else pd.read_csv(path, keep_default_na=False, na_values=[""]))
    except (ValueError, OSError, UnicodeDecodeError) as exc:  # pandas' parser errors are ValueErrors
        raise BundleError(f"{path}: unreadable table ({str(exc)[:120]}); {_REBUILD}") from None
    if [str(c) for c in frame.columns] != list(ref.columns) or len(frame) != ref.rows:
        raise BundleError(f"{path}: table does not match its description in the stage result "
                          f"(expected {ref.rows:,} rows with columns {', '.join(ref.columns)[:120]}); "
                          f"{_REBUILD}")
    return frame
