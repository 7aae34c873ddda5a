"""Two registries -> a change set: records matched by id.

A file that moves or is renamed but keeps its id is no change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Mapping
from typing import Any

from ..model import Journey, Persona, Touchpoint
from ..registry import Registry
from .changes import Change, ChangeSet, EmotionCurve, RecordDiff, RecordType, Status, field_changes
from .journeys import journey_changes, matched_emotions, measured_emotion_changes

PERSONA_FIELDS = (
    "name",
    "role",
    "segment",
    "demographics",
    "goals",
    "challenges",
    "preferences",
    "quote",
)
TOUCHPOINT_FIELDS = ("name", "channel", "category", "owner")


def diff_registries(
    before: Registry, after: Registry, before_label: str = "before", after_label: str = "after"
) -> ChangeSet:
    """Compare two registries record by record, matched by id."""
    records: list[RecordDiff] = []

    def journey_and_measured(old: Journey, new: Journey) -> list[Change]:
        changes = journey_changes(old, new)
        if before.measurements or after.measurements:
            changes += measured_emotion_changes(
                old, new, _measured(before, old.id), _measured(after, new.id)
            )
        return changes

    records.extend(_diff_records(before.journeys, after.journeys, "journey", journey_and_measured))
    records.extend(_diff_records(before.personas, after.personas, "persona", _persona_changes))
    records.extend(
        _diff_records(before.touchpoints, after.touchpoints, "touchpoint", _touchpoint_changes)
    )
    for source in sorted(before.inputs.keys() | after.inputs.keys()):
        records.extend(
            _diff_input(source, before.inputs.get(source, {}), after.inputs.get(source, {}))
        )
    return ChangeSet(before_label, after_label, tuple(records))


def _measured(registry: Registry, journey_id: str) -> list[float | None]:
    """Each step's measured emotion in step order, ``None`` where the data names none."""
    return [m.value if m is not None else None for m in registry.measured_emotions(journey_id)]


def _rows(count: int) -> str:
    return f"{count} row{'' if count == 1 else 's'}"


def _diff_input(
    source: str,
    before: Mapping[str, tuple[Hashable, ...]],
    after: Mapping[str, tuple[Hashable, ...]],
) -> Iterator[RecordDiff]:
    """The files of an input that is not records (measurement tables), matched by path.

    Rows are compared as a multiset: moving a row within its file is no
    change, editing one is a row removed and a row added.
    """
    for path in sorted(before.keys() | after.keys()):
        old, new = before.get(path), after.get(path)
        name = path.rsplit("/", 1)[-1]
        if old is None or new is None:
            status: Status = "added" if old is None else "removed"
            rows = new if new is not None else old
            yield RecordDiff(source, path, status, f"{name}, {_rows(len(rows or ()))}", path)
            continue
        old_rows, new_rows = Counter(old), Counter(new)
        added, removed = sum((new_rows - old_rows).values()), sum((old_rows - new_rows).values())
        changes = [Change("rows-added", after=added)] if added else []
        changes += [Change("rows-removed", before=removed)] if removed else []
        if changes:
            yield RecordDiff(
                source, path, "changed", f"{name}, {_rows(len(new))}", path, tuple(changes)
            )


def _title(record: Journey | Persona | Touchpoint) -> str:
    return record.title if isinstance(record, Journey) else record.name


def _curve(record: Journey | Persona | Touchpoint | None) -> EmotionCurve | None:
    if not isinstance(record, Journey):
        return None
    return tuple((stage.name, step.name, step.emotion) for stage, step in record.all_steps())


def _diff_records(
    before: dict[str, Any],
    after: dict[str, Any],
    record_type: RecordType,
    compare: Callable[[Any, Any], list[Change]],
) -> Iterator[RecordDiff]:
    for record_id in sorted(set(before) | set(after)):
        old, new = before.get(record_id), after.get(record_id)
        shown = new if new is not None else old
        assert shown is not None
        path = shown.source.relative_path
        if old is None or new is None:
            status: Status = "added" if old is None else "removed"
            yield RecordDiff(
                record_type, record_id, status, _title(shown), path, (), _curve(old), _curve(new)
            )
            continue
        changes = compare(old, new)
        if changes:
            yield RecordDiff(
                record_type,
                record_id,
                "changed",
                _title(new),
                path,
                tuple(changes),
                _curve(old),
                _curve(new),
                matched_emotions(old, new),
            )


def _persona_changes(old: Persona, new: Persona) -> list[Change]:
    changes = field_changes(old, new, PERSONA_FIELDS)
    if old.body != new.body:
        changes.append(Change("body"))
    return changes


def _touchpoint_changes(old: Touchpoint, new: Touchpoint) -> list[Change]:
    """Fields and body; a touchpoint declared inline in a journey has an empty body."""
    changes = field_changes(old, new, TOUCHPOINT_FIELDS)
    if old.body != new.body:
        changes.append(Change("body"))
    return changes
