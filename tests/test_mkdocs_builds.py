"""End to end: real MkDocs builds of temporary projects, checked through the HTML they write.

Each full build takes a second or two, so sites are built once per module and
shared; what a test expects is derived from the journey files through the
loader, never written out by hand.
"""

from __future__ import annotations

import json
import logging
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError
from sites import (
    build_site,
    commit_all,
    journey,
    persona,
    realistic_journeys,
    recorded_nav,
    touchpoint,
    tree_digest,
    valid_maps,
    write_project,
)

from cjm_plugin.cli import main as cjm_main
from cjm_plugin.load import load_folder
from cjm_plugin.registry import Registry

REPO_URL = "https://github.com/example/bank"


@dataclass
class HtmlPage:
    """What the tests read from one built page: link targets and element ids."""

    hrefs: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = HtmlPage()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.page.ids.add(str(found["id"]))
        if tag == "a" and found.get("href") is not None:
            self.page.hrefs.append(str(found["href"]))


def read_page(path: Path) -> HtmlPage:
    collector = _LinkCollector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector.page


@dataclass
class Built:
    """A project built once for the module: its folders and what its maps hold."""

    root: Path
    config_file: Path
    site: Path
    registry: Registry
    sources_before: dict[str, str]
    sources_after: dict[str, str]

    def html(self, url: str) -> Path:
        """The file MkDocs wrote for a directory URL such as ``journeys/x/``."""
        return self.site / url / "index.html"

    def generated_urls(self, journeys: str = "journeys", personas: str = "personas") -> list[str]:
        return [
            f"{journeys}/",
            *(f"{journeys}/{j}/" for j in self.registry.journeys),
            *(f"{personas}/{p}/" for p in self.registry.personas),
            "touchpoints/",
        ]


def _sources(root: Path) -> dict[str, str]:
    return {
        **{f"docs/{k}": v for k, v in tree_digest(root / "docs").items()},
        **{f"journeys/{k}": v for k, v in tree_digest(root / "journeys").items()},
    }


HISTORY_SUBJECT = "Map how Maya opens an account"


def _build(root: Path, journeys: dict[str, str], *, commit: bool = False, **project: Any) -> Built:
    config_file = write_project(root, journeys, **project)
    if commit:
        commit_all(root, HISTORY_SUBJECT)
    before = _sources(root)
    site = build_site(config_file)
    registry = load_folder(root / "journeys").registry
    assert registry is not None
    return Built(root, config_file, site, registry, before, _sources(root))


@pytest.fixture(scope="module")
def realistic(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Material, no explicit nav, the plugin's defaults."""
    return _build(tmp_path_factory.mktemp("realistic"), realistic_journeys())


@pytest.fixture(scope="module")
def grouped(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """MkDocs' own theme, grouped nav, other URL prefixes, an edit link to the repository."""
    return _build(
        tmp_path_factory.mktemp("grouped"),
        realistic_journeys(),
        theme="mkdocs",
        plugin={"nav": "grouped", "journeys_url": "maps/journeys", "personas_url": "people"},
        repo_url=REPO_URL,
        edit_uri="edit/main/docs/",
        mermaid_fence=False,
        commit=True,
    )


def resolve(page_url: str, href: str) -> tuple[str, str] | None:
    """A relative link as (site path of the target's file, anchor); None if external."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("/"):
        return None
    path = unquote(parts.path)
    target = posixpath.normpath(posixpath.join(page_url, path)) if path else page_url.rstrip("/")
    if target == ".":
        target = ""
    if not path or path.endswith("/") or not posixpath.splitext(target)[1]:
        target = posixpath.join(target, "index.html") if target else "index.html"
    return target, unquote(parts.fragment)


def links_of(built: Built, url: str) -> Iterator[tuple[str, str, str]]:
    """Every internal link of a page: (href, target file, anchor)."""
    for href in read_page(built.html(url)).hrefs:
        resolved = resolve(url, href)
        if resolved is not None:
            yield href, *resolved


def links_to(built: Built, url: str, target_url: str) -> list[str]:
    """Anchors of the links from ``url`` to the page at ``target_url`` ("" for none)."""
    target_file = posixpath.join(target_url, "index.html")
    return [anchor for _, file, anchor in links_of(built, url) if file == target_file]


# ---------------------------------------------------------------------------
# Pages, links and anchors


def test_every_generated_page_exists_at_its_url(realistic: Built) -> None:
    for url in realistic.generated_urls():
        assert realistic.html(url).is_file(), url
    touchpoint_ids = read_page(realistic.html("touchpoints/")).ids
    assert set(realistic.registry.touchpoints) <= touchpoint_ids


@pytest.mark.parametrize("site", ["realistic", "grouped"])
def test_every_internal_link_resolves_to_a_file_and_anchor(
    site: str, request: pytest.FixtureRequest
) -> None:
    built: Built = request.getfixturevalue(site)
    prefixes = ("maps/journeys", "people") if site == "grouped" else ("journeys", "personas")
    checked = 0
    for url in built.generated_urls(*prefixes):
        for href, file, anchor in links_of(built, url):
            target = built.site / file
            assert target.is_file(), f"{url}: {href} -> {file} is missing"
            if anchor:
                assert anchor in read_page(target).ids, f"{url}: {href}: no id {anchor!r}"
            checked += 1
    assert checked > 0


def test_journeys_and_personas_link_both_ways(realistic: Built) -> None:
    registry = realistic.registry
    for journey_id, journey_record in registry.journeys.items():
        journey_url = f"journeys/{journey_id}/"
        assert links_to(realistic, "journeys/", journey_url), journey_id
        for persona_id in journey_record.personas:
            persona_url = f"personas/{persona_id}/"
            assert links_to(realistic, journey_url, persona_url), (journey_id, persona_id)
            assert links_to(realistic, persona_url, journey_url), (persona_id, journey_id)
    for persona_id in registry.personas:
        assert links_to(realistic, "journeys/", f"personas/{persona_id}/"), persona_id
        for journey_record in registry.journeys_of(persona_id):
            assert links_to(realistic, f"personas/{persona_id}/", f"journeys/{journey_record.id}/")


def test_journeys_and_touchpoints_link_both_ways(realistic: Built) -> None:
    registry = realistic.registry
    for touchpoint_id in registry.touchpoints:
        uses = registry.touchpoint_uses(touchpoint_id)
        assert uses, f"test maps should use every touchpoint: {touchpoint_id}"
        for use in uses:
            journey_url = f"journeys/{use.journey.id}/"
            assert touchpoint_id in links_to(realistic, journey_url, "touchpoints/"), (
                journey_url,
                touchpoint_id,
            )
            assert links_to(realistic, "touchpoints/", journey_url), (touchpoint_id, journey_url)


def test_current_and_future_states_link_each_other(realistic: Built) -> None:
    for journey_id in realistic.registry.journeys:
        other = realistic.registry.counterpart(journey_id)
        if other is not None:
            assert links_to(realistic, f"journeys/{journey_id}/", f"journeys/{other.id}/")


def test_build_writes_nothing_into_docs_or_journeys(realistic: Built, grouped: Built) -> None:
    for built in (realistic, grouped):
        assert built.sources_after == built.sources_before
        assert not (built.root / "docs" / "journeys").exists()


def test_two_builds_write_identical_files(realistic: Built, tmp_path: Path) -> None:
    again = build_site(realistic.config_file, site_dir=tmp_path / "again")
    assert tree_digest(again) == tree_digest(realistic.site)


# ---------------------------------------------------------------------------
# Navigation


def _sections(items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    return {item["section"]: item["children"] for item in items if "section" in item}


def test_default_nav_puts_every_generated_page_in_one_journeys_section(realistic: Built) -> None:
    nav = recorded_nav(realistic.config_file)
    registry = realistic.registry
    assert nav["items"][0] == {"page": "index.md"}
    assert list(_sections(nav["items"])) == ["Journeys"]
    expected = [
        "journeys/index.md",
        "journeys/actions/index.md",
        *(f"journeys/{j}/index.md" for j in registry.journeys),
        *(f"personas/{p}/index.md" for p in registry.personas),
        "touchpoints/index.md",
    ]
    assert _sections(nav["items"])["Journeys"] == [{"page": uri} for uri in expected]
    assert nav["pages"] == ["index.md", *expected]


def test_grouped_nav_nests_journeys_and_personas(grouped: Built) -> None:
    nav = recorded_nav(grouped.config_file)
    registry = grouped.registry
    section = _sections(nav["items"])["Journeys"]
    assert section[:3] == [
        {"page": "maps/journeys/index.md"},
        {"page": "maps/journeys/actions/index.md"},
        {"page": "touchpoints/index.md"},
    ]
    assert _sections(section) == {
        "Journeys": [{"page": f"maps/journeys/{j}/index.md"} for j in registry.journeys],
        "Personas": [{"page": f"people/{p}/index.md"} for p in registry.personas],
    }
    for url in grouped.generated_urls("maps/journeys", "people"):
        assert grouped.html(url).is_file(), url


def test_grouped_site_edit_link_opens_the_journey_file(grouped: Built) -> None:
    for journey_record in grouped.registry.journeys.values():
        page = read_page(grouped.html(f"maps/journeys/{journey_record.id}/"))
        expected = f"{REPO_URL}/edit/main/journeys/{journey_record.source.relative_path}"
        assert expected in page.hrefs
    overview = read_page(grouped.html("maps/journeys/"))
    assert not [href for href in overview.hrefs if "/edit/" in href]


def test_journey_page_shows_its_git_history(grouped: Built) -> None:
    for journey_id in grouped.registry.journeys:
        page = grouped.html(f"maps/journeys/{journey_id}/").read_text(encoding="utf-8")
        assert HISTORY_SUBJECT in page, journey_id


def test_overview_nav_lists_only_overview_action_board_and_touchpoints(tmp_path: Path) -> None:
    built = _build(
        tmp_path,
        realistic_journeys(),
        plugin={"nav": "overview", "history": False},
        theme="mkdocs",
        commit=True,
    )
    for journey_id in built.registry.journeys:
        page = built.html(f"journeys/{journey_id}/").read_text(encoding="utf-8")
        assert HISTORY_SUBJECT not in page, "history: false shows no history"
    nav = recorded_nav(built.config_file)
    assert _sections(nav["items"])["Journeys"] == [
        {"page": "journeys/index.md"},
        {"page": "journeys/actions/index.md"},
        {"page": "touchpoints/index.md"},
    ]
    for url in built.generated_urls():
        assert built.html(url).is_file(), url
    # Out of the nav, a journey page links no "previous" or "next" page, as MkDocs
    # has it for any page left out; the overview's "next" is the action board.
    for journey_id in built.registry.journeys:
        page = built.html(f"journeys/{journey_id}/").read_text(encoding="utf-8")
        assert not re.search(r'<a rel="(prev|next)" href=', page), journey_id
    overview = built.html("journeys/").read_text(encoding="utf-8")
    assert '<a rel="next" href="actions/"' in overview


def test_explicit_nav_is_respected(tmp_path: Path) -> None:
    nav = [{"Home": "index.md"}, {"Maps": "journeys/index.md"}]
    built = _build(tmp_path, realistic_journeys(), nav=nav, theme="mkdocs")
    recorded = recorded_nav(built.config_file)
    assert recorded["items"] == [{"page": "index.md"}, {"page": "journeys/index.md"}]
    for url in built.generated_urls():
        assert built.html(url).is_file(), url


def test_explicit_nav_without_the_maps_gets_the_journeys_section(tmp_path: Path) -> None:
    built = _build(tmp_path, realistic_journeys(), nav=[{"Home": "index.md"}])
    items = recorded_nav(built.config_file)["items"]
    assert items[0] == {"page": "index.md"}
    assert _sections(items)["Journeys"][0] == {"page": "journeys/index.md"}


def test_repository_site_build_names_no_generated_page_as_missing_from_the_nav(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """cjm places its pages in the nav itself: MkDocs' "not included in the nav" line
    must not name them, and they stay built, searchable and in the sitemap."""
    config_file = Path(__file__).resolve().parents[1] / "mkdocs.yml"
    site = tmp_path / "site"
    config = load_config(str(config_file), site_dir=str(site), site_url="https://example.org/maps/")
    with caplog.at_level(logging.INFO):
        build(config)
    registry = load_folder(config_file.parent / "journeys").registry
    assert registry is not None
    generated = [
        "journeys/index.md",
        "journeys/actions/index.md",
        *(f"journeys/{j}/index.md" for j in registry.journeys),
        *(f"personas/{p}/index.md" for p in registry.personas),
        "touchpoints/index.md",
    ]
    missing = [
        record.getMessage()
        for record in caplog.records
        if 'not included in the "nav" configuration' in record.getMessage()
    ]
    for uri in generated:
        assert not [line for line in missing if uri in line], (uri, missing)
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    search = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    searched = {document["location"].split("#")[0] for document in search["docs"]}
    for uri in generated:
        url = uri.removesuffix("index.md")
        assert (site / uri.replace(".md", ".html")).is_file(), uri
        assert f"https://example.org/maps/{url}</loc>" in sitemap, uri
        assert url in searched, uri


# ---------------------------------------------------------------------------
# Errors and warnings


def small_maps(*persona_ids: str) -> dict[str, str]:
    """One journey taken by the given personas: the least a valid folder needs."""
    files = {f"personas/{p}.md": persona(p, p.title()) for p in persona_ids}
    files["touchpoints/web.md"] = touchpoint("web", "Website", "web")
    files["journeys/signup.md"] = journey(
        "signup",
        "Signs up",
        persona_ids,
        [
            {
                "name": "Join",
                "steps": [{"name": "Fills the form", "touchpoints": ["web"], "emotion": 3}],
            }
        ],
    )
    return files


def build_error(config_file: Path, caplog: pytest.LogCaptureFixture, **kwargs: Any) -> str:
    """Build a project that must fail; return what MkDocs logged, then why it stopped."""
    caplog.clear()
    with caplog.at_level(logging.WARNING), pytest.raises(Abort) as stopped:
        build_site(config_file, **kwargs)
    return f"{caplog.text}\n{stopped.value}"


def test_invalid_map_fails_the_build_with_the_lines_of_cjm_validate(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    files = small_maps("ann")
    files["journeys/signup.md"] = files["journeys/signup.md"].replace("emotion: 3", "emotion: 7")
    files["journeys/other.md"] = journey(
        "other", "Other", ["nobody"], [{"name": "S", "steps": [{"name": "x", "emotion": 2}]}]
    )
    config_file = write_project(tmp_path, files, theme="mkdocs")
    logged = build_error(config_file, caplog)
    validated = CliRunner().invoke(cjm_main, ["validate", str(tmp_path / "journeys")])
    assert validated.exit_code == 1
    error_lines = [line for line in validated.output.splitlines() if ": error: " in line]
    assert len(error_lines) == 2
    for line in error_lines:
        assert re.match(r"^.+\.md:\d+:\d+: error: .+ \[cjm\.[a-z-]+\]$", line)
        assert line in logged
    assert not (tmp_path / "site" / "journeys").exists()


def test_page_colliding_with_a_hand_written_page_names_both(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    docs = {"index.md": "# Home\n", "personas/ann.md": "# Ann, by hand\n"}
    config_file = write_project(tmp_path, small_maps("ann"), docs=docs, theme="mkdocs")
    logged = build_error(config_file, caplog)
    assert (tmp_path / "docs" / "personas" / "ann.md").as_posix() in logged
    assert (tmp_path / "journeys" / "personas" / "ann.md").as_posix() in logged
    assert "personas/ann/index.md" in logged


def test_strict_build_counts_a_map_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config_file = write_project(tmp_path, small_maps("ann", "bob", "cy"), theme="mkdocs")
    logged = build_error(config_file, caplog, strict=True)
    assert "[cjm.many-personas]" in logged
    assert logged.endswith("Aborted with 1 warnings in strict mode!")
    caplog.clear()
    site = build_site(config_file)  # without --strict the warning does not stop the build
    assert (site / "journeys" / "signup" / "index.html").is_file()


def test_diagrams_need_no_mermaid_fence(tmp_path: Path) -> None:
    """cjm writes the diagram as Material draws it (``pre.mermaid``): a site needs no
    superfences setting for it, and is not told to add one."""
    config_file = write_project(tmp_path, small_maps("ann"), mermaid_fence=False)
    site = build_site(config_file, strict=True)  # no warning
    page = (site / "journeys" / "signup" / "index.html").read_text(encoding="utf-8")
    assert '<pre class="mermaid"><code>---' in page
    assert "journey\n    accTitle" in page


def test_missing_journeys_folder_is_a_clean_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config_file = write_project(tmp_path, {}, plugin={"journeys_dir": "maps"}, theme="mkdocs")
    logged = build_error(config_file, caplog)
    assert "journeys folder not found" in logged
    assert "maps" in logged
    assert "Traceback" not in logged


def test_journeys_folder_inside_docs_is_refused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    docs = {"index.md": "# Home\n", **{f"maps/{k}": v for k, v in small_maps("ann").items()}}
    plugin = {"journeys_dir": "docs/maps"}
    config_file = write_project(tmp_path, {}, docs=docs, plugin=plugin, theme="mkdocs")
    logged = build_error(config_file, caplog)
    assert "inside docs_dir" in logged


@pytest.mark.parametrize(
    "prefix", ["", "../up", "/abs", "a\\b", "a//b", "a/./b", "has space", "C:/x"]
)
def test_unsafe_url_prefix_is_refused(tmp_path: Path, prefix: str) -> None:
    config_file = write_project(tmp_path, small_maps("ann"), plugin={"personas_url": prefix})
    with pytest.raises((Abort, ConfigurationError)):
        load_config(str(config_file))


def test_nested_url_prefixes_are_refused(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    plugin = {"journeys_url": "maps", "personas_url": "maps/people"}
    config_file = write_project(tmp_path, small_maps("ann"), plugin=plugin, theme="mkdocs")
    logged = build_error(config_file, caplog)
    assert "personas_url" in logged and "journeys_url" in logged


def test_disabled_plugin_generates_nothing(tmp_path: Path) -> None:
    config_file = write_project(
        tmp_path, small_maps("ann"), plugin={"enabled": False}, theme="mkdocs"
    )
    site = build_site(config_file)
    assert (site / "index.html").is_file()
    assert not (site / "journeys").exists()


# ---------------------------------------------------------------------------
# The plugin's stylesheet, and journey pages as wide as the window

PACKAGE_CSS = Path(__file__).parents[1] / "cjm_plugin" / "assets" / "cjm.css"


class _Stylesheets(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and found.get("rel") == "stylesheet" and found.get("href"):
            self.hrefs.append(str(found["href"]))


def stylesheets(built: Built, page: Path) -> list[str]:
    """The site paths of the stylesheets a built page links (relative hrefs resolved)."""
    parser = _Stylesheets()
    parser.feed(page.read_text(encoding="utf-8"))
    folder = page.parent.relative_to(built.site).as_posix()
    return [
        unquote(href.lstrip("/"))
        if href.startswith("/")
        else posixpath.normpath(posixpath.join(folder, unquote(urlsplit(href).path)))
        for href in parser.hrefs
    ]


@pytest.mark.parametrize("site", ["realistic", "grouped"])
def test_site_holds_the_stylesheet_and_every_page_links_it_once(
    site: str, request: pytest.FixtureRequest
) -> None:
    built: Built = request.getfixturevalue(site)
    shipped = built.site / "assets" / "cjm" / "cjm.css"
    assert shipped.read_bytes() == PACKAGE_CSS.read_bytes()
    pages = sorted(built.site.rglob("*.html"))
    assert len(pages) > len(built.generated_urls())
    for page in pages:
        assert stylesheets(built, page).count("assets/cjm/cjm.css") == 1, page


def test_journey_pages_hide_navigation_and_toc_and_other_pages_do_not(realistic: Built) -> None:
    hidden = re.compile(r'data-md-type="(navigation|toc)"\s*hidden')
    for url in realistic.generated_urls():
        page = realistic.html(url).read_text(encoding="utf-8")
        expected = (
            ["navigation", "toc"] if url.count("/") == 2 and url.startswith("journeys/") else []
        )
        assert hidden.findall(page) == expected, url


def test_a_sites_own_stylesheet_replaces_cjms(tmp_path: Path) -> None:
    """A docs/assets/cjm/cjm.css of the site wins, and listing it in extra_css adds no second link."""
    own = "/* the site's own map styles */\n"
    config_file = write_project(
        tmp_path,
        small_maps("ann"),
        docs={"index.md": "# Home\n", "assets/cjm/cjm.css": own},
        extra_css=["assets/cjm/cjm.css"],
        theme="mkdocs",
    )
    site = build_site(config_file, strict=True)
    assert (site / "assets" / "cjm" / "cjm.css").read_text(encoding="utf-8") == own
    page = site / "journeys" / "signup" / "index.html"
    assert page.read_text(encoding="utf-8").count("assets/cjm/cjm.css") == 1


def test_disabled_plugin_adds_no_stylesheet(tmp_path: Path) -> None:
    config_file = write_project(
        tmp_path, small_maps("ann"), plugin={"enabled": False}, theme="mkdocs"
    )
    site = build_site(config_file)
    assert not (site / "assets" / "cjm").exists()
    assert "cjm.css" not in (site / "index.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# mkdocs serve


class RecordingServer:
    """Stands in for the live-reload server: records what the plugin watches."""

    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        self.watched.append(path)


def test_serve_keeps_the_last_good_pages_while_a_map_is_broken(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config_file = write_project(tmp_path, small_maps("ann"), theme="mkdocs")
    signup = tmp_path / "journeys" / "journeys" / "signup.md"
    page = tmp_path / "site" / "journeys" / "signup" / "index.html"
    config = load_config(str(config_file))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        server = RecordingServer()
        config.plugins.on_serve(cast(Any, server), config=config, builder=build_site)
        assert server.watched == [str(tmp_path / "journeys")]

        build_site(config_file)
        assert "Fills the form" in page.read_text(encoding="utf-8")

        signup.write_text(signup.read_text().replace("emotion: 3", "emotion: 9"))
        caplog.clear()
        with caplog.at_level(logging.ERROR):
            build_site(config_file)  # does not raise: the server stays up
        assert re.search(r"signup\.md:\d+:\d+: error: .*\[cjm\.", caplog.text)
        assert "Fills the form" in page.read_text(encoding="utf-8")

        signup.write_text(signup.read_text().replace("Fills the form", "Fills the short form"))
        signup.write_text(signup.read_text().replace("emotion: 9", "emotion: 4"))
        build_site(config_file)
        assert "Fills the short form" in page.read_text(encoding="utf-8")
    finally:
        config.plugins.on_shutdown()


MARKDOWN_HOOK = """\
import json
from pathlib import Path


def on_page_content(html, page, config, files):
    if page.file.src_uri in ("journeys/index.md", "touchpoints/index.md", "personas/maya-chen/index.md"):
        seen = Path(config.config_file_path).with_name("content.json")
        recorded = json.loads(seen.read_text()) if seen.exists() else {}
        recorded[page.file.src_uri] = html
        seen.write_text(json.dumps(recorded))
"""


def test_other_plugins_see_the_whole_generated_page(tmp_path: Path) -> None:
    """MkDocs converts only the bodies; other plugins must still get the whole page."""
    config_file = write_project(tmp_path, realistic_journeys(), theme="mkdocs", record_nav=False)
    (tmp_path / "markdown_hook.py").write_text(MARKDOWN_HOOK, encoding="utf-8")
    with config_file.open("a", encoding="utf-8") as handle:
        handle.write("hooks:\n  - markdown_hook.py\n")
    build_site(config_file)
    seen = json.loads((tmp_path / "content.json").read_text(encoding="utf-8"))
    assert seen["journeys/index.md"].startswith('<h1 id="customer-journeys">Customer journeys</h1>')
    touchpoints = seen["touchpoints/index.md"]
    assert touchpoints.startswith('<h1 id="touchpoints">Touchpoints</h1>')
    persona_page = seen["personas/maya-chen/index.md"]
    assert persona_page.startswith('<h1 id="maya-chen">Maya Chen</h1>')
    assert persona_page.rstrip().endswith("<p>The persona's story.</p>")  # the body, converted


def test_custom_templates_replace_cjms_by_name(tmp_path: Path) -> None:
    """``custom_templates``: a site's folder of templates wins over cjm's, one by one."""
    templates = tmp_path / "cjm-templates"
    templates.mkdir()
    (templates / "persona.html.j2").write_text(
        '{{ heading(1, page.persona.name) }}\n<p class="ours">{{ page.persona.name | html }}, '
        "as our design system shows a persona.</p>\n",
        encoding="utf-8",
    )
    plugin = {"custom_templates": "cjm-templates"}
    config_file = write_project(tmp_path, small_maps("ann"), plugin=plugin)
    site = build_site(config_file, strict=True)
    persona_page = (site / "personas" / "ann" / "index.html").read_text(encoding="utf-8")
    assert '<p class="ours">Ann, as our design system shows a persona.</p>' in persona_page
    journey_page = (site / "journeys" / "signup" / "index.html").read_text(encoding="utf-8")
    assert 'class="cjm-map"' in journey_page  # the others are cjm's own
    assert "ours" not in journey_page
    # A site without the option gets cjm's templates again.
    other = write_project(tmp_path / "other", small_maps("ann"))
    persona_page = (build_site(other) / "personas" / "ann" / "index.html").read_text("utf-8")
    assert "ours" not in persona_page
    assert '<h2 id="journeys">Journeys</h2>' in persona_page


def test_a_body_heading_like_cjms_gets_an_id_of_its_own(tmp_path: Path) -> None:
    """Bodies are converted apart from cjm's HTML: the ids stay unique on the page as
    Python-Markdown's ``toc`` makes them, permalinks and the table of contents too."""
    files = valid_maps()
    files["journeys/signup.md"] = files["journeys/signup.md"].replace(
        "Research notes for this journey.",
        "## Journey map\n\nOur notes; see [the map](#journey-map).\n",
    )
    config_file = write_project(
        tmp_path,
        files,
        record_nav=False,
        mermaid_fence=False,
        markdown_extensions=[{"toc": {"permalink": True}}],
    )
    site = build_site(config_file, strict=True)
    page = (site / "journeys" / "signup" / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'<h2 id="([^"]*)"', page)
    assert ids == ["journey-diagram", "journey-map", "journey-map_1"]
    permalink = 'class="headerlink" href="#{}" title="Permanent link">&para;</a></h2>'
    assert all(permalink.format(anchor) in page for anchor in ids)
    assert '<a href="#journey-map">the map</a>' in page  # the author's link as written


def test_the_table_of_contents_has_cjms_headings_and_the_bodys_in_page_order(
    tmp_path: Path,
) -> None:
    files = valid_maps()
    files["personas/ann.md"] = files["personas/ann.md"].replace(
        "The persona's story.", "## Journeys\n\nAnn's other journeys.\n\n### Abroad\n\nMore."
    )
    site = build_site(write_project(tmp_path, files, record_nav=False), strict=True)
    page = (site / "personas" / "ann" / "index.html").read_text(encoding="utf-8")
    toc = page[page.index('<nav class="md-nav md-nav--secondary"') :]
    toc = toc[: toc.index("</nav>")]
    assert re.findall(r'href="#([^"]*)"', toc) == [
        "journeys",
        "touchpoints",
        "journeys_1",
        "abroad",
    ]


def test_a_title_holding_markup_stays_text_in_the_title_and_the_navigation(
    tmp_path: Path,
) -> None:
    """Material prints a page's title through ``striptags`` in ``<title>`` (which unescapes)
    and as it is in the navigation: both must show the name, never run it."""
    name = "</title><script>alert(1)</script> & Co"
    files = small_maps("ann")
    files["personas/ann.md"] = persona("ann", name)
    site = build_site(write_project(tmp_path, files, record_nav=False), strict=True)
    page = (site / "personas" / "ann" / "index.html").read_text(encoding="utf-8")
    escaped = "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"
    assert f"<title>{escaped} - Journeys test</title>" in page
    assert "<script>alert(1)" not in page
    overview = (site / "journeys" / "index.html").read_text(encoding="utf-8")
    assert escaped in overview  # the navigation and the overview's links
    assert "<script>alert(1)" not in overview
