"""Headless Chromium over sites built with self-hosted Mermaid, served on 127.0.0.1.

The browser starts once per session; each test gets a fresh context whose
every request to anything but the local server is refused and recorded, so a
CDN load fails the test instead of passing unnoticed on a connected machine.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sites import adversarial_journeys, build_site, realistic_journeys, write_project

from cjm_plugin.load import load_folder
from cjm_plugin.registry import Registry

REPO_ROOT = Path(__file__).resolve().parents[2]
#: Mermaid builds the browser tests run every diagram against, by major version:
#: 11 is the one Material loads, 12 the current major (npm alias ``mermaid12``).
MERMAID_BUILDS = {
    "mermaid11": REPO_ROOT / "node_modules" / "mermaid" / "dist" / "mermaid.min.js",
    "mermaid12": REPO_ROOT / "node_modules" / "mermaid12" / "dist" / "mermaid.min.js",
}
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOCAL_HOST = "127.0.0.1"

#: Runs before any page script: shadow roots open (Material draws diagrams in a
#: closed one), and every way a script could talk to the user is recorded.
INIT_SCRIPT = """
(() => {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    return attach.call(this, Object.assign({}, init, { mode: "open" }));
  };
  window.__cjmDialogs = [];
  for (const name of ["alert", "confirm", "prompt"]) {
    window[name] = (...args) => { window.__cjmDialogs.push([name, String(args[0])]); };
  }
})();
"""


def _missing(message: str) -> None:
    """In CI a missing browser tool is a failure; on a laptop, a skip."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class ServedSite:
    """A built site behind a local HTTP server, and the maps it was built from."""

    name: str
    base_url: str
    site: Path
    registry: Registry

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path}"


@dataclass
class Visit:
    """What happened while the test drove one browser context."""

    page: Any
    dialogs: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{LOCAL_HOST}:{server.server_address[1]}"


@pytest.fixture(scope="session", params=sorted(MERMAID_BUILDS))
def mermaid_js(request: pytest.FixtureRequest) -> Path:
    """The self-hosted Mermaid, once per major version: a test using it runs once for each."""
    build: Path = MERMAID_BUILDS[request.param]
    if not build.is_file():
        _missing(f"{build} is missing: run `npm ci` in {REPO_ROOT} (Mermaid is self-hosted)")
    return build


def _build_served(
    root: Path, name: str, journeys: dict[str, str], mermaid_js: Path
) -> Iterator[ServedSite]:
    config_file = write_project(
        root,
        journeys,
        extra_javascript=["javascripts/mermaid.min.js"],
        record_nav=False,
    )
    (root / "docs" / "javascripts").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(mermaid_js, root / "docs" / "javascripts" / "mermaid.min.js")
    site = build_site(config_file)
    registry = load_folder(root / "journeys").registry
    assert registry is not None
    server, base_url = _serve(site)
    try:
        yield ServedSite(name, base_url, site, registry)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def realistic_site(
    tmp_path_factory: pytest.TempPathFactory, mermaid_js: Path
) -> Iterator[ServedSite]:
    root = tmp_path_factory.mktemp("browser-realistic")
    yield from _build_served(root, "realistic", realistic_journeys(), mermaid_js)


@pytest.fixture(scope="session")
def adversarial_site(
    tmp_path_factory: pytest.TempPathFactory, mermaid_js: Path
) -> Iterator[ServedSite]:
    root = tmp_path_factory.mktemp("browser-adversarial")
    yield from _build_served(root, "adversarial", adversarial_journeys(), mermaid_js)


def example_journeys() -> dict[str, str]:
    """The maps of the repository's own example site (journeys/), by path."""
    folder = REPO_ROOT / "journeys"
    return {
        path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*.md"))
    }


@pytest.fixture(scope="session")
def example_maps_site(
    tmp_path_factory: pytest.TempPathFactory, mermaid_js: Path
) -> Iterator[ServedSite]:
    """The example site's maps, built with each Mermaid version."""
    root = tmp_path_factory.mktemp("browser-example")
    yield from _build_served(root, "example", example_journeys(), mermaid_js)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        _missing(f"{CHROMIUM} is missing: install Debian's chromium (make browser-tools)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def visit_in(browser: Any) -> Iterator[Any]:
    """Opens a context (viewport width as asked) that refuses and records outside requests."""
    contexts: list[Any] = []

    def open_context(width: int = 1280) -> Visit:
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        context.add_init_script(INIT_SCRIPT)
        page = context.new_page()
        visit = Visit(page)

        def route(route: Any) -> None:
            if urlsplit(route.request.url).hostname == LOCAL_HOST:
                route.continue_()
            else:
                visit.outside_requests.append(route.request.url)
                route.abort()

        def dialog(dialog: Any) -> None:
            visit.dialogs.append(dialog.message)
            dialog.dismiss()

        context.route("**/*", route)
        page.on("dialog", dialog)
        page.on("pageerror", lambda error: visit.page_errors.append(str(error)))
        return visit

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def example() -> Iterator[ServedSite]:
    """This repository's own site (mkdocs.yml over journeys/), built and served with
    the Mermaid it ships (the one Material loads), so once, not per Mermaid build."""
    from .screenshots import MERMAID_JS, REPO_ROOT, example_site

    if not MERMAID_JS.is_file():
        _missing(f"{MERMAID_JS} is missing: run `npm ci` in {REPO_ROOT} (Mermaid is self-hosted)")
    registry = load_folder(REPO_ROOT / "journeys").registry
    assert registry is not None
    with example_site() as (base_url, site):
        yield ServedSite("example", base_url, site, registry)


def every_page(site: ServedSite) -> list[str]:
    """The URL of every generated page of a site, overview and touchpoint index included."""
    from .screenshots import generated_urls

    return generated_urls(site.registry.journeys, site.registry.personas)
