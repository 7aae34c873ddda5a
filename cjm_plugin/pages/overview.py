"""The overview: every journey, every persona, the pain points ranked, persona coverage."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial

from ..nav import NavPlace
from .base import Link, Page, PlannedPage, Site, every_record, lowest_step
from .markup import render_markdown

#: A pain point found on hundreds of steps links the first few: the count says the rest.
MAX_LINKS_PER_PAIN_POINT = 10


@dataclass(frozen=True)
class JourneyRow:
    link: Link
    personas: list[Link]
    state: str
    stages: int
    average_emotion: float
    lowest_emotion: int
    lowest: Link
    """To the step that feels worst."""


@dataclass
class PainPointRow:
    """A pain point over every journey: its lowest emotion, its steps, where it is."""

    pain_point: str
    lowest_emotion: int
    steps: int = 0
    where: list[Link] = field(default_factory=list)
    """Links to its first steps, by journey id then step order, as many as the row shows."""

    @property
    def more(self) -> int:
        """Steps with the pain point that ``where`` leaves out."""
        return self.steps - len(self.where)


@dataclass(frozen=True)
class Coverage:
    """Personas as rows, stage names as columns: where each persona acts."""

    stages: list[str]
    """Stage names in the order they first come, journey by journey."""
    rows: list[tuple[Link, list[bool]]]


@dataclass(frozen=True)
class OverviewView:
    """Everything the overview shows, as plain data."""

    journeys: list[JourneyRow]
    personas: list[tuple[Link, str | None]]
    """Each persona with its role."""
    touchpoint_index: Link
    pain_points: list[PainPointRow]
    """Lowest emotion first, then the most frequent, then by text."""
    coverage: Coverage | None
    """``None`` without personas."""


def _journeys(site: Site) -> list[JourneyRow]:
    registry, targets = site.registry, site.targets
    rows = []
    for journey in registry.journeys.values():
        lowest = lowest_step(registry.steps(journey.id))
        rows.append(
            JourneyRow(
                targets.journey(journey),
                targets.personas(journey.personas),
                journey.state,
                len(journey.stages),
                journey.average_emotion,
                lowest.step.emotion,
                targets.step(lowest),
            )
        )
    return rows


def _pain_points(site: Site) -> list[PainPointRow]:
    registry, targets = site.registry, site.targets
    found: dict[str, PainPointRow] = {}
    for journey in registry.journeys.values():
        for ref in registry.steps(journey.id):
            emotion = ref.step.emotion
            for pain_point in dict.fromkeys(ref.step.pain_points):
                row = found.get(pain_point)
                if row is None:
                    row = found[pain_point] = PainPointRow(pain_point, emotion)
                row.steps += 1
                row.lowest_emotion = min(row.lowest_emotion, emotion)
                if len(row.where) < MAX_LINKS_PER_PAIN_POINT:
                    text = f"{journey.title} › {ref.stage.name} › {ref.number}. {ref.step.name}"
                    row.where.append(targets.step(ref, text))
    return sorted(found.values(), key=lambda row: (row.lowest_emotion, -row.steps, row.pain_point))


def _coverage(site: Site) -> Coverage | None:
    registry, targets = site.registry, site.targets
    if not registry.personas:
        return None
    stages: dict[str, None] = {}
    acts: set[tuple[str, str]] = set()
    for journey in registry.journeys.values():
        for ref in registry.steps(journey.id):
            stages[ref.stage.name] = None
            acts.update((actor, ref.stage.name) for actor in journey.actors_of(ref.step))
    return Coverage(
        list(stages),
        [
            (targets.persona(pid), [(pid, name) in acts for name in stages])
            for pid in registry.personas
        ],
    )


def overview_view(site: Site) -> OverviewView:
    targets = site.targets
    return OverviewView(
        journeys=_journeys(site),
        personas=[
            (targets.persona(pid), persona.role) for pid, persona in site.registry.personas.items()
        ],
        touchpoint_index=targets.touchpoint_index("Touchpoint index"),
        pain_points=_pain_points(site),
        coverage=_coverage(site),
    )


def overview_page(site: Site) -> Page:
    uri = site.layout.overview_uri()
    markdown = render_markdown("overview.md.j2", uri, page=overview_view(site))
    return Page(uri, "overview", None, "Customer journeys", markdown)


class OverviewPage:
    """The overview, at ``<journeys_url>/``."""

    name = "overview"
    url_option = "journeys_url"
    nav = NavPlace(0)

    def plan(self, site: Site) -> Iterator[PlannedPage]:
        yield PlannedPage(
            site.layout.overview_uri(),
            self.name,
            None,
            partial(every_record, site),
            partial(overview_page, site),
        )
