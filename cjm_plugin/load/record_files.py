"""Journey, persona and touchpoint files (``*.md``): the source of the records.

Each file is parsed on its own by :func:`~.records.parse_file`; across files,
ids are unique per type, touchpoints declared inline in a journey agree with
their other declarations, every reference in the table of :mod:`.references`
names a known record, and a few rules of journeys (stage ids, ``compares_to``
pointing back) are checked here as code.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from ..diagnostics import Diagnostic
from ..model import (
    MAX_PERSONAS_BEFORE_WARNING,
    MAX_STEPS_PER_JOURNEY,
    RECORD_TYPES,
    AnyRecord,
    InlineTouchpoint,
    Persona,
    Touchpoint,
)
from ..registry import Registry
from .checks import unknown_references
from .files import SourceText
from .records import ParsedFile, at_most, parse_file
from .references import REFERENCES, IdField, has_references, inline_records, references_of
from .sources import Declared, Folder, RegistryParts
from .yaml_values import Loc, Locator


class RecordFiles:
    """The ``*.md`` files of a journeys folder: personas, touchpoints and journeys."""

    name = "records"
    suffixes = (".md",)
    id_fields: tuple[IdField, ...] = REFERENCES

    def parse(self, text: SourceText) -> ParsedFile:
        return parse_file(text)

    def declare(self, parsed: Sequence[ParsedFile], folder: Folder) -> Iterator[Diagnostic]:
        """Each valid record by type and id, inline touchpoints merged; ids declared twice."""
        declared = folder.declared
        for item in parsed:
            record = item.record
            if record is None:
                continue
            seen = declared[record.type]
            if record.id in seen:
                first = seen[record.id]
                yield item.locator.error(
                    ("id",),
                    "duplicate-id",
                    f"duplicate {record.type} id '{record.id}': already declared in "
                    f"{_where(first.locator, first.loc)}",
                )
                continue
            seen[record.id] = Declared(record, item.locator, ("id",))
        yield from _merge_touchpoints(declared)
        for kind in RECORD_TYPES:
            folder.know(kind, declared[kind])
        for item in parsed:  # an invalid file's ids: its own errors say what is wrong
            if item.record is None and item.declared_type and item.declared_id is not None:
                folder.know(item.declared_type, [item.declared_id])
            for kind, ref, _ in item.inline:
                folder.know(kind, [ref])

    def check(self, parsed: Sequence[ParsedFile], folder: Folder) -> Iterator[Diagnostic]:
        """Every reference known, and the rules of each record type beyond its references."""
        known = folder.known
        journeys = folder.journeys
        for kind, records in folder.declared.items():
            rules = _RULES.get(kind)
            if rules is None and not has_references(kind):
                continue
            for entry in records.values():
                found: Iterator[Diagnostic] = unknown_references(
                    entry.locator,
                    references_of(kind, entry.record, known),
                    known,
                    (kind, entry.record.id),
                )
                if rules is not None:
                    found = itertools.chain(found, rules(entry.record, entry.locator, journeys))
                yield from at_most(entry.locator.path, found)
        for item in parsed:
            if item.references:
                itself = (
                    (item.declared_type, item.declared_id)
                    if item.declared_type is not None and item.declared_id is not None
                    else None
                )
                found = unknown_references(item.locator, item.references, known, itself)
                yield from at_most(item.locator.path, found)

    def contribute(
        self, parsed: Sequence[ParsedFile], folder: Folder, parts: RegistryParts
    ) -> None:
        declared = folder.declared
        parts.personas.update(
            (k, v.record) for k, v in declared["persona"].items() if isinstance(v.record, Persona)
        )
        parts.touchpoints.update(
            (k, v.record)
            for k, v in declared["touchpoint"].items()
            if isinstance(v.record, Touchpoint)
        )
        parts.journeys.update(folder.journeys)

    def registry_warnings(
        self, parsed: Sequence[ParsedFile], folder: Folder, registry: Registry
    ) -> Iterable[Diagnostic]:
        return ()


#: The records source, registered by :mod:`cjm_plugin.load`.
RECORD_FILES = RecordFiles()


def _where(locator: Locator, loc: Loc) -> str:
    """``FILE:LINE:COL`` of a value, for messages that name a second place."""
    if loc == ("id",) and not locator.has_key(loc):
        return f"{locator.path} (id from its file name)"
    line, col = locator.value(loc)
    return f"{locator.path}:{line}:{col}"


def _merge_touchpoints(declared: dict[str, dict[str, Declared]]) -> Iterator[Diagnostic]:
    """Touchpoints declared inline join those of their own files; conflicts reported.

    ``declared["touchpoint"]`` then holds every touchpoint, where it was first declared.
    """
    inline: list[tuple[InlineTouchpoint, AnyRecord, Locator, Loc]] = [
        (tp, entry.record, entry.locator, (*loc, "id"))
        for kind, records in declared.items()
        for entry in records.values()
        for _, tp, loc in inline_records(kind, entry.record)
    ]
    touchpoints = declared["touchpoint"]
    declared_in: dict[str, list[str]] = {k: [v.locator.path] for k, v in touchpoints.items()}
    for tp, holder, locator, loc in inline:
        first = touchpoints.get(tp.id)
        if first is None:
            created = Touchpoint(type="touchpoint", **tp.declared_fields())
            # Declared inside a journey: its page link is that journey's file,
            # but it has no body of its own (the journey's body is not its).
            created.with_source(holder.source.model_copy(update={"body": ""}))
            touchpoints[tp.id] = Declared(created, locator, loc)
            declared_in[tp.id] = [locator.path]
        elif not first.record.same_declaration(tp):
            existing = first.record.declared_fields()
            differing = [k for k, v in tp.declared_fields().items() if existing[k] != v]
            yield locator.error(
                loc,
                "touchpoint-conflict",
                f"touchpoint '{tp.id}' is declared again with different "
                f"{', '.join(differing)} than in {_where(first.locator, first.loc)}",
            )
        elif locator.path not in declared_in[tp.id]:
            declared_in[tp.id].append(locator.path)
    for tp_id, paths in declared_in.items():
        touchpoints[tp_id].record._declared_in = tuple(paths)


def _journey_rules(
    journey: Any, locator: Locator, journeys: Mapping[str, Any]
) -> Iterator[Diagnostic]:
    """What a journey must be beyond its references: stage ids, size, ``compares_to``."""
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
    yield from _step_id_rules(journey, locator)
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
        return  # unknown, or invalid: reported already
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


def _step_id_rules(journey: Any, locator: Locator) -> Iterator[Diagnostic]:
    """A step's written ``id`` must be unique in its journey.

    Two steps without ``id`` may share a name (and so a default id): files
    written before step ids existed stay valid. A measurement row that names
    such an id is refused where it is read instead.
    """
    first_of: dict[str, tuple[int, int]] = {}
    for s, stage in enumerate(journey.stages):
        for t, step in enumerate(stage.steps):
            earlier = first_of.get(step.slug)
            if earlier is not None and step.id is not None:
                yield locator.error(
                    ("stages", s, "steps", t, "id"),
                    "duplicate-step",
                    f"step id '{step.slug}' is already used in this journey by "
                    f"'{journey.stages[earlier[0]].steps[earlier[1]].name}' (stage "
                    f"{earlier[0] + 1}, step {earlier[1] + 1}); step ids are unique "
                    "within a journey",
                )
            first_of.setdefault(step.slug, (s, t))


#: Checks of one record type beyond its references, by type.
_RULES: dict[str, Callable[[Any, Locator, Mapping[str, Any]], Iterator[Diagnostic]]] = {
    "journey": _journey_rules,
}
