"""The pages say what they said when MkDocs converted them from Markdown.

``tests/golden/site`` holds what a reader got from each generated page of two
sites (the example and the golden maps) when the pages were Markdown:
headings, anchors, link targets and words (``tests/page_content.py``). Now
cjm writes them as HTML; they must say the same. The one change meant: the
phone's step cards are gone (each step's text is once in the map), and with
them their headings (a stage name, then "N. step name") and their two labels.

Set ``CJM_UPDATE_GOLDEN=1`` to store what the pages say now, after a change
meant to change it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from golden_pages import load
from page_content import (
    EXAMPLE_JOURNEYS,
    GOLDEN_JOURNEYS,
    build_content,
    dump,
    golden_path,
)

#: Words only the step cards said.
CARD_LABELS = {"Goal", "Thinks"}


def card_headings(journeys: Path) -> dict[str, set[str]]:
    """The headings of the step cards each journey page had, by page URL."""
    registry = load(journeys)
    headings: dict[str, set[str]] = {}
    for journey in registry.journeys.values():
        found = headings.setdefault(f"/journeys/{journey.id}/", set())
        found.update(stage.name for stage in journey.stages)
        found.update(f"{ref.number}. {ref.step.name}" for ref in registry.steps(journey.id))
    return headings


@pytest.mark.parametrize(
    "name, journeys", [("example", EXAMPLE_JOURNEYS), ("golden", GOLDEN_JOURNEYS)]
)
def test_every_page_says_the_same(name: str, journeys: Path, tmp_path: Path) -> None:
    now = build_content(tmp_path, journeys)
    if os.environ.get("CJM_UPDATE_GOLDEN"):
        golden_path(name).write_text(dump(now), encoding="utf-8")
    before: dict[str, Any] = json.loads(golden_path(name).read_text(encoding="utf-8"))
    assert sorted(now) == sorted(before), "the same pages"
    cards = card_headings(journeys)
    for url, page in before.items():
        gone = [h for h in page["headings"] if h[0] in ("h3", "h4") and h[2] in cards.get(url, ())]
        gone_ids = {h[1] for h in gone}
        expected_headings = [h for h in page["headings"] if h not in gone]
        assert now[url]["headings"] == expected_headings, url
        assert now[url]["ids"] == [i for i in page["ids"] if i not in gone_ids], url
        assert now[url]["links"] == page["links"], url
        said = set(page["words"]) - (CARD_LABELS if url in cards else set())
        assert set(now[url]["words"]) == said, url
