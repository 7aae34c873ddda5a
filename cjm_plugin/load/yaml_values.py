"""The front matter's node tree as plain values, each traced to its FILE:LINE:COL.

One walk over the tree builds plain values while recording where each came
from (:class:`Locator`). It refuses what a journey map never needs and an
attacker would love: anchors and aliases (so an alias bomb is answered at once
instead of expanded), language-specific tags, duplicate keys, numbers too long
to show as written and YAML 1.1 base-60 numbers (``1:30`` is 90, and
``1:1:...:1`` an integer that takes seconds to build).

Most files are fine and their positions never asked for: a quick walk without
positions (:func:`_plain_values`) reads them, and the careful one runs only
when a message needs a position.
"""

from __future__ import annotations

import math
import re
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

import yaml

from .. import diagnostics as diag
from ..diagnostics import Code, Diagnostic
from .files import SourceText
from .front_matter import FrontMatter, Refused, compose_front_matter, split_front_matter
from .limits import MAX_NUMBER_DIGITS, MAX_PROBLEMS_PER_FILE

_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}
_STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_NUMBER_TAGS = frozenset({_INT_TAG, _FLOAT_TAG})
_SCALAR_CONSTRUCTOR = yaml.constructor.SafeConstructor()

Loc = tuple[str | int, ...]
Position = tuple[int, int]


@dataclass
class Locator:
    """Where each value and key of one file's front matter stands."""

    path: str
    values: dict[Loc, Position] = field(default_factory=dict)
    keys: dict[Loc, Position] = field(default_factory=dict)
    source: SourceText | None = field(default=None, repr=False)
    """Set while the positions are not read yet: they are, on the first question."""
    composed: tuple[yaml.Node, int] | None = field(default=None, repr=False)
    """The node tree and first line of the front matter, while the file is being
    validated: positions asked for meanwhile are read from it, not parsed again."""

    @classmethod
    def deferred(cls, source: SourceText) -> Locator:
        """A locator that reads its file again only if a message needs a position.

        Positions are most of a parsed file's memory, and once a file has been
        checked on its own only a cross-file problem (an unknown id) needs them.
        """
        return cls(source.path, source=source)

    def _read(self) -> None:
        if self.source is not None:
            source, self.source = self.source, None
            # A file that does not parse has no positions; its own diagnostics say why.
            with suppress(Refused):
                if self.composed is not None:
                    node, first_line = self.composed
                    front_matter_values(source, node, first_line, self)
                else:
                    parse_front_matter(source, self)

    def _top_level_value(self, loc: Loc) -> Position | None:
        """Where a top-level key's value starts on its own line, found in the text.

        Before the positions are read: a warning about one field of many files
        (``reviewed`` of every stale map) would compose each file again. A key
        written another way (quoted, in a flow mapping, its value on the next
        lines) is left to the full reading.
        """
        if self.source is None or len(loc) != 1 or not isinstance(loc[0], str):
            return None
        pattern = re.compile(rf"{re.escape(loc[0])}[ \t]*:[ \t]+([^\s#])")
        lines = self.source.data.decode("utf-8", "replace").splitlines()
        for number, line in enumerate(lines[1:], start=2):
            if line in ("---", "..."):
                return None
            found = pattern.match(line)
            if found is not None:
                return number, found.start(1) + 1
        return None

    def has_value(self, loc: Loc) -> bool:
        """Whether the front matter writes a value at ``loc``."""
        self._read()
        return loc in self.values

    def has_key(self, loc: Loc) -> bool:
        """Whether the front matter writes the key naming ``loc``."""
        self._read()
        return loc in self.keys

    def value(self, loc: Loc) -> Position:
        """Position of the value at ``loc``, or of its nearest written ancestor."""
        top_level = self._top_level_value(loc)
        if top_level is not None:
            return top_level
        self._read()
        while loc not in self.values and loc:
            loc = loc[:-1]
        return self.values.get(loc, (1, 1))

    def key(self, loc: Loc) -> Position:
        """Position of the key naming ``loc``, else of the value."""
        self._read()
        return self.keys.get(loc) or self.value(loc)

    def error(self, loc: Loc, code: Code, message: str, *, at_key: bool = False) -> Diagnostic:
        line, col = self.key(loc) if at_key else self.value(loc)
        return diag.error(self.path, line, col, code, message)

    def warning(self, loc: Loc, code: Code, message: str, *, at_key: bool = False) -> Diagnostic:
        line, col = self.key(loc) if at_key else self.value(loc)
        return diag.warning(self.path, line, col, code, message)


def describe(value: Any) -> str:
    """A value as a user would recognise it from the YAML they wrote."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return repr(shown)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"{type(value).__name__} {value}"


def _tag_name(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


class _TreeBuilder:
    """Turns a composed YAML node tree into plain values and a Locator."""

    def __init__(self, locator: Locator, line_offset: int) -> None:
        self.locator = locator
        self.offset = line_offset
        self.seen: set[int] = set()
        self.problems: list[Diagnostic] = []

    def position(self, node: yaml.Node) -> Position:
        return node.start_mark.line + self.offset, node.start_mark.column + 1

    def refuse(self, node: yaml.Node, code: Code, message: str) -> Refused:
        line, col = self.position(node)
        return Refused(diag.error(self.locator.path, line, col, code, message))

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        if id(node) in self.seen:
            line, col = self.locator.key(loc)
            raise Refused(
                diag.error(
                    self.locator.path,
                    line,
                    col,
                    "yaml-alias",
                    "YAML anchors and aliases (&name, *name) are not allowed; "
                    "write the value out in full",
                )
            )
        self.seen.add(id(node))
        self.locator.values[loc] = self.position(node)
        if node.tag not in _ALLOWED_TAGS:
            raise self.refuse(
                node,
                "yaml-tag",
                f"YAML tag '{_tag_name(node.tag)}' is not allowed; "
                "only plain text, numbers, booleans, dates, lists and mappings are",
            )
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*loc, i)) for i, child in enumerate(node.value)]
        assert isinstance(node, yaml.MappingNode)
        return self.mapping(node, loc)

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == _STR_TAG:
            return node.value
        problem = _number_problem(node.value) if node.tag in _NUMBER_TAGS else None
        if problem is not None:
            raise self.refuse(node, *problem)
        constructor = _SCALAR_CONSTRUCTOR.yaml_constructors[node.tag]
        try:
            value = constructor(_SCALAR_CONSTRUCTOR, node)
        except (ValueError, OverflowError):
            if node.tag == "tag:yaml.org,2002:timestamp":
                return node.value  # looks like a date but is not one: validation says so
            raise self.refuse(
                node, "yaml-value", f"cannot read {node.value[:40]!r} as {_tag_name(node.tag)}"
            ) from None
        problem = _float_problem(node.value, value) if node.tag == _FLOAT_TAG else None
        if problem is not None:
            raise self.refuse(node, *problem)
        return value

    def mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any]:
        result: dict[str, Any] = {}
        key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if id(key_node) in self.seen or key_node.tag not in _ALLOWED_TAGS:
                self.build(key_node, (*loc, "<key>"))  # raises the right refusal
            if (
                not isinstance(key_node, yaml.ScalarNode)
                or key_node.tag == "tag:yaml.org,2002:merge"
            ):
                raise self.refuse(key_node, "yaml-key", "mapping keys must be plain text")
            key = key_node.value
            line, col = self.position(key_node)
            if key in key_lines:
                if len(self.problems) > MAX_PROBLEMS_PER_FILE:  # enough to say there are more
                    continue
                self.problems.append(
                    diag.error(
                        self.locator.path,
                        line,
                        col,
                        "duplicate-key",
                        f"key '{key}' appears twice in one mapping: "
                        f"on line {key_lines[key]} and on line {line}",
                    )
                )
                continue
            key_lines[key] = line
            self.locator.keys[(*loc, key)] = (line, col)
            result[key] = self.build(value_node, (*loc, key))
        return result


def _number_problem(text: str) -> tuple[Code, str] | None:
    """(code, message) when a number as written is not one to read, before it is built.

    A base-60 number is refused, not built: ``1:1:...:1`` takes quadratic
    time, and ``1:30`` meaning 90 surprises anyone who meant a time.
    """
    shown = text if len(text) <= 40 else text[:37] + "..."
    if ":" in text:
        return (
            "number-base-60",
            f"{shown!r} is a base-60 number in YAML 1.1 (1:30 means 90); "
            "put it in quotes to keep it as text",
        )
    if len(text) <= MAX_NUMBER_DIGITS:
        return None
    body = text.lower().lstrip("+-").replace("_", "")
    if body.startswith(("0x", "0o", "0b")):
        body = body[2:]
    digits = len(body) if body.isalnum() else sum(c.isdigit() for c in body)
    if digits <= MAX_NUMBER_DIGITS:
        return None
    return (
        "number-too-long",
        f"number {shown!r} has {digits} digits; at most {MAX_NUMBER_DIGITS} can be shown "
        "(put it in quotes to keep it as text)",
    )


def _float_problem(text: str, value: float) -> tuple[Code, str] | None:
    """(code, message) when a float as built is not the number written: out of range."""
    lowered = text.lower()
    if math.isinf(value) and "inf" not in lowered:
        too = "large"
    elif value == 0 and re.search("[1-9]", lowered.partition("e")[0]):
        too = "small"
    else:
        return None
    shown = text if len(text) <= 40 else text[:37] + "..."
    return (
        "number-too-long",
        f"number {shown!r} is too {too} to show as written (put it in quotes to keep it as text)",
    )


class _NeedsPositions(Exception):
    """The quick walk met something to report: walk again, recording positions."""


def _plain_values(node: yaml.Node, seen: set[int] | None = None) -> Any:
    """The node tree as plain values, without recording a single position.

    Most files are fine, and their positions are never asked for. Anything the
    careful walk of :class:`_TreeBuilder` would report (an alias, a tag, a
    duplicate key, a bad number) raises :class:`_NeedsPositions` instead, and
    that walk runs; where this one returns, it returns the same values.
    (A plain recursive function: a nested one would refer to itself, a cycle
    that only the paused cycle collector could free.)
    """
    if seen is None:
        seen = set()
    if id(node) in seen or node.tag not in _ALLOWED_TAGS:
        raise _NeedsPositions
    seen.add(id(node))
    kind = type(node)
    if kind is yaml.ScalarNode:
        tag = node.tag
        if tag == _STR_TAG:
            return node.value
        if tag in _NUMBER_TAGS and (len(node.value) > MAX_NUMBER_DIGITS or ":" in node.value):
            raise _NeedsPositions
        try:
            value = _SCALAR_CONSTRUCTOR.yaml_constructors[tag](_SCALAR_CONSTRUCTOR, node)
        except (ValueError, OverflowError):
            raise _NeedsPositions from None
        if tag == _FLOAT_TAG and _float_problem(node.value, value) is not None:
            raise _NeedsPositions
        return value
    if kind is yaml.SequenceNode:
        return [_plain_values(child, seen) for child in node.value]
    if kind is not yaml.MappingNode:
        raise _NeedsPositions
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if (
            type(key_node) is not yaml.ScalarNode
            or id(key_node) in seen
            or key_node.tag not in _ALLOWED_TAGS
            or key_node.tag == "tag:yaml.org,2002:merge"
            or key_node.value in result
        ):
            raise _NeedsPositions
        result[key_node.value] = _plain_values(value_node, seen)
    return result


def front_matter_values(
    source: SourceText, node: yaml.Node, first_line: int, locator: Locator | None
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The node tree as plain values, and its problems; positions into ``locator`` if given.

    Without a locator, positions are recorded only if the front matter has a
    problem of its own to report.
    """
    if locator is None:
        with suppress(_NeedsPositions):
            data = _plain_values(node)
            if isinstance(data, dict):
                return data, []
        locator = Locator(source.path)
    builder = _TreeBuilder(locator, first_line)
    data = builder.build(node, ())
    if not isinstance(data, dict):
        line, col = locator.value(())
        raise Refused(
            diag.error(
                source.path,
                line,
                col,
                "front-matter",
                f"front matter must be a mapping of fields, got {describe(data)}",
            )
        )
    return data, builder.problems


def parse_front_matter(
    source: SourceText, locator: Locator | None = None
) -> tuple[Any, FrontMatter, list[Diagnostic]]:
    """Front matter as plain values, the file cut in two, and YAML-level problems.

    Positions go into ``locator`` when one is given; without one they are
    recorded only if the front matter has a problem of its own to report.
    """
    front = split_front_matter(source)
    node = compose_front_matter(source, front)
    data, problems = front_matter_values(source, node, front.first_line, locator)
    return data, front, problems
