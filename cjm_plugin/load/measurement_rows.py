"""One data row of a measurement table, checked cell by cell into a :class:`Measurement`.

Every problem is an error at the row's first line, its column the cell's
position in the row, the column named in the message.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from .. import diagnostics as diag
from ..diagnostics import Code, Diagnostic
from ..measured import Measurement
from .limits import MAX_METRIC_LENGTH, MAX_NUMBER_DIGITS

#: The columns whose cells name records, checked across files.
ID_COLUMNS = ("journey", "step", "touchpoint")

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_WHOLE_RE = re.compile(r"\d+")


def _number(text: str) -> float | tuple[Code, str]:
    """A number as written, or why it is none."""
    if len(text) > MAX_NUMBER_DIGITS:
        return "number-too-long", f"{text[:40]!r} is longer than {MAX_NUMBER_DIGITS} characters"
    if not _NUMBER_RE.fullmatch(text):
        comma = _NUMBER_RE.fullmatch(text.replace(",", ".", 1))
        advice = f" (write decimals with a point: {text.replace(',', '.', 1)})" if comma else ""
        return "type", f"{text!r} is not a number{advice}"
    value = float(text)
    if not math.isfinite(value):
        return "number-too-long", f"{text!r} is too large a number"
    return value


class RowCells:
    """One data row being checked: its cells (text, column number) by column name, and its problems."""

    def __init__(self, path: str, line: int, cells: dict[str, tuple[str, int]]) -> None:
        self.path = path
        self.line = line
        self.cells = cells
        self.problems: list[Diagnostic] = []

    def text(self, name: str) -> str:
        return self.cells.get(name, ("", 0))[0]

    def error(self, name: str, code: Code, message: str) -> None:
        col = self.cells.get(name, ("", 1))[1]
        self.problems.append(diag.error(self.path, self.line, col, code, message))

    def required(self, name: str, advice: str) -> str | None:
        text = self.text(name)
        if not text:
            self.error(name, "empty-value", f"column '{name}' is empty: {advice}")
            return None
        return text

    def date(self) -> dt.date | None:
        text = self.required("date", "write the date of the measurement as YYYY-MM-DD")
        if text is None:
            return None
        try:
            if _DATE_RE.fullmatch(text):
                return dt.date.fromisoformat(text)
        except ValueError:
            pass
        self.error("date", "date", f"column 'date': {text[:40]!r} is not an ISO date (YYYY-MM-DD)")
        return None

    def metric(self) -> str | None:
        text = self.required("metric", "name what was measured, such as csat, ces or nps")
        if text is None:
            return None
        if len(text) > MAX_METRIC_LENGTH:
            self.error(
                "metric",
                "too-long",
                f"column 'metric' is {len(text)} characters long; at most "
                f"{MAX_METRIC_LENGTH} are allowed",
            )
            return None
        if "\n" in text or "\r" in text:
            self.error("metric", "one-line", "column 'metric' must be a single line")
            return None
        return text

    def number(self, name: str) -> float | None:
        text = self.required(name, "write a number")
        if text is None:
            return None
        found = _number(text)
        if isinstance(found, tuple):
            code, message = found
            self.error(name, code, f"column '{name}': {message}")
            return None
        return found

    def responses(self) -> int | None:
        text = self.text("responses")
        if not text:
            return None
        if not _WHOLE_RE.fullmatch(text) or len(text) > MAX_NUMBER_DIGITS or int(text) < 1:
            self.error(
                "responses",
                "invalid-value",
                f"column 'responses': {text[:40]!r} is not a whole number of 1 or more "
                "(how many answers the value stands for)",
            )
            return None
        return int(text)

    def target(self) -> tuple[str | None, str | None, str | None]:
        """(journey, step, touchpoint): a step of a journey, or a touchpoint; else a problem."""
        journey, step, touchpoint = (self.text(name) or None for name in ID_COLUMNS)
        if step is not None and touchpoint is not None:
            self.error(
                "touchpoint",
                "invalid-value",
                "a row names either a step (columns 'journey' and 'step') or a touchpoint, "
                "not both: split it into two rows",
            )
        elif step is not None and journey is None:
            self.error(
                "journey" if "journey" in self.cells else "step",
                "missing-field",
                "column 'journey' is empty: a row naming a step names its journey too",
            )
        elif journey is not None and step is None:
            self.error(
                "step" if "step" in self.cells else "journey",
                "missing-field",
                "column 'step' is empty: a row naming a journey names one of its steps "
                "(a touchpoint's row names no journey)",
            )
        elif journey is None and touchpoint is None:
            self.error(
                "touchpoint" if "touchpoint" in self.cells else "step",
                "missing-field",
                "the row names no step and no touchpoint: fill in 'journey' and 'step', "
                "or 'touchpoint'",
            )
        return journey, step, touchpoint

    def measurement(self) -> Measurement | None:
        """The row as a measurement, or ``None`` with its problems recorded."""
        date, metric = self.date(), self.metric()
        value, low, high = self.number("value"), self.number("min"), self.number("max")
        responses = self.responses()
        journey, step, touchpoint = self.target()
        if low is not None and high is not None and low >= high:
            self.error(
                "max",
                "invalid-value",
                f"column 'max': the scale's max ({self.text('max')}) must be above its min "
                f"({self.text('min')})",
            )
        elif (
            value is not None and low is not None and high is not None and not low <= value <= high
        ):
            self.error(
                "value",
                "invalid-value",
                f"column 'value': {self.text('value')} is outside the scale "
                f"{self.text('min')}..{self.text('max')} of 'min' and 'max'",
            )
        if self.problems:
            return None
        assert date is not None and metric is not None
        assert value is not None and low is not None and high is not None
        return Measurement(
            self.path,
            self.line,
            date,
            metric,
            value,
            low,
            high,
            responses,
            journey,
            step,
            touchpoint,
        )
