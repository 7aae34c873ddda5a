"""What a file name or a folder can do to the site and to ``mkdocs serve``.

A journey file's name ends up in the "edit this page" link, which themes put in
an ``href`` as it is: cjm percent-encodes it, so no name adds an attribute.
During ``mkdocs serve`` the journeys folder may be deleted, moved away and
back, or made only after the server started, and a file may hold what the
loader cannot take: the server logs it, keeps the last valid pages and picks
up what comes next, without a restart and without rebuilding on its own.
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mkdocs.config import load_config
from serving import Server, error_at, serving
from sites import build_site, journey, persona, write_project

from cjm_plugin import load
from cjm_plugin.page_sources import Maps, PageSource
from cjm_plugin.pages import Page
from cjm_plugin.plugin import edit_path

REPO_URL = "https://github.com/example/bank"
#: A file name with characters that are legal in a path but not in a URL.
AWKWARD_NAME = "sign up #2? 100%.md"
#: A file name that would add an attribute to the edit link if pasted as it is.
HOSTILE_NAME = 'x" onmouseover="alert(`fname`)" data-x=\'<b>\'.md'
#: What serve logs when the journeys folder is missing, and then while it is.
MISSING = r"journeys folder not found"
LAST_GOOD = "serving the last valid journey pages"


def _signup(step: str = "Fills the form") -> str:
    return journey(
        "signup", "Signs up", ["ann"], [{"name": "Join", "steps": [{"name": step, "emotion": 3}]}]
    )


def _maps(step: str = "Fills the form") -> dict[str, str]:
    return {"personas/ann.md": persona("ann", "Ann Archer"), "journeys/signup.md": _signup(step)}


def _write(folder: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------------
# The edit link


class _Tags(HTMLParser):
    """Every start tag of a page with its attributes, as a browser would read them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _source_links(page: Path) -> list[dict[str, str | None]]:
    """The attributes of each link of the page to a file in the repository."""
    parser = _Tags()
    parser.feed(page.read_text(encoding="utf-8"))
    names = {name for _, attrs in parser.tags for name in attrs}
    assert not names & {"onmouseover", "data-x"}, names
    return [
        attrs
        for tag, attrs in parser.tags
        if tag == "a" and re.match(rf"{re.escape(REPO_URL)}/(edit|raw)/", attrs.get("href") or "")
    ]


def _material_with_source_links(root: Path, files: dict[str, str]) -> Path:
    return write_project(
        root,
        files,
        theme={
            "name": "material",
            "font": False,
            "features": ["content.action.edit", "content.action.view"],
        },
        repo_url=REPO_URL,
        edit_uri="edit/main/docs/",
        record_nav=False,
    )


def _assert_links_open(page: Path, relative: str) -> None:
    """The edit and view links open ``journeys/<relative>``, encoded, and add no attribute."""
    links = _source_links(page)
    assert [attrs.get("href") for attrs in links] == [
        f"{REPO_URL}/{action}/main/journeys/{edit_path('', relative)}" for action in ("edit", "raw")
    ]
    for attrs in links:
        href = attrs["href"] or ""
        assert re.fullmatch(r"[A-Za-z0-9_.~/%:-]+", href), href
        assert unquote(href).endswith("/journeys/" + relative)
        assert set(attrs) <= {"href", "title", "class", "rel"}, attrs


def test_edit_links_percent_encode_the_journey_file_name(tmp_path: Path) -> None:
    files = {
        f"personas/{AWKWARD_NAME}": persona("ann", "Ann Archer"),
        "journeys/café ☕.md": _signup(),
    }
    site = build_site(_material_with_source_links(tmp_path, files))
    _assert_links_open(site / "personas" / "ann" / "index.html", f"personas/{AWKWARD_NAME}")
    _assert_links_open(site / "journeys" / "signup" / "index.html", "journeys/café ☕.md")


def test_a_file_name_holding_quotes_adds_no_attribute_to_the_edit_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loader refuses such names; the link must be safe without that refusal."""
    render = PageSource.render

    def hostile_names(self: PageSource, maps: Maps) -> Sequence[Page]:
        return [
            replace(page, source=f"journeys/{HOSTILE_NAME}")
            if page.source == "journeys/signup.md"
            else page
            for page in render(self, maps)
        ]

    monkeypatch.setattr(PageSource, "render", hostile_names)
    site = build_site(_material_with_source_links(tmp_path, _maps()))
    _assert_links_open(site / "journeys" / "signup" / "index.html", f"journeys/{HOSTILE_NAME}")


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (None, "../journeys/a%20b%22.md"),
        ("edit/main/docs/{path}", "../journeys/a%20b%22.md"),
        ("src/{path!q}", '../journeys/a b".md'),  # MkDocs encodes it: once is right
        ("{path}?ref={path_noext!q}", "../journeys/a%20b%22.md"),
    ],
)
def test_edit_path_is_encoded_once(template: str | None, expected: str) -> None:
    assert edit_path("../journeys", 'a b".md', template) == expected


@given(st.lists(st.text(min_size=1).filter(lambda s: "/" not in s), min_size=1))
def test_edit_path_is_a_url_path_that_decodes_to_the_file(segments: list[str]) -> None:
    name = "/".join(segments)
    encoded = edit_path("../journeys", name)
    assert re.fullmatch(r"[A-Za-z0-9_.~/%-]*", encoded)
    assert unquote(encoded) == "../journeys/" + name


# ---------------------------------------------------------------------------
# mkdocs serve


def test_serve_outlives_an_unexpected_error_while_reading_the_maps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Whatever the loader raises (a file renamed away mid-read, a bug), serve goes on."""
    config_file = write_project(tmp_path, _maps(), theme="mkdocs", record_nav=False)
    page = tmp_path / "site" / "journeys" / "signup" / "index.html"
    config = load_config(str(config_file))
    config.plugins.on_startup(command="serve", dirty=False)
    failing: list[BaseException] = [FileNotFoundError("journeys/signup.md"), RecursionError()]

    def flaky_load(*args: Any, **kwargs: Any) -> Any:
        if failing:
            raise failing.pop(0)
        return load.load_folder(*args, **kwargs)

    try:
        build_site(config_file)
        assert "Fills the form" in page.read_text(encoding="utf-8")
        monkeypatch.setattr("cjm_plugin.page_sources.load_folder", flaky_load)
        (tmp_path / "journeys" / "journeys" / "signup.md").write_text(_signup("Fills it in"))
        for error in ("FileNotFoundError", "RecursionError"):
            caplog.clear()
            with caplog.at_level(logging.ERROR):
                build_site(config_file)  # does not raise: the server stays up
            assert f"could not be loaded: {error}" in caplog.text
            assert LAST_GOOD in caplog.text
            assert "Fills the form" in page.read_text(encoding="utf-8")
        build_site(config_file)
        assert "Fills it in" in page.read_text(encoding="utf-8")
    finally:
        config.plugins.on_shutdown()


def _assert_never_stuck(server: Server) -> None:
    """No rebuild failed for good, and nothing sets off rebuilds on its own."""
    server.assert_quiet()
    whole = server.log_file.read_text(encoding="utf-8", errors="replace")
    assert "appear stuck" not in whole and "Traceback" not in whole, whole


def _edit_docs_while_the_folder_is_missing(server: Server) -> None:
    """A docs edit rebuilds the site; the journey pages stay the last valid ones."""
    server.mark()
    (server.root / "docs" / "index.md").write_text("# Home, edited\n", encoding="utf-8")
    server.wait_for_page("", "Home, edited")
    assert "Fills the form" in server.get("journeys/signup/")[1]


def test_serve_reports_a_deleted_journeys_folder_and_picks_up_a_new_one(tmp_path: Path) -> None:
    config_file = write_project(tmp_path, _maps(), theme="mkdocs", record_nav=False)
    with serving(config_file, "journeys/signup/", "Fills the form") as server:
        server.mark()
        shutil.rmtree(server.journeys)
        assert LAST_GOOD in server.wait_for_rebuild_with_errors(MISSING)
        assert "Fills the form" in server.get("journeys/signup/")[1]
        _edit_docs_while_the_folder_is_missing(server)

        server.mark()
        _write(server.journeys, _maps("Fills the short form"))
        server.wait_for_page("journeys/signup/", "Fills the short form")
        server.write("journeys/signup.md", _signup("Fills the form online"))
        server.wait_for_page("journeys/signup/", "Fills the form online")
        _assert_never_stuck(server)


def test_serve_follows_a_journeys_folder_moved_away_and_back(tmp_path: Path) -> None:
    config_file = write_project(tmp_path, _maps(), theme="mkdocs", record_nav=False)
    away = tmp_path / "journeys-away"
    with serving(config_file, "journeys/signup/", "Fills the form") as server:
        server.mark()
        server.journeys.rename(away)
        assert LAST_GOOD in server.wait_for_rebuild_with_errors(MISSING)
        _edit_docs_while_the_folder_is_missing(server)

        # The same folder (same inode) back, with a change made meanwhile.
        _write(away, {"journeys/signup.md": _signup("Fills the short form")})
        server.mark()
        away.rename(server.journeys)
        server.wait_for_page("journeys/signup/", "Fills the short form")

        # Away and back at once, quicker than the watches look.
        server.journeys.rename(away)
        _write(away, {"journeys/signup.md": _signup("Fills the long form")})
        away.rename(server.journeys)
        server.wait_for_page("journeys/signup/", "Fills the long form")
        server.write("journeys/signup.md", _signup("Fills the form online"))
        server.wait_for_page("journeys/signup/", "Fills the form online")
        _assert_never_stuck(server)


def test_serve_started_without_its_journeys_folder_picks_it_up(tmp_path: Path) -> None:
    """Here the folder is ``content/journeys``, and ``content/`` comes and goes too."""
    config_file = write_project(
        tmp_path, {}, plugin={"journeys_dir": "content/journeys"}, theme="mkdocs", record_nav=False
    )
    with serving(config_file, "", "Home") as server:
        server.journeys = tmp_path / "content" / "journeys"
        assert re.search(MISSING, server.log())
        assert server.get("journeys/signup/")[0] == 404

        server.mark()
        (tmp_path / "content").mkdir()
        server.wait_for_rebuild_with_errors(MISSING)
        server.mark()
        _write(server.journeys, _maps())
        server.wait_for_page("journeys/signup/", "Fills the form")

        server.mark()
        shutil.rmtree(tmp_path / "content")
        assert LAST_GOOD in server.wait_for_rebuild_with_errors(MISSING)
        server.mark()
        _write(server.journeys, _maps("Fills the short form"))
        server.wait_for_page("journeys/signup/", "Fills the short form")
        _assert_never_stuck(server)


#: What once left serve stuck, as the text that replaces a valid ``emotion: 3``.
UNREADABLE: dict[str, Callable[[str], str]] = {
    "a 4,000-digit integer": lambda text: text.replace("emotion: 3", "emotion: " + "9" * 4000),
    "500-deep nesting": lambda text: text.replace(
        "emotion: 3", "emotion: 3\n    notes: " + "[" * 500 + "]" * 500
    ),
}


def test_serve_survives_a_huge_integer_and_deep_nesting(tmp_path: Path) -> None:
    config_file = write_project(tmp_path, _maps(), theme="mkdocs", record_nav=False)
    logs: dict[str, str] = {}
    with serving(config_file, "journeys/signup/", "Fills the form") as server:
        for number, (what, spoil) in enumerate(UNREADABLE.items()):
            server.write("journeys/signup.md", spoil(_signup()))
            logs[what] = server.wait_for_rebuild_with_errors(r"ERROR\s+-\s+cjm: .*$")
            assert "Fills the form" in server.get("journeys/signup/")[1], what
            server.write("journeys/signup.md", _signup(f"Fills form {number}"))
            server.wait_for_page("journeys/signup/", f"Fills form {number}")
            server.write("journeys/signup.md", _signup())
            server.wait_for_page("journeys/signup/", "Fills the form")
        _assert_never_stuck(server)
    for what, log in logs.items():  # an ordinary error, with its place (the loader's part)
        assert re.search(error_at("journeys/signup.md"), log, re.M), f"{what}:\n{log}"
