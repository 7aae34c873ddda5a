"""A journey file's revision history, read from git, for the journey page.

Each commit says what it changed in the map, in the words of ``cjm diff``
(``Fills in the form: emotion 2 → 4 (better)``), beside its subject. It
stays cheap on a large site: one ``git log --raw`` lists every commit of the
folder with the blob ids of each file before and after it; the versions the
pages show are read with one ``git cat-file --batch`` for every hundred
files, as the pages ask, each parsed once, and each commit's two versions compared by the diff
core. A one-off build asks page by page, in its second process, while MkDocs
converts the pages before; ``mkdocs serve`` keeps what was worked out while
a file's commits stay the same.

Outside a checkout, or where git is missing, the functions return nothing
rather than fail a build: history is a nicety, never a requirement.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from .git_revisions import GitError, read_blobs, run_git
from .history_changes import (
    LINKED,
    MAX_CHANGE_LINES,
    UNREADABLE,
    Revision,
    Version,
    change_lines,
    journey_in,
    with_changes,
)
from .load import collector_paused
from .model import Journey

__all__ = [
    "MAX_CHANGE_LINES",
    "FolderHistory",
    "HistoryCache",
    "Revision",
    "file_histories",
]

#: Separates fields and commits in ``git log --format`` output: control
#: characters that cannot appear in a name or a one-line subject.
_FIELD = "\x1f"
_COMMIT = "\x1e"
_LOG_FORMAT = f"--format={_COMMIT}%h{_FIELD}%ad{_FIELD}%an{_FIELD}%s"
_LINK_MODE = "120000"

#: Files whose versions one ``git cat-file`` reads: a few hundred kilobytes, not
#: the whole folder's history at once.
FILES_A_READ = 100


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
) -> Iterator[tuple[str, Version]]:
    """(present name, version) of each file a commit touched."""
    for old_mode, new_mode, old_blob, new_blob, status, *paths in entries:
        letter = status[:1]
        old_path, path = paths[0], paths[-1]
        name = present_name.get(path, path)
        if letter == "R":
            present_name[old_path] = name
        elif letter == "A":
            present_name.pop(path, None)  # older commits at this path were another file
        version = Version(
            revision,
            letter,
            path,
            old_path,
            None if letter == "A" else old_blob,
            None if letter == "D" else new_blob,
            (old_mode == _LINK_MODE, new_mode == _LINK_MODE),
        )
        yield name, version


def _read_log(folder: Path, limit: int) -> dict[str, list[Version]]:
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
    versions: dict[str, list[Version]] = {}
    #: Older name of a file -> the name it has now, learnt from renames seen so far.
    present_name: dict[str, str] = {}
    for revision, entries in _parse_log(completed.stdout.decode("utf-8", "replace")):
        for name, version in _versions(entries, revision, present_name):
            kept = versions.setdefault(name, [])
            if len(kept) < limit and (not kept or kept[-1].revision != revision):
                kept.append(version)
    return dict(sorted(versions.items()))


Described = Mapping[tuple[Version, ...], tuple[Revision, ...]]
"""What was worked out for a file, by its versions: kept across ``mkdocs serve`` rebuilds."""


class FolderHistory(Mapping[str, Sequence[Revision]]):
    """The revisions of every file under a folder, by path, newest first.

    What each commit changed is worked out when a file's revisions are first
    asked for: the blobs of that file and of the next files :meth:`select`
    names are read then, ``FILES_A_READ`` files with one ``git cat-file --batch``.
    """

    def __init__(
        self, folder: Path, versions: dict[str, list[Version]], known: Described | None = None
    ) -> None:
        self._folder = folder
        self._versions = versions
        self._known = known or {}
        self._described: dict[str, tuple[Revision, ...]] = {}
        self._wanted: dict[str, None] = {}
        """Files :meth:`select` named, in the order their pages come."""
        self._read: set[str] = set()
        """Files whose blobs were read."""
        self._blobs: dict[str, bytes | None] = {}
        self._uses: Counter[str] = Counter()
        """How many versions of files not yet described need each blob read."""

    def __getitem__(self, path: str) -> tuple[Revision, ...]:
        return self.revisions(path)

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

    def described(self) -> dict[tuple[Version, ...], tuple[Revision, ...]]:
        """What was worked out so far, by versions, for the next history of the folder."""
        return {tuple(self._versions[path]): found for path, found in self._described.items()}

    def select(self, paths: Mapping[str, str]) -> Mapping[str, Sequence[Revision]]:
        """The revisions of ``{name: path}`` (journey ids and their files), by name.

        Names whose file has no history are left out; the blobs of the others
        are read ``FILES_A_READ`` files at a time, in this order, as they are asked for.
        """
        present = {name: path for name, path in paths.items() if path in self._versions}
        self._wanted.update(dict.fromkeys(present.values()))
        return _Selected(self, present)

    def _blob(self, blob: str, path: str) -> bytes | None:
        """A blob's bytes; a miss reads those of ``path`` and the next files selected."""
        if blob not in self._blobs:
            self._read.add(path)
            unread = (other for other in self._wanted if other not in self._read)
            paths = [path, *itertools.islice(unread, FILES_A_READ - 1)]
            self._read.update(paths)
            names = [
                name
                for wanted_path in paths
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

    def _describe(self, path: str, versions: list[Version]) -> tuple[Revision, ...]:
        parsed: dict[tuple[str, str], Journey | str | None] = {}

        def journey(blob: str, name: str, link: bool, commit: str) -> Journey | str | None:
            """The journey a version holds, why it holds none (a line), or ``None``
            for another kind of record."""
            if link:
                return LINKED
            key = (blob, name)
            if key not in parsed:
                data = self._blob(blob, path)
                parsed[key] = UNREADABLE if data is None else journey_in(data, name, commit)
            return parsed[key]

        revisions = []
        for index, version in enumerate(versions):
            lines = change_lines(version, versions[index + 1 :], journey)
            revisions.append(with_changes(version.revision, lines))
        # This file's blobs are parsed: keep only those other files still need.
        for version in versions:
            for blob in (version.before, version.after):
                if blob is not None and blob in self._uses:
                    self._uses[blob] -= 1
                    if self._uses[blob] <= 0:
                        del self._uses[blob]
                        self._blobs.pop(blob, None)
        return tuple(revisions)


class _Selected(Mapping[str, Sequence[Revision]]):
    """A :class:`FolderHistory` seen through other names."""

    def __init__(self, history: FolderHistory, paths: dict[str, str]) -> None:
        self._history = history
        self._paths = paths

    def __getitem__(self, name: str) -> tuple[Revision, ...]:
        return self._history.revisions(self._paths[name])

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


def file_histories(folder: Path, limit: int = 20) -> dict[str, tuple[Revision, ...]]:
    """The history of every file under ``folder``, with what each commit changed.

    Keys are paths relative to ``folder`` with ``/`` separators, as
    ``SourceFile.relative_path`` has them; files without history are absent.
    Renames are followed: commits before a rename are filed under the
    file's present name; merge commits are left out. Returns ``{}`` outside a git
    checkout or when git is missing. One ``git log``, and one ``git cat-file``
    for every ``FILES_A_READ`` files.
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
