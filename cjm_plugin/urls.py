"""Where generated pages live, and the URL a link from one page to another takes.

The bottom of the house: page kinds, exports and the plugin all import from
here, and this imports nothing of cjm. A page is named by its docs-relative
Markdown path (``journeys/lost-card/index.md``), as MkDocs names files; a
link between two pages is the final, relative URL MkDocs would give it, with
``use_directory_urls`` on (``../../personas/maya/``) or off
(``../../personas/maya/index.html``), so pages need no Markdown to resolve it.
Relative URLs stay right under any ``site_url`` sub-path.
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection, Mapping
from dataclasses import dataclass


def _join(*parts: str) -> str:
    stripped = [part.strip("/") for part in parts]
    return "/".join([part for part in stripped if part])


#: The URL options of the plugin, with the attribute of :class:`UrlLayout` holding each.
_NAMED_OPTIONS = {
    "journeys_url": "journeys",
    "personas_url": "personas",
    "touchpoints_url": "touchpoints",
}


@dataclass(frozen=True)
class UrlLayout:
    """Where generated pages live in the docs folder, and how the site writes URLs."""

    journeys: str = "journeys"
    """``journeys_url``: the overview at ``journeys/index.md``, a journey at ``journeys/<id>/``."""
    personas: str = "personas"
    """``personas_url``: a persona at ``personas/<id>/index.md``."""
    touchpoints: str = "touchpoints"
    """``touchpoints_url``: the touchpoint index at ``touchpoints/index.md``."""
    others: tuple[tuple[str, str], ...] = ()
    """(option, folder) for the URL option of any other page kind."""
    directory_urls: bool = True
    """MkDocs' ``use_directory_urls``: ``a/b/`` for ``a/b/index.md``, or ``a/b/index.html``."""

    @classmethod
    def from_options(cls, folders: Mapping[str, str], directory_urls: bool = True) -> UrlLayout:
        """The layout of the plugin's URL options, by option name."""
        named = {
            attribute: folders[option]
            for option, attribute in _NAMED_OPTIONS.items()
            if option in folders
        }
        others = tuple(sorted((o, f) for o, f in folders.items() if o not in _NAMED_OPTIONS))
        return cls(**named, others=others, directory_urls=directory_urls)

    def folder(self, url_option: str) -> str:
        """The folder the URL option ``url_option`` gives its pages."""
        attribute = _NAMED_OPTIONS.get(url_option)
        if attribute is not None:
            folder: str = getattr(self, attribute)
            return folder
        return dict(self.others)[url_option]

    def uri(self, url_option: str, *segments: str) -> str:
        """The ``index.md`` of a folder under the option's folder."""
        return _join(self.folder(url_option), *segments, "index.md")

    # The pages other pages link to, tens of thousands of times.

    def overview_uri(self) -> str:
        return _join(self.journeys, "index.md")

    def journey_uri(self, journey_id: str) -> str:
        return _join(self.journeys, journey_id, "index.md")

    def persona_uri(self, persona_id: str) -> str:
        return _join(self.personas, persona_id, "index.md")

    def touchpoints_uri(self) -> str:
        return _join(self.touchpoints, "index.md")

    def action_board_uri(self, journey_ids: Collection[str]) -> str:
        """``<journeys_url>/actions/index.md``; ``actions-board``... while a journey has the id."""
        return self.uri("journeys_url", own_folder("actions", "-board", journey_ids))

    def group_folder(self, folder: str, journey_ids: Collection[str]) -> str:
        """The folder of the pages by owner or by tag (``owners``, ``tags``) under
        ``journeys_url``; ``owners-group``... while a journey has the id."""
        return own_folder(folder, "-group", journey_ids)

    def group_index_uri(self, folder: str, journey_ids: Collection[str]) -> str:
        """The index page of the pages by owner or by tag: ``<journeys_url>/owners/index.md``."""
        return self.uri("journeys_url", self.group_folder(folder, journey_ids))

    def url(self, here: str, target: str, anchor: str | None = None) -> str:
        """The relative URL of ``target`` (and its ``anchor``) on page ``here``."""
        return relative_url(here, target, anchor, self.directory_urls)


DEFAULT_LAYOUT = UrlLayout()

#: The files a site publishes beside the overview: ``cjm export``'s JSON and CSV.
EXPORT_NAMES = ("journeys.json", "steps.csv")


def export_uris(layout: UrlLayout) -> tuple[str, str]:
    """Where the site publishes the JSON and the CSV export: beside the overview page."""
    folder = posixpath.dirname(layout.overview_uri())
    json_name, csv_name = EXPORT_NAMES
    return posixpath.join(folder, json_name), posixpath.join(folder, csv_name)


def own_folder(name: str, suffix: str, journey_ids: Collection[str]) -> str:
    """``name``, with ``suffix`` added again while a journey has it as its id.

    The one way a page kind finds a folder of its own beside records whose ids
    are free text: a journey called ``actions`` keeps its URL, and the action
    board moves to ``actions-board`` (``actions-board-board`` when that is a
    journey's too). The pages by owner and by tag find theirs the same way.
    """
    while name in journey_ids:
        name += suffix
    return name


def page_url(uri: str, directory_urls: bool = True) -> str:
    """The site URL of the docs file ``uri``, as MkDocs gives it (no leading slash).

    ``a/index.md`` is ``a/`` (or ``a/index.html``), ``a/b.md`` is ``a/b/`` (or
    ``a/b.html``); a file that is not Markdown keeps its path.
    """
    if not uri.endswith(".md"):
        return uri
    stem = uri[: -len(".md")]
    folder, _, name = stem.rpartition("/")
    if name in ("index", "README"):
        if directory_urls:
            return f"{folder}/" if folder else ""
        return _join(folder, "index.html")
    return f"{stem}/" if directory_urls else f"{stem}.html"


def relative_url(
    here: str, target: str, anchor: str | None = None, directory_urls: bool = True
) -> str:
    """A link from page ``here`` to page (or file) ``target``, both docs-relative paths."""
    fragment = f"#{anchor}" if anchor else ""
    if target == here and fragment:
        return fragment
    base_url, target_url = page_url(here, directory_urls), page_url(target, directory_urls)
    base = base_url.split("/")[:-1]  # the folder the page's URL is in
    parts = target_url.split("/")
    common = 0
    while common < min(len(base), len(parts) - 1) and base[common] == parts[common]:
        common += 1
    path = "/".join([".."] * (len(base) - common) + parts[common:])
    return (path or "./") + fragment
