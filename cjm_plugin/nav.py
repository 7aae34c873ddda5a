"""Where generated pages sit in the site's navigation: a pure function.

Works on a small tree of plain items (pages by URI, sections, anything else
kept as it stands), so it runs and is tested without MkDocs; the plugin turns
MkDocs' navigation into these items and back. Each page kind says where its
pages go (:class:`NavPlace`), and the ``nav`` option picks the shape of the
"Journeys" section they form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

#: The ``nav`` option's layouts (see ``config.py``).
FULL, GROUPED, OVERVIEW = "full", "grouped", "overview"
#: The section the generated pages form when the site's own nav does not place them.
SECTION_TITLE = "Journeys"


@dataclass(frozen=True)
class NavPlace:
    """Where the pages of one kind sit in the generated section."""

    order: int
    """Kinds with a lower order come first; pages of one kind come by URI."""
    group: str | None = None
    """The sub-section of the kind's pages under ``nav: grouped``, left out under
    ``nav: overview``; ``None`` for a kind whose pages are listed in every layout."""


@dataclass(frozen=True)
class NavPage:
    uri: str
    """The page's Markdown file, docs-relative, ``/`` separators."""
    origin: object = field(default=None, compare=False, repr=False)
    """The site generator's page this item stands for."""


@dataclass(frozen=True)
class NavSection:
    title: str
    children: tuple[NavItem, ...]
    origin: object = field(default=None, compare=False, repr=False)
    """The site generator's section this item stands for; ``None`` for a new one."""


@dataclass(frozen=True)
class NavOther:
    """A link or anything else that is neither a page nor a section: kept where it is."""

    title: str
    origin: object = field(default=None, compare=False, repr=False)


NavItem = NavPage | NavSection | NavOther


def place_generated_pages(
    items: Sequence[NavItem],
    generated: Mapping[str, NavPlace],
    *,
    layout: str,
    explicit: bool,
) -> tuple[NavItem, ...] | None:
    """The navigation with the generated pages gathered in one "Journeys" section.

    ``generated`` gives the place of each generated page by URI. An explicit
    nav (``explicit``) that lists one of them is the user's word: ``None``,
    the nav stays as it is. Otherwise the generated pages are taken out
    wherever they are (sections left empty go too), and the section takes the
    place of the first one taken out, or comes last.
    """
    if explicit and any(page.uri in generated for page in pages_in(items)):
        return None
    kept, position = _without_generated_pages(items, generated)
    section = NavSection(SECTION_TITLE, journeys_section(generated, layout))
    kept.insert(position if position is not None else len(kept), section)
    return tuple(kept)


def journeys_section(generated: Mapping[str, NavPlace], layout: str) -> tuple[NavItem, ...]:
    """The section's children in the shape the ``nav`` option asks for.

    ``full``: every page, kind by kind. ``grouped``: the pages of kinds with no
    group, then a sub-section for each group. ``overview``: only the pages of
    kinds with no group.
    """
    # By path segments, so journeys/a/ comes before journeys/a-b/ (id order).
    ordered = sorted(generated, key=lambda uri: (generated[uri].order, uri.split("/")))
    if layout == FULL:
        return tuple(NavPage(uri) for uri in ordered)
    children: list[NavItem] = [NavPage(uri) for uri in ordered if generated[uri].group is None]
    if layout == GROUPED:
        groups: dict[str, list[NavItem]] = {}
        for uri in ordered:
            group = generated[uri].group
            if group is not None:
                groups.setdefault(group, []).append(NavPage(uri))
        children.extend(NavSection(title, tuple(pages)) for title, pages in groups.items())
    return tuple(children)


def pages_in(items: Sequence[NavItem]) -> list[NavPage]:
    """Every page of the nav, depth first, in reading order."""
    pages: list[NavPage] = []
    for item in items:
        if isinstance(item, NavPage):
            pages.append(item)
        elif isinstance(item, NavSection):
            pages.extend(pages_in(item.children))
    return pages


def _without_generated_pages(
    items: Sequence[NavItem], generated: Mapping[str, NavPlace]
) -> tuple[list[NavItem], int | None]:
    """Items with the generated pages taken out (sections left empty dropped), and
    the position of the first item that held one."""
    kept: list[NavItem] = []
    position: int | None = None
    for item in items:
        if isinstance(item, NavPage) and item.uri in generated:
            position = len(kept) if position is None else position
            continue
        if isinstance(item, NavSection):
            children, inner = _without_generated_pages(item.children, generated)
            if inner is not None and position is None:
                position = len(kept)
            if not children:
                continue
            item = NavSection(item.title, tuple(children), item.origin)
        kept.append(item)
    return kept, position
