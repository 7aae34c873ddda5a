"""What each commit changed in a journey, in the words of ``cjm diff``.

The history of a journey page (:mod:`cjm_plugin.history`) lists commits; this
module turns one commit's two versions of a file into lines such as
``Fills in the form: emotion 2 → 4 (better)``, through the diff core, so the
page and ``cjm diff`` never word a change differently.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .diff.changes import Change
from .diff.describe import describe
from .diff.journeys import journey_changes
from .load import SourceText, parse_file
from .model import Journey

#: Lines of changes a commit shows; past them, one line says how many more.
MAX_CHANGE_LINES = 5
CREATED = "created"
NOT_VALID = "file not valid at this commit"
UNREADABLE = "file not readable from git at this commit"
LINKED = "a symbolic link at this commit"
NO_CHANGE = "no change to the map"


@dataclass(frozen=True)
class Revision:
    """One commit that touched a journey file."""

    commit: str
    """The abbreviated commit hash."""
    date: str
    """The author date, ISO ``YYYY-MM-DD``."""
    author: str
    subject: str
    changes: tuple[str, ...] = ()
    """What the commit changed in the journey, a line each in ``cjm diff``'s words:
    ``created`` for the commit that added the file; at most ``MAX_CHANGE_LINES``
    and a line saying how many more."""


@dataclass(frozen=True)
class Version:
    """One commit's change to one file, as ``git log --raw`` lists it."""

    revision: Revision
    status: str
    """git's status letter: A, M, R (renamed), C (copied), T (type changed) or D."""
    path: str
    """The file's name at that commit."""
    old_path: str
    """Its name before the commit (another one for R and C)."""
    before: str | None
    """The blob id before the commit; ``None`` when the commit added the file."""
    after: str | None
    """The blob id after it; ``None`` when the commit deleted the file."""
    links: tuple[bool, bool] = (False, False)
    """Whether the file was a symbolic link before and after the commit."""


JourneyOf = Callable[[str, str, bool, str], "Journey | str | None"]
"""(blob, name, whether a link, commit) -> the journey a version holds, the line
that says why it holds none, or ``None`` for another kind of record."""


def journey_in(data: bytes, name: str, commit: str) -> Journey | str | None:
    """The journey a version of a file holds, ``NOT_VALID``, or ``None`` for another record."""
    record = parse_file(SourceText(f"{commit}:{name}", name, data)).record
    if record is None:
        return NOT_VALID
    return record if isinstance(record, Journey) else None


def with_changes(revision: Revision, lines: list[str]) -> Revision:
    if len(lines) > MAX_CHANGE_LINES:
        more = len(lines) - MAX_CHANGE_LINES + 1
        lines = [*lines[: MAX_CHANGE_LINES - 1], f"and {more} more changes"]
    return Revision(revision.commit, revision.date, revision.author, revision.subject, tuple(lines))


def change_lines(version: Version, older: Sequence[Version], journey: JourneyOf) -> list[str]:
    """What one commit changed in the journey, in ``cjm diff``'s words.

    A commit after an invalid version is compared with the last valid one.
    """
    commit = version.revision.commit
    if version.after is None:
        return ["deleted"]
    after = journey(version.after, version.path, version.links[1], commit)
    if not isinstance(after, Journey):
        return [] if after is None else [after]
    lines = []
    if version.status in ("R", "C"):
        lines.append(f"{'renamed' if version.status == 'R' else 'copied'} from {version.old_path}")
        if version.before == version.after:
            return lines
    before = None
    if version.before is not None:
        before = journey(version.before, version.old_path, version.links[0], f"{commit}^")
    if isinstance(before, str):
        if before == NOT_VALID:
            lines.append("file valid again")
        before = _last_valid(older, journey)
        if before is None:
            return lines or [CREATED]
    if before is None:
        return [*lines, CREATED]
    changes = journey_changes(before, after)
    if before.id != after.id:
        changes.insert(0, Change("field", field="id", before=before.id, after=after.id))
    lines += [describe(change) for change in changes]
    return lines or [NO_CHANGE]


def _last_valid(older: Sequence[Version], journey: JourneyOf) -> Journey | None:
    """The newest of the older versions that holds a valid journey."""
    for version in older:
        if version.after is not None:
            found = journey(version.after, version.path, version.links[1], version.revision.commit)
            if isinstance(found, Journey):
                return found
    return None
