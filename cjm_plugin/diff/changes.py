"""The change set: what differs between two maps, record by record.

Change kinds, with the keys each one fills (``stage`` and ``step`` are names,
on the after side when the record has one):

- ``field``: a record field (``field``) changed ``before`` -> ``after``.
  Journeys: title, state, objective, owner, personas, compares_to, tags,
  reviewed, review_every.
  Personas: name, role, segment, demographics, goals, challenges,
  preferences, quote. Touchpoints: name, channel, category, owner.
- ``body``: the Markdown below the front matter changed.
- ``stage-added`` / ``stage-removed`` (``stage``); ``stage-renamed``
  (``stage``, ``before``, ``after``: old and new name); ``stages-reordered``
  (``before``, ``after``: lists of stage names); ``stage-field`` (``stage``,
  ``field``: goal or id, ``before``, ``after``).
- ``step-added`` / ``step-removed`` (``stage``, ``step``); ``step-renamed``
  (``stage``, ``step``, ``before``, ``after``: old and new name);
  ``step-moved`` (``stage``, ``step``, ``before``, ``after``: old and new
  stage name); ``steps-reordered`` (``stage``, ``before``, ``after``: lists
  of step names).
- ``emotion`` (``stage``, ``step``, ``before``, ``after``: integers 1..5);
  ``thoughts`` (``before``, ``after``: text or null); ``step-field``
  (``field``: actors, evidence or id, ``before``, ``after``).
- ``touchpoint-attached`` / ``touchpoint-detached``, ``pain-point-added`` /
  ``pain-point-removed``, ``opportunity-added`` / ``opportunity-removed``,
  ``source-added`` / ``source-removed``
  (``stage``, ``step``, ``item``: the touchpoint id or the text).
- ``moment-of-truth-set`` / ``moment-of-truth-cleared`` (``stage``, ``step``).
- ``metric-added`` / ``metric-removed`` (``item``: metric name; ``after`` /
  ``before``: ``{"before": ..., "after": ...}``); ``metric-changed``
  (``item``, ``field``: before or after, ``before``, ``after``).
- ``action-added`` / ``action-removed`` (``item``: action title; ``after`` /
  ``before``: ``{"owner": ..., "due": "YYYY-MM-DD", "status": ...}``);
  ``action-changed`` (``item``, ``field``: owner, due or status, ``before``,
  ``after``).
- ``measured-emotion`` (``stage``, ``step``, ``before``, ``after``: the step's
  emotion as the measurement tables give it, one decimal, or null without
  data), for a step of a journey on both sides.
- ``rows-added`` / ``rows-removed`` (``after`` / ``before``: how many): rows
  of a measurement table (or of another input's file), wherever they stand
  in it; a changed row is one removed and one added.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

RecordType = str
"""``journey``, ``persona``, ``touchpoint``, or the name of another input's source
(``measurements``): then the record is one of its files."""
RECORD_TYPES = ("journey", "persona", "touchpoint")
Status = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class Change:
    """One difference inside a record; which keys are filled depends on ``kind``."""

    kind: str
    stage: str | None = None
    step: str | None = None
    field: str | None = None
    item: str | None = None
    before: Any = None
    after: Any = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


EmotionCurve = tuple[tuple[str, str, int], ...]
"""(stage name, step name, emotion) of every step in order."""


@dataclass(frozen=True)
class RecordDiff:
    """A record that was added, removed or changed, with what changed in it."""

    type: RecordType
    id: str
    status: Status
    title: str
    path: str
    changes: tuple[Change, ...] = ()
    emotions_before: EmotionCurve | None = None
    emotions_after: EmotionCurve | None = None
    emotions_matched: tuple[int, ...] | None = None
    """Before-side emotion of each after-side step, when every step on both sides
    is matched: the chart then draws both curves over the same steps."""

    @property
    def average_before(self) -> float | None:
        return _average(self.emotions_before)

    @property
    def average_after(self) -> float | None:
        return _average(self.emotions_after)

    @property
    def emotions_changed(self) -> bool:
        """Whether the emotion curve differs, for the chart in the Markdown report."""
        return (
            self.status == "changed"
            and self.emotions_before is not None
            and [e for *_, e in self.emotions_before] != [e for *_, e in self.emotions_after or ()]
        )


def _average(curve: EmotionCurve | None) -> float | None:
    if not curve:
        return None
    return round(sum(emotion for *_, emotion in curve) / len(curve), 2)


@dataclass(frozen=True)
class ChangeSet:
    """Every difference between two sides, ready to be formatted."""

    before: str
    after: str
    records: tuple[RecordDiff, ...]

    @property
    def changed(self) -> bool:
        return bool(self.records)

    @property
    def summary(self) -> str:
        """``1 journey added, 2 journeys changed, 1 measurements file changed``, or ``no changes``."""
        parts = []
        inputs = sorted({r.type for r in self.records} - set(RECORD_TYPES))
        for record_type in (*RECORD_TYPES, *inputs):
            noun = record_type if record_type in RECORD_TYPES else f"{record_type} file"
            for status in ("added", "removed", "changed"):
                n = sum(1 for r in self.records if r.type == record_type and r.status == status)
                if n:
                    parts.append(f"{n} {noun}{'' if n == 1 else 's'} {status}")
        return ", ".join(parts) if parts else "no changes"


def json_value(value: Any) -> Any:
    """A field value as JSON has it: dates as ISO text, tuples as lists."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    return value


def field_changes(old: Any, new: Any, names: Sequence[str]) -> list[Change]:
    """A ``field`` change for each of ``names`` whose value differs."""
    changes = []
    for name in names:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changes.append(
                Change("field", field=name, before=json_value(before), after=json_value(after))
            )
    return changes
