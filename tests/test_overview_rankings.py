"""The overview's rankings: pain points (today and in the future state apart) and opportunities."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from golden_pages import load
from html_blocks import PageReader, read, section, table
from sites import journey, persona

from cjm_plugin.figures import same_text_key
from cjm_plugin.pages import Link, Page, Site, render
from cjm_plugin.pages.overview import RankedText, overview_view
from cjm_plugin.pages.overview import overview_page as overview_page_view


def overview_page(*args: Any) -> Page:
    """The page itself: the page kinds give its view, which the site renders."""
    return render(overview_page_view(*args))


def step(name: str, emotion: int, pains: list[str], opportunities: tuple[str, ...] = ()) -> Any:
    return {
        "name": name,
        "emotion": emotion,
        "pain_points": pains,
        "opportunities": list(opportunities),
    }


def site(tmp_path: Path, *journeys: tuple[str, str, list[Any]]) -> Site:
    """Journeys as (id, state, steps), each with one stage and one persona."""
    (tmp_path / "personas").mkdir()
    (tmp_path / "personas" / "ana.md").write_text(persona("ana", "Ana"), encoding="utf-8")
    for journey_id, state, steps in journeys:
        text = journey(
            journey_id,
            journey_id.title(),
            ["ana"],
            [{"name": "Buy", "steps": steps}],
            state=state,
        )
        (tmp_path / f"{journey_id}.md").write_text(text, encoding="utf-8")
    return Site(load(tmp_path))


def overview_blocks(site: Site) -> PageReader:
    return read(overview_page(site).markdown)


def rows(ranked: Iterable[RankedText]) -> list[tuple[str, int, int, int]]:
    return [(row.text, row.lowest_emotion, row.steps, row.journeys) for row in ranked]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Form is too long.", "form  is too long"),
        ("Form is too long", "FORM IS TOO LONG!"),
        ("Form is too long?", "form is too long ;: "),
        (" Form\tis too long", "Form is too long..."),
        ("Straße", "STRASSE"),
    ],
)
def test_case_spacing_and_final_punctuation_make_no_new_pain_point(first: str, second: str) -> None:
    assert same_text_key(first) == same_text_key(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Card, PIN late", "Card PIN late"),
        ("Form: too long", "Form too long"),
        ("Slow.", "Slow,"),
        ("Slow", "Slower"),
    ],
)
def test_inner_and_other_punctuation_keep_texts_apart(first: str, second: str) -> None:
    assert same_text_key(first) != same_text_key(second)


def test_text_of_punctuation_alone_is_not_lost() -> None:
    assert same_text_key("?!") == "?!"
    assert same_text_key("?!") != same_text_key("...")


def test_one_row_counts_every_step_and_journey_in_the_first_spelling(tmp_path: Path) -> None:
    view = overview_view(
        site(
            tmp_path,
            (
                "b-second",
                "current",
                [step("Waits", 2, ["form  is too long"]), step("Pays", 4, ["Form is too long!"])],
            ),
            (
                "a-first",
                "current",
                [
                    # The same pain point twice on one step counts that step once.
                    step("Fills in", 3, ["Form is too long.", "FORM IS TOO LONG"]),
                    step("Leaves", 1, ["Lost, again"]),
                ],
            ),
        )
    )
    assert rows(view.pain_points) == [
        ("Lost, again", 1, 1, 1),
        ("Form is too long.", 2, 3, 2),
    ]
    where = view.pain_points[1].where
    assert where == [
        Link("A-First › Buy › 1. Fills in", "journeys/a-first/index.md", "buy--fills-in"),
        Link("B-Second › Buy › 1. Waits", "journeys/b-second/index.md", "buy--waits"),
        Link("B-Second › Buy › 2. Pays", "journeys/b-second/index.md", "buy--pays"),
    ]
    page = overview_blocks(Site(load(tmp_path))).blocks
    (found,) = [b for b in section(page, "Today") if b.kind == "table"]
    _header, lost, form = found.rows
    assert [cell.text for cell in form[:4]] == ["Form is too long.", "🙁 2/5 negative", "3", "2"]
    assert form[4].links == (
        ("A-First › Buy › 1. Fills in", "a-first/#buy--fills-in"),
        ("B-Second › Buy › 1. Waits", "b-second/#buy--waits"),
        ("B-Second › Buy › 2. Pays", "b-second/#buy--pays"),
    )
    assert lost[0].text == "Lost, again"


def test_most_frequent_first_at_the_same_emotion_then_by_text(tmp_path: Path) -> None:
    view = overview_view(
        site(
            tmp_path,
            ("one", "current", [step("A", 2, ["rare", "Common"]), step("B", 2, ["common"])]),
            ("two", "current", [step("C", 2, ["Also rare"])]),
        )
    )
    assert [row.text for row in view.pain_points] == ["Common", "Also rare", "rare"]


def test_today_and_the_future_state_are_ranked_apart(tmp_path: Path) -> None:
    view = overview_view(
        site(
            tmp_path,
            ("today", "current", [step("Queues", 2, ["Slow", "Queue"])]),
            ("later", "future", [step("Taps", 4, ["slow."]), step("Waits", 5, ["Few slots"])]),
        )
    )
    assert rows(view.pain_points) == [("Queue", 2, 1, 1), ("Slow", 2, 1, 1)]
    assert rows(view.future_pain_points) == [("slow.", 4, 1, 1), ("Few slots", 5, 1, 1)]
    page = overview_blocks(Site(load(tmp_path))).blocks
    today = table(section(page, "Today"))
    future = table(section(page, "In the future state"))
    assert [row[:4] for row in today[1:]] == [
        ["Queue", "🙁 2/5 negative", "1", "1"],
        ["Slow", "🙁 2/5 negative", "1", "1"],
    ]
    assert [row[:4] for row in future[1:]] == [
        ["slow.", "🙂 4/5 positive", "1", "1"],
        ["Few slots", "😄 5/5 very positive", "1", "1"],
    ]


def test_a_state_without_pain_points_says_so(tmp_path: Path) -> None:
    page = overview_page(
        site(tmp_path, ("today", "current", [step("Queues", 2, [], ("Faster",))]))
    ).markdown
    assert "No pain points in current-state journeys yet." in page
    assert "No pain points in future-state journeys yet." in page
    assert "No opportunities recorded yet." not in page


def test_opportunities_rank_where_steps_feel_worst_then_by_count(tmp_path: Path) -> None:
    view = overview_view(
        site(
            tmp_path,
            (
                "today",
                "current",
                [
                    step("Browses", 4, [], ("Show prices", "Faster pages")),
                    step("Queues", 1, [], ("Online booking",)),
                    step(
                        "Pays",
                        3,
                        [],
                        (
                            "show prices!",
                            "Card on file",
                        ),
                    ),
                ],
            ),
            (
                "later",
                "future",
                [
                    step(
                        "Books",
                        3,
                        [],
                        (
                            "Show Prices",
                            "Reminders",
                        ),
                    )
                ],
            ),
        )
    )
    assert rows(view.opportunities) == [
        ("Online booking", 1, 1, 1),
        ("Show Prices", 3, 3, 2),  # first written in "later", the first journey id
        ("Card on file", 3, 1, 1),
        ("Reminders", 3, 1, 1),
        ("Faster pages", 4, 1, 1),
    ]
    assert [link.target for link in view.opportunities[1].where] == [
        "journeys/later/index.md",
        "journeys/today/index.md",
        "journeys/today/index.md",
    ]
    page = overview_blocks(Site(load(tmp_path))).blocks
    (opportunities,) = [b for b in section(page, "Opportunities") if b.kind == "table"]
    header, *ranked = opportunities.rows
    assert [cell.text for cell in header] == [
        "Opportunity",
        "Lowest emotion",
        "Steps",
        "Journeys",
        "Where",
    ]
    assert [row[0].text for row in ranked] == [
        "Online booking",
        "Show Prices",
        "Card on file",
        "Reminders",
        "Faster pages",
    ]
    # Links from the overview (journeys/index.md) to the steps, as final relative URLs.
    assert ranked[1][4].links == (
        ("Later › Buy › 1. Books", "later/#buy--books"),
        ("Today › Buy › 1. Browses", "today/#buy--browses"),
        ("Today › Buy › 3. Pays", "today/#buy--pays"),
    )


def test_hostile_pain_points_and_opportunities_stay_text(tmp_path: Path) -> None:
    hostile = "<script>x</script> | [a](javascript:b) *c*"
    markdown = overview_page(
        site(
            tmp_path,
            ("today", "current", [step("Queues", 2, [hostile], (hostile + "!",))]),
            ("later", "future", [step("Taps", 4, [hostile + "."])]),
        )
    ).markdown
    page = read(markdown)
    assert [tag for tag, _ in page.tags if tag in {"script", "em"}] == []
    hrefs = [attrs.get("href") or "" for tag, attrs in page.tags if tag == "a"]
    assert hrefs and not [href for href in hrefs if "javascript" in href]
    # Each shows as written, in the first cell of its row: one cell, not split at "|".
    first_cells = {
        heading: [row[0] for row in table(section(page.blocks, heading))[1:]]
        for heading in ("Today", "In the future state", "Opportunities")
    }
    assert first_cells == {
        "Today": [hostile],
        "In the future state": [hostile + "."],
        "Opportunities": [hostile + "!"],
    }
    assert markdown.count("&lt;script&gt;x&lt;/script&gt; | [a](javascript:b) *c*") == 3, markdown
