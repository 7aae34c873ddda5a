"""A whole journeys folder: read, each file parsed (through a cache), then checked together.

This is what the plugin and the CLI call. During ``mkdocs serve`` a
:class:`ParseCache` keeps each file as last read and parsed, so a rebuild
reads and parses only the files that changed; the checks across files run
again in full (they take well under 1% of a rebuild).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .checks import LoadResult, link
from .files import Snapshot, SourceText, read_folder
from .sources import Parsed, Source, claimed_suffixes, registered_sources, source_of


class ParseCache:
    """Parsed files kept across rebuilds, keyed by source, path and content.

    One entry a file, whichever source claims it. An unchanged file is never
    parsed twice; a changed one misses the cache because its bytes differ, so
    nothing stale can be served. A file is not even read again while its
    ``stat`` says it has not changed (see :func:`read_folder`).
    """

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str, str], Parsed] = {}
        """By (source name, path shown, path inside the folder); the bytes are checked on use."""
        self.snapshots: dict[str, Snapshot] = {}
        """Each file of the folder as last read, so that an unchanged one is not read again."""
        self.hits = 0
        self.misses = 0

    def parse(self, source: Source[Any], text: SourceText) -> Parsed:
        """A file parsed by its source, or taken from the cache when its bytes are unchanged."""
        key = (source.name, text.path, text.relative_path)
        cached = self._entries.get(key)
        if cached is not None and _unchanged(cached.source, text):
            self.hits += 1
            return cached
        self.misses += 1
        parsed: Parsed = source.parse(text)
        self._entries[key] = parsed
        return parsed

    def __len__(self) -> int:
        return len(self._entries)

    def forget_missing(self, present: Iterable[SourceText]) -> None:
        """Drop entries of files that are gone, so the cache does not grow forever."""
        keep = {(s.path, s.relative_path) for s in present}
        for key in [k for k in self._entries if k[1:] not in keep]:
            del self._entries[key]


def _unchanged(kept: SourceText, source: SourceText) -> bool:
    """Whether a file reads as it did when it was parsed.

    The parsed file keeps its bytes: comparing them is cheaper than hashing.
    """
    return kept is source or (kept.data == source.data and kept.problem == source.problem)


def load_folder(folder: Path, cache: ParseCache | None = None) -> LoadResult:
    """Load and cross-check a journeys folder: the files every registered source claims."""
    snapshots = cache.snapshots if cache is not None else None
    sources = read_folder(folder, snapshots, claimed_suffixes())
    if cache is not None:
        cache.forget_missing(sources)
    return load_sources(sources, cache)


def load_sources(sources: Sequence[SourceText], cache: ParseCache | None = None) -> LoadResult:
    """Parse each file by the source that claims it (through the cache when given), then link.

    Files no registered source claims are passed over. Parsed one after the
    other in one process: a second one saved about 5% and cost a fork.
    """
    parsed: dict[str, list[Parsed]] = {source.name: [] for source in registered_sources()}
    with collector_paused():
        for text in sorted(sources, key=lambda s: (s.relative_path, s.path)):
            source = source_of(text.relative_path)
            if source is None:
                continue
            if cache is None:
                parsed[source.name].append(source.parse(text))
            else:
                parsed[source.name].append(cache.parse(source, text))
        return link(parsed)


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
