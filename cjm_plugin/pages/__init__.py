"""The registry as pages: one module per page kind, plain view data first, then
templates make the markup.

A pure function of the registry (and of the journeys' revision history when
given): no MkDocs, no clock, no locale, so the plugin, the CLI and the tests
get the same bytes. Pages are HTML (:mod:`.markup`): links are final relative
URLs (:mod:`cjm_plugin.urls`), headings carry their ids, and only the
author's bodies are Markdown, kept apart for the site to convert with its own
extensions. The emotion curve is inline SVG (:mod:`cjm_plugin.charts`), the
diagram Mermaid source in a ``pre.mermaid`` block as Material draws it, and
the look comes from the stylesheet the plugin adds (``assets/cjm.css``).

Author text from front matter is escaped through :mod:`cjm_plugin.escape`.
Bodies are the author's own Markdown and go in as written, headings
unchanged: the page's generated sections are ``<h2>`` under the one ``<h1>``
title, and bodies are written with ``##`` headings, as in the examples.
"""

from __future__ import annotations

from ..urls import UrlLayout
from .actions import ActionBoardPage
from .base import (
    GENERATED_COMMENT,
    Heading,
    Link,
    Page,
    PageSlot,
    PageView,
    PlannedPage,
    Site,
    Width,
)
from .groups import GroupPages
from .journey import JourneyPages
from .markup import (
    add_templates,
    page_view,
    remove_templates,
    render,
    render_page,
    templates_folder,
)
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
    "Heading",
    "Link",
    "Page",
    "PageKind",
    "PageSlot",
    "PageView",
    "PlannedPage",
    "Site",
    "UrlLayout",
    "Width",
    "add_templates",
    "page_kind",
    "page_kinds",
    "page_view",
    "plan_site",
    "register",
    "remove_templates",
    "render",
    "render_page",
    "render_site",
    "templates_folder",
    "unregister",
    "url_options",
]
