"""Journey maps in, HTML pages out: content, links, escaping and golden pages.

Pages are HTML pieces with the author's Markdown bodies between them; the
tests read them as the site shows them (the bodies converted with the
extensions the pages rely on) and as a tree.

Set ``CJM_UPDATE_GOLDEN=1`` to rewrite ``tests/golden/render/expected`` from the
current output (then review the diff before committing it).
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import urllib.parse
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from textwrap import dedent

import markdown
import pytest
from golden_pages import GOLDEN, GOLDEN_HISTORY, load
from hypothesis import given
from hypothesis import strategies as st
from markdown_setup import EXTENSION_CONFIGS, EXTENSIONS

from cjm_plugin.history import Revision
from cjm_plugin.mermaid import journey_diagram
from cjm_plugin.pages import GENERATED_COMMENT, Page, UrlLayout, render_site
from cjm_plugin.urls import export_uris, page_url, relative_url


def by_uri(pages: list[Page]) -> dict[str, Page]:
    return {page.uri: page for page in pages}


# --- reading a page -------------------------------------------------------------

VOID = frozenset(
    {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


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
        """The text a reader sees; a ``<br>`` is a line break."""
        return "".join(
            c if isinstance(c, str) else "\n" if c.tag == "br" else c.text for c in self.children
        )

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

    def cells(self) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node) and c.tag in ("td", "th")]

    def rows(self) -> list[list[str]]:
        """The text of each table row's cells, header rows too."""
        return [[cell.text for cell in row.cells()] for row in self.find_all("tr")]

    def links(self) -> list[tuple[str, str]]:
        """Each link's text and href, in page order."""
        return [(a.text, a.attrs.get("href", "")) for a in self.find_all("a")]

    def items(self) -> list[str]:
        return [li.text for li in self.find_all("li")]

    def headings(self) -> list[tuple[str, str, str]]:
        """(tag, id, text) of each heading, in page order."""
        return [
            (n.tag, n.attrs.get("id", ""), n.text)
            for n in self.find_all()
            if re.fullmatch("h[1-6]", n.tag)
        ]


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


def tree(html: str) -> Node:
    parser = _Tree()
    parser.feed(html)
    parser.close()
    return parser.root


def site_html(page: Page) -> str:
    """The page as the site shows it: cjm's HTML, each body converted between the pieces."""
    pieces = [page.html[0]]
    for body, html in zip(page.bodies, page.html[1:], strict=True):
        converted = markdown.markdown(
            body, extensions=[*EXTENSIONS, "toc"], extension_configs=EXTENSION_CONFIGS
        )
        pieces += [converted, "\n", html]
    return "".join(pieces)


def section(html: str, heading: str) -> Node:
    """What is under one ``<h2>``, up to the next one."""
    found = re.search(rf'<h2 id="[^"]*">{re.escape(escape(heading))}</h2>', html)
    assert found is not None, heading
    end = html.find("<h2", found.end())
    return tree(html[found.start() : end if end != -1 else None])


def read(page: Page) -> tuple[str, Node]:
    html = site_html(page)
    return html, tree(html)


# --- golden pages -------------------------------------------------------------


def test_golden_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793491200")  # 2026-11-01: the action board's date
    pages = render_site(load(GOLDEN / "journeys"), history=GOLDEN_HISTORY)
    expected_dir = GOLDEN / "expected"
    if os.environ.get("CJM_UPDATE_GOLDEN") == "1":
        shutil.rmtree(expected_dir, ignore_errors=True)
        for page in pages:
            target = expected_dir / page.uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.markdown, encoding="utf-8", newline="\n")
    expected = {
        path.relative_to(expected_dir).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(expected_dir.rglob("*.md"))
    }
    assert sorted(expected) == [page.uri for page in pages]
    for page in pages:
        assert page.markdown == expected[page.uri], f"{page.uri} differs from its golden page"


# --- every link resolves, nothing runs ------------------------------------------


@pytest.mark.parametrize("directory_urls", [True, False])
def test_every_link_between_pages_resolves_to_a_page_and_an_anchor(directory_urls: bool) -> None:
    layout = UrlLayout(directory_urls=directory_urls)
    pages = render_site(load(GOLDEN / "journeys"), layout, history=GOLDEN_HISTORY)
    by_url = {page_url(page.uri, directory_urls): page for page in pages}
    assert len(by_url) == len(pages), "one page per URL"
    ids = {
        url: {node.attrs["id"] for node in tree(site_html(page)).find_all() if "id" in node.attrs}
        for url, page in by_url.items()
    }
    exports = {page_url(uri, directory_urls) for uri in export_uris(layout)}
    checked = 0
    for url, page in by_url.items():
        targets = set()
        for _, href in tree("".join(page.html)).links():
            assert not urllib.parse.urlsplit(href).scheme, f"{page.uri}: {href} is not relative"
            assert not href.startswith("/"), f"{page.uri}: {href} is not relative"
            path, _, anchor = urllib.parse.urljoin("/" + url, href).partition("#")
            target = path.removeprefix("/")
            targets.add(target)
            if target in exports:  # files the plugin publishes, no page
                continue
            assert target in by_url, f"{page.uri}: {href} points at no page"
            if anchor:
                assert anchor in ids[target], f"{page.uri}: {href} has no anchor"
            checked += 1
        assert targets == {page_url(uri, directory_urls) for uri in page.links}, page.uri
    assert checked > 100


def test_hostile_text_stays_text_in_every_page() -> None:
    pages = render_site(load(GOLDEN / "journeys"), history=GOLDEN_HISTORY)
    for page in pages:
        # As the site shows it, and as `cjm render` writes it for Markdown to convert.
        shown = site_html(page)
        written = markdown.markdown(
            page.markdown, extensions=[*EXTENSIONS, "toc"], extension_configs=EXTENSION_CONFIGS
        )
        for html in (shown, written):
            assert "<script" not in html, page.uri
            nodes = tree(html).find_all()
            tags = {node.tag for node in nodes}
            assert not tags & {"script", "img", "b", "iframe"}, (page.uri, tags)
            for node in nodes:
                assert not any(name.startswith("on") for name in node.attrs), (page.uri, node)
                assert "src" not in node.attrs, (page.uri, node)
                assert not node.attrs.get("href", "").startswith("javascript:"), page.uri
    html, page_tree = read(by_uri(pages)["journeys/hostile-journey/index.md"])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<li>[x](javascript:alert(1))</li>" in html, "brackets are text, not a link"
    assert "<script>alert(1)</script>" in page_tree.items(), "shown as written"
    assert "[x](javascript:alert(1))" in page_tree.items()
    objective = "Objective: Cut drop-off | by 50% <img src=x onerror=alert(1)>"
    assert objective in page_tree.items()
    persona_html, persona = read(by_uri(pages)["personas/hostile-persona/index.md"])
    assert "Role: <script>alert(1)</script>" in persona.items()
    assert "&lt;b&gt;bold&lt;/b&gt; &amp;amp; {#id}" in persona_html
    assert "O&#x27;Brien, Pat" in persona_html  # quotes escaped too


def test_no_text_closes_a_diagram_block_early() -> None:
    registry = load(GOLDEN / "journeys")
    names = {pid: persona.name for pid, persona in registry.personas.items()}
    pages = by_uri(render_site(registry))
    for journey in registry.journeys.values():
        page = pages[UrlLayout().journey_uri(journey.id)]
        diagrams = tree(site_html(page)).find_all("pre", "mermaid")
        assert len(diagrams) == 1, "the journey diagram; the curve is SVG in the map"
        (code,) = diagrams[0].find_all("code")
        assert code.text == journey_diagram(journey, names)


# --- content, from files in tmp_path --------------------------------------------


FILES = {
    "personas/jane-doe.md": """\
        ---
        type: persona
        name: Jane Doe
        role: Marketing Manager
        segment: Urban professionals
        demographics:
          age: 30
          location: New York
        goals: [Improve marketing skills]
        challenges: [Lack of time]
        preferences: [Prefers webinars]
        quote: "I need tools that save me time."
        ---
        Jane's story.
        """,
    "personas/bob.md": """\
        ---
        type: persona
        name: Bob Stone
        ---
        """,
    "touchpoints/checkout-page.md": """\
        ---
        type: touchpoint
        name: Checkout page
        channel: web
        category: purchase
        owner: web-team
        ---
        Where the customer pays.
        """,
    "touchpoints/receipt.md": """\
        ---
        type: touchpoint
        name: Receipt email
        channel: email
        category: post-purchase
        ---
        """,
    "touchpoints/forum.md": """\
        ---
        type: touchpoint
        name: Community forum
        channel: social
        ---
        """,
    "journeys/course-purchase.md": """\
        ---
        type: journey
        title: Jane buys an online course
        personas: [jane-doe]
        compares_to: course-purchase-future
        objective: Cut checkout drop-off from 40% to 25% by Q3
        owner: growth-team
        tags: [e-learning, checkout]
        touchpoints:
          - id: linkedin-ad
            name: LinkedIn ad
            channel: social
            category: pre-purchase
        stages:
          - name: Awareness
            steps:
              - name: Sees an ad on LinkedIn
                touchpoints: [linkedin-ad]
                emotion: 3
                thoughts: "Is this worth my time?"
                pain_points: [Ad is generic]
                opportunities: [Target by job role]
          - name: Purchase
            steps:
              - name: Pays at checkout
                touchpoints: [checkout-page]
                emotion: 1
                actors: [jane-doe, bob]
                pain_points: [Form is too long, Ad is generic]
                moment_of_truth: true
              - name: Gets a receipt
                touchpoints: [receipt]
                emotion: 2
                pain_points: [Form is too long]
        metrics:
          - name: Customer satisfaction
            before: "70%"
            after: "85%"
        actions:
          - title: Streamline the checkout form
            owner: web-team
            due: 2025-03-01
            status: in-progress
        ---
        ## Research notes

        Interviews, *as written*.
        """,
    "journeys/course-purchase-future.md": """\
        ---
        type: journey
        title: Jane buys a course, next year
        personas: [jane-doe]
        state: future
        stages:
          - name: Purchase
            steps:
              - name: Pays in one click
                touchpoints: [checkout-page]
                emotion: 5
              - name: Starts the course
                emotion: 4
        ---
        """,
}


def write_files(folder: Path, order: list[str]) -> None:
    for name in order:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(FILES[name]), encoding="utf-8")


@pytest.fixture
def pages(tmp_path: Path) -> dict[str, Page]:
    write_files(tmp_path, sorted(FILES))
    history = {
        "course-purchase": [Revision("abc1234", "2025-01-02", "Jane Doe", "Add checkout step")]
    }
    return by_uri(render_site(load(tmp_path), history=history))


def test_pages_and_their_uris_kinds_and_sources(pages: dict[str, Page]) -> None:
    assert [(uri, p.kind, p.source, p.title) for uri, p in pages.items()] == [
        ("journeys/actions/index.md", "actions", None, "Action board"),
        (
            "journeys/course-purchase-future/index.md",
            "journey",
            "journeys/course-purchase-future.md",
            "Jane buys a course, next year",
        ),
        (
            "journeys/course-purchase/index.md",
            "journey",
            "journeys/course-purchase.md",
            "Jane buys an online course",
        ),
        ("journeys/index.md", "overview", None, "Customer journeys"),
        ("journeys/owners/growth-team/index.md", "groups", None, "Journeys owned by growth-team"),
        ("journeys/owners/index.md", "groups", None, "Journeys by owner"),
        ("journeys/tags/checkout/index.md", "groups", None, "Journeys tagged checkout"),
        ("journeys/tags/e-learning/index.md", "groups", None, "Journeys tagged e-learning"),
        ("journeys/tags/index.md", "groups", None, "Journeys by tag"),
        ("personas/bob/index.md", "persona", "personas/bob.md", "Bob Stone"),
        ("personas/jane-doe/index.md", "persona", "personas/jane-doe.md", "Jane Doe"),
        ("touchpoints/index.md", "touchpoints", None, "Touchpoints"),
    ]


def test_journey_page(pages: dict[str, Page]) -> None:
    page = pages["journeys/course-purchase/index.md"]
    assert page.markdown.startswith(
        GENERATED_COMMENT
        + '\n\n<h1 id="jane-buys-an-online-course">Jane buys an online course</h1>\n'
    )
    html, whole = read(page)
    head = tree(html[: html.index("<h2 ")])
    assert head.items()[:6] == [
        "State: Current state",
        "Future state: Jane buys a course, next year",
        "Objective: Cut checkout drop-off from 40% to 25% by Q3",
        "Owner: growth-team",
        "Tags: e-learning, checkout",
        "Personas: Jane Doe",
    ]
    assert "<li><strong>Owner:</strong> growth-team</li>" in html
    assert ("Jane buys a course, next year", "../course-purchase-future/") in head.links()
    assert ("Jane Doe", "../../personas/jane-doe/") in head.links()
    assert "2.0 out of 5" in head.text

    diagram = section(html, "Journey diagram").find("div", "cjm-diagram")
    assert (diagram.attrs["role"], diagram.attrs["aria-label"]) == ("region", "Journey diagram")
    source = diagram.find("pre", "mermaid").text
    assert "\n---\njourney\n" in source
    assert "    section Awareness\n        Sees an ad on LinkedIn: 3: Jane Doe\n" in source
    assert "        Pays at checkout: 1: Jane Doe, Bob Stone\n" in source

    grid = section(html, "Journey map").find("table", "cjm-map__grid")
    assert "markdown" not in grid.attrs, "HTML: nothing left for Markdown to convert"
    stages = grid.find_all("th", "cjm-map__stage")
    assert [(s.attrs["data-stage"], s.attrs["colspan"]) for s in stages] == [
        ("awareness", "1"),
        ("purchase", "2"),
    ], "one header over a stage's steps"
    (step,) = [
        th for th in grid.find_all("th") if th.attrs.get("id") == "purchase--pays-at-checkout"
    ]
    assert step.attrs["scope"] == "col"
    assert step.attrs["data-step"] == "2"
    assert {"cjm-map__step", "cjm-map__step--moment", "cjm-map__cell--stage-start"} <= step.classes
    assert step.find("span", "cjm-map__number").text == "2"
    assert step.find("span", "cjm-map__name").text == "Pays at checkout"
    assert step.find("span", "cjm-map__moment").text == "⭐ Moment of truth"
    assert ("Checkout page", "../../touchpoints/#checkout-page") in grid.links()
    assert len(grid.find_all("svg", "cjm-curve")) == 1
    assert "xychart-beta" not in page.markdown

    assert ["Customer satisfaction", "70%", "85%", "+15 pts"] in section(html, "Metrics").rows()
    assert ["Streamline the checkout form", "web-team", "2025-03-01", "In progress"] in section(
        html, "Actions"
    ).rows()
    assert ["2025-01-02", "abc1234", "Jane Doe", "Add checkout step"] in section(
        html, "Revision history"
    ).rows()
    # The body last, as written in the file, converted by the site.
    assert page.bodies == ("## Research notes\n\nInterviews, *as written*.",)
    assert page.markdown.endswith("</table>\n\n## Research notes\n\nInterviews, *as written*.\n")
    notes = section(html, "Research notes")
    assert notes.find("p").text == "Interviews, as written."
    assert notes.find("em").text == "as written"
    assert whole.headings()[-1] == ("h2", "research-notes", "Research notes")


def test_journey_page_without_history_actions_or_body(pages: dict[str, Page]) -> None:
    page = pages["journeys/course-purchase-future/index.md"]
    html, whole = read(page)
    titles = [text for tag, _, text in whole.headings() if tag == "h2"]
    assert "Metrics" in titles
    for heading in ("Revision history", "Actions", "Moments of truth"):
        assert heading not in titles
    # It names no metric, and shows those of its current state, marked as borrowed.
    metrics = section(html, "Metrics").rows()
    assert [row[:3] for row in metrics] == [
        ["Metric", "Before", "After"],
        ["Customer satisfaction", "70% †", "85% †"],
    ]
    assert "Current state: Jane buys an online course" in whole.items()
    assert ("Jane buys an online course", "../course-purchase/") in whole.links()
    assert page.bodies == ()
    assert page.markdown.endswith("\n")
    assert not page.markdown.endswith("\n\n")


def test_persona_page(pages: dict[str, Page]) -> None:
    page = pages["personas/jane-doe/index.md"]
    assert page.markdown.startswith(
        GENERATED_COMMENT + '\n\n<h1 id="jane-doe">Jane Doe</h1>\n<ul>\n'
        "<li><strong>Role:</strong> Marketing Manager</li>\n"
        "<li><strong>Segment:</strong> Urban professionals</li>\n"
    )
    html, whole = read(page)
    assert whole.find("blockquote").text.strip() == "“I need tools that save me time.”"
    assert ["age", "30"] in section(html, "Demographics").rows()
    assert section(html, "Goals").items() == ["Improve marketing skills"]
    journeys = section(html, "Journeys")
    assert [
        "Jane buys an online course",
        "Current state",
        "2.0",
        "😞 1/5 very negative: 2. Pays at checkout",
    ] in journeys.rows()
    assert journeys.links()[:3] == [
        ("Jane buys an online course", "../../journeys/course-purchase/"),
        (
            "2. Pays at checkout",
            "../../journeys/course-purchase/#purchase--pays-at-checkout",
        ),
        ("Jane buys a course, next year", "../../journeys/course-purchase-future/"),
    ]
    touchpoints = section(html, "Touchpoints").links()
    assert [href for _, href in touchpoints] == [
        "../../touchpoints/#checkout-page",
        "../../touchpoints/#linkedin-ad",
        "../../touchpoints/#receipt",
    ]
    assert page.bodies == ("Jane's story.",)
    assert "<p>Jane's story.</p>" in html
    bob_html, bob = read(pages["personas/bob/index.md"])
    assert ("Jane buys an online course", "../../journeys/course-purchase/") in section(
        bob_html, "Journeys"
    ).links()
    assert "Receipt email" not in bob.text  # Bob acts only at checkout


def test_touchpoint_index_groups_by_category_then_channel(pages: dict[str, Page]) -> None:
    html, whole = read(pages["touchpoints/index.md"])
    assert whole.headings()[1:] == [
        ("h2", "pre-purchase", "Pre-purchase"),
        ("h3", "social", "Social"),
        ("h4", "linkedin-ad", "LinkedIn ad"),
        ("h2", "purchase", "Purchase"),
        ("h3", "web", "Web"),
        ("h4", "checkout-page", "Checkout page"),
        ("h2", "post-purchase", "Post-purchase"),
        ("h3", "email", "Email"),
        ("h4", "receipt", "Receipt email"),
        ("h2", "uncategorised", "Uncategorised"),
        ("h3", "social_1", "Social"),
        ("h4", "forum", "Community forum"),
    ]
    checkout = tree(html[html.index('id="checkout-page"') : html.index('id="post-purchase"')])
    assert "Owner: web-team" in checkout.items()
    assert "Where the customer pays." in checkout.text
    assert [
        "Jane buys an online course",
        "Purchase",
        "2. Pays at checkout",
        "😞 1/5 very negative",
        "• Form is too long\n• Ad is generic",
    ] in checkout.rows()
    links = checkout.links()
    assert ("Jane buys an online course", "../journeys/course-purchase/") in links
    assert (
        "2. Pays at checkout",
        "../journeys/course-purchase/#purchase--pays-at-checkout",
    ) in links
    assert (
        "1. Pays in one click",
        "../journeys/course-purchase-future/#purchase--pays-in-one-click",
    ) in links
    assert "No step uses this touchpoint yet." in tree(html[html.index('id="forum"') :]).text


def _journey_row(page: Node, href: str) -> list[Node]:
    (row,) = [
        tr
        for tr in page.find_all("tr")
        if tr.cells()
        and tr.cells()[0].tag == "th"
        and tr.cells()[0].links() == [(tr.cells()[0].text, href)]
    ]
    return row.cells()


def _sorted_cells(cells: list[Node]) -> list[tuple[str | None, str]]:
    return [(cell.attrs.get("data-sort"), cell.text) for cell in cells]


def test_overview(pages: dict[str, Page]) -> None:
    html = site_html(pages["journeys/index.md"])
    journeys = section(html, "Journeys")
    current = _journey_row(journeys, "course-purchase/")
    assert _sorted_cells(current[:5]) == [
        (None, "Jane buys an online course"),
        (None, "Jane Doe"),
        (None, "Current state"),
        ("2", "2"),
        ("2.0", "2.0"),
    ]
    assert current[1].links() == [("Jane Doe", "../personas/jane-doe/")]
    (lowest,) = [c for c in current if "Pays at checkout" in c.text]
    assert _sorted_cells([lowest]) == [("1", "😞 1/5 very negative: 2. Pays at checkout")]
    assert lowest.links() == [
        ("2. Pays at checkout", "course-purchase/#purchase--pays-at-checkout")
    ]
    future = _journey_row(journeys, "course-purchase-future/")
    assert _sorted_cells(future[2:5]) == [(None, "Future state"), ("1", "1"), ("4.5", "4.5")]
    personas = section(html, "Personas")
    assert personas.items() == ["Bob Stone", "Jane Doe — Marketing Manager"]
    assert personas.links() == [
        ("Bob Stone", "../personas/bob/"),
        ("Jane Doe", "../personas/jane-doe/"),
    ]
    pain_points = section(html, "Pain points").find_all("table")[0]
    ranked = [row[0] for row in pain_points.rows()[1:]]
    # Both at emotion 1; "Form is too long" and "Ad is generic" recur twice, then by text.
    assert ranked == ["Ad is generic", "Form is too long"]
    coverage = section(html, "Persona coverage by stage")
    assert coverage.rows() == [
        ["Persona", "Awareness", "Purchase"],
        ["Bob Stone", "—", "✓"],
        ["Jane Doe", "✓", "✓"],
    ]
    assert coverage.links() == [
        ("Bob Stone", "../personas/bob/"),
        ("Jane Doe", "../personas/jane-doe/"),
    ]


def test_two_renders_of_files_written_in_different_orders_are_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "journeys", tmp_path / "b" / "journeys"
    write_files(first, sorted(FILES))
    write_files(second, sorted(FILES, reverse=True))
    assert render_site(load(first)) == render_site(load(second))


@pytest.mark.parametrize(
    "directory_urls, index", [(True, ""), (False, "index.html")], ids=["directory", "file"]
)
def test_a_url_layout_moves_pages_and_every_link_follows(
    tmp_path: Path, directory_urls: bool, index: str
) -> None:
    write_files(tmp_path, sorted(FILES))
    layout = UrlLayout(
        journeys="maps",
        personas="people/all",
        touchpoints="places",
        directory_urls=directory_urls,
    )
    pages = by_uri(render_site(load(tmp_path), layout))
    assert sorted(pages) == [
        "maps/actions/index.md",
        "maps/course-purchase-future/index.md",
        "maps/course-purchase/index.md",
        "maps/index.md",
        "maps/owners/growth-team/index.md",
        "maps/owners/index.md",
        "maps/tags/checkout/index.md",
        "maps/tags/e-learning/index.md",
        "maps/tags/index.md",
        "people/all/bob/index.md",
        "people/all/jane-doe/index.md",
        "places/index.md",
    ]
    journey = tree("".join(pages["maps/course-purchase/index.md"].html)).links()
    assert ("Jane Doe", f"../../people/all/jane-doe/{index}") in journey
    assert ("Checkout page", f"../../places/{index}#checkout-page") in journey
    assert ("2. Pays at checkout", "#purchase--pays-at-checkout") in journey, "same page"
    persona = tree("".join(pages["people/all/jane-doe/index.md"].html)).links()
    assert ("Jane buys an online course", f"../../../maps/course-purchase/{index}") in persona
    assert (
        "Jane buys a course, next year",
        f"../../../maps/course-purchase-future/{index}",
    ) in persona


def test_averages_have_one_decimal(tmp_path: Path) -> None:
    write_files(tmp_path, sorted(FILES))
    (tmp_path / "journeys" / "course-purchase-future.md").write_text(
        dedent(FILES["journeys/course-purchase-future.md"]).replace("emotion: 4", "emotion: 2"),
        encoding="utf-8",
    )
    page = by_uri(render_site(load(tmp_path)))["journeys/index.md"]
    future = _journey_row(tree(site_html(page)), "course-purchase-future/")
    assert _sorted_cells(future[2:5]) == [(None, "Future state"), ("1", "1"), ("3.5", "3.5")]


_SEGMENT = st.sampled_from(["journeys", "personas", "a", "a-b", "cx", "x"])
_FILE = st.sampled_from(["index.md", "a.md", "README.md"])


@given(
    st.lists(_SEGMENT, max_size=3),
    _FILE,
    st.lists(_SEGMENT, max_size=3),
    _FILE,
    st.booleans(),
    st.sampled_from([None, "a--b"]),
)
def test_relative_url_agrees_with_relpath(
    here: list[str],
    here_file: str,
    target: list[str],
    target_file: str,
    directory_urls: bool,
    anchor: str | None,
) -> None:
    """Links between pages: what posixpath.relpath of their URLs would say, without its I/O,
    and what a browser resolves to the target's URL."""
    here_path, target_path = "/".join([*here, here_file]), "/".join([*target, target_file])
    here_url = page_url(here_path, directory_urls)
    target_url = page_url(target_path, directory_urls)
    url = relative_url(here_path, target_path, anchor, directory_urls)
    fragment = f"#{anchor}" if anchor else ""
    if here_path == target_path and anchor:
        assert url == fragment
        return
    folder = here_url.rpartition("/")[0] or "."
    expected = posixpath.relpath(target_url.rstrip("/") or ".", folder)
    if target_url.endswith("/") or not target_url:  # a folder: its URL ends with a slash
        expected = "./" if expected == "." else f"{expected}/"
    assert url == expected + fragment
    assert urllib.parse.urljoin("/" + here_url, url) == "/" + target_url + fragment
