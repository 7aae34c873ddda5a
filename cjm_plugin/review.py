"""When each journey was last checked against reality, and whether it is due again.

A map that nobody has looked at for months is the first way journey maps
stop being true. A journey names the date it was ``reviewed`` and how often
it must be (``review_every``, else the site's default); it is *stale* when
that date plus the period is before today, and *never reviewed* without a
date. Today is the build date (``SOURCE_DATE_EPOCH`` when set), so builds
stay reproducible.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from . import diagnostics as diag
from .diagnostics import Diagnostic
from .load.records import ParsedFile
from .model import Journey

#: How often a journey must be reviewed when neither it nor the site says.
DEFAULT_REVIEW_EVERY = "180d"

_UNIT_WORDS = {"d": ("day", "days"), "w": ("week", "weeks"), "m": ("month", "months")}


def period(every: str) -> relativedelta:
    """``90d``, ``12w`` or ``6m`` (calendar months) as a date offset."""
    count, unit = int(every[:-1]), every[-1]
    if unit == "m":
        return relativedelta(months=count)
    return relativedelta(days=count * (7 if unit == "w" else 1))


def period_words(every: str) -> str:
    """``90d`` as ``90 days``, ``1m`` as ``1 month``: for pages and messages."""
    count, unit = int(every[:-1]), every[-1]
    one, many = _UNIT_WORDS[unit]
    return f"{count} {one if count == 1 else many}"


@dataclass(frozen=True)
class Review:
    """A journey's review state on one date."""

    reviewed: dt.date | None
    """When it was last reviewed; ``None`` when never."""
    every: str
    """How often it must be, as written (the journey's own or the site's default)."""
    today: dt.date

    @property
    def due(self) -> dt.date | None:
        """When the next review falls due; ``None`` when it was never reviewed."""
        return None if self.reviewed is None else self.reviewed + period(self.every)

    @property
    def never_reviewed(self) -> bool:
        return self.reviewed is None

    @property
    def stale(self) -> bool:
        """Never reviewed, or due before today."""
        due = self.due
        return due is None or due < self.today

    @property
    def days_overdue(self) -> int:
        """Days since the review fell due; 0 when it is not overdue or was never reviewed."""
        due = self.due
        return max(0, (self.today - due).days) if due is not None else 0

    def shown(self) -> tuple[bool, str]:
        """What a page shows of the review: a page is rendered again when it changes,
        not each day (the sentence of a review not yet due does not depend on today)."""
        return (self.stale, self.sentence())

    def sentence(self) -> str:
        """One line for a page or a message: when it was reviewed and when it is due."""
        if self.reviewed is None:
            return f"never reviewed (reviews are due every {period_words(self.every)})"
        due = self.due
        assert due is not None
        if due < self.today:
            return (
                f"last reviewed {self.reviewed.isoformat()}, due {due.isoformat()}: "
                f"{self.days_overdue} days overdue"
            )
        return f"last reviewed {self.reviewed.isoformat()}, next review due {due.isoformat()}"


def review_of(
    journey: Journey, today: dt.date, default_every: str = DEFAULT_REVIEW_EVERY
) -> Review:
    """A journey's review state on ``today``, its own period before the default."""
    return Review(journey.reviewed, journey.review_every or default_every, today)


def stale_map_warnings(
    files: Iterable[ParsedFile], today: dt.date, default_every: str = DEFAULT_REVIEW_EVERY
) -> Iterator[Diagnostic]:
    """A ``cjm.stale-map`` warning per stale journey, at its ``reviewed`` field or its first line."""
    for parsed in files:
        journey = parsed.record
        if not isinstance(journey, Journey):
            continue
        review = review_of(journey, today, default_every)
        if not review.stale:
            continue
        if review.never_reviewed:
            yield diag.warning(
                parsed.locator.path,
                1,
                1,
                "stale-map",
                f"journey '{journey.id}' was never reviewed: add 'reviewed: "
                f"{today.isoformat()}' once the map has been checked against reality",
            )
        else:
            yield parsed.locator.warning(
                ("reviewed",),
                "stale-map",
                f"journey '{journey.id}' is stale: {review.sentence()} (as of "
                f"{today.isoformat()}); check the map against reality and update 'reviewed'",
            )
