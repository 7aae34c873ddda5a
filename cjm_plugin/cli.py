"""The ``cjm`` command: a thin adapter over the core, like the MkDocs plugin."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .build_date import build_date
from .diagnostics import OUTPUT_FORMATS, count_summary, format_report, sort_diagnostics
from .diff import DIFF_FORMATS
from .load import JourneysFolderMissing, LoadResult, load_folder
from .model import CHANNELS, is_review_period
from .output_files import (
    RESERVED_NAMES,
    GeneratedFileError,
    unsafe_output_folder,
    write_generated_file,
    write_generated_tree,
)
from .pages import GENERATED_COMMENT, render_site
from .pages.site import DuplicateUrl
from .review import DEFAULT_REVIEW_EVERY, stale_map_warnings
from .scaffold import Kind, ScaffoldError, plan_new, write_new
from .schema import export_schema, front_matter_schema
from .urls import DEFAULT_LAYOUT, UrlLayout

DEFAULT_JOURNEYS_DIR = "journeys"


#: The folder argument of the commands that read one journeys folder.
journeys_dir_argument = click.argument(
    "journeys_dir",
    default=DEFAULT_JOURNEYS_DIR,
    type=click.Path(file_okay=False, path_type=Path),
)


def record_counts(result: LoadResult) -> str:
    """``3 journeys, 4 personas, 9 touchpoints``: what a folder holds."""

    def plural(n: int, word: str) -> str:
        return f"{n} {word}" + ("" if n == 1 else "s")

    counts = result.record_counts()
    return ", ".join(plural(counts[kind], kind) for kind in ("journey", "persona", "touchpoint"))


def home_folder() -> Path | None:
    """The user's home folder, or None where there is none (a service account)."""
    try:
        return Path.home()
    except (RuntimeError, KeyError):
        return None


def refuse_unsafe_out(out: Path, journeys_dir: Path) -> None:
    """A usage error (exit 2) before anything is written, when ``out`` is no place for pages."""
    reason = unsafe_output_folder(
        out, journeys_dir=journeys_dir, cwd=Path.cwd(), home=home_folder()
    )
    if reason is not None:
        raise click.UsageError(
            f"--out {out}: refusing to write pages there: {reason}. "
            "Give cjm a folder of its own, such as --out generated."
        )


def load_or_exit(journeys_dir: Path) -> LoadResult:
    """Load a folder; a missing folder is a usage error (exit 2)."""
    try:
        return load_folder(journeys_dir)
    except JourneysFolderMissing as exc:
        raise click.UsageError(str(exc)) from None


def _review_period(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not is_review_period(value):
        raise click.BadParameter(
            f"{value!r}: give a number of days, weeks or months, like 90d, 12w or 6m"
        )
    return value


#: The default review period of the commands that judge reviews, as the plugin's option.
review_every_option = click.option(
    "--review-every",
    default=DEFAULT_REVIEW_EVERY,
    show_default=True,
    callback=_review_period,
    help="How often a journey without its own review_every must be reviewed: <n>d, <n>w or <n>m.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cjm")
def main() -> None:
    """Customer journey maps as code: validate, render and diff journey maps."""


@main.command()
@journeys_dir_argument
@click.option(
    "--format",
    "output_format",
    type=click.Choice(OUTPUT_FORMATS),
    default="text",
    show_default=True,
    help="text for people, json for tools, github for pull-request annotations.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@review_every_option
def validate(journeys_dir: Path, output_format: str, strict: bool, review_every: str) -> None:
    """Check every journey file in JOURNEYS_DIR (default: journeys).

    Stale and never-reviewed journeys are warnings (as of the build date:
    SOURCE_DATE_EPOCH when set, else today). Exits 0 when the maps are
    valid, 1 when they are not (or, with --strict, have warnings), 2 on bad
    usage.
    """
    result = load_or_exit(journeys_dir)
    diagnostics = sort_diagnostics(
        [*result.diagnostics, *stale_map_warnings(result.files, build_date(), review_every)]
    )
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    summary = f"{record_counts(result)}: {count_summary(errors, warnings)}"
    click.echo(format_report(diagnostics, output_format, summary), nl=False)
    failed = bool(errors) or (strict and bool(warnings))
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("revisions", nargs=-1, metavar="[A] [B]")
@click.option(
    "--journeys-dir",
    default=DEFAULT_JOURNEYS_DIR,
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The journeys folder, relative to the current folder (and so inside the repository).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(DIFF_FORMATS),
    default="markdown",
    show_default=True,
    help="markdown for a pull-request comment, text for a terminal, json for tools.",
)
@click.option("--exit-code", is_flag=True, help="Exit 1 when there are changes, like git diff.")
def diff(
    revisions: tuple[str, ...], journeys_dir: Path, output_format: str, exit_code: bool
) -> None:
    """Show what changed in the journey maps between two revisions.

    A and B are git revisions: A defaults to HEAD, B to the working tree.
    Revisions are read from git objects; nothing is checked out. Given two
    existing folders, compares those instead.

    Exits 0 (1 with --exit-code when there are changes), 2 on bad usage,
    3 when either side is not a valid journey map.
    """
    from .diff import (
        DiffInputError,
        diff_registries,
        format_change_set,
        invalid_side_report,
        load_sides,
    )
    from .diff.sides import shown_in_repository

    try:
        before, after = load_sides(revisions, journeys_dir)
    except DiffInputError as exc:
        raise click.UsageError(str(exc)) from None
    invalid = [side for side in (before, after) if side.result.registry is None]
    for side in invalid:
        click.echo(invalid_side_report(side), err=True, nl=False)
    if invalid or before.result.registry is None or after.result.registry is None:
        sys.exit(3)
    change_set = diff_registries(
        before.result.registry, after.result.registry, before.label, after.label
    )
    if output_format != "json":  # JSON keeps its documented paths, inside the journeys folder
        change_set = shown_in_repository(change_set, before, after)
    click.echo(format_change_set(change_set, output_format, color=True), nl=False)
    sys.exit(1 if exit_code and change_set.changed else 0)


@main.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the schema to this file instead of standard output.",
)
@click.option("--force", is_flag=True, help="Overwrite a file that cjm did not write.")
@click.option(
    "--export", "of_export", is_flag=True, help="The schema of `cjm export --format json` instead."
)
def schema(out: Path | None, force: bool, of_export: bool) -> None:
    """Print the JSON Schema of journey front matter, for editors."""
    document = export_schema() if of_export else front_matter_schema()
    text = json.dumps(document, indent=2, sort_keys=True) + "\n"
    if out is None:
        click.echo(text, nl=False)
        return
    if out.name in RESERVED_NAMES:
        raise click.UsageError(f"--out {out}: the name {out.name} is kept for cjm render")
    try:
        write_generated_file(out, text, force=force)
    except GeneratedFileError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {out}", err=True)


@main.command("export")
@journeys_dir_argument
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "csv"]),
    default="json",
    show_default=True,
    help="json: every record with its page URL; csv: one row a step.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
@click.option("--force", is_flag=True, help="Overwrite a file that cjm did not write.")
def export(journeys_dir: Path, output_format: str, out: Path | None, force: bool) -> None:
    """Export the maps in JOURNEYS_DIR (default: journeys) as JSON or CSV.

    Exits 0 when written, 1 when the maps are invalid or OUT is not cjm's, 2 on bad usage.
    """
    from .export import export_csv, export_json, may_replace

    result = load_or_exit(journeys_dir)
    if result.registry is None:
        summary = (
            f"{record_counts(result)}: {count_summary(len(result.errors), len(result.warnings))}"
        )
        click.echo(format_report(result.diagnostics, "text", summary), nl=False, err=True)
        sys.exit(1)
    if output_format == "json":
        text = export_json(result.registry, DEFAULT_LAYOUT)
    else:
        text = export_csv(result.registry, DEFAULT_LAYOUT)
    if out is None:
        sys.stdout.flush()  # bytes as they are: no newline translation, the BOM kept
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
        return
    try:
        if not force and not may_replace(out, output_format):
            raise GeneratedFileError(
                f"{out} exists and was not written by cjm; use --force to overwrite it"
            )
        write_generated_file(out, text, force=True)
    except GeneratedFileError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}") from None
    click.echo(f"wrote {out}", err=True)


@main.command()
@journeys_dir_argument
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the Markdown pages into.",
)
@click.option("--force", is_flag=True, help="Overwrite files that cjm did not write.")
@click.option(
    "--directory-urls/--no-directory-urls",
    default=True,
    show_default=True,
    help="Links as the site will serve the pages: journeys/x/ (MkDocs' use_directory_urls) "
    "or journeys/x/index.html.",
)
@review_every_option
def render(
    journeys_dir: Path, out: Path, force: bool, directory_urls: bool, review_every: str
) -> None:
    """Write the pages the MkDocs plugin generates, as Markdown files in OUT.

    For other static site generators and for inspection. Each page is HTML with
    the author's Markdown bodies between its blocks, links made for the URLs the
    site will serve the pages at. Pages of records
    that no longer exist are removed; files cjm did not write are never touched.
    OUT must be a folder of its own: not the journeys folder, the project
    folder, the current folder or above it, the home folder or a filesystem root.
    """
    refuse_unsafe_out(out, journeys_dir)
    result = load_or_exit(journeys_dir)
    if result.registry is None:
        summary = (
            f"{record_counts(result)}: {count_summary(len(result.errors), len(result.warnings))}"
        )
        click.echo(format_report(result.diagnostics, "text", summary), nl=False, err=True)
        sys.exit(1)
    layout = UrlLayout(directory_urls=directory_urls)
    try:
        pages = render_site(result.registry, layout, review_every=review_every)
    except DuplicateUrl as exc:
        raise click.ClickException(str(exc)) from None
    for warning in [*result.warnings, *(d for page in pages for d in page.diagnostics)]:
        click.echo(str(warning), err=True)
    try:
        done = write_generated_tree(
            out,
            {page.uri: page.markdown for page in pages},
            mark_line=GENERATED_COMMENT,
            force=force,
        )
    except GeneratedFileError as exc:
        raise click.ClickException(str(exc)) from None
    for relative in done.kept:
        click.echo(f"kept {out / relative}: edited since cjm wrote it", err=True)
    click.echo(f"wrote {len(pages)} pages to {out}", err=True)


@main.command("new")
@click.argument("kind", type=click.Choice(["journey", "persona", "touchpoint"]))
@click.argument("name")
@click.option(
    "--journeys-dir",
    default=DEFAULT_JOURNEYS_DIR,
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The journeys folder; the file goes into its journeys/, personas/ or touchpoints/.",
)
@click.option(
    "--persona",
    "personas",
    multiple=True,
    help="A journey's persona id (or name); required for a journey, may be repeated.",
)
@click.option(
    "--channel",
    type=click.Choice(CHANNELS),
    help="A touchpoint's channel; required for a touchpoint.",
)
def new(
    kind: Kind, name: str, journeys_dir: Path, personas: tuple[str, ...], channel: str | None
) -> None:
    """Write a commented skeleton of a new record named NAME, and print its path.

    KIND is journey, persona or touchpoint. The id is made from NAME
    ("Jane Doe" -> jane-doe). An existing file is never overwritten (exit 1).
    """
    if kind == "journey" and not personas:
        raise click.UsageError(
            "a journey needs --persona ID (create one with: cjm new persona NAME)"
        )
    if kind == "touchpoint" and channel is None:
        raise click.UsageError(f"a touchpoint needs --channel, one of: {', '.join(CHANNELS)}")
    if kind != "journey" and personas:
        raise click.UsageError("--persona is for journeys only")
    if kind != "touchpoint" and channel is not None:
        raise click.UsageError("--channel is for touchpoints only")
    try:
        record = plan_new(journeys_dir, kind, name, persona=list(personas), channel=channel or "")
    except ScaffoldError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        write_new(record)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {record.path}: {exc.strerror or exc}") from None
    click.echo(record.path.as_posix())
    for given, persona in zip(personas, record.personas, strict=True):
        if not (journeys_dir / "personas" / f"{persona}.md").exists():
            click.echo(
                f"note: {(journeys_dir / 'personas' / persona).as_posix()}.md does not exist: "
                f"cjm validate fails until persona '{persona}' does "
                f'(cjm new persona "{given}")',
                err=True,
            )
