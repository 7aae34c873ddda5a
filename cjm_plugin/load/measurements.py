"""Measurement tables: each ``*.csv`` of the journeys folder read into rows, or its problems.

A table is read like a journey file (:mod:`.files`: capped, links kept
inside the folder, unchanged files not read again during serve) and checked
with the same care: every problem is a diagnostic at FILE:LINE of the CSV,
its column the cell's position in the row, the column named in the message.
The ids a row names (journey, step, touchpoint) are checked across files by
:mod:`.checks`, through the table of :mod:`.references`, like any record's.
The CSV itself is parsed by the ``csv`` module, in strict mode.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import NamedTuple

from .. import diagnostics as diag
from ..diagnostics import Diagnostic
from ..measured import Measurement
from .files import SourceText, file_name_problem
from .front_matter import Refused, decoded_text
from .limits import (
    MAX_MEASUREMENT_ROWS,
    MAX_PROBLEMS_PER_FILE,
)
from .measurement_rows import ID_COLUMNS, RowCells
from .messages import hint
from .records import at_most
from .yaml_values import Loc, Locator

#: The columns of a measurement table, in the contract's order.
COLUMNS = ("date", "journey", "step", "touchpoint", "metric", "value", "min", "max", "responses")
REQUIRED_COLUMNS = ("date", "metric", "value", "min", "max")


class RowTarget(NamedTuple):
    """The ids one row names, as written; checked across files even when the row is invalid."""

    line: int
    journey: str | None
    step: str | None
    touchpoint: str | None


@dataclass(frozen=True)
class ParsedTable:
    """One measurement table after reading it on its own: its valid rows and its problems."""

    source: SourceText
    rows: tuple[Measurement, ...]
    diagnostics: tuple[Diagnostic, ...]
    columns: tuple[str, ...] = ()
    """The header's names, in order: a cell's column number is its name's position + 1."""
    targets: tuple[RowTarget, ...] = ()

    def column_number(self, name: str) -> int:
        """The 1-based position of a column, or 1 when the table has no such column."""
        return self.columns.index(name) + 1 if name in self.columns else 1

    @property
    def locator(self) -> Locator:
        """Where each id cell stands, keyed ``(line, column name)``: for the cross-file checks."""
        values: dict[Loc, tuple[int, int]] = {}
        for target in self.targets:
            for name in ID_COLUMNS:
                values[target.line, name] = (target.line, self.column_number(name))
        return Locator(self.source.path, values)


def _text_of(source: SourceText) -> str:
    """The table as text, or :class:`Refused` with why not (size, encoding, NUL)."""
    return decoded_text(source, "split the table into several files", "save the table as CSV UTF-8")


def _csv_problem(path: str, line: int, exc: csv.Error) -> Diagnostic:
    """A ``csv`` error in the users' words, at the first line of the row it stopped in."""
    reason = str(exc)
    if "unexpected end of data" in reason:
        message = "a quoted cell that starts in this row is never closed: a '\"' is missing"
    elif "expected after" in reason:
        message = (
            "a quoted cell must end at a ',' or the end of the line; write a '\"' inside "
            'a quoted cell as two: ""'
        )
    elif "new-line character" in reason:
        message = "a line break inside a cell that is not quoted; put the cell in '\"' quotes"
    elif "field larger than field limit" in reason:
        message = f"a cell is longer than {csv.field_size_limit():,} characters"
    else:
        message = f"not valid CSV: {reason}"
    return diag.error(path, line, 1, "csv-syntax", message)


def _header_problems(path: str, line: int, names: list[str]) -> list[Diagnostic]:
    """Unknown, unnamed, repeated and missing columns of the header row."""
    problems: list[Diagnostic] = []
    first: dict[str, int] = {}
    for col, name in enumerate(names, start=1):
        if not name:
            problems.append(
                diag.error(
                    path,
                    line,
                    col,
                    "empty-value",
                    f"column {col} of the header has no name (a ',' too many?)",
                )
            )
        elif name not in COLUMNS:
            suggestion = hint(name.lower(), COLUMNS) or hint(name, COLUMNS)
            problems.append(
                diag.error(
                    path,
                    line,
                    col,
                    "unknown-key",
                    f"unknown column {name[:40]!r}{suggestion} (the columns are "
                    f"{', '.join(COLUMNS)})",
                )
            )
        elif name in first:
            problems.append(
                diag.error(
                    path,
                    line,
                    col,
                    "duplicate-key",
                    f"column '{name}' is in the header twice (columns {first[name]} and {col})",
                )
            )
        first.setdefault(name, col)
    missing = [name for name in REQUIRED_COLUMNS if name not in first]
    if missing:
        listed = ", ".join(f"'{name}'" for name in missing)
        problems.append(
            diag.error(
                path,
                line,
                1,
                "missing-field",
                f"missing required column{'s' if len(missing) > 1 else ''} {listed}: a "
                "measurement table's first row names its columns, at least date, metric, "
                "value, min and max, and journey and step, or touchpoint",
            )
        )
    return problems


def parse_table(source: SourceText) -> ParsedTable:
    """Read and check one measurement table on its own; never raises on bad input."""
    problem = file_name_problem(source) or source.problem
    if problem is not None:
        return ParsedTable(source, (), (problem,))
    try:
        text = _text_of(source)
    except Refused as refused:
        return ParsedTable(source, (), (refused.diagnostic,))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    path = source.path
    problems: list[Diagnostic] = []
    rows: list[Measurement] = []
    targets: list[RowTarget] = []
    names: list[str] | None = None
    count = 0
    while len(problems) <= MAX_PROBLEMS_PER_FILE:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(_csv_problem(path, line, exc))
            break
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        if names is None:
            names = [cell.strip() for cell in cells]
            problems.extend(_header_problems(path, line, names))
            if any(name not in names for name in REQUIRED_COLUMNS):
                break  # no row can be read without them
            continue
        count += 1
        if count > MAX_MEASUREMENT_ROWS:
            problems.append(
                diag.error(
                    path,
                    line,
                    1,
                    "too-many",
                    f"the table has more than {MAX_MEASUREMENT_ROWS:,} rows; split it into "
                    "several files",
                )
            )
            break
        if len(cells) != len(names):
            problems.append(
                diag.error(
                    path,
                    line,
                    min(len(cells), len(names)) + 1,
                    "csv-syntax",
                    f"the row has {len(cells)} cells but the header names {len(names)} "
                    "columns (a ',' too many or too few, or a cell holding ',' not in quotes?)",
                )
            )
            continue
        row = RowCells(
            path,
            line,
            {
                name: (cell.strip(), col)
                for col, (name, cell) in enumerate(zip(names, cells, strict=True), start=1)
                if name in COLUMNS
            },
        )
        measurement = row.measurement()
        journey, step, touchpoint = (row.text(name) or None for name in ID_COLUMNS)
        if journey is not None or touchpoint is not None:
            targets.append(RowTarget(line, journey, step if journey else None, touchpoint))
        problems.extend(row.problems)
        if measurement is not None:
            rows.append(measurement)
    if names is None:
        problems.append(
            diag.error(
                path,
                1,
                1,
                "missing-field",
                "the measurement table is empty: its first row names its columns "
                f"({', '.join(COLUMNS)}), one measurement a row below it",
            )
        )
    found = tuple(at_most(path, diag.sort_diagnostics(problems)))
    return ParsedTable(source, tuple(rows), found, tuple(names or ()), tuple(targets))
