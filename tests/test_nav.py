"""Where generated pages sit in the navigation: the pure function, on golden cases.

Each case under ``tests/golden/nav`` gives a navigation as MkDocs made it,
the generated pages with their kinds and the ``nav`` option, and the
navigation expected (see the README there). The real builds of
``test_mkdocs_builds.py`` check that the plugin hands MkDocs the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from cjm_plugin.nav import (
    NavItem,
    NavOther,
    NavPage,
    NavPlace,
    NavSection,
    journeys_section,
    place_generated_pages,
)
from cjm_plugin.pages import page_kind

GOLDEN = Path(__file__).parent / "golden" / "nav"
CASES = sorted(GOLDEN.glob("*.yml"))


def items_of(data: list[Any]) -> tuple[NavItem, ...]:
    """A case's nav as plain items: a string is a page, ``{title: [...]}`` a section,
    ``{link: title}`` anything else."""
    items: list[NavItem] = []
    for entry in data:
        if isinstance(entry, str):
            items.append(NavPage(entry))
        else:
            ((title, value),) = entry.items()
            if title == "link" and isinstance(value, str):
                items.append(NavOther(value))
            else:
                items.append(NavSection(title, items_of(value)))
    return tuple(items)


def data_of(items: tuple[NavItem, ...]) -> list[Any]:
    data: list[Any] = []
    for item in items:
        if isinstance(item, NavPage):
            data.append(item.uri)
        elif isinstance(item, NavSection):
            data.append({item.title: data_of(item.children)})
        else:
            data.append({"link": item.title})
    return data


def test_there_are_golden_cases() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.stem)
def test_golden_nav(case: Path) -> None:
    spec = yaml.safe_load(case.read_text(encoding="utf-8"))
    items = items_of(spec["nav"])
    generated = {uri: page_kind(kind).nav for uri, kind in spec["generated"].items()}
    placed = place_generated_pages(
        items, generated, layout=spec["layout"], explicit=spec.get("explicit", False)
    )
    assert data_of(items if placed is None else placed) == spec["expected"], spec["description"]


def test_the_items_the_function_is_given_are_left_as_they_were() -> None:
    items = items_of(yaml.safe_load((GOLDEN / "shared-section.yml").read_text())["nav"])
    before = data_of(items)
    place_generated_pages(items, {"journeys/index.md": NavPlace(0)}, layout="full", explicit=False)
    assert data_of(items) == before


def test_origins_travel_with_the_items_they_stand_for() -> None:
    """The plugin finds its MkDocs objects again through ``origin``."""
    home, section = object(), object()
    items = (NavPage("index.md", home), NavSection("Guide", (NavPage("a.md"),), section))
    placed = place_generated_pages(items, {}, layout="full", explicit=False)
    assert placed is not None
    assert placed[0].origin is home and placed[1].origin is section
    assert placed[2] == NavSection("Journeys", ())
    assert placed[2].origin is None


def test_a_kind_with_no_group_is_listed_in_every_layout_by_its_order() -> None:
    generated = {
        "journeys/index.md": NavPlace(0),
        "journeys/a/index.md": NavPlace(10, "Journeys"),
        "glossary/index.md": NavPlace(25),
        "touchpoints/index.md": NavPlace(30),
    }
    assert journeys_section(generated, "overview") == (
        NavPage("journeys/index.md"),
        NavPage("glossary/index.md"),
        NavPage("touchpoints/index.md"),
    )
    assert data_of(journeys_section(generated, "full")) == [
        "journeys/index.md",
        "journeys/a/index.md",
        "glossary/index.md",
        "touchpoints/index.md",
    ]
