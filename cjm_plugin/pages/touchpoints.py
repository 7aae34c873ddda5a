"""The touchpoint index: every touchpoint by category, then channel, with the steps using it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from ..model import CATEGORIES, CHANNELS, Touchpoint
from ..nav import NavPlace
from .base import Link, Page, PlannedPage, Site, body_text, every_record
from .markup import render_markdown


class TouchpointUse(NamedTuple):
    """A step that uses a touchpoint."""

    journey: Link
    stage: str
    step: Link
    emotion: int
    pain_points: Sequence[str]


@dataclass(frozen=True)
class TouchpointEntry:
    touchpoint: Touchpoint
    """The record, for its own fields (id, name, owner)."""
    body: str
    uses: list[TouchpointUse]
    """By journey id, then step order."""


@dataclass(frozen=True)
class TouchpointIndexView:
    """Everything the touchpoint index shows, as plain data."""

    groups: list[tuple[str | None, list[tuple[str, list[TouchpointEntry]]]]]
    """(category, [(channel, entries)]): categories in the model's order, then
    ``None`` for uncategorised; channels in the model's order."""
    overview: Link


def _uses(site: Site, touchpoint_id: str) -> list[TouchpointUse]:
    targets = site.targets
    return [
        TouchpointUse(
            targets.journey(ref.journey),
            ref.stage.name,
            targets.step(ref),
            ref.step.emotion,
            ref.step.pain_points,
        )
        for ref in site.registry.touchpoint_uses(touchpoint_id)
    ]


def touchpoint_index_view(site: Site) -> TouchpointIndexView:
    by_group: dict[tuple[str | None, str], list[TouchpointEntry]] = {}
    for touchpoint_id, touchpoint in site.registry.touchpoints.items():
        entry = TouchpointEntry(touchpoint, body_text(touchpoint.body), _uses(site, touchpoint_id))
        by_group.setdefault((touchpoint.category, touchpoint.channel), []).append(entry)
    groups: list[tuple[str | None, list[tuple[str, list[TouchpointEntry]]]]] = []
    for category in (*CATEGORIES, None):
        channels = [
            (channel, by_group[category, channel])
            for channel in CHANNELS
            if (category, channel) in by_group
        ]
        if channels:
            groups.append((category, channels))
    return TouchpointIndexView(groups, site.targets.overview("All journeys"))


def touchpoint_index_page(site: Site) -> Page:
    uri = site.layout.touchpoints_uri()
    markdown = render_markdown("touchpoints.md.j2", uri, page=touchpoint_index_view(site))
    return Page(uri, "touchpoints", None, "Touchpoints", markdown)


class TouchpointIndexPage:
    """The touchpoint index, at ``<touchpoints_url>/``, an anchor ``#<id>`` each."""

    name = "touchpoints"
    url_option = "touchpoints_url"
    nav = NavPlace(30)

    def plan(self, site: Site) -> Iterator[PlannedPage]:
        yield PlannedPage(
            site.layout.touchpoints_uri(),
            self.name,
            None,
            partial(every_record, site),
            partial(touchpoint_index_page, site),
        )
