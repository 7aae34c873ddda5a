"""Large collections: the overview's views show 50 rows and point to the rest; the pages
by owner and by tag list every journey."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from golden_pages import load
from html_blocks import PageReader, read, section
from sites import build_site, journey, persona, realistic_journeys, recorded_nav, write_project

from cjm_plugin.pages import Page, Site, render, render_site
from cjm_plugin.pages.actions import MAX_ACTIONS, action_board_view
from cjm_plugin.pages.actions import action_board_page as action_board_page_view
from cjm_plugin.pages.capped import MAX_ROWS
from cjm_plugin.pages.groups import groups
from cjm_plugin.pages.journeys_table import OWNERS, TAGS, index_uri
from cjm_plugin.pages.overview import overview_page as overview_page_view
from cjm_plugin.pages.overview import overview_view
from cjm_plugin.registry import Registry


def overview_page(*args: Any) -> Page:
    """The page itself: the page kinds give its view, which the site renders."""
    return render(overview_page_view(*args))


def action_board_page(*args: Any) -> Page:
    """The page itself: the page kinds give its view, which the site renders."""
    return render(action_board_page_view(*args))


JOURNEYS = 60
OWNER_NAMES = ("Web team", "web-team", "Service", None)


def many_journeys() -> dict[str, str]:
    """60 journeys of two personas, of varied average emotion, owners and tags."""
    files = {
        "personas/ann.md": persona("ann", "Ann"),
        "personas/bo.md": persona("bo", "Bo"),
    }
    for n in range(JOURNEYS):
        fields: dict[str, Any] = {
            "tags": [f"group {n % 3}", "all"],
            "actions": [{"title": f"Fix {n:02d}", "due": f"2026-01-{1 + n % 28:02d}"}],
        }
        owner = OWNER_NAMES[n % len(OWNER_NAMES)]
        if owner is not None:
            fields["owner"] = owner
        steps = [
            {"name": "Looks", "emotion": 1 + n % 5, "pain_points": [f"Pain {n}"]},
            {"name": "Buys", "emotion": 1 + (n // 5) % 5, "opportunities": [f"Idea {n}"]},
        ]
        files[f"journeys/j{n:02d}.md"] = journey(
            f"j{n:02d}",
            f"Journey {n:02d}",
            ["ann" if n % 2 else "bo"],
            [{"name": "Shop", "steps": steps}],
            **fields,
        )
    return files


def journeys_table_div(page: PageReader) -> dict[str, str | None]:
    """The attributes of the ``<div>`` around the overview's journeys table."""
    (attrs,) = [a for tag, a in page.tags if tag == "div" and a.get("aria-label") == "Journeys"]
    return attrs


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    folder = tmp_path_factory.mktemp("many")
    for relative, text in many_journeys().items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text, encoding="utf-8")
    return load(folder)


def test_the_journeys_table_shows_the_50_lowest_in_registry_order(registry: Registry) -> None:
    view = overview_view(Site(registry))
    journeys = list(registry.journeys.values())
    lowest = sorted(range(JOURNEYS), key=lambda n: (journeys[n].average_emotion, n))[:MAX_ROWS]
    expected = [journeys[n].title for n in sorted(lowest)]
    assert [row.link.text for row in view.journeys] == expected
    assert (view.journeys.total, view.journeys.more) == (JOURNEYS, JOURNEYS - MAX_ROWS)
    shown = {row.link.text for row in view.journeys}
    left_out = [j.average_emotion for j in journeys if j.title not in shown]
    assert max(row.average_emotion for row in view.journeys) <= min(left_out)


def test_every_view_is_capped(registry: Registry) -> None:
    view = overview_view(Site(registry))
    assert len(view.journey_heatmap.rows) == MAX_ROWS
    assert view.journey_heatmap.rows.total == JOURNEYS
    assert len(view.pain_points) == MAX_ROWS
    assert view.pain_points.total == JOURNEYS  # one distinct pain point a journey
    assert [row.text for row in view.pain_points][:1] == ["Pain 0"]  # emotion 1 first
    assert len(view.opportunities) == MAX_ROWS
    assert view.opportunities.more == JOURNEYS - MAX_ROWS
    assert view.persona_heatmap.rows.more == 0  # two personas: all shown


def test_the_overview_says_how_many_more_and_links_the_full_data(registry: Registry) -> None:
    page = read(overview_page(Site(registry)).markdown)
    full_data = (
        ("journeys.json", "journeys.json"),
        ("steps.csv", "steps.csv"),
        ("Journeys by owner", "owners/"),
        ("Journeys by tag", "tags/"),
    )
    (under_table,) = [b for b in section(page.blocks, "Journeys") if "more in" in b.text]
    assert under_table.text == (
        f"Showing the {MAX_ROWS} lowest-scoring (by average emotion) of {JOURNEYS} journeys; "
        f"{JOURNEYS - MAX_ROWS} more in the full data: journeys.json, steps.csv, "
        "Journeys by owner, Journeys by tag."
    )
    # The table, the heatmap, today's pain points, the opportunities (no future state)
    # and the maps due for review (none of these synthetic maps was ever reviewed).
    more = [b for b in page.blocks if b.kind == "p" and "more in the full data" in b.text]
    assert len(more) == 5
    assert all(block.links == full_data for block in more)
    assert [b.text for b in more if "maps due for review" in b.text] == [
        f"Showing the first {MAX_ROWS} of {JOURNEYS} maps due for review; "
        f"{JOURNEYS - MAX_ROWS} more in the full data: journeys.json, steps.csv, "
        "Journeys by owner, Journeys by tag."
    ]
    assert journeys_table_div(page) == {
        "class": "cjm-sortable cjm-filterable",
        "role": "region",
        "tabindex": "0",
        "aria-label": "Journeys",
        "data-search-exclude": None,
    }
    # The capped rankings and the reviews due, each kept out of search as a whole.
    plain = [a for tag, a in page.tags if tag == "div" and a == {"data-search-exclude": None}]
    assert len(plain) == 3
    assert len([a for tag, a in page.tags if tag == "tr" and "data-owner" in a]) == MAX_ROWS


def test_a_small_collection_shows_everything_as_before(tmp_path: Path) -> None:
    for relative, text in realistic_journeys().items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    registry = load(tmp_path)
    view = overview_view(Site(registry))
    assert view.journeys.more == view.journey_heatmap.rows.more == view.pain_points.more == 0
    assert len(view.journeys) == len(registry.journeys)
    markdown = overview_page(Site(registry)).markdown
    assert "more in the full data" not in markdown
    page = read(markdown)
    assert "data-search-exclude" not in journeys_table_div(page)  # indexed by search
    assert len([a for tag, a in page.tags if tag == "tr" and "data-owner" in a]) == len(
        registry.journeys
    )


def test_the_action_board_shows_50_actions_a_status_overdue_first(registry: Registry) -> None:
    site, date = Site(registry), dt.date(2026, 1, 15)
    view = action_board_view(site, date)
    planned = dict(view.groups)["planned"]
    assert len(planned) == MAX_ACTIONS and view.left_out["planned"] == JOURNEYS - MAX_ACTIONS
    overdue = sum(
        1
        for j in registry.journeys.values()
        for a in j.actions
        if a.due is not None and a.due < date
    )
    assert [row.overdue_days > 0 for row in planned[:overdue]] == [True] * overdue
    page = read(action_board_page(site, "journeys/actions/index.md", date).markdown)
    planned_section = section(page.blocks, "Planned")
    assert [len(b.rows) for b in planned_section if b.kind == "table"] == [1 + MAX_ACTIONS]
    (line,) = [b for b in planned_section if b.kind == "p"]
    assert line.text == (
        f"Showing the first {MAX_ACTIONS} of {JOURNEYS}; {JOURNEYS - MAX_ACTIONS} more in "
        "journeys.json and on their journeys' pages."
    )
    assert line.links == (("journeys.json", "../journeys.json"),)


def test_groups_have_unique_slugs_in_name_order(registry: Registry) -> None:
    site = Site(registry)
    owners = groups(site, OWNERS)
    assert [(group.name, group.uri) for group in owners] == [
        ("Service", "journeys/owners/service/index.md"),
        ("Web team", "journeys/owners/web-team/index.md"),
        ("web-team", "journeys/owners/web-team-2/index.md"),
    ]
    assert [len(group.journeys) for group in owners] == [15, 15, 15]
    tags = groups(site, TAGS)
    assert [group.name for group in tags] == ["all", "group 0", "group 1", "group 2"]
    assert [len(group.journeys) for group in tags] == [JOURNEYS, 20, 20, 20]


def test_a_journey_named_like_a_group_folder_keeps_its_url(tmp_path: Path) -> None:
    (tmp_path / "personas").mkdir()
    (tmp_path / "personas" / "ann.md").write_text(persona("ann", "Ann"), encoding="utf-8")
    steps = [{"name": "Shop", "steps": [{"name": "Buys", "emotion": 3}]}]
    (tmp_path / "owners.md").write_text(
        journey("owners", "Owners", ["ann"], steps, owner="Team"), encoding="utf-8"
    )
    site = Site(load(tmp_path))
    assert index_uri(site, OWNERS) == "journeys/owners-group/index.md"
    uris = {page.uri for page in render_site(site.registry)}
    assert {"journeys/owners/index.md", "journeys/owners-group/team/index.md"} <= uris
    assert index_uri(site, TAGS) not in uris  # no tags, no pages


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr data-[^>]*>\s*<th scope="row"><a href="[^"]*">([^<]*)', html)


def test_a_built_site_has_a_page_per_owner_and_tag(tmp_path: Path) -> None:
    config_file = write_project(tmp_path, many_journeys(), plugin={"nav": "grouped"})
    site = build_site(config_file, strict=True)  # every link the pages make resolves
    registry = load(tmp_path / "journeys")
    journeys = list(registry.journeys.values())
    for folder in ("owners", "tags"):
        assert (site / "journeys" / folder / "index.html").is_file()
    web_team = (site / "journeys" / "owners" / "web-team-2" / "index.html").read_text("utf-8")
    assert "<h1" in web_team and "Journeys owned by web-team" in web_team
    assert _rows(web_team) == [j.title for j in journeys if j.owner == "web-team"]
    every = (site / "journeys" / "tags" / "all" / "index.html").read_text("utf-8")
    assert _rows(every) == [j.title for j in journeys]
    assert "data-search-exclude" in every  # more than 50 rows
    group_1 = (site / "journeys" / "tags" / "group-1" / "index.html").read_text("utf-8")
    assert "data-search-exclude" not in group_1
    overview = (site / "journeys" / "index.html").read_text("utf-8")
    assert len(_rows(overview)) == MAX_ROWS
    assert 'href="owners/"' in overview and 'href="tags/"' in overview
    section = next(
        item["children"] for item in recorded_nav(config_file)["items"] if "section" in item
    )
    grouped = next(child for child in section if child.get("section") == "Owners and tags")
    assert len(grouped["children"]) == 2 + 3 + 4  # two indexes, three owners, four tags


def test_nav_overview_leaves_the_group_pages_to_the_overview_links(tmp_path: Path) -> None:
    config_file = write_project(tmp_path, many_journeys(), plugin={"nav": "overview"})
    build_site(config_file)
    pages = recorded_nav(config_file)["pages"]
    assert not [uri for uri in pages if uri.startswith(("journeys/owners", "journeys/tags"))]
