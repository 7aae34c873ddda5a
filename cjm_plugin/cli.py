"""The ``cjm`` command: a thin adapter over the core, like the MkDocs plugin."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .diagnostics import OUTPUT_FORMATS, count_summary, format_report
from .loader import JourneysFolderMissing, LoadResult, load_folder
from .schema import front_matter_schema

DEFAULT_JOURNEYS_DIR = "journeys"


def record_counts(result: LoadResult) -> str:
    """``3 journeys, 4 personas, 9 touchpoints``: what a folder holds."""

    def plural(n: int, word: str) -> str:
        return f"{n} {word}" + ("" if n == 1 else "s")

    counts = result.record_counts()
    return ", ".join(
        plural(counts[kind], kind) for kind in ("journey", "persona", "touchpoint")
    )


def load_or_exit(journeys_dir: Path) -> LoadResult:
    """Load a folder; a missing folder is a usage error (exit 2)."""
    try:
        return load_folder(journeys_dir)
    except JourneysFolderMissing as exc:
        raise click.UsageError(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cjm")
def main() -> None:
    """Customer journey maps as code: validate, render and diff journey maps."""


@main.command()
@click.argument(
    "journeys_dir",
    default=DEFAULT_JOURNEYS_DIR,
    type=click.Path(file_okay=False, path_type=Path),
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(OUTPUT_FORMATS),
    default="text",
    show_default=True,
    help="text for people, json for tools, github for pull-request annotations.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def validate(journeys_dir: Path, output_format: str, strict: bool) -> None:
    """Check every journey file in JOURNEYS_DIR (default: journeys).

    Exits 0 when the maps are valid, 1 when they are not, 2 on bad usage.
    """
    result = load_or_exit(journeys_dir)
    summary = (
        f"{record_counts(result)}: "
        f"{count_summary(len(result.errors), len(result.warnings))}"
    )
    click.echo(format_report(result.diagnostics, output_format, summary), nl=False)
    failed = bool(result.errors) or (strict and bool(result.warnings))
    sys.exit(1 if failed else 0)


@main.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the schema to this file instead of standard output.",
)
@click.option("--force", is_flag=True, help="Overwrite a file that cjm did not write.")
def schema(out: Path | None, force: bool) -> None:
    """Print the JSON Schema of journey front matter, for editors."""
    text = json.dumps(front_matter_schema(), indent=2, sort_keys=True) + "\n"
    if out is None:
        click.echo(text, nl=False)
        return
    from .output_files import GeneratedFileError, write_generated

    try:
        write_generated(out, text, force=force)
    except GeneratedFileError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {out}", err=True)
