"""The figures pages show: a persona's own steps, and metrics across a journey's two states."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from golden_pages import load
from maps import make_folder
from sites import journey, persona, touchpoint

from cjm_plugin.model import Journey
from cjm_plugin.pages import Heading, Site, UrlLayout, render_page, render_site
from cjm_plugin.pages.metrics import MetricRow, change_between, metric_key, metric_rows
from cjm_plugin.pages.persona import PersonaJourney, persona_view

EXAMPLES = Path(__file__).parent.parent / "journeys"


class _Html(HTMLParser):
    """The text of each table cell by row, the links, and the text outside tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.links: list[tuple[str, str]] = []
        self.text: list[str] = []
        self._cell: list[str] | None = None
        self._link: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
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
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._link is not None:
            self._link[1].append(data)


def parsed(html: str) -> _Html:
    parser = _Html()
    parser.feed(html)
    parser.close()
    return parser


# --- a persona's own steps ---------------------------------------------------------


def _lowest(row: PersonaJourney) -> str:
    assert row.lowest is not None
    return row.lowest.text


def test_example_maps_count_only_the_personas_own_steps() -> None:
    """Step 7 (emotion 1) is Daniel's alone: Maya's lowest is step 10, her average leaves it out."""
    registry = load(EXAMPLES)
    site = Site(registry)
    maya = {
        row.link.text: row for row in persona_view(site, registry.personas["maya-chen"]).journeys
    }
    daniel = {
        row.link.text: row for row in persona_view(site, registry.personas["daniel-osei"]).journeys
    }
    today = "Opening a current account today"
    assert _lowest(maya[today]) == "10. Waits five working days for card and PIN letters"
    assert maya[today].lowest_emotion == 1
    assert maya[today].steps == 9  # not 7, 8 and 12, which only Daniel takes
    assert maya[today].average_emotion == pytest.approx((4 + 3 + 3 + 2 + 3 + 3 + 3 + 1 + 3) / 9)
    assert _lowest(daniel[today]) == "7. Address check fails for a newcomer"
    assert daniel[today].steps == 11  # not step 1, which only Maya takes
    assert daniel[today].average_emotion == pytest.approx(
        (3 + 3 + 2 + 3 + 3 + 1 + 2 + 3 + 1 + 3 + 4) / 11
    )
    # The journey-wide figures are neither persona's.
    assert registry.journeys["account-opening"].average_emotion == pytest.approx(32 / 12)

    future = "Opening a current account in 2027"
    assert maya[future].average_emotion == pytest.approx((4 + 4 + 4 + 4 + 4 + 5 + 4 + 4) / 8)
    assert _lowest(daniel[future]) == "2. Checks the document checklist on the product page"


def test_example_maps_persona_touchpoints_are_met_on_own_steps() -> None:
    registry = load(EXAMPLES)
    maya = {t.id for t in registry.touchpoints_of("maya-chen")}
    daniel = {t.id for t in registry.touchpoints_of("daniel-osei")}
    assert "branch" not in maya  # the branch visit is Daniel's
    assert "in-app-chat" not in maya  # so is the video call
    assert {"branch", "in-app-chat"} <= daniel
    assert "social-ad" not in daniel  # the ad is Maya's


def _two_personas() -> dict[str, str | bytes]:
    """Ann and Bob on one journey: Bob's step feels worst; Cy is named but takes no step."""
    return {
        "personas/ann.md": persona("ann", "Ann Ray"),
        "personas/bob.md": persona("bob", "Bob Stone"),
        "personas/cy.md": persona("cy", "Cy Lee"),
        "touchpoints/desk.md": touchpoint("desk", "Help desk", "store"),
        "touchpoints/site.md": touchpoint("site", "Web site", "web"),
        "journeys/visit.md": journey(
            "visit",
            "A visit",
            ["ann", "bob", "cy"],
            stages=[
                {
                    "name": "Go",
                    "steps": [
                        {
                            "name": "Books online",
                            "touchpoints": ["site"],
                            "emotion": 4,
                            "actors": ["ann"],
                        },
                        {
                            "name": "Queues at the desk",
                            "touchpoints": ["desk"],
                            "emotion": 1,
                            "actors": ["bob"],
                        },
                        {
                            "name": "Gets a reply",
                            "touchpoints": ["site"],
                            "emotion": 2,
                            "actors": ["ann", "bob"],
                        },
                    ],
                }
            ],
        ),
    }


def test_persona_page_never_names_a_step_the_persona_does_not_take(tmp_path: Path) -> None:
    pages = {
        page.uri: page.markdown
        for page in render_site(load(make_folder(tmp_path, _two_personas())))
    }
    ann = pages["personas/ann/index.md"]
    assert "Queues at the desk" not in ann
    assert "Help desk" not in ann
    assert "The emotions count only the steps Ann Ray takes" in ann
    ann_html = parsed(ann)
    assert ["Journey", "State", "Average emotion, own steps", "Lowest own step"] in ann_html.rows
    assert [
        "A visit",
        "Current state",
        "3.0",
        "🙁 2/5 negative: 3. Gets a reply",
    ] in ann_html.rows
    assert ("A visit", "../../journeys/visit/") in ann_html.links
    assert ("3. Gets a reply", "../../journeys/visit/#go--gets-a-reply") in ann_html.links
    bob = pages["personas/bob/index.md"]
    bob_html = parsed(bob)
    assert [
        "A visit",
        "Current state",
        "1.5",
        "😞 1/5 very negative: 2. Queues at the desk",
    ] in bob_html.rows
    assert ("2. Queues at the desk", "../../journeys/visit/#go--queues-at-the-desk") in (
        bob_html.links
    )
    assert "Books online" not in bob


def test_persona_named_on_a_journey_but_taking_no_step_shows_a_dash(tmp_path: Path) -> None:
    registry = load(make_folder(tmp_path, _two_personas()))
    (row,) = persona_view(Site(registry), registry.personas["cy"]).journeys
    assert (row.steps, row.average_emotion, row.lowest_emotion, row.lowest) == (0, None, None, None)
    page = parsed({p.uri: p.markdown for p in render_site(registry)}["personas/cy/index.md"])
    assert [
        "A visit",
        "Current state",
        "—",
        "— (takes no step: every step names other actors)",
    ] in page.rows
    assert ("A visit", "../../journeys/visit/") in page.links
    assert "Cy Lee meets no touchpoint yet." in page.text


# --- metrics across the two states ---------------------------------------------------


def _journey(journey_id: str, state: str, metrics: list[dict[str, Any]], **fields: Any) -> Journey:
    return Journey.model_validate(
        {
            "type": "journey",
            "id": journey_id,
            "title": f"{journey_id.title()} map",
            "personas": ["p"],
            "state": state,
            "stages": [{"name": "S", "steps": [{"name": "Step", "emotion": 3}]}],
            "metrics": metrics,
            **fields,
        }
    )


def test_current_state_takes_after_from_the_future_state() -> None:
    current = _journey(
        "now",
        "current",
        [
            {"name": "Completion rate", "before": "62%"},
            {"name": "Days to card", "before": 8},
            {"name": "CSAT", "before": "3.1 / 5"},
            {"name": "Mood", "before": "Grumpy"},
        ],
    )
    future = _journey(
        "next",
        "future",
        [
            {"name": "  completion   RATE ", "before": "60%", "after": "80%"},
            {"name": "days to card", "after": 0},
            {"name": "Csat", "after": "4.3/5"},
            {"name": "mood", "after": "Happy"},
            {"name": "Calls per account", "after": "0.2"},
        ],
    )
    assert metric_rows(current, future) == [
        # Written here wins: 62% and not the future state's 60%.
        MetricRow("Completion rate", "62%", "80%", "+18 pts", None, "Next map"),
        MetricRow("Days to card", "8", "0", "\N{MINUS SIGN}8", None, "Next map"),
        MetricRow("CSAT", "3.1 / 5", "4.3/5", "+1.2", None, "Next map"),
        MetricRow("Mood", "Grumpy", "Happy", None, None, "Next map"),
        # Only the other state names it: listed after this journey's, as it writes it.
        MetricRow("Calls per account", None, "0.2", None, None, "Next map"),
    ]


def test_future_state_takes_before_from_the_current_state() -> None:
    current = _journey(
        "now",
        "current",
        [{"name": "Completion rate", "before": "62%"}, {"name": "Only today", "before": 3}],
    )
    future = _journey(
        "next",
        "future",
        [
            {"name": "COMPLETION RATE", "after": "80%"},
            {"name": "Wait", "before": "4 days", "after": "1 day"},
        ],
    )
    assert metric_rows(future, current) == [
        MetricRow("COMPLETION RATE", "62%", "80%", "+18 pts", "Now map", None),
        MetricRow("Wait", "4 days", "1 day", None, None, None),
        MetricRow("Only today", "3", None, None, "Now map", None),
    ]


def test_metrics_without_another_state_are_as_written() -> None:
    alone = _journey("alone", "current", [{"name": "NPS", "before": 12, "after": 30.5}])
    assert metric_rows(alone, None) == [MetricRow("NPS", "12", "30.5", "+18.5", None, None)]
    assert metric_rows(alone, alone) == metric_rows(alone, None)
    assert metric_rows(_journey("empty", "current", []), None) == []


def test_a_value_missing_on_both_sides_stays_missing() -> None:
    current = _journey("now", "current", [{"name": "Churn"}])
    future = _journey("next", "future", [{"name": "churn"}])
    assert metric_rows(current, future) == [MetricRow("Churn", None, None, None, None, None)]


def test_repeated_names_pair_in_order() -> None:
    current = _journey("now", "current", [{"name": "X", "before": 1}, {"name": "x", "before": 2}])
    future = _journey("next", "future", [{"name": "X", "after": 5}, {"name": "X", "after": 7}])
    assert [(row.before, row.after) for row in metric_rows(current, future)] == [
        ("1", "5"),
        ("2", "7"),
    ]


def test_metric_key_ignores_case_and_spaces() -> None:
    assert metric_key(" Onboarding  satisfaction (CSAT)") == metric_key(
        "onboarding satisfaction(csat)"
    )
    assert metric_key("CSAT") != metric_key("CES")


@pytest.mark.parametrize(
    ("before", "after", "change"),
    [
        ("62%", "80%", "+18 pts"),
        ("83 %", "20%", "\N{MINUS SIGN}63 pts"),
        ("12.5%", "12.5%", "0.0 pts"),
        ("3", "3", "0"),
        ("8", "0", "\N{MINUS SIGN}8"),
        ("-2", "1.5", "+3.5"),
        ("\N{MINUS SIGN}2", "\N{MINUS SIGN}3", "\N{MINUS SIGN}1"),
        ("3.1 / 5", "4.3 / 5", "+1.2"),
        ("7 out of 10", "9 out of 10", "+2"),
        ("£175", "£200", "+£25"),
        ("1,200", "1,500", "+300"),
        ("12,000", "9,500", "\N{MINUS SIGN}2,500"),
        ("4 days", "1 Days", "\N{MINUS SIGN}3 Days"),
        ("0.10", "0.3", "+0.20"),
        # Not the same unit, or not a quantity: no change is claimed.
        ("62%", "0.8", None),
        ("3.1 / 5", "8 / 10", None),
        ("4 days", "1 day", None),
        ("£5", "$5", None),
        ("4 min 10 s", "1 min", None),
        ("2026-06-30", "2027-06-30", None),
        ("Q3 2026", "Q1 2027", None),
        ("Slow", "Fast", None),
        ("", "1", None),
    ],
)
def test_change_between(before: str, after: str, change: str | None) -> None:
    assert change_between(before, after) == change


# --- the Metrics section ---------------------------------------------------------------


def _metrics_section(rows: list[MetricRow]) -> tuple[str, tuple[Heading, ...]]:
    page = render_page(
        "metrics.html.j2", ("j/x/index.md", "journey", None), UrlLayout(), "X", metrics=rows
    )
    assert page.bodies == ()
    return "".join(page.html), page.headings


def test_metrics_section_names_where_borrowed_values_come_from() -> None:
    section, headings = _metrics_section(
        [
            MetricRow("Completion | rate", "62%", "80%", "+18 pts", None, "Opening <in> 2027"),
            MetricRow("Churn", "5%", None, None, None, None),
        ]
    )
    assert section.startswith('<h2 id="metrics">Metrics</h2>\n')
    assert headings == (Heading(2, "metrics", "Metrics", 0),)
    assert (
        "<p>Values marked † are not written on this map: they come from its other state, "
        "“Opening &lt;in&gt; 2027”.</p>\n"
    ) in section
    table = parsed(section)
    assert table.rows == [
        ["Metric", "Before", "After", "Change"],
        ["Completion | rate", "62%", "80% †", "+18 pts"],
        ["Churn", "5%", "—", "—"],
    ]
    assert section.endswith("</table>\n")


def test_metrics_section_without_borrowed_values_has_no_note() -> None:
    section, _ = _metrics_section([MetricRow("NPS", "12", "30", "+18", None, None)])
    assert "†" not in section
    assert "<p>" not in section
    assert parsed(section).rows[1:] == [["NPS", "12", "30", "+18"]]


def test_metrics_section_is_empty_without_metrics() -> None:
    assert _metrics_section([]) == ("", ())


def test_example_maps_metrics_both_ways() -> None:
    registry = load(EXAMPLES)
    today, future = (
        registry.journeys["account-opening"],
        registry.journeys["account-opening-future"],
    )
    rows = metric_rows(today, future)
    assert [row.after for row in rows] == ["80%", "0", "20%", "4.3 / 5"]
    assert {row.after_from for row in rows} == {future.title}
    assert [row.change for row in rows] == [
        "+18 pts",
        "\N{MINUS SIGN}8",
        "\N{MINUS SIGN}63 pts",
        "+1.2",
    ]
    # The future state writes its own baseline: nothing borrowed.
    assert all(row.before_from is None for row in metric_rows(future, today))
