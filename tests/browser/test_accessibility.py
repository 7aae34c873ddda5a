"""axe-core over every generated page of the example site, in the light and the dark palette:
no serious or critical violation (contrast, names, roles, keyboard access).

axe comes from npm (node_modules/axe-core), injected into the page; Material's
diagram shadow roots are opened by the init script, so axe reads the SVGs too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from .conftest import ServedSite, Visit, _missing, every_page
from .page_checks import load
from .screenshots import PHONE, REPO_ROOT, WIDE

pytestmark = pytest.mark.browser

AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"

#: Material's palette name for each of the example site's two palettes.
SCHEMES = {"light": "default", "dark": "slate"}

#: Findings left out, each (axe rule, CSS selector of the node) with why: only
#: Material's own theme chrome, never cjm's markup.
IGNORED: list[tuple[str, str]] = [
    # Material's search overlay is a role="dialog" without a name.
    ("aria-dialog-name", ".md-search"),
    # Material's footer line "Made with Material for MkDocs": 4.47:1 on its dark footer.
    ("color-contrast", ".md-copyright, .md-copyright *"),
]

#: The violations that fail the check (axe's other impacts are minor and moderate).
FAILING_IMPACTS = ("serious", "critical")

AXE_RUN_JS = """
async ([ignored, impacts]) => {
  const results = await axe.run(document, {resultTypes: ["violations"], elementRef: true});
  const kept = (violation, node) => !ignored.some(
    ([rule, selector]) => rule === violation.id && node.element && node.element.matches(selector));
  return results.violations
    .filter((violation) => impacts.includes(violation.impact))
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.filter((node) => kept(violation, node)).map((node) => [
        node.target.join(" "),
        node.failureSummary.split("\\n").slice(1).join(" ").trim().slice(0, 200),
      ]),
    }))
    .filter((violation) => violation.nodes.length > 0);
}
"""


@pytest.fixture(scope="module")
def axe_js() -> Path:
    if not AXE_JS.is_file():
        _missing(f"{AXE_JS} is missing: run `npm ci` in {REPO_ROOT}")
    return AXE_JS


def violations(visit: Visit, site: ServedSite, url: str, scheme: str, axe_js: Path) -> list[str]:
    """axe's serious and critical findings on one page, a line each: page, rule, node, why."""
    load(visit, site, url)
    shown = visit.page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
    assert shown == SCHEMES[scheme], (url, shown)
    visit.page.add_script_tag(path=str(axe_js))
    found = visit.page.evaluate(AXE_RUN_JS, [IGNORED, list(FAILING_IMPACTS)])
    return [
        f"{url} [{scheme}] {v['id']} ({v['impact']}: {v['help']}): {target}: {why}"
        for v in found
        for target, why in v["nodes"]
    ]


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_no_serious_violation_on_any_page(
    example: ServedSite, visit_in: Any, axe_js: Path, scheme: str
) -> None:
    visit: Visit = visit_in(width=WIDE["width"])
    # The example mkdocs.yml picks its palette by the reader's preference.
    visit.page.emulate_media(color_scheme=scheme)
    found = [
        line
        for url in every_page(example)
        for line in violations(visit, example, url, scheme, axe_js)
    ]
    assert not found, "\n".join(found)
    assert visit.outside_requests == []


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_no_serious_violation_in_the_cards_on_a_phone(
    example: ServedSite, visit_in: Any, axe_js: Path, scheme: str
) -> None:
    visit: Visit = visit_in(width=PHONE["width"])
    visit.page.emulate_media(color_scheme=scheme)
    found = [
        line
        for url in (f"journeys/{j}/" for j in example.registry.journeys)
        for line in violations(visit, example, url, scheme, axe_js)
    ]
    assert not found, "\n".join(found)
    assert visit.outside_requests == []


#: The page's background behind the journey diagram, and the colour of every text
#: Mermaid draws straight on it (the title and the legend), in the current palette.
DIAGRAM_TEXT_COLOURS_JS = """
() => {
  const box = document.querySelector(".cjm-diagram");
  if (!box) return null;
  let background = "";
  for (let element = box; element; element = element.parentElement) {
    background = getComputedStyle(element).backgroundColor;
    if (!/^rgba\\(.*, 0\\)$/.test(background) && background !== "transparent") break;
    background = "rgb(255, 255, 255)";
  }
  const host = box.querySelector(".mermaid");
  const svg = host && host.shadowRoot && host.shadowRoot.querySelector("svg");
  const texts = svg ? [...svg.querySelectorAll("text.legend, text:not([class])")] : [];
  return {
    background,
    texts: texts.map((text) => [
      text.textContent, getComputedStyle(text.querySelector("tspan") || text).fill]),
  };
}
"""


def _luminance(colour: str) -> float:
    """WCAG's relative luminance of a CSS rgb() or rgba() colour (alpha ignored)."""
    red, green, blue = (float(part) / 255 for part in re.findall(r"[\d.]+", colour)[:3])

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(one: str, other: str) -> float:
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_the_diagram_title_and_legend_read_in_both_palettes(
    example: ServedSite, visit_in: Any, scheme: str
) -> None:
    """axe does not judge SVG text; Mermaid draws these straight on the page's background."""
    visit: Visit = visit_in(width=WIDE["width"])
    visit.page.emulate_media(color_scheme=scheme)
    faint: list[tuple[str, str, float]] = []
    for journey_id in example.registry.journeys:
        load(visit, example, f"journeys/{journey_id}/")
        drawn = visit.page.evaluate(DIAGRAM_TEXT_COLOURS_JS)
        assert drawn is not None and drawn["texts"], f"{journey_id}: no .cjm-diagram"
        faint += [
            (journey_id, text, round(ratio, 2))
            for text, fill in drawn["texts"]
            if fill.startswith("rgb") and (ratio := contrast(fill, drawn["background"])) < 4.5
        ]
    assert faint == [], (scheme, faint)
