"""Generated pages in a real browser: diagrams drawn, text shown as written, no script run.

Mermaid parses in the browser only, so only a browser can tell whether an
escaped name still parses, and whether what it draws reads as the author wrote.
"""

from __future__ import annotations

from typing import Any

import pytest
from sites import ADVERSARIAL_TEXTS

from .conftest import ServedSite, Visit
from .page_checks import assert_inert, fold, load

pytestmark = pytest.mark.browser


def generated_urls(site: ServedSite) -> list[str]:
    registry = site.registry
    return [
        "journeys/",
        *(f"journeys/{j}/" for j in registry.journeys),
        *(f"personas/{p}/" for p in registry.personas),
        "touchpoints/",
    ]


@pytest.fixture(params=["realistic", "adversarial"])
def served(request: pytest.FixtureRequest) -> ServedSite:
    site: ServedSite = request.getfixturevalue(f"{request.param}_site")
    return site


def test_every_diagram_renders_and_shows_the_names_as_written(
    served: ServedSite, visit_in: Any
) -> None:
    visit: Visit = visit_in()
    journey_diagrams = 0
    for url in generated_urls(served):
        texts = load(visit, served, url)
        journey_id = url.removeprefix("journeys/").strip("/")
        journey = served.registry.journeys.get(journey_id)
        if journey is None:
            continue
        assert texts, f"{url}: a journey page draws its journey diagram"
        shown = fold(" ".join(texts))
        assert fold(journey.title) in shown, (url, journey.title)
        for stage in journey.stages:
            assert fold(stage.name) in shown, (url, stage.name)
            for step in stage.steps:
                assert fold(step.name) in shown, (url, step.name)
        journey_diagrams += 1
    assert journey_diagrams == len(served.registry.journeys)
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
