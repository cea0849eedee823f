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


@contextmanager
def _user_errors(debug: bool):
    try:
        yield
    except ClaimReportError as exc:
        if debug:
            raise
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        typer.echo("interrupted: no partial report was written", err=True)
        raise typer.Exit(130) from None


@contextmanager
def _progress(total: int):
    """A rich progress bar on a terminal, plain lines on stderr otherwise (logs, CI, cron)."""
    if not sys.stderr.isatty():
        yield lambda msg: print(f"claimreport: {msg}", file=sys.stderr, flush=True)
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                  TimeElapsedColumn(), transient=True) as bar:
        task = bar.add_task("starting", total=total)

        def step(msg: str) -> None:
            bar.update(task, description=msg, advance=1)

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
    debug: Debug = False,
) -> None:
    """Compute the stage results bundle and render HTML/PDF reports from it."""
    with _user_errors(debug):
        from .config import load_config
        from .pipeline import build, parse_formats, parse_stages

        stages = parse_stages(stage)
        formats = parse_formats(fmt)
        overrides = {k: v for k, v in (("random_state", seed), ("protocol", protocol),
                                       ("modeling.search", search)) if v is not None}
        cfg = load_config(config, overrides)
        steps = 2 + len(stages) * (1 + len(formats))
        with _progress(steps) as progress:
            report = build(data, out, stages, formats, cfg, progress, force=force)
        for path in report.reports:
            typer.echo(str(path))


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
