"""The action board: every action of every journey, by status, overdue ones first.

An action is overdue when it is due before the build date and not done. The
build date is the site's (``Site.today``, from
:func:`cjm_plugin.build_date.build_date` when the site is planned:
``SOURCE_DATE_EPOCH`` makes it reproducible) and reaches the template as view
data: the template never reads the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from ..model import ACTION_STATUSES
from ..nav import NavPlace
from ..urls import EXPORT_NAMES, export_uris
from .base import Link, PageView, PlannedPage, Site, Width
from .markup import page_view

#: The most actions a status shows (overdue first): what a reader can take in. Every
#: action is in the site's journeys.json and on its journey's page.
MAX_ACTIONS = 50


@dataclass(frozen=True)
class ActionRow:
    title: str
    owner: str | None
    due: dt.date | None
    journey: Link
    overdue_days: int
    """Days past its due date on the build date; 0 when not overdue (or done)."""


@dataclass(frozen=True)
class ActionBoardView:
    """Everything the action board shows, as plain data."""

    date: dt.date
    """The build date: what "overdue" is measured against."""
    groups: list[tuple[str, list[ActionRow]]]
    """(status, rows) for every status in the model's order: planned, in progress, done.
    In a group, overdue rows first (the longest overdue first), then by due date,
    undated last; journeys in registry order and actions as written break ties.
    At most :data:`MAX_ACTIONS` rows a status."""
    overview: Link
    left_out: dict[str, int]
    """Actions of each status beyond the rows shown."""
    data: Link
    """The site's journeys.json, which holds every action."""


def action_board_view(site: Site, date: dt.date) -> ActionBoardView:
    by_status: dict[str, list[ActionRow]] = {status: [] for status in ACTION_STATUSES}
    for journey in site.registry.journeys.values():
        link = site.targets.journey(journey)
        for action in journey.actions:
            late = 0
            if action.status != "done" and action.due is not None and action.due < date:
                late = (date - action.due).days
            by_status[action.status].append(
                ActionRow(action.title, action.owner, action.due, link, late)
            )
    groups = [
        (status, sorted(rows, key=_order)[:MAX_ACTIONS]) for status, rows in by_status.items()
    ]
    left_out = {status: max(0, len(rows) - MAX_ACTIONS) for status, rows in by_status.items()}
    data, _ = export_uris(site.layout)
    return ActionBoardView(
        date, groups, site.targets.overview("All journeys"), left_out, Link(EXPORT_NAMES[0], data)
    )


def _order(row: ActionRow) -> tuple[bool, int, bool, dt.date]:
    return (not row.overdue_days, -row.overdue_days, row.due is None, row.due or dt.date.min)


def action_board_page(site: Site, uri: str, date: dt.date) -> PageView:
    slot = (uri, ActionBoardPage.name, None)
    return page_view(
        "actions.html.j2", slot, site.layout, "Action board", page=action_board_view(site, date)
    )


class ActionBoardPage:
    """The action board, at ``<journeys_url>/actions/``."""

    name = "actions"
    url_option = "journeys_url"
    nav = NavPlace(5)  # after the overview, before the journeys; in every layout
    width: Width = "normal"

    def plan(self, site: Site) -> Iterator[PlannedPage]:
        # A journey may have the id ``actions``: it keeps its URL and the board takes
        # ``actions-board``, ``actions-board-board``...
        uri = site.layout.action_board_uri(site.registry.journeys)
        yield PlannedPage(uri, self.name, None, partial(action_board_page, site, uri, site.today))
