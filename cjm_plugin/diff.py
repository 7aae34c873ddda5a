"""What changed between two revisions of the journey maps: ``cjm diff``.

Two registries -> a ``ChangeSet`` -> Markdown (a pull-request comment), text
(a terminal) or JSON (tools). Records are matched by id, so a file that moves
or is renamed but keeps its id is no change. Steps are matched within their
journey by stage and name; a step renamed in place (same position, same
touchpoints and emotion) or moved to another stage under the same name is
reported as such, not as a removal plus an addition.

JSON output (``--format json``), version 1. Every key is always present;
``null`` where it does not apply::

    {
      "format": "cjm-diff", "version": 1,
      "before": "HEAD",              # label of each side: a revision,
      "after": "working tree",       #   "working tree" or a folder path
      "changed": true,
      "summary": "1 journey changed, 1 persona added",   # or "no changes"
      "records": [                   # journeys, then personas, then
        {                            #   touchpoints; each sorted by id
          "type": "journey",         # journey | persona | touchpoint
          "id": "course-purchase",
          "status": "changed",       # added | removed | changed
          "title": "Jane buys ...",  # journey title, persona or touchpoint name
          "path": "buy/course.md",   # inside the journeys folder (after side,
                                     #   or before side for a removed record)
          "average_emotion": {"before": 3.2, "after": 3.6},   # journeys only;
                                     #   a side without the journey is null
          "emotions": {"before": [{"stage": "...", "step": "...", "emotion": 3}],
                       "after": [...]},                       # journeys only
          "changes": [               # in reading order; [] when added/removed
            {"kind": "emotion", "stage": "Purchase",
             "step": "Fills the checkout form", "field": null, "item": null,
             "before": 2, "after": 4}
          ]
        }
      ]
    }

Change kinds, with the keys each one fills (``stage`` and ``step`` are names,
on the after side when the record has one):

- ``field``: a record field (``field``) changed ``before`` -> ``after``.
  Journeys: title, state, objective, owner, personas, compares_to, tags.
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
  (``field``: actors, ``before``, ``after``).
- ``touchpoint-attached`` / ``touchpoint-detached``, ``pain-point-added`` /
  ``pain-point-removed``, ``opportunity-added`` / ``opportunity-removed``
  (``stage``, ``step``, ``item``: the touchpoint id or the text).
- ``moment-of-truth-set`` / ``moment-of-truth-cleared`` (``stage``, ``step``).
- ``metric-added`` / ``metric-removed`` (``item``: metric name; ``after`` /
  ``before``: ``{"before": ..., "after": ...}``); ``metric-changed``
  (``item``, ``field``: before or after, ``before``, ``after``).
- ``action-added`` / ``action-removed`` (``item``: action title; ``after`` /
  ``before``: ``{"owner": ..., "due": "YYYY-MM-DD", "status": ...}``);
  ``action-changed`` (``item``, ``field``: owner, due or status, ``before``,
  ``after``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import click

from . import escape
from .diagnostics import Diagnostic
from .git_revisions import GitError, repository_top, revision_sources
from .loader import JourneysFolderMissing, LoadResult, load_folder, load_sources
from .model import Journey, Persona, Stage, Step, Touchpoint
from .registry import Registry

DIFF_FORMATS = ("markdown", "text", "json")
WORKING_TREE = "working tree"
JSON_VERSION = 1

RecordType = Literal["journey", "persona", "touchpoint"]
Status = Literal["added", "removed", "changed"]

JOURNEY_FIELDS = ("title", "state", "objective", "owner", "personas", "compares_to", "tags")
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
        """``1 journey added, 2 journeys changed``, or ``no changes``."""
        parts = []
        for record_type in ("journey", "persona", "touchpoint"):
            for status in ("added", "removed", "changed"):
                n = sum(1 for r in self.records if r.type == record_type and r.status == status)
                if n:
                    parts.append(f"{n} {record_type}{'' if n == 1 else 's'} {status}")
        return ", ".join(parts) if parts else "no changes"


# ---------------------------------------------------------------------------
# Two registries -> a change set


def diff_registries(
    before: Registry, after: Registry, before_label: str = "before", after_label: str = "after"
) -> ChangeSet:
    """Compare two registries record by record, matched by id."""
    records: list[RecordDiff] = []
    records.extend(_diff_records(before.journeys, after.journeys, "journey", _journey_changes))
    records.extend(_diff_records(before.personas, after.personas, "persona", _persona_changes))
    records.extend(
        _diff_records(before.touchpoints, after.touchpoints, "touchpoint", _touchpoint_changes)
    )
    return ChangeSet(before_label, after_label, tuple(records))


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
                _matched_emotions(old, new),
            )


def _matched_emotions(old: Any, new: Any) -> tuple[int, ...] | None:
    if not isinstance(old, Journey) or not isinstance(new, Journey):
        return None
    match = _match_steps(old, new, _match_stages(old, new))
    if match.added or match.removed:
        return None
    by_new = {(id(p.new_stage), p.new_index): p.old.emotion for p in match.pairs}
    return tuple(by_new[(id(stage), t)] for stage in new.stages for t in range(len(stage.steps)))


def _json_value(value: Any) -> Any:
    """A field value as JSON has it: dates as ISO text, tuples as lists."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return value


def _field_changes(old: Any, new: Any, names: Sequence[str]) -> list[Change]:
    changes = []
    for name in names:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changes.append(
                Change("field", field=name, before=_json_value(before), after=_json_value(after))
            )
    return changes


def _persona_changes(old: Persona, new: Persona) -> list[Change]:
    changes = _field_changes(old, new, PERSONA_FIELDS)
    if old.body != new.body:
        changes.append(Change("body"))
    return changes


def _touchpoint_changes(old: Touchpoint, new: Touchpoint) -> list[Change]:
    """Fields and body; a touchpoint declared inline in a journey has an empty body."""
    changes = _field_changes(old, new, TOUCHPOINT_FIELDS)
    if old.body != new.body:
        changes.append(Change("body"))
    return changes


# --- journeys


@dataclass
class _StepPair:
    """A step of the before side matched to one of the after side, and how."""

    old_stage: Stage
    old_index: int
    old: Step
    new_stage: Stage
    new_index: int
    new: Step
    how: Literal["same", "renamed", "moved"]


@dataclass
class _StepMatch:
    pairs: list[_StepPair] = field(default_factory=list)
    added: list[tuple[int, int]] = field(default_factory=list)
    """(stage index, step index) of after-side steps with no match."""
    removed: list[tuple[int, int]] = field(default_factory=list)


def _match_stages(old: Journey, new: Journey) -> dict[int, int]:
    """After-side stage index -> before-side index: by id first, then by position."""
    by_slug = {stage.slug: i for i, stage in enumerate(old.stages)}
    matched: dict[int, int] = {}
    for i, stage in enumerate(new.stages):
        if stage.slug in by_slug:
            matched[i] = by_slug[stage.slug]
    taken = set(matched.values())
    for i in range(len(new.stages)):
        if i not in matched and i < len(old.stages) and i not in taken:
            matched[i] = i
            taken.add(i)
    return dict(sorted(matched.items()))


def _match_steps(old: Journey, new: Journey, stages: dict[int, int]) -> _StepMatch:
    """Pair steps: same stage and name; same name elsewhere (moved); same spot (renamed)."""
    match = _StepMatch()
    old_free = {(s, t) for s, stage in enumerate(old.stages) for t in range(len(stage.steps))}
    new_free: list[tuple[int, int]] = []

    def pair(
        o: tuple[int, int], n: tuple[int, int], how: Literal["same", "renamed", "moved"]
    ) -> None:
        old_free.discard(o)
        match.pairs.append(
            _StepPair(
                old.stages[o[0]],
                o[1],
                old.stages[o[0]].steps[o[1]],
                new.stages[n[0]],
                n[1],
                new.stages[n[0]].steps[n[1]],
                how,
            )
        )

    for s, stage in enumerate(new.stages):
        for t, step in enumerate(stage.steps):
            old_s = stages.get(s)
            found = None
            if old_s is not None:
                for u, candidate in enumerate(old.stages[old_s].steps):
                    if (old_s, u) in old_free and candidate.name == step.name:
                        found = (old_s, u)
                        break
            if found is not None:
                pair(found, (s, t), "same")
            else:
                new_free.append((s, t))
    still_free: list[tuple[int, int]] = []
    for s, t in new_free:
        step = new.stages[s].steps[t]
        moved = next(
            (
                o
                for o in sorted(old_free)
                if old.stages[o[0]].steps[o[1]].name == step.name and stages.get(s) != o[0]
            ),
            None,
        )
        if moved is not None:
            pair(moved, (s, t), "moved")
            continue
        old_s = stages.get(s)
        if old_s is not None and (old_s, t) in old_free:
            candidate = old.stages[old_s].steps[t]
            if candidate.touchpoints == step.touchpoints and candidate.emotion == step.emotion:
                pair((old_s, t), (s, t), "renamed")
                continue
        still_free.append((s, t))
    match.added = still_free
    match.removed = sorted(old_free)
    return match


def _listed(
    kind: str, before: Sequence[str], after: Sequence[str], stage: str, step: str
) -> list[Change]:
    """Items gone then items new, each in its list's order."""
    gone = [x for x in dict.fromkeys(before) if x not in after]
    new = [x for x in dict.fromkeys(after) if x not in before]
    return [Change(f"{kind}-removed", stage, step, item=x) for x in gone] + [
        Change(f"{kind}-added", stage, step, item=x) for x in new
    ]


def _step_changes(old: Step, new: Step, stage: str) -> list[Change]:
    name = new.name
    changes: list[Change] = []
    if old.emotion != new.emotion:
        changes.append(Change("emotion", stage, name, before=old.emotion, after=new.emotion))
    gone = [t for t in dict.fromkeys(old.touchpoints) if t not in new.touchpoints]
    attached = [t for t in dict.fromkeys(new.touchpoints) if t not in old.touchpoints]
    changes += [Change("touchpoint-detached", stage, name, item=t) for t in gone]
    changes += [Change("touchpoint-attached", stage, name, item=t) for t in attached]
    changes += _listed("pain-point", old.pain_points, new.pain_points, stage, name)
    changes += _listed("opportunity", old.opportunities, new.opportunities, stage, name)
    if old.thoughts != new.thoughts:
        changes.append(Change("thoughts", stage, name, before=old.thoughts, after=new.thoughts))
    if old.moment_of_truth != new.moment_of_truth:
        kind = "moment-of-truth-set" if new.moment_of_truth else "moment-of-truth-cleared"
        changes.append(Change(kind, stage, name))
    if old.actors != new.actors:
        changes.append(
            Change(
                "step-field",
                stage,
                name,
                field="actors",
                before=_json_value(old.actors),
                after=_json_value(new.actors),
            )
        )
    return changes


def _is_reordered(order: list[int]) -> bool:
    return any(a > b for a, b in itertools.pairwise(order))


def _journey_changes(old: Journey, new: Journey) -> list[Change]:
    # The common case on a large site, and far cheaper than matching steps. Fields
    # only: ``==`` on the records would also compare where they were read from.
    if old.__dict__ == new.__dict__ and old.body == new.body:
        return []
    changes = _field_changes(old, new, JOURNEY_FIELDS)
    stages = _match_stages(old, new)
    old_matched = set(stages.values())
    for i, stage in enumerate(new.stages):
        if i not in stages:
            changes.append(Change("stage-added", stage.name))
            continue
        before = old.stages[stages[i]]
        if before.name != stage.name:
            changes.append(
                Change("stage-renamed", stage.name, before=before.name, after=stage.name)
            )
        if before.slug != stage.slug and (before.id is not None or stage.id is not None):
            changes.append(
                Change("stage-field", stage.name, field="id", before=before.slug, after=stage.slug)
            )
        if before.goal != stage.goal:
            changes.append(
                Change(
                    "stage-field", stage.name, field="goal", before=before.goal, after=stage.goal
                )
            )
    changes += [
        Change("stage-removed", stage.name)
        for i, stage in enumerate(old.stages)
        if i not in old_matched
    ]
    if _is_reordered(list(stages.values())):
        changes.append(
            Change(
                "stages-reordered",
                before=[old.stages[o].name for o in sorted(stages.values())],
                after=[new.stages[n].name for n in stages],
            )
        )

    match = _match_steps(old, new, stages)
    by_new = {(id(p.new_stage), p.new_index): p for p in match.pairs}
    added = set(match.added)
    for s, stage in enumerate(new.stages):
        for t, step in enumerate(stage.steps):
            if (s, t) in added:
                changes.append(Change("step-added", stage.name, step.name))
                continue
            found = by_new[(id(stage), t)]
            if found.how == "renamed":
                changes.append(
                    Change(
                        "step-renamed",
                        stage.name,
                        step.name,
                        before=found.old.name,
                        after=step.name,
                    )
                )
            elif found.how == "moved":
                changes.append(
                    Change(
                        "step-moved",
                        stage.name,
                        step.name,
                        before=found.old_stage.name,
                        after=stage.name,
                    )
                )
            changes += _step_changes(found.old, step, stage.name)
        if s in stages:
            kept = sorted(
                (
                    p
                    for p in match.pairs
                    if p.new_stage is stage and p.old_stage is old.stages[stages[s]]
                ),
                key=lambda p: p.new_index,
            )
            if _is_reordered([p.old_index for p in kept]):
                changes.append(
                    Change(
                        "steps-reordered",
                        stage.name,
                        before=[p.old.name for p in sorted(kept, key=lambda p: p.old_index)],
                        after=[p.new.name for p in kept],
                    )
                )
    changes += [
        Change("step-removed", old.stages[s].name, old.stages[s].steps[t].name)
        for s, t in match.removed
    ]
    changes += _metric_changes(old, new)
    changes += _action_changes(old, new)
    if old.body != new.body:
        changes.append(Change("body"))
    return changes


def _metric_changes(old: Journey, new: Journey) -> list[Change]:
    before = {m.name: m for m in old.metrics}
    after = {m.name: m for m in new.metrics}
    changes: list[Change] = []
    for name, metric in after.items():
        if name not in before:
            value = {"before": metric.before, "after": metric.after}
            changes.append(Change("metric-added", item=name, after=value))
            continue
        for part in ("before", "after"):
            was, now = getattr(before[name], part), getattr(metric, part)
            if was != now:
                changes.append(
                    Change("metric-changed", item=name, field=part, before=was, after=now)
                )
    for name, metric in before.items():
        if name not in after:
            value = {"before": metric.before, "after": metric.after}
            changes.append(Change("metric-removed", item=name, before=value))
    return changes


def _action_changes(old: Journey, new: Journey) -> list[Change]:
    before = {a.title: a for a in old.actions}
    after = {a.title: a for a in new.actions}
    changes: list[Change] = []

    def fields(action: Any) -> dict[str, Any]:
        return {
            "owner": action.owner,
            "due": _json_value(action.due),
            "status": action.status,
        }

    for title, action in after.items():
        if title not in before:
            changes.append(Change("action-added", item=title, after=fields(action)))
            continue
        was, now = fields(before[title]), fields(action)
        for part in ("owner", "due", "status"):
            if was[part] != now[part]:
                changes.append(
                    Change(
                        "action-changed", item=title, field=part, before=was[part], after=now[part]
                    )
                )
    for title, action in before.items():
        if title not in after:
            changes.append(Change("action-removed", item=title, before=fields(action)))
    return changes


# ---------------------------------------------------------------------------
# Describing a change in words

Sign = Literal["+", "-", "~"]
_ADDED_KINDS = {"added", "attached", "set"}
_REMOVED_KINDS = {"removed", "detached", "cleared"}


def _sign(kind: str) -> Sign:
    last = kind.rsplit("-", 1)[-1]
    if last in _ADDED_KINDS:
        return "+"
    if last in _REMOVED_KINDS:
        return "-"
    return "~"


def _shown(value: Any) -> str:
    """A field value in words: lists comma-separated, nothing as ``(none)``."""
    if value is None or value == [] or value == {}:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_shown(v)}" for k, v in value.items())
    return str(value)


def describe(change: Change, quote: Callable[[str], str] = str) -> str:
    """One line of the report; ``quote`` makes user text safe for the output format."""

    def q(value: Any) -> str:
        return quote(_shown(value))

    step = q(change.step)
    stage = q(change.stage)
    kind = change.kind
    if kind == "field":
        return f"{change.field}: {q(change.before)} → {q(change.after)}"
    if kind == "body":
        return "body changed"
    if kind in ("stage-added", "stage-removed"):
        return f"stage {kind.split('-')[1]}: {stage}"
    if kind == "stage-renamed":
        return f"stage renamed: {q(change.before)} → {q(change.after)}"
    if kind == "stage-field":
        return f"stage {stage}: {change.field} {q(change.before)} → {q(change.after)}"
    if kind == "stages-reordered":
        return f"stages reordered: {q(change.before)} → {q(change.after)}"
    if kind in ("step-added", "step-removed"):
        return f"step {kind.split('-')[1]} in {stage}: {step}"
    if kind == "step-renamed":
        return f"step renamed in {stage}: {q(change.before)} → {q(change.after)}"
    if kind == "step-moved":
        return f"{step}: moved from stage {q(change.before)} to {q(change.after)}"
    if kind == "steps-reordered":
        return f"steps reordered in {stage}: {q(change.before)} → {q(change.after)}"
    if kind == "emotion":
        direction = "better" if change.after > change.before else "worse"
        return f"{step}: emotion {change.before} → {change.after} ({direction})"
    if kind == "thoughts":
        return f"{step}: thoughts {q(change.before)} → {q(change.after)}"
    if kind == "step-field":
        return f"{step}: {change.field} {q(change.before)} → {q(change.after)}"
    if kind.startswith(("touchpoint-", "pain-point-", "opportunity-")):
        what, _, how = kind.rpartition("-")
        return f"{step}: {what.replace('-', ' ')} {how}: {q(change.item)}"
    if kind == "moment-of-truth-set":
        return f"{step}: now a moment of truth"
    if kind == "moment-of-truth-cleared":
        return f"{step}: no longer a moment of truth"
    if kind in ("metric-added", "metric-removed", "action-added", "action-removed"):
        what, _, how = kind.partition("-")
        value = change.after if how == "added" else change.before
        return f"{what} {how}: {q(change.item)} ({q(value)})"
    if kind in ("metric-changed", "action-changed"):
        what = kind.partition("-")[0]
        return f"{what} {q(change.item)}: {change.field} {q(change.before)} → {q(change.after)}"
    return kind


def _average_line(record: RecordDiff) -> str | None:
    before, after = record.average_before, record.average_after
    if before is None and after is None:
        return None
    shown = [f"{v:.2f}" if v is not None else "(none)" for v in (before, after)]
    return f"average emotion {shown[0]} → {shown[1]}"


# ---------------------------------------------------------------------------
# Formats


def format_change_set(change_set: ChangeSet, output_format: str, color: bool = False) -> str:
    """The report in one of ``DIFF_FORMATS``."""
    if output_format == "json":
        return format_json(change_set)
    if output_format == "text":
        return format_text(change_set, color=color)
    return format_markdown(change_set)


def format_json(change_set: ChangeSet) -> str:
    """The documented JSON document (see the module docstring)."""

    def curve(points: EmotionCurve | None) -> list[dict[str, Any]] | None:
        if points is None:
            return None
        return [{"stage": s, "step": t, "emotion": e} for s, t, e in points]

    def record(r: RecordDiff) -> dict[str, Any]:
        journey = r.type == "journey"
        return {
            "type": r.type,
            "id": r.id,
            "status": r.status,
            "title": r.title,
            "path": r.path,
            "average_emotion": (
                {"before": r.average_before, "after": r.average_after} if journey else None
            ),
            "emotions": (
                {"before": curve(r.emotions_before), "after": curve(r.emotions_after)}
                if journey
                else None
            ),
            "changes": [c.as_json() for c in r.changes],
        }

    document = {
        "format": "cjm-diff",
        "version": JSON_VERSION,
        "before": change_set.before,
        "after": change_set.after,
        "changed": change_set.changed,
        "summary": change_set.summary,
        "records": [record(r) for r in change_set.records],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


_COLOURS: dict[str, str] = {
    "+": "green",
    "-": "red",
    "~": "yellow",
    "added": "green",
    "removed": "red",
    "changed": "yellow",
}


def format_text(change_set: ChangeSet, color: bool = False) -> str:
    """For a terminal: ``+``/``-``/``~`` lines, coloured when ``color`` is set."""

    def paint(text: str, key: str, bold: bool = False) -> str:
        return click.style(text, fg=_COLOURS[key], bold=bold) if color else text

    sides = f"{change_set.before} → {change_set.after}"  # a folder's name could hold ##[
    lines = [f"{escape.terminal_text(sides)}: {change_set.summary}"]
    for record in change_set.records:
        header = (
            f"{record.type} {record.id} ({escape.terminal_text(record.title)}): {record.status}"
        )
        lines += ["", paint(header, record.status, bold=True)]
        average = _average_line(record)
        if average is not None and record.status == "changed":
            lines.append(f"  {average}")
        for change in record.changes:
            sign = _sign(change.kind)
            lines.append(paint(f"  {sign} {describe(change, escape.terminal_text)}", sign))
    return "\n".join(lines) + "\n"


def _chart_label(text: str, limit: int = 24) -> str:
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return escape.xychart_label(shown)


def _emotion_chart(record: RecordDiff) -> list[str]:
    """A Mermaid ``xychart-beta``: one line per side, or one chart per side when steps differ."""
    before, after = record.emotions_before or (), record.emotions_after or ()
    charts: list[tuple[str, EmotionCurve, list[Sequence[int]]]]
    if record.emotions_matched is not None:
        now = [e for *_, e in after]
        charts = [("Emotion: before, then after", after, [record.emotions_matched, now])]
    else:
        charts = [
            ("Emotion before", before, [[e for *_, e in before]]),
            ("Emotion after", after, [[e for *_, e in after]]),
        ]
    lines: list[str] = []
    for title, axis, curves in charts:
        categories = ", ".join(
            _chart_label(f"{n}. {step}") for n, (_, step, _) in enumerate(axis, start=1)
        )
        lines += ["```mermaid", "xychart-beta", f'    title "{title}"']
        lines += [f"    x-axis [{categories}]", '    y-axis "Emotion" 1 --> 5']
        lines += [f"    line [{', '.join(str(e) for e in points)}]" for points in curves]
        lines += ["```", ""]
    if len(charts) == 1:
        lines.append("The first line is before, the second after.")
        lines.append("")
    return lines


def format_markdown(change_set: ChangeSet) -> str:
    """A pull-request comment: a summary, then one collapsible section per changed record."""
    md = escape.markdown_text
    html = escape.html_text
    lines = [
        "### Journey map changes",
        "",
        f"{md(change_set.before)} → {md(change_set.after)}: **{change_set.summary}**",
        "",
    ]
    for record in change_set.records:
        summary = (
            f"{record.type.capitalize()} <code>{html(record.id)}</code> {record.status}: "
            f"{html(record.title)}"
        )
        average = _average_line(record)
        if average is not None and record.status == "changed":
            summary += f" ({average})"
        lines += ["<details>", f"<summary>{summary}</summary>", ""]
        lines.append(f"File: {md(record.path)}")
        lines.append("")
        for change in record.changes:
            lines.append(f"- {_MARKDOWN_SIGN[_sign(change.kind)]} {describe(change, md)}")
        if record.changes:
            lines.append("")
        if record.emotions_changed:
            lines += _emotion_chart(record)
        lines += ["</details>", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


_MARKDOWN_SIGN: dict[Sign, str] = {"+": "**+**", "-": "**−**", "~": "**~**"}


# ---------------------------------------------------------------------------
# The two sides of ``cjm diff``


class DiffInputError(Exception):
    """The arguments name nothing that can be compared (a usage error)."""


@dataclass(frozen=True)
class DiffSide:
    """One side of a comparison: what it is called and what loading it found."""

    label: str
    result: LoadResult

    @property
    def errors(self) -> list[Diagnostic]:
        return self.result.errors


def _folder_side(folder: Path, label: str) -> tuple[DiffSide, bool]:
    """A folder on disk; a missing one is an empty side (second item: whether it exists)."""
    try:
        return DiffSide(label, load_folder(folder)), True
    except JourneysFolderMissing:
        return DiffSide(label, load_sources([])), False


def _revision_side(repo: Path, revision: str, folder: str) -> tuple[DiffSide, bool]:
    try:
        sources = revision_sources(repo, revision, folder)
    except GitError as exc:
        raise DiffInputError(str(exc)) from None
    if sources is None:
        return DiffSide(revision, load_sources([])), False
    return DiffSide(revision, load_sources(sources)), True


def load_sides(arguments: Sequence[str], journeys_dir: Path) -> tuple[DiffSide, DiffSide]:
    """What ``cjm diff [A] [B]`` compares.

    Two existing directories are compared as folders. Otherwise the arguments
    are git revisions (A defaults to ``HEAD``, B to the working tree) and
    ``journeys_dir`` (relative to the current folder) is read from each. A
    folder missing from one side makes that side empty; missing from both is
    a usage error, since it is most likely a mistyped ``--journeys-dir``.
    """
    if len(arguments) > 2:
        raise DiffInputError("give at most two revisions or two folders")
    if len(arguments) == 2 and all(Path(a).is_dir() for a in arguments):
        return (
            DiffSide(arguments[0], load_folder(Path(arguments[0]))),
            DiffSide(arguments[1], load_folder(Path(arguments[1]))),
        )
    try:
        repo = repository_top(Path.cwd())
    except GitError:
        raise DiffInputError(
            "not inside a git repository: to compare two folders, give two existing folders"
        ) from None
    folder = Path(os.path.abspath(journeys_dir))
    try:
        inside = folder.relative_to(repo.resolve()).as_posix()
    except ValueError:
        try:
            inside = folder.resolve().relative_to(repo.resolve()).as_posix()
        except ValueError:
            raise DiffInputError(
                f"journeys folder {journeys_dir} is outside the git repository {repo}"
            ) from None
    revision_a = arguments[0] if arguments else "HEAD"
    before, found_before = _revision_side(repo, revision_a, inside)
    if len(arguments) == 2:
        after, found_after = _revision_side(repo, arguments[1], inside)
    else:
        after, found_after = _folder_side(journeys_dir, WORKING_TREE)
    if not found_before and not found_after:
        raise DiffInputError(
            f"journeys folder '{inside}' exists in neither {before.label} nor {after.label}; "
            "use --journeys-dir to name it"
        )
    return before, after


def invalid_side_report(side: DiffSide) -> str:
    """Why a side cannot be compared: its name, then each error as FILE:LINE:COL."""
    count = len(side.errors)
    lines = [
        f"cjm diff: {escape.terminal_text(side.label)} is not a valid journey map ({count} error"
        f"{'' if count == 1 else 's'}):"
    ]
    lines += [str(d) for d in side.errors]
    return "\n".join(lines) + "\n"
