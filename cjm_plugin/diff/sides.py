"""The two sides of ``cjm diff``: git revisions, the working tree or two folders."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .. import escape
from ..diagnostics import Diagnostic
from ..git_revisions import GitError, repository_top, revision_sources
from ..load import JourneysFolderMissing, LoadResult, load_folder, load_sources
from .changes import ChangeSet

WORKING_TREE = "working tree"


class DiffInputError(Exception):
    """The arguments name nothing that can be compared (a usage error)."""


@dataclass(frozen=True)
class DiffSide:
    """One side of a comparison: what it is called and what loading it found."""

    label: str
    result: LoadResult
    folder: str = ""
    """Where its files are, as a reviewer sees them: the journeys folder relative
    to the repository top (``docs/maps``), or the folder compared, as given."""

    @property
    def errors(self) -> list[Diagnostic]:
        return self.result.errors


def _folder_side(folder: Path, label: str, shown: str) -> tuple[DiffSide, bool]:
    """A folder on disk; a missing one is an empty side (second item: whether it exists)."""
    try:
        return DiffSide(label, load_folder(folder), shown), True
    except JourneysFolderMissing:
        return DiffSide(label, load_sources([]), shown), False


def _revision_side(repo: Path, revision: str, folder: str) -> tuple[DiffSide, bool]:
    try:
        sources = revision_sources(repo, revision, folder)
    except GitError as exc:
        raise DiffInputError(str(exc)) from None
    if sources is None:
        return DiffSide(revision, load_sources([]), folder), False
    return DiffSide(revision, load_sources(sources), folder), True


def _shown_folder(folder: str) -> str:
    folder = posixpath.normpath(folder)
    return "" if folder == "." else folder


def shown_in_repository(change_set: ChangeSet, before: DiffSide, after: DiffSide) -> ChangeSet:
    """The change set with each record's path as a reviewer sees it in the repository.

    A record's own path is inside the journeys folder; a pull request shows
    ``docs/maps/journeys/x.md``. A removed record is where the before side had it.
    """
    records = tuple(
        replace(
            record,
            path=posixpath.join(
                before.folder if record.status == "removed" else after.folder, record.path
            ),
        )
        for record in change_set.records
    )
    return replace(change_set, records=records)


def load_sides(arguments: Sequence[str], journeys_dir: Path) -> tuple[DiffSide, DiffSide]:
    """What ``cjm diff [A] [B]`` compares.

    Two existing directories are compared as folders. Otherwise the arguments
    are git revisions (A defaults to ``HEAD``, B to the working tree) and
    ``journeys_dir`` (relative to the current folder) is read from each. A
    folder missing from one side makes that side empty; missing from both is
    a usage error, since it is most likely a mistyped ``--journeys-dir``.
    """
    if len(arguments) > 2:
        raise DiffInputError("give at most two revisions or two folders")
    if len(arguments) == 2 and all(Path(a).is_dir() for a in arguments):
        return (
            DiffSide(arguments[0], load_folder(Path(arguments[0])), _shown_folder(arguments[0])),
            DiffSide(arguments[1], load_folder(Path(arguments[1])), _shown_folder(arguments[1])),
        )
    try:
        repo = repository_top(Path.cwd())
    except GitError:
        raise DiffInputError(
            "not inside a git repository: to compare two folders, give two existing folders"
        ) from None
    folder = Path(os.path.abspath(journeys_dir))
    try:
        inside = _shown_folder(folder.relative_to(repo.resolve()).as_posix())
    except ValueError:
        try:
            inside = _shown_folder(folder.resolve().relative_to(repo.resolve()).as_posix())
        except ValueError:
            raise DiffInputError(
                f"journeys folder {journeys_dir} is outside the git repository {repo}"
            ) from None
    revision_a = arguments[0] if arguments else "HEAD"
    before, found_before = _revision_side(repo, revision_a, inside)
    if len(arguments) == 2:
        after, found_after = _revision_side(repo, arguments[1], inside)
    else:
        after, found_after = _folder_side(journeys_dir, WORKING_TREE, _shown_folder(inside))
    if not found_before and not found_after:
        raise DiffInputError(
            f"journeys folder '{inside or '.'}' exists in neither {before.label} nor {after.label}; "
            "use --journeys-dir to name it"
        )
    return before, after


def invalid_side_report(side: DiffSide) -> str:
    """Why a side cannot be compared: its name, then each error as FILE:LINE:COL."""
    count = len(side.errors)
    lines = [
        f"cjm diff: {escape.terminal_text(side.label)} is not a valid journey map ({count} error"
        f"{'' if count == 1 else 's'}):"
    ]
    lines += [str(d) for d in side.errors]
    return "\n".join(lines) + "\n"
