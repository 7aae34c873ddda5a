"""Checks on a generated page in the browser: diagrams drawn, text as read, nothing run."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from cjm_plugin.escape import ZERO_WIDTH_SPACE, visible_text
from cjm_plugin.model import Journey

from .conftest import ServedSite, Visit

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

DIAGRAMS_JS = """
(expected) => {
  const drawn = [...document.querySelectorAll(".mermaid")]
    .map((element) => element.shadowRoot && element.shadowRoot.querySelector("svg"))
    .filter(Boolean);
  // Mermaid leaves its "Syntax error" drawing in the body when a diagram fails.
  return drawn.length >= expected || document.body.textContent.includes("Syntax error");
}
"""

SVG_TEXTS_JS = """
() => [...document.querySelectorAll(".mermaid")]
  .map((element) => element.shadowRoot && element.shadowRoot.querySelector("svg"))
  .filter(Boolean)
  .map((svg) => [...svg.querySelectorAll("text, foreignObject")]
    .map((node) => node.textContent).join(" "))
"""

#: The texts each journey diagram draws, read from its SVG: the title, each
#: stage's bar, each step's box with the names of its persona dots (their
#: tooltips), and the legend's lines.
JOURNEY_TEXTS_JS = """
() => [...document.querySelectorAll(".mermaid")]
  .map((element) => element.shadowRoot && element.shadowRoot.querySelector("svg"))
  .filter((svg) => svg && svg.getAttribute("aria-roledescription") === "journey")
  .map((svg) => ({
    title: [...svg.children]
      .filter((e) => e.tagName === "text" && !e.hasAttribute("class"))
      .map((e) => e.textContent),
    stages: [...svg.querySelectorAll("rect.journey-section")]
      .map((rect) => rect.parentNode.querySelector(".label").textContent),
    steps: [...svg.querySelectorAll("rect.task")].map((rect) => ({
      name: rect.parentNode.querySelector(".label").textContent,
      actors: [...rect.parentNode.querySelectorAll("circle > title")].map((t) => t.textContent),
    })),
    legend: [...svg.querySelectorAll("text.legend")].map((e) => e.textContent),
  }))
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


def one_line(text: str) -> str:
    """A text exactly as a Mermaid label draws it: on one line, runs of whitespace
    and control characters as one space; a text of nothing else is a zero
    width space (Mermaid would read the score as an empty step's name)."""
    return " ".join(visible_text(text).replace("\ufffd", " ").split()) or ZERO_WIDTH_SPACE


def journey_texts(visit: Visit) -> list[dict[str, Any]]:
    """What each journey diagram on the open page draws (see ``JOURNEY_TEXTS_JS``)."""
    drawn: list[dict[str, Any]] = visit.page.evaluate(JOURNEY_TEXTS_JS)
    return drawn


def expected_journey_texts(journey: Journey, persona_names: dict[str, str]) -> dict[str, Any]:
    """What the journey diagram of ``journey`` must draw, character for character."""
    steps = [step for stage in journey.stages for step in stage.steps]
    return {
        "title": [one_line(journey.title)],
        "stages": [one_line(stage.name) for stage in journey.stages],
        "steps": [
            {
                "name": one_line(step.name),
                "actors": [one_line(persona_names[a]) for a in journey.actors_of(step)],
            }
            for step in steps
        ],
    }


def fold(text: str) -> str:
    """Text as a reader sees it: look-alikes as the characters they stand for, one space."""
    text = unicodedata.normalize("NFKC", text).translate(_LOOK_ALIKES)
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    return re.sub(r"\s+", " ", text).strip()


def diagrams_in(site: ServedSite, url: str) -> int:
    """How many Mermaid diagrams MkDocs wrote into the page (before any script ran)."""
    html = (site.site / url / "index.html").read_text(encoding="utf-8")
    return len(re.findall(r'<pre class="mermaid"', html))


def load(visit: Visit, site: ServedSite, url: str) -> list[str]:
    """Open a page, wait for its diagrams; return the text of each diagram's SVG."""
    expected = diagrams_in(site, url)
    visit.page.goto(site.url(url), wait_until="load")
    if expected:
        visit.page.wait_for_function(DIAGRAMS_JS, arg=expected, timeout=DIAGRAM_TIMEOUT_MS)
    assert "Syntax error" not in visit.page.evaluate("() => document.body.textContent"), url
    texts: list[str] = visit.page.evaluate(SVG_TEXTS_JS) if expected else []
    assert len(texts) == expected, url
    for text in texts:
        assert "Syntax error" not in text, (url, text)
    return texts
