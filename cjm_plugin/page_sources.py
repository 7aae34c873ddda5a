"""Where the plugin gets its pages: the maps loaded, checked and rendered, one way for
a build and for each rebuild of ``mkdocs serve``."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

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
    load_folder,
)
from .pages import Page, PageView, UrlLayout, plan_site, render
from .pages.site import DuplicateUrl
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


class PageSource:
    """The generated pages of the maps as they are now, for a build or a serve rebuild.

    One path for both: load, check, plan, render. A one-off build ends on the
    first error; serve logs it, shows it above its pages and keeps the last
    good pages up, so the server never stops for a map. Across serve's
    rebuilds it keeps the parsed files (only what changed is parsed again),
    the journeys' git history while HEAD does not move, and each page as last
    rendered with the view it was made from: a page whose view is equal is not
    rendered again, and ``mkdocs serve --dirty`` rebuilds only the pages whose
    HTML changed.
    """

    def __init__(self, *, serving: bool = False) -> None:
        self.serving = serving
        self.parse_cache = ParseCache() if serving else None
        self.history_cache = HistoryCache()
        self.last_good: dict[Path, tuple[list[Page], Exports]] = {}
        """Pages and exports of the last valid maps of each journeys folder (serve)."""
        self.views: dict[str, tuple[PageView, Page]] = {}
        """Each page of the last build with the view it was made from, by uri (serve)."""
        self.shown: dict[str, Page] = {}
        """Each page as the last build showed it, by uri (serve)."""
        self.shown_banner = ""
        """The errors banner the last build put above its pages."""
        self.changed: set[str] = set()
        """Uris of this build's pages that differ from the last build's."""
        self.journeys_dir: Path | None = None
        self.pages: list[Page] = []
        self.current_exports: Exports | None = None
        self.folder_watch: JourneysFolderWatch | None = None
        self.errors: list[Diagnostic | str] = []
        """The problems of this build, shown above its pages until they are fixed (serve)."""
        self.stale = False
        """Whether this build's pages are the last good ones, not the maps as they are."""

    def watch(self, server: LiveReloadServer, maps: Maps) -> None:
        """Have the server watch the journeys folder, as it goes and comes back."""
        self.folder_watch = JourneysFolderWatch(server)
        self.folder_watch.arm(maps.journeys_dir)

    def require_folder(self, maps: Maps) -> None:
        """``on_config``: a build objects to a missing folder; serve awaits its return."""
        if not self.serving and not maps.journeys_dir.is_dir():
            raise PluginError(
                f"cjm: journeys folder not found: {display_path(maps.journeys_dir)} "
                "(create it, or set 'journeys_dir' under 'plugins: - cjm:' in mkdocs.yml)"
            )

    def start(self, maps: Maps) -> None:
        """``on_pre_build``: watch the folder before the maps are read, so no change goes unseen."""
        if self.folder_watch is not None:
            self.folder_watch.arm(maps.journeys_dir)

    def render(self, maps: Maps) -> Sequence[Page]:
        """``on_files``: the pages of the maps, or during serve the last good ones."""
        self.journeys_dir = maps.journeys_dir
        self.errors, self.stale, self.current_exports = [], False, None
        try:
            pages = self._render(maps)
        except JourneysFolderMissing as exc:
            pages = self._broken(maps.journeys_dir, [f"cjm: {exc}"])
        except DuplicateUrl as exc:
            pages = self._broken(maps.journeys_dir, [f"cjm: {exc}"])
        except Exception as exc:
            if not self.serving:
                raise
            # A bug in cjm must not stop the server either.
            log.debug("cjm: the journey maps could not be loaded", exc_info=True)
            self.parse_cache = ParseCache()  # maybe half updated
            found = " ".join(str(exc).split())[:300]
            pages = self._broken(
                maps.journeys_dir,
                [
                    f"cjm: the journey maps in {display_path(maps.journeys_dir)} could not be "
                    f"loaded: {type(exc).__name__}: {found} (a bug in cjm; please report it "
                    "with the traceback `mkdocs serve --verbose` shows)"
                ],
            )
        banner = self.errors_banner()
        if banner != self.shown_banner:  # every page shows the banner: all of them changed
            self.changed = {page.uri for page in pages}
        else:
            self.changed = {page.uri for page in pages if self.shown.get(page.uri) != page}
        if self.serving:
            self.shown = {page.uri: page for page in pages}
            self.shown_banner = banner
        self.pages = list(pages)
        return self.pages

    def _render(self, maps: Maps) -> list[Page]:
        result = load_folder(maps.journeys_dir, cache=self.parse_cache)
        log_warnings(load_warnings(result, maps), maps)
        if result.registry is None:
            return self._broken(
                maps.journeys_dir, _invalid(maps.journeys_dir, result), result.errors
            )
        history = journey_histories(self.history_cache, maps, result.registry)
        planned = plan_site(result.registry, maps.layout, history, maps.review_every)
        pages = sorted((self._made(page.view()) for page in planned), key=lambda p: p.uri)
        if self.serving:
            self.views = {page.uri: self.views[page.uri] for page in pages}
        self.current_exports = _exports(result.registry, maps)
        if self.serving:
            self.last_good[maps.journeys_dir] = (pages, self.current_exports)
        return pages

    def _made(self, view: PageView) -> Page:
        """The page a view makes; during serve the last one made while its view is equal."""
        if not self.serving:
            return render(view)
        kept = self.views.get(view.slot[0])
        if kept is not None and kept[0] == view:
            return kept[1]
        page = render(view)
        self.views[page.uri] = (view, page)
        return page

    def _broken(
        self,
        journeys_dir: Path,
        lines: Sequence[str],
        problems: Sequence[Diagnostic] | None = None,
    ) -> list[Page]:
        """Fail a build; during serve log why there are no fresh pages and keep the
        last good ones up. ``problems``, when given, stand for ``lines`` above the pages."""
        self.fail(lines)
        if problems is not None:
            self.errors = list(problems)
        last_good = self.last_good.get(journeys_dir)
        if last_good is None:
            return []
        log.error("cjm: serving the last valid journey pages until the errors are fixed")
        self.stale = True
        pages, self.current_exports = last_good
        return pages

    def exports(self) -> Exports | None:
        """The maps as ``cjm export`` writes them, beside the pages served; ``None`` without."""
        return self.current_exports if self.pages else None

    def fail(self, lines: Sequence[str]) -> None:
        """Errors that end a one-off build; serve logs them and goes on."""
        if not self.serving:
            raise PluginError("\n".join(lines))
        for line in lines:
            log.error(line)
        self.errors.extend(lines)

    def errors_banner(self) -> str:
        """HTML to put above each generated page: serve's current errors, or nothing."""
        return serve_errors_html(self.errors, stale=self.stale)


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
