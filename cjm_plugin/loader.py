"""Journey files -> validated records, every value traced to its FILE:LINE:COL.

Front matter is parsed by us, not by ``mkdocs.utils.meta`` (which swallows
bad YAML): libyaml composes the node tree, and one walk over it builds plain
values while recording where each came from. The walk refuses what a journey
map never needs and an attacker would love: anchors and aliases (so an alias
bomb is answered at once instead of expanded), language-specific tags,
duplicate keys, nesting deeper than any map needs (checked while composing,
so the tree is never built that deep), numbers too long to show as written
and YAML 1.1 base-60 numbers (``1:30`` is 90, and ``1:1:...:1`` an integer
that takes seconds to build).

Files are read only inside the journeys folder: a symbolic link is followed
while it stays there (the same way for a working tree and a git revision, see
:func:`resolve_link`), and a link leading out is an error, not a read.
"""

from __future__ import annotations

import codecs
import difflib
import errno
import functools
import gc
import itertools
import math
import os
import re
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from . import diagnostics as diag
from .bodies import body_warnings
from .diagnostics import Diagnostic
from .model import (
    MAX_PERSONAS_BEFORE_WARNING,
    MAX_STEPS_PER_JOURNEY,
    RECORD_TYPES,
    RESERVED_NAMES,
    Action,
    AnyRecord,
    InlineTouchpoint,
    Journey,
    Metric,
    Persona,
    SourceFile,
    Stage,
    Step,
    Touchpoint,
    is_slug,
)
from .parallel import map_jobs
from .registry import Registry

#: Largest journey file read: a map of a few hundred steps is well under it.
MAX_FILE_BYTES = 1_048_576
#: Deepest front matter read, counting the top mapping as level 1: a journey
#: reaches 7 (stages, a stage, steps, a step, a list in it, its items).
MAX_NESTING = 50
#: Most values (keys, items, texts, numbers) in one front matter: a journey
#: of 500 steps, each with a few lists, has 20,000 to 40,000. Reading costs
#: a few microseconds a value, so a 1 MiB file of tiny values stays quick.
MAX_VALUES = 100_000
#: Problems listed for one file: past these, one more message says so. Nobody
#: reads further, and each costs time (a "did you mean" hint compares words).
MAX_PROBLEMS_PER_FILE = 100
#: Longest number read, in digits: more than a number a map shows needs, and
#: short enough that every one is shown in full (``int`` refuses 4,300 digits).
MAX_NUMBER_DIGITS = 30
#: Links followed from one file before giving up: a loop never ends.
MAX_LINK_HOPS = 40

_LIBYAML_LOADER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: The tag of a plain scalar depends on its text alone: resolved once per text.
_resolve_tag = functools.lru_cache(maxsize=8192)(yaml.resolver.Resolver().resolve)
assert not yaml.resolver.Resolver.yaml_path_resolvers, "path resolvers would depend on the node"


class _TooBig(Exception):
    """The front matter nests deeper than ``MAX_NESTING`` or holds more than ``MAX_VALUES``.

    Carries the collection being composed when the limit was reached.
    """

    def __init__(self, node: yaml.Node | None, too_deep: bool) -> None:
        super().__init__("nested too deep" if too_deep else "too many values")
        self.node = node
        self.too_deep = too_deep


class _Loader(_LIBYAML_LOADER):  # type: ignore[misc]
    """libyaml's safe loader, with the tag of each node resolved through a cache.

    libyaml parses in C but asks Python for every node's tag: a regular
    expression or two per scalar, a fifth of the time of reading a folder of
    maps whose keys and ids repeat from file to file. Without path resolvers
    (none are registered) the descend/ascend bookkeeping has nothing to do,
    so it counts nodes instead, before each is composed: the composer recurses
    once a level (in C or in Python) and stops at ``MAX_NESTING`` instead of
    500 levels down, and a file of tiny values stops at ``MAX_VALUES``.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        # Counted in a closure, called as a plain function from the instance:
        # a third of the cost of counting in attributes, on every node.
        depth = values = 0

        def descend_resolver(current_node: yaml.Node | None, current_index: Any) -> None:
            nonlocal depth, values
            depth += 1
            values += 1
            if depth > MAX_NESTING or values > MAX_VALUES:
                raise _TooBig(current_node, depth > MAX_NESTING)

        def ascend_resolver() -> None:
            nonlocal depth
            depth -= 1

        self.descend_resolver = descend_resolver
        self.ascend_resolver = ascend_resolver

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return _resolve_tag(kind, value, implicit)  # type: ignore[no-any-return]


_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}
_STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_NUMBER_TAGS = frozenset({_INT_TAG, _FLOAT_TAG})
#: What libyaml says past its own limit of 1,000 nested flow collections.
_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"
_TOO_DEEP = (
    f"lists and mappings nest more than {MAX_NESTING} levels deep here; "
    "a journey map needs fewer than 10"
)
_SCALAR_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_FENCE_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_OPEN_RE = re.compile(r"---[ \t]*(?:\n|$)")

Loc = tuple[str | int, ...]
Position = tuple[int, int]


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


@dataclass
class Locator:
    """Where each value and key of one file's front matter stands."""

    path: str
    values: dict[Loc, Position] = field(default_factory=dict)
    keys: dict[Loc, Position] = field(default_factory=dict)
    source: SourceText | None = field(default=None, repr=False)
    """Set while the positions are not read yet: they are, on the first question."""
    composed: tuple[yaml.Node, int] | None = field(default=None, repr=False)
    """The node tree and first line of the front matter, while the file is being
    validated: positions asked for meanwhile are read from it, not parsed again."""

    @classmethod
    def deferred(cls, source: SourceText) -> Locator:
        """A locator that reads its file again only if a message needs a position.

        Positions are most of a parsed file's memory, and once a file has been
        checked on its own only a cross-file problem (an unknown id) needs them.
        """
        return cls(source.path, source=source)

    def _read(self) -> None:
        if self.source is not None:
            source, self.source = self.source, None
            # A file that does not parse has no positions; its own diagnostics say why.
            with suppress(_Refused):
                if self.composed is not None:
                    node, first_line = self.composed
                    _front_matter_values(source, node, first_line, self)
                else:
                    parse_front_matter(source, self)

    def has_value(self, loc: Loc) -> bool:
        """Whether the front matter writes a value at ``loc``."""
        self._read()
        return loc in self.values

    def has_key(self, loc: Loc) -> bool:
        """Whether the front matter writes the key naming ``loc``."""
        self._read()
        return loc in self.keys

    def value(self, loc: Loc) -> Position:
        """Position of the value at ``loc``, or of its nearest written ancestor."""
        self._read()
        while loc not in self.values and loc:
            loc = loc[:-1]
        return self.values.get(loc, (1, 1))

    def key(self, loc: Loc) -> Position:
        """Position of the key naming ``loc``, else of the value."""
        self._read()
        return self.keys.get(loc) or self.value(loc)

    def error(self, loc: Loc, code: str, message: str, *, at_key: bool = False) -> Diagnostic:
        line, col = self.key(loc) if at_key else self.value(loc)
        return diag.error(self.path, line, col, code, message)

    def warning(self, loc: Loc, code: str, message: str, *, at_key: bool = False) -> Diagnostic:
        line, col = self.key(loc) if at_key else self.value(loc)
        return diag.warning(self.path, line, col, code, message)


@dataclass(frozen=True)
class ParsedFile:
    """One file after parsing and validating on its own: a record or problems."""

    source: SourceText
    record: AnyRecord | None
    locator: Locator
    diagnostics: tuple[Diagnostic, ...]
    declared_type: str | None = None
    """The ``type:`` the file declares, when it names a known one, valid or not."""
    declared_id: str | None = None
    """The id an invalid file declares, so references to it are not reported too."""
    references: tuple[tuple[str, str, Loc], ...] = ()
    """(type, id, where) of each reference an invalid journey makes, still checked."""


@dataclass
class LoadResult:
    """What loading a folder found: the registry when valid, and every problem."""

    registry: Registry | None
    diagnostics: list[Diagnostic]
    files: list[ParsedFile] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]

    @property
    def ok(self) -> bool:
        return self.registry is not None

    def record_counts(self) -> dict[str, int]:
        """How many records of each type the files declare, valid or not."""
        ids: dict[str, set[str]] = {"persona": set(), "touchpoint": set(), "journey": set()}
        for parsed in self.files:
            record = parsed.record
            if record is None:
                if parsed.declared_type is not None:  # invalid, but still one record
                    ids[parsed.declared_type].add(f"<invalid>{parsed.source.path}")
                continue
            ids[record.type].add(record.id)
            if isinstance(record, Journey):
                ids["touchpoint"].update(tp.id for tp in record.touchpoints)
        return {kind: len(found) for kind, found in ids.items()}


class JourneysFolderMissing(FileNotFoundError):
    """The configured journeys folder does not exist."""


class ParseCache:
    """Parsed files kept across rebuilds, keyed by path and content.

    An unchanged file is never parsed twice; a changed one misses the cache
    because its bytes differ, so nothing stale can be served. A file is not
    even read again while its ``stat`` says it has not changed (see
    :func:`read_folder`).
    """

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], ParsedFile] = {}
        self.links = LinkMemo()
        """What the last load found across files, for the next one to reuse."""
        self.snapshots: dict[str, _Snapshot] = {}
        """Each file of the folder as last read, so that an unchanged one is not read again."""
        self.hits = 0
        self.misses = 0

    def parse_all(self, sources: Sequence[SourceText]) -> list[ParsedFile]:
        """Each source parsed, or taken from the cache when its bytes are unchanged."""
        results: list[ParsedFile | None] = []
        missing: list[tuple[int, tuple[str, str]]] = []
        for source in sources:
            key = (source.path, source.relative_path)
            cached = self._entries.get(key)
            # The parsed file keeps its bytes: comparing them is cheaper than hashing.
            if cached is not None and (
                cached.source is source
                or (cached.source.data == source.data and cached.source.problem == source.problem)
            ):
                self.hits += 1
                results.append(cached)
            else:
                missing.append((len(results), key))
                results.append(None)
        self.misses += len(missing)
        fresh = map_jobs(parse_file, [sources[index] for index, _ in missing])
        for (index, key), parsed in zip(missing, fresh, strict=True):
            self._entries[key] = parsed
            results[index] = parsed
        return [parsed for parsed in results if parsed is not None]

    def __len__(self) -> int:
        return len(self._entries)

    def forget_missing(self, present: Iterable[SourceText]) -> None:
        """Drop entries of files that are gone, so the cache does not grow forever."""
        keep = {(s.path, s.relative_path) for s in present}
        for key in [k for k in self._entries if k not in keep]:
            del self._entries[key]


# ---------------------------------------------------------------------------
# Reading files


def display_path(path: Path) -> str:
    """A path as users typed it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path.as_posix()
    if relative.startswith(".."):
        return path.as_posix()
    return Path(relative).as_posix()


def _journey_entries(folder: Path) -> list[tuple[str, bool]]:
    """Every ``*.md`` below the folder as a ``/`` path inside it, and whether it is a link.

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
                    elif name.endswith(".md"):
                        if entry.is_file(follow_symlinks=False):
                            found.append((prefix + name, False))
                        elif entry.is_symlink():
                            found.append((prefix + name, True))
        except OSError:
            continue
    return sorted(found)


def find_journey_files(folder: Path) -> list[Path]:
    """Every ``*.md`` below the folder (links too), hidden folders skipped, in a stable order."""
    return [folder / name for name, _ in _journey_entries(folder)]


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
class _Snapshot:
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


def read_folder(folder: Path, snapshots: dict[str, _Snapshot] | None = None) -> list[SourceText]:
    """Read every journey file of a folder into memory (size cap applied later).

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
    seen: dict[str, _Snapshot] = {}
    for name, is_link in _journey_entries(folder):
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
                seen[path] = _Snapshot(signature, source, settled)
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


def load_folder(folder: Path, cache: ParseCache | None = None) -> LoadResult:
    """Load and cross-check a journeys folder."""
    sources = read_folder(folder, cache.snapshots if cache is not None else None)
    if cache is not None:
        cache.forget_missing(sources)
    return load_sources(sources, cache)


def load_sources(sources: Sequence[SourceText], cache: ParseCache | None = None) -> LoadResult:
    """Parse each source (through the cache when given), then link them all."""
    ordered = sorted(sources, key=lambda s: (s.relative_path, s.path))
    with collector_paused():
        if cache is None:
            return link(map_jobs(parse_file, ordered))
        return link(cache.parse_all(ordered), cache.links)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the maps load, on again after.

    Parsing makes hundreds of thousands of small objects and no cycles, and
    the collector would scan them all again and again: 40% of the load time
    of 1,000 journeys. Cycles made meanwhile are collected once it is back on.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


# ---------------------------------------------------------------------------
# One file


class _Refused(Exception):
    """YAML the loader will not read; carries the diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@dataclass
class FrontMatter:
    yaml_text: str
    first_line: int
    """1-based line in the file where the YAML text starts."""
    body: str
    body_line: int = 1
    """1-based line in the file where the body starts (the line after the closing ``---``)."""


def split_front_matter(source: SourceText) -> FrontMatter:
    """Decode the file and cut it into YAML front matter and Markdown body."""
    data = source.data
    if len(data) > MAX_FILE_BYTES:
        raise _Refused(
            diag.error(
                source.path,
                1,
                1,
                "file-too-large",
                f"file is larger than {MAX_FILE_BYTES // 1024} KiB; split it into smaller records",
            )
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _Refused(
            diag.error(
                source.path,
                line,
                col,
                "encoding",
                f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8",
            )
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise _Refused(
            diag.error(source.path, line, 1, "encoding", "file contains a NUL character")
        )
    if not _OPEN_RE.match(text):
        raise _Refused(
            diag.error(
                source.path,
                1,
                1,
                "front-matter",
                "missing front matter: a journey file starts with a line '---', "
                "then YAML fields, then a closing '---'",
            )
        )
    start = text.index("\n") + 1 if "\n" in text else len(text)
    closing = _FENCE_RE.search(text, start)
    if closing is None:
        raise _Refused(
            diag.error(
                source.path,
                1,
                1,
                "front-matter",
                "front matter opened on line 1 is never closed: add a line '---' after it",
            )
        )
    body = text[closing.end() :]
    if body.startswith("\n"):
        body = body[1:]
    body_line = text.count("\n", start, closing.start()) + 3  # the opening and closing lines
    return FrontMatter(text[start : closing.start()], 2, body, body_line)


def _describe(value: Any) -> str:
    """A value as a user would recognise it from the YAML they wrote."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return repr(shown)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"{type(value).__name__} {value}"


def _tag_name(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


class _TreeBuilder:
    """Turns a composed YAML node tree into plain values and a Locator."""

    def __init__(self, locator: Locator, line_offset: int) -> None:
        self.locator = locator
        self.offset = line_offset
        self.seen: set[int] = set()
        self.problems: list[Diagnostic] = []

    def position(self, node: yaml.Node) -> Position:
        return node.start_mark.line + self.offset, node.start_mark.column + 1

    def refuse(self, node: yaml.Node, code: str, message: str) -> _Refused:
        line, col = self.position(node)
        return _Refused(diag.error(self.locator.path, line, col, code, message))

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        if id(node) in self.seen:
            line, col = self.locator.key(loc)
            raise _Refused(
                diag.error(
                    self.locator.path,
                    line,
                    col,
                    "yaml-alias",
                    "YAML anchors and aliases (&name, *name) are not allowed; "
                    "write the value out in full",
                )
            )
        self.seen.add(id(node))
        self.locator.values[loc] = self.position(node)
        if node.tag not in _ALLOWED_TAGS:
            raise self.refuse(
                node,
                "yaml-tag",
                f"YAML tag '{_tag_name(node.tag)}' is not allowed; "
                "only plain text, numbers, booleans, dates, lists and mappings are",
            )
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*loc, i)) for i, child in enumerate(node.value)]
        assert isinstance(node, yaml.MappingNode)
        return self.mapping(node, loc)

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == _STR_TAG:
            return node.value
        problem = _number_problem(node.value) if node.tag in _NUMBER_TAGS else None
        if problem is not None:
            raise self.refuse(node, *problem)
        constructor = _SCALAR_CONSTRUCTOR.yaml_constructors[node.tag]
        try:
            value = constructor(_SCALAR_CONSTRUCTOR, node)
        except (ValueError, OverflowError):
            if node.tag == "tag:yaml.org,2002:timestamp":
                return node.value  # looks like a date but is not one: validation says so
            raise self.refuse(
                node, "yaml-value", f"cannot read {node.value[:40]!r} as {_tag_name(node.tag)}"
            ) from None
        problem = _float_problem(node.value, value) if node.tag == _FLOAT_TAG else None
        if problem is not None:
            raise self.refuse(node, *problem)
        return value

    def mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any]:
        result: dict[str, Any] = {}
        key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if id(key_node) in self.seen or key_node.tag not in _ALLOWED_TAGS:
                self.build(key_node, (*loc, "<key>"))  # raises the right refusal
            if (
                not isinstance(key_node, yaml.ScalarNode)
                or key_node.tag == "tag:yaml.org,2002:merge"
            ):
                raise self.refuse(key_node, "yaml-key", "mapping keys must be plain text")
            key = key_node.value
            line, col = self.position(key_node)
            if key in key_lines:
                if len(self.problems) > MAX_PROBLEMS_PER_FILE:  # enough to say there are more
                    continue
                self.problems.append(
                    diag.error(
                        self.locator.path,
                        line,
                        col,
                        "duplicate-key",
                        f"key '{key}' appears twice in one mapping: "
                        f"on line {key_lines[key]} and on line {line}",
                    )
                )
                continue
            key_lines[key] = line
            self.locator.keys[(*loc, key)] = (line, col)
            result[key] = self.build(value_node, (*loc, key))
        return result


def _number_problem(text: str) -> tuple[str, str] | None:
    """(code, message) when a number as written is not one to read, before it is built.

    A base-60 number is refused, not built: ``1:1:...:1`` takes quadratic
    time, and ``1:30`` meaning 90 surprises anyone who meant a time.
    """
    shown = text if len(text) <= 40 else text[:37] + "..."
    if ":" in text:
        return (
            "number-base-60",
            f"{shown!r} is a base-60 number in YAML 1.1 (1:30 means 90); "
            "put it in quotes to keep it as text",
        )
    if len(text) <= MAX_NUMBER_DIGITS:
        return None
    body = text.lower().lstrip("+-").replace("_", "")
    if body.startswith(("0x", "0o", "0b")):
        body = body[2:]
    digits = len(body) if body.isalnum() else sum(c.isdigit() for c in body)
    if digits <= MAX_NUMBER_DIGITS:
        return None
    return (
        "number-too-long",
        f"number {shown!r} has {digits} digits; at most {MAX_NUMBER_DIGITS} can be shown "
        "(put it in quotes to keep it as text)",
    )


def _float_problem(text: str, value: float) -> tuple[str, str] | None:
    """(code, message) when a float as built is not the number written: out of range."""
    lowered = text.lower()
    if math.isinf(value) and "inf" not in lowered:
        too = "large"
    elif value == 0 and re.search("[1-9]", lowered.partition("e")[0]):
        too = "small"
    else:
        return None
    shown = text if len(text) <= 40 else text[:37] + "..."
    return (
        "number-too-long",
        f"number {shown!r} is too {too} to show as written (put it in quotes to keep it as text)",
    )


class _NeedsPositions(Exception):
    """The quick walk met something to report: walk again, recording positions."""


def _plain_values(node: yaml.Node, seen: set[int] | None = None) -> Any:
    """The node tree as plain values, without recording a single position.

    Most files are fine, and their positions are never asked for. Anything the
    careful walk of :class:`_TreeBuilder` would report (an alias, a tag, a
    duplicate key, a bad number) raises :class:`_NeedsPositions` instead, and
    that walk runs; where this one returns, it returns the same values.
    (A plain recursive function: a nested one would refer to itself, a cycle
    that only the paused cycle collector could free.)
    """
    if seen is None:
        seen = set()
    if id(node) in seen or node.tag not in _ALLOWED_TAGS:
        raise _NeedsPositions
    seen.add(id(node))
    kind = type(node)
    if kind is yaml.ScalarNode:
        tag = node.tag
        if tag == _STR_TAG:
            return node.value
        if tag in _NUMBER_TAGS and (len(node.value) > MAX_NUMBER_DIGITS or ":" in node.value):
            raise _NeedsPositions
        try:
            value = _SCALAR_CONSTRUCTOR.yaml_constructors[tag](_SCALAR_CONSTRUCTOR, node)
        except (ValueError, OverflowError):
            raise _NeedsPositions from None
        if tag == _FLOAT_TAG and _float_problem(node.value, value) is not None:
            raise _NeedsPositions
        return value
    if kind is yaml.SequenceNode:
        return [_plain_values(child, seen) for child in node.value]
    if kind is not yaml.MappingNode:
        raise _NeedsPositions
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if (
            type(key_node) is not yaml.ScalarNode
            or id(key_node) in seen
            or key_node.tag not in _ALLOWED_TAGS
            or key_node.tag == "tag:yaml.org,2002:merge"
            or key_node.value in result
        ):
            raise _NeedsPositions
        result[key_node.value] = _plain_values(value_node, seen)
    return result


def compose_front_matter(source: SourceText, front: FrontMatter) -> yaml.Node:
    """The YAML node tree of the front matter; refused when it does not parse or nests too deep."""
    try:
        node = yaml.compose(front.yaml_text, Loader=_Loader)
    except _TooBig as exc:
        mark = exc.node.start_mark if exc.node is not None else None
        line = (mark.line if mark else 0) + front.first_line
        col = (mark.column if mark else 0) + 1
        if exc.too_deep:
            raise _Refused(diag.error(source.path, line, col, "yaml-nesting", _TOO_DEEP)) from None
        message = (
            f"front matter holds more than {MAX_VALUES:,} values (keys, list items, "
            "texts and numbers) by here; split it into smaller records"
        )
        raise _Refused(diag.error(source.path, line, col, "too-many", message)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line if mark else 0) + front.first_line
        col = (mark.column if mark else 0) + 1
        if exc.problem == _LIBYAML_TOO_DEEP:  # past 1,000 levels libyaml stops before we do
            raise _Refused(diag.error(source.path, line, col, "yaml-nesting", _TOO_DEEP)) from None
        what = exc.problem or exc.context or "invalid YAML"
        raise _Refused(
            diag.error(source.path, line, col, "yaml-syntax", f"YAML does not parse: {what}")
        ) from None
    except yaml.reader.ReaderError as exc:
        before = front.yaml_text[: exc.position]
        line = before.count("\n") + front.first_line
        col = exc.position - (before.rfind("\n") + 1) + 1
        raise _Refused(
            diag.error(
                source.path,
                line,
                col,
                "yaml-syntax",
                f"YAML does not parse: character U+{exc.character:04X} is not allowed here",
            )
        ) from None
    except yaml.YAMLError as exc:
        raise _Refused(
            diag.error(
                source.path, front.first_line, 1, "yaml-syntax", f"YAML does not parse: {exc}"
            )
        ) from None
    if node is None:
        raise _Refused(
            diag.error(
                source.path,
                1,
                1,
                "front-matter",
                "front matter is empty: it needs at least 'type:'",
            )
        )
    return node


def _front_matter_values(
    source: SourceText, node: yaml.Node, first_line: int, locator: Locator | None
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The node tree as plain values, and its problems; positions into ``locator`` if given.

    Without a locator, positions are recorded only if the front matter has a
    problem of its own to report.
    """
    if locator is None:
        with suppress(_NeedsPositions):
            data = _plain_values(node)
            if isinstance(data, dict):
                return data, []
        locator = Locator(source.path)
    builder = _TreeBuilder(locator, first_line)
    data = builder.build(node, ())
    if not isinstance(data, dict):
        line, col = locator.value(())
        raise _Refused(
            diag.error(
                source.path,
                line,
                col,
                "front-matter",
                f"front matter must be a mapping of fields, got {_describe(data)}",
            )
        )
    return data, builder.problems


def parse_front_matter(
    source: SourceText, locator: Locator | None = None
) -> tuple[Any, FrontMatter, list[Diagnostic]]:
    """Front matter as plain values, the file cut in two, and YAML-level problems.

    Positions go into ``locator`` when one is given; without one they are
    recorded only if the front matter has a problem of its own to report.
    """
    front = split_front_matter(source)
    node = compose_front_matter(source, front)
    data, problems = _front_matter_values(source, node, front.first_line, locator)
    return data, front, problems


#: Characters no file name in the journeys folder may hold: quotes and angle
#: brackets end an HTML attribute or a tag built from a path (the edit link),
#: a backslash is a folder separator on Windows, control characters (and line
#: separators) forge lines in a log, and lone surrogates stand for bytes that
#: are not UTF-8.
_UNSAFE_FILE_NAME_RE = re.compile(r"[\"'`<>\\\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _file_name_problem(source: SourceText) -> Diagnostic | None:
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


def parse_file(source: SourceText) -> ParsedFile:
    """Parse and validate one file on its own; never raises on bad input.

    Positions are read only when a message needs one: during validation from
    the node tree already composed, later by reading the file again.
    """
    problem = _file_name_problem(source) or source.problem
    if problem is not None:
        return ParsedFile(source, None, Locator(source.path), (problem,))
    locator = Locator.deferred(source)
    try:
        front = split_front_matter(source)
        node = compose_front_matter(source, front)
        data, problems = _front_matter_values(source, node, front.first_line, None)
    except _Refused as refused:
        return ParsedFile(source, None, locator, (refused.diagnostic,))
    locator.composed = (node, front.first_line)
    try:
        record, more = _validate(data, source, front.body, locator)
    finally:
        locator.composed = None  # the tree is large, and must not travel to another process
    more += body_warnings(source.path, front.body, front.body_line)
    declared = data.get("type")
    kind = declared if isinstance(declared, str) and declared in RECORD_TYPES else None
    diagnostics = tuple(problems + more)
    if len(diagnostics) > MAX_PROBLEMS_PER_FILE:
        diagnostics = tuple(_at_most(source.path, diag.sort_diagnostics(diagnostics)))
    if record is not None or kind is None:
        return ParsedFile(source, record, locator, diagnostics, kind)
    raw_id = data.get("id", source.relative_path.rsplit("/", 1)[-1].removesuffix(".md"))
    return ParsedFile(
        source,
        None,
        locator,
        diagnostics,
        kind,
        raw_id if isinstance(raw_id, str) else None,
        tuple(_raw_references(data)) if kind == "journey" else (),
    )


def _at_most(path: str, problems: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The first ``MAX_PROBLEMS_PER_FILE`` problems of a file, and one more if there are more.

    Taken from an iterator, the problems past those are never worked out.
    """
    listed = list(itertools.islice(problems, MAX_PROBLEMS_PER_FILE + 1))
    if len(listed) <= MAX_PROBLEMS_PER_FILE:
        return listed
    more = diag.error(
        path,
        1,
        1,
        "too-many-problems",
        f"this file has more than {MAX_PROBLEMS_PER_FILE} problems; only the first "
        f"{MAX_PROBLEMS_PER_FILE} are listed",
    )
    return [more, *listed[:MAX_PROBLEMS_PER_FILE]]


def _raw_references(data: dict[str, Any]) -> Iterator[tuple[str, str, Loc]]:
    """The references an invalid journey still makes, where their types are right.

    So that one run reports a bad emotion and an unknown persona together,
    instead of the second only after the first is fixed.
    """

    def items(value: Any) -> list[Any]:
        return value if isinstance(value, list) else []

    for i, persona_id in enumerate(items(data.get("personas"))):
        yield "persona", persona_id, ("personas", i)
    if isinstance(data.get("compares_to"), str):
        yield "journey", data["compares_to"], ("compares_to",)
    for i, touchpoint in enumerate(items(data.get("touchpoints"))):
        if isinstance(touchpoint, dict) and isinstance(touchpoint.get("id"), str):
            yield "inline-touchpoint", touchpoint["id"], ("touchpoints", i, "id")
    for s, stage in enumerate(items(data.get("stages"))):
        steps = stage.get("steps") if isinstance(stage, dict) else None
        for t, step in enumerate(items(steps)):
            if not isinstance(step, dict):
                continue
            here: Loc = ("stages", s, "steps", t)
            for k, touchpoint_id in enumerate(items(step.get("touchpoints"))):
                yield "touchpoint", touchpoint_id, (*here, "touchpoints", k)
            for k, actor in enumerate(items(step.get("actors"))):
                yield "persona", actor, (*here, "actors", k)


# ---------------------------------------------------------------------------
# Validation against the model


_CHILD_MODELS: dict[tuple[type[BaseModel], str], type[BaseModel]] = {
    (Journey, "stages"): Stage,
    (Stage, "steps"): Step,
    (Journey, "touchpoints"): InlineTouchpoint,
    (Journey, "metrics"): Metric,
    (Journey, "actions"): Action,
}
#: Names pydantic appends to an error location for a member of a union; the
#: validator-wrapped members (``function-after[...]``, ``constrained-str``)
#: are recognised by their shape in ``_clean_loc``.
_UNION_MEMBERS = {"str", "int", "float"}


def _model_at(root: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that holds the mapping at ``loc``."""
    model: type[BaseModel] | None = root
    for part in loc:
        if isinstance(part, int):
            continue
        if model is None:
            return None
        model = _CHILD_MODELS.get((model, part))
    return model


def _closest(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    return difflib.get_close_matches(word, sorted(candidates), n=n, cutoff=0.6)


def _hint(word: str, candidates: Iterable[str]) -> str:
    matches = _closest(word, candidates, n=1)
    return f"; did you mean '{matches[0]}'?" if matches else ""


def _clean_loc(loc: Sequence[str | int], locator: Locator) -> Loc:
    """Drop pydantic's union-member and validator names from an error location."""
    parts = list(loc)
    while (
        parts
        and isinstance(parts[-1], str)
        and not locator.has_value(tuple(parts))
        and (parts[-1] in _UNION_MEMBERS or "[" in parts[-1] or parts[-1].startswith("constrained"))
    ):
        parts.pop()
    return tuple(parts)


def _field_name(loc: Loc) -> str:
    names = [p for p in loc if isinstance(p, str)]
    return names[-1] if names else "front matter"


def _message_for(error: Any, loc: Loc, root: type[BaseModel]) -> tuple[str, str, bool]:
    """(code, message, at_key) for one pydantic error, in the users' words."""
    kind = error["type"]
    name = _field_name(loc)
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "missing-field", f"missing required field '{loc[-1]}'", False
    if kind == "extra_forbidden":
        model = _model_at(root, loc[:-1])
        known = model.model_fields.keys() if model is not None else ()
        return "unknown-key", f"unknown key '{loc[-1]}'{_hint(str(loc[-1]), known)}", True
    if name == "emotion":
        return (
            "emotion-range",
            f"emotion must be an integer from 1 to 5, got {_describe(value)}",
            False,
        )
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        choices = re.findall(r"'([^']*)'", expected)
        hint = _hint(str(value), choices) if isinstance(value, str) else ""
        return (
            "invalid-choice",
            f"'{name}' must be one of {', '.join(choices)}; got {_describe(value)}{hint}",
            False,
        )
    if kind == "value_error":
        reason = str(ctx.get("error", ""))
        if reason == "slug":
            return (
                "id-format",
                f"'{name}' must be a lower-case slug (letters a-z, digits and single "
                f"hyphens, like 'jane-doe'), got {_describe(value)}",
                False,
            )
        if reason == "reserved":
            return (
                "id-format",
                f"'{name}' {_describe(value)} is a reserved device name on Windows; "
                "choose another id",
                False,
            )
        if reason == "one-line":
            return "one-line", f"'{name}' must be a single line", False
        if reason == "blank":
            return "empty-value", f"'{name}' must not be empty", False
        if reason == "date":
            return (
                "date",
                f"'{name}' must be an ISO date (YYYY-MM-DD), got {_describe(value)}",
                False,
            )
    if kind == "string_too_long":
        return (
            "too-long",
            f"'{name}' is {len(value)} characters long; at most {ctx.get('max_length')} are allowed",
            False,
        )
    if kind == "too_long":
        return (
            "too-many",
            f"'{name}' has {ctx.get('actual_length')} items; at most {ctx.get('max_length')} are allowed",
            False,
        )
    if kind == "too_short":
        return "empty-list", f"'{name}' needs at least {ctx.get('min_length', 1)} item", False
    if kind == "string_type":
        hint = (
            " (put it in quotes to keep it as text)"
            if isinstance(value, (bool, int, float)) or value is None
            else ""
        )
        return "type", f"'{name}' must be text, got {_describe(value)}{hint}", False
    if kind in ("list_type", "tuple_type"):
        return "type", f"'{name}' must be a list, got {_describe(value)}", False
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "type", f"'{name}' must be a mapping of fields, got {_describe(value)}", False
    if kind in ("bool_type", "bool_parsing"):
        return "type", f"'{name}' must be true or false, got {_describe(value)}", False
    if kind.startswith("int") or kind.startswith("float"):
        return "type", f"'{name}' must be a number, got {_describe(value)}", False
    return "invalid-value", f"'{name}': {error['msg']}, got {_describe(value)}", False


def _diagnostics_from(
    exc: ValidationError, root: type[BaseModel], locator: Locator
) -> list[Diagnostic]:
    by_loc: dict[Loc, list[Any]] = {}
    for error in exc.errors(include_url=False):
        loc = _clean_loc(error["loc"], locator)
        if loc in by_loc or len(by_loc) <= MAX_PROBLEMS_PER_FILE:  # enough to say there are more
            by_loc.setdefault(loc, []).append(error)
    # A misspelt required key is one mistake, not two: report the unknown key
    # (with its hint) and not the missing field it was meant to be.
    meant: set[Loc] = set()
    for loc, errors in by_loc.items():
        if any(e["type"] == "extra_forbidden" for e in errors):
            model = _model_at(root, loc[:-1])
            for match in _closest(str(loc[-1]), model.model_fields if model else (), n=1):
                meant.add((*loc[:-1], match))
    result = []
    for loc, errors in by_loc.items():
        if loc in meant and all(e["type"] == "missing" for e in errors):
            continue
        kinds = {e["type"] for e in errors}
        if len(errors) > 1 and kinds <= {"string_type", "int_type", "float_type"}:
            name = _field_name(loc)
            result.append(
                locator.error(
                    loc,
                    "type",
                    f"'{name}' must be text or a number, got {_describe(errors[0].get('input'))}",
                )
            )
            continue
        for error in errors:
            code, message, at_key = _message_for(error, loc, root)
            result.append(locator.error(loc, code, message, at_key=at_key))
    return result


def _validate(
    data: dict[str, Any], source: SourceText, body: str, locator: Locator
) -> tuple[AnyRecord | None, list[Diagnostic]]:
    record_type = data.get("type")
    if "type" not in data:
        return None, [
            locator.error(
                (),
                "missing-field",
                "missing required field 'type' (persona, touchpoint or journey)",
            )
        ]
    if not isinstance(record_type, str) or record_type not in RECORD_TYPES:
        hint = _hint(record_type, RECORD_TYPES) if isinstance(record_type, str) else ""
        return None, [
            locator.error(
                ("type",),
                "unknown-type",
                f"unknown type {_describe(record_type)}: expected persona, touchpoint or journey{hint}",
            )
        ]
    model = RECORD_TYPES[record_type]
    problems: list[Diagnostic] = []
    if "id" not in data:
        stem = source.relative_path.rsplit("/", 1)[-1].removesuffix(".md")
        if not is_slug(stem) or stem in RESERVED_NAMES:
            problems.append(
                diag.error(
                    source.path,
                    1,
                    1,
                    "id-format",
                    f"the id defaults to the file name, and {stem!r} is not a lower-case slug "
                    "(letters a-z, digits and single hyphens): rename the file or set 'id:'",
                )
            )
            return None, problems
        data = {**data, "id": stem}
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        return None, problems + _diagnostics_from(exc, model, locator)
    record.with_source(SourceFile(path=source.path, relative_path=source.relative_path, body=body))
    return record, problems  # type: ignore[return-value]


# ---------------------------------------------------------------------------
# The folder as a whole


def _unknown_reference(
    locator: Locator, loc: Loc, kind: str, ref: str, known: Iterable[str]
) -> Diagnostic:
    known = sorted(known)
    close = _closest(ref, known)
    if close:
        hint = "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    elif known:
        shown = ", ".join(known[:8]) + (", ..." if len(known) > 8 else "")
        hint = f"; known {kind}s: {shown}"
    else:
        hint = f"; no {kind} is declared yet"
    return locator.error(loc, "unknown-reference", f"unknown {kind} '{ref}'{hint}")


def _where(locator: Locator, loc: Loc) -> str:
    """``FILE:LINE:COL`` of a value, for messages that name a second place."""
    if loc == ("id",) and not locator.has_key(loc):
        return f"{locator.path} (id from its file name)"
    line, col = locator.value(loc)
    return f"{locator.path}:{line}:{col}"


@dataclass
class _Declared:
    record: AnyRecord
    locator: Locator
    loc: Loc


@dataclass(frozen=True)
class _Checked:
    """The cross-file checks of one journey, with the records they depended on."""

    journey: Journey
    other: Any
    """The record its ``compares_to`` names, if valid."""
    diagnostics: list[Diagnostic]


@dataclass
class LinkMemo:
    """What the last :func:`link` through a parse cache found, for the next one.

    During ``mkdocs serve`` most records are the very objects of the last load
    (the parse cache hands them back): their checks and their share of the
    registry's indexes are reused while what those depend on is unchanged.
    """

    registry: Registry | None = None
    """The registry of the last valid load."""
    known: dict[str, set[str]] = field(default_factory=dict)
    """The ids known per type at the last load."""
    checks: dict[str, _Checked] = field(default_factory=dict)
    """The checks of each journey at the last load, by id."""


def link(parsed: Sequence[ParsedFile], memo: LinkMemo | None = None) -> LoadResult:
    """Cross-check parsed files (ids, references) and build the registry.

    ``memo``, what the last load through the same cache found, lends the
    checks and the index of every journey record that is still the same
    object; it is updated for the next load.
    """
    problems: list[Diagnostic] = [d for p in parsed for d in p.diagnostics]
    declared: dict[str, dict[str, _Declared]] = {"persona": {}, "touchpoint": {}, "journey": {}}
    inline: list[tuple[InlineTouchpoint, Journey, Locator, Loc]] = []
    for item in parsed:
        record = item.record
        if record is None:
            continue
        seen = declared[record.type]
        if record.id in seen:
            first = seen[record.id]
            problems.append(
                item.locator.error(
                    ("id",),
                    "duplicate-id",
                    f"duplicate {record.type} id '{record.id}': already declared in "
                    f"{_where(first.locator, first.loc)}",
                )
            )
            continue
        seen[record.id] = _Declared(record, item.locator, ("id",))
        if isinstance(record, Journey):
            inline.extend(
                (tp, record, item.locator, ("touchpoints", i, "id"))
                for i, tp in enumerate(record.touchpoints)
            )

    touchpoints: dict[str, Touchpoint] = {}
    declared_in: dict[str, list[str]] = {}
    touchpoint_origin: dict[str, tuple[Locator, Loc]] = {}
    for tp_id, entry in declared["touchpoint"].items():
        assert isinstance(entry.record, Touchpoint)
        touchpoints[tp_id] = entry.record
        declared_in[tp_id] = [entry.locator.path]
        touchpoint_origin[tp_id] = (entry.locator, entry.loc)
    for tp, journey, locator, loc in inline:
        existing = touchpoints.get(tp.id)
        if existing is None:
            fields = tp.declared_fields()
            created = Touchpoint(type="touchpoint", **fields)
            # Declared inside a journey: its page link is that journey's file,
            # but it has no body of its own (the journey's body is not its).
            created.with_source(journey.source.model_copy(update={"body": ""}))
            touchpoints[tp.id] = created
            declared_in[tp.id] = [locator.path]
            touchpoint_origin[tp.id] = (locator, loc)
        elif not existing.same_declaration(tp):
            other_locator, other_loc = touchpoint_origin[tp.id]
            differing = [
                k for k, v in tp.declared_fields().items() if existing.declared_fields()[k] != v
            ]
            problems.append(
                locator.error(
                    loc,
                    "touchpoint-conflict",
                    f"touchpoint '{tp.id}' is declared again with different "
                    f"{', '.join(differing)} than in {_where(other_locator, other_loc)}",
                )
            )
        elif locator.path not in declared_in[tp.id]:
            declared_in[tp.id].append(locator.path)
    for tp_id, paths in declared_in.items():
        touchpoints[tp_id]._declared_in = tuple(paths)

    personas = {k: v.record for k, v in declared["persona"].items()}
    journeys = {k: v.record for k, v in declared["journey"].items()}
    known = _known_ids(parsed, personas, touchpoints, journeys)
    # A journey's checks depend on it, the ids known, and the journey it compares to.
    same_ids = memo is not None and memo.known == known
    checks: dict[str, _Checked] = {}
    for entry in declared["journey"].values():
        checked = entry.record
        assert isinstance(checked, Journey)
        other = journeys.get(checked.compares_to) if checked.compares_to is not None else None
        last = memo.checks.get(checked.id) if memo is not None and same_ids else None
        if last is not None and last.journey is checked and last.other is other:
            found = last.diagnostics
        else:
            found = _at_most(
                entry.locator.path, _check_journey(checked, entry.locator, known, journeys)
            )
        checks[checked.id] = _Checked(checked, other, found)
        problems.extend(found)
    if memo is not None:
        memo.known, memo.checks = known, checks
    for item in parsed:
        problems.extend(
            _at_most(
                item.locator.path,
                (
                    _unknown_reference(item.locator, loc, kind, ref, known[kind])
                    for kind, ref, loc in item.references
                    if kind in known and isinstance(ref, str) and ref not in known[kind]
                ),
            )
        )

    problems = diag.sort_diagnostics(problems)
    files = list(parsed)
    if any(p.is_error for p in problems):
        return LoadResult(None, problems, files)
    registry = Registry.build(
        {k: v for k, v in personas.items() if isinstance(v, Persona)},
        touchpoints,
        {k: v for k, v in journeys.items() if isinstance(v, Journey)},
        memo.registry if memo is not None else None,
    )
    if memo is not None:
        memo.registry = registry
    return LoadResult(registry, problems, files)


def _known_ids(
    parsed: Sequence[ParsedFile],
    personas: dict[str, Any],
    touchpoints: dict[str, Touchpoint],
    journeys: dict[str, Any],
) -> dict[str, set[str]]:
    """Ids declared per type, by valid records and by invalid files alike.

    A reference to a record whose own file is invalid is not reported as
    unknown: that file's errors already say what is wrong.
    """
    known = {"persona": set(personas), "touchpoint": set(touchpoints), "journey": set(journeys)}
    for item in parsed:
        if item.record is None and item.declared_type and item.declared_id is not None:
            known[item.declared_type].add(item.declared_id)
        for kind, ref, _ in item.references:
            if kind == "inline-touchpoint":
                known["touchpoint"].add(ref)
    return known


def _check_journey(
    journey: Journey,
    locator: Locator,
    known: dict[str, set[str]],
    journeys: dict[str, Any],
) -> Iterator[Diagnostic]:
    """References, stage ids and ``compares_to`` of one journey."""
    personas, touchpoints = known["persona"], known["touchpoint"]
    for i, persona_id in enumerate(journey.personas):
        if persona_id not in personas:
            yield _unknown_reference(locator, ("personas", i), "persona", persona_id, personas)
    if len(journey.personas) > MAX_PERSONAS_BEFORE_WARNING:
        yield locator.warning(
            ("personas",),
            "many-personas",
            f"journey has {len(journey.personas)} personas; a map stays clear with at most "
            f"{MAX_PERSONAS_BEFORE_WARNING}, so consider one journey per persona",
            at_key=True,
        )
    stage_ids: dict[str, int] = {}
    for s, stage in enumerate(journey.stages):
        if stage.slug in stage_ids:
            yield locator.error(
                ("stages", s, "id" if stage.id else "name"),
                "duplicate-stage",
                f"stage id '{stage.slug}' is used twice in this journey (stages "
                f"{stage_ids[stage.slug] + 1} and {s + 1}); give one of them an 'id:'",
            )
        elif not stage.slug:
            yield locator.error(
                ("stages", s, "name"),
                "id-format",
                f"stage name {stage.name!r} gives no usable id; add an 'id:' slug",
            )
        stage_ids.setdefault(stage.slug, s)
        for t, step in enumerate(stage.steps):
            here: Loc = ("stages", s, "steps", t)
            for k, tp_id in enumerate(step.touchpoints):
                if tp_id not in touchpoints:
                    yield _unknown_reference(
                        locator, (*here, "touchpoints", k), "touchpoint", tp_id, touchpoints
                    )
            for k, actor in enumerate(step.actors or ()):
                if actor not in personas:
                    yield _unknown_reference(
                        locator, (*here, "actors", k), "persona", actor, personas
                    )
    total_steps = sum(len(stage.steps) for stage in journey.stages)
    if total_steps > MAX_STEPS_PER_JOURNEY:
        yield locator.error(
            ("stages",),
            "too-many",
            f"journey has {total_steps} steps; at most {MAX_STEPS_PER_JOURNEY} are allowed "
            "(split it into several journeys)",
        )
    other_id = journey.compares_to
    if other_id is None:
        return
    if other_id == journey.id:
        yield locator.error(("compares_to",), "compares-to", "a journey cannot compare to itself")
        return
    other = journeys.get(other_id)
    if other is None:
        if other_id not in known["journey"]:
            yield _unknown_reference(
                locator,
                ("compares_to",),
                "journey",
                other_id,
                (j for j in known["journey"] if j != journey.id),
            )
        return
    if other.compares_to is not None and other.compares_to != journey.id:
        yield locator.error(
            ("compares_to",),
            "compares-to",
            f"'{other_id}' compares to '{other.compares_to}', not back to '{journey.id}': "
            "a journey has one other state",
        )
    elif other.state == journey.state:
        yield locator.warning(
            ("compares_to",),
            "compares-to-state",
            f"'{journey.id}' and '{other_id}' are both in state '{journey.state}'; "
            "compares_to links a current and a future state",
        )
