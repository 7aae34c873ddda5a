"""The portfolio views of the overview: the exports the site publishes, the emotion heatmaps."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from golden_pages import load
from html_blocks import read, section
from mkdocs.exceptions import PluginError
from sites import build_site, journey, persona, realistic_journeys, write_project

from cjm_plugin.export import export_csv, export_json
from cjm_plugin.page_sources import Maps, PageSource
from cjm_plugin.pages import Link, Page, Site, UrlLayout, render
from cjm_plugin.pages.overview import (
    HeatCell,
    Heatmap,
    overview_view,
    stage_anchor,
)
from cjm_plugin.pages.overview import (
    overview_page as overview_page_view,
)


def overview_page(*args: Any) -> Page:
    """The page itself: the page kinds give its view, which the site renders."""
    return render(overview_page_view(*args))


@pytest.mark.parametrize(
    ("options", "folder"),
    [({}, "journeys"), ({"journeys_url": "maps/all"}, "maps/all")],
)
def test_site_publishes_the_exports_beside_the_overview(
    tmp_path: Path, options: dict[str, str], folder: str
) -> None:

    config_file = write_project(tmp_path, realistic_journeys(), plugin=options)
    site = build_site(config_file, strict=True)
    registry = load(tmp_path / "journeys")
    layout = UrlLayout.from_options(options)
    published_json = (site / folder / "journeys.json").read_bytes()
    published_csv = (site / folder / "steps.csv").read_bytes()
    assert published_json == export_json(registry, layout).encode("utf-8")
    assert published_csv == export_csv(registry, layout).encode("utf-8")
    assert published_csv.startswith(b"\xef\xbb\xbf"), "the CSV keeps its byte order mark"
    overview = (site / folder / "index.html").read_text(encoding="utf-8")
    assert 'href="journeys.json"' in overview
    assert 'href="steps.csv"' in overview


def test_invalid_maps_have_no_exports(tmp_path: Path) -> None:
    journeys = realistic_journeys()
    journeys["broken.md"] = "---\ntype: journey\nid: broken\n---\n"
    write_project(tmp_path, journeys)
    maps = Maps(tmp_path / "journeys", UrlLayout.from_options({}), history=False)
    source = PageSource()
    with pytest.raises(PluginError, match="invalid"):
        source.render(maps)
    assert source.exports() is None


def step(name: str, emotion: int, actors: list[str] | None = None) -> dict[str, Any]:
    made: dict[str, Any] = {"name": name, "emotion": emotion}
    if actors is not None:
        made["actors"] = actors
    return made


def heat_site(tmp_path: Path) -> Site:
    """Two current-state journeys sharing a stage id, one future-state journey."""
    (tmp_path / "personas").mkdir()
    for pid, name in (("ana", "Ana <b>&"), ("bo", "Bo"), ("cy", "Cy")):
        (tmp_path / "personas" / f"{pid}.md").write_text(persona(pid, name), encoding="utf-8")
    files = {
        "alpha": journey(
            "alpha",
            "Alpha *now*",
            ["ana", "bo"],
            [
                {"name": "Look <around>", "id": "look", "steps": [step("a", 1), step("b", 2)]},
                {"name": "Buy", "steps": [step("c", 4, ["ana"]), step("d", 5, ["bo"])]},
            ],
        ),
        "beta": journey(
            "beta",
            "Beta",
            ["bo"],
            [
                {"name": "Pay", "steps": [step("e", 3)]},
                {"name": "Look again", "id": "look", "steps": [step("f", 2), step("g", 2)]},
            ],
        ),
        "gamma": journey(
            "gamma",
            "Gamma",
            ["cy"],
            [{"name": "Dream", "steps": [step("h", 5)]}],
            state="future",
        ),
    }
    for journey_id, text in files.items():
        (tmp_path / f"{journey_id}.md").write_text(text, encoding="utf-8")
    return Site(load(tmp_path))


def grid(heatmap: Heatmap) -> list[tuple[str, list[str | None]]]:
    return [
        (link.text, [None if cell is None else cell.link.text for cell in cells])
        for link, cells in heatmap.rows
    ]


def test_journey_heatmap_averages_by_stage_id_in_first_order(tmp_path: Path) -> None:
    view = overview_view(heat_site(tmp_path))
    heatmap = view.journey_heatmap
    assert heatmap.stages == ["Look <around>", "Buy", "Pay"], "matched by id, first name kept"
    assert grid(heatmap) == [
        ("Alpha *now*", ["1.5", "4.5", None]),
        ("Beta", ["2.0", None, "3.0"]),
    ], "future-state journeys left out"
    alpha_look = heatmap.rows[0][1][0]
    assert alpha_look is not None
    assert alpha_look.average == 1.5
    assert alpha_look.level == 2, "rounded half up"
    assert alpha_look.link == Link("1.5", "journeys/alpha/index.md", stage_anchor("look"))
    beta_pay = heatmap.rows[1][1][2]
    assert beta_pay is not None
    assert beta_pay.link.anchor == "cjm-stage-pay", "a stage without id: its slug"


def test_persona_heatmap_counts_only_the_steps_a_persona_takes(tmp_path: Path) -> None:
    view = overview_view(heat_site(tmp_path))
    assert view.persona_heatmap.stages == view.journey_heatmap.stages
    assert grid(view.persona_heatmap) == [
        ("Ana <b>&", ["1.5", "4.0", None]),
        ("Bo", ["1.8", "5.0", "3.0"]),
        ("Cy", [None, None, None]),
    ]
    for _, cells in view.persona_heatmap.rows:
        assert all(cell is None or cell.link.target is None for cell in cells)


@pytest.mark.parametrize(("average", "level"), [(1.0, 1), (1.49, 1), (2.5, 3), (4.5, 5), (5.0, 5)])
def test_cell_colour_is_the_rounded_average(average: float, level: int) -> None:
    assert HeatCell(average, Link("x", None)).level == level


def test_heatmap_markup_escapes_links_and_keeps_out_of_search(tmp_path: Path) -> None:
    markdown = overview_page(heat_site(tmp_path)).markdown
    page = read(markdown)
    heatmaps = [a for tag, a in page.tags if tag == "div" and a.get("class") == "cjm-heatmap"]
    assert [(a["role"], a["tabindex"], "data-search-exclude" in a) for a in heatmaps] == [
        ("region", "0", True)
    ] * 2
    by_journey, by_persona = [
        block.rows for block in section(page.blocks, "Emotion by stage") if block.kind == "table"
    ]
    assert [cell.text for cell in by_journey[0]] == ["Journey", "Look <around>", "Buy", "Pay"]
    assert [cell.text for cell in by_persona[0]] == ["Persona", "Look <around>", "Buy", "Pay"]
    assert [row[0].links for row in by_journey[1:]] == [
        (("Alpha *now*", "alpha/"),),
        (("Beta", "beta/"),),
    ]
    assert by_persona[1][0].links == (("Ana <b>&", "../personas/ana/"),)
    assert "Ana &lt;b&gt;&amp;" in markdown and "Look &lt;around&gt;" in markdown
    assert not [tag for tag, _ in page.tags if tag in {"b", "around", "em"}]
    alpha_look = by_journey[1][1]
    assert (alpha_look.text, alpha_look.links) == ("1.5", (("1.5", "alpha/#cjm-stage-look"),))
    assert dict(alpha_look.attrs) == {"class": "cjm-emotion cjm-emotion--2"}
    alpha_pay = by_journey[1][3]
    assert (alpha_pay.text, alpha_pay.links) == ("—", ())
    assert dict(alpha_pay.attrs) == {"class": "cjm-heatmap__empty"}
    assert [cell.links for cell in by_persona[1][1:]] == [(), (), ()]  # no stage to open


def test_heatmap_in_a_built_site_links_the_stage_headers(tmp_path: Path) -> None:
    config_file = write_project(tmp_path, realistic_journeys(), plugins=["search", {"cjm": {}}])
    site = build_site(config_file, strict=True)
    overview = (site / "journeys" / "index.html").read_text(encoding="utf-8")
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    heatmap_texts = [
        doc["text"] for doc in index["docs"] if doc["location"] == "journeys/#emotion-by-stage"
    ]
    assert heatmap_texts and "cjm-stage" not in heatmap_texts[0]
    assert "<table" not in heatmap_texts[0], "the heatmap is kept out of the search index"
    hrefs = re.findall(r'href="([^"]+#cjm-stage-[^"]+)"', overview)
    assert hrefs
    for href in hrefs:
        page, anchor = href.split("#")
        target = (site / "journeys" / page / "index.html").resolve()
        assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), href


def test_serve_source_keeps_the_exports_of_the_last_valid_maps(tmp_path: Path) -> None:
    write_project(tmp_path, realistic_journeys())
    maps = Maps(tmp_path / "journeys", UrlLayout.from_options({}), history=False)
    source = PageSource(serving=True)
    assert source.exports() is None
    source.render(maps)
    exports = source.exports()
    assert exports is not None
    assert exports.json == export_json(load(tmp_path / "journeys"), maps.layout)
    (tmp_path / "journeys" / "broken.md").write_text("---\ntype: journey\n---\n", "utf-8")
    source.render(maps)
    assert source.exports() == exports, "the last good pages link the last good exports"
