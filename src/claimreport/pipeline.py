"""The one-way flow: load+validate → compute → bundle → render. Used by the CLI and tests."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .errors import ClaimReportError, ConfigError
from .registry import STAGE_NAMES

__all__ = ["FORMATS", "BuildReport", "default_data_path", "parse_stages", "parse_formats",
           "preflight", "build_bundle", "render_reports", "build"]

FORMATS = ("html", "pdf")
Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildReport:
    bundle_dir: Path
    reports: list[Path]
    timings: dict[str, float]


def default_data_path() -> Path:
    """The bundled synthetic demo dataset (``data/demo_claims.csv`` in the repository)."""
    path = Path(__file__).resolve().parents[2] / "data" / "demo_claims.csv"
    if not path.is_file():
        raise ClaimReportError(f"demo data not found at {path}; create it with "
                               f"`claimreport demo-data --out {path}` or pass --data")
    return path


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


def _noop(_msg: str) -> None:
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
                  progress: Progress, warm_pdf: bool) -> dict[str, float]:
    from .bundle import write_result, write_tables
    from .stages import compute_stage

    timings: dict[str, float] = {}
    for stage in stages:
        progress(f"computing {stage}")
        t0 = time.perf_counter()
        output = compute_stage(stage, loaded, config)
        figures = workers.submit(output.result, bundle_dir)
        tables = write_tables(bundle_dir, output)
        if warm_pdf:  # WeasyPrint's start-up cost overlaps figure drawing
            from .render.pdf import warm_up

            warm_up()
        write_result(bundle_dir, output.result, tables, figures())
        timings[stage] = time.perf_counter() - t0
    return timings


def build(data: Path | None, out: Path, stages: list[str], formats: list[str], config: Config,
          progress: Progress = _noop, force: bool = False) -> BuildReport:
    """Everything ``claimreport render`` does, in this order:

    1. check the output folder, load and validate the data, and run every stage's preflight;
       any problem stops the build here, before anything is written;
    2. compute the stages (stages whose stored result was computed from the same data bytes,
       config and versions are reused, not recomputed; ``force=True`` recomputes everything) and
       render the reports, all into a staging folder inside *out*;
    3. publish bundle and reports together in one atomic step (:mod:`claimreport.outdir`).

    A failure at any point leaves the published build exactly as it was. Figures are drawn by
    :class:`~claimreport.figures.FigureWorkers` while this process stores tables (and, for PDFs,
    imports WeasyPrint).
    """
    from .figures import FigureWorkers
    from .outdir import OutputFolder

    synthetic = data is None
    data = Path(data) if data is not None else default_data_path()
    folder = OutputFolder(out)
    folder.check()
    with FigureWorkers() as workers:  # forked first: workers warm up while pandas loads here
        from .bundle import InputInfo, copy_stages, reusable_stages, write_manifest
        from .data.load import load_data

        progress(f"loading {data}")
        loaded = load_data(data)
        info = InputInfo(name=loaded.source.name, sha256=loaded.sha256, rows=loaded.rows,
                         format=loaded.format, synthetic=synthetic)
        previous = folder.published_bundle()
        reusable = set() if force or previous is None else reusable_stages(previous, info, config)
        todo = [s for s in stages if s not in reusable]
        preflight(todo, loaded, config)
        with folder.staging() as staging:
            entries = copy_stages(previous, staging.bundle, sorted(reusable)) if reusable else {}
            for stage in stages:
                if stage in reusable:
                    progress(f"reusing {stage} (same data, config and versions; --force "
                             "recomputes)")
            timings = _compute_into(staging.bundle, loaded, todo, config, workers, progress,
                                    warm_pdf="pdf" in formats)
            write_manifest(staging.bundle, config=config, timings=timings, input=info,
                           kept=entries)
            in_bundle = [s for s in STAGE_NAMES if s in timings or s in entries]
            reports = render_reports(staging.root, in_bundle, formats, progress) if formats else []
        # published: report the paths readers use
    reports = [Path(out) / "reports" / p.name for p in reports]
    return BuildReport(bundle_dir=Path(out) / "bundle", reports=reports, timings=timings)


def build_bundle(data: Path | None, out: Path, stages: list[str], config: Config,
                 progress: Progress = _noop, force: bool = False, **_ignored) -> dict[str, float]:
    """Build and publish the bundle only (no reports); returns seconds per computed stage."""
    return build(data, out, stages, [], config, progress, force).timings


def render_reports(out: Path, stages: list[str], formats: list[str],
                   progress: Progress = _noop) -> list[Path]:
    """Render *stages* from the bundle in ``out/bundle`` (no data needed) into ``out/reports``."""
    from .bundle import read_bundle
    from .fsio import atomic_write
    from .render.html import render_index_html, render_stage_html

    bundle_dir, reports_dir = Path(out) / "bundle", Path(out) / "reports"
    bundle = read_bundle(bundle_dir)
    written = []
    for stage in stages:
        if "html" in formats:
            progress(f"rendering {stage}.html")
            path = reports_dir / f"{stage}.html"
            atomic_write(path, render_stage_html(bundle, stage, "html"))
            written.append(path)
        if "pdf" in formats:
            from .render.pdf import write_pdf

            progress(f"rendering {stage}.pdf")
            path = reports_dir / f"{stage}.pdf"
            write_pdf(render_stage_html(bundle, stage, "pdf"), bundle_dir, path)
            written.append(path)
    available = {s: [f for f in FORMATS if (reports_dir / f"{s}.{f}").exists()]
                 for s in STAGE_NAMES if s in bundle.results}
    index = reports_dir / "index.html"
    atomic_write(index, render_index_html(bundle, {s: f for s, f in available.items() if f}))
    written.append(index)
    return written
