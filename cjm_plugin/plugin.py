"""The MkDocs adapter: journey files in, generated pages out, events only.

Everything that decides what a page says lives in the core (loader, registry,
render); this module only hands MkDocs what the core made.
"""

from __future__ import annotations

import contextlib
import logging
import os
import posixpath
import stat
import string
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import watchdog.events
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure import StructureItem
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section, _add_previous_and_next_links
from mkdocs.structure.pages import Page as MkDocsPage
from watchdog.observers.api import ObservedWatch

from .bodies import sanitize_body_html
from .config import CjmConfig, url_prefixes
from .diagnostics import Diagnostic
from .escape import html_text
from .history import HistoryCache, Revision
from .loader import (
    JourneysFolderMissing,
    LoadResult,
    ParseCache,
    display_path,
    find_journey_files,
    load_folder,
)
from .parallel import Ahead
from .registry import Registry
from .render import (
    GENERATED_COMMENT,
    Page,
    PageCache,
    PageSlot,
    UrlLayout,
    plan_site,
)

log = logging.getLogger("mkdocs.plugins.cjm")


@dataclass(frozen=True)
class _Loaded:
    """What loading the maps found, for a one-off build: the first thing it needs."""

    warnings: list[Diagnostic]
    slots: list[PageSlot] | None
    """Where each page goes, in the order they come; ``None`` when there are none."""
    failure: list[str]
    """Why there are no pages: the lines of the error."""


#: Markdown extensions the generated pages are written for; harmless elsewhere.
REQUIRED_EXTENSIONS = ("attr_list", "md_in_html", "tables")

MERMAID_FENCE_SNIPPET = """\
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format"""


class CjmPlugin(BasePlugin[CjmConfig]):  # type: ignore[no-untyped-call]
    """Publishes a folder of journey maps as journey, persona and touchpoint pages."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.cache = ParseCache()
        """Parsed journey files, kept across ``mkdocs serve`` rebuilds."""
        self.page_cache = PageCache()
        """Rendered pages with the records each shows, kept across rebuilds."""
        self.history_cache = HistoryCache()
        """The journeys' revisions, kept across rebuilds while HEAD does not move."""
        self.serving = False
        self.last_good: dict[Path, list[Page]] = {}
        """Pages of the last valid maps of each journeys folder, served while a file
        is broken during serve."""
        self.pages: list[Page] = []
        """During serve, the pages rendered for this build (a one-off build renders
        each page when MkDocs reads it, see ``ahead``)."""
        self.entries: Sequence[Page | PageSlot] = []
        """Every generated page of this build, rendered or planned: where it goes."""
        self.ahead: Ahead[_Loaded | Page] | None = None
        """A one-off build's pages, rendered ahead of MkDocs in a second process."""
        self.index_of: dict[str, int] = {}
        """Position in ``entries`` of each generated page, by ``src_uri``."""
        self.files_of: dict[str, File] = {}
        """Generated File of each page URI in this build."""
        self.folder_watch: JourneysFolderWatch | None = None
        """During serve, what keeps the journeys folder watched as it goes and comes back."""

    # Defining on_startup keeps this instance (and its cache) alive across rebuilds.
    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        if not self.config.enabled:
            return
        self.serving = command == "serve"

    def on_shutdown(self) -> None:
        """MkDocs caches this instance per process: leave nothing for the next command."""
        if not self.config.enabled:
            return
        self._close_ahead()
        self.serving = False
        self.last_good = {}
        self.folder_watch = None

    # Runs late (-10): extensions other plugins add first are then not added twice.
    @event_priority(-10)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        self._check_url_prefixes()
        journeys_dir = Path(self.config.journeys_dir)
        # During serve a missing folder is logged by on_files, and its return awaited.
        if not self.serving and not journeys_dir.is_dir():
            raise PluginError(
                f"cjm: journeys folder not found: {display_path(journeys_dir)} "
                "(create it, or set 'journeys_dir' under 'plugins: - cjm:' in mkdocs.yml)"
            )
        docs_dir = Path(config.docs_dir)
        if journeys_dir == docs_dir or docs_dir in journeys_dir.parents:
            raise PluginError(
                f"cjm: journeys_dir {display_path(journeys_dir)} is inside docs_dir "
                f"{display_path(docs_dir)}; keep journey files outside docs_dir, "
                "MkDocs would publish them as pages too"
            )
        for extension in REQUIRED_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        return config

    # Default priority; warns here rather than in on_config because only warnings
    # logged during the build are counted by `mkdocs build --strict`.
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        if not has_mermaid_fence(config):
            log.warning(
                "cjm: journey diagrams need the Mermaid fence of pymdownx.superfences, "
                "or they show as code; add to mkdocs.yml:\n" + MERMAID_FENCE_SNIPPET
            )
        if not self.serving:
            self._start_ahead()
        elif self.folder_watch is not None:  # before the maps are read: no change goes unseen
            self.folder_watch.arm(Path(self.config.journeys_dir))

    def _start_ahead(self) -> None:
        """Have a second process load, plan and render the maps from here on.

        Started before MkDocs cleans the site folder and lists the docs and the
        theme's files, so that the loading, which ``on_files`` waits for, is
        under way meanwhile.
        """
        self._close_ahead()
        journeys_dir = Path(self.config.journeys_dir)
        files = len(find_journey_files(journeys_dir)) if journeys_dir.is_dir() else 0
        self.ahead = Ahead(self._build_output, jobs=files)

    def _check_url_prefixes(self) -> None:
        """Two prefixes that are equal or nested would give two pages one URL.

        Compared ignoring case: on macOS and Windows ``Maps`` and ``maps`` are one folder.
        """
        prefixes = sorted(url_prefixes(self.config).items())
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

    # Runs late (-50) so that pages other plugins add to docs are known when checking collisions.
    @event_priority(-50)
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return files
        if self.serving:
            self._close_ahead()
        self.entries = self._generate_pages()
        self.files_of = {}
        self.index_of = {}
        by_src = {file.src_uri: file for file in files}
        by_dest = {file.dest_uri: file for file in files}
        collisions = []
        journeys_from_docs = self._journeys_from_docs(config)
        for index, entry in enumerate(self.entries):
            # A planned page's Markdown comes in on_page_markdown, rendered by then.
            content = entry.markdown if isinstance(entry, Page) else GENERATED_COMMENT + "\n"
            generated = File.generated(config, entry.uri, content=content)
            existing = by_src.get(generated.src_uri) or by_dest.get(generated.dest_uri)
            if existing is not None:
                collisions.append(self._collision_message(entry, existing))
                continue
            if entry.source is not None:
                generated.edit_uri = edit_path(
                    journeys_from_docs, entry.source, config.edit_uri_template
                )
            files.append(generated)
            self.files_of[entry.uri] = generated
            self.index_of[generated.src_uri] = index
        if collisions:
            if not self.serving:
                raise PluginError("\n".join(collisions))
            for message in collisions:
                log.error(message)  # the hand-written page wins until one is renamed
        return files

    def _generate_pages(self) -> Sequence[Page | PageSlot]:
        """Load and validate the maps; render them (serve) or have them rendered (build).

        During serve, pages are rendered here through the caches, and the last
        good pages stand in for invalid maps. A one-off build has a second
        process load, plan and render everything (see ``_build_output``),
        where it can, while MkDocs converts the pages.
        """
        journeys_dir = Path(self.config.journeys_dir)
        if not self.serving:
            if self.ahead is None:  # on_pre_build did not run: a build driven by hand
                self._start_ahead()
            loaded = self._ahead().result(0)
            assert isinstance(loaded, _Loaded)
            for warning in loaded.warnings:
                log.warning(str(warning))
            if loaded.slots is None:
                return self._fail(journeys_dir, loaded.failure)
            return loaded.slots
        try:
            return self._serve_pages(journeys_dir)
        except JourneysFolderMissing as exc:
            return self._fail(journeys_dir, [f"cjm: {exc}"])
        except Exception as exc:  # a bug in cjm must not stop the server either
            log.debug("cjm: the journey maps could not be loaded", exc_info=True)
            self.cache, self.page_cache = ParseCache(), PageCache()  # maybe half updated
            found = " ".join(str(exc).split())[:300]
            return self._fail(
                journeys_dir,
                [
                    f"cjm: the journey maps in {display_path(journeys_dir)} could not be "
                    f"loaded: {type(exc).__name__}: {found} (a bug in cjm; please report it "
                    "with the traceback `mkdocs serve --verbose` shows)"
                ],
            )

    def _serve_pages(self, journeys_dir: Path) -> list[Page]:
        """The pages of the maps as they are now, through the caches, for serve."""
        result = load_folder(journeys_dir, cache=self.cache)
        for warning in result.warnings:
            log.warning(str(warning))
        if result.registry is None:
            return self._fail(journeys_dir, self._invalid(journeys_dir, result))
        history = self._history(result.registry)
        self.pages = self.page_cache.render(result.registry, self.layout, history)
        self.last_good[journeys_dir] = self.pages
        return self.pages

    def _build_output(self) -> Iterator[_Loaded | Page]:
        """What a one-off build needs of cjm, in the order it needs it.

        First what loading found (warnings, and the pages to come or why there
        are none), then each page in the order of ``plan_site``. Run by a second
        process where one can be forked, so that nothing cjm allocates stays in
        MkDocs' process: caches pay off only across serve rebuilds, and records
        left alive would be scanned again and again by Python's cycle collector.
        """
        journeys_dir = Path(self.config.journeys_dir)
        try:
            result = load_folder(journeys_dir)
        except JourneysFolderMissing as exc:
            yield _Loaded([], None, [f"cjm: {exc}"])
            return
        if result.registry is None:
            yield _Loaded(result.warnings, None, self._invalid(journeys_dir, result))
            return
        planned = plan_site(result.registry, self.layout, self._history(result.registry))
        yield _Loaded(result.warnings, [page.slot() for page in planned], [])
        for page in planned:
            yield page.make()

    @staticmethod
    def _invalid(journeys_dir: Path, result: LoadResult) -> list[str]:
        return [
            f"cjm: the journey maps in {display_path(journeys_dir)} are invalid:",
            *(str(error) for error in result.errors),
        ]

    def _fail(self, journeys_dir: Path, lines: Sequence[str]) -> list[Page]:
        """End the build, or during serve log and keep the last good pages up."""
        if not self.serving:
            raise PluginError("\n".join(lines))
        for line in lines:
            log.error(line)
        last_good = self.last_good.get(journeys_dir)
        if last_good is not None:
            log.error("cjm: serving the last valid journey pages until the errors are fixed")
            self.pages = last_good
            return last_good
        self.pages = []
        return []

    def _history(self, registry: Registry) -> Mapping[str, Sequence[Revision]] | None:
        """Revisions of each journey's file, by journey id, for its page.

        One ``git log`` for the whole folder; outside a git checkout it is empty.
        """
        if not self.config.history or not registry.journeys:
            return None
        revisions = self.history_cache.histories(Path(self.config.journeys_dir))
        if not revisions:
            return None
        by_journey: dict[str, Sequence[Revision]] = {}
        for journey_id, journey in registry.journeys.items():
            path = journey.source.relative_path
            if path in revisions:
                by_journey[journey_id] = revisions[path]
        return by_journey

    @property
    def layout(self) -> UrlLayout:
        return UrlLayout(
            journeys=self.config.journeys_url,
            personas=self.config.personas_url,
            touchpoints=self.config.touchpoints_url,
        )

    def _journeys_from_docs(self, config: MkDocsConfig) -> str:
        """The journeys folder relative to docs_dir: where a page's "edit" link points.

        MkDocs joins ``repo_url + edit_uri + file.edit_uri`` and resolves ``..``,
        so ``../journeys/x.md`` opens the journey file beside the docs folder.
        """
        return Path(os.path.relpath(self.config.journeys_dir, config.docs_dir)).as_posix()

    def _collision_message(self, page: Page | PageSlot, existing: File) -> str:
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
    def url_option(page: Page | PageSlot) -> str:
        return {"persona": "personas_url", "touchpoints": "touchpoints_url"}.get(
            page.kind, "journeys_url"
        )

    # Runs first (100): other plugins then see the generated Markdown, not a placeholder.
    @event_priority(100)
    def on_page_markdown(
        self, markdown: str, /, *, page: MkDocsPage, config: MkDocsConfig, files: Files
    ) -> str | None:
        """A generated page's Markdown and its warnings, and its title as escaped HTML.

        Left to the first heading, Material's ``<title>`` would strip tags and then
        unescape the heading's text, so a name holding ``</title><script>`` would
        run; a ``title`` in the page's meta is used as is, by every theme.
        """
        if not self.config.enabled:
            return markdown
        index = self.index_of.get(page.file.src_uri)
        if index is None:
            return markdown
        entry = self.entries[index]
        made = entry if isinstance(entry, Page) else self._ahead().result(index + 1)
        assert isinstance(made, Page)
        for warning in made.diagnostics:
            log.warning(str(warning))
        page.meta["title"] = html_text(made.title)
        return made.markdown

    # Runs last (-100): what other plugins made of a generated page is cleaned too.
    @event_priority(-100)
    def on_page_content(
        self, content: str, /, *, page: MkDocsPage, config: MkDocsConfig, files: Files
    ) -> str | None:
        """With ``bodies: sanitized``, a generated page's HTML with nothing that runs script."""
        if not self.config.enabled or self.config.bodies != "sanitized":
            return content
        if page.file.src_uri not in self.index_of:
            return content
        return sanitize_body_html(content)

    def _ahead(self) -> Ahead[_Loaded | Page]:
        assert self.ahead is not None, "planned pages come with their renderer"
        return self.ahead

    # The second process ends with the build, whichever way the build ends.
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._close_ahead()

    def on_build_error(self, *, error: Exception) -> None:
        self._close_ahead()

    def _close_ahead(self) -> None:
        if self.ahead is not None:
            if self.ahead.ended_early:  # the same pages, made here: slower, not wrong
                log.debug("cjm: the second process stopped early; MkDocs' process made the rest")
            self.ahead.close()
            self.ahead = None

    # Runs late (-50): other plugins shape the nav first, we only move our own pages.
    @event_priority(-50)
    def on_nav(
        self, nav: Navigation, /, *, config: MkDocsConfig, files: Files
    ) -> Navigation | None:
        if not self.config.enabled:
            return nav
        if not self.files_of:
            return nav
        ours: dict[int, Page | PageSlot] = {}
        for entry in self.entries:
            file = self.files_of.get(entry.uri)
            if file is not None and file.page is not None:
                ours[id(file.page)] = entry
        if config.nav is not None and any(id(page) in ours for page in nav.pages):
            return nav  # an explicit nav that places our pages is the user's word
        items, position = _without(list(nav.items), ours)
        section = self._journeys_section(ours, files)
        items.insert(position if position is not None else len(items), section)
        _set_parents(items, None)
        for page in nav.pages:  # linked as MkDocs first placed them, ours too
            page.previous_page = page.next_page = None
        pages = _pages_in(items)
        _add_previous_and_next_links(pages)  # pages left out of the nav keep none
        return Navigation(items, pages)

    def _journeys_section(self, ours: dict[int, Page | PageSlot], files: Files) -> Section:
        """The "Journeys" section in the shape the ``nav`` option asks for."""
        by_kind: dict[str, list[MkDocsPage]] = {}
        # By path segments, so journeys/a/ comes before journeys/a-b/ (id order).
        for entry in sorted(self.entries, key=lambda entry: entry.uri.split("/")):
            file = self.files_of.get(entry.uri)
            if file is not None and file.page is not None and id(file.page) in ours:
                by_kind.setdefault(entry.kind, []).append(file.page)
        overview = by_kind.get("overview", [])
        journeys = by_kind.get("journey", [])
        personas = by_kind.get("persona", [])
        touchpoints = by_kind.get("touchpoints", [])
        children: list[StructureItem]
        if self.config.nav == "full":
            children = [*overview, *journeys, *personas, *touchpoints]
        elif self.config.nav == "grouped":
            children = [*overview, *touchpoints]
            if journeys:
                children.append(Section("Journeys", list(journeys)))
            if personas:
                children.append(Section("Personas", list(personas)))
        else:
            children = [*overview, *touchpoints]
        return Section("Journeys", children)

    # Default priority: watching a folder does not depend on other plugins.
    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        if not self.config.enabled:
            return server
        self.serving = True  # also after the first build of `mkdocs serve --clean`
        self.folder_watch = JourneysFolderWatch(server)
        self.folder_watch.arm(Path(self.config.journeys_dir))
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


def has_mermaid_fence(config: MkDocsConfig) -> bool:
    """True when pymdownx.superfences has a custom fence named ``mermaid``."""
    if "pymdownx.superfences" not in config.markdown_extensions:
        return False
    options = config.mdx_configs.get("pymdownx.superfences") or {}
    fences = options.get("custom_fences") or []
    return any(isinstance(fence, dict) and fence.get("name") == "mermaid" for fence in fences)


def _without(
    items: list[StructureItem], ours: dict[int, Page | PageSlot]
) -> tuple[list[StructureItem], int | None]:
    """Items with our pages taken out (sections left empty dropped), and where they were."""
    kept: list[StructureItem] = []
    position: int | None = None
    for item in items:
        if isinstance(item, MkDocsPage) and id(item) in ours:
            position = len(kept) if position is None else position
            continue
        if isinstance(item, Section):
            children, inner = _without(list(item.children), ours)
            if inner is not None and position is None:
                position = len(kept)
            if not children:
                continue
            item.children = children
        kept.append(item)
    return kept, position


def _set_parents(items: Sequence[StructureItem], parent: Section | None) -> None:
    for item in items:
        item.parent = parent
        if isinstance(item, Section):
            _set_parents(item.children, item)


def _pages_in(items: Sequence[StructureItem]) -> list[MkDocsPage]:
    """Every page of the nav, depth first, in reading order."""
    pages: list[MkDocsPage] = []
    for item in items:
        if isinstance(item, MkDocsPage):
            pages.append(item)
        elif isinstance(item, Section):
            pages.extend(_pages_in(item.children))
    return pages


#: A folder's device and inode: which folder stands at a path.
_FolderId = tuple[int, int]


class JourneysFolderWatch:
    """Keeps ``mkdocs serve`` watching the journeys folder as it goes and comes back.

    MkDocs watches with watchdog's polling observer, whose watch of a folder
    ends for good once the folder is gone, telling only with a folder event,
    which MkDocs ignores: the folder's removal goes unnoticed and its return
    unseen. So cjm listens to that watch too, for its end, and watches the
    nearest existing folder above, one level deep, for the journeys folder
    (or one above it) appearing. Either asks MkDocs for a rebuild, and each
    rebuild re-arms both watches. Only folder events count, so a build
    writing files cannot set off another.
    """

    def __init__(self, server: LiveReloadServer) -> None:
        self.server = server
        self.observer = getattr(server, "observer", None)
        self.folder: str | None = None
        """The journeys folder as MkDocs watches it, while it is watched."""
        self.folder_id: _FolderId | None = None
        self.parent: tuple[str, _FolderId | None, str] | None = None
        """The folder watched one level deep, which folder it was, and for which path."""
        self.parent_watch: Any = None
        self.folder_gone = False
        """Set by the observer thread: the watch of the journeys folder ended."""
        self.parent_gone = False
        """Set by the observer thread: the watch of the folder above ended."""

    def arm(self, journeys_dir: Path) -> None:
        """Watch the folder as it is now; watch again one that was replaced."""
        folder = os.path.abspath(journeys_dir)
        folder_gone, self.folder_gone = self.folder_gone, False
        parent_gone, self.parent_gone = self.parent_gone, False
        folder_id, parent = _folder_id(folder), _nearest_parent(folder)
        if self.folder is not None and (
            folder_gone or self.folder != folder or self.folder_id != folder_id
        ):
            self.server.unwatch(self.folder)
            self.folder = self.folder_id = None
        if self.folder is None and folder_id is not None:
            self._watch_folder(folder, folder_id)
        wanted = (parent, _folder_id(parent), folder)
        if parent_gone or wanted != self.parent:
            self._watch_parent(wanted)
        if (_folder_id(folder), _nearest_parent(folder)) != (folder_id, parent):
            self.request_rebuild()  # it changed while being armed: have another look

    def _watch_folder(self, folder: str, folder_id: _FolderId) -> None:
        try:
            self.server.watch(folder)
        except OSError:  # gone again: the watch above tells when it is back
            # MkDocs counted the watch before it failed: unwatch uncounts it,
            # then finds no watch to end.
            with contextlib.suppress(KeyError):
                self.server.unwatch(folder)
            return
        self.folder, self.folder_id = folder, folder_id
        if self.observer is not None:  # MkDocs' watch, told apart by its path and depth
            watch = ObservedWatch(folder, recursive=True)
            self.observer.add_handler_for_watch(_FolderEvents(self, folder, None), watch)

    def _watch_parent(self, wanted: tuple[str, _FolderId | None, str]) -> None:
        if self.observer is None:
            return
        if self.parent_watch is not None:
            self.observer.unschedule(self.parent_watch)
            self.parent_watch = None
        self.parent = wanted  # tried once: a folder that cannot be watched is told once
        parent, _, folder = wanted
        try:
            self.parent_watch = self.observer.schedule(
                _FolderEvents(self, folder, parent), parent, recursive=False
            )
        except OSError as exc:
            log.warning(
                f"cjm: cannot watch {display_path(Path(parent))} ({exc}): if the journeys "
                "folder is removed or replaced, restart mkdocs serve"
            )

    def request_rebuild(self) -> None:
        """Have MkDocs rebuild, as its own watches do.

        MkDocs 1.6 has no public call for it: this is what the callback of
        ``LiveReloadServer.watch`` does.
        """
        condition = getattr(self.server, "_rebuild_cond", None)
        if condition is None:
            return
        with condition:
            self.server._want_rebuild = True
            condition.notify_all()


class _FolderEvents(watchdog.events.FileSystemEventHandler):
    """Folder events of one watch: the journeys folder's own, or the one above it.

    A polling watch whose folder is gone reports that folder deleted and ends.
    """

    def __init__(self, watch: JourneysFolderWatch, folder: str, parent: str | None) -> None:
        self.watch = watch
        self.folder = Path(folder)
        self.parent = parent
        """The folder this handler's watch is on, for the one above the journeys folder."""

    def on_any_event(self, event: watchdog.events.FileSystemEvent) -> None:
        if not event.is_directory:
            return  # MkDocs' own handler rebuilds for files
        source = os.fsdecode(event.src_path)
        if self.parent is None:  # on the journeys folder's watch
            if event.event_type == "deleted" and Path(source) == self.folder:
                self.watch.folder_gone = True
                self.watch.request_rebuild()
        elif event.event_type == "deleted" and source == self.parent:
            self.watch.parent_gone = True
            self.watch.request_rebuild()
        elif event.event_type in ("created", "moved"):
            arrived = Path(os.fsdecode(getattr(event, "dest_path", "")) or source)
            if arrived == self.folder or arrived in self.folder.parents:
                self.watch.request_rebuild()


def _folder_id(path: str) -> _FolderId | None:
    """Which folder is at ``path`` now (``None``: none); another one needs another watch."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_dev, status.st_ino) if stat.S_ISDIR(status.st_mode) else None


def _nearest_parent(path: str) -> str:
    """The nearest folder above ``path`` that exists."""
    parent = os.path.dirname(path)
    while not os.path.isdir(parent) and os.path.dirname(parent) != parent:
        parent = os.path.dirname(parent)
    return parent
