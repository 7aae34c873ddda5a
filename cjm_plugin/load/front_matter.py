"""Front matter: cut from the file, decoded and composed into a YAML node tree, within limits.

libyaml composes the tree; the tree is never built deeper than
:data:`~.limits.MAX_NESTING` or larger than :data:`~.limits.MAX_VALUES` (both
counted while composing), so a file built to exhaust the parser is answered at
once. What the tree holds is read in :mod:`.yaml_values`.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Any

import yaml

from .. import diagnostics as diag
from ..diagnostics import Diagnostic
from .files import SourceText
from .limits import MAX_FILE_BYTES, MAX_NESTING, MAX_VALUES

_LIBYAML_LOADER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: The tag of a plain scalar depends on its text alone.
_RESOLVER = yaml.resolver.Resolver()
assert not yaml.resolver.Resolver.yaml_path_resolvers, "path resolvers would depend on the node"


class Refused(Exception):
    """YAML the loader will not read; carries the diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class _TooBig(Exception):
    """The front matter nests deeper than ``MAX_NESTING`` or holds more than ``MAX_VALUES``.

    Carries the collection being composed when the limit was reached.
    """

    def __init__(self, node: yaml.Node | None, too_deep: bool) -> None:
        super().__init__("nested too deep" if too_deep else "too many values")
        self.node = node
        self.too_deep = too_deep


class _Loader(_LIBYAML_LOADER):  # type: ignore[misc]
    """libyaml's safe loader, with the tag of each node resolved through a cache.

    libyaml parses in C but asks Python for every node's tag: a regular
    expression or two per scalar, a fifth of the time of reading a folder of
    maps whose keys and ids repeat from file to file. Without path resolvers
    (none are registered) the descend/ascend bookkeeping has nothing to do,
    so it counts nodes instead, before each is composed: the composer recurses
    once a level (in C or in Python) and stops at ``MAX_NESTING`` instead of
    500 levels down, and a file of tiny values stops at ``MAX_VALUES``.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        # Counted in a closure, called as a plain function from the instance:
        # a third of the cost of counting in attributes, on every node.
        depth = values = 0

        def descend_resolver(current_node: yaml.Node | None, current_index: Any) -> None:
            nonlocal depth, values
            depth += 1
            values += 1
            if depth > MAX_NESTING or values > MAX_VALUES:
                raise _TooBig(current_node, depth > MAX_NESTING)

        def ascend_resolver() -> None:
            nonlocal depth
            depth -= 1

        self.descend_resolver = descend_resolver
        self.ascend_resolver = ascend_resolver

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        tag: str = _RESOLVER.resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        return tag


#: What libyaml says past its own limit of 1,000 nested flow collections.
_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"
_TOO_DEEP = (
    f"lists and mappings nest more than {MAX_NESTING} levels deep here; "
    "a journey map needs fewer than 10"
)
_FENCE_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_OPEN_RE = re.compile(r"---[ \t]*(?:\n|$)")


@dataclass
class FrontMatter:
    yaml_text: str
    first_line: int
    """1-based line in the file where the YAML text starts."""
    body: str
    body_line: int = 1
    """1-based line in the file where the body starts (the line after the closing ``---``)."""


def decoded_text(source: SourceText, too_large_advice: str, encoding_advice: str) -> str:
    """A file's text: within the size cap, UTF-8 (a byte-order mark dropped), no NUL.

    Shared by every input (journey files, measurement tables); each gives the
    advice its users need. Line breaks are left as written.
    """
    data = source.data
    if len(data) > MAX_FILE_BYTES:
        raise Refused(
            diag.error(
                source.path,
                1,
                1,
                "file-too-large",
                f"file is larger than {MAX_FILE_BYTES // 1024} KiB; {too_large_advice}",
            )
        )
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise Refused(
            diag.error(
                source.path,
                line,
                col,
                "encoding",
                f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); {encoding_advice}",
            )
        ) from None
    if "\x00" in text:
        before = text[: text.index("\x00")]
        line = before.count("\n") + before.count("\r") - before.count("\r\n") + 1
        raise Refused(diag.error(source.path, line, 1, "encoding", "file contains a NUL character"))
    return text


def split_front_matter(source: SourceText) -> FrontMatter:
    """Decode the file and cut it into YAML front matter and Markdown body."""
    text = decoded_text(source, "split it into smaller records", "save it as UTF-8")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not _OPEN_RE.match(text):
        raise Refused(
            diag.error(
                source.path,
                1,
                1,
                "front-matter",
                "missing front matter: a journey file starts with a line '---', "
                "then YAML fields, then a closing '---'",
            )
        )
    start = text.index("\n") + 1 if "\n" in text else len(text)
    closing = _FENCE_RE.search(text, start)
    if closing is None:
        raise Refused(
            diag.error(
                source.path,
                1,
                1,
                "front-matter",
                "front matter opened on line 1 is never closed: add a line '---' after it",
            )
        )
    body = text[closing.end() :]
    if body.startswith("\n"):
        body = body[1:]
    body_line = text.count("\n", start, closing.start()) + 3  # the opening and closing lines
    return FrontMatter(text[start : closing.start()], 2, body, body_line)


def compose_front_matter(source: SourceText, front: FrontMatter) -> yaml.Node:
    """The YAML node tree of the front matter; refused when it does not parse or nests too deep."""
    try:
        node = yaml.compose(front.yaml_text, Loader=_Loader)
    except _TooBig as exc:
        mark = exc.node.start_mark if exc.node is not None else None
        line = (mark.line if mark else 0) + front.first_line
        col = (mark.column if mark else 0) + 1
        if exc.too_deep:
            raise Refused(diag.error(source.path, line, col, "yaml-nesting", _TOO_DEEP)) from None
        message = (
            f"front matter holds more than {MAX_VALUES:,} values (keys, list items, "
            "texts and numbers) by here; split it into smaller records"
        )
        raise Refused(diag.error(source.path, line, col, "too-many", message)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line if mark else 0) + front.first_line
        col = (mark.column if mark else 0) + 1
        if exc.problem == _LIBYAML_TOO_DEEP:  # past 1,000 levels libyaml stops before we do
            raise Refused(diag.error(source.path, line, col, "yaml-nesting", _TOO_DEEP)) from None
        started = _where_it_started(exc, front)
        if started is not None:
            line, col, message = started
            raise Refused(diag.error(source.path, line, col, "yaml-syntax", message)) from None
        what = exc.problem or exc.context or "invalid YAML"
        raise Refused(
            diag.error(source.path, line, col, "yaml-syntax", f"YAML does not parse: {what}")
        ) from None
    except yaml.reader.ReaderError as exc:
        before = front.yaml_text[: exc.position]
        line = before.count("\n") + front.first_line
        col = exc.position - (before.rfind("\n") + 1) + 1
        raise Refused(
            diag.error(
                source.path,
                line,
                col,
                "yaml-syntax",
                f"YAML does not parse: character U+{exc.character:04X} is not allowed here",
            )
        ) from None
    except yaml.YAMLError as exc:
        raise Refused(
            diag.error(
                source.path, front.first_line, 1, "yaml-syntax", f"YAML does not parse: {exc}"
            )
        ) from None
    if node is None:
        raise Refused(
            diag.error(
                source.path,
                1,
                1,
                "front-matter",
                "front matter is empty: it needs at least 'type:'",
            )
        )
    return node


#: What YAML was reading when it gave up (its ``context``, from libyaml or
#: PyYAML), as the user sees it in the file.
_CONSTRUCTS = {
    "while scanning a quoted scalar": "this quoted text",
    "while parsing a quoted scalar": "this quoted text",
    "while scanning a double-quoted scalar": "this quoted text",
    "while parsing a flow sequence": "this '[' list",
    "while parsing a flow mapping": "this '{' mapping",
    "while parsing a block mapping": "this mapping",
    "while parsing a block collection": "this list",
    "while scanning an anchor": "this anchor '&'",
    "while scanning an alias": "this alias '*'",
    "while scanning a tag": "this tag '!'",
    "while parsing a tag": "this tag '!'",
    "while scanning a block scalar": "this '|' or '>' text",
    "while scanning a directive": "this '%' directive",
}


def _where_it_started(exc: yaml.MarkedYAMLError, front: FrontMatter) -> tuple[int, int, str] | None:
    """Line, column and message at the start of the construct YAML could not finish.

    YAML reports where it gave up (``problem_mark``: for an unclosed quote, the
    end of the front matter) and, for most errors, where the construct it was
    reading began (``context_mark``). The start is where the mistake usually
    is, so the message points there and names the other place. ``None`` when
    YAML gave only one place, or none we can describe.
    """
    start, end = exc.context_mark, exc.problem_mark
    what = _CONSTRUCTS.get(exc.context or "")
    if (
        start is None
        or end is None
        or what is None
        or (start.line, start.column)
        == (
            end.line,
            end.column,
        )
    ):
        return None
    line, col = start.line + front.first_line, start.column + 1
    end_line, end_col = end.line + front.first_line, end.column + 1
    at_end = end.index >= len(front.yaml_text.rstrip())
    at = f"line {end_line}, column {end_col}"
    problem = exc.problem or ""
    if at_end or "end of stream" in problem or "document indicator" in problem:
        reached = f"YAML reached the end of the front matter on line {end_line}"
        if what == "this quoted text":
            return line, col, f"{what} is never closed ({reached})"
        if what in ("this '[' list", "this '{' mapping"):
            closer = "]" if what.startswith("this '['") else "}"
            return line, col, f"{what} is never closed with '{closer}' ({reached})"
    if what in ("this '[' list", "this '{' mapping"):
        closer = "]" if what.startswith("this '['") else "}"
        message = (
            f"{what} is not closed where YAML expected ',' or '{closer}' ({at}); "
            "an item holding a comma, ':' or a bracket needs quotes"
        )
        return line, col, message
    if what == "this mapping" and ("expected key" in problem or "<block end>" in problem):
        message = (
            f"{what} expects 'key: value' lines, but {at} is not one: "
            "check its indentation, or quote text holding ': ' or a quote mark"
        )
        return line, col, message
    if what == "this list" and ("'-'" in problem or "<block end>" in problem):
        message = f"{what} expects '- item' lines, but {at} is not one: check its indentation"
        return line, col, message
    return line, col, f"YAML does not parse {what}: {problem} ({at})"
