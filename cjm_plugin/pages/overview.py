"""The overview: every journey, every persona, the pain points ranked, persona coverage."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial

from ..nav import NavPlace
from ..registry import StepRef
from .actions import action_board_uri
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
class RankedText:
    """A text found on steps (a pain point or an opportunity): its lowest emotion, where it is.

    Texts that differ only in case, spacing or final punctuation are one row.
    """

    text: str
    """The text as first written, by journey id then step order."""
    lowest_emotion: int
    steps: int = 0
    journeys: int = 0
    where: list[Link] = field(default_factory=list)
    """Links to its first steps, by journey id then step order, as many as the row shows."""

    @property
    def more(self) -> int:
        """Steps with the text that ``where`` leaves out."""
        return self.steps - len(self.where)


#: What ends a text without changing what it says: final punctuation and spaces.
_FINAL_PUNCTUATION = re.compile(r"[\s.!?;:]+$")


def same_text_key(text: str) -> str:
    """What two texts share when they differ only in case, spacing or final punctuation.

    "Form is too long." and "form  is too long" are one pain point; inner
    punctuation ("Card, PIN") still tells texts apart.
    """
    spaced = " ".join(text.split())
    return (_FINAL_PUNCTUATION.sub("", spaced) or spaced).casefold()


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
    action_board: Link
    pain_points: list[RankedText]
    """In current-state journeys: lowest emotion first, then the most frequent, then by text."""
    future_pain_points: list[RankedText]
    """In future-state journeys, ranked the same way and apart from today's."""
    opportunities: list[RankedText]
    """In every journey: where the steps feel worst first (where each would help most),
    then the most frequent, then by text."""
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


def _ranked(
    site: Site, texts_of: Callable[[StepRef], Sequence[str]], state: str | None = None
) -> list[RankedText]:
    """One row per text over the steps of the journeys in ``state`` (all when ``None``)."""
    registry, targets = site.registry, site.targets
    found: dict[str, RankedText] = {}
    for journey_id in sorted(registry.journeys):
        journey = registry.journeys[journey_id]
        if state is not None and journey.state != state:
            continue
        in_journey: set[str] = set()
        for ref in registry.steps(journey_id):
            emotion = ref.step.emotion
            on_step: dict[str, str] = {}
            for text in texts_of(ref):
                on_step.setdefault(same_text_key(text), text)
            for key, text in on_step.items():
                row = found.get(key)
                if row is None:
                    row = found[key] = RankedText(text, emotion)
                row.steps += 1
                if key not in in_journey:
                    in_journey.add(key)
                    row.journeys += 1
                row.lowest_emotion = min(row.lowest_emotion, emotion)
                if len(row.where) < MAX_LINKS_PER_PAIN_POINT:
                    label = f"{journey.title} › {ref.stage.name} › {ref.number}. {ref.step.name}"
                    row.where.append(targets.step(ref, label))
    return sorted(
        found.values(),
        key=lambda row: (
            row.lowest_emotion,
            -row.steps,
            -row.journeys,
            same_text_key(row.text),
            row.text,
        ),
    )


def _pain_points(ref: StepRef) -> Sequence[str]:
    return ref.step.pain_points


def _opportunities(ref: StepRef) -> Sequence[str]:
    return ref.step.opportunities


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
        action_board=Link("Action board", action_board_uri(site)),
        pain_points=_ranked(site, _pain_points, "current"),
        future_pain_points=_ranked(site, _pain_points, "future"),
        opportunities=_ranked(site, _opportunities),
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
