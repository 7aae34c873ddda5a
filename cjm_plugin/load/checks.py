"""The folder as a whole: every source's files checked together, one registry.

:func:`link` knows no input by name: it runs the rounds of the source
contract (:mod:`.sources`) over every registered source, so that ids are
unique per type and every reference is known whichever file makes it. An
unknown id is reported at its FILE:LINE:COL with the closest known ids
(:func:`unknown_references`, which every source's ``check`` calls).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import diagnostics as diag
from ..diagnostics import Diagnostic
from ..model import RECORD_TYPES
from ..registry import Registry
from .messages import closest
from .records import ParsedFile
from .references import inline_ids
from .sources import Folder, Parsed, RegistryParts, registered_sources
from .yaml_values import Loc, Locator

#: The source whose parsed files are :attr:`LoadResult.files`.
RECORDS = "records"


@dataclass
class LoadResult:
    """What loading a folder found: the registry when valid, and every problem."""

    registry: Registry | None
    diagnostics: list[Diagnostic]
    parsed: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    """Every file as parsed on its own, by the name of the source that claims it."""

    @property
    def files(self) -> list[ParsedFile]:
        """The journey, persona and touchpoint files as parsed, valid or not."""
        return list(self.parsed.get(RECORDS, ()))

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
        ids: dict[str, set[str]] = {kind: set() for kind in RECORD_TYPES}
        for parsed in self.files:
            record = parsed.record
            if record is None:
                if parsed.declared_type is not None:  # invalid, but still one record
                    ids[parsed.declared_type].add(f"<invalid>{parsed.source.path}")
                continue
            ids[record.type].add(record.id)
            for kind, inline_id, _ in inline_ids(record.type, record):
                ids[kind].add(inline_id)
        return {kind: len(found) for kind, found in ids.items()}


def _unknown_reference(
    locator: Locator, loc: Loc, kind: str, ref: str, known: Iterable[str]
) -> Diagnostic:
    """``unknown persona 'x'``, with the closest known ids (or all, or none) as a hint."""
    known = sorted(known)
    close = closest(ref, known)
    if close:
        hint = "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    elif known:
        shown = ", ".join(known[:8]) + (", ..." if len(known) > 8 else "")
        hint = f"; known {kind}s: {shown}"
    else:
        hint = f"; no {kind} is declared yet"
    return locator.error(loc, "unknown-reference", f"unknown {kind} '{ref}'{hint}")


def unknown_references(
    locator: Locator,
    references: Iterable[tuple[str, Any, Loc]],
    known: Mapping[str, set[str]],
    itself: tuple[str, str] | None = None,
) -> Iterator[Diagnostic]:
    """An error for each (type, id, where) whose id no record of that type has.

    ``itself``, the (type, id) of the record making the references, is never
    suggested as one of them. Ids that are not text were reported already.
    """
    for kind, ref, loc in references:
        ids = known.get(kind)
        if ids is None or not isinstance(ref, str) or ref in ids:
            continue
        if itself is not None and itself[0] == kind:
            yield _unknown_reference(locator, loc, kind, ref, (i for i in ids if i != itself[1]))
        else:
            yield _unknown_reference(locator, loc, kind, ref, ids)


def link(parsed: Mapping[str, Sequence[Parsed]]) -> LoadResult:
    """Cross-check every source's parsed files (ids, references), build the registry.

    ``parsed`` holds each registered source's files by its name; a source
    left out has no files.
    """
    sources = registered_sources()
    files = {source.name: tuple(parsed.get(source.name, ())) for source in sources}
    problems: list[Diagnostic] = [
        d for items in files.values() for p in items for d in p.diagnostics
    ]
    folder = Folder()
    for source in sources:
        problems.extend(source.declare(files[source.name], folder))
    for source in sources:
        problems.extend(source.check(files[source.name], folder))
    problems = diag.sort_diagnostics(problems)
    if any(p.is_error for p in problems):
        return LoadResult(None, problems, files)
    parts = RegistryParts()
    for source in sources:
        source.contribute(files[source.name], folder, parts)
    registry = Registry.build(
        parts.personas, parts.touchpoints, parts.journeys, parts.measurements, parts.inputs
    )
    more = [d for s in sources for d in s.registry_warnings(files[s.name], folder, registry)]
    if more:
        problems = diag.sort_diagnostics([*problems, *more])
    return LoadResult(registry, problems, files)
