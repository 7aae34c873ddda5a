"""The overview's journeys table sorts by a column in the browser (tablesort, bundled)."""

from __future__ import annotations

from typing import Any

from .conftest import ServedSite, Visit


def _average_emotions(page: Any) -> list[float]:
    cells = page.locator(".cjm-sortable tbody tr td:nth-of-type(4)")
    return [float(value) for value in cells.evaluate_all("cs => cs.map(c => c.dataset.sort)")]


def test_journeys_table_sorts_by_average_emotion(example: ServedSite, visit_in: Any) -> None:
    visit: Visit = visit_in()
    page = visit.page
    page.goto(example.url("journeys/"))
    header = page.get_by_role("columnheader", name="Average emotion", exact=True)
    page.wait_for_function("document.querySelector('.cjm-sortable th[role=columnheader]')")
    before = _average_emotions(page)
    assert len(before) >= 2
    header.click()
    ascending = _average_emotions(page)
    assert ascending == sorted(before)
    header.click()
    assert _average_emotions(page) == sorted(before, reverse=True)
    assert visit.outside_requests == []
    assert visit.page_errors == []
