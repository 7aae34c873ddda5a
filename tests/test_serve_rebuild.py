"""``mkdocs serve`` never serves a stale page, and ``--dirty`` rebuilds only what changed.

One plugin instance is kept across builds, as serve keeps it (with its parse
cache and the journeys' history); between builds the tests edit, add, delete
and rename journey files, then check the pages the plugin generated against
a fresh render of the same files (the oracle: ``render_site`` on a fresh
load) and the built HTML for what a reader sees. With ``--dirty``, MkDocs
writes again only the pages whose HTML changed: the edited journey's and the
pages that list it.
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
from sites import (
    build_site,
    commit_all,
    journey,
    persona,
    realistic_journeys,
    write_project,
)

from cjm_plugin.history import HistoryCache
from cjm_plugin.load import ParseCache, collector_paused, load_folder
from cjm_plugin.page_sources import journey_histories
from cjm_plugin.pages import UrlLayout, render_site
from cjm_plugin.plugin import CjmPlugin


class Session:
    """A project built again and again by one plugin instance, as ``mkdocs serve`` does."""

    def __init__(self, root: Path, files: dict[str, str]) -> None:
        self.root = root
        self.config_file = write_project(root, files, theme="mkdocs", record_nav=False)
        config = load_config(str(self.config_file))
        plugin = config.plugins["cjm"]
        assert isinstance(plugin, CjmPlugin)
        self.plugin = plugin
        self.config = config
        config.plugins.on_startup(command="serve", dirty=False)  # fresh caches
        assert plugin.source.serving
        self.source = plugin.source

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

    def build(self, dirty: bool = False, valid: bool = True) -> dict[str, str]:
        """Rebuild; return the generated pages by uri, checked against a fresh render
        while the maps are ``valid``."""
        config = load_config(str(self.config_file), site_dir=str(self.root / "site"))
        config.plugins = self.config.plugins  # the instance serve keeps, as serve keeps it
        build(config, serve_url="http://127.0.0.1:8000/", dirty=dirty)
        site = self.root / "site"
        assert self.config.plugins["cjm"] is self.plugin  # the instance serve keeps
        assert self.plugin.source is self.source
        generated = {page.uri: page.markdown for page in self.source.pages}
        if not valid:
            return generated
        result = load_folder(self.journeys)
        assert result.registry is not None, [str(error) for error in result.errors]
        history = journey_histories(HistoryCache(), self.plugin.maps, result.registry)
        fresh = render_site(result.registry, UrlLayout(), history=history)
        assert generated == {page.uri: page.markdown for page in fresh}
        for uri in generated:  # and what MkDocs wrote is what was generated now
            assert (site / uri.replace(".md", ".html")).is_file()
        return generated

    def written(self) -> dict[str, int]:
        """When each generated page's HTML was last written, by uri."""
        return {
            uri: (self.root / "site" / uri.replace(".md", ".html")).stat().st_mtime_ns
            for uri in (page.uri for page in self.source.pages)
        }

    def html(self, uri: str) -> str:
        return (self.root / "site" / uri.replace(".md", ".html")).read_text(encoding="utf-8")


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    serving = Session(tmp_path, realistic_journeys())
    try:
        yield serving
    finally:
        serving.config.plugins.on_shutdown()


def test_persona_rename_shows_on_every_journey_page_that_names_her(session: Session) -> None:
    session.build()
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
    # Savings and the other personas do not show Maya: their pages did not change.
    assert "journeys/savings/index.md" not in session.source.changed
    assert "personas/ruth-hansen/index.md" not in session.source.changed


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
    assert not any("journeys/savings/index.md" in page.links for page in session.source.pages)
    assert not any("../savings/" in text for text in pages.values())
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
    assert "journeys/moving-savings/" in pages["personas/ruth-hansen/index.md"]


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
# Any sequence of edits, on the core alone: pages from parsed files kept across
# rebuilds equal a fresh render.

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
    parse_cache = ParseCache()
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
        fresh = render_site(load_folder(folder).registry or result.registry, UrlLayout())
        assert render_site(result.registry, UrlLayout()) == fresh


def test_unchanged_files_change_no_page(session: Session) -> None:
    first = session.build()
    assert session.source.changed == set(first)  # the first build: every page is new
    assert session.build() == first
    assert session.source.changed == set()


def test_a_dirty_rebuild_writes_only_the_pages_that_show_the_edit(session: Session) -> None:
    session.build(dirty=True)
    before = session.written()
    session.edit("journeys/savings.md", "Reads the rates page", "Reads the rates leaflet")
    pages = session.build(dirty=True)
    after = session.written()
    rewritten = {uri for uri in after if after[uri] != before[uri]}
    assert rewritten == session.source.changed
    assert "journeys/savings/index.md" in rewritten
    assert "personas/ruth-hansen/index.md" in rewritten  # lists the step
    assert "touchpoints/index.md" in rewritten  # lists the step under its touchpoint
    assert "journeys/account-opening/index.md" not in rewritten
    assert "personas/daniel-osei/index.md" not in rewritten
    assert "Reads the rates leaflet" in session.html("journeys/savings/index.md")
    assert "Reads the rates leaflet" in pages["journeys/savings/index.md"]


def test_a_plain_rebuild_writes_every_page(session: Session) -> None:
    """Without ``--dirty`` MkDocs writes every page again, ours as well."""
    session.build()
    before = session.written()
    session.edit("journeys/savings.md", "Reads the rates page", "Reads the rates leaflet")
    session.build()
    after = session.written()
    assert all(after[uri] != before[uri] for uri in after)


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


def test_errors_coming_and_going_change_every_page(session: Session) -> None:
    """Every generated page shows serve's error banner: ``--dirty`` must rewrite them all."""
    first = session.build(dirty=True)
    session.edit("journeys/savings.md", "emotion: 3", "emotion: 9")
    session.build(dirty=True, valid=False)  # the last good pages stay up, under the banner
    assert session.source.errors
    assert session.source.changed == set(first)
    assert "cjm-serve-errors" in session.html("journeys/account-opening/index.md")
    session.edit("journeys/savings.md", "emotion: 9", "emotion: 3")
    session.build(dirty=True)
    assert session.source.changed == set(first)
    assert "cjm-serve-errors" not in session.html("journeys/account-opening/index.md")
