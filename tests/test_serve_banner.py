"""While ``mkdocs serve`` runs on invalid maps, the browser says so above each generated page.

The author who broke a file sees each problem as ``FILE:LINE:COL`` and its
message on the page they are looking at, above the last valid content, and
the banner goes with the next rebuild once the file is fixed. Checked in a
real server and in headless Chromium, with the page left open: MkDocs'
livereload brings each rebuild in. A one-off build never shows it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serving import WAIT_S, Server, error_at, serving
from sites import build_site, journey, persona, write_project

from cjm_plugin.diagnostics import Diagnostic
from cjm_plugin.page_sources import serve_errors_html

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
BANNER = ".cjm-serve-errors[role=alert]"
#: An unknown key that would be an image with a handler if the banner printed it raw.
HOSTILE_KEY = "<img src=x onerror=alert(1)>"
PLACE = re.compile(r"journeys/signup\.md:\d+:\d+")


def _signup(step: str = "Fills the form", extra: str = "") -> str:
    text = journey(
        "signup",
        "Signs up",
        ["ann"],
        [{"name": "Join", "steps": [{"name": step, "emotion": 3}]}],
    )
    return text.replace("emotion: 3\n", f"emotion: 3\n{extra}")


def _files() -> dict[str, str]:
    return {"personas/ann.md": persona("ann", "Ann Archer"), "journeys/signup.md": _signup()}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    config_file = write_project(tmp_path, _files(), record_nav=False)
    with serving(config_file, "journeys/signup/", "Fills the form") as running:
        yield running


@pytest.fixture
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.is_file():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _content(page: Any, text: str) -> Any:
    """The first element of the page's content that shows ``text``."""
    return page.locator(".md-content").get_by_text(text).first


def _banner_text(page: Any) -> str:
    return str(page.locator(BANNER).inner_text())


def test_banner_lists_errors_while_broken_and_goes_when_fixed(server: Server, browser: Any) -> None:
    context = browser.new_context()
    dialogs: list[str] = []
    page = context.new_page()

    def dismissed(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismissed)
    page.goto(f"{server.base_url}/journeys/signup/")
    _content(page, "Fills the form").wait_for(state="attached")
    assert page.locator(BANNER).count() == 0

    # Broken: the open page reloads with the banner above the last good content.
    server.write("journeys/signup.md", _signup(extra=f"    '{HOSTILE_KEY}': 1\n    emotion: [3\n"))
    server.wait_for_rebuild_with_errors(error_at("journeys/signup.md"))
    page.wait_for_selector(BANNER, timeout=WAIT_S * 1000)
    text = _banner_text(page)
    assert PLACE.search(text), text
    assert "yaml-syntax" in text, text
    banner_top = page.locator(BANNER).bounding_box()["y"]
    assert _content(page, "Fills the form").count() == 1, "the last good content stays"
    heading = page.locator(".md-content h1").first
    assert heading.bounding_box()["y"] > banner_top, "the banner comes above the content"

    # Another error, with markup in its message: shown as text, on every page.
    server.write("journeys/signup.md", _signup(extra=f"    '{HOSTILE_KEY}': 1\n"))
    server.wait_for_rebuild_with_errors(error_at("journeys/signup.md", "unknown-key"))
    # Each in a page of its own: the open page may be reloading for the rebuild (a
    # navigation started meanwhile can wait on it for good).
    page.close()
    for path in ("journeys/signup/", "journeys/", "personas/ann/"):
        page = context.new_page()
        page.on("dialog", dismissed)
        page.goto(f"{server.base_url}/{path}")
        page.wait_for_selector(BANNER, timeout=WAIT_S * 1000)
        text = _banner_text(page)
        assert PLACE.search(text), (path, text)
        assert HOSTILE_KEY in text, (path, text)
        assert page.locator(f"{BANNER} img").count() == 0, path
        classes = page.locator(BANNER).get_attribute("class")
        assert classes == "cjm-serve-errors admonition failure", "Material styles it"
        page.close()

    # Fixed: the next rebuild drops the banner and shows the new content.
    page = context.new_page()
    page.on("dialog", dismissed)
    page.goto(f"{server.base_url}/journeys/signup/")
    server.write("journeys/signup.md", _signup(step="Fills the short form"))
    _content(page, "Fills the short form").wait_for(state="attached", timeout=WAIT_S * 1000)
    assert page.locator(BANNER).count() == 0
    for path in ("journeys/", "personas/ann/"):
        assert "cjm-serve-errors" not in server.get(path)[1], path
    assert dialogs == []
    context.close()


def test_a_one_off_build_shows_no_banner(tmp_path: Path) -> None:
    config_file = write_project(tmp_path, _files(), record_nav=False)
    site = build_site(config_file)
    for page in site.rglob("*.html"):
        assert "cjm-serve-errors" not in page.read_text(encoding="utf-8"), page


def test_banner_escapes_each_problem_and_says_whose_pages_show() -> None:
    problems: list[Diagnostic | str] = [
        Diagnostic("journeys/a<b>.md", 3, 7, "error", "cjm.unknown-key", "unknown key '<i>'"),
        "cjm: journeys folder not found: <x>",
    ]
    stale = serve_errors_html(problems, stale=True)
    assert '<div class="cjm-serve-errors admonition failure" role="alert">' in stale
    assert "cjm found 2 errors" in stale
    assert "journeys/a&lt;b&gt;.md:3:7</code> unknown key &#x27;&lt;i&gt;&#x27;" in stale
    assert "[cjm.unknown-key]" in stale
    assert "<li>cjm: journeys folder not found: &lt;x&gt;</li>" in stale
    assert "last valid maps" in stale
    assert "last valid maps" not in serve_errors_html(problems[1:], stale=False)
    assert serve_errors_html([], stale=True) == ""
