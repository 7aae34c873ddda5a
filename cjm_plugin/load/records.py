"""One journey file on its own: parsed, validated against the model, or its problems.

:func:`parse_file` never raises on bad input, and reads positions only when a
message needs one: during validation from the node tree already composed,
later by reading the file again (:meth:`Locator.deferred`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from .. import diagnostics as diag
from ..bodies import body_warnings
from ..diagnostics import Diagnostic
from ..model import RECORD_TYPES, RESERVED_NAMES, AnyRecord, SourceFile, is_slug
from .files import SourceText, file_name_problem
from .front_matter import Refused, compose_front_matter, split_front_matter
from .limits import MAX_PROBLEMS_PER_FILE
from .messages import diagnostics_from, hint
from .references import inline_ids, references_of
from .yaml_values import Loc, Locator, describe, front_matter_values


@dataclass(frozen=True)
class ParsedFile:
    """One file after parsing and validating on its own: a record or problems."""

    source: SourceText
    record: AnyRecord | None
    locator: Locator
    diagnostics: tuple[Diagnostic, ...]
    declared_type: str | None = None
    """The ``type:`` the file declares, when it names a known one, valid or not."""
    declared_id: str | None = None
    """The id an invalid file declares, so references to it are not reported too."""
    references: tuple[tuple[str, Any, Loc], ...] = ()
    """(type, id, where) of each reference an invalid file still makes, still checked.

    So that one run reports a bad emotion and an unknown persona together,
    instead of the second only after the first is fixed.
    """
    inline: tuple[tuple[str, str, Loc], ...] = ()
    """(type, id, where) of each record an invalid file declares inside itself."""


def parse_file(source: SourceText) -> ParsedFile:
    """Parse and validate one file on its own; never raises on bad input.

    Positions are read only when a message needs one: during validation from
    the node tree already composed, later by reading the file again.
    """
    problem = file_name_problem(source) or source.problem
    if problem is not None:
        return ParsedFile(source, None, Locator(source.path), (problem,))
    locator = Locator.deferred(source)
    try:
        front = split_front_matter(source)
        node = compose_front_matter(source, front)
        data, problems = front_matter_values(source, node, front.first_line, None)
    except Refused as refused:
        return ParsedFile(source, None, locator, (refused.diagnostic,))
    locator.composed = (node, front.first_line)
    try:
        record, more = _validate(data, source, front.body, locator)
    finally:
        locator.composed = None  # the tree is large, and must not travel to another process
    more += body_warnings(source.path, front.body, front.body_line)
    declared = data.get("type")
    kind = declared if isinstance(declared, str) and declared in RECORD_TYPES else None
    diagnostics = tuple(problems + more)
    if len(diagnostics) > MAX_PROBLEMS_PER_FILE:
        diagnostics = tuple(at_most(source.path, diag.sort_diagnostics(diagnostics)))
    if record is not None or kind is None:
        return ParsedFile(source, record, locator, diagnostics, kind)
    raw_id = data.get("id", source.relative_path.rsplit("/", 1)[-1].removesuffix(".md"))
    return ParsedFile(
        source,
        None,
        locator,
        diagnostics,
        kind,
        raw_id if isinstance(raw_id, str) else None,
        tuple(references_of(kind, data)),
        tuple(inline_ids(kind, data)),
    )


def at_most(path: str, problems: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The first ``MAX_PROBLEMS_PER_FILE`` problems of a file, and one more if there are more.

    Taken from an iterator, the problems past those are never worked out.
    """
    listed = list(itertools.islice(problems, MAX_PROBLEMS_PER_FILE + 1))
    if len(listed) <= MAX_PROBLEMS_PER_FILE:
        return listed
    more = diag.error(
        path,
        1,
        1,
        "too-many-problems",
        f"this file has more than {MAX_PROBLEMS_PER_FILE} problems; only the first "
        f"{MAX_PROBLEMS_PER_FILE} are listed",
    )
    return [more, *listed[:MAX_PROBLEMS_PER_FILE]]


def _validate(
    data: dict[str, Any], source: SourceText, body: str, locator: Locator
) -> tuple[AnyRecord | None, list[Diagnostic]]:
    record_type = data.get("type")
    if "type" not in data:
        return None, [
            locator.error(
                (),
                "missing-field",
                "missing required field 'type' (persona, touchpoint or journey)",
            )
        ]
    if not isinstance(record_type, str) or record_type not in RECORD_TYPES:
        suggestion = hint(record_type, RECORD_TYPES) if isinstance(record_type, str) else ""
        return None, [
            locator.error(
                ("type",),
                "unknown-type",
                f"unknown type {describe(record_type)}: expected persona, touchpoint or journey{suggestion}",
            )
        ]
    model = RECORD_TYPES[record_type]
    problems: list[Diagnostic] = []
    if "id" not in data:
        stem = source.relative_path.rsplit("/", 1)[-1].removesuffix(".md")
        if not is_slug(stem) or stem in RESERVED_NAMES:
            problems.append(
                diag.error(
                    source.path,
                    1,
                    1,
                    "id-format",
                    f"the id defaults to the file name, and {stem!r} is not a lower-case slug "
                    "(letters a-z, digits and single hyphens): rename the file or set 'id:'",
                )
            )
            return None, problems
        data = {**data, "id": stem}
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        return None, problems + diagnostics_from(exc, model, locator)
    record.with_source(SourceFile(path=source.path, relative_path=source.relative_path, body=body))
    return record, problems  # type: ignore[return-value]
