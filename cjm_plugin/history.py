"""A journey file's revision history, read from git, for the journey page.

Each commit says what it changed in the map, in the words of ``cjm diff``
(``Fills in the form: emotion 2 → 4 (better)``), beside its subject. It
stays cheap on a large site: one ``git log --raw`` lists every commit of the
folder with the blob ids of each file before and after it; the versions a
page shows are read with one ``git cat-file --batch`` when the first page
asks, each parsed once, and each commit's two versions compared by the diff
core. A one-off build asks page by page, in its second process, while MkDocs
converts the pages before; ``mkdocs serve`` keeps what was worked out while
a file's commits stay the same.

Outside a checkout, or where git is missing, the functions return nothing
rather than fail a build: history is a nicety, never a requirement.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

from .diff.changes import Change
from .diff.describe import describe
from .diff.journeys import journey_changes
from .git_revisions import GitError, read_blobs, run_git
from .load import SourceText, collector_paused, parse_file
from .model import Journey

#: Separates fields and commits in ``git log --format`` output: control
#: characters that cannot appear in a name or a one-line subject.
_FIELD = "\x1f"
_COMMIT = "\x1e"
_LOG_FORMAT = f"--format={_COMMIT}%h{_FIELD}%ad{_FIELD}%an{_FIELD}%s"
_LINK_MODE = "120000"

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
class _Version:
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


def _parse_log(text: str) -> list[tuple[Revision, list[tuple[str, ...]]]]:
    """Commits of ``git log --raw -z`` output in our format, each with its file entries.

    An entry is (mode before, mode after, blob before, blob after, status,
    path...), with two paths for a rename or a copy. Read field by field on
    the NUL separators, so a file name may hold any character.
    """
    commits: list[tuple[Revision, list[tuple[str, ...]]]] = []
    fields = text.split("\0")
    index = 0
    while index < len(fields):
        field = fields[index].lstrip("\n")
        index += 1
        if field.startswith(_COMMIT):
            parts = field[1:].split(_FIELD, 3)
            if len(parts) == 4:
                commit, date, author, subject = parts
                commits.append((Revision(commit, date, author, subject), []))
        elif field.startswith(":") and commits:
            raw = field[1:].split(" ")
            paths = 2 if raw[-1][:1] in ("R", "C") else 1
            if len(raw) == 5 and index + paths <= len(fields):
                commits[-1][1].append((*raw, *fields[index : index + paths]))
            index += paths
    return commits


def _versions(
    entries: list[tuple[str, ...]], revision: Revision, present_name: dict[str, str]
) -> Iterator[tuple[str, _Version]]:
    """(present name, version) of each file a commit touched."""
    for old_mode, new_mode, old_blob, new_blob, status, *paths in entries:
        letter = status[:1]
        old_path, path = paths[0], paths[-1]
        name = present_name.get(path, path)
        if letter == "R":
            present_name[old_path] = name
        elif letter == "A":
            present_name.pop(path, None)  # older commits at this path were another file
        version = _Version(
            revision,
            letter,
            path,
            old_path,
            None if letter == "A" else old_blob,
            None if letter == "D" else new_blob,
            (old_mode == _LINK_MODE, new_mode == _LINK_MODE),
        )
        yield name, version


def _read_log(folder: Path, limit: int) -> dict[str, list[_Version]]:
    """Every file's versions under ``folder``, newest first, from one ``git log``."""
    try:
        completed = run_git(
            folder,
            [
                "log",
                "--no-merges",
                "--date=short",
                _LOG_FORMAT,
                "--raw",
                "-M",
                "-z",
                "--relative",
                "--",
                ".",
            ],
        )
    except GitError:
        return {}
    versions: dict[str, list[_Version]] = {}
    #: Older name of a file -> the name it has now, learnt from renames seen so far.
    present_name: dict[str, str] = {}
    for revision, entries in _parse_log(completed.stdout.decode("utf-8", "replace")):
        for name, version in _versions(entries, revision, present_name):
            kept = versions.setdefault(name, [])
            if len(kept) < limit and (not kept or kept[-1].revision != revision):
                kept.append(version)
    return dict(sorted(versions.items()))


JourneyOf = Callable[[str, str, bool, str], "Journey | str | None"]
"""(blob, name, whether a link, commit) -> the journey a version holds, the line
that says why it holds none, or ``None`` for another kind of record."""

Described = Mapping[tuple[_Version, ...], tuple[Revision, ...]]
"""What was worked out for a file, by its versions: kept across ``mkdocs serve`` rebuilds."""


class FolderHistory(Mapping[str, Sequence[Revision]]):
    """The revisions of every file under a folder, by path, newest first.

    What each commit changed is worked out when a file's revisions are first
    asked for: the blobs of every file :meth:`select` names are read then,
    with one ``git cat-file --batch``.
    """

    def __init__(
        self, folder: Path, versions: dict[str, list[_Version]], known: Described | None = None
    ) -> None:
        self._folder = folder
        self._versions = versions
        self._known = known or {}
        self._described: dict[str, tuple[Revision, ...]] = {}
        self._wanted: set[str] = set()
        self._blobs: dict[str, bytes | None] = {}
        self._uses: Counter[str] = Counter()
        """How many versions of files not yet described need each blob read."""

    def __getitem__(self, path: str) -> Revisions:
        return Revisions(self, path, tuple(self._versions[path]))

    def revisions(self, path: str) -> tuple[Revision, ...]:
        """The revisions of the file at ``path``, with what each commit changed in it."""
        found = self._described.get(path)
        if found is None:
            versions = self._versions[path]
            found = self._known.get(tuple(versions))
            if found is None:
                with collector_paused():  # as when the maps load: many objects, no cycles
                    found = self._describe(path, versions)
            self._described[path] = found
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._versions)

    def __len__(self) -> int:
        return len(self._versions)

    def described(self) -> dict[tuple[_Version, ...], tuple[Revision, ...]]:
        """What was worked out so far, by versions, for the next history of the folder."""
        return {tuple(self._versions[path]): found for path, found in self._described.items()}

    def select(self, paths: Mapping[str, str]) -> Mapping[str, Sequence[Revision]]:
        """The revisions of ``{name: path}`` (journey ids and their files), by name.

        Names whose file has no history are left out; the blobs of the others
        are read together when the first is asked for.
        """
        present = {name: path for name, path in paths.items() if path in self._versions}
        self._wanted.update(present.values())
        return _Selected(self, present)

    def _blob(self, blob: str, path: str) -> bytes | None:
        """A blob's bytes; the first call reads those of every selected file at once."""
        if blob not in self._blobs:
            wanted = self._wanted - self._described.keys() | {path}
            names = [
                name
                for wanted_path in sorted(wanted)
                for version in self._versions[wanted_path]
                for name in (version.before, version.after)
                if name is not None and name not in self._blobs
            ]
            self._uses.update(names)
            try:
                self._blobs.update(read_blobs(self._folder, names))
            except GitError:
                self._blobs.update(dict.fromkeys(names))
        return self._blobs.get(blob)

    def _describe(self, path: str, versions: list[_Version]) -> tuple[Revision, ...]:
        parsed: dict[tuple[str, str], Journey | str | None] = {}

        def journey(blob: str, name: str, link: bool, commit: str) -> Journey | str | None:
            """The journey a version holds, why it holds none (a line), or ``None``
            for another kind of record."""
            if link:
                return LINKED
            key = (blob, name)
            if key not in parsed:
                data = self._blob(blob, path)
                parsed[key] = UNREADABLE if data is None else _journey_in(data, name, commit)
            return parsed[key]

        revisions = []
        for index, version in enumerate(versions):
            lines = _lines(version, versions[index + 1 :], journey)
            revisions.append(_with_changes(version.revision, lines))
        # This file's blobs are parsed: keep only those other files still need.
        for version in versions:
            for blob in (version.before, version.after):
                if blob is not None and blob in self._uses:
                    self._uses[blob] -= 1
                    if self._uses[blob] <= 0:
                        del self._uses[blob]
                        self._blobs.pop(blob, None)
        return tuple(revisions)


def _journey_in(data: bytes, name: str, commit: str) -> Journey | str | None:
    """The journey a version of a file holds, ``NOT_VALID``, or ``None`` for another record."""
    record = parse_file(SourceText(f"{commit}:{name}", name, data)).record
    if record is None:
        return NOT_VALID
    return record if isinstance(record, Journey) else None


class Revisions(Sequence[Revision]):
    """A file's revisions, worked out when first read.

    Equal to another's with the same commits and versions without working
    either out, so that ``mkdocs serve``'s page cache can tell a journey page
    unchanged cheaply, and a page rendered in another process works it out there.
    """

    def __init__(self, history: FolderHistory, path: str, versions: tuple[_Version, ...]) -> None:
        self._history = history
        self._path = path
        self.versions = versions

    @overload
    def __getitem__(self, index: int) -> Revision: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Revision, ...]: ...

    def __getitem__(self, index: int | slice) -> Revision | tuple[Revision, ...]:
        return self._history.revisions(self._path)[index]

    def __iter__(self) -> Iterator[Revision]:
        return iter(self._history.revisions(self._path))

    def __len__(self) -> int:
        return len(self.versions)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Revisions):
            return self.versions == other.versions
        if isinstance(other, Sequence):
            return self._history.revisions(self._path) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.versions)

    def __repr__(self) -> str:
        return f"Revisions({self._history.revisions(self._path)!r})"


class _Selected(Mapping[str, Sequence[Revision]]):
    """A :class:`FolderHistory` seen through other names."""

    def __init__(self, history: FolderHistory, paths: dict[str, str]) -> None:
        self._history = history
        self._paths = paths

    def __getitem__(self, name: str) -> Revisions:
        return self._history[self._paths[name]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


def _with_changes(revision: Revision, lines: list[str]) -> Revision:
    if len(lines) > MAX_CHANGE_LINES:
        more = len(lines) - MAX_CHANGE_LINES + 1
        lines = [*lines[: MAX_CHANGE_LINES - 1], f"and {more} more changes"]
    return Revision(revision.commit, revision.date, revision.author, revision.subject, tuple(lines))


def _lines(version: _Version, older: Sequence[_Version], journey: JourneyOf) -> list[str]:
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


def _last_valid(older: Sequence[_Version], journey: JourneyOf) -> Journey | None:
    """The newest of the older versions that holds a valid journey."""
    for version in older:
        if version.after is not None:
            found = journey(version.after, version.path, version.links[1], version.revision.commit)
            if isinstance(found, Journey):
                return found
    return None


def file_histories(folder: Path, limit: int = 20) -> dict[str, tuple[Revision, ...]]:
    """The history of every file under ``folder``, with what each commit changed.

    Keys are paths relative to ``folder`` with ``/`` separators, as
    ``SourceFile.relative_path`` has them; files without history are absent.
    Renames are followed: commits before a rename are filed under the
    file's present name; merge commits are left out. Returns ``{}`` outside a git
    checkout or when git is missing. One ``git log``, and one ``git cat-file``.
    """
    history = FolderHistory(folder, _read_log(folder, limit))
    history.select({path: path for path in history})
    return {path: history.revisions(path) for path in history}


class HistoryCache:
    """The folder's history, kept while its repository's HEAD stays put.

    ``git log`` over a long history takes a while, and during ``mkdocs serve``
    a journey's history changes only when a commit moves HEAD: a commit, an
    amend, a checkout or a reset. ``git rev-parse HEAD`` (a few milliseconds)
    tells before every rebuild; ``git log`` runs again only when HEAD moved,
    or when git cannot tell (outside a repository, before its first commit).
    When it does, a file whose commits are the same as before keeps what was
    worked out about them: a new commit costs the files it touched.
    """

    def __init__(self) -> None:
        self._key: tuple[str, str, int] | None = None
        self._history = FolderHistory(Path(), {})

    def histories(self, folder: Path, limit: int = 20) -> FolderHistory:
        """The folder's :class:`FolderHistory`, the last one while HEAD has not moved."""
        try:
            head = run_git(folder, ["rev-parse", "HEAD"]).stdout.decode("utf-8", "replace")
        except GitError:
            self._key = None
            self._history = FolderHistory(folder, _read_log(folder, limit))
            return self._history
        key = (str(folder), head.strip(), limit)
        if key != self._key:
            known = self._history.described() if self._key is not None else None
            self._history = FolderHistory(folder, _read_log(folder, limit), known)
            self._key = key
        return self._history
