"""The section "Current → future" of a journey page: stage by stage, then and now."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from golden_pages import load
from sites import journey, persona

from cjm_plugin.pages import Site
from cjm_plugin.pages.comparison import StageComparison, comparison_view
from cjm_plugin.pages.journey import journey_page

MINUS = "\N{MINUS SIGN}"


def stage(name: str, emotions: list[int], pains: list[list[str]], **fields: Any) -> Any:
    steps = [
        {"name": f"{name} {i}", "emotion": emotion, "pain_points": step_pains}
        for i, (emotion, step_pains) in enumerate(zip(emotions, pains, strict=True))
    ]
    return {"name": name, "steps": steps, **fields}


def site(tmp_path: Path, current: list[Any], future: list[Any] | None, **fields: Any) -> Site:
    (tmp_path / "personas").mkdir()
    (tmp_path / "personas" / "ana.md").write_text(persona("ana", "Ana"), encoding="utf-8")
    link = {"compares_to": "later"} if future is not None else {}
    text = journey("today", "Today", ["ana"], current, **link, **fields)
    (tmp_path / "today.md").write_text(text, encoding="utf-8")
    if future is not None:
        text = journey("later", "Later", ["ana"], future, state="future", compares_to="today")
        (tmp_path / "later.md").write_text(text, encoding="utf-8")
    return Site(load(tmp_path))


def stages_of(built: Site, journey_id: str = "today") -> list[StageComparison]:
    view = comparison_view(built, built.registry.journeys[journey_id])
    assert view is not None
    return view.stages


def test_stages_are_matched_by_id_in_the_current_order(tmp_path: Path) -> None:
    current = [
        stage("Find", [2], [[]], id="find"),
        stage("Apply", [1], [[]], id="apply"),
    ]
    future = [
        stage("Apply online", [4], [[]], id="apply"),
        stage("Look around", [5], [[]], id="find"),
    ]
    rows = stages_of(site(tmp_path, current, future))
    assert [(row.name, row.before, row.after, row.change) for row in rows] == [
        ("Find", "2.0", "5.0", "+3.0"),
        ("Apply", "1.0", "4.0", "+3.0"),
    ]


def test_averages_with_one_decimal_and_their_change(tmp_path: Path) -> None:
    current = [stage("Buy", [4, 3, 3], [[], [], []]), stage("Pay", [3, 4], [[], []])]
    future = [stage("Buy", [2, 3], [[], []]), stage("Pay", [3, 4], [[], []])]
    rows = stages_of(site(tmp_path, current, future))
    assert [(row.before, row.after, row.change) for row in rows] == [
        ("3.3", "2.5", f"{MINUS}0.8"),
        ("3.5", "3.5", "0.0"),
    ]


def test_pain_points_gone_remaining_and_new(tmp_path: Path) -> None:
    current = [stage("Buy", [2, 2], [["Form is too long.", "Slow site"], ["No card, PIN"]])]
    future = [stage("Buy", [4], [["form  is too LONG", "No card PIN", "Video slots are few"]])]
    (row,) = stages_of(site(tmp_path, current, future))
    assert row.gone == ["Slow site", "No card, PIN"]
    assert row.remaining == ["Form is too long."]
    assert row.new == ["No card PIN", "Video slots are few"]


def test_a_stage_only_one_state_has(tmp_path: Path) -> None:
    current = [stage("Branch visit", [1], [["Queue"]]), stage("Buy", [3], [[]])]
    future = [stage("Buy", [4], [[]]), stage("Chat", [5], [["Bot loops"]])]
    built = site(tmp_path, current, future)
    rows = stages_of(built)
    assert [(row.name, row.before, row.after, row.change) for row in rows] == [
        ("Branch visit", "1.0", None, None),
        ("Buy", "3.0", "4.0", "+1.0"),
        ("Chat", None, "5.0", None),
    ]
    assert (rows[0].gone, rows[0].new) == (["Queue"], [])
    assert (rows[2].gone, rows[2].new) == ([], ["Bot loops"])
    markdown = journey_page(built, built.registry.journeys["today"]).markdown
    assert "| Branch visit (current only) | 1.0 → — | • Queue | — | — |" in markdown
    assert "| Chat (future only) | — → 5.0 | — | — | • Bot loops |" in markdown


def test_both_pages_show_the_current_state_first(tmp_path: Path) -> None:
    built = site(tmp_path, [stage("Buy", [2], [["Slow"]])], [stage("Buy", [4], [[]])])
    pages = [journey_page(built, built.registry.journeys[j]).markdown for j in ("today", "later")]
    for markdown in pages:
        assert markdown.count("## Current → future") == 1
        assert "| Buy | 2.0 → 4.0 (+2.0) | • Slow | — | — |" in markdown
        section = markdown.index("## Current → future")
        assert markdown.index("## Journey map") < section
    assert "its future state, [Later](../later/index.md)" in pages[0]
    assert "the current state, [Today](../today/index.md)" in pages[1]


def test_metrics_are_referred_to_not_repeated(tmp_path: Path) -> None:
    metrics = [{"name": "NPS", "before": 10, "after": 30}]
    built = site(tmp_path, [stage("Buy", [2], [[]])], [stage("Buy", [4], [[]])], metrics=metrics)
    markdown = journey_page(built, built.registry.journeys["today"]).markdown
    section = markdown[markdown.index("## Current → future") : markdown.index("## Metrics")]
    assert "Metrics before → after are in the Metrics section below." in section
    assert "NPS" not in section


def test_hostile_text_is_escaped(tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script> | *x* [a](javascript:b)"
    current = [stage(hostile, [2], [[hostile]], id="s")]
    future = [stage("Fine", [3], [[f"{hostile} new"]], id="s")]
    built = site(tmp_path, current, future)
    markdown = journey_page(built, built.registry.journeys["today"]).markdown
    section = markdown[markdown.index("## Current → future") :]
    (row,) = [line for line in section.splitlines() if "2.0 → 3.0" in line]
    assert "<script>" not in row
    assert "](javascript:" not in row
    assert row.count(" | ") == 4  # no cell broken by a pipe in the text
    assert row.startswith("| &lt;script&gt;alert(1)&lt;/script&gt; \\| \\*x\\*")


def test_no_section_without_compares_to(tmp_path: Path) -> None:
    built = site(tmp_path, [stage("Buy", [2], [["Slow"]])], None)
    assert comparison_view(built, built.registry.journeys["today"]) is None
    markdown = journey_page(built, built.registry.journeys["today"]).markdown
    assert "Current → future" not in markdown
