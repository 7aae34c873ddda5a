"""The emotion curve as inline SVG: geometry against the grid's step columns, lines, marks, text."""

from __future__ import annotations

import datetime as dt
import time
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cjm_plugin.charts import STEP_COLUMN_WIDTH, journey_curve_svg
from cjm_plugin.escape import visible_text
from cjm_plugin.measured import MeasuredEmotion, Measurement
from cjm_plugin.model import Journey, Persona
from cjm_plugin.registry import Registry

SVG = "{http://www.w3.org/2000/svg}"
WORDS = ["very negative", "negative", "neutral", "positive", "very positive"]


def journey(stages: list[tuple[str, list[dict[str, Any]]]], **fields: Any) -> dict[str, Any]:
    front: dict[str, Any] = {
        "type": "journey",
        "id": "buy",
        "title": "Buys a course",
        "personas": ["jane"],
    }
    front["stages"] = [{"name": name, "steps": steps} for name, steps in stages]
    return front | fields


def step(name: str, emotion: int, **fields: Any) -> dict[str, Any]:
    return {"name": name, "emotion": emotion, **fields}


def registry_of(*journeys: dict[str, Any], personas: dict[str, str] | None = None) -> Registry:
    names = personas if personas is not None else {"jane": "Jane Doe", "bob": "Bob Roe"}
    return Registry.build(
        {pid: Persona(type="persona", id=pid, name=name) for pid, name in names.items()},
        {},
        {j["id"]: Journey.model_validate(j) for j in journeys},
    )


def curve(registry: Registry, journey_id: str = "buy") -> ET.Element:
    """The SVG parsed as XML: it must be well-formed."""
    return ET.fromstring(journey_curve_svg(registry.journeys[journey_id], registry))


def classes(element: ET.Element) -> list[str]:
    return element.get("class", "").split()


def lines(svg: ET.Element) -> list[ET.Element]:
    return [g for g in svg.iter(f"{SVG}g") if "cjm-curve__line" in classes(g)]


def points(element: ET.Element) -> list[ET.Element]:
    return [c for c in element.iter(f"{SVG}circle") if "cjm-curve__point" in classes(c)]


def polyline_xs(line: ET.Element) -> list[float]:
    polyline = line.find(f"{SVG}polyline")
    assert polyline is not None
    return [float(pair.split(",")[0]) for pair in polyline.get("points", "").split()]


THREE_STAGES = [
    ("Aware", [step("Sees an ad", 3), step("Reads reviews", 4, moment_of_truth=True)]),
    ("Buy", [step("Fills the form", 1), step("Pays", 2), step("Waits", 2)]),
    ("After", [step("Gets the receipt", 5)]),
]


def test_width_is_the_step_columns_and_each_point_is_centred_in_its_column() -> None:
    svg = curve(registry_of(journey(THREE_STAGES)))
    assert svg.get("width") == str(6 * STEP_COLUMN_WIDTH)
    assert svg.get("viewBox", "").split()[2] == str(6 * STEP_COLUMN_WIDTH)
    assert svg.get("role") == "img" and "cjm-curve" in classes(svg)
    found = points(svg)
    assert [p.get("data-step") for p in found] == ["1", "2", "3", "4", "5", "6"]
    for point in found:
        n = int(point.get("data-step", ""))
        x = float(point.get("cx", ""))
        assert (n - 1) * STEP_COLUMN_WIDTH < x < n * STEP_COLUMN_WIDTH
        assert x == (n - 0.5) * STEP_COLUMN_WIDTH
    assert [p.get("data-emotion") for p in found] == ["3", "4", "1", "2", "2", "5"]


def test_title_names_the_journey_and_labels_the_image() -> None:
    svg = curve(registry_of(journey(THREE_STAGES)))
    title = svg.find(f"{SVG}title")
    assert title is not None and title.text == "Emotion curve: Buys a course"
    assert svg.get("aria-labelledby") == title.get("id")
    desc = svg.find(f"{SVG}desc")
    assert desc is not None and svg.get("aria-describedby") == desc.get("id")
    assert "Moments of truth (★): steps 2." in (desc.text or "")


def test_one_line_named_for_the_personas_when_every_step_has_the_same_actors() -> None:
    stages = [("Aware", [step("A", 3), step("B", 4, actors=["bob", "jane"])])]
    svg = curve(registry_of(journey(stages, personas=["jane", "bob"])))
    [line] = lines(svg)
    assert line.get("data-series") == "Jane Doe, Bob Roe"
    assert "cjm-curve__line--0" in classes(line)
    assert polyline_xs(line) == [float(p.get("cx", "")) for p in points(line)]


def test_a_persona_line_joins_only_the_steps_that_persona_takes() -> None:
    stages = [
        ("Aware", [step("A", 3), step("B", 4, actors=["bob"])]),
        ("Buy", [step("C", 2, actors=["jane"]), step("D", 1, actors=[]), step("E", 5)]),
    ]
    svg = curve(registry_of(journey(stages, personas=["jane", "bob"])))
    by_name = {line.get("data-series", ""): line for line in lines(svg)}
    # In the order Mermaid colours the diagram's actors (by name), so a persona
    # has the same colour index in the diagram and on the curve.
    assert list(by_name) == ["Bob Roe", "Jane Doe", "No persona named"]
    taken = {"Jane Doe": ["1", "3", "5"], "Bob Roe": ["1", "2", "5"], "No persona named": ["4"]}
    for name, line in by_name.items():
        assert [p.get("data-step") for p in points(line)] == taken[name]
        xs = [float(p.get("cx", "")) for p in points(line)]
        assert polyline_xs(line) == xs
    # Lines over the same steps are shifted apart so both show.
    ys = {name: float(points(line)[0].get("cy", "")) for name, line in by_name.items()}
    assert ys["Jane Doe"] != ys["Bob Roe"]
    assert [classes(line)[1] for line in by_name.values()] == [
        "cjm-curve__line--0",
        "cjm-curve__line--1",
        "cjm-curve__line--2",
    ]


def test_a_persona_without_a_record_is_named_by_id() -> None:
    stages = [("Aware", [step("A", 3, actors=["ghost"]), step("B", 4)])]
    svg = curve(registry_of(journey(stages)))
    assert [line.get("data-series") for line in lines(svg)] == ["Jane Doe", "ghost"]


def test_ticks_are_the_whole_numbers_one_to_five_with_words_left_of_the_first_point() -> None:
    svg = curve(registry_of(journey(THREE_STAGES)))
    ticks = [t for t in svg.iter(f"{SVG}text") if "cjm-curve__tick" in classes(t)]
    assert [t.text for t in ticks] == [f"{n} {WORDS[n - 1]}" for n in range(5, 0, -1)]
    first_x = min(float(p.get("cx", "")) for p in points(svg))
    for tick in ticks:
        # The labels sit in the first column's left padding: at 10 px, even a
        # wide font's "5 very positive" (0.6 em a character) ends before a moment's mark.
        assert tick.get("font-size") == "10"
        assert float(tick.get("x", "")) + len(tick.text or "") * 0.6 * 10 < first_x - 7
    # Each tick sits just above its grid line, at the height of that score's points.
    heights = {p.get("data-emotion"): float(p.get("cy", "")) for p in points(svg)}
    for tick in ticks:
        score = (tick.text or "").split()[0]
        if score in heights:
            assert 0 < heights[score] - float(tick.get("y", "")) < 12


def test_legend_names_every_line() -> None:
    future = journey(THREE_STAGES[1:], id="buy-later", state="future", title="Buys in 2027")
    now = journey(THREE_STAGES, compares_to="buy-later")
    svg = curve(registry_of(now, future))
    legend = next(g for g in svg.iter(f"{SVG}g") if "cjm-curve__legend" in classes(g))
    texts = [t.text for t in legend.iter(f"{SVG}text")]
    assert texts == ["Jane Doe", "Future state: Buys in 2027"]
    assert [g.get("data-series") for g in lines(svg)] == texts


def test_a_long_name_is_cut_in_the_legend_but_whole_in_its_title() -> None:
    name = "Jane " + "Doe " * 40
    stages = [("Aware", [step("A", 3)])]
    svg = curve(registry_of(journey(stages), personas={"jane": name.strip()}))
    legend = next(g for g in svg.iter(f"{SVG}g") if "cjm-curve__legend-item" in classes(g))
    shown = next(legend.iter(f"{SVG}text")).text or ""
    assert shown.endswith("…") and len(shown) * 7 < STEP_COLUMN_WIDTH
    title = legend.find(f"{SVG}title")
    assert title is not None and title.text == name.strip()


def test_moments_of_truth_are_marked() -> None:
    svg = curve(registry_of(journey(THREE_STAGES)))
    marked = [p.get("data-step") for p in points(svg) if "cjm-curve__point--moment" in classes(p)]
    assert marked == ["2"]
    moment = next(p for p in points(svg) if p.get("data-step") == "2")
    assert float(moment.get("r", "")) > float(points(svg)[0].get("r", ""))
    stars = [t for t in svg.iter(f"{SVG}text") if "cjm-curve__moment-mark" in classes(t)]
    assert len(stars) == 1 and stars[0].get("x") == moment.get("cx")


def test_the_other_state_is_drawn_only_on_shared_stages_at_their_centre() -> None:
    future = journey(
        [
            ("After", [step("Gets a receipt", 4), step("Rates", 2, moment_of_truth=True)]),
            ("Buy", [step("One click", 5)]),
            ("Extra", [step("Not in the current state", 1)]),
        ],
        id="buy-later",
        state="future",
        title="Buys in 2027",
    )
    now = journey(THREE_STAGES, compares_to="buy-later")
    svg = curve(registry_of(now, future))
    other = lines(svg)[-1]
    assert other.get("data-series") == "Future state: Buys in 2027"
    assert other.find(f"{SVG}polyline") is not None
    polyline = other.find(f"{SVG}polyline")
    assert polyline is not None and polyline.get("stroke-dasharray")
    found = points(other)
    # "aware" is not in the future state; "extra" is not in this journey's columns.
    assert [p.get("data-stage") for p in found] == ["buy", "after"]
    assert all(p.get("data-step") is None for p in found)
    assert [p.get("data-emotion") for p in found] == ["5", "3"]
    # Buy spans columns 3-5, After column 6: each point at its stage's centre.
    assert [float(p.get("cx", "")) for p in found] == [3.5 * STEP_COLUMN_WIDTH, 5.5 * 200]
    assert "cjm-curve__point--moment" in classes(found[1])
    # The future page draws the current state against its own stages.
    back = curve(registry_of(now, future), "buy-later")
    assert lines(back)[-1].get("data-series") == "Current state: Buys a course"
    assert [p.get("data-stage") for p in points(lines(back)[-1])] == ["after", "buy"]


def test_no_other_line_when_no_stage_is_shared() -> None:
    future = journey([("Elsewhere", [step("X", 1)])], id="buy-later", state="future", title="Later")
    svg = curve(registry_of(journey(THREE_STAGES, compares_to="buy-later"), future))
    assert [g.get("data-series") for g in lines(svg)] == ["Jane Doe"]


def test_output_is_the_same_byte_for_byte() -> None:
    first = registry_of(journey(THREE_STAGES))
    again = registry_of(journey(THREE_STAGES))
    assert journey_curve_svg(first.journeys["buy"], first) == journey_curve_svg(
        again.journeys["buy"], again
    )


def test_a_journey_of_500_steps_is_drawn_quickly() -> None:
    steps = [step(f"Step {n}", n % 5 + 1, moment_of_truth=n % 50 == 0) for n in range(500)]
    registry = registry_of(journey([("Only", steps)]))
    start = time.perf_counter()
    svg = journey_curve_svg(registry.journeys["buy"], registry)
    assert time.perf_counter() - start < 0.2
    assert ET.fromstring(svg).get("width") == str(500 * STEP_COLUMN_WIDTH)


one_line = (
    st.text(min_size=1, max_size=30)
    .map(lambda s: s.replace("\n", " ").replace("\r", " "))
    .filter(lambda s: bool(s.strip()))
)


@settings(max_examples=60, deadline=None)
@given(
    title=one_line,
    stage=one_line,
    names=st.lists(one_line, min_size=1, max_size=4),
    persona=one_line,
    other_title=one_line,
)
def test_author_text_is_escaped_and_reads_as_written(
    title: str, stage: str, names: list[str], persona: str, other_title: str
) -> None:
    hostile = ["<script>alert(1)</script>", '"><svg onload=alert(1)>', "&amp; ]]>"]
    names = names + hostile
    steps = [step(name, n % 5 + 1, moment_of_truth=n == 0) for n, name in enumerate(names)]
    now = journey([(stage, steps)], title=title, compares_to="buy-later")
    later = journey(
        [(stage, [step(hostile[0], 4)])], id="buy-later", state="future", title=other_title
    )
    registry = registry_of(now, later, personas={"jane": persona})
    text = journey_curve_svg(registry.journeys["buy"], registry)
    svg = ET.fromstring(text)  # well-formed XML, whatever the text
    allowed = {"svg", "title", "desc", "g", "line", "polyline", "circle", "text"}
    assert {element.tag.removeprefix(SVG) for element in svg.iter()} <= allowed
    assert not any(name.startswith("on") for e in svg.iter() for name in e.attrib)

    def flat(s: str) -> str:
        return " ".join(
            visible_text(s).replace("\ufffe", "\ufffd").replace("\uffff", "\ufffd").split()
        )

    titles = [t.text for p in points(svg) for t in p.iter(f"{SVG}title")]
    for n, name in enumerate(names, start=1):
        assert any((t or "").startswith(flat(f"Step {n}. {name}:")) for t in titles)
    svg_title = svg.find(f"{SVG}title")
    assert svg_title is not None and svg_title.text == f"Emotion curve: {flat(title)}"
    assert [g.get("data-series") for g in lines(svg)] == [
        flat(persona),
        f"Future state: {flat(other_title)}",
    ]
    assert [p.get("data-stage") for p in points(lines(svg)[-1])] == [
        registry.journeys["buy"].stages[0].slug
    ]


def _measured(
    value: float, stated: int, metric: str = "CSAT", responses: int = 120
) -> MeasuredEmotion:
    row = Measurement(
        "m.csv", 2, dt.date(2026, 10, 1), metric, value, 1, 5, responses, None, None, "web"
    )
    return MeasuredEmotion(value, stated, (row,))


def measured_points(svg: ET.Element) -> list[ET.Element]:
    return [p for p in svg.iter(f"{SVG}path") if "cjm-curve__measured-point" in classes(p)]


def test_measured_emotions_are_hollow_diamonds_in_their_step_columns() -> None:
    registry = registry_of(journey(THREE_STAGES))
    plain = curve(registry)
    measured = {1: _measured(3.2, 3), 4: _measured(4.4, 2, responses=1)}
    text = journey_curve_svg(registry.journeys["buy"], registry, measured)
    svg = ET.fromstring(text)
    found = measured_points(svg)
    assert [p.get("data-step") for p in found] == ["1", "4"]
    assert [p.get("data-measured") for p in found] == ["3.2", "4.4"]
    for point in found:
        n = int(point.get("data-step", ""))
        corners = [
            c.split(",") for c in point.get("d", "").replace("M", "").replace("Z", "").split(" L")
        ]
        xs = [float(x) for x, _ in corners]
        ys = [float(y) for _, y in corners]
        assert (min(xs) + max(xs)) / 2 == (n - 0.5) * STEP_COLUMN_WIDTH
        assert max(ys) - min(ys) == 16  # a diamond, 16 px corner to corner
        assert point.get("fill-opacity") == "0"
    titles = [p.find(f"{SVG}title") for p in found]
    assert [t.text if t is not None else None for t in titles] == [
        "Step 1. Sees an ad: measured 3.2 (CSAT, 120 responses, 2026-10-01), stated 3",
        "Step 4. Pays: measured 4.4 (CSAT, 1 response, 2026-10-01), stated 2",
    ]
    # Only the step that drifted has a line from the stated point to the measured one.
    drifts = [line for line in svg.iter(f"{SVG}line") if "cjm-curve__drift" in classes(line)]
    assert len(drifts) == 1 and drifts[0].get("x1") == str(int(3.5 * STEP_COLUMN_WIDTH))
    # A legend entry of its own, one row more, and the description says which steps.
    legend = [
        g.get("data-series") for g in svg.iter(f"{SVG}g") if "cjm-curve__legend-item" in classes(g)
    ]
    assert legend[-1] == "measured"
    assert float(svg.get("height", "")) == float(plain.get("height", "")) + 20
    desc = svg.find(f"{SVG}desc")
    assert desc is not None and (desc.text or "").endswith(
        "Measured emotion (hollow diamonds): steps 1, 4."
    )


def test_the_measured_points_sit_at_their_value_on_the_emotion_scale() -> None:
    registry = registry_of(journey(THREE_STAGES))
    measured = {n: _measured(value, 3) for n, value in [(1, 1.0), (2, 5.0), (3, 2.5)]}
    svg = ET.fromstring(journey_curve_svg(registry.journeys["buy"], registry, measured))
    heights = {p.get("data-emotion"): float(p.get("cy", "")) for p in points(svg)}
    gap = heights["4"] - heights["5"]
    for point in measured_points(svg):
        ys = [
            float(c.split(",")[1])
            for c in point.get("d", "").replace("M", "").replace(" Z", "").split(" L")
        ]
        value = float(point.get("data-measured", ""))
        assert (min(ys) + max(ys)) / 2 == pytest.approx(heights["5"] + (5 - value) * gap)


def test_no_measurements_draw_the_curve_as_before() -> None:
    registry = registry_of(journey(THREE_STAGES))
    before = journey_curve_svg(registry.journeys["buy"], registry)
    assert journey_curve_svg(registry.journeys["buy"], registry, {}) == before
    assert journey_curve_svg(registry.journeys["buy"], registry, None) == before
    assert "measured" not in before
    # A step number the journey does not have draws nothing.
    assert journey_curve_svg(registry.journeys["buy"], registry, {9: _measured(3, 3)}) == before
