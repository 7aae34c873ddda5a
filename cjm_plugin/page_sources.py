"""Where the plugin gets its pages: one interface, a source for builds and one for serve.

A one-off build has a second process load, plan and render the maps ahead of
MkDocs (:class:`BuildSource`); ``mkdocs serve`` renders through caches kept
across rebuilds and keeps the last good pages up while a map is broken
(:class:`ServeSource`). The plugin picks one and asks it the same things.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Protocol

from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer

from .build_date import build_date
from .diagnostics import Diagnostic, sort_diagnostics
from .escape import html_text
from .export import export_csv, export_json
from .history import HistoryCache, Revision
from .load import (
    JourneysFolderMissing,
    LoadResult,
    ParseCache,
    display_path,
    find_journey_files,
    load_folder,
)
from .pages import Page, PageCache, PageSlot, UrlLayout, plan_site
from .parallel import Ahead
from .registry import Registry
from .review import DEFAULT_REVIEW_EVERY, stale_map_warnings
from .serve_watch import JourneysFolderWatch

log = logging.getLogger("mkdocs.plugins.cjm")


@dataclass(frozen=True)
class Maps:
    """What the plugin's options say about the maps and their pages, for one build."""

    journeys_dir: Path
    layout: UrlLayout
    history: bool
    """Whether journey pages show their git revisions."""
    review_every: str = DEFAULT_REVIEW_EVERY
    """How often a journey without its own ``review_every`` must be reviewed."""
    truth_checks: str = "info"
    """How stale maps and emotion drift reach the build log: ``info`` or ``warn``."""


#: Codes of what a calendar date or new data can make true of unchanged maps:
#: logged as information unless the site asks for warnings (``truth_checks``).
TRUTH_CODES = frozenset({"cjm.stale-map", "cjm.emotion-drift"})


def log_warnings(warnings: Sequence[Diagnostic], maps: Maps) -> None:
    """Log what loading found; stale maps and drift as information unless asked otherwise.

    A site must not stop building (``--strict``) because a date went by.
    """
    for warning in warnings:
        if warning.code in TRUTH_CODES and maps.truth_checks != "warn":
            log.info(str(warning))
        else:
            log.warning(str(warning))


def load_warnings(result: LoadResult, maps: Maps) -> list[Diagnostic]:
    """The loader's warnings and a ``cjm.stale-map`` one per stale journey, in file order."""
    stale = stale_map_warnings(result.files, build_date(), maps.review_every)
    return sort_diagnostics([*result.warnings, *stale])


@dataclass(frozen=True)
class Exports:
    """The maps as ``cjm export`` writes them, published beside the overview."""

    json: str
    csv: str
    """Starting with its byte order mark."""


def _exports(registry: Registry, maps: Maps) -> Exports:
    return Exports(export_json(registry, maps.layout), export_csv(registry, maps.layout))


class PageSource(Protocol):
    """What the plugin asks for the generated pages, event by event."""

    def require_folder(self, maps: Maps) -> None:
        """``on_config``: object to a missing journeys folder, or wait for it."""

    def start(self, maps: Maps) -> None:
        """``on_pre_build``: get ready, before MkDocs lists the docs."""

    def entries(self, maps: Maps) -> Sequence[PageSlot]:
        """``on_files``: where each page goes, once the maps are loaded and valid."""

    def page(self, index: int) -> Page:
        """``on_page_markdown``: the page at ``index`` of :meth:`entries`."""

    def exports(self) -> Exports | None:
        """``on_files``, after :meth:`entries`: the maps as ``cjm export`` writes them,
        ``None`` without valid maps."""

    def fail(self, lines: Sequence[str]) -> None:
        """Errors that end a one-off build; serve logs them and goes on."""

    def errors_banner(self) -> str:
        """HTML to put above each generated page: serve's current errors, or nothing."""

    def close(self) -> None:
        """The build is over: let go of what only it needed."""


def _invalid(journeys_dir: Path, result: LoadResult) -> list[str]:
    return [
        f"cjm: the journey maps in {display_path(journeys_dir)} are invalid:",
        *(str(error) for error in result.errors),
    ]


def journey_histories(
    histories: HistoryCache, maps: Maps, registry: Registry
) -> Mapping[str, Sequence[Revision]] | None:
    """Revisions of each journey's file, by journey id, for its page.

    One ``git log`` for the whole folder; outside a git checkout it is empty.
    """
    if not maps.history or not registry.journeys:
        return None
    revisions = histories.histories(maps.journeys_dir)
    if not revisions:
        return None
    # What each commit changed is worked out as each page asks for it.
    paths = {journey_id: j.source.relative_path for journey_id, j in registry.journeys.items()}
    return revisions.select(paths)


@dataclass(frozen=True)
class _Loaded:
    """What loading the maps found, for a one-off build: the first thing it needs."""

    warnings: list[Diagnostic]
    slots: list[PageSlot] | None
    """Where each page goes, in the order they come; ``None`` when there are none."""
    failure: list[str]
    """Why there are no pages: the lines of the error."""
    exports: Exports | None = None
    """The maps as ``cjm export`` writes them; ``None`` when there are no pages."""


def _build_output(maps: Maps) -> Iterator[_Loaded | Page]:
    """What a one-off build needs of cjm, in the order it needs it.

    First what loading found (warnings, and the pages to come or why there
    are none), then each page in the order of ``plan_site``. Run by a second
    process where one can be forked, so that nothing cjm allocates stays in
    MkDocs' process: caches pay off only across serve rebuilds, and records
    left alive would be scanned again and again by Python's cycle collector.
    """
    try:
        result = load_folder(maps.journeys_dir)
    except JourneysFolderMissing as exc:
        yield _Loaded([], None, [f"cjm: {exc}"])
        return
    warnings = load_warnings(result, maps)
    if result.registry is None:
        yield _Loaded(warnings, None, _invalid(maps.journeys_dir, result))
        return
    history = journey_histories(HistoryCache(), maps, result.registry)
    planned = plan_site(result.registry, maps.layout, history, maps.review_every)
    slots = [page.slot() for page in planned]
    yield _Loaded(warnings, slots, [], _exports(result.registry, maps))
    for page in planned:
        yield page.make()


class BuildSource:
    """A one-off build's pages, loaded and rendered ahead of MkDocs in a second process."""

    def __init__(self) -> None:
        self.ahead: Ahead[_Loaded | Page] | None = None
        self.loaded: _Loaded | None = None

    def require_folder(self, maps: Maps) -> None:
        if not maps.journeys_dir.is_dir():
            raise PluginError(
                f"cjm: journeys folder not found: {display_path(maps.journeys_dir)} "
                "(create it, or set 'journeys_dir' under 'plugins: - cjm:' in mkdocs.yml)"
            )

    def start(self, maps: Maps) -> None:
        """Have a second process load, plan and render the maps from here on.

        Started before MkDocs cleans the site folder and lists the docs and the
        theme's files, so that the loading, which ``entries`` waits for, is
        under way meanwhile.
        """
        self.close()
        files = len(find_journey_files(maps.journeys_dir)) if maps.journeys_dir.is_dir() else 0
        self.ahead = Ahead(partial(_build_output, maps), jobs=files)

    def entries(self, maps: Maps) -> Sequence[PageSlot]:
        if self.ahead is None:  # on_pre_build did not run: a build driven by hand
            self.start(maps)
        loaded = self._ahead().result(0)
        assert isinstance(loaded, _Loaded)
        self.loaded = loaded
        log_warnings(loaded.warnings, maps)
        if loaded.slots is None:
            self.fail(loaded.failure)
            return []
        return loaded.slots

    def exports(self) -> Exports | None:
        return None if self.loaded is None else self.loaded.exports

    def page(self, index: int) -> Page:
        made = self._ahead().result(index + 1)
        assert isinstance(made, Page)
        return made

    def fail(self, lines: Sequence[str]) -> None:
        raise PluginError("\n".join(lines))

    def errors_banner(self) -> str:
        """A one-off build with errors fails: it has no banner to show."""
        return ""

    def close(self) -> None:
        """The second process ends with the build, whichever way the build ends."""
        if self.ahead is not None:
            if self.ahead.ended_early:  # the same pages, made here: slower, not wrong
                log.debug("cjm: the second process stopped early; MkDocs' process made the rest")
            self.ahead.close()
            self.ahead = None
        self.loaded = None

    def _ahead(self) -> Ahead[_Loaded | Page]:
        assert self.ahead is not None, "planned pages come with their renderer"
        return self.ahead


class ServeSource:
    """``mkdocs serve``'s pages: rendered through caches kept across rebuilds.

    Only what changed is parsed and rendered again. While the maps are
    invalid or the folder is missing, the errors are logged and the last
    good pages stay up: the server never stops for a map.
    """

    def __init__(self) -> None:
        self.parse_cache = ParseCache()
        """Parsed journey files."""
        self.page_cache = PageCache()
        """Rendered pages with the records each shows."""
        self.history_cache = HistoryCache()
        """The journeys' revisions, kept while HEAD does not move."""
        self.last_good: dict[Path, list[Page]] = {}
        """Pages of the last valid maps of each journeys folder."""
        self.last_exports: dict[Path, Exports] = {}
        """Exports of the last valid maps of each journeys folder."""
        self.journeys_dir: Path | None = None
        """The journeys folder of this build."""
        self.pages: list[Page] = []
        """The pages of this build."""
        self.folder_watch: JourneysFolderWatch | None = None
        self.errors: list[Diagnostic | str] = []
        """The problems of this build, shown above its pages until they are fixed."""
        self.stale = False
        """Whether this build's pages are the last good ones, not the maps as they are."""

    def watch(self, server: LiveReloadServer, maps: Maps) -> None:
        """Have the server watch the journeys folder, as it goes and comes back."""
        self.folder_watch = JourneysFolderWatch(server)
        self.folder_watch.arm(maps.journeys_dir)

    def require_folder(self, maps: Maps) -> None:
        """A missing folder is logged by ``entries``, and its return awaited."""

    def start(self, maps: Maps) -> None:
        if self.folder_watch is not None:  # before the maps are read: no change goes unseen
            self.folder_watch.arm(maps.journeys_dir)

    def entries(self, maps: Maps) -> Sequence[PageSlot]:
        journeys_dir = self.journeys_dir = maps.journeys_dir
        self.errors, self.stale = [], False
        try:
            self.pages = self._render(maps)
        except JourneysFolderMissing as exc:
            self.pages = self._broken(journeys_dir, [f"cjm: {exc}"])
        except Exception as exc:  # a bug in cjm must not stop the server either
            log.debug("cjm: the journey maps could not be loaded", exc_info=True)
            self.parse_cache, self.page_cache = ParseCache(), PageCache()  # maybe half updated
            found = " ".join(str(exc).split())[:300]
            self.pages = self._broken(
                journeys_dir,
                [
                    f"cjm: the journey maps in {display_path(journeys_dir)} could not be "
                    f"loaded: {type(exc).__name__}: {found} (a bug in cjm; please report it "
                    "with the traceback `mkdocs serve --verbose` shows)"
                ],
            )
        return self.pages

    def _render(self, maps: Maps) -> list[Page]:
        """The pages of the maps as they are now, through the caches."""
        result = load_folder(maps.journeys_dir, cache=self.parse_cache)
        log_warnings(load_warnings(result, maps), maps)
        if result.registry is None:
            return self._broken(
                maps.journeys_dir, _invalid(maps.journeys_dir, result), result.errors
            )
        history = journey_histories(self.history_cache, maps, result.registry)
        pages = self.page_cache.render(result.registry, maps.layout, history, maps.review_every)
        self.last_good[maps.journeys_dir] = pages
        self.last_exports[maps.journeys_dir] = _exports(result.registry, maps)
        return pages

    def _broken(
        self,
        journeys_dir: Path,
        lines: Sequence[str],
        problems: Sequence[Diagnostic] | None = None,
    ) -> list[Page]:
        """Log why there are no fresh pages, and keep the last good ones up.

        ``problems``, when given, stand for ``lines`` above the pages.
        """
        self.fail(lines)
        if problems is not None:
            self.errors = list(problems)
        last_good = self.last_good.get(journeys_dir)
        if last_good is None:
            return []
        log.error("cjm: serving the last valid journey pages until the errors are fixed")
        self.stale = True
        return last_good

    def exports(self) -> Exports | None:
        """The last valid maps', like the pages served."""
        if self.journeys_dir is None or not self.pages:
            return None
        return self.last_exports.get(self.journeys_dir)

    def page(self, index: int) -> Page:
        return self.pages[index]

    def fail(self, lines: Sequence[str]) -> None:
        for line in lines:
            log.error(line)
        self.errors.extend(lines)

    def errors_banner(self) -> str:
        return serve_errors_html(self.errors, stale=self.stale)

    def close(self) -> None:
        """The caches stay for the next rebuild."""


def serve_errors_html(errors: Sequence[Diagnostic | str], *, stale: bool) -> str:
    """The banner ``mkdocs serve`` puts above each generated page while there are errors.

    Each problem as ``FILE:LINE:COL`` and its message, every text escaped. Styled
    as a Material "failure" admonition, and by ``cjm.css`` under other themes.
    """
    if not errors:
        return ""
    items = []
    for problem in errors:
        if isinstance(problem, Diagnostic):
            place = html_text(f"{problem.path}:{problem.line}:{problem.col}")
            text = html_text(f"{problem.message} [{problem.code}]")
            items.append(f'<li><code class="cjm-serve-errors__place">{place}</code> {text}</li>')
        else:
            items.append(f"<li>{html_text(problem)}</li>")
    if stale:
        note = "This page shows the last valid maps until the errors are fixed."
    else:
        note = "Fix them and this page updates."
    count = len(errors)
    title = f"cjm found {count} error{'' if count == 1 else 's'}"
    return (
        '<div class="cjm-serve-errors admonition failure" role="alert">\n'
        f'<p class="admonition-title">{html_text(title)}</p>\n'
        f"<ul>{''.join(items)}</ul>\n"
        f"<p>{html_text(note)}</p>\n"
        "</div>\n"
    )
