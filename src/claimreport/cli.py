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
)

Debug = Annotated[bool, typer.Option("--debug", help="Show the full traceback on errors.")]
DataOpt = Annotated[Path | None, typer.Option(
    "--data", help="Course CSV or Parquet file. Default: the bundled synthetic demo data.")]


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
            print(f"claimreport: {message}", file=sys.stderr, flush=True)

        yield line
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                  TimeElapsedColumn(), transient=True) as bar:
        task = bar.add_task("starting", total=total)

        def step(_event: str, message: str = "", **_fields) -> None:
            bar.update(task, description=message, advance=1)

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
    debug: Debug = False,
) -> None:
    """Compute the stage results bundle and render HTML/PDF reports from it."""
    with _user_errors(debug, log_format):
        from .config import load_config
        from .pipeline import build, parse_formats, parse_stages

        if log_format not in ("text", "json"):
            from .errors import ConfigError

            raise ConfigError(f"unknown --log-format {log_format!r}; choose text or json")
        stages = parse_stages(stage)
        formats = parse_formats(fmt)
        overrides = {k: v for k, v in (("random_state", seed), ("protocol", protocol),
                                       ("modeling.search", search)) if v is not None}
        cfg = load_config(config, overrides)
        steps = 4 + 2 * len(stages) * (1 + len(formats))
        with _progress(steps, log_format) as progress:
            report = build(data, out, stages, formats, cfg, progress, force=force, wait=wait,
                           retune=retune)
        for path in report.reports:
            typer.echo(str(path))


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
def validate(data: DataOpt = None, debug: Debug = False) -> None:
    """Check a data file against the schema and print a short data-quality summary."""
    with _user_errors(debug):
        from .data.load import load_data, summarize
        from .pipeline import default_data_path

        loaded = load_data(data if data is not None else default_data_path())
        for line in summarize(loaded):
            typer.echo(line)


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
    out: Annotated[Path, typer.Option(
        "--out", help="File to write; the extension picks the format: .csv, or .parquet / .pq.")]
    = Path("data/demo_claims.csv"),
    debug: Debug = False,
) -> None:
    """Write a synthetic dataset with the course schema (deterministic for a seed)."""
    with _user_errors(debug):
        from .data.demo import check_destination, write_data
        from .data.scenarios import generate_scenario, get_scenario

        get_scenario(scenario)  # an unknown name is refused before the destination is checked
        check_destination(out)  # before spending time on generating the rows
        frame = generate_scenario(scenario, rows, random_state=seed)
        write_data(frame, out)
        typer.echo(f"wrote {len(frame):,} rows of the {scenario} scenario to {out}")


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
