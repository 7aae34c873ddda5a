"""Problems found in journey files, and the formats they are reported in.

Every problem names its file, line and column and carries a stable code, so
CI logs, editors and GitHub annotations all point at the very spot. The codes
are a closed set (:data:`Code`): mypy refuses a call site that makes one up,
and ``docs/cli.md`` lists each with its line from :data:`CODE_DESCRIPTIONS`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

from .escape import terminal_text, visible_text

Severity = Literal["error", "warning"]
OUTPUT_FORMATS = ("text", "json", "github")

#: Every code a diagnostic carries, without its ``cjm.`` prefix. Codes never
#: change between versions: scripts and reviewers rely on them.
Code = Literal[
    # reading files
    "unreadable",
    "symlink-outside",
    "file-name",
    "file-too-large",
    "encoding",
    "csv-syntax",
    # front matter and YAML
    "front-matter",
    "yaml-syntax",
    "yaml-nesting",
    "yaml-alias",
    "yaml-tag",
    "yaml-key",
    "yaml-value",
    "duplicate-key",
    "number-too-long",
    "number-base-60",
    # fields of one record
    "missing-field",
    "unknown-type",
    "unknown-key",
    "type",
    "invalid-choice",
    "invalid-value",
    "emotion-range",
    "id-format",
    "one-line",
    "empty-value",
    "empty-list",
    "date",
    "too-long",
    "too-many",
    "too-many-problems",
    # records together
    "duplicate-id",
    "duplicate-stage",
    "duplicate-step",
    "ambiguous-step",
    "unknown-reference",
    "touchpoint-conflict",
    "compares-to",
    "compares-to-state",
    "many-personas",
    # keeping maps true
    "stale-map",
    "emotion-drift",
    # bodies and pages
    "body-script",
    "diagram-too-large",
]

#: One line per code, as ``docs/cli.md`` lists them (``tests/test_codes.py`` checks).
CODE_DESCRIPTIONS: dict[Code, str] = {
    "unreadable": "a file that cannot be read, such as one without read permission",
    "symlink-outside": "a symbolic link that leads outside the journeys folder, to a hidden file or round in a loop",
    "file-name": "a file or folder name holding a quote, backquote, `<`, `>`, backslash or control character",
    "file-too-large": "a file larger than 1 MiB",
    "encoding": "a file that is not UTF-8, or holds a NUL character",
    "csv-syntax": "a measurement table that is not valid CSV: a quote never closed, or a row with more or fewer cells than the header",
    "front-matter": "the `---` lines are missing, or the front matter is empty or not a mapping",
    "yaml-syntax": "the front matter is not valid YAML",
    "yaml-nesting": "lists and mappings nested more than 50 levels deep",
    "yaml-alias": "a YAML anchor or alias (`&name`, `*name`): write the value out",
    "yaml-tag": "a YAML tag such as `!!python/object`: only plain values are read",
    "yaml-key": "a mapping key that is not plain text",
    "yaml-value": "a value that cannot be read as the type its YAML tag names",
    "duplicate-key": "the same key twice in one mapping",
    "number-too-long": "a number with more than 30 digits, or too large or small to show as written",
    "number-base-60": "a YAML 1.1 base-60 number such as `1:30` (which means 90): quote it",
    "missing-field": "a required field is absent",
    "unknown-type": "a `type:` other than persona, touchpoint or journey",
    "unknown-key": "a field that does not exist here (often a typo)",
    "type": "a value of the wrong type, such as a number where text is expected",
    "invalid-choice": "a value outside a fixed list, such as `channel: website`",
    "invalid-value": "a value the field does not accept, for another reason",
    "emotion-range": "an emotion that is not an integer from 1 to 5",
    "id-format": "an id (as written, or from a file or stage name) that is not a lower-case slug, or that Windows reserves",
    "one-line": "a line break in a field that must be a single line",
    "empty-value": "a required text that is empty or blank",
    "empty-list": "a list that needs at least one item, such as `personas` or `stages`",
    "date": "a date that is not an ISO date (`YYYY-MM-DD`)",
    "too-long": "a text longer than a field allows",
    "too-many": "more items than allowed: in a list, steps in a journey, or values in a file",
    "too-many-problems": "a file with more than 100 problems: only the first 100 are listed",
    "duplicate-id": "two records of one type with the same id",
    "duplicate-stage": "two stages of one journey with the same id",
    "duplicate-step": "a step `id` written twice in one journey",
    "ambiguous-step": "a measurement row naming a step id that two steps of its journey share (no `id:`, same name)",
    "unknown-reference": "a persona, touchpoint, journey or step id that does not exist",
    "touchpoint-conflict": "one touchpoint id declared twice with different fields",
    "compares-to": "a `compares_to` link that does not point back, or points to itself",
    "compares-to-state": "warning: both states of a journey have the same `state`",
    "many-personas": "warning: more than two personas on one journey",
    "stale-map": "warning: a journey never reviewed, or whose `reviewed` date plus `review_every` is past",
    "emotion-drift": "warning: a step's measured emotion differs from its stated `emotion` by more than one point",
    "body-script": "warning: a body holds script, an event handler, a `javascript:` or `data:` URL or a frame",
    "diagram-too-large": "warning: a journey's diagram is over Mermaid's size limit and is left out",
}


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place. Ordering sorts by file, then position."""

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str

    def __str__(self) -> str:
        """``FILE:LINE:COL: severity: message [code]``, as one safe log line.

        The whole line goes through ``terminal_text``: a path such as ``:`` or
        ``::x.md`` would otherwise start it with ``::``, a workflow command.
        """
        line = f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message} [{self.code}]"
        return terminal_text(line)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def _one_line(message: str) -> str:
    """A diagnostic is one line, whatever text it quotes, so tools can parse it."""
    return terminal_text(message)


def error(path: str, line: int, col: int, code: Code, message: str) -> Diagnostic:
    return Diagnostic(path, line, col, "error", f"cjm.{code}", _one_line(message))


def warning(path: str, line: int, col: int, code: Code, message: str) -> Diagnostic:
    return Diagnostic(path, line, col, "warning", f"cjm.{code}", _one_line(message))


def count_summary(errors: int, warnings: int) -> str:
    """``2 errors, 1 warning``: the tail of every summary line."""

    def plural(n: int, word: str) -> str:
        return f"{n} {word}" + ("" if n == 1 else "s")

    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"


def _github_escape(text: str, *, property_value: bool = False) -> str:
    """Escape per GitHub's workflow-command rules, so a message cannot end early."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(diagnostic: Diagnostic) -> str:
    """A workflow command: GitHub shows it on the line of the pull request."""
    props = ",".join(
        [
            # A control character in a file name would reach the log raw otherwise.
            f"file={_github_escape(visible_text(diagnostic.path), property_value=True)}",
            f"line={diagnostic.line}",
            f"col={diagnostic.col}",
            f"title={_github_escape(diagnostic.code, property_value=True)}",
        ]
    )
    return f"::{diagnostic.severity} {props}::{_github_escape(diagnostic.message)}"


def format_report(diagnostics: Sequence[Diagnostic], output_format: str, summary: str) -> str:
    """All diagnostics plus a summary line, in one of ``OUTPUT_FORMATS``."""
    if output_format == "json":
        document = {
            "summary": summary,
            "errors": sum(1 for d in diagnostics if d.is_error),
            "warnings": sum(1 for d in diagnostics if not d.is_error),
            "diagnostics": [asdict(d) for d in diagnostics],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if output_format == "github":
        lines = [format_github(d) for d in diagnostics]
    else:
        lines = [str(d) for d in diagnostics]
    return "".join(line + "\n" for line in [*lines, summary])


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Deterministic order whatever order the checks ran in; duplicates dropped."""
    return sorted(set(diagnostics))
