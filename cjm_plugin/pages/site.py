"""Page kinds, and the site they make together.

A page kind is one module: it plans its pages (where each goes, what it
shows, how to render it), names the URL option that places them and says
where they sit in the navigation. :func:`plan_site` asks every registered
kind, in the order they were registered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from ..history import Revision
from ..nav import NavPlace
from ..registry import Registry
from ..review import DEFAULT_REVIEW_EVERY
from ..urls import DEFAULT_LAYOUT, UrlLayout
from .base import Page, PlannedPage, Site, Width
from .markup import render


class PageKind(Protocol):
    """What makes one kind of page: journey pages, persona pages, the overview..."""

    @property
    def name(self) -> str:
        """``Page.kind`` of its pages: what messages and the navigation call it."""

    @property
    def url_option(self) -> str:
        """The plugin option whose folder holds its pages (``journeys_url``...)."""

    @property
    def nav(self) -> NavPlace:
        """Where its pages sit in the generated "Journeys" section."""

    @property
    def width(self) -> Width:
        """``full``: a map, shown without the navigation and table of contents beside it;
        ``normal``: a page like any other."""

    def plan(self, site: Site) -> Iterable[PlannedPage]:
        """Its pages of ``site``: where each goes, what it shows, how to render it."""


_kinds: dict[str, PageKind] = {}


def register(kind: PageKind) -> PageKind:
    """Add a page kind to every site planned from now on, after those already there."""
    if kind.name in _kinds:
        raise ValueError(f"a page kind named {kind.name!r} is already registered")
    _kinds[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Remove the page kind called ``name``."""
    del _kinds[name]


def page_kinds() -> list[PageKind]:
    """Every registered page kind, in the order its pages are planned."""
    return list(_kinds.values())


def page_kind(name: str) -> PageKind:
    """The page kind called ``name``."""
    return _kinds[name]


def url_options() -> list[str]:
    """The plugin options that place pages, sorted."""
    return sorted({kind.url_option for kind in _kinds.values()})


def plan_site(
    registry: Registry,
    layout: UrlLayout = DEFAULT_LAYOUT,
    history: Mapping[str, Sequence[Revision]] | None = None,
    review_every: str = DEFAULT_REVIEW_EVERY,
) -> list[PlannedPage]:
    """Every page of the site, to be rendered in this order: kind by kind.

    Journeys, then personas, then the overview and the touchpoint index, which
    show every journey: rendered last, they come when everything else is done.
    ``history`` maps a journey id to its revisions, newest first; a journey
    with revisions gets a "Revision history" section. ``review_every`` is how
    often a journey without its own period must be reviewed.
    """
    site = Site(registry, layout, history or {}, review_every)
    planned: list[PlannedPage] = []
    planned_at: dict[str, PlannedPage] = {}
    for kind in _kinds.values():
        for page in kind.plan(site):
            # Compared as MkDocs and the file systems of macOS and Windows do: ignoring case.
            first = planned_at.setdefault(page.uri.casefold(), page)
            if first is not page:
                raise DuplicateUrl(first, page)
            planned.append(page)
    return planned


class DuplicateUrl(ValueError):
    """Two planned pages at one URL: the second would silently replace the first."""

    def __init__(self, first: PlannedPage, second: PlannedPage) -> None:
        super().__init__(
            f"two generated pages want the URL of {second.uri}: the {first.kind} page "
            f"{_made_from(first)} and the {second.kind} page {_made_from(second)}"
        )


def _made_from(page: PlannedPage) -> str:
    return f"from {page.source}" if page.source is not None else f"at {page.uri}"


def render_site(
    registry: Registry,
    layout: UrlLayout = DEFAULT_LAYOUT,
    history: Mapping[str, Sequence[Revision]] | None = None,
    review_every: str = DEFAULT_REVIEW_EVERY,
) -> list[Page]:
    """Every generated page of the site, sorted by uri, the same bytes every time."""
    pages = render_pages(plan_site(registry, layout, history, review_every))
    return sorted(pages, key=lambda page: page.uri)


def render_pages(planned: Sequence[PlannedPage]) -> list[Page]:
    """The planned pages, rendered in order."""
    return [render(page.view()) for page in planned]
