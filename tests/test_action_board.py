"""The action board: every action of every journey by status, overdue ones first and flagged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from html_blocks import Block, Cell, read, section
from sites import build_site, journey, persona, realistic_journeys, recorded_nav, write_project

from cjm_plugin.build_date import build_date
from cjm_plugin.load import load_folder
from cjm_plugin.page_sources import Maps, PageSource
from cjm_plugin.pages import Page, Site, UrlLayout, render_site
from cjm_plugin.pages.actions import action_board_view
from cjm_plugin.registry import Registry

#: 2026-11-01T00:00:00Z
NOV_1 = "1793491200"
STAGES = [{"name": "Start", "steps": [{"name": "Looks", "emotion": 3}]}]


def maps(**journey_actions: list[dict[str, Any]]) -> dict[str, str]:
    files = {"personas/ann.md": persona("ann", "Ann")}
    for journey_id, actions in journey_actions.items():
        title = journey_id.replace("-", " ").capitalize()
        files[f"journeys/{journey_id}.md"] = journey(
            journey_id, title, ["ann"], STAGES, actions=actions
        )
    return files


def write(folder: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text, encoding="utf-8")


def registry_of(tmp_path: Path, files: dict[str, str]) -> Registry:
    write(tmp_path, files)
    result = load_folder(tmp_path)
    assert result.registry is not None, [str(d) for d in result.diagnostics]
    return result.registry


def board(registry: Registry) -> Page:
    (page,) = [page for page in render_site(registry) if page.kind == "actions"]
    return page


def rows(page: Page, heading: str) -> list[tuple[Cell, ...]]:
    """The rows of the table under the heading ``heading``, header first."""
    (found,) = [b for b in section(read(page.markdown).blocks, heading) if b.kind == "table"]
    return list(found.rows)


def texts(cells: list[tuple[Cell, ...]]) -> list[list[str]]:
    return [[cell.text for cell in row] for row in cells]


def overdue_flags(page: Page) -> list[str]:
    """Every strong text in the page's tables."""
    blocks = read(page.markdown).blocks
    return [s for b in blocks for row in b.rows for cell in row for s in cell.strong]


ACTIONS = maps(
    **{
        "alpha": [
            {"title": "Later", "due": "2026-12-01"},
            {"title": "Undated"},
            {"title": "Late a day", "due": "2026-10-31"},
            {"title": "Finished late", "due": "2026-01-01", "status": "done"},
        ],
        "beta": [
            {"title": "Very late", "owner": "ops", "due": "2026-09-01", "status": "in-progress"},
            {"title": "Late a month", "due": "2026-10-01"},
            {"title": "Sooner", "due": "2026-11-15"},
            {"title": "Due today", "due": "2026-11-01", "status": "in-progress"},
        ],
    }
)


# --- the build date ----------------------------------------------------------


def test_the_build_date_is_the_utc_date_of_source_date_epoch() -> None:
    assert build_date({"SOURCE_DATE_EPOCH": NOV_1}) == dt.date(2026, 11, 1)
    assert build_date({"SOURCE_DATE_EPOCH": str(int(NOV_1) - 1)}) == dt.date(2026, 10, 31)


@pytest.mark.parametrize("value", ["", "-5", "1.5", "soon", " 12", "٣", "9" * 40])
def test_an_unset_or_invalid_source_date_epoch_gives_today(value: str) -> None:
    today = dt.datetime.now(dt.timezone.utc).date()
    assert build_date({"SOURCE_DATE_EPOCH": value}) in {today, today + dt.timedelta(days=1)}
    assert build_date({}) in {today, today + dt.timedelta(days=1)}


# --- grouping, order and overdue ----------------------------------------------


def test_actions_are_grouped_by_status_and_overdue_ones_come_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOV_1)
    view = action_board_view(Site(registry_of(tmp_path, ACTIONS)), build_date())
    titles = {status: [(r.title, r.overdue_days) for r in rows] for status, rows in view.groups}
    assert titles == {
        "planned": [
            ("Late a month", 31),
            ("Late a day", 1),
            ("Sooner", 0),
            ("Later", 0),
            ("Undated", 0),
        ],
        "in-progress": [("Very late", 61), ("Due today", 0)],
        "done": [("Finished late", 0)],
    }


def test_the_page_flags_overdue_actions_in_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOV_1)
    page = board(registry_of(tmp_path, ACTIONS))
    assert (page.uri, page.title, page.source) == (
        "journeys/actions/index.md",
        "Action board",
        None,
    )
    assert "as of 2026-11-01" in page.markdown
    planned = rows(page, "Planned")
    assert texts(planned[:3]) == [
        ["Action", "Owner", "Due", "Journey"],
        ["Late a month", "—", "2026-10-01\n⚠ Overdue by 31 days", "Beta"],
        ["Late a day", "—", "2026-10-31\n⚠ Overdue by 1 day", "Alpha"],
    ]
    assert [row[2].strong for row in planned[1:3]] == [("⚠ Overdue",)] * 2
    assert texts(planned[-1:]) == [["Undated", "—", "—", "Alpha"]]
    alpha, beta = ("Alpha", "../alpha/"), ("Beta", "../beta/")
    assert [row[3].links for row in planned[1:]] == [(beta,), (alpha,), (beta,), (alpha,), (alpha,)]
    in_progress = rows(page, "In progress")
    assert in_progress[1][:3] == (
        Cell("Very late"),
        Cell("ops"),
        Cell("2026-09-01\n⚠ Overdue by 61 days", strong=("⚠ Overdue",)),
    )
    done = rows(page, "Done")
    assert texts(done[1:]) == [["Finished late", "—", "2026-01-01", "Alpha"]]
    assert done[1][3].links == (alpha,)
    assert overdue_flags(page) == ["⚠ Overdue"] * 3


def test_nothing_is_overdue_before_its_due_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # 1970-01-01
    page = board(registry_of(tmp_path, ACTIONS))
    assert overdue_flags(page) == []
    due = [
        row[2].text for status in ("Planned", "In progress", "Done") for row in rows(page, status)
    ]
    assert due[0] == "Due" and not [text for text in due if "Overdue" in text]
    assert "as of 1970-01-01" in page.markdown


def test_without_actions_every_group_says_so(tmp_path: Path) -> None:
    page = board(registry_of(tmp_path, maps(alpha=[])))
    blocks = read(page.markdown).blocks
    assert [section(blocks, title) for title in ("Planned", "In progress", "Done")] == [
        [Block("p", "No actions.")]
    ] * 3


def test_hostile_titles_and_owners_stay_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOV_1)
    hostile = [
        {"title": "<script>alert(1)</script> | [x](javascript:alert(1))", "owner": "*ops* | <b>"},
    ]
    page = board(registry_of(tmp_path, maps(alpha=hostile)))
    (row,) = rows(page, "Planned")[1:]
    # Four cells, each text as written: no "|" splits a cell, no markup is made.
    assert [cell.text for cell in row] == [hostile[0]["title"], hostile[0]["owner"], "—", "Alpha"]
    assert [cell.links for cell in row] == [(), (), (), (("Alpha", "../alpha/"),)]
    tags = read(page.markdown).tags
    assert not [tag for tag, _ in tags if tag in {"script", "b", "em"}]
    assert not [a for tag, a in tags if tag == "a" and "javascript" in (a.get("href") or "")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | [x](javascript:alert(1))" in page.markdown
    assert "*ops* | &lt;b&gt;" in page.markdown


# --- where it goes ------------------------------------------------------------


def test_a_journey_called_actions_keeps_its_url_and_the_board_moves_aside(
    tmp_path: Path,
) -> None:
    registry = registry_of(tmp_path, maps(actions=[{"title": "A"}], **{"actions-board": []}))
    pages = {page.uri: page for page in render_site(registry)}
    assert pages["journeys/actions/index.md"].kind == "journey"
    assert pages["journeys/actions-board/index.md"].kind == "journey"
    assert pages["journeys/actions-board-board/index.md"].kind == "actions"
    overview = read(pages["journeys/index.md"].markdown).blocks
    links = [link for block in overview for link in block.links if link[0] == "Action board"]
    assert links == [("Action board", "actions-board-board/")]


def test_it_follows_the_journeys_url(tmp_path: Path) -> None:
    registry = registry_of(tmp_path, maps(alpha=[{"title": "A"}]))
    pages = {page.uri: page for page in render_site(registry, UrlLayout(journeys="maps"))}
    overview = read(pages["maps/index.md"].markdown).blocks
    links = [link for block in overview for link in block.links if link[0] == "Action board"]
    assert links == [("Action board", "actions/")]
    assert "journeys/actions/index.md" not in pages
    (row,) = rows(pages["maps/actions/index.md"], "Planned")[1:]
    assert row[3].links == (("Alpha", "../alpha/"),)


def test_serve_rebuilds_it_when_an_action_or_the_date_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``mkdocs serve --dirty`` rebuilds a page only when its HTML changed
    (``PageSource.changed``): the board's when the date moves or an action is edited."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOV_1)
    write(tmp_path, ACTIONS)
    source, maps_now = PageSource(serving=True), Maps(tmp_path, UrlLayout(), history=False)
    first = {page.uri: page for page in source.render(maps_now)}
    assert source.changed == set(first)  # all new
    source.render(maps_now)
    assert source.changed == set()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(NOV_1) + 86400))
    pages = {page.uri: page for page in source.render(maps_now)}
    # The board and the overview's maps due for review say "as of" the build date.
    assert source.changed == {"journeys/actions/index.md", "journeys/index.md"}
    assert "as of 2026-11-02" in pages["journeys/actions/index.md"].markdown
    assert pages["journeys/alpha/index.md"] == first["journeys/alpha/index.md"]
    write(tmp_path, {"journeys/alpha.md": maps(alpha=[{"title": "New"}])["journeys/alpha.md"]})
    pages = {page.uri: page for page in source.render(maps_now)}
    assert source.changed == {"journeys/alpha/index.md", "journeys/actions/index.md"}
    planned = [row[0].text for row in rows(pages["journeys/actions/index.md"], "Planned")[1:]]
    assert planned == ["Late a month", "Sooner", "New"]  # undated last


def test_a_real_build_has_the_board_linked_from_the_overview_and_in_the_nav(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOV_1)
    config_file = write_project(tmp_path, realistic_journeys())
    site = build_site(config_file, strict=True)
    html = (site / "journeys" / "actions" / "index.html").read_text(encoding="utf-8")
    assert "Accept phone photos" in html
    assert "⚠ Overdue</strong> by 245 days" in html
    assert 'href="../account-opening/"' in html
    overview = (site / "journeys" / "index.html").read_text(encoding="utf-8")
    assert 'href="actions/">Action board</a>' in overview
    section_items = next(
        item["children"] for item in recorded_nav(config_file)["items"] if "section" in item
    )
    uris = [child["page"] for child in section_items if "page" in child]
    assert uris[:2] == ["journeys/index.md", "journeys/actions/index.md"]
