"""What customers reported, and the emotion it gives a step: plain data, no reading.

A measurement table (``*.csv`` under the journeys folder, read by
:mod:`cjm_plugin.load.measurements`) is a list of :class:`Measurement` rows,
each about one step or one touchpoint. A step's measured emotion follows the
contract's rule (:func:`measured_emotion`): the rows naming the step or one
of its touchpoints; of each metric, the rows of its latest date; each value
mapped onto 1..5; their mean weighted by responses. Drift is that measured
emotion minus the stated one, and more than one point either way is worth
a warning: the map no longer says what customers say.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: Largest difference between the measured and the stated emotion that is no drift.
DRIFT_THRESHOLD = 1.0


@dataclass(frozen=True, order=True)
class Measurement:
    """One row of a measurement table: a value on its own scale, about a step or a touchpoint.

    Ordered by file and line, so that the rows behind a figure are always
    listed in the same order.
    """

    path: str
    """The CSV file, as shown in messages."""
    line: int
    """The row's first line in that file."""
    date: dt.date
    metric: str
    """As written (``CSAT``, ``ces``); metrics are told apart without regard to case."""
    value: float
    low: float
    """The scale's ``min``."""
    high: float
    """The scale's ``max``, always above ``low``."""
    responses: int | None = None
    journey: str | None = None
    step: str | None = None
    """A step id within ``journey``; a row names a step or a touchpoint, not both."""
    touchpoint: str | None = None

    @property
    def on_emotion_scale(self) -> float:
        """The value mapped linearly onto the emotion scale, 1 to 5."""
        return 1 + 4 * (self.value - self.low) / (self.high - self.low)

    @property
    def weight(self) -> int:
        """How much the row counts in a mean: its responses, 1 when not given."""
        return self.responses if self.responses is not None else 1

    @property
    def metric_key(self) -> str:
        """The metric as compared: ``CSAT`` and ``csat`` are one metric."""
        return self.metric.casefold()

    @property
    def where(self) -> str:
        """``FILE:LINE`` of the row, for messages."""
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class MeasuredEmotion:
    """A step's emotion as measured, beside the one its map states."""

    value: float
    """The responses-weighted mean of the rows behind it, on the 1..5 scale."""
    stated: int
    """The step's ``emotion``."""
    rows: tuple[Measurement, ...]
    """The rows behind ``value`` (of each metric, those of its latest date), by file and line."""

    @property
    def drift(self) -> float:
        """Measured minus stated: negative when customers feel worse than the map says."""
        return self.value - self.stated

    @property
    def drifted(self) -> bool:
        """Whether the map and the data disagree by more than one point."""
        return abs(self.drift) > DRIFT_THRESHOLD

    @property
    def responses(self) -> int:
        """How many answers the value stands for (a row without ``responses`` counts 1)."""
        return sum(row.weight for row in self.rows)

    @property
    def metrics(self) -> tuple[str, ...]:
        """The metrics behind the value, as first written, in the rows' order."""
        seen: dict[str, str] = {}
        for row in self.rows:
            seen.setdefault(row.metric_key, row.metric)
        return tuple(seen.values())

    @property
    def latest(self) -> dt.date:
        """The newest date among the rows behind the value."""
        return max(row.date for row in self.rows)


def latest_of_each_metric(rows: Iterable[Measurement]) -> tuple[Measurement, ...]:
    """Of each metric, the rows of its latest date, by file and line."""
    rows = list(rows)
    latest: dict[str, dt.date] = {}
    for row in rows:
        known = latest.get(row.metric_key)
        if known is None or row.date > known:
            latest[row.metric_key] = row.date
    return tuple(sorted(row for row in rows if row.date == latest[row.metric_key]))


def measured_emotion(rows: Iterable[Measurement], stated: int) -> MeasuredEmotion | None:
    """The contract's measured emotion of a step from the rows about it; ``None`` without rows.

    Rounded to 9 decimals, so that rows of 2.0 and 4.0 make 3.0, not
    2.9999999999999996, and a drift of exactly one point is no drift.
    """
    chosen = latest_of_each_metric(rows)
    if not chosen:
        return None
    total = sum(row.weight for row in chosen)
    value = sum(row.on_emotion_scale * row.weight for row in chosen) / total
    return MeasuredEmotion(round(value, 9), stated, chosen)


class MeasurementIndex:
    """The rows of every table, by the step and by the touchpoint they name."""

    def __init__(self, rows: Iterable[Measurement]) -> None:
        self._by_step: dict[tuple[str, str], list[Measurement]] = defaultdict(list)
        self._by_touchpoint: dict[str, list[Measurement]] = defaultdict(list)
        for row in rows:
            if row.touchpoint is not None:
                self._by_touchpoint[row.touchpoint].append(row)
            elif row.journey is not None and row.step is not None:
                self._by_step[row.journey, row.step].append(row)

    def about_step(
        self, journey_id: str, step_id: str, touchpoints: Sequence[str]
    ) -> list[Measurement]:
        """The rows naming a step, or one of the touchpoints it uses."""
        found = list(self._by_step.get((journey_id, step_id), ()))
        for touchpoint_id in dict.fromkeys(touchpoints):
            found.extend(self._by_touchpoint.get(touchpoint_id, ()))
        return found

    def of_touchpoint(self, touchpoint_id: str) -> list[Measurement]:
        """The rows naming a touchpoint: newest first, then by metric, then file and line."""
        rows = self._by_touchpoint.get(touchpoint_id, [])
        by_file = sorted(rows)
        by_metric = sorted(by_file, key=lambda row: row.metric_key)
        return sorted(by_metric, key=lambda row: row.date, reverse=True)
