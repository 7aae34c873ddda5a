"""The page cache never serves a stale page across ``mkdocs serve`` rebuilds.

One plugin instance is kept across builds, as serve keeps it; between builds
the tests edit, add, delete and rename journey files, then check the pages
the plugin generated against a fresh render of the same files (the oracle:
``render_site`` with no cache) and the built HTML for what a reader sees.
The core's ``PageCache`` is checked the same way after every kind of edit.
"""

from __future__ import annotations

import gc
import logging
import random
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
    touchpoint,
    write_project,
)

from cjm_plugin.history import HistoryCache, Revision
from cjm_plugin.load import ParseCache, collector_paused, load_folder
from cjm_plugin.page_sources import BuildSource, ServeSource, journey_histories
from cjm_plugin.pages import PageCache, UrlLayout, render_site
from cjm_plugin.pages.overview import MAX_LINKS_PER_PAIN_POINT
from cjm_plugin.plugin import CjmPlugin
from cjm_plugin.registry import Registry


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
        assert isinstance(plugin.source, ServeSource)
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

    def build(self) -> dict[str, str]:
        """Rebuild; return the generated Markdown by uri, checked against a fresh render."""
        site = build_site(self.config_file)
        assert self.config.plugins["cjm"] is self.plugin  # the instance serve keeps
        assert self.plugin.source is self.source
        generated = {page.uri: page.markdown for page in self.source.pages}
        result = load_folder(self.journeys)
        assert result.registry is not None, [str(error) for error in result.errors]
        history = journey_histories(HistoryCache(), self.plugin.maps, result.registry)
        fresh = render_site(result.registry, UrlLayout(), history=history)
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
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    assert plugin.entries, "the build generated pages"
    assert isinstance(plugin.source, BuildSource), "no caches: they pay only across rebuilds"
    assert plugin.source.ahead is None, "the renderer ends with the build"


def test_unchanged_files_reuse_every_page(session: Session) -> None:
    first = session.build()
    rendered = session.source.page_cache.rendered
    assert rendered == len(first)
    assert session.build() == first
    assert session.source.page_cache.rendered == rendered  # nothing rendered again


def test_persona_rename_shows_on_every_journey_page_that_names_her(session: Session) -> None:
    session.build()
    reused = session.source.page_cache.reused
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
    assert session.source.page_cache.reused > reused


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


# ---------------------------------------------------------------------------
# Every kind of edit to a dozen journeys, on the core alone: after each, the
# pages of one kept PageCache equal a fresh render of the same files.

JOURNEYS = 12
SITE_PERSONAS = ("maya-chen", "daniel-osei", "ruth-hansen")
SITE_TOUCHPOINTS = {
    "product-page": ("Product page", "web", "pre-purchase"),
    "identity-check": ("Identity check", "mobile-app", "purchase"),
    "welcome-email": ("Welcome email", "email", "post-purchase"),
    "hotline": ("Hotline", "phone", None),
}
SHARED_PAIN_POINT = "Slow checkout"


def step(name: str, touchpoint_id: str, emotion: int, *pain_points: str) -> dict[str, Any]:
    return {
        "name": name,
        "touchpoints": [touchpoint_id],
        "emotion": emotion,
        "pain_points": list(pain_points),
    }


def journey_file(number: int) -> str:
    """A journey on every touchpoint; the shared pain point on two steps of each."""
    fields: dict[str, Any] = {}
    if number in (0, 1):  # a current state and its future state
        fields = {"state": ("current", "future")[number], "compares_to": f"journey-{1 - number}"}
    if number == 2:  # a touchpoint declared inline: made again at each load
        fields["touchpoints"] = [{"id": "branch", "name": "Branch", "channel": "store"}]
    stages = [
        {
            "name": "Discover",
            "steps": [
                step("Compares offers", "product-page", 1 + number % 5, SHARED_PAIN_POINT),
                step("Calls the hotline", "hotline", 3, f"Waits {number % 3} minutes"),
            ],
        },
        {
            "name": "Apply",
            "steps": [
                step("Checks identity", "identity-check", 2 + number % 3, SHARED_PAIN_POINT),
                step("Visits a branch", "branch", 4)
                if number == 2
                else step("Waits", "hotline", 3),
            ],
        },
        {"name": "Onboard", "steps": [step("Reads the welcome", "welcome-email", 4)]},
    ]
    return journey(
        f"journey-{number}",
        f"Journey {number}",
        [SITE_PERSONAS[number % len(SITE_PERSONAS)]],
        stages,
        **fields,
    )


def maps() -> dict[str, str]:
    files = {
        f"personas/{pid}.md": persona(pid, pid.replace("-", " ").title(), role="Customer")
        for pid in SITE_PERSONAS
    }
    for tid, (name, channel, category) in SITE_TOUCHPOINTS.items():
        extra = {"category": category} if category else {}
        files[f"touchpoints/{tid}.md"] = touchpoint(tid, name, channel, **extra)
    for number in range(JOURNEYS):
        files[f"journeys/journey-{number}.md"] = journey_file(number)
    return files


class Serving:
    """The maps rendered again and again through one kept cache, as during ``mkdocs serve``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.parse_cache = ParseCache()
        self.page_cache = PageCache()
        for relative, text in maps().items():
            self.write(relative, text)

    def write(self, relative: str, text: str) -> None:
        path = self.folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def edit(self, relative: str, old: str, new: str, count: int = -1) -> None:
        path = self.folder / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    def registry(self) -> Registry:
        result = load_folder(self.folder, cache=self.parse_cache)
        assert result.registry is not None, [str(error) for error in result.errors]
        return result.registry

    def render(
        self,
        layout: UrlLayout | None = None,
        history: dict[str, list[Revision]] | None = None,
    ) -> dict[str, str]:
        """The pages by uri, checked page by page against a fresh render of the same files."""
        layout = layout or UrlLayout()
        kept = self.page_cache.render(self.registry(), layout, history)
        fresh_registry = load_folder(self.folder).registry
        assert fresh_registry is not None
        fresh = render_site(fresh_registry, layout, history)
        assert [page.uri for page in kept] == [page.uri for page in fresh]
        for kept_page, fresh_page in zip(kept, fresh, strict=True):
            assert kept_page == fresh_page, f"{kept_page.uri} is stale"
        return {page.uri: page.markdown for page in kept}


@pytest.fixture
def serving(tmp_path: Path) -> Serving:
    serving = Serving(tmp_path)
    serving.render()
    return serving


OVERVIEW = "journeys/index.md"
INDEX = "touchpoints/index.md"


def section(markdown: str, heading: str) -> str:
    """The text under a ``##`` heading, up to the next one."""
    return markdown.split(heading, 1)[1].split("\n## ", 1)[0]


def test_the_shared_pain_point_is_on_more_steps_than_its_row_links(serving: Serving) -> None:
    """So that the ranking's "and N more" and its first links are exercised below."""
    assert 2 * JOURNEYS > MAX_LINKS_PER_PAIN_POINT
    # journey-1 is a future state: its steps are ranked apart, under "In the future state".
    assert f"and {2 * (JOURNEYS - 1) - MAX_LINKS_PER_PAIN_POINT} more" in serving.render()[OVERVIEW]


def test_a_renamed_touchpoint_shows_in_the_index_and_on_journey_pages(serving: Serving) -> None:
    serving.edit("touchpoints/hotline.md", "name: Hotline", "name: Help line")
    pages = serving.render()
    assert "#### Help line {#hotline}" in pages[INDEX]
    assert "[Help line](" in pages["journeys/journey-5/index.md"]


def test_a_touchpoint_moved_to_another_category_moves_in_the_index(serving: Serving) -> None:
    serving.edit("touchpoints/hotline.md", "channel: phone", "channel: phone\ncategory: purchase")
    pages = serving.render()
    purchase = pages[INDEX].split("## Purchase")[1].split("## Post-purchase")[0]
    assert "{#hotline}" in purchase
    path = serving.folder / "touchpoints/hotline.md"
    path.write_text(path.read_text(encoding="utf-8") + "Help for every customer.\n")
    assert "Help for every customer." in serving.render()[INDEX]


def test_a_renamed_persona_shows_everywhere_in_the_overview(serving: Serving) -> None:
    serving.edit("personas/ruth-hansen.md", "name: Ruth Hansen", "name: Ruth Berg")
    overview = serving.render()[OVERVIEW]
    assert "Ruth Hansen" not in overview
    for heading in ("## Journeys", "## Personas", "## Persona coverage"):
        assert "[Ruth Berg](" in section(overview, heading), heading
    serving.edit("personas/ruth-hansen.md", "role: Customer", "role: Retired teacher")
    personas = section(serving.render()[OVERVIEW], "## Personas")
    assert "- [Ruth Berg](../personas/ruth-hansen/index.md) — Retired teacher" in personas


def test_pain_point_edits_move_the_ranking(serving: Serving) -> None:
    serving.edit("journeys/journey-4.md", "Waits 1 minutes", "Lost paperwork")
    assert "Lost paperwork" in serving.render()[OVERVIEW]
    serving.edit("journeys/journey-4.md", "emotion: 3", "emotion: 1", count=1)  # now the lowest
    serving.render()
    serving.edit("journeys/journey-4.md", "- Lost paperwork", "- Slow checkout")
    serving.render()
    for number in (0, 1, 3):  # the first links of the shared pain point go
        serving.edit(f"journeys/journey-{number}.md", f"- {SHARED_PAIN_POINT}", "- Rare problem")
        serving.render()
    serving.edit("journeys/journey-4.md", "- Slow checkout", "- Fast checkout")
    serving.render()


def test_stage_and_actor_edits_redo_the_coverage(serving: Serving) -> None:
    serving.edit("journeys/journey-7.md", "name: Onboard", "name: Welcome")
    assert "Welcome" in section(serving.render()[OVERVIEW], "## Persona coverage")
    serving.edit("journeys/journey-7.md", "emotion: 4", "emotion: 4\n    actors: [maya-chen]")
    serving.render()
    serving.edit("journeys/journey-7.md", "name: Welcome", "name: Onboard")
    assert "Welcome" not in section(serving.render()[OVERVIEW], "## Persona coverage")


def test_journeys_added_deleted_and_renamed(serving: Serving) -> None:
    serving.write("journeys/journey-99.md", journey_file(99).replace("journey-99", "journey-05"))
    assert "journeys/journey-05/index.md" in serving.render()
    (serving.folder / "journeys/journey-3.md").unlink()
    assert "journeys/journey-3/index.md" not in serving.render()
    (serving.folder / "journeys/journey-05.md").write_text(
        (serving.folder / "journeys/journey-99.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (serving.folder / "journeys/journey-99.md").unlink()
    serving.render()
    (serving.folder / "journeys/journey-6.md").rename(serving.folder / "journeys/renamed.md")
    serving.render()


def test_history_and_layout_changes(serving: Serving) -> None:
    revision = Revision("a1b2c3d", "2026-05-14", "Sam Lee", "Add findings")
    pages = serving.render(history={"journey-4": [revision]})
    assert "Add findings" in pages["journeys/journey-4/index.md"]
    pages = serving.render(history={"journey-4": [revision, revision]})
    serving.render(history=None)
    pages = serving.render(layout=UrlLayout("maps", "people", "places"))
    assert "maps/index.md" in pages
    serving.edit("journeys/journey-8.md", "emotion: 4", "emotion: 5")
    serving.render(layout=UrlLayout("maps", "people", "places"))
    serving.render()


def test_one_edit_renders_only_the_pages_that_show_it(serving: Serving) -> None:
    """The inline touchpoint, made again at each load, does not make every page stale."""
    rendered = serving.page_cache.rendered
    serving.edit("journeys/journey-5.md", "emotion: 4", "emotion: 5")
    serving.render()
    # journey-5's page, its persona's page, the overview and the touchpoint index
    assert serving.page_cache.rendered - rendered == 4


@pytest.mark.parametrize("seed", range(3))
def test_random_edits_never_serve_a_stale_page(tmp_path: Path, seed: int) -> None:
    serving = Serving(tmp_path)
    serving.render()
    rng = random.Random(seed)
    edits = [
        ("touchpoints/product-page.md", "name: Product page", "name: Product page v2"),
        ("touchpoints/welcome-email.md", "channel: email", "channel: social"),
        ("personas/daniel-osei.md", "name: Daniel Osei", "name: Dan Osei"),
        ("personas/maya-chen.md", "role: Customer", "role: Nurse"),
        (
            "journeys/journey-1.md",
            "touchpoints:\n    - welcome-email",
            "touchpoints:\n    - hotline",
        ),
    ]
    for _ in range(25):
        number = rng.randrange(JOURNEYS)
        relative = f"journeys/journey-{number}.md"
        choice = rng.randrange(6)
        text = journey_file(number)
        if choice == 0:
            serving.write(relative, text.replace("emotion: 3", f"emotion: {rng.randint(1, 5)}"))
        elif choice == 1:
            pain_point = rng.choice(["Slow", "Queue", SHARED_PAIN_POINT])
            serving.write(relative, text.replace(SHARED_PAIN_POINT, pain_point))
        elif choice == 2:
            serving.write(relative, text.replace("Discover", rng.choice(["Discover", "Explore"])))
        elif choice == 3 and edits:
            serving.edit(*edits.pop(rng.randrange(len(edits))))
        elif choice == 4 and number not in (0, 1, 2):
            path = serving.folder / relative
            if path.exists():
                path.unlink()
            else:
                serving.write(relative, text)
        else:
            serving.write(relative, text)
        revision = Revision("c0ffee1", "2026-01-02", "Ana", f"Edit {number}")
        serving.render(history={"journey-3": [revision]} if rng.random() < 0.3 else None)


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
