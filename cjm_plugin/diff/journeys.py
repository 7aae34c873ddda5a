"""Two versions of one journey compared: stages and steps matched, then each pair.

Stages are matched by id, then by position. Steps are matched within their
journey by stage and name; a step renamed in place (same position, same
touchpoints and emotion) or moved to another stage under the same name is
reported as such, not as a removal plus an addition.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..model import Journey, Stage, Step
from .changes import Change, field_changes, json_value

JOURNEY_FIELDS = (
    "title",
    "state",
    "objective",
    "owner",
    "personas",
    "compares_to",
    "tags",
    "reviewed",
    "review_every",
)
#: Fields of a step reported as ``step-field`` changes, before -> after.
STEP_FIELDS = ("actors", "evidence", "id")


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
    changes += _listed("source", old.sources, new.sources, stage, name)
    for step_field in STEP_FIELDS:
        before, after = getattr(old, step_field), getattr(new, step_field)
        if before != after:
            changes.append(
                Change(
                    "step-field",
                    stage,
                    name,
                    field=step_field,
                    before=json_value(before),
                    after=json_value(after),
                )
            )
    return changes


def _is_reordered(order: list[int]) -> bool:
    return any(a > b for a, b in itertools.pairwise(order))


def journey_changes(old: Journey, new: Journey) -> list[Change]:
    """Every change in one journey, in reading order."""
    # The common case on a large site, and far cheaper than matching steps. Fields
    # only: ``==`` on the records would also compare where they were read from.
    if old.__dict__ == new.__dict__ and old.body == new.body:
        return []
    changes = field_changes(old, new, JOURNEY_FIELDS)
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
            "due": json_value(action.due),
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


def matched_emotions(old: Any, new: Any) -> tuple[int, ...] | None:
    """``RecordDiff.emotions_matched`` of two journeys; ``None`` for other records."""
    if not isinstance(old, Journey) or not isinstance(new, Journey):
        return None
    match = _match_steps(old, new, _match_stages(old, new))
    if match.added or match.removed:
        return None
    by_new = {(id(p.new_stage), p.new_index): p.old.emotion for p in match.pairs}
    return tuple(by_new[(id(stage), t)] for stage in new.stages for t in range(len(stage.steps)))


def measured_emotion_changes(
    old: Journey,
    new: Journey,
    before: Sequence[float | None],
    after: Sequence[float | None],
) -> list[Change]:
    """``measured-emotion`` for each step on both sides whose measured emotion moved.

    ``before`` and ``after`` are each side's measured emotion by step, in step
    order (from the registries); compared at one decimal, as the map shows them.
    """
    stages = _match_stages(old, new)
    changes = []
    for pair in _match_steps(old, new, stages).pairs:
        was = before[_number(old, pair.old_stage, pair.old_index)]
        now = after[_number(new, pair.new_stage, pair.new_index)]
        was, now = (None if v is None else round(v, 1) for v in (was, now))
        if was != now:
            changes.append(
                Change(
                    "measured-emotion",
                    stage=pair.new_stage.name,
                    step=pair.new.name,
                    before=was,
                    after=now,
                )
            )
    return changes


def _number(journey: Journey, stage: Stage, index: int) -> int:
    """The 0-based position in the whole journey of step ``index`` of ``stage``."""
    number = 0
    for candidate in journey.stages:
        if candidate is stage:
            return number + index
        number += len(candidate.steps)
    raise ValueError("the stage is not one of the journey's")
