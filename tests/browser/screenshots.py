"""Pictures of the example site's pages, for the README and the user guide.

    python tests/browser/screenshots.py docs/images

builds this repository's site (mkdocs.yml over journeys/) into a temporary
folder, serves it on 127.0.0.1 only while the pictures are taken, and writes
one PNG per page, width and palette: ``journey-account-opening-1440-light.png``.
The browser tests open the same site through ``example_site()``, so what the
README shows is what they check.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIG_FILE = REPO_ROOT / "mkdocs.yml"
MERMAID_JS = REPO_ROOT / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOCAL_HOST = "127.0.0.1"
#: 2026-11-01, as tests/conftest.py sets for every test.
EXAMPLE_BUILD_DATE = "1793491200"

#: Seconds a request may stall before the server drops it, and the longest the
#: browser waits for a page and its diagrams: nothing here can hang for good.
REQUEST_TIMEOUT_S = 10
PAGE_TIMEOUT_MS = 20_000

#: Window sizes: a laptop and a phone (CSS pixels).
WIDE = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
#: Only the top of each page is kept, which is what a reader sees first and
#: keeps every picture well under 400 KB in the repository.
SHOT_HEIGHT = {1440: 1600, 390: 1688}

#: Material draws each diagram into a closed shadow root; opened, the wait
#: below (and axe, in the tests) can see the SVG.
OPEN_SHADOW_ROOTS_JS = """
(() => {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    return attach.call(this, Object.assign({}, init, { mode: "open" }));
  };
})();
"""

#: True once Material has replaced every Mermaid fence with its drawing.
DIAGRAMS_DRAWN_JS = """
() => !document.querySelector("pre.mermaid")
  && [...document.querySelectorAll("div.mermaid")]
    .every((host) => host.shadowRoot && host.shadowRoot.querySelector("svg"))
"""


@dataclass(frozen=True)
class ExamplePage:
    """One page of the example site that the README shows."""

    kind: str
    url: str
    record: str = ""
    anchor: str = ""
    """The id of the element the picture starts at (a view down the page); the top when empty."""

    def file_name(self, width: int, scheme: str) -> str:
        name = "-".join(part for part in (self.kind, self.record, self.anchor) if part)
        return f"{name}-{width}-{scheme}.png"


#: One page of every kind: journeys (a long one and one with another persona,
#: overdue for review), a persona, the touchpoint index and the overview; then
#: the views further down: the journey map with its evidence and measurements,
#: the overview's portfolio views, a touchpoint's measurements, the action
#: board and a page of journeys by owner.
PAGES = (
    ExamplePage("journey", "journeys/account-opening/", "account-opening"),
    ExamplePage("journey", "journeys/account-opening/", "account-opening", "journey-map"),
    ExamplePage("journey", "journeys/lost-card/", "lost-card"),
    ExamplePage("persona", "personas/maya-chen/", "maya-chen"),
    ExamplePage("touchpoints", "touchpoints/"),
    ExamplePage("touchpoints", "touchpoints/", "", "online-application"),
    ExamplePage("overview", "journeys/"),
    ExamplePage("overview", "journeys/", "", "emotion-by-stage"),
    ExamplePage("overview", "journeys/", "", "pain-points"),
    ExamplePage("overview", "journeys/", "", "are-the-maps-still-true"),
    ExamplePage("actions", "journeys/actions/"),
    ExamplePage("owner", "journeys/owners/onboarding-team/", "onboarding-team"),
)


def generated_urls(journeys: Iterable[str], personas: Iterable[str]) -> list[str]:
    """Every page cjm adds to a site, by the ids of its journeys and personas."""
    return [
        "journeys/",
        *(f"journeys/{journey}/" for journey in journeys),
        *(f"personas/{persona}/" for persona in personas),
        "touchpoints/",
    ]


#: (width, palette) of each picture: wide and on a phone, in both palettes.
VIEWS = ((1440, "light"), (1440, "dark"), (390, "light"), (390, "dark"))


def build_example_site(site_dir: Path) -> Path:
    """Build the repository's own site like ``mkdocs build``, with Mermaid served beside it."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    # The date reviews and due actions are judged on: the tests' (tests/conftest.py), so
    # the pictures show what the tests check and change only when the pages do.
    os.environ.setdefault("SOURCE_DATE_EPOCH", EXAMPLE_BUILD_DATE)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    build(load_config(str(CONFIG_FILE), site_dir=str(site_dir)))
    # `make site` copies Mermaid into docs/; a fresh clone may not have it yet.
    mermaid = site_dir / "javascripts" / "mermaid.min.js"
    if not mermaid.is_file():
        if not MERMAID_JS.is_file():
            raise SystemExit(f"{MERMAID_JS} is missing: run `npm ci` (Mermaid is self-hosted)")
        mermaid.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(MERMAID_JS, mermaid)
    return site_dir


class _QuietHandler(SimpleHTTPRequestHandler):
    timeout = REQUEST_TIMEOUT_S

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (a free port) until the block ends; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=REQUEST_TIMEOUT_S)


@contextmanager
def example_site() -> Iterator[tuple[str, Path]]:
    """The example site built into a temporary folder and served: (base URL, site folder)."""
    with tempfile.TemporaryDirectory(prefix="cjm-example-site-") as temporary:
        site = build_example_site(Path(temporary) / "site")
        with serving(site) as base_url:
            yield base_url, site


def _local_only(route: Any) -> None:
    if urlsplit(route.request.url).hostname == LOCAL_HOST:
        route.continue_()
    else:
        route.abort()


def take(browser: Any, base_url: str, page_info: ExamplePage, width: int, scheme: str) -> bytes:
    """The top of one page as PNG bytes, in the given window width and palette."""
    viewport = WIDE if width == WIDE["width"] else PHONE
    context = browser.new_context(
        viewport={"width": width, "height": viewport["height"]},
        color_scheme=scheme,
    )
    try:
        context.add_init_script(OPEN_SHADOW_ROOTS_JS)
        context.route("**/*", _local_only)
        page = context.new_page()
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        page.goto(f"{base_url}/{page_info.url}", wait_until="load")
        page.wait_for_function(DIAGRAMS_DRAWN_JS)
        page.evaluate("() => document.fonts.ready.then(() => true)")
        expected = "slate" if scheme == "dark" else "default"
        shown = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
        if shown != expected:
            raise SystemExit(f"{page_info.url}: palette {shown!r}, expected {expected!r}")
        top = 0
        if page_info.anchor:
            top = page.evaluate(
                "(id) => Math.max(0, document.getElementById(id).getBoundingClientRect().top"
                " + window.scrollY - 16)",
                page_info.anchor,
            )
        full = page.evaluate("() => document.body.scrollHeight")
        height = min(SHOT_HEIGHT[width], full - top)
        shot: bytes = page.screenshot(
            full_page=True,
            clip={"x": 0, "y": top, "width": width, "height": height},
            animations="disabled",
        )
        return shot
    finally:
        context.close()


def main(arguments: list[str]) -> int:
    if len(arguments) != 1:
        print(f"usage: {Path(sys.argv[0]).name} OUT_DIR", file=sys.stderr)
        return 2
    out_dir = Path(arguments[0])
    out_dir.mkdir(parents=True, exist_ok=True)
    if not CHROMIUM.is_file():
        print(f"{CHROMIUM} is missing: run `make browser-tools`", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with example_site() as (base_url, _site), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for page_info in PAGES:
                for width, scheme in VIEWS:
                    path = out_dir / page_info.file_name(width, scheme)
                    path.write_bytes(take(browser, base_url, page_info, width, scheme))
                    print(f"{path} ({path.stat().st_size // 1024} KB)")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
