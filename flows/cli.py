"""The ``newsclean`` command line (typer)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import flows  # noqa: F401  (analytics off before prefect loads)
import typer

from flows.config import ConfigError, load_config
from flows.readers import InputError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Clean news article text and publish Parquet.")


@app.callback()
def main() -> None:
    """newsclean: repair, strip embeds, detect language, deduplicate, validate, publish."""


@app.command()
def run(
    inputs: Optional[list[Path]] = typer.Argument(None, help="Files or folders to read (default: seeds/)."),
    output: Path = typer.Option(Path("data"), "--output", "-o", help="Output folder."),
    config_file: Optional[Path] = typer.Option(None, "--config", "-c", help="TOML configuration file."),
    batch_size: Optional[int] = typer.Option(None, help="Documents per batch (a Prefect task's unit of work)."),
    languages: Optional[str] = typer.Option(None, help="Accepted languages, comma-separated ISO 639-1 codes."),
    broken_sentences: Optional[str] = typer.Option(None, help="'flag' (default) or 'drop'."),
    repeated_sentences: Optional[str] = typer.Option(None, help="'mark' (default) or 'drop'."),
    reprocess: bool = typer.Option(False, "--reprocess", help="Process every input, even those unchanged since the last run."),
) -> None:
    """Run the cleaning flow once on INPUTS and publish into OUTPUT."""
    try:
        config = load_config(
            config_file,
            {"batch_size": batch_size, "languages": languages, "broken_sentences": broken_sentences,
             "repeated_sentences": repeated_sentences},
        )
    except ConfigError as exc:
        typer.echo(f"newsclean: configuration error: {exc}", err=True)
        raise typer.Exit(2)
    paths = [str(p) for p in (inputs or [Path("seeds")])]
    from flows.pipeline import ValidationFailed, clean_news
    from flows.state import OutputBusy

    try:
        manifest = clean_news(paths, str(output), config, reprocess=reprocess)
    except (InputError, OutputBusy) as exc:
        typer.echo(f"newsclean: {exc}", err=True)
        raise typer.Exit(2)
    except ValidationFailed as exc:
        typer.echo(f"newsclean: validation failed: {exc}", err=True)
        raise typer.Exit(1)
    _print_summary(manifest, output)


def _print_summary(manifest: dict, output: Path) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"newsclean run {manifest['run_id']}")
    for col in ("step", "in", "changed", "flagged", "removed", "rejected"):
        table.add_column(col, justify="left" if col == "step" else "right")
    for step, counts in manifest["counts"].items():
        table.add_row(step, *(str(counts.get(k, "")) for k in ("in", "changed", "flagged", "removed", "rejected")))
    console = Console(file=sys.stdout)
    console.print(table)
    c = manifest["conservation"]
    console.print(
        f"read {c['read']} = clean {c['clean']} + rejected {c['rejected']} "
        f"({len(manifest['inputs'])} new or changed input files, {manifest['unchanged_inputs']} unchanged and skipped); "
        f"run partition run_date={manifest['run_date']}/run_id={manifest['run_id']} under {output}/clean, "
        f"{output}/rejected, {output}/sentences; manifest {output}/runs/{manifest['run_id']}.json"
    )


if __name__ == "__main__":
    app()
