"""Journeys by owner and by tag: the full lists the overview's capped views point to.

A collection of thousands of journeys shows only its 50 lowest-scoring on the
overview; these pages list every journey of one owner or one tag, with the
same health figures and filters as the overview's journeys table. Two index
pages, ``<journeys_url>/owners/`` and ``<journeys_url>/tags/``, list the
groups; each group has ``<journeys_url>/owners/<slug>/`` or
``<journeys_url>/tags/<slug>/``. The journeys table's rows and the index
pages' URLs, which the overview shows too, come from ``journeys_table.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from ..model import Journey, make_slug
from ..nav import NavPlace
from .base import Link, PageView, PlannedPage, Site, Width
from .journeys_table import GROUP_KINDS, GroupKind, JourneyRow, index_uri, journey_row
from .markup import page_view

#: A table longer than this is kept out of the search index (Material's
#: ``data-search-exclude``): the journey pages already hold its text.
SEARCH_ROWS = 50


@dataclass(frozen=True)
class Group:
    """The journeys of one owner or one tag, in registry order."""

    name: str
    uri: str
    journeys: list[Journey]


def groups(site: Site, kind: GroupKind) -> list[Group]:
    """Every group of the kind, by name (ignoring case); slugs made unique in that order."""
    members: dict[str, list[Journey]] = {}
    for journey in site.registry.journeys.values():
        for name in kind.values(journey):
            members.setdefault(name, []).append(journey)
    folder = site.layout.group_folder(kind.folder, site.registry.journeys)
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
