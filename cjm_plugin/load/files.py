"""Journey files as bytes: listing the folder, reading each file safely, its name.

Files are read only inside the journeys folder: a symbolic link is followed
while it stays there (the same way for a working tree and a git revision, see
:func:`resolve_link`), and a link leading out is an error, not a read. Each
read is capped (:data:`~.limits.MAX_FILE_BYTES`), a file that vanished since
the folder was listed is simply not there, and during ``mkdocs serve`` a file
whose ``stat`` is unchanged is not read again (:func:`read_folder`).
"""

from __future__ import annotations

import errno
import os
import re
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import diagnostics as diag
from ..diagnostics import Diagnostic
from .limits import MAX_FILE_BYTES, MAX_LINK_HOPS


@dataclass(frozen=True)
class SourceText:
    """A journey file's raw bytes and names, from disk or from a git revision."""

    path: str
    """The path shown in messages."""
    relative_path: str
    """The path inside the journeys folder, with ``/`` separators."""
    data: bytes
    problem: Diagnostic | None = None
    """Why the file was not read (a link leading out, no permission): its one diagnostic."""


class JourneysFolderMissing(FileNotFoundError):
    """The configured journeys folder does not exist."""


def display_path(path: Path) -> str:
    """A path as users typed it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path.as_posix()
    if relative.startswith(".."):
        return path.as_posix()
    return Path(relative).as_posix()


def _journey_entries(folder: Path, suffixes: tuple[str, ...]) -> list[tuple[str, bool]]:
    """Every file below the folder named with one of ``suffixes``: a ``/`` path inside it, and if it is a link.

    ``os.scandir`` rather than ``Path.rglob``: a folder of thousands of maps is
    listed on every ``mkdocs serve`` rebuild, and the kind of each entry comes
    with the listing. Symlinked folders are not followed (a git revision has
    no folder behind such a link either), a folder that cannot be listed is
    skipped (as ``os.walk`` does); hidden ones are skipped; the order is stable.
    """
    found: list[tuple[str, bool]] = []
    pending = [("", os.fspath(folder))]
    while pending:
        prefix, directory = pending.pop()
        try:
            with os.scandir(directory) as entries:
                for entry in entries:
                    name = entry.name
                    if name.startswith("."):
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        pending.append((prefix + name + "/", entry.path))
                    elif name.endswith(suffixes):
                        if entry.is_file(follow_symlinks=False):
                            found.append((prefix + name, False))
                        elif entry.is_symlink():
                            found.append((prefix + name, True))
        except OSError:
            continue
    return sorted(found)


def find_journey_files(folder: Path) -> list[Path]:
    """Every ``*.md`` below the folder (links too), hidden folders skipped, in a stable order."""
    return [folder / name for name, _ in _journey_entries(folder, (".md",))]


def resolve_link(relative_path: str, read_link: Callable[[str], str | None]) -> str | None:
    """Where a path inside the journeys folder leads through its symbolic links.

    ``read_link`` gives the target of a path inside the folder when it is a
    link, else ``None``: ``os.readlink`` for a working tree, the link's blob
    for a git revision, so both resolve a link the same way. ``None`` when a
    link leads outside the folder (an absolute target, or ``..`` above the
    folder, even on the way back in), to a hidden path, or round in a loop.
    The path returned (``/``-separated, inside the folder) need not exist.
    """
    pending = relative_path.split("/")[::-1]
    resolved: list[str] = []
    hops = 0
    while pending:
        part = pending.pop()
        if part in ("", "."):
            continue
        if part == "..":
            if not resolved:
                return None
            resolved.pop()
            continue
        if part.startswith("."):
            return None
        target = read_link("/".join([*resolved, part]))
        if target is None:
            resolved.append(part)
            continue
        hops += 1
        absolute = target.startswith(("/", "\\")) or target[1:2] == ":"  # or a Windows drive
        if hops > MAX_LINK_HOPS or not target or absolute:
            return None
        pending.extend(target.replace("\\", "/").split("/")[::-1])
    return "/".join(resolved)


def refused_link(path: str, relative_path: str, target: str | None) -> SourceText:
    """A link that leads outside the journeys folder: not read, one error naming it."""
    shown = "" if target is None else f" to {target[:80]!r}"
    return SourceText(
        path,
        relative_path,
        b"",
        diag.error(
            path,
            1,
            1,
            "symlink-outside",
            f"symbolic link{shown} leads outside the journeys folder (or to a hidden "
            "file, or round in a loop); only links to files inside it are followed",
        ),
    )


#: A file changed this little before its ``stat`` may change again within the
#: same tick of a coarse file-system clock, unseen by a second ``stat``.
_RACY_NS = 2_000_000_000


@dataclass(frozen=True)
class Snapshot:
    """A file as last read, with the ``stat`` that says whether it is still so."""

    stat: tuple[int, ...]
    source: SourceText
    settled: bool
    """Whether it was last changed well before that ``stat`` (see ``_RACY_NS``)."""


def _stat_signature(status: os.stat_result) -> tuple[int, ...]:
    """What changes whenever a file's content does: ``ctime`` cannot be set back."""
    return (
        status.st_mtime_ns,
        status.st_ctime_ns,
        status.st_size,
        status.st_ino,
        status.st_dev,
    )


def read_folder(
    folder: Path,
    snapshots: dict[str, Snapshot] | None,
    suffixes: tuple[str, ...],
) -> list[SourceText]:
    """Read every file of a folder that a source claims (size cap applied later).

    ``suffixes`` are the ends of the names read: those the registered sources
    claim (:func:`~.sources.claimed_suffixes`), which the caller asks for.

    With ``snapshots`` (the files as last read, by path; updated in place), a
    file whose ``stat`` is what it was is not read again, as git does with
    its index: only when that ``stat`` was taken well after the file's last
    change, since a change within the same clock tick leaves ``stat`` alike.
    A file that is gone by the time it is read (renamed or deleted since the
    folder was listed) is not there; a link is read as its target while that
    lies inside the folder (:func:`resolve_link`), else refused.
    """
    if not folder.is_dir():
        raise JourneysFolderMissing(f"journeys folder not found: {display_path(folder)}")
    shown = display_path(folder)
    prefix = "" if shown == "." else shown.rstrip("/") + "/"
    sources = []
    root = os.fspath(folder)
    seen: dict[str, Snapshot] = {}
    for name, is_link in _journey_entries(folder, suffixes):
        path = os.path.join(root, name)
        source: SourceText | None
        if is_link:
            source = _linked_source(root, prefix + name, name)
        elif snapshots is None:
            source = _read_source(path, prefix + name, name)
        else:
            now = time.time_ns()
            try:
                status = os.stat(path, follow_symlinks=False)
            except OSError as exc:
                if exc.errno not in _GONE:
                    source = _read_source(path, prefix + name, name)  # says why it is unreadable
                    sources.extend([source] if source is not None else [])
                continue
            signature = _stat_signature(status)
            last = snapshots.get(path)
            if (
                last is not None
                and last.settled
                and last.stat == signature
                and last.source.path == prefix + name
            ):
                source = last.source
            else:
                source = _read_source(path, prefix + name, name)
            if source is not None and source.problem is None:
                settled = max(status.st_mtime_ns, status.st_ctime_ns) + _RACY_NS < now
                seen[path] = Snapshot(signature, source, settled)
        if source is not None:
            sources.append(source)
    if snapshots is not None:
        snapshots.clear()  # files gone or renamed are forgotten
        snapshots.update(seen)
    return sources


#: ``errno`` of a file that is not there any more: gone, a folder on its path
#: gone, or replaced by a link (``O_NOFOLLOW``; FreeBSD says ``EMLINK``).
_GONE = frozenset({errno.ENOENT, errno.ENOTDIR, errno.ELOOP, errno.EMLINK})
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NOFOLLOW", 0)  # a link is followed by resolve_link only
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO must not block the build: it is no file
)


def _read_source(path: str, shown: str, relative_path: str) -> SourceText | None:
    """One file as a source; ``None`` when it is gone or no regular file."""
    try:
        data = _read_capped(path)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return SourceText(
            shown,
            relative_path,
            b"",
            diag.error(shown, 1, 1, "unreadable", f"cannot read the file: {reason}"),
        )
    return None if data is None else SourceText(shown, relative_path, data)


def _linked_source(root: str, shown: str, relative_path: str) -> SourceText | None:
    """A link read as its target inside the folder, or refused when it leads out."""

    def read_link(inside: str) -> str | None:
        try:
            return os.readlink(os.path.join(root, inside))
        except OSError:  # not a link, or not there: resolved (or found missing) as a path
            return None

    target = resolve_link(relative_path, read_link)
    if target is None:
        return refused_link(shown, relative_path, read_link(relative_path))
    return _read_source(os.path.join(root, target), shown, relative_path)


def _read_capped(path: str) -> bytes | None:
    """A file's bytes, at most one past the size cap (so an oversized file is seen).

    ``None`` when it is gone or no regular file (a folder, a FIFO, a link).
    Sized by ``fstat``: reading up to the cap at once would allocate a
    megabyte for every file. A file that grows meanwhile is read to its end.
    """
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno in _GONE:
            return None
        raise
    with open(descriptor, "rb", buffering=0) as handle:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            return None
        data = handle.read(min(status.st_size, MAX_FILE_BYTES) + 1)
        while len(data) <= MAX_FILE_BYTES:
            more = handle.read(MAX_FILE_BYTES + 1 - len(data))
            if not more:
                break
            data += more
    return data


#: Characters no file name in the journeys folder may hold: quotes and angle
#: brackets end an HTML attribute or a tag built from a path (the edit link),
#: a backslash is a folder separator on Windows, control characters (and line
#: separators) forge lines in a log, and lone surrogates stand for bytes that
#: are not UTF-8.
_UNSAFE_FILE_NAME_RE = re.compile(r"[\"'`<>\\\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def file_name_problem(source: SourceText) -> Diagnostic | None:
    """An error when the file's path inside the journeys folder could never be a page's."""
    found = _UNSAFE_FILE_NAME_RE.search(source.relative_path)
    if found is None:
        return None
    character = found.group()
    shown = repr(character) if character.isprintable() else f"U+{ord(character):04X}"
    return diag.error(
        source.path,
        1,
        1,
        "file-name",
        f"file name holds {shown}: quotes, backquotes, '<', '>', backslashes and control "
        "characters are not allowed in the names of files and folders of journey maps; "
        "rename it",
    )
