"""Search plugins index the same text of a generated page, from far fewer tags.

The search plugins parse every tag of every page, and a journey map has
hundreds; cjm hands them the page without the tags they pass over
(``mkdocs_pages.searchable``). Built both ways, Material's search index must
hold the same sections with the same titles and words (runs of spaces aside,
which search reads as one). MkDocs' own search plugin reads a page otherwise
(it puts a space at every tag), so it gets the whole page, as before.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from page_content import EXAMPLE_JOURNEYS, GOLDEN_JOURNEYS
from sites import build_site, write_project

from cjm_plugin import mkdocs_pages


def journey_files(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def search_index(root: Path, journeys: Path, theme: Any, **settings: Any) -> bytes:
    config = write_project(
        root,
        journey_files(journeys),
        theme=theme,
        plugin={"history": False},
        record_nav=False,
        plugins_first=["search"],
        **settings,
    )
    site = build_site(config)
    return (site / "search" / "search_index.json").read_bytes()


@pytest.mark.parametrize("journeys", [EXAMPLE_JOURNEYS, GOLDEN_JOURNEYS], ids=["example", "golden"])
@pytest.mark.parametrize(
    "theme, settings",
    [
        ({"name": "material", "font": False}, {}),
        (
            {"name": "material", "font": False},
            {"markdown_extensions": [{"toc": {"permalink": True}}]},
        ),
        ("mkdocs", {}),
    ],
    ids=["material", "material-permalinks", "mkdocs"],
)
def test_the_index_is_the_same_from_the_search_text(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    journeys: Path,
    theme: Any,
    settings: dict[str, Any],
) -> None:
    light = search_index(tmp_path / "light", journeys, theme, **settings)
    monkeypatch.setattr(mkdocs_pages, "searchable", lambda html: html)
    full = search_index(tmp_path / "full", journeys, theme, **settings)
    assert len(light) > 1000
    if theme == "mkdocs":
        assert light == full
    else:
        assert one_space(light) == one_space(full)


def one_space(index: bytes) -> Any:
    """The index with every run of white space in its texts as one space."""
    return json.loads(re.sub(rb"(?:\\n|\s)+", b" ", index))


def test_the_search_text_has_the_words_but_few_tags() -> None:
    html = (
        '<h2 id="map">Map</h2>\n<div class="cjm-map"><table><tr><td class="x"><span>Pays'
        '</span> <a href="../a/">by card</a></td></tr></table></div>\n<ul><li>One</li></ul>\n'
        "<div data-search-exclude><p>Left <div>out</div> too</p></div><pre><code>a <b>\n"
        "</code></pre><p>End<br>line</p>"
    )
    assert mkdocs_pages.searchable(html) == (
        '<h2 id="map">Map</h2> Pays by card <ul><li>One</li></ul> '
        "<pre><code>a <b>\n</code></pre><p>Endline</p>"
    )


def test_material_search_reads_the_search_text_and_the_page_shows_the_map(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = mkdocs_pages.searchable
    monkeypatch.setattr(mkdocs_pages, "searchable", lambda html: real(html) + " Zebrafish ")
    theme = {"name": "material", "font": False}
    index = search_index(tmp_path, EXAMPLE_JOURNEYS, theme)
    assert b"Zebrafish" in index  # indexed from the search text
    page = (tmp_path / "site" / "journeys" / "lost-card" / "index.html").read_text("utf-8")
    assert "Zebrafish" not in page  # and the reader gets the whole page
    assert 'class="cjm-map"' in page
