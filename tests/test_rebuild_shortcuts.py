"""The serve rebuild's shortcuts never serve a stale page.

While the personas and touchpoints are the same as last time, ``PageCache``
checks a page on the journey or persona it is made from alone, and
``SiteTables`` keeps the overview's and the touchpoint index's tables,
doing again only the share of the journeys whose rows changed. Each test
edits the maps between rebuilds of one kept cache and compares every page
with a fresh render of the same files (the oracle: ``render_site`` on a
fresh load, with no cache).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from sites import journey, persona, touchpoint

from cjm_plugin.history import Revision
from cjm_plugin.loader import ParseCache, load_folder
from cjm_plugin.registry import Registry
from cjm_plugin.render import MAX_LINKS_PER_PAIN_POINT, PageCache, UrlLayout, render_site

JOURNEYS = 12
PERSONAS = ("maya-chen", "daniel-osei", "ruth-hansen")
TOUCHPOINTS = {
    "product-page": ("Product page", "web", "pre-purchase"),
    "identity-check": ("Identity check", "mobile-app", "purchase"),
    "welcome-email": ("Welcome email", "email", "post-purchase"),
    "hotline": ("Hotline", "phone", None),
}
SHARED_PAIN_POINT = "Slow checkout"
DEFAULT_LAYOUT = UrlLayout()


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
        [PERSONAS[number % len(PERSONAS)]],
        stages,
        **fields,
    )


def maps() -> dict[str, str]:
    files = {
        f"personas/{pid}.md": persona(pid, pid.replace("-", " ").title(), role="Customer")
        for pid in PERSONAS
    }
    for tid, (name, channel, category) in TOUCHPOINTS.items():
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
        layout: UrlLayout = DEFAULT_LAYOUT,
        history: dict[str, list[Revision]] | None = None,
    ) -> dict[str, str]:
        """The pages by uri, checked page by page against a fresh render of the same files."""
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
    assert f"and {2 * JOURNEYS - MAX_LINKS_PER_PAIN_POINT} more" in serving.render()[OVERVIEW]


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
