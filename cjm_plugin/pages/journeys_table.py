"""What the overview and the group pages both show: the journeys table, and the
links to the pages of journeys by owner and by tag.

Not a page kind: the overview (``overview.py``) and the group pages
(``groups.py``) take their shared parts from here, so neither imports the other.
A row's figures come from :mod:`cjm_plugin.figures`, as the export's do.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from ..figures import journey_figures
from ..model import Journey
from .base import Link, Site
from .markup import STATE_TITLES


@dataclass(frozen=True)
class JourneyRow:
    """A journey in a journeys table: its health figures, and what the filters read."""

    link: Link
    personas: list[Link]
    state: str
    stages: int
    average_emotion: float
    lowest_emotion: int
    lowest: Link
    """To the step that feels worst."""
    share_positive: int
    """Percent of steps at emotion 4 or 5, whole."""
    share_negative: int
    """Percent of steps at emotion 1 or 2, whole."""
    moments_of_truth: int
    moments_average: float | None
    """The average emotion of the moments of truth; ``None`` without any."""
    pain_points: int
    filters: tuple[tuple[str, str], ...] = ()
    """(name, JSON list of labels) for the row's ``data-<name>`` attributes, which the
    browser's filters read: ``personas``, ``tags``, ``owner``, ``state``."""


def _percent(share: float) -> int:
    """A share (0 to 1) as a whole percent, rounded half up."""
    return math.floor(share * 100 + 0.5)


def _labels(values: Iterable[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def journey_row(site: Site, journey: Journey) -> JourneyRow:
    """One journey's row, as the overview and the group pages show it."""
    figures = journey_figures(site.registry, journey)
    personas = site.targets.personas(journey.personas)
    filters = (
        ("personas", _labels(link.text for link in personas)),
        ("tags", _labels(journey.tags)),
        ("owner", _labels([journey.owner] if journey.owner else [])),
        ("state", _labels([STATE_TITLES[journey.state]])),
    )
    return JourneyRow(
        site.targets.journey(journey),
        personas,
        journey.state,
        len(journey.stages),
        journey.average_emotion,
        figures.lowest.step.emotion,
        site.targets.step(figures.lowest),
        _percent(figures.share_positive),
        _percent(figures.share_negative),
        figures.moments_of_truth,
        figures.moments_average,
        figures.pain_points,
        filters,
    )


# --- the groups' index pages ------------------------------------------------------


@dataclass(frozen=True)
class GroupKind:
    """Owners or tags: what names the groups, and the words for them."""

    folder: str
    """The folder under ``journeys_url``; ``-group`` is added while a journey has its id."""
    values: Callable[[Journey], Collection[str]]
    title: str
    """The index page's title."""
    heading: str
    """A group page's title, ``{}`` for the group's name."""
    column: str
    """The index table's first column."""
    fallback_slug: str
    """The slug of a name that has none (only punctuation, say)."""


def _owner(journey: Journey) -> Collection[str]:
    return [journey.owner] if journey.owner else []


def _tags(journey: Journey) -> Collection[str]:
    return list(dict.fromkeys(journey.tags))


OWNERS = GroupKind("owners", _owner, "Journeys by owner", "Journeys owned by {}", "Owner", "owner")
TAGS = GroupKind("tags", _tags, "Journeys by tag", "Journeys tagged {}", "Tag", "tag")
GROUP_KINDS = (OWNERS, TAGS)


def index_uri(site: Site, kind: GroupKind) -> str:
    """The kind's index page: ``<journeys_url>/owners/``, unless a journey has that id."""
    return site.layout.group_index_uri(kind.folder, site.registry.journeys)


def index_links(site: Site) -> list[Link]:
    """Links to the index pages that exist: by owner, by tag."""
    return [
        Link(kind.title, index_uri(site, kind))
        for kind in GROUP_KINDS
        if any(kind.values(journey) for journey in site.registry.journeys.values())
    ]
