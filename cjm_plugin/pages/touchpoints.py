"""The touchpoint index: every touchpoint by category, then channel, with the steps using it.

Each entry also shows what customers reported about the touchpoint over time
(the rows of the measurement tables naming it, newest first), so a team sees
at the touchpoint whether it gets better or worse.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from ..measured import Measurement
from ..model import CATEGORIES, CHANNELS, Touchpoint
from ..nav import NavPlace
from .base import Link, PageView, PlannedPage, Site, Width, body_text
from .markup import page_view


class TouchpointUse(NamedTuple):
    """A step that uses a touchpoint."""

    journey: Link
    stage: str
    step: Link
    emotion: int
    pain_points: Sequence[str]


#: Measurements listed in a touchpoint's entry; older ones are counted, not shown.
MEASUREMENTS_SHOWN = 12


class MeasurementRow(NamedTuple):
    """One measurement of a touchpoint, as its entry shows it."""

    date: str
    metric: str
    value: str
    """The value on its own scale: ``4.4 (1–5)``."""
    emotion: str
    """The value on the emotion scale, 1 to 5, one decimal."""
    responses: str
    """How many answers, or a dash when the table does not say."""


def _number(value: float) -> str:
    """A measured number as people write it: ``4.4``, ``8``, at most two decimals."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def measurement_row(row: Measurement) -> MeasurementRow:
    return MeasurementRow(
        row.date.isoformat(),
        row.metric,
        f"{_number(row.value)} ({_number(row.low)}–{_number(row.high)})",
        f"{row.on_emotion_scale:.1f}",
        f"{row.responses:,}" if row.responses is not None else "–",
    )


@dataclass(frozen=True)
class TouchpointEntry:
    touchpoint: Touchpoint
    """The record, for its own fields (id, name, owner)."""
    body: str
    uses: list[TouchpointUse]
    """By journey id, then step order."""
    measurements: list[MeasurementRow]
    """What customers reported about it: newest first, then by metric, at most
    ``MEASUREMENTS_SHOWN``."""
    more_measurements: int = 0
    """How many older measurements are not shown."""


@dataclass(frozen=True)
class TouchpointIndexView:
    """Everything the touchpoint index shows, as plain data."""

    groups: list[tuple[str | None, list[tuple[str, list[TouchpointEntry]]]]]
    """(category, [(channel, entries)]): categories in the model's order, then
    ``None`` for uncategorised; channels in the model's order."""
    overview: Link


def _uses(site: Site, touchpoint_id: str) -> list[TouchpointUse]:
    targets = site.targets
    return [
        TouchpointUse(
            targets.journey(ref.journey),
            ref.stage.name,
            targets.step(ref),
            ref.step.emotion,
            ref.step.pain_points,
        )
        for ref in site.registry.touchpoint_uses(touchpoint_id)
    ]


def touchpoint_index_view(site: Site) -> TouchpointIndexView:
    by_group: dict[tuple[str | None, str], list[TouchpointEntry]] = {}
    for touchpoint_id, touchpoint in site.registry.touchpoints.items():
        measured = site.registry.touchpoint_measurements(touchpoint_id)
        entry = TouchpointEntry(
            touchpoint,
            body_text(touchpoint.body),
            _uses(site, touchpoint_id),
            [measurement_row(row) for row in measured[:MEASUREMENTS_SHOWN]],
            max(0, len(measured) - MEASUREMENTS_SHOWN),
        )
        by_group.setdefault((touchpoint.category, touchpoint.channel), []).append(entry)
    groups: list[tuple[str | None, list[tuple[str, list[TouchpointEntry]]]]] = []
    for category in (*CATEGORIES, None):
        channels = [
            (channel, by_group[category, channel])
            for channel in CHANNELS
            if (category, channel) in by_group
        ]
        if channels:
            groups.append((category, channels))
    return TouchpointIndexView(groups, site.targets.overview("All journeys"))


def touchpoint_index_page(site: Site) -> PageView:
    slot = (site.layout.touchpoints_uri(), TouchpointIndexPage.name, None)
    return page_view(
        "touchpoints.html.j2", slot, site.layout, "Touchpoints", page=touchpoint_index_view(site)
    )


class TouchpointIndexPage:
    """The touchpoint index, at ``<touchpoints_url>/``, an anchor ``#<id>`` each."""

    name = "touchpoints"
    url_option = "touchpoints_url"
    nav = NavPlace(30)
    width: Width = "normal"

    def plan(self, site: Site) -> Iterator[PlannedPage]:
        yield PlannedPage(
            site.layout.touchpoints_uri(), self.name, None, partial(touchpoint_index_page, site)
        )
