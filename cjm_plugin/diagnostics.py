"""Problems found in journey files, and the formats they are reported in.

Every problem names its file, line and column and carries a stable code, so
CI logs, editors and GitHub annotations all point at the very spot.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

from .escape import terminal_text, visible_text

Severity = Literal["error", "warning"]
OUTPUT_FORMATS = ("text", "json", "github")


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


def error(path: str, line: int, col: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(path, line, col, "error", f"cjm.{code}", _one_line(message))


def warning(path: str, line: int, col: int, code: str, message: str) -> Diagnostic:
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
