"""A journey beside its other state, stage by stage: "Current → future".

Stages are matched by id (:attr:`~cjm_plugin.model.Stage.slug`), in the
current state's order, then the stages only the future state has. For each,
the average emotion then and now, and the pain points that go away, remain
or are new, matched as the overview matches them (:func:`cjm_plugin.figures.same_text_key`).
The current state always comes first, on either state's page.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..figures import same_text_key
from ..mermaid import format_score
from ..model import Journey, Stage
from .base import Link, Site
from .metrics import MINUS


@dataclass(frozen=True)
class StageComparison:
    """One stage, then and now."""

    name: str
    """As the current state writes it, or the future state when only it has the stage."""
    before: str | None
    """The current state's average emotion, one decimal; ``None`` when it lacks the stage."""
    after: str | None
    change: str | None
    """``after`` minus ``before``, signed, one decimal; ``None`` unless both states have the stage."""
    gone: list[str]
    """Pain points of the current state that the future state no longer has."""
    remaining: list[str]
    """Pain points both states have, as the current state writes them."""
    new: list[str]
    """Pain points only the future state has."""


@dataclass(frozen=True)
class ComparisonView:
    """The section "Current → future" of a journey page, as plain data."""

    current: Link
    future: Link
    this_is_current: bool
    stages: list[StageComparison]


def comparison_view(site: Site, journey: Journey) -> ComparisonView | None:
    """The comparison of ``journey`` with its other state; ``None`` without one
    (or when both are in the same state, which the loader warns about)."""
    other = site.registry.counterpart(journey.id)
    if other is None or other.id == journey.id or other.state == journey.state:
        return None
    current, future = (journey, other) if journey.state == "current" else (other, journey)
    return ComparisonView(
        current=site.targets.journey(current),
        future=site.targets.journey(future),
        this_is_current=current is journey,
        stages=compare_stages(current, future),
    )


def compare_stages(current: Journey, future: Journey) -> list[StageComparison]:
    """Stages matched by id: the current state's in order, then those only the future has."""
    before, after = _by_id(current), _by_id(future)
    ids = list(before) + [stage_id for stage_id in after if stage_id not in before]
    return [_compare(before.get(stage_id, []), after.get(stage_id, [])) for stage_id in ids]


def _by_id(journey: Journey) -> dict[str, list[Stage]]:
    """Stages by id; a list, in case one id is written twice."""
    stages: dict[str, list[Stage]] = {}
    for stage in journey.stages:
        stages.setdefault(stage.slug, []).append(stage)
    return stages


def _compare(before: list[Stage], after: list[Stage]) -> StageComparison:
    name = (before or after)[0].name
    old, new = _average(before), _average(after)
    change = _change(old, new) if old is not None and new is not None else None
    old_pains, new_pains = _pain_points(before), _pain_points(after)
    return StageComparison(
        name=name,
        before=old,
        after=new,
        change=change,
        gone=[text for key, text in old_pains.items() if key not in new_pains],
        remaining=[text for key, text in old_pains.items() if key in new_pains],
        new=[text for key, text in new_pains.items() if key not in old_pains],
    )


def _average(stages: list[Stage]) -> str | None:
    emotions = [step.emotion for stage in stages for step in stage.steps]
    return format_score(sum(emotions) / len(emotions)) if emotions else None


def _change(before: str, after: str) -> str:
    """The change between two one-decimal averages, as they are shown."""
    tenths = round(float(after) * 10) - round(float(before) * 10)
    magnitude = f"{abs(tenths) // 10}.{abs(tenths) % 10}"
    return magnitude if tenths == 0 else ("+" if tenths > 0 else MINUS) + magnitude


def _pain_points(stages: list[Stage]) -> dict[str, str]:
    """Pain points by :func:`same_text_key`, each as first written, in order."""
    texts: dict[str, str] = {}
    for stage in stages:
        for step in stage.steps:
            for text in step.pain_points:
                texts.setdefault(same_text_key(text), text)
    return texts
