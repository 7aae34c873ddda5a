"""The action board: every action of every journey by status, overdue ones first and flagged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sites import build_site, journey, persona, realistic_journeys, recorded_nav, write_project

from cjm_plugin.build_date import build_date
from cjm_plugin.load import load_folder
from cjm_plugin.pages import Page, PageCache, Site, UrlLayout, plan_site, render_site
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


def registry_of(tmp_path: Path, files: dict[str, str]) -> Registry:
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    result = load_folder(tmp_path)
    assert result.registry is not None, [str(d) for d in result.diagnostics]
    return result.registry


def board(registry: Registry) -> Page:
    (page,) = [page for page in render_site(registry) if page.kind == "actions"]
    return page


def section(markdown: str, heading: str) -> list[str]:
    start = markdown.index(f"\n## {heading}\n")
    end = markdown.find("\n## ", start + 1)
    lines = markdown[start : end if end != -1 else None].splitlines()
    return [line for line in lines if line and not line.startswith("## ")]


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
    planned = section(page.markdown, "Planned")
    assert planned[:4] == [
        "| Action | Owner | Due | Journey |",
        "| --- | --- | --- | --- |",
        "| Late a month | — | 2026-10-01<br>**⚠ Overdue** by 31 days | [Beta](../beta/index.md) |",
        "| Late a day | — | 2026-10-31<br>**⚠ Overdue** by 1 day | [Alpha](../alpha/index.md) |",
    ]
    assert planned[-1] == "| Undated | — | — | [Alpha](../alpha/index.md) |"
    assert section(page.markdown, "In progress")[2].startswith("| Very late | ops | 2026-09-01<br>")
    done = section(page.markdown, "Done")
    assert done[2:] == ["| Finished late | — | 2026-01-01 | [Alpha](../alpha/index.md) |"]
    assert page.markdown.count("Overdue**") == 3


def test_nothing_is_overdue_before_its_due_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # 1970-01-01
    page = board(registry_of(tmp_path, ACTIONS))
    assert "Overdue**" not in page.markdown
    assert "as of 1970-01-01" in page.markdown


def test_without_actions_every_group_says_so(tmp_path: Path) -> None:
    page = board(registry_of(tmp_path, maps(alpha=[])))
    assert [section(page.markdown, title) for title in ("Planned", "In progress", "Done")] == [
        ["No actions."]
    ] * 3


def test_hostile_titles_and_owners_stay_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOV_1)
    hostile = [
        {"title": "<script>alert(1)</script> | [x](javascript:alert(1))", "owner": "*ops* | <b>"},
    ]
    page = board(registry_of(tmp_path, maps(alpha=hostile)))
    (row,) = section(page.markdown, "Planned")[2:]
    assert "<script>" not in row and "<b>" not in row and "](javascript" not in row
    assert row.count(" | ") == 3  # the pipes in the text are escaped: still four cells
    assert "&lt;script&gt;" in row and "\\*ops\\*" in row


# --- where it goes ------------------------------------------------------------


def test_a_journey_called_actions_keeps_its_url_and_the_board_moves_aside(
    tmp_path: Path,
) -> None:
    registry = registry_of(tmp_path, maps(actions=[{"title": "A"}], **{"actions-board": []}))
    pages = {page.uri: page for page in render_site(registry)}
    assert pages["journeys/actions/index.md"].kind == "journey"
    assert pages["journeys/actions-board/index.md"].kind == "journey"
    assert pages["journeys/actions-board-board/index.md"].kind == "actions"
    assert "[Action board](actions-board-board/index.md)" in pages["journeys/index.md"].markdown


def test_it_follows_the_journeys_url(tmp_path: Path) -> None:
    registry = registry_of(tmp_path, maps(alpha=[{"title": "A"}]))
    pages = {page.uri: page for page in render_site(registry, UrlLayout(journeys="maps"))}
    assert "[Action board](actions/index.md)" in pages["maps/index.md"].markdown
    assert "[Alpha](../alpha/index.md)" in pages["maps/actions/index.md"].markdown


def test_the_serve_cache_renders_it_again_when_an_action_or_the_date_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOV_1)
    registry = registry_of(tmp_path, ACTIONS)
    (planned,) = [page for page in plan_site(registry) if page.kind == "actions"]
    assert dt.date(2026, 11, 1) in planned.shows()
    cache = PageCache()
    cache.render(registry, UrlLayout())
    rendered = cache.rendered
    cache.render(registry, UrlLayout())
    assert cache.rendered == rendered
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(NOV_1) + 86400))
    pages = {page.uri: page for page in cache.render(registry, UrlLayout())}
    assert cache.rendered == rendered + 1
    assert "as of 2026-11-02" in pages["journeys/actions/index.md"].markdown
    changed = registry_of(tmp_path / "changed", maps(alpha=[{"title": "New"}]))
    pages = {page.uri: page for page in cache.render(changed, UrlLayout())}
    assert "| New |" in pages["journeys/actions/index.md"].markdown


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
