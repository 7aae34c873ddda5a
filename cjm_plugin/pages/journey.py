"""A page for each journey: its map, diagram, emotion curve, metrics, actions and history."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from .. import diagnostics as diag
from ..diagnostics import Diagnostic
from ..history import Revision
from ..mermaid import MERMAID_MAX_TEXT_SIZE, emotion_curve, journey_diagram
from ..model import Journey
from ..nav import NavPlace
from ..registry import Registry, StepRef
from .base import Link, Page, PlannedPage, Site, body_text, named_ids
from .markup import render_markdown


@dataclass(frozen=True)
class StepView:
    """A step as the journey map shows it: a column under its stage."""

    stage: str
    stage_goal: str
    """The stage's goal on the stage's first step, else ``""``."""
    anchor: str
    number: int
    name: str
    moment_of_truth: bool
    actors: list[Link]
    touchpoints: list[Link]
    emotion: int
    thoughts: str
    pain_points: list[str]
    opportunities: list[str]
    link: Link
    """To the step on its journey page."""


@dataclass(frozen=True)
class MetricView:
    name: str
    before: str | None
    """As written; a number as Python writes it; ``None`` when absent."""
    after: str | None


@dataclass(frozen=True)
class ActionView:
    title: str
    owner: str | None
    due: str | None
    """ISO date."""
    status: str


@dataclass(frozen=True)
class JourneyView:
    """Everything a journey page shows, as plain data."""

    journey: Journey
    """The record, for its own fields (title, state, objective, owner, tags)."""
    other: Link | None
    """The journey's other state."""
    other_state: str | None
    personas: list[Link]
    lowest: StepView
    diagram: str | None
    """Mermaid source; ``None`` when over Mermaid's limit."""
    curve: str | None
    max_text_size: str
    steps: list[StepView]
    states: list[tuple[str, Link]]
    """The lines of the emotion curve: each state with its journey."""
    metrics: list[MetricView]
    actions: list[ActionView]
    history: list[Revision]
    body: str

    @property
    def moments(self) -> list[StepView]:
        return [step for step in self.steps if step.moment_of_truth]


def _value(value: str | float | None) -> str | None:
    """A metric value as written; numbers without locale."""
    return value if value is None or isinstance(value, str) else repr(value)


def _steps(site: Site, refs: list[StepRef]) -> list[StepView]:
    targets = site.targets
    return [
        StepView(
            stage=ref.stage.name,
            stage_goal=(ref.stage.goal or "")
            if i == 0 or refs[i - 1].stage is not ref.stage
            else "",
            anchor=ref.anchor,
            number=ref.number,
            name=ref.step.name,
            moment_of_truth=ref.step.moment_of_truth,
            actors=targets.personas(ref.journey.actors_of(ref.step)),
            touchpoints=[targets.touchpoint(t) for t in ref.step.touchpoints],
            emotion=ref.step.emotion,
            thoughts=ref.step.thoughts or "",
            pain_points=list(ref.step.pain_points),
            opportunities=list(ref.step.opportunities),
            link=targets.step(ref),
        )
        for i, ref in enumerate(refs)
    ]


def _states(journey: Journey, registry: Registry) -> list[Journey]:
    """The journey and its other state, current state first, for the emotion curve."""
    other = registry.counterpart(journey.id)
    journeys = [journey] if other is None or other.id == journey.id else [journey, other]
    return sorted(journeys, key=lambda j: (j.state != "current", j.id))


def _too_large(journey: Journey, name: str) -> Diagnostic:
    return diag.warning(
        journey.source.path,
        1,
        1,
        "diagram-too-large",
        f"the {name} of journey '{journey.id}' is over Mermaid's limit of "
        f"{MERMAID_MAX_TEXT_SIZE:,} characters, so the page shows the journey map without it; "
        "shorten step names or split the journey",
    )


def journey_view(site: Site, journey: Journey) -> tuple[JourneyView, tuple[Diagnostic, ...]]:
    """What the journey's page shows, and warnings about what it leaves out."""
    registry, targets = site.registry, site.targets
    refs = registry.steps(journey.id)
    steps = _steps(site, refs)
    other = registry.counterpart(journey.id)
    states = _states(journey, registry)
    actors = {actor for _, step in journey.all_steps() for actor in journey.actors_of(step)}
    persona_names = {
        pid: registry.personas[pid].name
        for pid in sorted(actors | set(journey.personas))
        if pid in registry.personas
    }
    diagram, curve = journey_diagram(journey, persona_names), emotion_curve(states)
    too_large = {
        name
        for name, source in (("journey diagram", diagram), ("emotion curve", curve))
        if len(source) > MERMAID_MAX_TEXT_SIZE
    }
    warnings = tuple(
        _too_large(journey, name)
        for name in ("journey diagram", "emotion curve")
        if name in too_large
    )
    lowest = min(range(len(refs)), key=lambda i: refs[i].step.emotion)  # the first on a tie
    view = JourneyView(
        journey=journey,
        other=targets.journey(other) if other is not None else None,
        other_state=other.state if other is not None else None,
        personas=targets.personas(journey.personas),
        lowest=steps[lowest],
        diagram=None if "journey diagram" in too_large else diagram,
        curve=None if "emotion curve" in too_large else curve,
        max_text_size=f"{MERMAID_MAX_TEXT_SIZE:,}",
        steps=steps,
        states=[(state.state, targets.journey(state)) for state in states],
        metrics=[MetricView(m.name, _value(m.before), _value(m.after)) for m in journey.metrics],
        actions=[
            ActionView(a.title, a.owner, a.due.isoformat() if a.due is not None else None, a.status)
            for a in journey.actions
        ],
        history=list(site.history.get(journey.id, ())),
        body=body_text(journey.body),
    )
    return view, warnings


def journey_page(site: Site, journey: Journey) -> Page:
    uri = site.layout.journey_uri(journey.id)
    view, warnings = journey_view(site, journey)
    markdown = render_markdown("journey.md.j2", uri, page=view)
    return Page(uri, "journey", journey.source.relative_path, journey.title, markdown, warnings)


def journey_shows(site: Site, journey: Journey) -> tuple[object, ...]:
    """The journey, its other state, their personas and touchpoints, and its history.

    Whole records, not just names: a page that shows one field of a record is
    rendered again when any field changes, which is cheap and never stale.
    """
    registry = site.registry
    other = registry.counterpart(journey.id)
    persona_ids, touchpoint_ids = named_ids(journey, other)
    return (
        site.layout,
        tuple(site.history.get(journey.id, ())),
        journey,
        other,
        tuple(registry.personas.get(persona_id) for persona_id in persona_ids),
        tuple(registry.touchpoints.get(touchpoint_id) for touchpoint_id in touchpoint_ids),
    )


class JourneyPages:
    """One page per journey, at ``<journeys_url>/<id>/``."""

    name = "journey"
    url_option = "journeys_url"
    nav = NavPlace(10, "Journeys")

    def plan(self, site: Site) -> Iterator[PlannedPage]:
        for journey in site.registry.journeys.values():
            yield PlannedPage(
                site.layout.journey_uri(journey.id),
                self.name,
                journey.source.relative_path,
                partial(journey_shows, site, journey),
                partial(journey_page, site, journey),
            )
