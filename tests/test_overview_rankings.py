"""The overview's rankings: pain points (today and in the future state apart) and opportunities."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from golden_pages import load
from sites import journey, persona

from cjm_plugin.pages import Link, Site
from cjm_plugin.pages.overview import (
    RankedText,
    overview_page,
    overview_view,
    same_text_key,
)


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
    page = overview_page(Site(load(tmp_path))).markdown
    assert "| Form is too long. | 🙁 2/5 negative | 3 | 2 | [A-First › Buy › 1. Fills in]" in page


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
    page = overview_page(Site(load(tmp_path))).markdown
    today = page[page.index("### Today") : page.index("### In the future state")]
    future = page[page.index("### In the future state") : page.index("## Opportunities")]
    assert "| Slow | 🙁 2/5 negative | 1 | 1 |" in today
    assert "slow." not in today and "Few slots" not in today
    assert "| slow. | 🙂 4/5 positive | 1 | 1 |" in future
    assert "Queue" not in future


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
    page = overview_page(Site(load(tmp_path))).markdown
    opportunities = page[page.index("## Opportunities") :]
    assert "| Opportunity | Lowest emotion | Steps | Journeys | Where |" in opportunities
    assert opportunities.index("| Online booking |") < opportunities.index("| Show Prices |")
    assert "[Later › Buy › 1. Books](../journeys/later/index.md#buy--books)" not in page
    assert "[Later › Buy › 1. Books](later/index.md#buy--books)" in opportunities


def test_hostile_pain_points_and_opportunities_stay_text(tmp_path: Path) -> None:
    hostile = "<script>x</script> | [a](javascript:b) *c*"
    page = overview_page(
        site(
            tmp_path,
            ("today", "current", [step("Queues", 2, [hostile], (hostile + "!",))]),
            ("later", "future", [step("Taps", 4, [hostile + "."])]),
        )
    ).markdown
    assert "<script>" not in page
    assert "](javascript:" not in page
    escaped = page.count("&lt;script&gt;x&lt;/script&gt; \\| &#91;a&#93;(javascript:b) \\*c\\*")
    assert escaped == 3, page
