"""A page for each journey: its diagram, its map, metrics, actions and history.

The map is a grid made by the templates as HTML (``journey_map.html.j2``),
stages across, lanes down, with the emotion curve as an inline SVG in one of
its rows (:mod:`cjm_plugin.charts`); ``assets/cjm.css`` lays it out for every
screen and for print.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlsplit

from .. import diagnostics as diag
from ..charts import journey_curve_svg
from ..diagnostics import Diagnostic
from ..figures import lowest_of
from ..history import Revision
from ..mermaid import MERMAID_MAX_TEXT_SIZE, journey_diagram
from ..model import Journey
from ..nav import NavPlace
from ..registry import StepRef
from ..review import Review
from .base import Link, PageView, PlannedPage, Site, Width, body_text
from .comparison import comparison_view
from .markup import page_view
from .metrics import MetricRow, metric_rows
from .truth import MeasuredView, measured_view


@dataclass(frozen=True)
class TouchpointView:
    """A touchpoint as a step shows it: a link to its entry, and its channel."""

    link: Link
    channel: str | None
    """The channel's code (``web``, ``mobile-app``...); ``None`` for an unknown touchpoint."""


@dataclass(frozen=True)
class SourceView:
    """Where a step's facts come from: a link when the author gave an http(s) URL."""

    text: str
    url: str | None


_SPACE_RE = re.compile(r"\s")


def source_view(text: str) -> SourceView:
    """Only http(s) URLs become links: no ``javascript:``, no file paths, no guessing."""
    candidate = text.strip()
    parts = urlsplit(candidate) if _SPACE_RE.search(candidate) is None else None
    if parts is not None and parts.scheme in ("http", "https") and parts.netloc:
        return SourceView(candidate, candidate)
    return SourceView(text, None)


@dataclass(frozen=True)
class StepView:
    """A step as the journey map shows it: a column under its stage."""

    stage: str
    first_in_stage: bool
    anchor: str
    number: int
    name: str
    moment_of_truth: bool
    actors: list[Link]
    touchpoints: list[TouchpointView]
    emotion: int
    thoughts: str
    pain_points: list[str]
    opportunities: list[str]
    link: Link
    """To the step on its journey page."""
    evidence: str | None
    """``observed``, ``reported``, ``assumed``; ``None`` when the map does not say."""
    sources: list[SourceView]
    measured: MeasuredView | None
    """What the measurement tables say of the step; ``None`` without rows about it."""


@dataclass(frozen=True)
class StageView:
    """A stage of the map: a header over its steps' columns, or a group of cards."""

    id: str
    name: str
    goal: str
    steps: list[StepView]


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
    max_text_size: str
    stages: list[StageView]
    steps: list[StepView]
    curve: str
    """The emotion curve as inline SVG, ``charts.STEP_COLUMN_WIDTH`` pixels a step wide:
    its point N sits at the centre of the grid's step column N."""
    actions: list[ActionView]
    history: list[Revision]
    body: str
    review: Review

    @property
    def has_evidence(self) -> bool:
        """Whether any step says how it is known: the map shows the evidence lane."""
        return any(step.evidence or step.sources for step in self.steps)

    @property
    def moments(self) -> list[StepView]:
        return [step for step in self.steps if step.moment_of_truth]


def _touchpoint(site: Site, touchpoint_id: str) -> TouchpointView:
    touchpoint = site.registry.touchpoints.get(touchpoint_id)
    channel = touchpoint.channel if touchpoint is not None else None
    return TouchpointView(site.targets.touchpoint(touchpoint_id), channel)


def _steps(site: Site, refs: list[StepRef]) -> list[StepView]:
    targets = site.targets
    views = []
    for i, ref in enumerate(refs):
        first = i == 0 or refs[i - 1].stage is not ref.stage
        views.append(
            StepView(
                stage=ref.stage.name,
                first_in_stage=first,
                anchor=ref.anchor,
                number=ref.number,
                name=ref.step.name,
                moment_of_truth=ref.step.moment_of_truth,
                actors=targets.personas(ref.journey.actors_of(ref.step)),
                touchpoints=[_touchpoint(site, t) for t in ref.step.touchpoints],
                emotion=ref.step.emotion,
                thoughts=ref.step.thoughts or "",
                pain_points=list(ref.step.pain_points),
                opportunities=list(ref.step.opportunities),
                link=targets.step(ref),
                evidence=ref.step.evidence,
                sources=[source_view(text) for text in ref.step.sources],
                measured=measured_view(site.registry.measured_emotion(ref.journey.id, ref.number)),
            )
        )
    return views


def _stages(journey: Journey, steps: list[StepView]) -> list[StageView]:
    stages, start = [], 0
    for stage in journey.stages:
        end = start + len(stage.steps)
        stages.append(StageView(stage.slug, stage.name, stage.goal or "", steps[start:end]))
        start = end
    return stages


def _too_large(journey: Journey) -> Diagnostic:
    return diag.warning(
        journey.source.path,
        1,
        1,
        "diagram-too-large",
        f"the journey diagram of journey '{journey.id}' is over Mermaid's limit of "
        f"{MERMAID_MAX_TEXT_SIZE:,} characters, so the page shows the journey map without it; "
        "shorten step names or split the journey",
    )


def journey_view(
    site: Site, journey: Journey
) -> tuple[JourneyView, list[MetricRow], tuple[Diagnostic, ...]]:
    """What the journey's page shows, its metrics, and warnings about what it leaves out."""
    registry, targets = site.registry, site.targets
    refs = registry.steps(journey.id)
    steps = _steps(site, refs)
    other = registry.counterpart(journey.id)
    actors = {actor for _, step in journey.all_steps() for actor in journey.actors_of(step)}
    persona_names = {
        pid: registry.personas[pid].name
        for pid in sorted(actors | set(journey.personas))
        if pid in registry.personas
    }
    diagram = journey_diagram(journey, persona_names)
    too_large = len(diagram) > MERMAID_MAX_TEXT_SIZE
    view = JourneyView(
        journey=journey,
        other=targets.journey(other) if other is not None else None,
        other_state=other.state if other is not None else None,
        personas=targets.personas(journey.personas),
        lowest=steps[lowest_of(refs).number - 1],
        diagram=None if too_large else diagram,
        max_text_size=f"{MERMAID_MAX_TEXT_SIZE:,}",
        stages=_stages(journey, steps),
        steps=steps,
        curve=journey_curve_svg(
            journey,
            registry,
            {
                ref.number: measured
                for ref, measured in zip(refs, registry.measured_emotions(journey.id), strict=True)
                if measured is not None
            },
        ),
        actions=[
            ActionView(a.title, a.owner, a.due.isoformat() if a.due is not None else None, a.status)
            for a in journey.actions
        ],
        history=list(site.history.get(journey.id, ())),
        body=body_text(journey.body),
        review=site.review(journey),
    )
    return view, metric_rows(journey, other), (_too_large(journey),) if too_large else ()


def journey_page(site: Site, journey: Journey) -> PageView:
    slot = (site.layout.journey_uri(journey.id), JourneyPages.name, journey.source.relative_path)
    view, metrics, warnings = journey_view(site, journey)
    return page_view(
        "journey.html.j2",
        slot,
        site.layout,
        journey.title,
        warnings,
        page=view,
        metrics=metrics,
        comparison=comparison_view(site, journey),
    )


class JourneyPages:
    """One page per journey, at ``<journeys_url>/<id>/``."""

    name = "journey"
    url_option = "journeys_url"
    nav = NavPlace(10, "Journeys")
    width: Width = "full"

    def plan(self, site: Site) -> Iterator[PlannedPage]:
        for journey in site.registry.journeys.values():
            yield PlannedPage(
                site.layout.journey_uri(journey.id),
                self.name,
                journey.source.relative_path,
                partial(journey_page, site, journey),
            )
