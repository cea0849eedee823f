"""Command line: ``claimreport render | validate | demo-data``.

Only typer is imported at start-up; every heavy library loads inside the command that needs it,
so ``claimreport --help`` answers at once. User errors (:class:`ClaimReportError`) print one
message to stderr and exit non-zero; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .errors import ClaimReportError

__all__ = ["app", "main"]

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Stage reports (EDA, hypothesis, regression, modeling) for the TikTok claims project.",
    pretty_exceptions_enable=False,
    # plain click help: flags show as flags (rich's help prints "<bool>" after them, as if they
    # took a value) and --help does not import rich
    rich_markup_mode=None,
)

Debug = Annotated[bool, typer.Option("--debug", help="Show the full traceback on errors.")]
DataOpt = Annotated[Path | None, typer.Option(
    "--data", help="Course CSV or Parquet file. Default: the bundled synthetic demo data.")]
# --- Spark backend (issue #13)
BackendOpt = Annotated[str, typer.Option(
    "--backend", help="pandas (default: one machine, exact) or spark (statistics as Spark "
    "aggregates over a Parquet file or folder, or --table; needs pip install "
    "'claimreport[spark]' and Java 17).")]
TableOpt = Annotated[str | None, typer.Option(
    "--table", help="With --backend spark: read this table of the Spark catalog (db.videos) "
    "instead of --data.")]
ConfOpt = Annotated[list[str] | None, typer.Option(
    "--conf", metavar="KEY=VALUE", help="With --backend spark: a Spark setting for the session, "
    "e.g. --conf spark.master=local[4] (repeatable; default master local[*]).")]


def _spark_source(backend: str, data: Path | None, table: str | None, conf: list[str] | None):
    """The SparkSource for ``--backend spark`` (None for pandas); a ConfigError for options
    that do not go together and, before anything starts, for a missing PySpark or Java."""
    from .errors import ConfigError

    if backend not in ("pandas", "spark"):
        raise ConfigError(f"unknown --backend {backend!r}; choose pandas or spark")
    if backend == "pandas":
        if table is not None or conf:
            raise ConfigError(f"{'--table' if table is not None else '--conf'} needs "
                              "--backend spark")
        return None
    if table is not None and data is not None:
        raise ConfigError("pass either --data or --table, not both")
    from .data.spark_loader import SparkSource
    from .data.spark_session import check_spark, parse_conf

    source = SparkSource(table=table, conf=parse_conf(conf or []))
    check_spark()
    return source
# --- end Spark backend


def _version(value: bool) -> None:
    if value:
        typer.echo(f"claimreport {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Stage reports for the TikTok claims-classification project."""


#: the documented exit statuses (README "Exit status")
EXIT_STATUSES = {0: "success", 1: "the output folder cannot take the build",
                 2: "invalid data, configuration or options", 3: "bad bundle",
                 4: "rendering failed", 75: "another build holds the output folder",
                 130: "interrupted (SIGINT)", 143: "terminated (SIGTERM)"}


def _emit_json(event: str, message: str, **fields) -> None:
    import json
    from datetime import UTC, datetime

    record = {"time": datetime.now(UTC).isoformat(timespec="milliseconds"), "event": event,
              "message": message, **fields}
    print(json.dumps(record, default=str), file=sys.stderr, flush=True)


@contextmanager
def _user_errors(debug: bool, log_format: str = "text"):
    """One line on stderr (or one JSON event) and the documented exit status for every error a
    user can fix; SIGTERM and SIGINT unwind the build (its staging folder is removed) and exit
    with 143 / 130."""
    import signal

    from .errors import Interrupted

    def stop(signum, _frame):
        raise Interrupted(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    except ClaimReportError as exc:
        if debug:
            raise
        if log_format == "json":
            _emit_json("build_failed", str(exc), exit_status=exc.exit_code)
        else:
            typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    except (Interrupted, KeyboardInterrupt) as exc:
        code = getattr(exc, "exit_code", 130)
        message = "interrupted: the published reports were left as they were"
        if log_format == "json":
            _emit_json("build_failed", message, exit_status=code)
        else:
            typer.echo(message, err=True)
        raise typer.Exit(code) from None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def _progress(total: int, log_format: str = "text"):
    """Build events as a rich progress bar on a terminal, plain lines on stderr otherwise
    (logs, CI, cron), or one JSON object per event (``--log-format json``)."""
    if log_format == "json":
        yield _emit_json
        return
    if not sys.stderr.isatty():
        def line(_event: str, message: str = "", **_fields) -> None:
            if _event != "search_progress":  # fit counts are for a terminal only
                print(f"claimreport: {message}", file=sys.stderr, flush=True)

        yield line
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                  TimeElapsedColumn(), transient=True) as bar:
        task = bar.add_task("starting", total=total)

        def step(_event: str, message: str = "", **_fields) -> None:
            bar.update(task, description=message, advance=0 if _event == "search_progress" else 1)

        yield step


@app.command()
def render(
    stage: Annotated[str, typer.Option(
        "--stage", help="Stage to build: eda, hypothesis, regression, modeling, or all "
        "(comma-separated list allowed).")] = "all",
    data: DataOpt = None,
    out: Annotated[Path, typer.Option("--out", help="Output folder (bundle/ and reports/).")]
    = Path("build"),
    fmt: Annotated[str, typer.Option("--format", help="html, pdf or html,pdf.")] = "html,pdf",
    config: Annotated[Path | None, typer.Option(
        "--config", help="TOML file with settings (see README).")] = None,
    seed: Annotated[int | None, typer.Option(
        "--seed", help="Override random_state for every random draw.")] = None,
    protocol: Annotated[str | None, typer.Option(
        "--protocol", help="rigorous (default: split before resampling, honest metrics) or "
        "course (replicate the exemplar notebooks exactly).")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Recompute every stage even if the bundle holds results for the same "
        "data, config and versions.")] = False,
    search: Annotated[str | None, typer.Option(
        "--search", help="modeling: fast (default, successive halving) or course (the "
        "exemplar's full grids; several minutes).")] = None,
    retune: Annotated[bool, typer.Option(
        "--retune", help="modeling: search the hyper-parameters again instead of refitting the "
        "stored ones (they are searched again anyway when older than "
        "modeling.retune_after_days).")] = False,
    wait: Annotated[float, typer.Option(
        "--wait", min=0, help="Seconds to wait for another build into the same --out to "
        "finish (default 0: exit at once with status 75).")] = 0.0,
    log_format: Annotated[str, typer.Option(
        "--log-format", help="text (default) or json: one JSON object per build event on "
        "stderr, for schedulers.")] = "text",
    pdf_variant: Annotated[str, typer.Option(
        "--pdf-variant", help="pdf/ua-1 (default: tagged, accessible), pdf/a-3b (archival) or "
        "plain (untagged).")] = "pdf/ua-1",
    engine: Annotated[str, typer.Option(
        "--engine", help="builtin (default: HTML/PDF with Jinja2 and WeasyPrint) or quarto "
        "(also renders reports/*.qmd from the published bundle into OUT/quarto; needs the "
        "`quarto` CLI on PATH and pip install 'claimreport[quarto]').")] = "builtin",
    backend: BackendOpt = "pandas",
    table: TableOpt = None,
    conf: ConfOpt = None,
    debug: Debug = False,
) -> None:
    """Compute the stage results bundle and render HTML/PDF reports from it."""
    with _user_errors(debug, log_format):
        from .config import load_config
        from .pipeline import build, parse_formats, parse_stages

        if log_format not in ("text", "json"):
            from .errors import ConfigError

            raise ConfigError(f"unknown --log-format {log_format!r}; choose text or json")
        quarto = _check_engine(engine)  # before any stage computes
        from .render.pdf import PDF_VARIANTS

        if pdf_variant not in PDF_VARIANTS:
            from .errors import ConfigError

            raise ConfigError(f"unknown --pdf-variant {pdf_variant!r}; choose from "
                              f"{', '.join(PDF_VARIANTS)}")
        stages = parse_stages(stage)
        formats = parse_formats(fmt)
        spark = _spark_source(backend, data, table, conf)
        overrides = {k: v for k, v in (("random_state", seed), ("protocol", protocol),
                                       ("modeling.search", search)) if v is not None}
        cfg = load_config(config, overrides)
        steps = 4 + 2 * len(stages) * (1 + len(formats))
        with _progress(steps, log_format) as progress:
            report = build(data, out, stages, formats, cfg, progress, force=force, wait=wait,
                           retune=retune, pdf_variant=pdf_variant, spark=spark)
        for path in report.reports:
            typer.echo(str(path))
        if quarto is not None:
            for path in _render_quarto(quarto, out, wait, log_format):
                typer.echo(str(path))


def _check_engine(engine: str) -> str | None:
    """The ``quarto`` executable for ``--engine quarto`` (a RenderError naming what is missing
    when it cannot run), None for the built-in engine."""
    if engine == "builtin":
        return None
    if engine != "quarto":
        from .errors import ConfigError

        raise ConfigError(f"unknown --engine {engine!r}; choose builtin or quarto")
    from .render.quarto import check_quarto

    return check_quarto()


def _render_quarto(quarto: str, out: Path, wait: float, log_format: str) -> list[Path]:
    """Quarto renders the documents from the bundle just published, holding the build lock so
    no other build swaps the bundle meanwhile; its output is published as OUT/quarto."""
    from .outdir import OutputFolder
    from .render.quarto import render_quarto

    if log_format == "json":
        _emit_json("quarto_rendering", f"rendering reports/*.qmd with {quarto}")
    elif not sys.stderr.isatty():
        print(f"claimreport: rendering reports/*.qmd with {quarto}", file=sys.stderr, flush=True)
    with OutputFolder(out).lock(wait):
        site = render_quarto(Path(out) / "bundle", out, quarto)
    return sorted(p for p in site.rglob("*.html"))


@app.command()
def history(
    out: Annotated[Path, typer.Argument(help="Output folder of earlier builds.")] = Path("build"),
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line, as "
                                          "stored.")] = False,
    debug: Debug = False,
) -> None:
    """Print the build history of an output folder (OUT/history.jsonl)."""
    with _user_errors(debug):
        import json

        from . import history as hist

        records = hist.read(out)
        if not records:
            from .errors import ConfigError

            raise ConfigError(f"{out}: no build history here ({hist.HISTORY} not found)")
        if as_json:
            for r in records:
                typer.echo(json.dumps(r, default=str))
        else:
            for line in hist.table(records):
                typer.echo(line)


@app.command()
def validate(data: DataOpt = None, backend: BackendOpt = "pandas", table: TableOpt = None,
             conf: ConfOpt = None, debug: Debug = False) -> None:
    """Check a data file against the schema and print a short data-quality summary, ending
    with a one-line verdict."""
    from .errors import DataValidationError

    with _user_errors(debug):
        from .data.load import load_data, summarize
        from .pipeline import default_data_path

        spark = _spark_source(backend, data, table, conf)
        path = data if data is not None else table if table is not None else default_data_path()
        try:
            if spark is not None:  # --- Spark backend (issue #13)
                from .data.spark_loader import load_spark
                from .data.spark_loader import summarize_statistics as summarize

                loaded = load_spark(None if table else path, table=table, conf=spark.conf,
                                    sample_rows=1_000)
            else:
                loaded = load_data(path)
        except DataValidationError as exc:
            typer.echo(f"error: {exc}", err=True)
            typer.echo(f"invalid: {path} cannot be used ({len(exc.problems)} "
                       f"problem{'s' if len(exc.problems) != 1 else ''} above)")
            raise typer.Exit(exc.exit_code) from None
        for line in summarize(loaded):
            typer.echo(line)
        kind = ("the synthetic demo data generated by claimreport" if _is_demo(loaded.sha256)
                else "not the bundled synthetic demo data")
        typer.echo(f"valid: {loaded.rows:,} rows ready for claimreport render ({kind})")


def _is_demo(sha256: str) -> bool:
    """Whether the bytes are the bundled synthetic demo dataset."""
    from .assets import demo_data_path
    from .fingerprint import file_sha256

    try:
        return file_sha256(demo_data_path()) == sha256
    except (ClaimReportError, OSError):
        return False


@app.command("demo-data")
def demo_data(
    scenario: Annotated[str, typer.Option(
        "--scenario", metavar="NAME",
        # The names come from the registry; claimreport.data.scenarios holds only parameters, so
        # importing it here keeps `claimreport --help` free of numpy and pandas.
        help="The story the data tell: " + ", ".join(__import__(
            "claimreport.data.scenarios", fromlist=["SCENARIOS"]).SCENARIOS)
        + ". See the README for what each one shows.")] = "course",
    rows: Annotated[int | None, typer.Option(
        "--rows", min=1, help="Number of rows. Default: the scenario's own size.")]
    = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 42,
    out: Annotated[Path | None, typer.Option(
        "--out", help="File to write; the extension picks the format: .csv, or .parquet / .pq. "
        "Default: demo_<scenario>.csv in the current folder (never overwritten).")] = None,
    debug: Debug = False,
) -> None:
    """Write a synthetic dataset with the course schema (deterministic for a seed)."""
    with _user_errors(debug):
        from .data.demo import check_destination, write_data
        from .data.scenarios import generate_scenario, get_scenario
        from .errors import ConfigError

        get_scenario(scenario)  # an unknown name is refused before the destination is checked
        if out is None:  # a new file here, never the repository's tracked demo data
            out = Path(f"demo_{scenario}.csv")
            if out.exists():
                raise ConfigError(f"{out} exists already; pass --out to name another file (or "
                                  "the same one, to replace it)")
        check_destination(out)  # before spending time on generating the rows
        frame = generate_scenario(scenario, rows, random_state=seed)
        write_data(frame, out)
        typer.echo(f"wrote {len(frame):,} rows of the {scenario} scenario to {out}")


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
