"""The overview's journeys table filters by persona, tag, owner and state in the browser.

The controls come from cjm-tables.js, which reads the labels each row carries;
what a filter shows is checked against the maps themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sites import build_site, realistic_journeys, write_project

from cjm_plugin.model import Journey, make_slug
from cjm_plugin.pages.markup import STATE_TITLES

from .conftest import ServedSite, Visit, _serve
from .test_accessibility import SCHEMES, violations
from .test_accessibility import axe_js as axe_js  # the fixture, shared

pytestmark = pytest.mark.browser

ROWS = ".cjm-filterable tbody tr"

#: (the control's label, the labels of a journey it filters on)
FILTERS: list[tuple[str, Callable[[Journey, ServedSite], list[str]]]] = [
    ("Persona", lambda j, s: [s.registry.personas[p].name for p in j.personas]),
    ("Tag", lambda j, s: list(j.tags)),
    ("Owner", lambda j, s: [j.owner] if j.owner else []),
    ("State", lambda j, s: [STATE_TITLES[j.state]]),
]


def _shown_titles(page: Any) -> list[str]:
    return sorted(
        page.locator(ROWS).evaluate_all(
            "rows => rows.filter(r => !r.hidden && r.offsetParent !== null)"
            ".map(r => r.querySelector('th').textContent.trim())"
        )
    )


def _open_overview(example: ServedSite, visit_in: Any) -> Visit:
    visit: Visit = visit_in()
    visit.page.goto(example.url("journeys/"))
    visit.page.wait_for_selector(".cjm-filters select")
    return visit


@pytest.mark.parametrize(("label", "labels_of"), FILTERS, ids=[name for name, _ in FILTERS])
def test_each_filter_shows_the_journeys_with_the_chosen_label(
    example: ServedSite,
    visit_in: Any,
    label: str,
    labels_of: Callable[[Journey, ServedSite], list[str]],
) -> None:
    visit = _open_overview(example, visit_in)
    page = visit.page
    journeys = list(example.registry.journeys.values())
    everything = sorted(j.title for j in journeys)
    choices = sorted({value for j in journeys for value in labels_of(j, example)})
    assert len(choices) >= 2, "the example maps give each filter a choice"
    control = page.get_by_label(label, exact=True)
    options = control.locator("option").all_text_contents()
    assert options[0] == "All"
    assert sorted(options[1:]) == choices
    assert _shown_titles(page) == everything
    for value in choices:
        control.select_option(value)
        expected = sorted(j.title for j in journeys if value in labels_of(j, example))
        assert _shown_titles(page) == expected, value
        status = page.locator(".cjm-filters__status").text_content()
        assert status == f"Showing {len(expected)} of {len(journeys)} rows"
    control.select_option("")
    assert _shown_titles(page) == everything
    assert visit.outside_requests == []
    assert visit.page_errors == []


def test_filters_combine_and_sorting_keeps_them(example: ServedSite, visit_in: Any) -> None:
    visit = _open_overview(example, visit_in)
    page = visit.page
    journeys = list(example.registry.journeys.values())
    persona = example.registry.personas["maya-chen"].name
    page.get_by_label("Persona", exact=True).select_option(persona)
    page.get_by_label("State", exact=True).select_option(STATE_TITLES["current"])
    expected = sorted(
        j.title for j in journeys if "maya-chen" in j.personas and j.state == "current"
    )
    assert 0 < len(expected) < len(journeys)
    assert _shown_titles(page) == expected
    page.get_by_role("columnheader", name="Average emotion", exact=True).click()
    assert _shown_titles(page) == expected
    assert visit.page_errors == []


def test_without_javascript_the_table_lists_every_journey(example: ServedSite) -> None:
    html = (example.site / "journeys" / "index.html").read_text(encoding="utf-8")
    assert "cjm-filters" not in html  # the controls are the script's
    assert html.count('data-state="') == len(example.registry.journeys)


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_the_filters_and_the_group_pages_pass_axe(
    example: ServedSite, visit_in: Any, axe_js: Path, scheme: str
) -> None:
    visit: Visit = visit_in()
    visit.page.emulate_media(color_scheme=scheme)
    urls = ["journeys/", "journeys/owners/", "journeys/tags/"]
    journey = next(iter(example.registry.journeys.values()))
    assert journey.owner and journey.tags, "the example journeys have an owner and tags"
    urls += [
        f"journeys/owners/{make_slug(journey.owner)}/",
        f"journeys/tags/{make_slug(journey.tags[0])}/",
    ]
    found = []
    for url in urls:
        found += violations(visit, example, url, scheme, axe_js)
        if url.count("/") == 3:  # a group page: its table filters too
            assert visit.page.locator(".cjm-filters select").count() >= 2, url
    assert not found, "\n".join(found)
    assert visit.outside_requests == []


def test_filters_come_with_materials_instant_navigation(
    tmp_path_factory: pytest.TempPathFactory, visit_in: Any
) -> None:
    root = tmp_path_factory.mktemp("instant")
    theme = {"name": "material", "font": False, "features": ["navigation.instant"]}
    docs = {"index.md": "# Home\n\nSee [the journeys](journeys/index.md).\n"}
    site = root / "site"
    site.mkdir()
    server, base_url = _serve(site)
    try:
        # Material navigates instantly only on a site that knows its URL.
        config_file = write_project(
            root, realistic_journeys(), docs, theme=theme, site_url=f"{base_url}/"
        )
        build_site(config_file, site_dir=site)
        visit: Visit = visit_in()
        page = visit.page
        page.goto(f"{base_url}/")
        page.wait_for_function("typeof document$ !== 'undefined'")
        page.evaluate("() => { window.cjmSameDocument = true; }")
        page.get_by_role("link", name="the journeys").click()
        page.wait_for_selector(".cjm-filters select")
        assert page.evaluate("() => window.cjmSameDocument === true"), "not instant navigation"
        page.go_back()
        page.wait_for_selector("h1#home")
        page.go_forward()
        page.wait_for_selector(".cjm-filters select")
        assert page.locator(".cjm-filters").count() == 1
        page.get_by_label("State", exact=True).select_option("Future state")
        shown = _shown_titles(page)
        assert 0 < len(shown) < page.locator(ROWS).count()
        assert visit.page_errors == []
    finally:
        server.shutdown()
        server.server_close()
