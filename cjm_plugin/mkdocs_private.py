"""The one place cjm reaches into MkDocs 1.6 beyond its public API.

Each use says why no public call does it; a MkDocs release that changes
one of them breaks this module alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.nav import _add_previous_and_next_links
from mkdocs.structure.pages import Page


def link_previous_and_next(pages: Sequence[Page]) -> None:
    """Set each page's ``previous_page`` and ``next_page`` in reading order.

    What MkDocs does for the nav it builds; a plugin that rebuilds the nav
    in ``on_nav`` must do it again, and MkDocs has no public call for it.
    """
    _add_previous_and_next_links(list(pages))


def server_observer(server: LiveReloadServer) -> Any:
    """The watchdog observer behind ``server.watch``, or ``None`` (not in its API)."""
    return getattr(server, "observer", None)


def request_rebuild(server: LiveReloadServer) -> None:
    """Have MkDocs rebuild, as its own watches do.

    MkDocs 1.6 has no public call for it: this is what the callback of
    ``LiveReloadServer.watch`` does.
    """
    condition = getattr(server, "_rebuild_cond", None)
    if condition is None:
        return
    with condition:
        server._want_rebuild = True
        condition.notify_all()
