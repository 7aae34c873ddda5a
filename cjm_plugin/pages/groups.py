"""Journeys by owner and by tag: the full lists the overview's capped views point to.

A collection of thousands of journeys shows only its 50 lowest-scoring on the
overview; these pages list every journey of one owner or one tag, with the
same health figures and filters as the overview's journeys table. Two index
pages, ``<journeys_url>/owners/`` and ``<journeys_url>/tags/``, list the
groups; each group has ``<journeys_url>/owners/<slug>/`` or
``<journeys_url>/tags/<slug>/``. The journeys table's rows are made here too,
for the overview and the group pages alike.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import partial

from .. import export  # the module: export imports the pages package
from ..model import Journey, make_slug
from ..nav import NavPlace
from .base import Link, PageView, PlannedPage, Site, Width, lowest_step
from .markup import STATE_TITLES, page_view

#: A table longer than this is kept out of the search index (Material's
#: ``data-search-exclude``): the journey pages already hold its text.
SEARCH_ROWS = 50


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
    refs = site.registry.steps(journey.id)
    lowest = lowest_step(refs)
    figures = export.journey_figures(journey, refs)
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
        lowest.step.emotion,
        site.targets.step(lowest),
        _percent(figures["share_positive"]),
        _percent(figures["share_negative"]),
        figures["moments_of_truth"],
        figures["moments_of_truth_average_emotion"],
        figures["pain_points"],
        filters,
    )


# --- the groups -----------------------------------------------------------------


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


@dataclass(frozen=True)
class Group:
    """The journeys of one owner or one tag, in registry order."""

    name: str
    uri: str
    journeys: list[Journey]


def group_folder(site: Site, kind: GroupKind) -> str:
    """The kind's folder: ``owners`` or ``tags``, unless a journey has that id."""
    folder = kind.folder
    while folder in site.registry.journeys:
        folder += "-group"
    return folder


def index_uri(site: Site, kind: GroupKind) -> str:
    return site.layout.uri("journeys_url", group_folder(site, kind))


def groups(site: Site, kind: GroupKind) -> list[Group]:
    """Every group of the kind, by name (ignoring case); slugs made unique in that order."""
    members: dict[str, list[Journey]] = {}
    for journey in site.registry.journeys.values():
        for name in kind.values(journey):
            members.setdefault(name, []).append(journey)
    folder = group_folder(site, kind)
    taken: set[str] = set()
    found = []
    for name in sorted(members, key=lambda name: (name.casefold(), name)):
        base = make_slug(name) or kind.fallback_slug
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        found.append(Group(name, site.layout.uri("journeys_url", folder, slug), members[name]))
    return found


def index_links(site: Site) -> list[Link]:
    """Links to the index pages that exist: by owner, by tag."""
    return [
        Link(kind.title, index_uri(site, kind))
        for kind in GROUP_KINDS
        if any(kind.values(journey) for journey in site.registry.journeys.values())
    ]


# --- the pages ------------------------------------------------------------------


@dataclass(frozen=True)
class GroupSummary:
    """A group in the index table."""

    link: Link
    journeys: int
    average_emotion: float
    """Over every step of its journeys."""
    pain_points: int


@dataclass(frozen=True)
class GroupIndexView:
    title: str
    column: str
    groups: list[GroupSummary]
    without: int
    """Journeys in no group of the kind (no owner, no tag)."""
    overview: Link
    search_exclude: bool


@dataclass(frozen=True)
class GroupView:
    title: str
    journeys: list[JourneyRow]
    overview: Link
    index: Link
    search_exclude: bool


def _summary(site: Site, group: Group) -> GroupSummary:
    emotions = [
        ref.step.emotion for journey in group.journeys for ref in site.registry.steps(journey.id)
    ]
    pain_points = sum(
        len(step.pain_points) for journey in group.journeys for _, step in journey.all_steps()
    )
    return GroupSummary(
        Link(group.name, group.uri),
        len(group.journeys),
        sum(emotions) / len(emotions),
        pain_points,
    )


def index_page(site: Site, kind: GroupKind, uri: str) -> PageView:
    found = groups(site, kind)
    members = {journey.id for group in found for journey in group.journeys}
    view = GroupIndexView(
        kind.title,
        kind.column,
        [_summary(site, group) for group in found],
        len(site.registry.journeys) - len(members),
        site.targets.overview("All journeys"),
        len(found) > SEARCH_ROWS,
    )
    slot = (uri, GroupPages.name, None)
    return page_view("group_index.html.j2", slot, site.layout, kind.title, page=view)


def group_page(site: Site, kind: GroupKind, group: Group) -> PageView:
    title = kind.heading.format(group.name)
    view = GroupView(
        title,
        [journey_row(site, journey) for journey in group.journeys],
        site.targets.overview("All journeys"),
        Link(kind.title, index_uri(site, kind)),
        len(group.journeys) > SEARCH_ROWS,
    )
    slot = (group.uri, GroupPages.name, None)
    return page_view("group.html.j2", slot, site.layout, title, page=view)


class GroupPages:
    """Journeys by owner and by tag: two index pages and a page per group."""

    name = "groups"
    url_option = "journeys_url"
    # After the personas, before the touchpoint index; left out under `nav: overview`,
    # where the overview links the index pages.
    nav = NavPlace(25, "Owners and tags")
    width: Width = "normal"

    def plan(self, site: Site) -> Iterator[PlannedPage]:
        for kind in GROUP_KINDS:
            found = groups(site, kind)
            if not found:
                continue
            uri = index_uri(site, kind)
            yield PlannedPage(uri, self.name, None, partial(index_page, site, kind, uri))
            for group in found:
                yield PlannedPage(
                    group.uri, self.name, None, partial(group_page, site, kind, group)
                )
