"""The journey map as a reader sees it, on the example site: every step findable on a
laptop, a phone and paper; the diagram's title and the curve's points where they belong.

The page's classes (``cjm-map``, ``cjm-curve`` ...) are the markup's
contract with its stylesheet and with these checks.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest

from cjm_plugin.model import Journey

from .conftest import ServedSite, Visit, every_page
from .page_checks import fold, load
from .screenshots import PHONE, WIDE

pytestmark = pytest.mark.browser


def steps_of(journey: Journey) -> dict[int, str]:
    """Each step's number (1-based, in reading order, as the page numbers them) and name."""
    names = [step.name for stage in journey.stages for step in stage.steps]
    return {number: name for number, name in enumerate(names, start=1)}


def test_no_page_scrolls_sideways_on_a_phone(example: ServedSite, visit_in: Any) -> None:
    visit: Visit = visit_in(width=PHONE["width"])
    wider: dict[str, dict[str, int]] = {}
    # The home page too: it shows the screenshots.
    for url in ["", *every_page(example)]:
        load(visit, example, url)
        widths = visit.page.evaluate(
            "() => ({page: document.documentElement.scrollWidth, screen: window.innerWidth})"
        )
        if widths["page"] > widths["screen"]:
            wider[url] = widths
    assert wider == {}
    assert visit.outside_requests == []


#: Each step column header of the grid: its number, text and box.
STEP_HEADERS_JS = """
() => [...document.querySelectorAll(".cjm-map th.cjm-map__step")].map((th) => {
  const box = th.getBoundingClientRect();
  return {step: th.dataset.step, text: th.innerText, width: box.width, height: box.height};
})
"""


def test_every_step_name_shows_in_the_map_on_a_wide_screen(
    example: ServedSite, visit_in: Any
) -> None:
    visit: Visit = visit_in(width=WIDE["width"])
    for journey_id, journey in example.registry.journeys.items():
        load(visit, example, f"journeys/{journey_id}/")
        assert visit.page.locator(".cjm-map").is_visible(), journey_id
        assert not visit.page.locator(".cjm-cards").is_visible(), journey_id
        headers = {int(h["step"]): h for h in visit.page.evaluate(STEP_HEADERS_JS)}
        steps = steps_of(journey)
        assert sorted(headers) == sorted(steps), journey_id
        for number, name in steps.items():
            header = headers[number]
            assert fold(name) in fold(header["text"]), (journey_id, number, header["text"])
            assert header["width"] > 0 and header["height"] > 0, (journey_id, number, header)
    assert visit.outside_requests == []


def test_every_step_is_in_the_map_on_a_phone_which_scrolls_in_its_box(
    example: ServedSite, visit_in: Any
) -> None:
    """One structure for every screen: on a phone the map is the same grid, scrolling
    sideways in its own box while the page stays the phone's width."""
    visit: Visit = visit_in(width=PHONE["width"])
    for journey_id, journey in example.registry.journeys.items():
        load(visit, example, f"journeys/{journey_id}/")
        page = visit.page
        assert page.locator(".cjm-map").is_visible(), journey_id
        steps = steps_of(journey)
        assert page.locator(".cjm-map__step").count() == len(steps), journey_id
        for number, name in steps.items():
            header = page.locator(f'.cjm-map__step[data-step="{number}"] .cjm-map__name')
            assert header.count() == 1, (journey_id, number)
            assert fold(name) in fold(header.inner_text()), (journey_id, number)
        widths = page.evaluate(
            """() => {
              const map = document.querySelector(".cjm-map");
              return {page: document.documentElement.scrollWidth,
                      box: map.clientWidth, map: map.scrollWidth};
            }"""
        )
        assert widths["page"] <= PHONE["width"], (journey_id, widths)
        assert widths["map"] > widths["box"], (journey_id, widths)  # it scrolls, not squeezed
    assert visit.outside_requests == []


#: The journey diagram's box (its visible part, without a scroll bar) and every
#: text of the drawing in it, with where each is drawn.
DIAGRAM_TEXTS_JS = """
() => {
  const box = document.querySelector(".cjm-diagram");
  if (!box) return null;
  const outer = box.getBoundingClientRect();
  const seen = {
    left: outer.left + box.clientLeft,
    top: outer.top + box.clientTop,
    scrollLeft: box.scrollLeft,
  };
  seen.right = seen.left + box.clientWidth;
  seen.bottom = seen.top + box.clientHeight;
  const host = box.querySelector(".mermaid");
  const svg = host && host.shadowRoot && host.shadowRoot.querySelector("svg");
  const texts = svg ? [...svg.querySelectorAll("text")].map((text) => {
    const r = text.getBoundingClientRect();
    return {text: text.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom};
  }) : [];
  return {box: seen, texts};
}
"""


def test_the_diagram_title_shows_inside_its_box_at_first_view(
    example: ServedSite, visit_in: Any
) -> None:
    visit: Visit = visit_in(width=WIDE["width"])
    for journey_id, journey in example.registry.journeys.items():
        load(visit, example, f"journeys/{journey_id}/")
        drawn = visit.page.evaluate(DIAGRAM_TEXTS_JS)
        assert drawn is not None, f"{journey_id}: no .cjm-diagram"
        box = drawn["box"]
        assert box["scrollLeft"] == 0, journey_id
        # Mermaid draws the journey's title as a text of its own, after the legend.
        titles = [t for t in drawn["texts"] if fold(t["text"]) == fold(journey.title)]
        assert titles, (journey_id, [t["text"] for t in drawn["texts"]][:5])
        title = titles[0]
        inside = (
            title["left"] >= box["left"] - 1
            and title["right"] <= box["right"] + 1
            and title["top"] >= box["top"] - 1
            and title["bottom"] <= box["bottom"] + 1
        )
        assert inside, (journey_id, {"title": title, "box": box})
    assert visit.outside_requests == []


#: Each curve point of this journey's line (centre x) and each step column (left, right).
CURVE_AND_COLUMNS_JS = """
() => ({
  points: [...document.querySelectorAll("svg.cjm-curve circle.cjm-curve__point[data-step]")]
    .map((point) => {
      const r = point.getBoundingClientRect();
      return {step: point.dataset.step, x: (r.left + r.right) / 2, width: r.width};
    }),
  columns: [...document.querySelectorAll(".cjm-map th.cjm-map__step")].map((th) => {
    const r = th.getBoundingClientRect();
    return {step: th.dataset.step, left: r.left, right: r.right};
  }),
})
"""


def test_the_curve_points_sit_in_their_step_columns(example: ServedSite, visit_in: Any) -> None:
    visit: Visit = visit_in(width=WIDE["width"])
    for journey_id, journey in example.registry.journeys.items():
        load(visit, example, f"journeys/{journey_id}/")
        drawn = visit.page.evaluate(CURVE_AND_COLUMNS_JS)
        steps = sorted(steps_of(journey))
        columns = {int(c["step"]): c for c in drawn["columns"]}
        assert sorted(columns) == steps, journey_id
        # One line per persona (or one for the journey): each draws the steps it takes part in.
        points = [(int(p["step"]), p["x"]) for p in drawn["points"] if p["width"] > 0]
        assert len(points) == len(drawn["points"]) > 0, (journey_id, drawn["points"])
        assert {number for number, _ in points} == set(steps), journey_id
        outside = [
            (number, x, columns[number]["left"], columns[number]["right"])
            for number, x in points
            if not columns[number]["left"] <= x <= columns[number]["right"]
        ]
        assert outside == [], journey_id
    assert visit.outside_requests == []


def pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def printed_map(visit: Visit, site: ServedSite, journey_id: str, paper: str) -> str:
    """The journey's map printed by Chromium on landscape paper, as the PDF's text."""
    load(visit, site, f"journeys/{journey_id}/")
    # Only the map goes to paper: the diagram and the lists name the steps too.
    kept = visit.page.evaluate(
        """() => {
          const map = [...document.querySelectorAll(".cjm-map")];
          if (!map.length) return false;
          (map[0].closest("article") || document.body).replaceChildren(...map);
          return true;
        }"""
    )
    assert kept, f"{journey_id}: no .cjm-map"
    # A line may break after a hyphen, which the PDF's text keeps as a line break.
    return re.sub(r"-\s+", "-", fold(pdf_text(visit.page.pdf(format=paper, landscape=True))))


def longest_journey(site: ServedSite) -> Journey:
    journeys = site.registry.journeys
    return journeys[max(journeys, key=lambda journey_id: len(steps_of(journeys[journey_id])))]


@pytest.mark.parametrize("paper", ["A4", "A3"])
def test_the_printed_map_holds_every_step_of_the_longest_journey(
    example: ServedSite, visit_in: Any, paper: str
) -> None:
    journey = longest_journey(example)
    visit: Visit = visit_in(width=WIDE["width"])
    printed = printed_map(visit, example, journey.id, paper)
    missing = [name for name in steps_of(journey).values() if fold(name) not in printed]
    assert missing == [], (journey.id, paper)
    assert visit.outside_requests == []


@pytest.mark.parametrize("paper", ["A4", "A3"])
def test_the_printed_map_cuts_no_pain_point_or_opportunity(
    example: ServedSite, visit_in: Any, paper: str
) -> None:
    journey = longest_journey(example)
    visit: Visit = visit_in(width=WIDE["width"])
    printed = printed_map(visit, example, journey.id, paper)
    texts = [
        text
        for stage in journey.stages
        for step in stage.steps
        for text in (*step.pain_points, *step.opportunities)
    ]
    cut = [text for text in texts if fold(text) not in printed]
    assert cut == [], (journey.id, paper)
    assert visit.outside_requests == []
