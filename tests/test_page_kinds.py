"""A new page kind is one module and its template: nothing else changes.

The kind here, a glossary of stage names, lives in this test module and its
template in a loader of its own. Registered, its page is planned, rendered,
placed in the navigation and put under the folder of the URL option it names,
by a real MkDocs build; no module of cjm knows it. A kind that takes a URL
another page has is refused, naming both.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import jinja2
import pytest
from mkdocs.exceptions import Abort
from sites import build_site, realistic_journeys, recorded_nav, write_project

from cjm_plugin.load import load_folder
from cjm_plugin.nav import NavPlace
from cjm_plugin.pages import (
    Heading,
    Link,
    Page,
    PageView,
    PlannedPage,
    Site,
    UrlLayout,
    Width,
    add_templates,
    page_kinds,
    page_view,
    plan_site,
    register,
    remove_templates,
    render_site,
    unregister,
)
from cjm_plugin.pages.site import DuplicateUrl
from cjm_plugin.plugin import CjmPlugin
from cjm_plugin.registry import Registry
from cjm_plugin.urls import own_folder

# --- the kind: what its module and template would hold --------------------------

GLOSSARY_TEMPLATE = """\
{% from "macros.html.j2" import table %}
{{ heading(1, "Glossary") }}
{% call(term) table(["Stage", "Journeys"], page.terms) %}<td>{{ term.stage | html }}</td><td>{{ term.journeys | links(", ") }}</td>{% endcall %}
"""


@dataclass(frozen=True)
class Term:
    stage: str
    journeys: list[Link]


def glossary_terms(site: Site) -> list[Term]:
    """Every stage name, with the journeys that have a stage of that name."""
    by_stage: dict[str, list[Link]] = {}
    for journey in site.registry.journeys.values():
        for stage in dict.fromkeys(stage.name for stage in journey.stages):
            by_stage.setdefault(stage, []).append(site.targets.journey(journey))
    return [Term(stage, links) for stage, links in sorted(by_stage.items())]


def glossary_page(site: Site, uri: str, extra: dict[str, Link]) -> PageView:
    return page_view(
        "glossary.html.j2",
        (uri, "glossary", None),
        site.layout,
        "Glossary",
        page={"terms": glossary_terms(site), **extra},
    )


class GlossaryPage:
    name = "glossary"
    url_option = "journeys_url"  # MkDocs takes no option added at run time: a shared folder
    nav = NavPlace(25)  # after the personas, before the touchpoint index; in every layout
    width: Width = "normal"
    folder = "glossary"

    def __init__(self) -> None:
        self.extra: dict[str, Link] = {}
        """More for its template, as a test wants it."""

    def plan(self, site: Site) -> Iterator[PlannedPage]:
        uri = site.layout.uri(self.url_option, self.folder)
        yield PlannedPage(uri, self.name, None, partial(glossary_page, site, uri, self.extra))


@pytest.fixture
def glossary() -> Iterator[GlossaryPage]:
    kind = GlossaryPage()
    loader = jinja2.DictLoader({"glossary.html.j2": GLOSSARY_TEMPLATE})
    add_templates(loader)
    register(kind)
    try:
        yield kind
    finally:
        unregister(kind.name)
        remove_templates(loader)


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    folder = tmp_path_factory.mktemp("maps")
    for relative, text in realistic_journeys().items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text, encoding="utf-8")
    result = load_folder(folder)
    assert result.registry is not None
    return result.registry


# --- the tests ------------------------------------------------------------------


def test_the_built_in_kinds_in_the_order_they_are_rendered() -> None:
    assert [(kind.name, kind.url_option) for kind in page_kinds()] == [
        ("journey", "journeys_url"),
        ("persona", "personas_url"),
        ("overview", "journeys_url"),
        ("touchpoints", "touchpoints_url"),
        ("actions", "journeys_url"),
        ("groups", "journeys_url"),
    ]


def test_a_registered_kind_is_planned_last_and_rendered(
    glossary: GlossaryPage, registry: Registry
) -> None:
    planned = plan_site(registry, UrlLayout(journeys="maps"))
    assert (planned[-1].uri, planned[-1].kind) == ("maps/glossary/index.md", "glossary")
    pages = {page.uri: page for page in render_site(registry)}
    page = pages["journeys/glossary/index.md"]
    assert page.title == "Glossary"
    assert page.headings == (Heading(1, "glossary", "Glossary", 0),)
    assert page.html[0].startswith('<h1 id="glossary">Glossary</h1>\n<table>')
    assert '<a href="../account-opening/">Maya opens a current account</a>' in page.html[0]
    assert "journeys/account-opening/index.md" in page.links


def test_a_kind_that_takes_another_pages_url_is_refused(
    glossary: GlossaryPage, registry: Registry
) -> None:
    """A journey with the id ``glossary`` already has ``journeys/glossary/``."""
    glossary.folder = "account-opening"
    with pytest.raises(DuplicateUrl) as refused:
        plan_site(registry)
    message = str(refused.value)
    assert "journeys/account-opening/index.md" in message
    assert "the journey page from journeys/" in message
    assert "the glossary page at journeys/account-opening/index.md" in message


def test_a_free_folder_beside_records_named_like_it() -> None:
    assert own_folder("actions", "-board", {"actions", "actions-board"}) == "actions-board-board"
    assert own_folder("board", "-x", {"actions"}) == "board"


def test_without_it_registered_there_is_no_such_page(registry: Registry) -> None:
    assert "journeys/glossary/index.md" not in {page.uri for page in render_site(registry)}


@pytest.mark.parametrize("layout", ["full", "grouped", "overview"])
def test_a_build_places_it_in_the_nav_under_its_url_option(
    glossary: GlossaryPage, tmp_path: Path, layout: str
) -> None:
    config_file = write_project(
        tmp_path,
        realistic_journeys(),
        theme="mkdocs",
        plugin={"journeys_url": "maps", "nav": layout},
    )
    site = build_site(config_file)
    assert '<h1 id="glossary">Glossary</h1>' in (
        site / "maps" / "glossary" / "index.html"
    ).read_text(encoding="utf-8")
    section = next(
        item["children"] for item in recorded_nav(config_file)["items"] if "section" in item
    )
    # A kind with no group is listed in every layout, here by its order.
    uris = [child["page"] for child in section if "page" in child]
    assert uris[-2:] == ["maps/glossary/index.md", "touchpoints/index.md"]


def test_a_collision_names_the_option_that_places_it(glossary: GlossaryPage) -> None:
    page = Page("maps/glossary/index.md", "glossary", None, "Glossary", ("",))
    assert CjmPlugin.url_option(page) == "journeys_url"


def test_a_link_to_a_page_the_site_lacks_fails_a_strict_build(
    glossary: GlossaryPage, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Links between generated pages are final URLs MkDocs never sees: cjm checks them,
    naming the page and the target."""
    loader = jinja2.DictLoader(
        {"glossary.html.j2": GLOSSARY_TEMPLATE + "<p>{{ page.lost | link }}</p>\n"}
    )
    add_templates(loader)
    try:
        config_file = write_project(tmp_path, realistic_journeys(), theme="mkdocs")
        lost = Link("A journey that is gone", "journeys/gone/index.md")
        glossary.extra = {"lost": lost}
        caplog.clear()
        with caplog.at_level(logging.WARNING), pytest.raises(Abort):
            build_site(config_file, strict=True)
    finally:
        remove_templates(loader)
    assert (
        "cjm: the glossary page journeys/glossary/index.md links to journeys/gone/index.md, "
        "which is not in the site"
    ) in caplog.text
