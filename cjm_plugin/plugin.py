"""The MkDocs adapter: journey files in, generated pages out, events only.

Everything that decides what a page says lives in the core (loader, registry,
pages) and where it sits in the navigation in :mod:`cjm_plugin.nav`; the pages
come from one source, picked once: a one-off build's or serve's
(:mod:`cjm_plugin.page_sources`). This module only hands MkDocs what they made.
"""

from __future__ import annotations

import importlib.resources
import logging
import os
import posixpath
import re
import string
import urllib.parse
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any, Literal

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.utils.templates import TemplateContext

from .bodies import sanitize_body_html
from .config import CjmConfig
from .escape import html_text
from .load import display_path
from .mkdocs_nav import mkdocs_items, plain_items
from .mkdocs_pages import Assembled, EscapedTitle, assemble, body_markdown
from .mkdocs_private import link_previous_and_next
from .nav import (
    NavPlace,
    pages_in,
    place_generated_pages,
)
from .page_sources import Maps, PageSource
from .pages import Page, UrlLayout, page_kind, templates_folder, url_options
from .pages.overview import export_uris

log = logging.getLogger("mkdocs.plugins.cjm")

#: Where the plugin's own files go in the site; a docs file of the same path replaces one.
ASSETS_URI = "assets/cjm"
#: The plugin's stylesheets (in ``cjm_plugin/assets``), added to ``extra_css``.
STYLESHEETS = ("cjm.css",)
#: The scripts that sort tables marked ``cjm-sortable`` (paths in ``cjm_plugin/assets``),
#: added to ``extra_javascript`` in this order: tablesort, its number sort, then cjm's.
TABLE_SCRIPTS = (
    ("tablesort", "tablesort.min.js"),
    ("tablesort", "tablesort.number.min.js"),
    ("cjm-tables.js",),
)
#: The Mermaid the package ships (``cjm_plugin/assets/mermaid``) and its URI in the site.
MERMAID_ASSET = ("mermaid", "mermaid.min.js")
MERMAID_URI = f"{ASSETS_URI}/mermaid.min.js"
#: A script in ``extra_javascript`` by one of these names is the site's own Mermaid.
_MERMAID_SCRIPT_RE = re.compile(r"^mermaid(\.esm)?(\.min)?\.m?js$", re.IGNORECASE)


class GeneratedPageFile(File):
    """A generated page, modified for ``mkdocs serve --dirty`` only when its HTML changed."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed


class CjmPlugin(BasePlugin[CjmConfig]):  # type: ignore[no-untyped-call]
    """Publishes a folder of journey maps as journey, persona and touchpoint pages."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.source = PageSource()
        """Where this build's pages come from; serve's keeps its caches across rebuilds."""
        self.pages: dict[str, Page] = {}
        """Every generated page of this build, by ``src_uri``."""
        self.files_of: dict[str, File] = {}
        """Generated File of each page URI in this build."""
        self.assembled: dict[str, Assembled] = {}
        self.search_texts: dict[str, str] = {}
        """What search plugins get of each generated page, by ``src_uri``: its text."""
        self.full_content: dict[str, str] = {}
        self.layouts: dict[str, MutableMapping[str, Any]] = {}
        """The meta MkDocs read of a full-width page, while cjm's layout is in its place."""

    # Defining on_startup keeps this instance (and its source) alive across rebuilds.
    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        if not self.config.enabled:
            return
        self.source = PageSource(serving=command == "serve")

    def on_shutdown(self) -> None:
        """MkDocs caches this instance per process: leave nothing for the next command."""
        if not self.config.enabled:
            return
        self.source = PageSource()

    @property
    def maps(self) -> Maps:
        """The maps and where their pages go, as the options say now."""
        folders = {option: self.config[option] for option in url_options()}
        return Maps(
            Path(self.config.journeys_dir),
            UrlLayout.from_options(folders, self.directory_urls),
            self.config.history,
            self.config.review_every,
            self.config.truth_checks,
        )

    # Runs late (-10): scripts and stylesheets other plugins add come first.
    @event_priority(-10)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        self._check_url_prefixes()
        self.directory_urls = config.use_directory_urls
        self.toc_options = _permalink_options(config)
        self.material_search = _has_material_search(config)
        templates_folder(
            Path(self.config.custom_templates) if self.config.custom_templates else None
        )
        maps = self.maps
        self.source.require_folder(maps)
        docs_dir = Path(config.docs_dir)
        if maps.journeys_dir == docs_dir or docs_dir in maps.journeys_dir.parents:
            raise PluginError(
                f"cjm: journeys_dir {display_path(maps.journeys_dir)} is inside docs_dir "
                f"{display_path(docs_dir)}; keep journey files outside docs_dir, "
                "MkDocs would publish them as pages too"
            )
        for name in STYLESHEETS:
            uri = f"{ASSETS_URI}/{name}"
            if uri not in config.extra_css:
                config.extra_css.append(uri)
        mermaid_script = self._mermaid_script(config)
        if mermaid_script is not None:
            config.extra_javascript.append(mermaid_script)
        scripts = [str(script) for script in config.extra_javascript]
        for parts in TABLE_SCRIPTS:
            uri = f"{ASSETS_URI}/{parts[-1]}"
            if uri not in scripts:
                config.extra_javascript.append(uri)
        return config

    def _mermaid_script(self, config: MkDocsConfig) -> str | None:
        """The Mermaid script to add to ``extra_javascript``, if any.

        Appended there, it runs before Material draws the first diagram, and
        Material then uses the global ``mermaid`` instead of fetching it from a CDN.
        A site that lists a Mermaid of its own keeps it alone: two would both run.
        """
        source = self.config.mermaid
        if source == "none" or any(is_mermaid_script(str(s)) for s in config.extra_javascript):
            return None
        return MERMAID_URI if source == "bundled" else source

    def _check_url_prefixes(self) -> None:
        """Two prefixes that are equal or nested would give two pages one URL.

        Compared ignoring case: on macOS and Windows ``Maps`` and ``maps`` are one folder.
        """
        prefixes = [(option, str(self.config[option])) for option in url_options()]
        for name, prefix in prefixes:
            for other_name, other in prefixes:
                folded, other_folded = prefix.casefold(), other.casefold()
                if name != other_name and (
                    folded == other_folded or other_folded.startswith(folded + "/")
                ):
                    raise PluginError(
                        f"cjm: {other_name} '{other}' must not equal or lie inside "
                        f"{name} '{prefix}': generated pages would share URLs"
                    )

    # Default priority: watching the folder does not depend on other plugins.
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        self.source.start(self.maps)

    # Runs late (-50) so that pages other plugins add to docs are known when checking collisions.
    @event_priority(-50)
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return files
        pages = self.source.render(self.maps)
        self.files_of, self.pages = {}, {}
        by_src = {file.src_uri: file for file in files}
        by_dest = {file.dest_uri: file for file in files}
        collisions = []
        journeys_from_docs = self._journeys_from_docs(config)
        for page in pages:
            generated = GeneratedPageFile.generated(config, page.uri, content=body_markdown(page))
            assert isinstance(generated, GeneratedPageFile)
            generated.changed = page.uri in self.source.changed
            # cjm's on_nav places it; MkDocs would call it missing from the nav meanwhile.
            generated.inclusion = InclusionLevel.NOT_IN_NAV
            existing = by_src.get(generated.src_uri) or by_dest.get(generated.dest_uri)
            if existing is not None:
                collisions.append(self._collision_message(page, existing))
                continue
            if page.source is not None:
                generated.edit_uri = edit_path(
                    journeys_from_docs, page.source, config.edit_uri_template
                )
            files.append(generated)
            self.files_of[page.uri] = generated
            self.pages[generated.src_uri] = page
        exports = self.source.exports()
        if exports is not None:
            json_uri, csv_uri = export_uris(self.maps.layout)
            for uri, text in ((json_uri, exports.json), (csv_uri, exports.csv)):
                if uri in by_src or uri in by_dest:  # the site's own file wins
                    continue
                files.append(File.generated(config, uri, content=text.encode("utf-8")))
        if collisions:
            self.source.fail(collisions)  # during serve the hand-written page wins until renamed
        for name in STYLESHEETS:
            uri = f"{ASSETS_URI}/{name}"
            if uri not in by_src:  # the site's own copy wins
                files.append(File.generated(config, uri, content=asset_text(name)))
        scripts = [str(script) for script in config.extra_javascript]
        if MERMAID_URI in scripts and MERMAID_URI not in by_src:  # the site's own copy wins
            mermaid = importlib.resources.files("cjm_plugin").joinpath("assets", *MERMAID_ASSET)
            files.append(File.generated(config, MERMAID_URI, abs_src_path=str(mermaid)))
        for parts in TABLE_SCRIPTS:
            uri = f"{ASSETS_URI}/{parts[-1]}"
            if uri not in by_src:  # the site's own copy wins
                script = importlib.resources.files("cjm_plugin").joinpath("assets", *parts)
                files.append(File.generated(config, uri, abs_src_path=str(script)))
        self._check_links(files)
        return files

    def _check_links(self, files: Files) -> None:
        """Every page and file a generated page links to is in the site: a dead link is a
        warning, which fails ``mkdocs build --strict``."""
        present = {file.src_uri for file in files}
        for uri, page in self.pages.items():
            for target in page.links:
                if target not in present:
                    log.warning(
                        f"cjm: the {page.kind} page {uri} links to {target}, "
                        "which is not in the site"
                    )

    def _journeys_from_docs(self, config: MkDocsConfig) -> str:
        """The journeys folder relative to docs_dir: where a page's "edit" link points.

        MkDocs joins ``repo_url + edit_uri + file.edit_uri`` and resolves ``..``,
        so ``../journeys/x.md`` opens the journey file beside the docs folder.
        """
        return Path(os.path.relpath(self.config.journeys_dir, config.docs_dir)).as_posix()

    def _collision_message(self, page: Page, existing: File) -> str:
        if existing.abs_src_path:
            written = display_path(Path(existing.abs_src_path))
        else:
            written = f"{existing.src_uri} (added by {existing.generated_by or 'another plugin'})"
        if page.source is not None:
            maker = display_path(Path(self.config.journeys_dir) / page.source)
        else:
            maker = f"the {page.kind} page cjm generates"
        return (
            f"cjm: {written} and the page generated from {maker} both want the URL of "
            f"{page.uri}: rename or move {written}, or set "
            f"'{self.url_option(page)}' of the cjm plugin"
        )

    @staticmethod
    def url_option(page: Page) -> str:
        """The option that places the page: its kind's."""
        return page_kind(page.kind).url_option

    # Runs first (100): the warnings come with the page MkDocs reads.
    @event_priority(100)
    def on_page_markdown(
        self, markdown: str, /, *, page: MkDocsPage, config: MkDocsConfig, files: Files
    ) -> str | None:
        """A generated page's warnings."""
        if not self.config.enabled:
            return markdown
        made = self.pages.get(page.file.src_uri)
        if made is not None:
            for warning in made.diagnostics:
                log.warning(str(warning))
        return markdown

    # Runs first (100): other plugins see the whole page, cjm's HTML with the bodies.
    @event_priority(100)
    def _put_page_together(
        self, content: str, /, *, page: MkDocsPage, config: MkDocsConfig, files: Files
    ) -> str | None:
        """cjm's HTML around the bodies MkDocs converted, with one table of contents."""
        made = self.pages.get(page.file.src_uri) if self.config.enabled else None
        if made is None:
            return content
        assembled = assemble(made, content, page.toc, self.toc_options)
        page.toc = assembled.toc
        page.present_anchor_ids = assembled.anchors | (page.present_anchor_ids or set())
        self.assembled[page.file.src_uri] = assembled
        return assembled.html

    # Runs last (-100): what other plugins made of a generated page is cleaned too.
    @event_priority(-100)
    def _finish_page(
        self, content: str, /, *, page: MkDocsPage, config: MkDocsConfig, files: Files
    ) -> str | None:
        """With ``bodies: sanitized``, a generated page's HTML with nothing that runs script;
        during serve, the maps' current errors above it."""
        if not self.config.enabled or page.file.src_uri not in self.pages:
            return content
        assembled = self.assembled.pop(page.file.src_uri, None)
        if self.config.bodies == "sanitized":
            content = sanitize_body_html(content)
        banner = self.source.errors_banner()
        if self.material_search and assembled is not None and content == assembled.html:
            self.search_texts[page.file.src_uri] = banner + assembled.search_text()
        return banner + content

    on_page_content = CombinedEvent(_put_page_together, _finish_page)

    # Runs first (100), before the search plugins read the page; then last (-100).
    @event_priority(100)
    def _show_search_text(
        self,
        context: TemplateContext,
        /,
        *,
        page: MkDocsPage,
        config: MkDocsConfig,
        nav: Navigation,
    ) -> TemplateContext | None:
        """What search plugins index of a generated page: its text, not the map's cells."""
        made = self.pages.get(page.file.src_uri)
        if made is not None and page_kind(made.kind).width == "full":
            # Only while it is rendered: Material asks the meta of every page of the
            # navigation for an icon and a status, on every page, and an empty meta
            # answers at once (a navigation of a thousand pages asks a million times).
            self.layouts[page.file.src_uri] = page.meta
            page.meta = {**page.meta, "hide": ["navigation", "toc"]}
        search_text = self.search_texts.get(page.file.src_uri)
        if search_text is not None and page.content is not None:
            self.full_content[page.file.src_uri] = page.content
            page.content = search_text
        return context

    @event_priority(-100)
    def _show_page(
        self,
        context: TemplateContext,
        /,
        *,
        page: MkDocsPage,
        config: MkDocsConfig,
        nav: Navigation,
    ) -> TemplateContext | None:
        """The whole page again for the theme, unless another plugin changed it meanwhile."""
        src_uri = page.file.src_uri
        full = self.full_content.pop(src_uri, None)
        search_text = self.search_texts.pop(src_uri, None)
        if full is not None and page.content is search_text:
            page.content = full
        return context

    on_page_context = CombinedEvent(_show_search_text, _show_page)

    # Default priority: the page is written; its meta goes back to what MkDocs read.
    def on_post_page(self, output: str, /, *, page: MkDocsPage, config: MkDocsConfig) -> str | None:
        meta = self.layouts.pop(page.file.src_uri, None)
        if meta is not None:
            page.meta = meta
        return output

    # Runs late (-50): other plugins shape the nav first, we only move our own pages.
    @event_priority(-50)
    def on_nav(
        self, nav: Navigation, /, *, config: MkDocsConfig, files: Files
    ) -> Navigation | None:
        if not self.config.enabled or not self.files_of:
            return nav
        for made in self.pages.values():
            file = self.files_of.get(made.uri)
            if file is not None and file.page is not None:
                file.page.title = EscapedTitle(html_text(made.title))
        generated: dict[str, NavPlace] = {}
        pages: dict[str, MkDocsPage] = {}
        for made in self.pages.values():
            file = self.files_of.get(made.uri)
            if file is not None and file.page is not None:
                generated[file.src_uri] = page_kind(made.kind).nav
                pages[file.src_uri] = file.page
        placed = place_generated_pages(
            plain_items(nav.items),
            generated,
            layout=self.config.nav,
            explicit=config.nav is not None,
        )
        if placed is None:
            return nav  # an explicit nav that places our pages is the user's word
        items = mkdocs_items(placed, pages)
        for page in nav.pages:  # linked as MkDocs first placed them, ours too
            page.previous_page = page.next_page = None
        in_nav = [
            item.origin if isinstance(item.origin, MkDocsPage) else pages[item.uri]
            for item in pages_in(placed)
        ]
        link_previous_and_next(in_nav)  # pages left out of the nav keep none
        return Navigation(items, in_nav)

    # Default priority: watching a folder does not depend on other plugins.
    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        if not self.config.enabled:
            return server
        if not self.source.serving:  # `mkdocs serve --clean` built once
            self.source = PageSource(serving=True)
        self.source.watch(server, self.maps)
        return server


def edit_path(journeys_from_docs: str, source: str, template: object = None) -> str:
    """The path of a journey file for "edit this page", percent-encoded.

    MkDocs pastes ``file.edit_uri`` into the edit link as it is, and themes put
    that link in an ``href`` unescaped: a file named ``x" onmouseover="...".md``
    would add an attribute. Encoded, every character outside ``A-Z a-z 0-9 _ . - ~ /``
    becomes ``%XX``. Left as it is only for an ``edit_uri_template`` that inserts
    the path solely as ``{path!q}``, where MkDocs encodes it (twice would be wrong).
    """
    path = posixpath.join(journeys_from_docs, source)
    if template:
        fields = [
            conversion
            for _, name, _, conversion in string.Formatter().parse(str(template))
            if name is not None
        ]
        if fields and all(conversion == "q" for conversion in fields):
            return path
    return urllib.parse.quote(path, safe="/")


def asset_text(name: str) -> str:
    """One of the files in ``cjm_plugin/assets``, as the package ships it."""
    return importlib.resources.files("cjm_plugin").joinpath("assets", name).read_text("utf-8")


def is_mermaid_script(path: str) -> bool:
    """True for a script named like Mermaid's build: ``mermaid.min.js``, ``mermaid.js``..."""
    name = urllib.parse.urlsplit(path).path.rsplit("/", 1)[-1]
    return _MERMAID_SCRIPT_RE.match(name) is not None


def _has_material_search(config: MkDocsConfig) -> bool:
    """Whether Material's search plugin indexes the pages: its parser is the one whose
    reading of a page :func:`~cjm_plugin.mkdocs_pages.searchable` keeps."""
    return any(
        type(plugin).__module__.startswith("material.plugins.search")
        for plugin in config.plugins.values()
    )


def _permalink_options(config: MkDocsConfig) -> dict[str, Any] | None:
    """The site's ``toc`` options when they give headings a permalink, as cjm's get too."""
    if "toc" not in config.markdown_extensions:
        return None
    options = dict(config.mdx_configs.get("toc") or {})
    return options if options.get("permalink") else None
