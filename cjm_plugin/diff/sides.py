"""The two sides of ``cjm diff``: git revisions, the working tree or two folders."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import escape
from ..diagnostics import Diagnostic
from ..git_revisions import GitError, repository_top, revision_sources
from ..load import JourneysFolderMissing, LoadResult, load_folder, load_sources

WORKING_TREE = "working tree"


class DiffInputError(Exception):
    """The arguments name nothing that can be compared (a usage error)."""


@dataclass(frozen=True)
class DiffSide:
    """One side of a comparison: what it is called and what loading it found."""

    label: str
    result: LoadResult

    @property
    def errors(self) -> list[Diagnostic]:
        return self.result.errors


def _folder_side(folder: Path, label: str) -> tuple[DiffSide, bool]:
    """A folder on disk; a missing one is an empty side (second item: whether it exists)."""
    try:
        return DiffSide(label, load_folder(folder)), True
    except JourneysFolderMissing:
        return DiffSide(label, load_sources([])), False


def _revision_side(repo: Path, revision: str, folder: str) -> tuple[DiffSide, bool]:
    try:
        sources = revision_sources(repo, revision, folder)
    except GitError as exc:
        raise DiffInputError(str(exc)) from None
    if sources is None:
        return DiffSide(revision, load_sources([])), False
    return DiffSide(revision, load_sources(sources)), True


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
            DiffSide(arguments[0], load_folder(Path(arguments[0]))),
            DiffSide(arguments[1], load_folder(Path(arguments[1]))),
        )
    try:
        repo = repository_top(Path.cwd())
    except GitError:
        raise DiffInputError(
            "not inside a git repository: to compare two folders, give two existing folders"
        ) from None
    folder = Path(os.path.abspath(journeys_dir))
    try:
        inside = folder.relative_to(repo.resolve()).as_posix()
    except ValueError:
        try:
            inside = folder.resolve().relative_to(repo.resolve()).as_posix()
        except ValueError:
            raise DiffInputError(
                f"journeys folder {journeys_dir} is outside the git repository {repo}"
            ) from None
    revision_a = arguments[0] if arguments else "HEAD"
    before, found_before = _revision_side(repo, revision_a, inside)
    if len(arguments) == 2:
        after, found_after = _revision_side(repo, arguments[1], inside)
    else:
        after, found_after = _folder_side(journeys_dir, WORKING_TREE)
    if not found_before and not found_after:
        raise DiffInputError(
            f"journeys folder '{inside}' exists in neither {before.label} nor {after.label}; "
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
