"""The source contract: one kind of input file, everything the loader needs to know of it.

A source claims files by suffix, parses one file's text on its own (into a
value that keeps its :class:`SourceText` and its diagnostics), says which
ids its files declare and which they name (through the table of
:mod:`.references`), and hands its part to the registry. The folder loader,
the parse cache, the cross-file checks (:func:`~.checks.link`) and the git
revision reader go through the registered sources only, so a new input is
one module and one :func:`register_source`, and ``cjm diff`` sees it.

The cross-file checks run in rounds over every source, so that any source
may name what any other declares: each source ``declare``s what its files
define into one :class:`Folder`, then each ``check``s its files against it,
then (when nothing is wrong) each ``contribute``s to the
:class:`RegistryParts` the registry is built from, and may warn about what
the built registry shows (``registry_warnings``).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from ..diagnostics import Diagnostic
from ..measured import Measurement
from ..model import RECORD_TYPES, Journey, Persona, Touchpoint
from ..registry import Registry
from .files import SourceText
from .references import IdField, register_id_fields
from .yaml_values import Loc, Locator


class Parsed(Protocol):
    """One file parsed on its own: what any source's parsed value has."""

    @property
    def source(self) -> SourceText:
        """The file as read: the parse cache compares its bytes to tell a change."""
        ...

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """The file's own problems, found without looking at any other file."""
        ...


ParsedT = TypeVar("ParsedT", bound=Parsed)


@dataclass
class Declared:
    """A record declared by a file, and where its id is written."""

    record: Any
    locator: Locator
    loc: Loc


@dataclass
class Folder:
    """What the files of a folder declare, gathered before any cross-file check."""

    declared: dict[str, dict[str, Declared]] = field(
        default_factory=lambda: {kind: {} for kind in RECORD_TYPES}
    )
    """Valid records by type and id, as the sources declared them."""
    known: dict[str, set[str]] = field(default_factory=dict)
    """Every id declared by type, invalid files' too: a reference to one is not unknown."""

    def know(self, kind: str, ids: Iterable[str]) -> None:
        """Add ids of a type to those a reference may name."""
        self.known.setdefault(kind, set()).update(ids)

    @property
    def journeys(self) -> dict[str, Journey]:
        """The valid journeys by id, which other sources' rows and steps name."""
        return {
            k: v.record
            for k, v in self.declared["journey"].items()
            if isinstance(v.record, Journey)
        }


@dataclass
class RegistryParts:
    """What the sources hand to :meth:`~cjm_plugin.registry.Registry.build`."""

    personas: dict[str, Persona] = field(default_factory=dict)
    touchpoints: dict[str, Touchpoint] = field(default_factory=dict)
    journeys: dict[str, Journey] = field(default_factory=dict)
    measurements: list[Measurement] = field(default_factory=list)
    inputs: dict[str, dict[str, tuple[Hashable, ...]]] = field(default_factory=dict)
    """Each source's items by file (path inside the journeys folder), compared by
    ``cjm diff``: a source whose files are not records puts them here."""

    def add_input(self, source: str, relative_path: str, items: Iterable[Hashable]) -> None:
        """One file's items, as ``cjm diff`` compares them (equal items are no change)."""
        self.inputs.setdefault(source, {})[relative_path] = tuple(items)


class Source(Protocol[ParsedT]):
    """One kind of input file of a journeys folder (see the module docstring)."""

    @property
    def name(self) -> str:
        """Names its part of a load result, of the cache and of ``cjm diff``: ``measurements``."""
        ...

    @property
    def suffixes(self) -> tuple[str, ...]:
        """The file names it claims, by their ends: ``(".csv",)``."""
        ...

    @property
    def id_fields(self) -> tuple[IdField, ...]:
        """The fields of its values that name records, as :mod:`.references` describes them."""
        ...

    def parse(self, text: SourceText) -> ParsedT:
        """One file on its own; never raises on bad input, its problems are diagnostics."""
        ...

    def declare(self, parsed: Sequence[ParsedT], folder: Folder) -> Iterable[Diagnostic]:
        """Add the ids (and valid records) its files declare; report those declared twice."""
        ...

    def check(self, parsed: Sequence[ParsedT], folder: Folder) -> Iterable[Diagnostic]:
        """Its files checked against the whole folder: unknown ids, rules across files."""
        ...

    def contribute(self, parsed: Sequence[ParsedT], folder: Folder, parts: RegistryParts) -> None:
        """Add what its files give the registry, once the folder has no error."""
        ...

    def registry_warnings(
        self, parsed: Sequence[ParsedT], folder: Folder, registry: Registry
    ) -> Iterable[Diagnostic]:
        """Warnings only the built registry can tell (a measured emotion far from the map's)."""
        ...


_SOURCES: dict[str, Source[Any]] = {}


def register_source(source: Source[Any]) -> None:
    """Make a source one of the folder's inputs: listed, parsed, cached, checked, diffed.

    Registering a source under a name again replaces it. Two sources must not
    claim the same suffix: a file is one source's.
    """
    for other in _SOURCES.values():
        if other.name != source.name and set(other.suffixes) & set(source.suffixes):
            raise ValueError(f"sources {other.name!r} and {source.name!r} claim the same files")
    register_id_fields(source.id_fields)
    _SOURCES[source.name] = source


def unregister_source(name: str) -> None:
    """Take a source out again (tests register sources of their own).

    Its id fields stay in the table of :mod:`.references`: they name a holder
    type no other source uses, so they are never walked again.
    """
    _SOURCES.pop(name, None)


def registered_sources() -> tuple[Source[Any], ...]:
    """Every source, in the order they were registered: the order the folder is checked in."""
    return tuple(_SOURCES.values())


def claimed_suffixes() -> tuple[str, ...]:
    """The ends of every file name some source claims."""
    return tuple(suffix for source in _SOURCES.values() for suffix in source.suffixes)


def source_of(relative_path: str) -> Source[Any] | None:
    """The source that claims a file, or ``None`` when none does."""
    for source in _SOURCES.values():
        if relative_path.endswith(source.suffixes):
            return source
    return None
