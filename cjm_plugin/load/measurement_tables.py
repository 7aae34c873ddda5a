"""Measurement tables (``*.csv``): the source of the measured rows.

Each table is read on its own by :func:`~.measurements.parse_table`. Across
files, the ids of each row go through the same check of unknown references
as a journey's (through the table of :mod:`.references`), and once the
registry is built each step whose measured emotion is more than a point from
its stated one is a warning at the step's ``emotion:``. ``cjm diff`` compares
the tables row by row, a row's place in its file aside.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from .. import diagnostics as diag
from ..diagnostics import Diagnostic
from ..measured import MeasuredEmotion
from ..model import Journey
from ..registry import Registry
from .checks import unknown_references
from .files import SourceText
from .measurements import ParsedTable, RowTarget, parse_table
from .records import at_most
from .references import MEASUREMENT_REFERENCES, IdField, references_of
from .sources import Folder, RegistryParts
from .yaml_values import Loc, Locator


class MeasurementTables:
    """The ``*.csv`` files of a journeys folder: what customers reported, row by row."""

    name = "measurements"
    suffixes = (".csv",)
    id_fields: tuple[IdField, ...] = MEASUREMENT_REFERENCES

    def parse(self, text: SourceText) -> ParsedTable:
        return parse_table(text)

    def declare(self, parsed: Sequence[ParsedTable], folder: Folder) -> tuple[Diagnostic, ...]:
        return ()  # rows name records; they declare none

    def check(self, parsed: Sequence[ParsedTable], folder: Folder) -> Iterator[Diagnostic]:
        """Unknown ids and ambiguous steps named by the rows, table by table."""
        if not any(table.targets for table in parsed):
            return
        journeys = folder.journeys
        known = {**folder.known, "step": step_ids(journeys)}
        for table in parsed:
            found = itertools.chain(
                ambiguous_steps(table, journeys),
                unknown_references(table.locator, row_references(table, journeys), known),
            )
            yield from name_columns(table, at_most(table.source.path, found))

    def contribute(
        self, parsed: Sequence[ParsedTable], folder: Folder, parts: RegistryParts
    ) -> None:
        """The rows for the measured emotions, and each table's rows as ``cjm diff`` compares them."""
        for table in parsed:
            parts.measurements.extend(table.rows)
            parts.add_input(
                self.name,
                table.source.relative_path,
                (replace(row, path="", line=0) for row in table.rows),
            )

    def registry_warnings(
        self, parsed: Sequence[ParsedTable], folder: Folder, registry: Registry
    ) -> Iterator[Diagnostic]:
        locators = {k: v.locator for k, v in folder.declared["journey"].items()}
        return drift_warnings(registry, locators)


#: The measurement tables source, registered by :mod:`cjm_plugin.load`.
MEASUREMENT_TABLES = MeasurementTables()


def _row_mapping(target: RowTarget, journeys: Mapping[str, Journey]) -> dict[str, Any]:
    """A row's ids as the plain mapping :mod:`.references` walks; a step as ``journey/step``.

    The step is checked only within a journey that loaded: an unknown or
    invalid journey is reported on its own.
    """
    mapping: dict[str, Any] = {"journey": target.journey, "touchpoint": target.touchpoint}
    if target.journey in journeys and target.step is not None:
        mapping["step"] = f"{target.journey}/{target.step}"
    return mapping


def row_references(
    table: ParsedTable, journeys: Mapping[str, Journey]
) -> list[tuple[str, Any, Loc]]:
    """(type, id, where) of every id the table's rows name, where keyed ``(line, column)``."""
    found: list[tuple[str, Any, Loc]] = []
    for target in table.targets:
        for kind, ref, loc in references_of("measurement", _row_mapping(target, journeys)):
            found.append((kind, ref, (target.line, *loc)))
    return found


def step_ids(journeys: Mapping[str, Journey]) -> set[str]:
    """Every step of the loaded journeys as ``journey-id/step-id``, as rows name them."""
    return {f"{j.id}/{step.slug}" for j in journeys.values() for _, step in j.all_steps()}


def ambiguous_steps(table: ParsedTable, journeys: Mapping[str, Journey]) -> Iterator[Diagnostic]:
    """An error for each row naming a default step id that two steps of its journey share."""
    numbers_of: dict[str, dict[str, list[int]]] = {}
    for target in table.targets:
        journey = journeys.get(target.journey or "")
        if journey is None or target.step is None:
            continue
        if journey.id not in numbers_of:
            by_slug: dict[str, list[int]] = {}
            for number, (_, step) in enumerate(journey.all_steps(), start=1):
                by_slug.setdefault(step.slug, []).append(number)
            numbers_of[journey.id] = by_slug
        numbers = numbers_of[journey.id].get(target.step, [])
        if len(numbers) > 1:
            listed = ", ".join(str(n) for n in numbers)
            yield diag.error(
                table.source.path,
                target.line,
                table.column_number("step"),
                "ambiguous-step",
                f"column 'step': '{target.step}' is the id of {len(numbers)} steps of journey "
                f"'{journey.id}' (steps {listed}, which share a name and have no 'id:'); give "
                "each an 'id:' in the journey file and name one of them here",
            )


def name_columns(table: ParsedTable, problems: list[Diagnostic]) -> list[Diagnostic]:
    """Cross-file messages of a table with the column named: ``column 'step': unknown ...``."""
    named = []
    for problem in problems:
        col = problem.col
        name = table.columns[col - 1] if 0 < col <= len(table.columns) else None
        if name is not None and not problem.message.startswith("column "):
            problem = replace(problem, message=f"column '{name}': {problem.message}")
        named.append(problem)
    return named


#: Rows named in a drift warning before "and N more".
_ROWS_NAMED = 3


def _rows_named(measured: MeasuredEmotion) -> str:
    """``a.csv:4, a.csv:9 and 2 more``: where the rows behind a measured emotion are."""
    shown = [row.where for row in measured.rows[:_ROWS_NAMED]]
    more = len(measured.rows) - len(shown)
    if more:
        return ", ".join(shown) + f" and {more} more"
    return ", ".join(shown[:-1]) + (" and " if len(shown) > 1 else "") + shown[-1]


def drift_warnings(registry: Registry, locators: Mapping[str, Locator]) -> Iterator[Diagnostic]:
    """A warning at the ``emotion:`` of each step the data puts more than a point away.

    ``locators`` are the journeys' own, by journey id: a step's position is
    read (from its file, again) only for the few steps that drifted.
    """
    if not registry.measurements:
        return
    for journey_id, journey in registry.journeys.items():
        locator = locators.get(journey_id)
        number = 0
        for s, stage in enumerate(journey.stages):
            for t, step in enumerate(stage.steps):
                number += 1
                measured = registry.measured_emotion(journey_id, number)
                if measured is None or not measured.drifted or locator is None:
                    continue
                metrics = ", ".join(measured.metrics)
                responses = measured.responses
                yield locator.warning(
                    ("stages", s, "steps", t, "emotion"),
                    "emotion-drift",
                    f"step '{step.name}' states emotion {step.emotion} but is measured at "
                    f"{measured.value:.1f} ({metrics}; {responses} response"
                    f"{'' if responses == 1 else 's'}, {measured.latest.isoformat()}), a "
                    f"drift of {measured.drift:+.1f}; measured in {_rows_named(measured)}: "
                    "update the map, or review the data",
                )
