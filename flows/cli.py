"""The ``newsclean`` command line (typer): ``run`` once, ``serve`` on a schedule, or
``explain`` one document of an output folder."""

from __future__ import annotations

import errno
import logging
import os
import sys
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path

import typer

import flows  # noqa: F401  (analytics off before prefect loads)
from flows.config import FIELDS, Config, ConfigError, load_config
from flows.publish.layout import OutputLayout
from flows.read import InputError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Clean news article text and publish Parquet.")

DEFAULT_INPUT = (
    Path(__file__).resolve().parents[1] / "seeds"
)  # the checkout's sample articles, wherever newsclean is run from
INPUTS = typer.Argument(None, help=f"Files or folders to read, recursively (default: {DEFAULT_INPUT}).")
OUTPUT = typer.Option(Path("data"), "--output", "-o", help="Output folder.")
CONFIG = typer.Option(None, "--config", "-c", help="TOML configuration file (see README).")


@app.callback()
def main() -> None:
    """newsclean: repair, strip embeds, detect language, deduplicate, validate, publish."""


def _help(key: str) -> str:
    """A flag's help: its configuration key's, from ``flows.config`` (one place for both)."""
    f = FIELDS[key]
    return f"{f.metadata['help']} (config: {f.metadata['section']}.{key})"


_DEPRECATIONS: list[str] = []  # said once the run's usage checks passed: a usage error stays one line


def _config(config_file: Path | None, **overrides) -> Config:
    try:
        return load_config(config_file, overrides, on_deprecated=_DEPRECATIONS.append)
    except ConfigError as exc:
        typer.echo(f"newsclean: configuration error: {exc}", err=True)
        raise typer.Exit(2)


def _say_deprecations() -> None:
    for message in _DEPRECATIONS:
        typer.echo(f"newsclean: warning: {message}", err=True)
    _DEPRECATIONS.clear()


def flow_for(config: Config):
    """The flow with the configured task runner."""
    from flows.pipeline import clean_news

    if config.runner != "dask":
        return clean_news
    from prefect_dask import DaskTaskRunner

    if config.dask_address:
        runner = DaskTaskRunner(address=config.dask_address)
    else:
        runner = DaskTaskRunner(
            cluster_class="distributed.LocalCluster",
            cluster_kwargs={
                "n_workers": config.dask_workers,
                "threads_per_worker": 1,
                "processes": True,
                "host": "127.0.0.1",
                "dashboard_address": "127.0.0.1:0",
            },
        )
    return clean_news.with_options(task_runner=runner)


@app.command()
def run(
    inputs: list[Path] | None = INPUTS,
    output: Path = OUTPUT,
    config_file: Path | None = CONFIG,
    batch_size: int | None = typer.Option(None, help=_help("batch_size")),
    languages: str | None = typer.Option(None, help=_help("languages")),
    broken_sentences: str | None = typer.Option(None, help=_help("broken_sentences")),
    repeated_sentences: str | None = typer.Option(None, help=_help("repeated_sentences")),
    language_backend: str | None = typer.Option(None, help=_help("language_backend")),
    runner: str | None = typer.Option(None, help=_help("runner")),
    dask_address: str | None = typer.Option(None, help=_help("dask_address")),
    workers: int | None = typer.Option(None, help=_help("workers")),
    reprocess: bool = typer.Option(
        False, "--reprocess", help="Process every input, even those unchanged since the last run."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    verbose: bool = typer.Option(
        False, "--verbose", "-v", help="Prefect's log lines on the terminal too (no progress bar)."
    ),
) -> None:
    """Run the cleaning flow once on INPUTS and publish a run into OUTPUT.

    Prefect's log lines go to <OUTPUT>/logs/newsclean-<time>.log, and to the terminal
    with -v or when there is no progress bar."""
    config = _config(
        config_file,
        batch_size=batch_size,
        languages=languages,
        broken_sentences=broken_sentences,
        repeated_sentences=repeated_sentences,
        runner=runner,
        dask_address=dask_address,
        language_backend=language_backend,
        workers=workers,
    )
    paths = [str(p) for p in (inputs or [DEFAULT_INPUT])]
    from flows.run.preflight import UsageError, check_run

    try:
        check_run(paths, str(output), config)
    except UsageError as exc:
        typer.echo(f"newsclean: {exc}", err=True)
        raise typer.Exit(2)
    from flows.run.lifecycle import (
        ServerStartError,
        Terminated,
        check_api,
        exit_on_sigterm,
        start_temporary_server,
    )

    try:
        from prefect.settings import PREFECT_API_URL

        api_url = PREFECT_API_URL.value()
    except Exception as exc:  # noqa: BLE001 - Prefect validates its PREFECT_* settings on import
        detail = " ".join(str(exc).split())
        typer.echo(f"newsclean: a Prefect setting is not valid: {detail[:300]}", err=True)
        raise typer.Exit(2)

    exit_on_sigterm()
    if api_url:
        try:
            check_api(api_url)
        except ConnectionError as exc:
            typer.echo(f"newsclean: {exc}", err=True)
            raise typer.Exit(2)
    from flows.pipeline import ConservationError, ValidationDefect, ValidationFailed
    from flows.publish.state import DamagedManifest, OutputBusy
    from flows.run.memory import freeze_loaded_objects
    from flows.run.plan import ExecutionPlan
    from flows.run.workers import shared_workers

    _say_deprecations()
    plan = ExecutionPlan.of(config)
    if plan.uses_workers:
        shared_workers(plan.workers).start()  # models load while Prefect's temporary server starts
    freeze_loaded_objects()  # this process's modules stay to its end: out of the garbage collector's scans
    bar = not quiet and not verbose and sys.stderr.isatty()
    if not (verbose or not (quiet or bar)):  # on the terminal with -v, or when stderr is captured (a scheduled job)
        _prefect_console_off()
    try:
        start_temporary_server()
    except ServerStartError as exc:
        typer.echo(f"newsclean: {exc}", err=True)
        raise typer.Exit(1)
    try:
        with _prefect_logs_to_file(output), _progress_bar(enabled=bar):
            manifest = flow_for(config)(paths, str(output), config, reprocess=reprocess)
    except (InputError, OutputBusy, DamagedManifest) as exc:
        typer.echo(f"newsclean: {exc}", err=True)
        raise typer.Exit(2)
    except (KeyboardInterrupt, Terminated) as exc:
        typer.echo(
            f"newsclean: stopped ({'SIGTERM' if isinstance(exc, Terminated) else 'interrupted'}) before the run "
            "finished: a run that was not committed published nothing, and the next run processes its inputs",
            err=True,
        )
        raise typer.Exit(143 if isinstance(exc, Terminated) else 130)
    except ValidationFailed as exc:
        typer.echo(f"newsclean: validation failed: {exc}", err=True)
        raise typer.Exit(1)
    except (ConservationError, ValidationDefect) as exc:
        typer.echo(f"newsclean: run failed, nothing published: {exc}", err=True)
        raise typer.Exit(1)
    except Exception as exc:  # noqa: BLE001 - one line for the user, the traceback in a file
        log = _write_traceback(output)
        if out_of_space(exc):
            typer.echo(
                f"newsclean: no space left on the device of {output}; the failed run's staging was removed and "
                f"nothing was published: free space and run again{f'; traceback in {log}' if log else ''}",
                err=True,
            )
            raise typer.Exit(1)
        typer.echo(
            f"newsclean: run failed ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})"
            f"{f'; traceback in {log}' if log else ''}",
            err=True,
        )
        raise typer.Exit(1)
    if not manifest["conservation"]["read"]:
        typer.echo(
            f"newsclean: warning: no input records to process ({len(manifest['inputs'])} new or changed files, "
            f"{manifest['unchanged_inputs']} unchanged); nothing was published",
            err=True,
        )
        return
    _print_summary(manifest, output)


def out_of_space(exc: BaseException) -> bool:
    """Whether ``exc`` (or its cause) is a full disk or quota, as Python, Arrow or DuckDB report it.

    >>> out_of_space(OSError(errno.ENOSPC, "No space left on device"))
    True
    >>> out_of_space(ValueError("bad"))
    False
    """
    for _ in range(8):  # the exception, its cause, and theirs: far enough for Prefect's and DuckDB's wrapping
        if exc is None:
            return False
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if any(m in str(exc) for m in ("No space left on device", "Disk quota exceeded")):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


class _LogFile(logging.FileHandler):
    """A log file that never interrupts the run: a full disk drops its lines, not the run's message."""

    def handleError(self, record) -> None:  # noqa: N802 - logging's name
        pass


def _log_file(output: Path, kind: str) -> Path:
    from datetime import datetime

    folder = OutputLayout(Path(output)).logs
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{kind}-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}.log"


def _prefect_console_off() -> None:
    """Prefect's log lines leave the terminal for the rest of the process (they would tear
    the progress bar apart, or fill a quiet run's stderr)."""
    from prefect.logging.handlers import PrefectConsoleHandler

    root = logging.getLogger()
    for h in [h for h in root.handlers if isinstance(h, PrefectConsoleHandler)]:
        root.removeHandler(h)


@contextmanager
def _prefect_logs_to_file(output: Path):
    """Prefect's log lines also go to ``<output>/logs/newsclean-<time>.log`` while the block runs."""
    from prefect.logging.formatters import PrefectFormatter

    try:
        handler = _LogFile(_log_file(output, "newsclean"), encoding="utf-8", delay=True)
    except OSError:  # the run's own checks report an unwritable output
        yield
        return
    handler.setFormatter(
        PrefectFormatter(
            "%(asctime)s | %(levelname)-7s | %(name)s - %(message)s",
            flow_run_fmt="%(asctime)s | %(levelname)-7s | Flow run %(flow_run_name)r - %(message)s",
            task_run_fmt="%(asctime)s | %(levelname)-7s | Task run %(task_run_name)r - %(message)s",
        )
    )
    logging.getLogger().addHandler(handler)
    try:
        yield
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()


def _write_traceback(output: Path) -> Path | None:
    """The current exception's traceback in ``<output>/logs/``; None when it cannot be written."""
    import traceback

    try:
        path = _log_file(output, "traceback")
        path.write_text(traceback.format_exc(), encoding="utf-8")
        return path
    except OSError:
        return None


@app.command()
def serve(
    inputs: list[Path] | None = INPUTS,
    output: Path = OUTPUT,
    config_file: Path | None = CONFIG,
    cron: str | None = typer.Option(None, help="Cron schedule, e.g. '0 6 * * *' (overrides schedule_cron)."),
    interval: int | None = typer.Option(None, help="Interval in seconds (overrides schedule_interval_seconds)."),
    name: str = typer.Option("newsclean-scheduled", help="Deployment name."),
) -> None:
    """Serve the flow on a schedule against a Prefect server (PREFECT_API_URL)."""
    config = _config(config_file, schedule_cron=cron, schedule_interval_seconds=interval)
    if bool(config.schedule_cron) == bool(config.schedule_interval_seconds):
        typer.echo(
            "newsclean: give exactly one of --cron / --interval (or schedule_cron / schedule_interval_seconds)",
            err=True,
        )
        raise typer.Exit(2)
    from prefect.settings import PREFECT_API_URL

    if not PREFECT_API_URL.value():
        typer.echo(
            "newsclean: serve needs a Prefect server (Prefect's temporary server runs no schedules). Start one with\n"
            "  .venv/bin/prefect server start --host 127.0.0.1 --port 4200\n"
            "and set PREFECT_API_URL=http://127.0.0.1:4200/api",
            err=True,
        )
        raise typer.Exit(2)
    paths = [str(Path(p).resolve()) for p in (inputs or [Path("seeds")])]
    _say_deprecations()
    flow = flow_for(config)
    flow.serve(
        name=name,
        cron=config.schedule_cron or None,
        interval=config.schedule_interval_seconds or None,
        parameters={"inputs": paths, "output": str(Path(output).resolve()), "config": config.to_dict()},
        description="newsclean on a schedule: each run processes the inputs that are new or changed",
        limit=1,  # runs of one output folder never overlap: a late run waits for the previous one
    )


@app.command("config")
def show_config(
    example: bool = typer.Option(False, "--example", help="Print a TOML file of every key at its default, by section."),
) -> None:
    """Print the configuration reference (every key by section, its default and meaning)."""
    from flows.config import example_toml, reference_markdown

    typer.echo(example_toml() if example else reference_markdown(), nl=not example)


@app.command()
def explain(
    output: Path = typer.Argument(..., help="A newsclean output folder."),
    doc_id: str = typer.Argument(..., help="The document's doc_id."),
    html: Path | None = typer.Option(None, "--html", help="Also write the journey as a self-contained HTML page."),
    no_color: bool = typer.Option(False, "--no-color", help="Plain text: [-removed-]{+added+} instead of colours."),
    run_id: str | None = typer.Option(None, "--run", help="Look only in this committed run."),
) -> None:
    """Show one document's journey through the run that published it.

    Its input file, each step's edits as a word diff, its flags with their rules, the
    language of each paragraph, its duplicate relation and its final status."""
    from flows.publish.explain import ExplainError, render_html, render_text, use_color
    from flows.publish.explain import explain as explain_doc

    try:
        journey = explain_doc(output, doc_id, run_id)
    except ExplainError as exc:
        typer.echo(f"newsclean: {exc}", err=True)
        raise typer.Exit(2)
    sys.stdout.write(render_text(journey, color=use_color(no_color, sys.stdout)))
    if html:
        from flows.publish.writers import write_text_atomic

        write_text_atomic(render_html(journey), html)
        typer.echo(f"newsclean: wrote {html}", err=True)


class _progress_bar:
    """A rich progress bar fed by the flow's progress reports (only on a terminal)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __enter__(self):
        if not self.enabled:
            return self
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        from flows.run.progress import listening

        self.bar = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=False
        )
        self.tasks: dict[str, int] = {}
        self.bar.start()
        self.ctx = listening(self.update)
        self.ctx.__enter__()
        return self

    def update(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(stage, total=total)
        self.bar.update(self.tasks[stage], completed=done, total=total)

    def __exit__(self, *exc):
        if self.enabled:
            self.ctx.__exit__(*exc)
            self.bar.stop()
        return False


def _print_summary(manifest: dict, output: Path) -> None:
    from rich.console import Console
    from rich.table import Table

    from flows.publish.report import STEP_COLUMNS

    table = Table(title=f"newsclean run {manifest['run_id']}")
    table.add_column("step")
    for col in STEP_COLUMNS:
        table.add_column(col, justify="right")
    for step, counts in manifest["counts"].items():
        table.add_row(
            step, *(f"{v:.3g}" if isinstance(v := counts.get(k, ""), float) else str(v) for k in STEP_COLUMNS)
        )
    console = Console(file=sys.stdout, width=max(100, int(os.environ.get("COLUMNS", "0") or 0)))
    console.print(table)
    c = manifest["conservation"]
    console.print(
        f"read {c['read']} = clean {c['clean']} + rejected {c['rejected']} "
        f"({len(manifest['inputs'])} new or changed input files, {manifest['unchanged_inputs']} unchanged and skipped)\n"
        f"run partition run_date={manifest['run_date']}/run_id={manifest['run_id']} under {output}/clean, "
        f"{output}/rejected, {output}/sentences\nmanifest {output}/runs/{manifest['run_id']}.json; "
        f"report {manifest.get('report')}"
    )
    gate = manifest["validation"].get("gate") or {}
    if gate.get("message"):
        typer.echo(f"newsclean: warning: {gate['message']}", err=True)


if __name__ == "__main__":
    app()
