"""The registry as Markdown pages: one module per page kind, plain view data first,
then templates make the markup.

A pure function of the registry (and of the journeys' revision history when
given): no MkDocs, no clock, no locale, so the plugin, the CLI and the tests
get the same bytes. Pages link to each other with relative Markdown links to
``.md`` files, which MkDocs resolves and checks under ``--strict``.

The pages need these Markdown extensions: ``tables`` (every list of records),
``md_in_html`` (the journey map is HTML from the templates, with Markdown
links inside its cells, which MkDocs resolves and checks), ``attr_list`` (the
``{#id}`` anchor of each touchpoint heading) and ``pymdownx.superfences``
with the ``mermaid`` custom fence (the journey diagram). The emotion curve is
inline SVG (:mod:`cjm_plugin.charts`), and the look of the map comes from the
stylesheet the plugin adds to the site (``assets/cjm.css``). Step anchors are
ids on the map's step headers, which MkDocs also counts as link targets.

Author text from front matter is escaped through :mod:`cjm_plugin.escape`.
Bodies are the author's own Markdown and go in as written, headings
unchanged: the page's generated sections are ``##`` headings under the one
``#`` title, and bodies are written with ``##`` headings, as in the examples.
"""

from __future__ import annotations

from .actions import ActionBoardPage
from .base import Link, Page, PageSlot, PlannedPage, Site, UrlLayout, relative_href
from .cache import PageCache
from .groups import GroupPages
from .journey import JourneyPages
from .markup import GENERATED_COMMENT, add_templates, remove_templates, render_markdown
from .overview import OverviewPage
from .persona import PersonaPages
from .site import (
    PageKind,
    page_kind,
    page_kinds,
    plan_site,
    register,
    render_site,
    unregister,
    url_options,
)
from .touchpoints import TouchpointIndexPage

# The order pages are planned and rendered in: the overview, the touchpoint
# index and the action board show every journey, and come last.
register(JourneyPages())
register(PersonaPages())
register(OverviewPage())
register(TouchpointIndexPage())
register(ActionBoardPage())
register(GroupPages())

__all__ = [
    "GENERATED_COMMENT",
    "Link",
    "Page",
    "PageCache",
    "PageKind",
    "PageSlot",
    "PlannedPage",
    "Site",
    "UrlLayout",
    "add_templates",
    "page_kind",
    "page_kinds",
    "plan_site",
    "register",
    "relative_href",
    "remove_templates",
    "render_markdown",
    "render_site",
    "unregister",
    "url_options",
]
