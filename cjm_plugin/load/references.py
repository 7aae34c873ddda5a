"""Which fields of a record name other records by id: the record types as data.

The cross-file checks (:mod:`.checks`) know no field by name: they read this
table. A journey's fields are walked the same way whether the journey is a
valid record or the plain values of an invalid file, so that one run reports
an unknown persona beside the error that made the file invalid.

Every input joins the same checks: a source (:mod:`.sources`) lists its
fields here when it is registered. The rows of a measurement
table (:mod:`.measurements`), read as plain mappings, have their fields in
:data:`MEASUREMENT_REFERENCES`, and hand :func:`~.checks.unknown_references`
their (type, id, where) triples with a :class:`~.yaml_values.Locator` whose
positions are the CSV's lines and columns, so unknown ids are reported at
FILE:LINE with the closest known ones. A step, named within its journey, is
a type of its own, known as ``journey-id/step-id``.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from .yaml_values import Loc

#: In a field's path: each item of a list.
EACH = "*"


@dataclass(frozen=True)
class IdField:
    """A field of one record type that holds ids of records of another."""

    holder: str
    """The type of the record the field is in."""
    path: tuple[str, ...]
    """Where the ids are, from the record: field names, and :data:`EACH` for each item of a list."""
    names: str
    """The type of the records the ids are of."""


#: Fields whose ids must each name a record of the folder.
REFERENCES: tuple[IdField, ...] = (
    IdField("journey", ("personas", EACH), "persona"),
    IdField("journey", ("compares_to",), "journey"),
    IdField("journey", ("stages", EACH, "steps", EACH, "touchpoints", EACH), "touchpoint"),
    IdField("journey", ("stages", EACH, "steps", EACH, "actors", EACH), "persona"),
)
#: The columns of a measurement row that name records: a row is read as a plain
#: mapping of its cells, its step as ``journey-id/step-id``.
MEASUREMENT_REFERENCES: tuple[IdField, ...] = (
    IdField("measurement", ("journey",), "journey"),
    IdField("measurement", ("step",), "step"),
    IdField("measurement", ("touchpoint",), "touchpoint"),
)
#: Fields that declare records of another type inside a record, each item with
#: its own ``id``: touchpoints declared inline by a journey.
INLINE_DECLARATIONS: tuple[IdField, ...] = (
    IdField("journey", ("touchpoints", EACH), "touchpoint"),
)


#: The fields of one record type as a tree of their paths, each leaf the type of
#: record its ids name, so that a record is walked once for all its fields.
#: Keyed by a field's name and whether each item of its list is walked.
_Tree = dict[tuple[str, bool], "_Tree | str"]


def _tree(fields: Iterable[IdField], holder: str) -> _Tree:
    tree: _Tree = {}
    for id_field in fields:
        if id_field.holder != holder:
            continue
        steps: list[tuple[str, bool]] = []
        for part in id_field.path:
            if part == EACH:
                assert steps and not steps[-1][1], f"{id_field.path}: {EACH} follows a field name"
                steps[-1] = (steps[-1][0], True)
            else:
                steps.append((part, False))
        node = tree
        for step in steps[:-1]:
            below = node.setdefault(step, {})
            assert isinstance(below, dict), f"{id_field.path} passes through another field's ids"
            node = below
        node[steps[-1]] = id_field.names
    return tree


_ALL_REFERENCES: list[IdField] = [*REFERENCES, *MEASUREMENT_REFERENCES]
_REFERENCE_TREES = {f.holder: _tree(_ALL_REFERENCES, f.holder) for f in _ALL_REFERENCES}
_INLINE_TREES = {f.holder: _tree(INLINE_DECLARATIONS, f.holder) for f in INLINE_DECLARATIONS}


def register_id_fields(fields: Iterable[IdField]) -> None:
    """Add the id fields of another input (:func:`~.sources.register_source` calls it).

    A field already in the table is not added twice, so registering a source
    again changes nothing.
    """
    added = [f for f in fields if f not in _ALL_REFERENCES]
    if not added:
        return
    _ALL_REFERENCES.extend(added)
    for holder in {f.holder for f in added}:
        _REFERENCE_TREES[holder] = _tree(_ALL_REFERENCES, holder)


def _walk(
    record: Any,
    tree: _Tree,
    loc: Loc,
    known: Mapping[str, Container[str]],
    found: list[tuple[str, Any, Loc]],
) -> None:
    """Append (type, value, where) for each value at a leaf of ``tree``, unless known.

    Plain values are followed only where their types are right (a mapping
    where a field is named, a list where its items are walked); a field left
    out or null holds nothing. Texts in ``known`` are passed over before their
    place is worked out: checking a folder, only the unknown ids need one.
    """
    if isinstance(record, dict):
        field_of = record.get
    elif isinstance(record, BaseModel):
        field_of = vars(record).get  # a model keeps its fields' values there
    else:
        return
    for (name, each), below in tree.items():
        value = field_of(name)
        if value is None or (each and not isinstance(value, list)):
            continue
        here = (*loc, name)
        if isinstance(below, str):
            skip = known.get(below, ())
            if not each:
                if not (isinstance(value, str) and value in skip):
                    found.append((below, value, here))
                continue
            found.extend(
                (below, item, (*here, i))
                for i, item in enumerate(value)
                if not (isinstance(item, str) and item in skip)
            )
        elif each:
            for i, item in enumerate(value):
                _walk(item, below, (*here, i), known, found)
        else:
            _walk(value, below, here, known, found)


def has_references(record_type: str) -> bool:
    """Whether records of this type name any other record."""
    return record_type in _REFERENCE_TREES


def references_of(
    record_type: str, record: Any, known: Mapping[str, Container[str]] | None = None
) -> list[tuple[str, Any, Loc]]:
    """(type, id, where) of every id a record of ``record_type`` names, field by field.

    The id is as written: not text where an invalid file has something else.
    With ``known`` (the ids declared, by type), only the ids it lacks.
    """
    found: list[tuple[str, Any, Loc]] = []
    _walk(record, _REFERENCE_TREES.get(record_type, {}), (), known or {}, found)
    return found


def inline_records(record_type: str, record: Any) -> list[tuple[str, Any, Loc]]:
    """(type, record, where) of each record declared inside a record."""
    found: list[tuple[str, Any, Loc]] = []
    _walk(record, _INLINE_TREES.get(record_type, {}), (), {}, found)
    return found


def inline_ids(record_type: str, record: Any) -> list[tuple[str, str, Loc]]:
    """(type, id, where) of each record declared inside a record, where its id is text."""
    found = []
    for kind, value, loc in inline_records(record_type, record):
        inline_id = value.get("id") if isinstance(value, dict) else getattr(value, "id", None)
        if isinstance(inline_id, str):
            found.append((kind, inline_id, (*loc, "id")))
    return found
