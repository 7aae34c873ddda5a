"""Pages kept across ``mkdocs serve`` rebuilds, each with the records it shows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..history import Revision
from ..registry import Registry
from ..review import DEFAULT_REVIEW_EVERY
from .base import Page, PlannedPage, UrlLayout
from .site import plan_site, render_pages


@dataclass(frozen=True)
class _Kept:
    shows: tuple[object, ...]
    page: Page


class PageCache:
    """The pages of the last render, each kept with everything it shows.

    An edit during ``mkdocs serve`` changes a handful of pages; every other
    page is reused when all the records it shows are equal to last time (the
    parse cache hands back the same record objects for unchanged files, so
    the comparison is mostly identity). Gives the same pages, byte for byte,
    as ``render_site``.
    """

    def __init__(self) -> None:
        self._kept: dict[str, _Kept] = {}
        self.rendered = 0
        """Pages rendered since the cache was made (the rest were reused)."""
        self.reused = 0

    def render(
        self,
        registry: Registry,
        layout: UrlLayout,
        history: Mapping[str, Sequence[Revision]] | None = None,
        review_every: str = DEFAULT_REVIEW_EVERY,
    ) -> list[Page]:
        """Every page of the site, sorted by uri, rendering only those whose records changed."""
        kept: dict[str, _Kept] = {}
        stale: list[tuple[PlannedPage, tuple[object, ...]]] = []
        for planned in plan_site(registry, layout, history, review_every):
            shows = planned.shows()
            cached = self._kept.get(planned.uri)
            if cached is not None and cached.shows == shows:
                kept[planned.uri] = cached
            else:
                stale.append((planned, shows))
        self.reused += len(kept)
        made = render_pages([planned for planned, _ in stale])
        for (planned, shows), page in zip(stale, made, strict=True):
            kept[planned.uri] = _Kept(shows, page)
        self.rendered += len(stale)
        self._kept = kept  # pages of deleted or renamed records go
        return [kept[uri].page for uri in sorted(kept)]
