"""Journey maps in, Markdown pages out: content, links, escaping and golden pages.

Set ``CJM_UPDATE_GOLDEN=1`` to rewrite ``tests/golden/render/expected`` from the
current output (then review the diff before committing it).
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
from html import unescape
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
from cjm_plugin.pages import GENERATED_COMMENT, Page, UrlLayout, relative_href, render_site
from cjm_plugin.pages.base import DEFAULT_LAYOUT
from cjm_plugin.pages.overview import export_uris


def by_uri(pages: list[Page]) -> dict[str, Page]:
    return {page.uri: page for page in pages}


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


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            self.attributes.add(name)
            if name == "id" and value:
                self.ids.add(value)
            if name == "href" and value is not None:
                self.hrefs.append(value)


def to_html(page: Page) -> _Links:
    # toc gives headings their ids, as MkDocs always does.
    html = markdown.markdown(
        page.markdown, extensions=[*EXTENSIONS, "toc"], extension_configs=EXTENSION_CONFIGS
    )
    parsed = _Links()
    parsed.feed(html)
    return parsed


def test_every_link_between_pages_resolves_to_a_page_and_an_anchor() -> None:
    pages = render_site(load(GOLDEN / "journeys"), history=GOLDEN_HISTORY)
    parsed = {page.uri: to_html(page) for page in pages}
    checked = 0
    for page in pages:
        for href in parsed[page.uri].hrefs:
            path, _, anchor = href.partition("#")
            target = (
                posixpath.normpath(posixpath.join(posixpath.dirname(page.uri), path))
                if path
                else page.uri
            )
            if target in export_uris(DEFAULT_LAYOUT):  # files the plugin publishes, no page
                continue
            assert target in parsed, f"{page.uri}: {href} points at no page"
            if anchor:
                assert anchor in parsed[target].ids, f"{page.uri}: {href} has no anchor"
            checked += 1
    assert checked > 100


def test_hostile_text_stays_text_in_every_page() -> None:
    pages = render_site(load(GOLDEN / "journeys"), history=GOLDEN_HISTORY)
    for page in pages:
        parsed = to_html(page)
        assert not parsed.tags & {"script", "img", "b"}, (page.uri, parsed.tags)
        assert not parsed.attributes & {"onerror", "src"}
        assert not any(href.startswith("javascript:") for href in parsed.hrefs)
    pages_by_uri = by_uri(pages)
    hostile = pages_by_uri["journeys/hostile-journey/index.md"].markdown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile
    assert "<li>[x](javascript:alert(1))</li>" in hostile, "raw HTML: brackets are not a link"


def test_no_text_closes_a_diagram_fence_early() -> None:
    registry = load(GOLDEN / "journeys")
    names = {pid: persona.name for pid, persona in registry.personas.items()}
    pages = by_uri(render_site(registry))
    for journey in registry.journeys.values():
        page = pages[UrlLayout().journey_uri(journey.id)]
        html = markdown.markdown(
            page.markdown, extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS
        )
        diagrams = re.findall(r'<pre class="mermaid"><code>(.*?)</code></pre>', html, re.DOTALL)
        assert len(diagrams) == 1, "the journey diagram; the curve is SVG in the map"
        assert unescape(diagrams[0]) + "\n" == journey_diagram(journey, names)


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


def section(markdown_text: str, heading: str) -> str:
    """The Markdown under one ``##`` heading, up to the next one."""
    start = markdown_text.index(f"\n## {heading}\n")
    end = markdown_text.find("\n## ", start + 1)
    return markdown_text[start : end if end != -1 else None]


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
    page = pages["journeys/course-purchase/index.md"].markdown
    assert page.startswith(GENERATED_COMMENT + "\n\n# Jane buys an online course\n")
    head = page[: page.index("\n## ")]
    assert "- **State:** Current state\n" in head
    assert (
        "- **Future state:** [Jane buys a course, next year](../course-purchase-future/index.md)\n"
        in head
    )
    assert "- **Objective:** Cut checkout drop-off from 40% to 25% by Q3\n" in head
    assert "- **Owner:** growth-team\n" in head
    assert "- **Tags:** e-learning, checkout\n" in head
    assert "- **Personas:** [Jane Doe](../../personas/jane-doe/index.md)\n" in head
    assert "2.0 out of 5" in head

    diagram = section(page, "Journey diagram")
    assert '<div class="cjm-diagram" role="region" aria-label="Journey diagram"' in diagram
    assert "\n---\njourney\n" in diagram
    assert "    section Awareness\n        Sees an ad on LinkedIn: 3: Jane Doe\n" in diagram
    assert "        Pays at checkout: 1: Jane Doe, Bob Stone\n" in diagram

    grid = section(page, "Journey map")
    assert '<table class="cjm-map__grid" markdown="1">' in grid
    assert (
        '<th scope="colgroup" class="cjm-map__stage" colspan="2" data-stage="purchase">' in grid
    ), "one header over a stage's steps"
    assert (
        '<th scope="col" class="cjm-map__step cjm-map__step--moment cjm-map__cell--stage-start" '
        'data-step="2" id="purchase--pays-at-checkout"><span class="cjm-map__number">2</span> '
        '<span class="cjm-map__name">Pays at checkout</span>'
        '<span class="cjm-map__moment">⭐ Moment of truth</span></th>'
    ) in grid
    assert "[Checkout page](../../touchpoints/index.md#checkout-page)" in grid
    assert grid.count('<svg xmlns="http://www.w3.org/2000/svg" class="cjm-curve"') == 1
    assert "xychart-beta" not in page

    assert "| Customer satisfaction | 70% | 85% | \\+15 pts |" in section(page, "Metrics")
    assert "| Streamline the checkout form | web-team | 2025-03-01 | In progress |" in section(
        page, "Actions"
    )
    assert "| 2025-01-02 | abc1234 | Jane Doe | Add checkout step |" in section(
        page, "Revision history"
    )
    assert page.endswith("## Research notes\n\nInterviews, *as written*.\n")


def test_journey_page_without_history_actions_or_body(pages: dict[str, Page]) -> None:
    page = pages["journeys/course-purchase-future/index.md"].markdown
    for heading in ("Revision history", "Actions", "Moments of truth"):
        assert f"\n## {heading}\n" not in page
    # It names no metric, and shows those of its current state, marked as borrowed.
    assert "| Customer satisfaction | 70% † | 85% † |" in section(page, "Metrics")
    assert "- **Current state:** [Jane buys an online course](../course-purchase/index.md)" in page
    assert page.endswith("\n")
    assert not page.endswith("\n\n")


def test_persona_page(pages: dict[str, Page]) -> None:
    page = pages["personas/jane-doe/index.md"].markdown
    assert page.startswith(
        GENERATED_COMMENT
        + "\n\n# Jane Doe\n\n- **Role:** Marketing Manager\n- **Segment:** Urban professionals\n"
    )
    assert "> “I need tools that save me time.”" in page
    assert "| age | 30 |" in section(page, "Demographics")
    assert "- Improve marketing skills" in section(page, "Goals")
    journeys = section(page, "Journeys")
    assert (
        "| [Jane buys an online course](../../journeys/course-purchase/index.md) | Current state"
        " | 2.0 "
        "| 😞 1/5 very negative: [2\\. Pays at checkout]"
        "(../../journeys/course-purchase/index.md#purchase--pays-at-checkout) |"
    ) in journeys
    assert (
        "[Jane buys a course, next year](../../journeys/course-purchase-future/index.md)"
        in journeys
    )
    touchpoints = section(page, "Touchpoints")
    assert (
        touchpoints.index("#checkout-page")
        < touchpoints.index("#linkedin-ad")
        < touchpoints.index("#receipt")
    )
    assert "Jane's story." in page
    bob = pages["personas/bob/index.md"].markdown
    assert "[Jane buys an online course]" in section(bob, "Journeys")
    assert "[Receipt email]" not in bob  # Bob acts only at checkout


def test_touchpoint_index_groups_by_category_then_channel(pages: dict[str, Page]) -> None:
    page = pages["touchpoints/index.md"].markdown
    order = [
        "## Pre-purchase",
        "### Social",
        "#### LinkedIn ad {#linkedin-ad}",
        "## Purchase",
        "### Web",
        "#### Checkout page {#checkout-page}",
        "## Post-purchase",
        "### Email",
        "#### Receipt email {#receipt}",
        "## Uncategorised",
        "### Social",
        "#### Community forum {#forum}",
    ]
    position = 0
    for line in order:
        position = page.index("\n" + line + "\n", position) + 1
    checkout = page[page.index("{#checkout-page}") : page.index("## Post-purchase")]
    assert "- **Owner:** web-team" in checkout
    assert "Where the customer pays." in checkout
    assert (
        "| [Jane buys an online course](../journeys/course-purchase/index.md) | Purchase "
        "| [2\\. Pays at checkout]"
        "(../journeys/course-purchase/index.md#purchase--pays-at-checkout) "
        "| 😞 1/5 very negative | • Form is too long<br>• Ad is generic |"
    ) in checkout
    assert (
        "[1\\. Pays in one click]"
        "(../journeys/course-purchase-future/index.md#purchase--pays-in-one-click)" in checkout
    )
    assert "No step uses this touchpoint yet." in page[page.index("{#forum}") :]


def test_overview(pages: dict[str, Page]) -> None:
    page = pages["journeys/index.md"].markdown
    assert (
        '<th scope="row" markdown="span">[Jane buys an online course](course-purchase/index.md)'
        '</th>\n<td markdown="span">[Jane Doe](../personas/jane-doe/index.md)</td>\n'
        '<td>Current state</td>\n<td data-sort="2">2</td>\n<td data-sort="2.0">2.0</td>\n'
    ) in page
    assert (
        '<td data-sort="1" markdown="span">😞 1/5 very negative: [2\\. Pays at checkout]'
        "(course-purchase/index.md#purchase--pays-at-checkout)</td>"
    ) in page
    assert '<td>Future state</td>\n<td data-sort="1">1</td>\n<td data-sort="4.5">4.5</td>' in page
    assert (
        "- [Bob Stone](../personas/bob/index.md)\n- [Jane Doe]"
        "(../personas/jane-doe/index.md) — Marketing Manager" in page
    )
    ranked = [
        row.split(" | ")[0]
        for row in section(page, "Pain points").splitlines()
        if row.startswith("| ") and "---" not in row
    ][1:]
    # Both at emotion 1; "Form is too long" and "Ad is generic" recur twice, then by text.
    assert ranked == ["| Ad is generic", "| Form is too long"]
    coverage = section(page, "Persona coverage by stage").strip().splitlines()
    assert coverage[-3:] == [
        "| --- | --- | --- |",
        "| [Bob Stone](../personas/bob/index.md) | — | ✓ |",
        "| [Jane Doe](../personas/jane-doe/index.md) | ✓ | ✓ |",
    ]
    assert coverage[-4] == "| Persona | Awareness | Purchase |"


def test_two_renders_of_files_written_in_different_orders_are_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "journeys", tmp_path / "b" / "journeys"
    write_files(first, sorted(FILES))
    write_files(second, sorted(FILES, reverse=True))
    assert render_site(load(first)) == render_site(load(second))


def test_a_url_layout_moves_pages_and_every_link_follows(tmp_path: Path) -> None:
    write_files(tmp_path, sorted(FILES))
    layout = UrlLayout(journeys="maps", personas="people/all", touchpoints="places")
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
    journey = pages["maps/course-purchase/index.md"].markdown
    assert "[Jane Doe](../../people/all/jane-doe/index.md)" in journey
    assert "[Checkout page](../../places/index.md#checkout-page)" in journey
    persona = pages["people/all/jane-doe/index.md"].markdown
    assert "[Jane buys an online course](../../../maps/course-purchase/index.md)" in persona
    assert (
        "[Jane buys a course, next year](../../../maps/course-purchase-future/index.md)" in persona
    )


def test_averages_have_one_decimal(tmp_path: Path) -> None:
    write_files(tmp_path, sorted(FILES))
    (tmp_path / "journeys" / "course-purchase-future.md").write_text(
        dedent(FILES["journeys/course-purchase-future.md"]).replace("emotion: 4", "emotion: 2"),
        encoding="utf-8",
    )
    page = by_uri(render_site(load(tmp_path)))["journeys/index.md"].markdown
    assert '<td>Future state</td>\n<td data-sort="1">1</td>\n<td data-sort="3.5">3.5</td>' in page


_SEGMENT = st.sampled_from(["journeys", "personas", "a", "a-b", "cx", "x"])
_FILE = st.sampled_from(["index.md", "a.md"])


@given(st.lists(_SEGMENT, max_size=3), _FILE, st.lists(_SEGMENT, max_size=3), _FILE)
def test_relative_href_agrees_with_relpath(
    here: list[str], here_file: str, target: list[str], target_file: str
) -> None:
    """Links between page files: what posixpath.relpath would say, without its I/O."""
    here_path, target_path = "/".join([*here, here_file]), "/".join([*target, target_file])
    if here_path == target_path:
        return
    expected = posixpath.relpath(target_path, posixpath.dirname(here_path) or ".")
    assert relative_href(here_path, target_path) == expected
