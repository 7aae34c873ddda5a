"""A page for each persona: who they are, their journeys and the touchpoints they meet."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from ..figures import figures_of
from ..model import Persona
from ..nav import NavPlace
from .base import Link, PageView, PlannedPage, Site, Width, body_text
from .markup import page_view


@dataclass(frozen=True)
class PersonaJourney:
    """A journey the persona takes part in, as the persona page lists it.

    Its figures count only the steps the persona takes (is among the actors
    of): another persona's worst moment is not theirs. A journey that names
    the persona but gives every step to others has none of them.
    """

    link: Link
    state: str
    steps: int
    """How many of the journey's steps the persona takes; may be 0."""
    average_emotion: float | None
    """Over the persona's steps; ``None`` when they take none."""
    lowest_emotion: int | None
    lowest: Link | None
    """To the persona's step that feels worst (the first on a tie)."""


@dataclass(frozen=True)
class PersonaView:
    """Everything a persona page shows, as plain data."""

    persona: Persona
    """The record, for its own fields (name, role, segment, quote, goals...)."""
    demographics: list[tuple[str, str | None]]
    journeys: list[PersonaJourney]
    touchpoints: list[tuple[Link, str]]
    """Each touchpoint met on the persona's steps, with its channel."""
    body: str


def persona_view(site: Site, persona: Persona) -> PersonaView:
    registry, targets = site.registry, site.targets
    journeys = []
    for journey in registry.journeys_of(persona.id):
        own = registry.steps_of(persona.id, journey.id)
        link = targets.journey(journey)
        if not own:
            journeys.append(PersonaJourney(link, journey.state, 0, None, None, None))
            continue
        figures = figures_of(own)  # of the persona's own steps
        journeys.append(
            PersonaJourney(
                link,
                journey.state,
                len(own),
                figures.average_emotion,
                figures.lowest.step.emotion,
                targets.step(figures.lowest),
            )
        )
    return PersonaView(
        persona=persona,
        demographics=[
            (label, value if value is None or isinstance(value, str) else repr(value))
            for label, value in persona.demographics.items()
        ],
        journeys=journeys,
        touchpoints=[
            (targets.touchpoint(t.id), t.channel) for t in registry.touchpoints_of(persona.id)
        ],
        body=body_text(persona.body),
    )


def persona_page(site: Site, persona: Persona) -> PageView:
    slot = (site.layout.persona_uri(persona.id), PersonaPages.name, persona.source.relative_path)
    return page_view(
        "persona.html.j2", slot, site.layout, persona.name, page=persona_view(site, persona)
    )


class PersonaPages:
    """One page per persona, at ``<personas_url>/<id>/``."""

    name = "persona"
    url_option = "personas_url"
    nav = NavPlace(20, "Personas")
    width: Width = "normal"

    def plan(self, site: Site) -> Iterator[PlannedPage]:
        for persona in site.registry.personas.values():
            yield PlannedPage(
                site.layout.persona_uri(persona.id),
                self.name,
                persona.source.relative_path,
                partial(persona_page, site, persona),
            )
