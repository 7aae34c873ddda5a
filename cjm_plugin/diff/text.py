"""The report for a terminal: ``+``/``-``/``~`` lines, coloured when asked."""

from __future__ import annotations

import click

from .. import escape
from .changes import ChangeSet
from .describe import average_line, describe, sign_of

_COLOURS: dict[str, str] = {
    "+": "green",
    "-": "red",
    "~": "yellow",
    "added": "green",
    "removed": "red",
    "changed": "yellow",
}


def format_text(change_set: ChangeSet, color: bool = False) -> str:
    """For a terminal: ``+``/``-``/``~`` lines, coloured when ``color`` is set."""

    def paint(text: str, key: str, bold: bool = False) -> str:
        return click.style(text, fg=_COLOURS[key], bold=bold) if color else text

    sides = f"{change_set.before} → {change_set.after}"  # a folder's name could hold ##[
    lines = [f"{escape.terminal_text(sides)}: {change_set.summary}"]
    for record in change_set.records:
        header = (
            f"{record.type} {record.id} ({escape.terminal_text(record.title)}): {record.status}"
        )
        lines += ["", paint(header, record.status, bold=True)]
        average = average_line(record)
        if average is not None and record.status == "changed":
            lines.append(f"  {average}")
        for change in record.changes:
            sign = sign_of(change.kind)
            lines.append(paint(f"  {sign} {describe(change, escape.terminal_text)}", sign))
    return "\n".join(lines) + "\n"
