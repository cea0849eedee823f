"""The one-way flow: load+validate → compute → bundle → render. Used by the CLI and tests."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .errors import ConfigError
from .registry import STAGE_NAMES

__all__ = ["FORMATS", "BuildReport", "default_data_path", "parse_stages", "parse_formats",
           "preflight", "build_bundle", "render_reports", "build"]

FORMATS = ("html", "pdf")
#: progress(event, message, **fields): one call per build event (see cli --log-format)
Progress = Callable[..., None]


@dataclass(frozen=True)
class BuildReport:
    bundle_dir: Path
    reports: list[Path]
    timings: dict[str, float]


def default_data_path() -> Path:
    """The bundled synthetic demo dataset (shipped in the package; ``data/`` in the repository)."""
    from .assets import demo_data_path

    return demo_data_path()


def parse_stages(spec: str | Iterable[str]) -> list[str]:
    names = [s.strip() for s in (spec.split(",") if isinstance(spec, str) else spec) if s.strip()]
    if not names or "all" in names:
        return list(STAGE_NAMES)
    unknown = [s for s in names if s not in STAGE_NAMES]
    if unknown:
        raise ConfigError(f"unknown stage {', '.join(map(repr, unknown))}; choose from "
                          f"{', '.join(STAGE_NAMES)} or all")
    return [s for s in STAGE_NAMES if s in names]


def parse_formats(spec: str) -> list[str]:
    names = [s.strip().lower() for s in spec.split(",") if s.strip()]
    unknown = [s for s in names if s not in FORMATS]
    if not names or unknown:
        raise ConfigError(f"unknown format {', '.join(map(repr, unknown)) or repr(spec)}; "
                          f"choose from {', '.join(FORMATS)} (comma-separated)")
    return [f for f in FORMATS if f in names]


def _noop(*_args, **_fields) -> None:
    pass


def preflight(stages: list[str], loaded, config: Config) -> None:
    """Check, before anything is written, that every stage of the build can run on *loaded*.

    Collects the problems of all stages into one :class:`DataValidationError` (exit status 2).
    """
    from .errors import DataValidationError
    from .stages import preflight_stage

    problems = [f"{stage}: {p}" for stage in stages for p in preflight_stage(stage, loaded, config)]
    if problems:
        raise DataValidationError(str(loaded.source.name), problems)


def _compute_into(bundle_dir: Path, loaded, stages: list[str], config: Config, workers,
                  progress: Progress, warm_pdf: bool, context=None) -> tuple[dict[str, float], dict]:
    from .bundle import write_result, write_tables
    from .stages import compute_stage

    timings: dict[str, float] = {}
    results = {}
    for stage in stages:
        progress("stage_started", f"computing {stage}", stage=stage)
        t0 = time.perf_counter()
        output = compute_stage(stage, loaded, config, context)
        figures = workers.submit(output.result, bundle_dir)
        tables = write_tables(bundle_dir, output)
        if warm_pdf:  # WeasyPrint's start-up cost overlaps figure drawing
            from .render.pdf import warm_up

            warm_up()
        results[stage] = write_result(bundle_dir, output.result, tables, figures())
        timings[stage] = time.perf_counter() - t0
        progress("stage_computed", f"computed {stage} in {timings[stage]:.1f} s", stage=stage,
                 seconds=round(timings[stage], 3))
    return timings, results


@dataclass(frozen=True)
class _Plan:
    """What a build needs to know before touching the data: fingerprints and the previous
    published build."""

    data: Path
    synthetic: bool
    sha256: str | None
    packages: dict[str, str]
    templates: str
    fingerprints: dict[str, str]
    previous: Path | None
    old: object | None  # the previous Manifest


def _plan(data: Path, synthetic: bool, folder, config: Config, sha256: str | None = None,
          backend: str = "pandas") -> _Plan:
    import stat

    from .assets import check_templates
    from .bundle import BundleError, package_versions, read_manifest
    from .fingerprint import file_sha256, stage_fingerprint, templates_hash

    if sha256 is None:
        try:  # only hash a regular file here: a FIFO would block (the loader explains why not)
            sha256 = file_sha256(data) if stat.S_ISREG(data.stat().st_mode) else None
        except OSError:
            sha256 = None
    packages = package_versions()
    previous = folder.published_bundle()
    try:
        old = read_manifest(previous) if previous else None
    except BundleError:
        old = None
    fps = ({s: stage_fingerprint(s, sha256, config, packages, backend) for s in STAGE_NAMES}
           if sha256 else {})
    return _Plan(data, synthetic, sha256, packages, templates_hash(check_templates()), fps,
                 previous if old is not None else None, old)


def _carried(plan: _Plan, force: bool) -> set[str]:
    """Stages of the previous build whose fingerprint is unchanged: kept as they are (a
    requested stage is reused, not recomputed; the others stay in the bundle)."""
    from .bundle import reusable_stages

    if force or plan.previous is None or not plan.fingerprints:
        return set()
    return reusable_stages(plan.previous, plan.fingerprints)


def _unchanged(plan: _Plan, stages: list[str], formats: list[str], force: bool,
               pdf_variant: str = "pdf/ua-1") -> bool:
    """Nothing to do: the published build has these stages with the same fingerprints, these
    formats, the same templates, data file and demo flag."""
    old = plan.old
    if force or old is None or not plan.fingerprints or old.templates != plan.templates:
        return False
    if "pdf" in formats and old.pdf_variant != pdf_variant:
        return False
    if old.input.sha256 != plan.sha256 or old.input.name != plan.data.name:
        return False
    if old.input.synthetic != plan.synthetic or not set(stages) <= set(old.stages):
        return False
    if any(old.stages[s].fingerprint != plan.fingerprints[s] for s in old.stages):
        return False
    wanted = {s: sorted(formats) for s in old.stages}
    have = {s: sorted(old.reports.get(s, {})) for s in old.stages}
    if wanted != have:
        return False
    # and nothing of it went missing (a deleted figure or report is rebuilt, not trusted)
    reports = plan.previous.parent / "reports"
    if not all((reports / f"{s}.{f}").is_file() for s, fs in have.items() for f in fs):
        return False
    return _carried(plan, force=False) == set(old.stages)


def _history_stages(manifest, results: dict, reused: set[str]) -> dict:
    return {s: {"fingerprint": e.fingerprint, "seconds": e.seconds, "reused": s in reused,
                "key_figures": results[s].key_figures if s in results else None}
            for s, e in manifest.stages.items()}


def build(data: Path | None, out: Path, stages: list[str], formats: list[str], config: Config,
          progress: Progress = _noop, force: bool = False, wait: float = 0.0,
          retune: bool = False, pdf_variant: str = "pdf/ua-1", spark=None) -> BuildReport:
    """Everything ``claimreport render`` does, in this order:

    1. check the output folder and take its lock (another build waits up to *wait* seconds);
    2. if the published build already holds these stages from the same data, config, versions
       and templates in these formats, do nothing (a scheduled build of unchanged data);
    3. load and validate the data and run every stage's preflight; any problem stops the build
       here, before anything is written;
    4. in a staging folder inside *out*: keep the stages whose fingerprint is unchanged (models
       are not refitted), compute the others, record the data profile and what changed since
       the previous build, render the reports (copying those whose inputs did not change);
    5. publish bundle and reports together in one atomic step (:mod:`claimreport.outdir`) and
       append a line to ``OUT/history.jsonl``.

    A failure at any point leaves the published build exactly as it was (and is recorded in
    the history when there is one); a failed first build leaves no folder behind.

    *spark* (a :class:`claimreport.data.spark_loader.SparkSource`) computes on Spark
    (``--backend spark``): *data* is then a Parquet file or folder, or None with
    ``spark.table`` naming a table of the session's catalog.
    """
    from . import history
    from .outdir import OutputFolder

    t_start = time.perf_counter()
    # --- Spark backend (issue #13): a catalog table stands where the data file would
    table = getattr(spark, "table", None)
    synthetic = data is None and table is None
    data = Path(data) if data is not None else Path(table) if table else default_data_path()
    # --- end Spark backend
    folder = OutputFolder(out)
    folder.check()
    try:
        with folder.lock(wait):
            progress("build_started", f"building {', '.join(stages)} from {data}",
                     data=str(data), stages=stages, formats=formats)
            try:
                plan = _plan(data, synthetic, folder, config,
                             backend="spark" if spark is not None else "pandas")
                if _unchanged(plan, stages, formats, force or (retune and "modeling" in stages),
                              pdf_variant):
                    seconds = round(time.perf_counter() - t_start, 3)
                    history.append(out, {"outcome": "unchanged", "seconds": seconds,
                                         "data": {"name": data.name, "sha256": plan.sha256}})
                    progress("build_unchanged", "nothing changed since the published build of "
                             f"{plan.old.created_at}: reports left as they are", seconds=seconds)
                    reports = [Path(out) / "reports" / f"{s}.{f}" for s in plan.old.stages
                               for f in formats]
                    return BuildReport(Path(out) / "bundle",
                                       [*reports, Path(out) / "reports" / "index.html"], {})
                report = _build(plan, folder, stages, formats, config, progress, force, retune,
                                pdf_variant, spark)
            except BaseException as exc:
                if folder.published_bundle() is not None:  # the scheduler's record of failure
                    message = str(exc).splitlines()[0][:500] if str(exc) else type(exc).__name__
                    history.append(out, {"outcome": "failed",
                                         "exit_status": getattr(exc, "exit_code", 1),
                                         "message": message, "data": {"name": data.name},
                                         "seconds": round(time.perf_counter() - t_start, 3)})
                raise
    except BaseException:
        folder.discard_if_fresh()
        raise
    progress("build_published", f"published {len(report.reports)} files in {out}",
             seconds=round(time.perf_counter() - t_start, 3))
    return report


def _build(plan: _Plan, folder, stages: list[str], formats: list[str], config: Config,
           progress: Progress, force: bool, retune: bool = False,
           pdf_variant: str = "pdf/ua-1", spark=None) -> BuildReport:
    from . import history
    from .figures import FigureWorkers

    t_start = time.perf_counter()
    with FigureWorkers() as workers:  # forked first: workers warm up while pandas loads here
        from .bundle import InputInfo, copy_stages, read_bundle, write_manifest
        from .data.load import load_data

        progress("loading", f"loading {plan.data}")
        # --- Spark backend (issue #13): the statistics computed by Spark over every row,
        # ``loaded.frame`` its stratified sample
        if spark is not None:
            from .data.spark_loader import load_spark

            loaded = load_spark(None if spark.table else plan.data, table=spark.table,
                                conf=spark.conf, sample_rows=config.sample_rows,
                                seed=config.random_state)
        else:
            loaded = load_data(plan.data)
        # --- end Spark backend
        if loaded.sha256 != plan.sha256:  # the file changed while we looked at it
            plan = _plan(plan.data, plan.synthetic, folder, config, sha256=loaded.sha256,
                         backend="spark" if spark is not None else "pandas")
        info = InputInfo(name=loaded.source.name, sha256=loaded.sha256, rows=loaded.rows,
                         format=loaded.format, synthetic=plan.synthetic)
        carried = _carried(plan, force)
        if retune:  # --retune: the modeling stage searches again even on unchanged data
            carried.discard("modeling")
        todo = [s for s in stages if s not in carried]
        preflight(todo, loaded, config)
        with folder.staging() as staging, _stop_on_failure(workers):
            entries = copy_stages(plan.previous, staging.bundle, sorted(carried)) if carried else {}
            for stage in sorted(carried & set(stages), key=STAGE_NAMES.index):
                progress("stage_reused", f"reusing {stage} (same data, settings and versions; "
                         "--force recomputes)", stage=stage)
            context = _context(plan, todo, retune, progress)
            timings, results = _compute_into(staging.bundle, loaded, todo, config, workers,
                                             progress, warm_pdf="pdf" in formats,
                                             context=context)
            if carried:
                results.update(read_bundle(plan.previous, sorted(carried)).results)
            changes = _record_data(staging.bundle, plan, loaded, results)
            in_bundle = [s for s in STAGE_NAMES if s in results]
            report_fps = _report_fingerprints(plan, in_bundle, formats, changes, info, entries,
                                              pdf_variant)
            manifest = write_manifest(staging.bundle, config=config, timings=timings, input=info,
                                      fingerprints=plan.fingerprints, kept=entries,
                                      templates=plan.templates, reports=report_fps,
                                      packages=plan.packages, pdf_variant=pdf_variant)
            reports = _render(staging.root, plan, in_bundle, formats, report_fps, progress,
                              pdf_variant)
        history.append(folder.out, {
            "outcome": "published", "seconds": round(time.perf_counter() - t_start, 3),
            "data": {"name": info.name, "sha256": info.sha256, "rows": info.rows},
            "stages": _history_stages(manifest, results, carried),
            "timings": {s: round(t, 3) for s, t in timings.items()}})
    reports = [Path(folder.out) / "reports" / p.name for p in reports]
    return BuildReport(bundle_dir=Path(folder.out) / "bundle", reports=reports, timings=timings)


def _context(plan: _Plan, todo: list[str], retune: bool, progress: Progress = _noop):
    """The previous build's modeling result (its stored hyper-parameters), when it is needed."""
    from .bundle import BundleError, read_bundle
    from .stages import BuildContext

    previous = {}
    if "modeling" in todo and plan.previous is not None and "modeling" in plan.old.stages:
        try:
            previous = read_bundle(plan.previous, ["modeling"]).results
        except BundleError:  # an unreadable previous result: search again
            previous = {}
    return BuildContext(previous=previous, retune=retune, progress=progress)


@contextmanager
def _stop_on_failure(workers):
    """Kill the figure workers when the block fails, before its staging folder is removed."""
    try:
        yield
    except BaseException:
        workers.stop()
        raise


def _record_data(bundle_dir: Path, plan: _Plan, loaded, results: dict):
    """Store this build's data profile and, when there is a previous build, what changed."""
    from .bundle import BundleError, read_bundle, read_extra, write_extra
    from .changes import compare
    from .profile import DataProfile, drift, profile_data

    write_extra(bundle_dir, "profile.json", profile_data(loaded.frame))
    if plan.previous is None:
        return None
    try:
        old_profile = read_extra(plan.previous, "profile.json", DataProfile)
        old_results = read_bundle(plan.previous).results
    except BundleError:
        return None
    shifts = drift(old_profile, loaded.frame) if old_profile is not None else []
    changes = compare(plan.old, old_results, results, shifts, loaded.sha256)
    write_extra(bundle_dir, "changes.json", changes)
    return changes


def _report_fingerprints(plan: _Plan, stages: list[str], formats: list[str], changes, info,
                         entries, pdf_variant: str = "pdf/ua-1") -> dict[str, dict[str, str]]:
    from .fingerprint import report_fingerprint

    facts = info.model_dump_json()
    drift = "" if changes is None else "".join(d.model_dump_json() for d in changes.drift)
    out = {}
    for stage in stages:
        mine = "" if changes is None or stage not in changes.stages else \
            changes.stages[stage].model_dump_json()
        built = entries[stage].created_at if stage in entries else "new"
        fp = report_fingerprint(stage, plan.fingerprints, plan.templates,
                                extra=facts + built + mine + drift)
        out[stage] = {f: fp if f != "pdf" else report_fingerprint(
            stage, plan.fingerprints, plan.templates, extra=fp + pdf_variant) for f in formats}
    return out


def _render(root: Path, plan: _Plan, stages: list[str], formats: list[str],
            report_fps: dict[str, dict[str, str]], progress: Progress,
            pdf_variant: str = "pdf/ua-1") -> list[Path]:
    """Render (or copy, when its fingerprint is unchanged) every report, then the index."""
    import os
    import shutil

    old = plan.old.reports if plan.old is not None else {}
    reports_dir = Path(root) / "reports"
    copied, todo = [], {}
    for stage in stages:
        for fmt in formats:
            src = plan.previous.parent / "reports" / f"{stage}.{fmt}" if plan.previous else None
            if src is not None and old.get(stage, {}).get(fmt) == report_fps[stage][fmt] \
                    and src.is_file():
                dst = reports_dir / src.name
                try:
                    os.link(src.resolve(), dst)
                except OSError:
                    shutil.copy2(src, dst)
                copied.append(dst)
                progress("report_reused", f"keeping {dst.name} (nothing it shows changed)",
                         report=dst.name)
            else:
                todo.setdefault(stage, []).append(fmt)
    return copied + render_reports(root, stages, formats, progress, only=todo,
                                   pdf_variant=pdf_variant)


def build_bundle(data: Path | None, out: Path, stages: list[str], config: Config,
                 progress: Progress = _noop, force: bool = False, **_ignored) -> dict[str, float]:
    """Build and publish the bundle only (no reports); returns seconds per computed stage."""
    return build(data, out, stages, [], config, progress, force).timings


def render_reports(out: Path, stages: list[str], formats: list[str],
                   progress: Progress = _noop, only: dict[str, list[str]] | None = None,
                   pdf_variant: str | None = None) -> list[Path]:
    """Render *stages* from the bundle in ``out/bundle`` (no data needed) into ``out/reports``,
    then the index of what is there. *only* limits the rendering to ``{stage: [formats]}``
    (the others were copied unchanged)."""
    from .bundle import read_bundle
    from .fsio import atomic_write
    from .render.html import render_index_html, render_stage_html

    bundle_dir, reports_dir = Path(out) / "bundle", Path(out) / "reports"
    bundle = read_bundle(bundle_dir)
    todo = only if only is not None else {s: list(formats) for s in stages}
    written = []
    for stage in stages:
        wanted = todo.get(stage, [])
        if "html" in wanted:
            progress("report_rendering", f"rendering {stage}.html", report=f"{stage}.html")
            path = reports_dir / f"{stage}.html"
            atomic_write(path, render_stage_html(bundle, stage, "html"))
            written.append(path)
        if "pdf" in wanted:
            from .render.pdf import write_pdf

            progress("report_rendering", f"rendering {stage}.pdf", report=f"{stage}.pdf")
            path = reports_dir / f"{stage}.pdf"
            write_pdf(render_stage_html(bundle, stage, "pdf"), bundle_dir, path,
                      **({"variant": pdf_variant} if pdf_variant else {}))
            written.append(path)
    available = {s: [f for f in FORMATS if (reports_dir / f"{s}.{f}").exists()]
                 for s in STAGE_NAMES if s in bundle.results}
    if any(available.values()):
        index = reports_dir / "index.html"
        atomic_write(index, render_index_html(bundle, {s: f for s, f in available.items() if f}))
        written.append(index)
    return written
