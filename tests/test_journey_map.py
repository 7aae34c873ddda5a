"""The journey page's map as HTML: the grid, the curve in it, the stylesheet.

The golden maps are rendered as the plugin renders them: cjm's HTML, with the
author's Markdown bodies between its pieces converted with the extensions the
site uses, as MkDocs shows the page; then read back as a tree. What a test
expects is derived from the journey records, never written out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from golden_pages import GOLDEN, GOLDEN_HISTORY, load
from maps import make_folder
from markdown_setup import EXTENSION_CONFIGS, EXTENSIONS
from sites import journey, persona, touchpoint

from cjm_plugin.charts import STEP_COLUMN_WIDTH
from cjm_plugin.mermaid import EMOTION_WORDS
from cjm_plugin.pages import Page, UrlLayout, render_site
from cjm_plugin.pages.markup import CHANNEL_TITLES, EMOTION_FACES
from cjm_plugin.registry import Registry
from cjm_plugin.urls import relative_url

CSS = Path(__file__).parents[1] / "cjm_plugin" / "assets" / "cjm.css"
VOID = frozenset(
    {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
#: Classes on the page that cjm's stylesheet leaves to the site.
HOOKS = frozenset({"cjm-map__name", "cjm-map__row"})
LANES = [
    "Actors",
    "Touchpoints",
    "Emotion",
    "Emotion curve",
    "Thoughts",
    "Pain points",
    "Opportunities",
]


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if (tag is None or child.tag == tag) and (cls is None or cls in child.classes):
                    found.append(child)
                found.extend(child.find_all(tag, cls))
        return found

    def find(self, tag: str | None = None, cls: str | None = None) -> Node:
        found = self.find_all(tag, cls)
        assert len(found) == 1, (tag, cls, len(found))
        return found[0]

    def rows(self) -> list[Node]:
        return self.find_all("tr")

    def cells(self) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node) and c.tag in ("td", "th")]


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


@cache
def golden() -> Registry:
    return load(GOLDEN / "journeys")


@cache
def golden_pages() -> dict[str, Page]:
    return {page.uri: page for page in render_site(golden(), history=GOLDEN_HISTORY)}


def site_html(page: Page) -> str:
    """The page as the site shows it: cjm's HTML, each body converted between the pieces."""
    pieces = [page.html[0]]
    for body, html in zip(page.bodies, page.html[1:], strict=True):
        converted = markdown.markdown(
            body, extensions=[*EXTENSIONS, "toc"], extension_configs=EXTENSION_CONFIGS
        )
        pieces += [converted, "\n", html]
    return "".join(pieces)


def parse(html: str) -> Node:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    return tree.root


@cache
def journey_html(journey_id: str) -> Node:
    return parse(site_html(golden_pages()[UrlLayout().journey_uri(journey_id)]))


def journeys() -> list[str]:
    return sorted(golden().journeys)


def _grid(journey_id: str) -> Node:
    region = journey_html(journey_id).find("div", "cjm-map")
    return region.find("table", "cjm-map__grid")


# --- the grid -------------------------------------------------------------------


@pytest.mark.parametrize("journey_id", journeys())
def test_the_grid_is_a_scrolling_region_with_a_table(journey_id: str) -> None:
    region = journey_html(journey_id).find("div", "cjm-map")
    assert region.attrs["role"] == "region"
    assert region.attrs["aria-label"] == "Journey map"
    assert region.attrs["tabindex"] == "0"
    assert "markdown" not in region.attrs  # HTML: nothing for Markdown to convert
    assert len(region.find_all("table", "cjm-map__grid")) == 1


@pytest.mark.parametrize("journey_id", journeys())
def test_one_header_per_stage_spanning_its_steps_with_its_goal(journey_id: str) -> None:
    journey = golden().journeys[journey_id]
    headers = _grid(journey_id).find_all("th", "cjm-map__stage")
    assert [h.attrs["data-stage"] for h in headers] == [s.slug for s in journey.stages]
    for header, stage in zip(headers, journey.stages, strict=True):
        assert header.attrs["scope"] == "colgroup"
        assert header.attrs["colspan"] == str(len(stage.steps))
        assert header.find("span", "cjm-map__stage-name").text == " ".join(stage.name.split())
        goals = header.find_all("span", "cjm-map__goal")
        if stage.goal:
            assert [g.text for g in goals] == [stage.goal.strip()]
        else:
            assert goals == []


@pytest.mark.parametrize("journey_id", journeys())
def test_one_column_per_step_with_its_anchor_number_and_moment(journey_id: str) -> None:
    steps = golden().steps(journey_id)
    headers = _grid(journey_id).find_all("th", "cjm-map__step")
    assert [h.attrs["data-step"] for h in headers] == [str(ref.number) for ref in steps]
    for header, ref in zip(headers, steps, strict=True):
        assert header.attrs["scope"] == "col"
        assert header.attrs["id"] == ref.anchor
        assert header.find("span", "cjm-map__number").text == str(ref.number)
        assert header.find("span", "cjm-map__name").text == ref.step.name.strip()
        moment = ref.step.moment_of_truth
        assert ("cjm-map__step--moment" in header.classes) is moment
        assert ("⭐ Moment of truth" in header.text) is moment
    columns = _grid(journey_id).find("colgroup").find_all("col", "cjm-map__column")
    assert len(columns) == len(steps)


@pytest.mark.parametrize("journey_id", journeys())
def test_lanes_in_order_with_row_labels(journey_id: str) -> None:
    body = _grid(journey_id).find("tbody")
    labels = [row.cells()[0] for row in body.rows()]
    assert [label.text for label in labels] == LANES
    for label in labels:
        assert label.tag == "th" and label.attrs["scope"] == "row"
        assert "cjm-map__lane" in label.classes
    steps = len(golden().steps(journey_id))
    for row in body.rows():
        cells = row.cells()[1:]
        if "cjm-map__row--curve" in row.classes:
            assert [c.attrs["colspan"] for c in cells] == [str(steps)]
        else:
            assert len(cells) == steps


@pytest.mark.parametrize("journey_id", journeys())
def test_emotion_cells_show_face_number_and_word(journey_id: str) -> None:
    row = _grid(journey_id).find("tr", "cjm-map__row--emotion")
    for cell, ref in zip(row.cells()[1:], golden().steps(journey_id), strict=True):
        emotion = ref.step.emotion
        assert {"cjm-emotion", f"cjm-emotion--{emotion}"} <= cell.classes
        assert cell.find("span", "cjm-emotion__face").text == EMOTION_FACES[emotion]
        assert cell.find("span", "cjm-emotion__score").text == f"{emotion}/5"
        assert cell.find("span", "cjm-emotion__word").text == EMOTION_WORDS[emotion]


@pytest.mark.parametrize("journey_id", journeys())
def test_the_curve_spans_every_step_column_at_its_width(journey_id: str) -> None:
    steps = len(golden().steps(journey_id))
    cell = _grid(journey_id).find("td", "cjm-map__curve")
    svg = cell.find("svg", "cjm-curve")
    assert svg.attrs["width"] == str(steps * STEP_COLUMN_WIDTH)
    points = svg.find_all("circle", "cjm-curve__point")
    assert {p.attrs["data-step"] for p in points if "data-step" in p.attrs} == {
        str(n) for n in range(1, steps + 1)
    }


def _hrefs(cell: Node) -> list[str]:
    return [a.attrs["href"] for a in cell.find_all("a")]


@pytest.mark.parametrize("journey_id", journeys())
def test_actors_and_touchpoints_are_links_with_channels(journey_id: str) -> None:
    registry, layout = golden(), UrlLayout()
    here = layout.journey_uri(journey_id)
    grid = _grid(journey_id)
    actors = grid.find("tr", "cjm-map__row--actors").cells()[1:]
    touchpoints = grid.find("tr", "cjm-map__row--touchpoints").cells()[1:]
    for ref, actor_cell, touchpoint_cell in zip(
        registry.steps(journey_id), actors, touchpoints, strict=True
    ):
        assert _hrefs(actor_cell) == [
            relative_url(here, layout.persona_uri(p)) for p in ref.journey.actors_of(ref.step)
        ]
        assert _hrefs(touchpoint_cell) == [
            relative_url(here, layout.touchpoints_uri(), t) for t in ref.step.touchpoints
        ]
        # Final URLs, as a browser resolves them: the page's folder, then the target's.
        for href in _hrefs(actor_cell) + _hrefs(touchpoint_cell):
            assert not href.endswith(".md") and ".md#" not in href, href
        channels = [span.text for span in touchpoint_cell.find_all("span", "cjm-channel")]
        assert channels == [
            CHANNEL_TITLES[registry.touchpoints[t].channel] for t in ref.step.touchpoints
        ]


@pytest.mark.parametrize("journey_id", journeys())
def test_thoughts_pain_points_and_opportunities_are_in_their_lanes(journey_id: str) -> None:
    grid = _grid(journey_id)
    lanes = {
        lane: grid.find("tr", f"cjm-map__row--{lane}").cells()[1:]
        for lane in ("thoughts", "pain-points", "opportunities")
    }
    for n, ref in enumerate(golden().steps(journey_id)):
        step = ref.step
        assert lanes["thoughts"][n].text == (step.thoughts or "").strip()
        for lane, items in (
            ("pain-points", step.pain_points),
            ("opportunities", step.opportunities),
        ):
            assert [li.text for li in lanes[lane][n].find_all("li")] == [i.strip() for i in items]


# --- each step once ---------------------------------------------------------------


@pytest.mark.parametrize("journey_id", journeys())
def test_a_steps_text_is_once_on_the_page_in_the_grid(journey_id: str) -> None:
    """No second copy of the steps (the phone's cards are gone): each thought is in the
    grid's thoughts lane, and nowhere else."""
    page = journey_html(journey_id)
    assert not [n for n in page.find_all() if any(c.startswith("cjm-card") for c in n.classes)]
    thoughts = [n.text for n in page.find_all(cls="cjm-map__thought")]
    expected = [
        ref.step.thoughts.strip() for ref in golden().steps(journey_id) if ref.step.thoughts
    ]
    assert thoughts == expected
    lane = _grid(journey_id).find("tr", "cjm-map__row--thoughts")
    assert [n.text for n in lane.find_all(cls="cjm-map__thought")] == expected
    for ref in golden().steps(journey_id):
        headers = [n for n in page.find_all() if n.attrs.get("id") == ref.anchor]
        assert [h.tag for h in headers] == ["th"]


@pytest.mark.parametrize("journey_id", journeys())
def test_every_id_on_the_page_is_unique(journey_id: str) -> None:
    """cjm's headings, the grid's step anchors and the body's headings (ids from ``toc``):
    none may take another's id."""
    ids = [node.attrs["id"] for node in journey_html(journey_id).find_all() if "id" in node.attrs]
    assert len(ids) == len(set(ids))


# --- what the page no longer holds, and what it escapes -------------------------------


@pytest.mark.parametrize("journey_id", journeys())
def test_one_mermaid_diagram_and_no_xychart(journey_id: str) -> None:
    source = golden_pages()[UrlLayout().journey_uri(journey_id)].markdown
    assert len(journey_html(journey_id).find_all("pre", "mermaid")) == 1
    assert source.count('<pre class="mermaid">') == 1
    assert "xychart" not in source
    assert "Mermaid colours" not in source
    headings = [n.text for n in journey_html(journey_id).find_all() if n.tag in ("h2", "h3")]
    assert "Emotion curve" not in headings


def test_hostile_text_stays_text_in_the_map() -> None:
    html = site_html(golden_pages()[UrlLayout().journey_uri("hostile-journey")])
    assert "<script" not in html
    part = parse(html).find("div", "cjm-map")
    tags = {node.tag for node in part.find_all()}
    assert not tags & {"script", "img", "b", "iframe"}, tags
    for node in part.find_all():
        assert not any(name.startswith("on") for name in node.attrs), node.attrs
        assert not node.attrs.get("href", "").startswith("javascript:")
    journey = golden().journeys["hostile-journey"]
    names = [h.text for h in part.find_all("span", "cjm-map__stage-name")]
    assert names == [" ".join(stage.name.split()) for stage in journey.stages]
    # Escaped as HTML, and shown as written.
    pains = part.find("tr", "cjm-map__row--pain-points").cells()[1]
    assert [li.text for li in pains.find_all("li")] == [
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
    ]
    assert (
        '<ul class="cjm-map__list"><li>&lt;script&gt;alert(1)&lt;/script&gt;</li>'
        "<li>[x](javascript:alert(1))</li></ul>"
    ) in html


# --- the stylesheet -------------------------------------------------------------


def test_stylesheet_step_width_is_the_curves() -> None:
    widths = re.findall(r"--cjm-step-width:\s*(\d+)px", CSS.read_text(encoding="utf-8"))
    assert widths == [str(STEP_COLUMN_WIDTH)]


def test_stylesheet_styles_every_class_the_page_holds() -> None:
    css = CSS.read_text(encoding="utf-8")
    classes = set()
    for journey_id in journeys():
        for node in journey_html(journey_id).find_all():
            classes |= {c for c in node.classes if c.startswith("cjm-") and "--" not in c}
    classes = {c for c in classes if not c.startswith("cjm-curve")}  # the SVG draws itself
    classes -= {"cjm-facts"} if ".cjm-facts" in css else set()
    # Hooks for a site's own stylesheet: print hid them while the cards repeated the
    # steps; the whole grid prints now, so they need no rule of cjm's.
    assert classes >= HOOKS, "a hook that is gone: drop it from HOOKS"
    unstyled = sorted(c for c in classes - HOOKS if not re.search(rf"\.{re.escape(c)}\b", css))
    assert unstyled == []
    for emotion in range(1, 6):
        assert f".cjm-emotion--{emotion}" in css


def test_stylesheet_has_dark_phone_and_landscape_print_layouts() -> None:
    css = CSS.read_text(encoding="utf-8")
    assert '[data-md-color-scheme="slate"]' in css
    # On a phone the lane labels are narrower and the tables set tighter; the map
    # stays, the one copy of the steps.
    phone = css[css.index("@media screen and (max-width: 599.98px)") :]
    assert re.search(r"\.cjm-map\s*\{\s*--cjm-lane-width:", phone)
    assert ".md-typeset:has(.cjm-map) table:not([class])" in phone
    assert not re.search(r"\.cjm-map\s*\{\s*display: none", css)
    assert re.search(r"@page[^{]*\{\s*size: landscape", css)
    assert "@media print" in css
    assert "position: sticky" in css


def test_braces_in_author_text_set_no_attribute(tmp_path: Path) -> None:
    """``attr_list`` reads a trailing ``{: ...}`` in a raw heading, cell or list item as
    attributes: author text in the map's raw HTML must never set one."""
    braces = ['Pays {: onclick="alert(1)" }', "x {: onclick=alert(2) #evil .evil}", "{#evil}"]
    lines = [f"{text}\n{{: onclick=alert(3) #evil .evil}}" for text in braces]
    files = {
        "p.md": persona("p", braces[0]),
        "t.md": touchpoint("t", braces[1], "web"),
        "j.md": journey(
            "j",
            braces[0],
            ["p"],
            [
                {
                    "name": text,
                    "id": f"stage-{n}",
                    "goal": text,
                    "steps": [
                        {
                            "name": text,
                            "touchpoints": ["t"],
                            "emotion": 3,
                            "thoughts": lines[n],
                            "pain_points": [*braces, *lines],
                            "opportunities": [*lines, *braces],
                            "moment_of_truth": True,
                        }
                    ],
                }
                for n, text in enumerate(braces)
            ],
        ),
    }
    registry = load(make_folder(tmp_path, files))
    page = next(p for p in render_site(registry) if p.uri == "journeys/j/index.md")
    # As the site shows it, and as `cjm render` writes it for Markdown to convert.
    written = markdown.markdown(
        page.markdown, extensions=[*EXTENSIONS, "toc"], extension_configs=EXTENSION_CONFIGS
    )
    for html in (site_html(page), written):
        root = parse(html)
        for node in root.find_all():
            assert not any(name.startswith("on") for name in node.attrs), node
            assert "evil" not in node.classes, node
            assert node.attrs.get("id") != "evil", node
        grid = root.find("table", "cjm-map__grid")
        assert [s.text for s in grid.find_all("span", "cjm-map__stage-name")] == braces
        assert [s.text for s in grid.find_all("span", "cjm-map__name")] == braces
