"""The folder as a whole: ids unique per type, every reference known, one registry.

The references checked are those :mod:`.references` lists for each record
type; an unknown id is reported at its FILE:LINE:COL with the closest known
ids. A few rules of journeys (stage ids, ``compares_to`` pointing back) stay
here as code.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import diagnostics as diag
from ..diagnostics import Diagnostic
from ..model import (
    MAX_PERSONAS_BEFORE_WARNING,
    MAX_STEPS_PER_JOURNEY,
    RECORD_TYPES,
    AnyRecord,
    InlineTouchpoint,
    Journey,
    Persona,
    Touchpoint,
)
from ..registry import Registry
from .measurement_checks import (
    ambiguous_steps,
    drift_warnings,
    name_columns,
    row_references,
    step_ids,
)
from .measurements import ParsedTable
from .messages import closest
from .records import ParsedFile, at_most
from .references import has_references, inline_ids, inline_records, references_of
from .yaml_values import Loc, Locator


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


def link(parsed: Sequence[ParsedFile], tables: Sequence[ParsedTable] = ()) -> LoadResult:
    """Cross-check parsed files and measurement tables (ids, references), build the registry."""
    problems: list[Diagnostic] = [d for p in parsed for d in p.diagnostics]
    problems.extend(d for table in tables for d in table.diagnostics)
    declared: dict[str, dict[str, _Declared]] = {kind: {} for kind in RECORD_TYPES}
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

    touchpoints, conflicts = _touchpoints(declared)
    problems.extend(conflicts)
    personas = {k: v.record for k, v in declared["persona"].items()}
    journeys = {k: v.record for k, v in declared["journey"].items()}
    known = _known_ids(parsed, {**declared, "touchpoint": touchpoints})
    for kind, records in declared.items():
        rules = _RULES.get(kind)
        if rules is None and not has_references(kind):
            continue
        for entry in records.values():
            found = unknown_references(
                entry.locator,
                references_of(kind, entry.record, known),
                known,
                (kind, entry.record.id),
            )
            if rules is not None:
                found = itertools.chain(found, rules(entry.record, entry.locator, journeys))
            problems.extend(at_most(entry.locator.path, found))
    for item in parsed:
        if item.references:
            itself = (
                (item.declared_type, item.declared_id)
                if item.declared_type is not None and item.declared_id is not None
                else None
            )
            problems.extend(
                at_most(
                    item.locator.path,
                    unknown_references(item.locator, item.references, known, itself),
                )
            )

    valid_journeys = {k: v for k, v in journeys.items() if isinstance(v, Journey)}
    problems.extend(_measurement_reference_problems(tables, known, valid_journeys))

    problems = diag.sort_diagnostics(problems)
    files = list(parsed)
    if any(p.is_error for p in problems):
        return LoadResult(None, problems, files)
    registry = Registry.build(
        {k: v for k, v in personas.items() if isinstance(v, Persona)},
        touchpoints,
        valid_journeys,
        [row for table in tables for row in table.rows],
    )
    if registry.measurements:
        locators = {k: v.locator for k, v in declared["journey"].items()}
        problems = diag.sort_diagnostics([*problems, *drift_warnings(registry, locators)])
    return LoadResult(registry, problems, files)


def _measurement_reference_problems(
    tables: Sequence[ParsedTable], known: Mapping[str, set[str]], journeys: Mapping[str, Journey]
) -> Iterator[Diagnostic]:
    """Unknown ids and ambiguous steps named by the measurement tables' rows, table by table."""
    if not any(table.targets for table in tables):
        return
    known = {**known, "step": step_ids(journeys)}
    for table in tables:
        found = itertools.chain(
            ambiguous_steps(table, journeys),
            unknown_references(table.locator, row_references(table, journeys), known),
        )
        yield from name_columns(table, at_most(table.source.path, found))


def _touchpoints(
    declared: dict[str, dict[str, _Declared]],
) -> tuple[dict[str, Touchpoint], list[Diagnostic]]:
    """Touchpoints of their own files and those declared inline, merged; conflicts reported."""
    inline: list[tuple[InlineTouchpoint, AnyRecord, Locator, Loc]] = [
        (tp, entry.record, entry.locator, (*loc, "id"))
        for kind, records in declared.items()
        for entry in records.values()
        for _, tp, loc in inline_records(kind, entry.record)
    ]
    problems: list[Diagnostic] = []
    touchpoints: dict[str, Touchpoint] = {}
    declared_in: dict[str, list[str]] = {}
    touchpoint_origin: dict[str, tuple[Locator, Loc]] = {}
    for tp_id, entry in declared["touchpoint"].items():
        assert isinstance(entry.record, Touchpoint)
        touchpoints[tp_id] = entry.record
        declared_in[tp_id] = [entry.locator.path]
        touchpoint_origin[tp_id] = (entry.locator, entry.loc)
    for tp, holder, locator, loc in inline:
        existing = touchpoints.get(tp.id)
        if existing is None:
            fields = tp.declared_fields()
            created = Touchpoint(type="touchpoint", **fields)
            # Declared inside a journey: its page link is that journey's file,
            # but it has no body of its own (the journey's body is not its).
            created.with_source(holder.source.model_copy(update={"body": ""}))
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
    return touchpoints, problems


def _known_ids(
    parsed: Sequence[ParsedFile], records: Mapping[str, Mapping[str, object]]
) -> dict[str, set[str]]:
    """Ids declared per type, by valid records and by invalid files alike.

    A reference to a record whose own file is invalid is not reported as
    unknown: that file's errors already say what is wrong.
    """
    known = {kind: set(records[kind]) for kind in RECORD_TYPES}
    for item in parsed:
        if item.record is None and item.declared_type and item.declared_id is not None:
            known[item.declared_type].add(item.declared_id)
        for kind, ref, _ in item.inline:
            known[kind].add(ref)
    return known


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
