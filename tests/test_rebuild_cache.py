"""The page cache never serves a stale page across ``mkdocs serve`` rebuilds.

One plugin instance is kept across builds, as serve keeps it; between builds
the tests edit, add, delete and rename journey files, then check the pages
the plugin generated against a fresh render of the same files (the oracle:
``render_site`` with no cache) and the built HTML for what a reader sees.
"""

from __future__ import annotations

import gc
import logging
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build
from mkdocs.config import load_config
from sites import build_site, commit_all, journey, persona, realistic_journeys, write_project

from cjm_plugin.loader import ParseCache, collector_paused, load_folder
from cjm_plugin.plugin import CjmPlugin
from cjm_plugin.render import PageCache, UrlLayout, render_site


class Session:
    """A project built again and again by one plugin instance, as ``mkdocs serve`` does."""

    def __init__(self, root: Path, files: dict[str, str]) -> None:
        self.root = root
        self.config_file = write_project(root, files, theme="mkdocs", record_nav=False)
        config = load_config(str(self.config_file))
        plugin = config.plugins["cjm"]
        assert isinstance(plugin, CjmPlugin)
        self.plugin = plugin
        # MkDocs keeps one instance per process: start from empty caches.
        self.plugin.cache = ParseCache()
        self.plugin.page_cache = PageCache()
        self.config = config
        config.plugins.on_startup(command="serve", dirty=False)

    @property
    def journeys(self) -> Path:
        return self.root / "journeys"

    def write(self, relative: str, text: str) -> None:
        path = self.journeys / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.journeys / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    def build(self) -> dict[str, str]:
        """Rebuild; return the generated Markdown by uri, checked against a fresh render."""
        site = build_site(self.config_file)
        assert self.config.plugins["cjm"] is self.plugin  # the instance serve keeps
        generated = {page.uri: page.markdown for page in self.plugin.pages}
        result = load_folder(self.journeys)
        assert result.registry is not None, [str(error) for error in result.errors]
        fresh = render_site(
            result.registry, UrlLayout(), history=self.plugin._history(result.registry)
        )
        assert generated == {page.uri: page.markdown for page in fresh}
        for uri in generated:  # and what MkDocs wrote is what was generated now
            assert (site / uri.replace(".md", ".html")).is_file()
        return generated

    def html(self, uri: str) -> str:
        return (self.root / "site" / uri.replace(".md", ".html")).read_text(encoding="utf-8")


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    serving = Session(tmp_path, realistic_journeys())
    try:
        yield serving
    finally:
        serving.config.plugins.on_shutdown()


def test_a_one_off_build_keeps_no_records(tmp_path: Path) -> None:
    """Kept records would be scanned by the cycle collector for the rest of the build."""
    config_file = write_project(tmp_path, realistic_journeys(), theme="mkdocs", record_nav=False)
    config = load_config(str(config_file))
    plugin = config.plugins["cjm"]
    assert isinstance(plugin, CjmPlugin)
    plugin.cache, plugin.page_cache = ParseCache(), PageCache()
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    assert plugin.entries, "the build generated pages"
    assert plugin.ahead is None, "the renderer ends with the build"
    assert len(plugin.cache) == 0
    assert plugin.page_cache.rendered == 0
    assert plugin.last_good == {}


def test_unchanged_files_reuse_every_page(session: Session) -> None:
    first = session.build()
    rendered = session.plugin.page_cache.rendered
    assert rendered == len(first)
    assert session.build() == first
    assert session.plugin.page_cache.rendered == rendered  # nothing rendered again


def test_persona_rename_shows_on_every_journey_page_that_names_her(session: Session) -> None:
    session.build()
    reused = session.plugin.page_cache.reused
    session.edit("personas/maya-chen.md", "name: Maya Chen", "name: Maya Chen-Okafor")
    pages = session.build()
    naming_maya = ["account-opening", "account-opening-future"]
    for journey_id in naming_maya:
        uri = f"journeys/{journey_id}/index.md"
        assert "Maya Chen-Okafor" in pages[uri]
        assert "Maya Chen-Okafor" in session.html(uri)
    assert "Maya Chen-Okafor" in pages["personas/maya-chen/index.md"]
    assert "Maya Chen-Okafor" in pages["journeys/index.md"]
    stale = [uri for uri, markdown in pages.items() if re.search(r"Maya Chen(?!-)", markdown)]
    assert stale == []
    # Savings and the other personas do not show Maya: their pages were reused.
    assert session.plugin.page_cache.reused > reused


def test_touchpoint_rename_and_step_edit(session: Session) -> None:
    session.build()
    session.edit("touchpoints/product-page.md", "name: Product page", "name: Accounts page")
    session.edit("journeys/savings.md", "Reads the rates page", "Reads the rates leaflet")
    pages = session.build()
    assert "Accounts page" in pages["journeys/savings/index.md"]
    assert "Accounts page" in pages["journeys/account-opening/index.md"]
    assert "Accounts page" in pages["touchpoints/index.md"]
    assert "Reads the rates leaflet" in pages["personas/ruth-hansen/index.md"]
    assert "Reads the rates leaflet" in pages["touchpoints/index.md"]


def test_added_journey_appears_on_its_persona_and_counterpart_pages(session: Session) -> None:
    session.build()
    session.write(
        "journeys/savings-future.md",
        journey(
            "savings-future",
            "Ruth moves her savings in the app",
            ["ruth-hansen"],
            state="future",
            compares_to="savings",
            stages=[
                {
                    "name": "Decide",
                    "steps": [
                        {"name": "Taps compare", "touchpoints": ["product-page"], "emotion": 4}
                    ],
                }
            ],
        ),
    )
    pages = session.build()
    assert "journeys/savings-future/index.md" in pages
    assert "savings-future" in pages["journeys/savings/index.md"]  # its other state
    assert "Ruth moves her savings in the app" in pages["personas/ruth-hansen/index.md"]
    assert "Ruth moves her savings in the app" in session.html("personas/ruth-hansen/index.md")


def test_deleted_journey_leaves_no_page_or_link(session: Session) -> None:
    session.build()
    (session.journeys / "journeys" / "savings.md").unlink()
    pages = session.build()
    assert "journeys/savings/index.md" not in pages
    assert not any("savings/index.md" in markdown for markdown in pages.values())
    assert not (session.root / "site" / "journeys" / "savings").exists()


def test_renamed_file_moves_its_page(session: Session) -> None:
    session.build()
    old = session.journeys / "journeys" / "savings.md"
    text = old.read_text(encoding="utf-8")
    old.unlink()
    session.write("journeys/ruth/moving-savings.md", text.replace("id: savings\n", ""))
    pages = session.build()
    assert "journeys/savings/index.md" not in pages
    assert "journeys/moving-savings/index.md" in pages
    assert "moving-savings/index.md" in pages["personas/ruth-hansen/index.md"]


def test_deleted_persona_still_referenced_is_an_error(
    session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    session.build()
    daniel = session.journeys / "personas" / "daniel-osei.md"
    text = daniel.read_text(encoding="utf-8")
    daniel.unlink()
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        build_site(session.config_file)  # serve logs and keeps the last good pages
    assert re.search(
        r"account-opening\.md:\d+:\d+: error: unknown persona 'daniel-osei'.*\[cjm\.", caplog.text
    )
    daniel.write_text(text, encoding="utf-8")
    session.build()  # fixed: fresh pages again


def test_history_change_alone_renders_the_journey_page_again(tmp_path: Path) -> None:
    serving = Session(tmp_path, realistic_journeys())
    try:
        commit_all(tmp_path, "First draft of the maps")
        assert "First draft of the maps" in serving.build()["journeys/savings/index.md"]
        identity = ["-c", "user.name=Ann Author", "-c", "user.email=ann@example.org"]
        subprocess.run(
            ["git", *identity, "commit", "-q", "--amend", "-m", "Maps reviewed with the branch"],
            cwd=tmp_path,
            check=True,
        )
        page = serving.build()["journeys/savings/index.md"]  # no file changed
        assert "Maps reviewed with the branch" in page
        assert "First draft" not in page
    finally:
        serving.config.plugins.on_shutdown()


# ---------------------------------------------------------------------------
# Any sequence of edits, on the core alone: cached pages equal a fresh render.

PERSONAS = ("ann", "bob", "cy")
TOUCHPOINTS = ("web", "mail")


def small_folder(
    names: dict[str, str], emotions: dict[str, int], links: dict[str, str]
) -> dict[str, str]:
    files = {f"personas/{p}.md": persona(p, names[p]) for p in PERSONAS}
    files.update(
        (f"touchpoints/{t}.md", f"---\ntype: touchpoint\nname: {names[t]}\nchannel: web\n---\n")
        for t in TOUCHPOINTS
    )
    for number, journey_id in enumerate(sorted(emotions)):
        fields = {"compares_to": links[journey_id]} if journey_id in links else {}
        files[f"journeys/{journey_id}.md"] = journey(
            journey_id,
            f"Journey {journey_id}",
            [PERSONAS[number % len(PERSONAS)]],
            stages=[
                {
                    "name": "Only",
                    "steps": [
                        {
                            "name": "Acts",
                            "touchpoints": [TOUCHPOINTS[number % len(TOUCHPOINTS)]],
                            "emotion": emotions[journey_id],
                            "actors": [PERSONAS[(number + 1) % len(PERSONAS)]],
                        }
                    ],
                }
            ],
            **fields,
        )
    return files


edits = st.lists(
    st.one_of(
        st.tuples(st.just("name"), st.sampled_from(PERSONAS + TOUCHPOINTS), st.sampled_from("XYZ")),
        st.tuples(st.just("emotion"), st.sampled_from("abcd"), st.integers(1, 5)),
        st.tuples(st.just("delete"), st.sampled_from("abcd"), st.none()),
        st.tuples(st.just("link"), st.sampled_from("abcd"), st.sampled_from("abcd")),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=edits)
def test_any_edit_sequence_gives_the_pages_of_a_fresh_render(
    tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[str, str, object]]
) -> None:
    folder = tmp_path_factory.mktemp("maps")
    names = {key: key.upper() for key in PERSONAS + TOUCHPOINTS}
    emotions = {"a": 3, "b": 2, "c": 4}
    links: dict[str, str] = {}
    parse_cache, page_cache = ParseCache(), PageCache()
    for kind, key, value in [("start", "", None), *edits]:
        if kind == "name":
            names[key] = f"{names[key]} {value}"
        elif kind == "emotion":
            emotions[key] = int(str(value))
        elif kind == "delete":
            emotions.pop(key, None)
        elif kind == "link":
            links = {
                a: b for a, b in links.items() if key not in (a, b) and str(value) not in (a, b)
            }
            if key != value:
                links[key] = str(value)
        links = {a: b for a, b in links.items() if a in emotions and b in emotions}
        for path in folder.rglob("*.md"):
            path.unlink()
        for relative, text in small_folder(names, emotions, links).items():
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            (folder / relative).write_text(text, encoding="utf-8")
        result = load_folder(folder, cache=parse_cache)
        if result.registry is None:
            continue  # e.g. two journeys naming one counterpart: the loader says so
        fresh = render_site(result.registry, UrlLayout())
        assert page_cache.render(result.registry, UrlLayout()) == fresh


def test_collector_paused_gives_the_collector_back_as_it_found_it() -> None:
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("a load that fails")
    assert gc.isenabled()
    gc.disable()  # someone else turned it off: leave it off
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
