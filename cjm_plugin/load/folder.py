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

from ..parallel import map_jobs
from .checks import LoadResult, link
from .files import Snapshot, SourceText, is_measurement_table, read_folder
from .measurements import ParsedTable, parse_table
from .records import ParsedFile, parse_file


class ParseCache:
    """Parsed files kept across rebuilds, keyed by path and content.

    An unchanged file is never parsed twice; a changed one misses the cache
    because its bytes differ, so nothing stale can be served. A file is not
    even read again while its ``stat`` says it has not changed (see
    :func:`read_folder`).
    """

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], ParsedFile] = {}
        self._tables: dict[tuple[str, str], ParsedTable] = {}
        """Measurement tables as last read, by the same key: few, so parsed right here."""
        self.snapshots: dict[str, Snapshot] = {}
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
            if cached is not None and _unchanged(cached.source, source):
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

    def parse_tables(self, sources: Sequence[SourceText]) -> list[ParsedTable]:
        """Each measurement table parsed, or taken from the cache when its bytes are unchanged."""
        tables = []
        for source in sources:
            key = (source.path, source.relative_path)
            cached = self._tables.get(key)
            if cached is not None and _unchanged(cached.source, source):
                self.hits += 1
            else:
                self.misses += 1
                cached = self._tables[key] = parse_table(source)
            tables.append(cached)
        return tables

    def __len__(self) -> int:
        return len(self._entries) + len(self._tables)

    def forget_missing(self, present: Iterable[SourceText]) -> None:
        """Drop entries of files that are gone, so the cache does not grow forever."""
        keep = {(s.path, s.relative_path) for s in present}
        for entries in (self._entries, self._tables):
            for key in [k for k in entries if k not in keep]:
                del entries[key]


def _unchanged(kept: SourceText, source: SourceText) -> bool:
    """Whether a file reads as it did when it was parsed.

    The parsed file keeps its bytes: comparing them is cheaper than hashing.
    """
    return kept is source or (kept.data == source.data and kept.problem == source.problem)


def load_folder(folder: Path, cache: ParseCache | None = None) -> LoadResult:
    """Load and cross-check a journeys folder."""
    sources = read_folder(folder, cache.snapshots if cache is not None else None)
    if cache is not None:
        cache.forget_missing(sources)
    return load_sources(sources, cache)


def load_sources(sources: Sequence[SourceText], cache: ParseCache | None = None) -> LoadResult:
    """Parse each source (through the cache when given), then link them all.

    Journey files and measurement tables alike: a ``*.csv`` is a table.
    """
    ordered = sorted(sources, key=lambda s: (s.relative_path, s.path))
    records = [s for s in ordered if not is_measurement_table(s.relative_path)]
    tables = [s for s in ordered if is_measurement_table(s.relative_path)]
    with collector_paused():
        if cache is None:
            return link(map_jobs(parse_file, records), [parse_table(s) for s in tables])
        return link(cache.parse_all(records), cache.parse_tables(tables))


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
