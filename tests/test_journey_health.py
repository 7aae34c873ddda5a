"""The overview's journeys table: each journey's health, as the export's figures give it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from golden_pages import load
from sites import journey, persona

from cjm_plugin.export import journey_figures
from cjm_plugin.pages import Page, Site, render
from cjm_plugin.pages.overview import overview_page as overview_page_view
from cjm_plugin.pages.overview import overview_view


def overview_page(*args: Any) -> Page:
    """The page itself: the page kinds give its view, which the site renders."""
    return render(overview_page_view(*args))


def step(emotion: int, pains: int = 0, moment: bool = False) -> Any:
    return {
        "name": f"Step {emotion}",
        "emotion": emotion,
        "pain_points": [f"Pain {n}" for n in range(pains)],
        "moment_of_truth": moment,
    }


def site(tmp_path: Path, steps: list[Any]) -> Site:
    (tmp_path / "personas").mkdir()
    (tmp_path / "personas" / "ana.md").write_text(persona("ana", "Ana"), encoding="utf-8")
    text = journey("buy", "Buy", ["ana"], [{"name": "Buy", "steps": steps}])
    (tmp_path / "buy.md").write_text(text, encoding="utf-8")
    return Site(load(tmp_path))


def test_health_columns_count_shares_moments_and_pain_points(tmp_path: Path) -> None:
    steps = [
        step(5, moment=True),
        step(4),
        step(1, pains=2, moment=True),
        step(2, 1),
        step(3),
        step(3),
    ]
    (row,) = overview_view(site(tmp_path, steps)).journeys
    assert (row.share_positive, row.share_negative) == (33, 33)  # 2 of 6, whole percent
    assert (row.moments_of_truth, row.moments_average) == (2, 3.0)
    assert row.pain_points == 3
    assert row.lowest_emotion == 1


def test_health_agrees_with_the_export(tmp_path: Path) -> None:
    built = site(tmp_path, [step(4), step(4), step(2, 1)])
    (row,) = overview_view(built).journeys
    buy = built.registry.journeys["buy"]
    figures = journey_figures(buy, built.registry.steps("buy"))
    assert row.share_positive == round(figures["share_positive"] * 100) == 67
    assert row.pain_points == figures["pain_points"]


def test_no_moment_of_truth_shows_a_dash_and_sorts_empty(tmp_path: Path) -> None:
    built = site(tmp_path, [step(3)])
    (row,) = overview_view(built).journeys
    assert (row.moments_of_truth, row.moments_average) == (0, None)
    markdown = overview_page(built).markdown
    assert '<td data-sort="">—</td>' in markdown
    assert '<div class="cjm-sortable cjm-filterable"' in markdown
    assert '<th scope="col">Average emotion</th>' in markdown
