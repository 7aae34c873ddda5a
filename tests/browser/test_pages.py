"""Generated pages in a real browser: diagrams drawn, text shown as written, no script run.

Mermaid parses in the browser only, so only a browser can tell whether an
escaped name still parses, and whether what it draws reads as the author wrote.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sites import ADVERSARIAL_TEXTS

from .conftest import ServedSite, Visit
from .page_checks import (
    assert_inert,
    expected_journey_texts,
    fold,
    journey_texts,
    load,
    one_line,
)

pytestmark = pytest.mark.browser


def generated_urls(site: ServedSite) -> list[str]:
    registry = site.registry
    return [
        "journeys/",
        *(f"journeys/{j}/" for j in registry.journeys),
        *(f"personas/{p}/" for p in registry.personas),
        "touchpoints/",
    ]


@pytest.fixture(params=["realistic", "adversarial", "example_maps"])
def served(request: pytest.FixtureRequest, mermaid_js: Path) -> ServedSite:
    """A site of each kind, built with each Mermaid version (``mermaid_js`` is
    named here so that pytest sees the site depends on it)."""
    site: ServedSite = request.getfixturevalue(f"{request.param}_site")
    return site


def test_every_diagram_renders_and_shows_the_names_as_written(
    served: ServedSite, visit_in: Any
) -> None:
    """Each journey diagram draws its title, stage, step and persona names
    character for character, with every Mermaid version the tests run."""
    visit: Visit = visit_in()
    registry = served.registry
    names = {persona_id: p.name for persona_id, p in registry.personas.items()}
    journey_diagrams = 0
    for url in generated_urls(served):
        texts = load(visit, served, url)
        journey_id = url.removeprefix("journeys/").strip("/")
        journey = registry.journeys.get(journey_id)
        if journey is None:
            continue
        assert texts, f"{url}: a journey page draws its journey diagram"
        [drawn] = journey_texts(visit)
        legend = drawn.pop("legend")
        assert drawn == expected_journey_texts(journey, names), url
        shown_legend = " ".join(" ".join(legend).split())
        for persona_id in journey.personas:
            assert one_line(names[persona_id]) in shown_legend, (url, persona_id, legend)
        journey_diagrams += 1
    assert journey_diagrams == len(registry.journeys)
    assert visit.outside_requests == []
    assert visit.page_errors == []


def test_adversarial_text_runs_no_script(adversarial_site: ServedSite, visit_in: Any) -> None:
    visit: Visit = visit_in()
    for url in generated_urls(adversarial_site):
        load(visit, adversarial_site, url)
        assert_inert(visit, url)
        shown = fold(visit.page.inner_text("body"))
        assert any(fold(text) in shown for text in ADVERSARIAL_TEXTS), url
    assert visit.dialogs == []
    assert visit.outside_requests == []


def test_journey_page_fits_a_phone_screen(served: ServedSite, visit_in: Any) -> None:
    visit: Visit = visit_in(width=375)
    for journey_id in served.registry.journeys:
        load(visit, served, f"journeys/{journey_id}/")
        # The page's main column: Material's own header slides its second title in
        # from beyond the edge, which is its design, not ours to judge here.
        widths = visit.page.evaluate(
            "() => ({main: document.querySelector('main').scrollWidth, screen: window.innerWidth})"
        )
        assert widths["main"] <= widths["screen"], (journey_id, widths)
    assert visit.outside_requests == []


#: Where the journey diagram's parts are in the window, after Mermaid drew it.
_DIAGRAM_LAYOUT_JS = """
() => {
  const box = document.querySelector(".cjm-diagram");
  const svg = box.querySelector(".mermaid").shadowRoot.querySelector("svg");
  const title = [...svg.children].find((e) => e.tagName === "text" && !e.hasAttribute("class"));
  const stage = svg.querySelector("rect.journey-section");
  const right = (e) => e.getBoundingClientRect().right;
  return {
    window: window.innerWidth,
    box: right(box),
    title: right(title),
    stage: right(stage),
    dots: [...new Set([...svg.querySelectorAll("circle[class^='actor-']")]
      .map((c) => c.getAttribute("class") + " " + getComputedStyle(c).fill))],
  };
}
"""


def test_journey_diagram_opens_on_its_title_and_first_stage(
    example_maps_site: ServedSite, visit_in: Any
) -> None:
    """At 1440 px the diagram's title and first stage are in view before any
    scrolling, and each persona has a dot of its own colour."""
    visit: Visit = visit_in(width=1440)
    for journey_id, journey in example_maps_site.registry.journeys.items():
        load(visit, example_maps_site, f"journeys/{journey_id}/")
        layout = visit.page.evaluate(_DIAGRAM_LAYOUT_JS)
        in_view = min(layout["box"], layout["window"])
        assert layout["title"] <= in_view, (journey_id, layout)
        assert layout["stage"] <= in_view, (journey_id, layout)
        colours = {dot.split(" ", 1)[1] for dot in layout["dots"]}
        classes = {dot.split(" ", 1)[0] for dot in layout["dots"]}
        assert len(colours) == len(classes) == len(set(journey.personas)), (journey_id, layout)
