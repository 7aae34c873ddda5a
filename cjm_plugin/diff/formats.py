"""The report formats by name, as ``cjm diff --format`` takes them."""

from __future__ import annotations

from .changes import ChangeSet
from .json import format_json
from .markdown import format_markdown
from .text import format_text

DIFF_FORMATS = ("markdown", "text", "json")


def format_change_set(change_set: ChangeSet, output_format: str, color: bool = False) -> str:
    """The report in one of ``DIFF_FORMATS``."""
    if output_format == "json":
        return format_json(change_set)
    if output_format == "text":
        return format_text(change_set, color=color)
    return format_markdown(change_set)
