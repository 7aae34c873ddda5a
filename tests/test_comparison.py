"""The section "Current → future" of a journey page: stage by stage, then and now."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from golden_pages import load
from sites import journey, persona

from cjm_plugin.pages import Page, Site, render
from cjm_plugin.pages.comparison import StageComparison, comparison_view
from cjm_plugin.pages.journey import journey_page as journey_page_view


def journey_page(*args: Any) -> Page:
    """The page itself: the page kinds give its view, which the site renders."""
    return render(journey_page_view(*args))


MINUS = "\N{MINUS SIGN}"


class _Html(HTMLParser):
    """The text of each table cell by row (a ``<br>`` as a line break) and the links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.links: list[tuple[str, str]] = []
        self.tags: set[str] = set()
        self._cell: list[str] | None = None
        self._link: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")
        elif tag == "a":
            self._link = (dict(attrs).get("href") or "", [])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None
        elif tag == "a" and self._link is not None:
            self.links.append(("".join(self._link[1]), self._link[0]))
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._link is not None:
            self._link[1].append(data)


def parsed(html: str) -> _Html:
    parser = _Html()
    parser.feed(html)
    parser.close()
    return parser


def section(page_html: str, heading: str) -> str:
    """The HTML under one ``<h2>``, up to the next one."""
    found = re.search(rf'<h2 id="[^"]*">{re.escape(heading)}</h2>', page_html)
    assert found is not None, heading
    end = page_html.find("<h2", found.end())
    return page_html[found.start() : end if end != -1 else None]


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
    html = "".join(journey_page(built, built.registry.journeys["today"]).html)
    table = parsed(section(html, "Current → future")).rows
    assert ["Branch visit (current only)", "1.0 → —", "• Queue", "—", "—"] in table
    assert ["Chat (future only)", "— → 5.0", "—", "—", "• Bot loops"] in table


def test_both_pages_show_the_current_state_first(tmp_path: Path) -> None:
    built = site(tmp_path, [stage("Buy", [2], [["Slow"]])], [stage("Buy", [4], [[]])])
    pages = [
        "".join(journey_page(built, built.registry.journeys[j]).html) for j in ("today", "later")
    ]
    for html in pages:
        assert html.count(">Current → future</h2>") == 1
        assert ["Buy", "2.0 → 4.0 (+2.0)", "• Slow", "—", "—"] in parsed(
            section(html, "Current → future")
        ).rows
        assert html.index(">Journey map</h2>") < html.index(">Current → future</h2>")
    today, later = (section(html, "Current → future") for html in pages)
    assert 'its future state, <a href="../later/">Later</a>' in today
    assert parsed(today).links == [("Later", "../later/")]
    assert 'the current state, <a href="../today/">Today</a>' in later
    assert parsed(later).links == [("Today", "../today/")]


def test_metrics_are_referred_to_not_repeated(tmp_path: Path) -> None:
    metrics = [{"name": "NPS", "before": 10, "after": 30}]
    built = site(tmp_path, [stage("Buy", [2], [[]])], [stage("Buy", [4], [[]])], metrics=metrics)
    html = "".join(journey_page(built, built.registry.journeys["today"]).html)
    comparison = section(html, "Current → future")
    assert html.index(comparison) + len(comparison) == html.index('<h2 id="metrics">Metrics</h2>')
    assert "Metrics before → after are in the Metrics section below." in comparison
    assert "NPS" not in comparison
    assert ["NPS", "10", "30", "+20"] in parsed(section(html, "Metrics")).rows


def test_hostile_text_is_escaped(tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script> | *x* [a](javascript:b)"
    current = [stage(hostile, [2], [[hostile]], id="s")]
    future = [stage("Fine", [3], [[f"{hostile} new"]], id="s")]
    built = site(tmp_path, current, future)
    html = section(
        "".join(journey_page(built, built.registry.journeys["today"]).html), "Current → future"
    )
    assert "<script" not in html
    table = parsed(html)
    assert table.tags.isdisjoint({"script", "em", "strong"})
    assert table.links == [("Later", "../later/")], "brackets are text, not a link"
    (row,) = [row for row in table.rows if "2.0 → 3.0 (+1.0)" in row]
    # Five cells, each the text as written: no cell broken by a pipe in the text.
    assert row == [hostile, "2.0 → 3.0 (+1.0)", f"• {hostile}", "—", f"• {hostile} new"]
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; | *x* [a](javascript:b)"
    assert f"<tr><td>{escaped}</td><td>2.0 → 3.0 (+1.0)</td><td>• {escaped}</td>" in html


def test_no_section_without_compares_to(tmp_path: Path) -> None:
    built = site(tmp_path, [stage("Buy", [2], [["Slow"]])], None)
    assert comparison_view(built, built.registry.journeys["today"]) is None
    page = journey_page(built, built.registry.journeys["today"])
    assert "Current → future" not in page.markdown
