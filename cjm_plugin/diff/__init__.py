"""What changed between two revisions of the journey maps: ``cjm diff``.

Two registries -> a ``ChangeSet`` -> Markdown (a pull-request comment), text
(a terminal) or JSON (tools). ``sides`` loads what is compared (git revisions,
the working tree or two folders); ``compare`` matches records by id, and
``journeys`` stages and steps within a journey, to make the ``changes``;
``describe`` puts a change in words for ``text`` and ``markdown``; ``json``
writes the documented document.
"""

from __future__ import annotations

from .changes import Change, ChangeSet, RecordDiff
from .compare import diff_registries
from .describe import describe
from .formats import DIFF_FORMATS, format_change_set
from .json import format_json
from .markdown import format_markdown
from .sides import DiffInputError, DiffSide, invalid_side_report, load_sides
from .text import format_text

__all__ = [
    "DIFF_FORMATS",
    "Change",
    "ChangeSet",
    "DiffInputError",
    "DiffSide",
    "RecordDiff",
    "describe",
    "diff_registries",
    "format_change_set",
    "format_json",
    "format_markdown",
    "format_text",
    "invalid_side_report",
    "load_sides",
]
