"""Generated pages in a real browser: diagrams drawn, text shown as written, no script run.

Mermaid parses in the browser only, so only a browser can tell whether an
escaped name still parses, and whether what it draws reads as the author wrote.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pytest
from sites import ADVERSARIAL_TEXTS

from .conftest import ServedSite, Visit

pytestmark = pytest.mark.browser

DIAGRAM_TIMEOUT_MS = 20_000

#: Mermaid cannot take some characters in a label, so pages may draw a
#: look-alike; NFKC folds the full-width ones, these are the rest a reader
#: cannot tell from the character they stand for.
_LOOK_ALIKES = str.maketrans({"\ua789": ":", "\u201a": ",", "\u037e": ";", "\u201d": '"'})


#: Every element of the document and of every (opened) shadow root.
_ALL_ELEMENTS_JS = """
() => {
  const found = [];
  const walk = (root) => {
    for (const element of root.querySelectorAll("*")) {
      found.push(element);
      if (element.shadowRoot) walk(element.shadowRoot);
    }
  };
  walk(document);
  return found;
}
"""

_DIAGRAMS_JS = """
(expected) => {
  const drawn = [...document.querySelectorAll(".mermaid")]
    .map((element) => element.shadowRoot && element.shadowRoot.querySelector("svg"))
    .filter(Boolean);
  // Mermaid leaves its "Syntax error" drawing in the body when a diagram fails.
  return drawn.length >= expected || document.body.textContent.includes("Syntax error");
}
"""

_SVG_TEXTS_JS = """
() => [...document.querySelectorAll(".mermaid")]
  .map((element) => element.shadowRoot && element.shadowRoot.querySelector("svg"))
  .filter(Boolean)
  .map((svg) => [...svg.querySelectorAll("text, foreignObject")]
    .map((node) => node.textContent).join(" "))
"""

_INJECTED_JS = (
    "() => {\n  const elements = ("
    + _ALL_ELEMENTS_JS.strip()
    + """)();
  return {
    marker: elements.filter((e) => e.id === "cjm-injected").length,
    javascriptLinks: elements.filter(
      (e) => /^\\s*javascript:/i.test(e.getAttribute("href") || "")).length,
    alertScripts: elements.filter(
      (e) => e.tagName === "SCRIPT" && /alert\\(/.test(e.textContent)).length,
    handlers: elements.filter(
      (e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
    dialogs: window.__cjmDialogs.length,
  };
}"""
)


def assert_inert(visit: Visit, url: str) -> None:
    """Nothing on the page came from author text as markup: no marker, link, script or handler."""
    injected = visit.page.evaluate(_INJECTED_JS)
    assert injected == {
        "marker": 0,
        "javascriptLinks": 0,
        "alertScripts": 0,
        "handlers": 0,
        "dialogs": 0,
    }, url


def fold(text: str) -> str:
    """Text as a reader sees it: look-alikes as the characters they stand for, one space."""
    text = unicodedata.normalize("NFKC", text).translate(_LOOK_ALIKES)
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    return re.sub(r"\s+", " ", text).strip()


def generated_urls(site: ServedSite) -> list[str]:
    registry = site.registry
    return [
        "journeys/",
        *(f"journeys/{j}/" for j in registry.journeys),
        *(f"personas/{p}/" for p in registry.personas),
        "touchpoints/",
    ]


def diagrams_in(site: ServedSite, url: str) -> int:
    """How many Mermaid diagrams MkDocs wrote into the page (before any script ran)."""
    html = (site.site / url / "index.html").read_text(encoding="utf-8")
    return len(re.findall(r'<pre class="mermaid"', html))


def load(visit: Visit, site: ServedSite, url: str) -> list[str]:
    """Open a page, wait for its diagrams; return the text of each diagram's SVG."""
    expected = diagrams_in(site, url)
    visit.page.goto(site.url(url), wait_until="load")
    if expected:
        visit.page.wait_for_function(_DIAGRAMS_JS, arg=expected, timeout=DIAGRAM_TIMEOUT_MS)
    assert "Syntax error" not in visit.page.evaluate("() => document.body.textContent"), url
    texts: list[str] = visit.page.evaluate(_SVG_TEXTS_JS) if expected else []
    assert len(texts) == expected, url
    for text in texts:
        assert "Syntax error" not in text, (url, text)
    return texts


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
