"""The one place where text from front matter is made safe for Markdown, HTML,
Mermaid and terminals.

Every name, pain point or thought a user writes must show exactly as written
and never become markup: a pain point ``<script>alert(1)</script>`` is a pain
point, not a script. Templates never print user text raw; they go through the
filters below. Bodies are the exception: they are the author's own Markdown
and are inserted as written (:mod:`cjm_plugin.bodies` warns about script in
them and can sanitise them).

Markdown (python-markdown with ``tables``, ``attr_list``, ``md_in_html`` and
``pymdownx.superfences``): ``&``, ``<`` and ``>`` become entities, inline
Markdown punctuation gets a backslash, and so does what would open a block at
the start (``-``, ``1.``...), so the Markdown stays readable; brackets and a
leading ``?``, ``~``, ``:``, ``=``, ``%`` become numeric character references;
line breaks become ``<br>`` so the text stays on one line (a table cell, a
list item), and whitespace at the ends of a line, which HTML would not show
anyway, is trimmed.

A terminal or a CI log (``cjm validate``, ``cjm diff --format text``): one
line, control characters as U+FFFD, and no CI runner command (``##[`` anywhere,
``::`` at the start), see :func:`terminal_text`.

Mermaid ``journey`` (checked in Chromium with Mermaid 11 and 12): every
character Mermaid could read as syntax, ``:``, ``;``, ``#``, ``%``, ``<``,
``>``, ``&`` (and ``,`` in an actor list), is written as Mermaid's entity code
(``#58;``). Mermaid swaps entity codes for private markers before it lexes
the diagram, so no field ends early and no comment or directive opens, and
it writes them back as ``&#58;`` in the SVG: the diagram shows the exact
characters, which a reader can find, copy and hear read aloud. The two
characters that start Mermaid's markers (U+FB02 and U+00B6) and U+FEFF
(which Mermaid trims off a name) are entity codes too, and a leading keyword (``title``, ``section``, ``journey``,
``accTitle``, ``accDescr``, any case) gets its first letter as an entity
code. Mermaid draws journey labels as text nodes, so ``<script>`` shows as
text.
"""

from __future__ import annotations

import html
import re

#: C0 and C1 control characters other than tab and line breaks: invisible on a
#: page, and python-markdown uses STX/ETX as its own placeholders.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
#: Characters that are markup anywhere in a line: emphasis, code, links and
#: images, attribute lists, table cells, the closing hashes of a heading.
#: python-markdown (with ``tables``) unescapes each after a backslash.
_MARKDOWN_INLINE = frozenset("\\`*_{}|!#")
#: Brackets as numeric character references: a backslash would still let
#: ``[\\]: x`` at the start of a link label read as a reference definition.
_MARKDOWN_ENTITIES = frozenset("[]")
#: Characters that open a block (list, admonition) only at the start of the
#: text: a backslash escape there.
_BLOCK_OPENERS_ESCAPABLE = frozenset("+-.")
#: Characters that open a block (pymdownx.details ``???``, tilde fences,
#: definition lists, setext lines) only at the start of the text and have no
#: backslash escape: a numeric character reference there.
_BLOCK_OPENERS = frozenset("?~:=%")
#: An ordered list item: digits then ``.`` or ``)``.
_ORDERED_LIST_RE = re.compile(r"^(\d+)([.)])")

ZERO_WIDTH_SPACE = "\u200b"
#: Characters written as Mermaid entity codes in a journey: field ends (``:``,
#: ``;``, ``#``), comments and directives (``%``), markup (``<``, ``>``,
#: ``&``), the first characters of Mermaid's own entity markers
#: (``\ufb02\u00b0`` and ``\u00b6\u00df``, which it turns back into ``&`` and
#: ``;`` in the SVG), and U+FEFF, which JavaScript trims as whitespace from
#: the ends of a name and Python's ``str.split`` does not.
MERMAID_ENTITY_CHARACTERS = ":;#%<>&\ufb02\u00b6\ufeff"
#: Words the journey lexer reads as a statement when a line starts with them.
MERMAID_KEYWORDS = ("accdescr", "acctitle", "journey", "section", "title")
#: Mermaid's lexer skips JavaScript whitespace (``\s``, which has U+FEFF) first.
_MERMAID_KEYWORD_RE = re.compile(
    r"[\s\ufeff]*(?=" + "|".join(MERMAID_KEYWORDS) + ")", re.IGNORECASE
)


def visible_text(text: str) -> str:
    """Text as a page can show it: control characters as U+FFFD, line breaks as ``\\n``."""
    return _LINE_BREAK_RE.sub("\n", _CONTROL_RE.sub("\ufffd", text))


#: Every character escaped wherever it stands in a line, as ``str.translate`` takes it.
_MARKDOWN_TABLE = {
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    **{ord(char): f"&#{ord(char)};" for char in _MARKDOWN_ENTITIES},
    **{ord(char): "\\" + char for char in _MARKDOWN_INLINE},
}


def _markdown_line(line: str) -> str:
    head, rest = line[:1], line[1:]
    if head in _BLOCK_OPENERS_ESCAPABLE:
        head = "\\" + head
    elif head in _BLOCK_OPENERS:
        head = f"&#{ord(head)};"
    else:
        head = head.translate(_MARKDOWN_TABLE)
    text = head + rest.translate(_MARKDOWN_TABLE)
    return _ORDERED_LIST_RE.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def markdown_text(text: str) -> str:
    """Inline Markdown that displays ``text`` as written, on one source line.

    Safe in a paragraph, a list item, a heading, a link label and a table
    cell. Line breaks become ``<br>``; those at either end (a YAML ``|``
    block ends with one) are dropped.
    """
    lines = [line.strip() for line in visible_text(text).strip().split("\n")]
    return "<br>".join(_markdown_line(line) for line in lines)


#: What a CI runner reads as a command in a log line: ``##[name]`` anywhere in
#: it (GitHub Actions; Azure Pipelines' ``##vso[`` and TeamCity's
#: ``##teamcity[`` likewise), and ``::name::`` at its start, after any
#: whitespace (GitHub Actions trims it first).
_CI_COMMAND_RE = re.compile(r"#(?=#[A-Za-z]*\[)|^[\s\ufeff]*:(?=:)")


def terminal_text(text: str) -> str:
    """Text for a terminal or a CI log, on one line, with no control character
    and no CI runner command.

    A line break or an escape sequence in a step name must not start a new
    log line or restyle the terminal, and ``##[error]``, ``##[add-mask]`` or a
    leading ``::error::`` must not be read as a workflow command. The two
    characters that open a command get a U+200B ZERO WIDTH SPACE between
    them (``#``, ZWSP, ``#[``): the runner's exact match no longer finds
    the command, and the text reads as written, at its width in a terminal,
    where a full-width look-alike (``＃``) would be visible and wider. The
    result is unchanged by a second pass, so a whole line can go through
    again (a path first on the line could start with ``::``).
    """
    flat = " ".join(visible_text(text).split("\n"))
    if "#" in flat or ":" in flat:
        flat = _CI_COMMAND_RE.sub(lambda m: m.group() + ZERO_WIDTH_SPACE, flat)
    return flat


def html_text(text: str) -> str:
    """Text or attribute value inside raw HTML."""
    return html.escape(visible_text(text), quote=True)


def mermaid_entity(char: str) -> str:
    """One character as a Mermaid entity code: ``#58;`` draws ``:``."""
    return f"#{ord(char)};"


_MERMAID_ENTITY_TABLE = {ord(char): mermaid_entity(char) for char in MERMAID_ENTITY_CHARACTERS}


def _mermaid_line(text: str) -> str:
    """Text on one line, as Mermaid shows it: control characters and line breaks as spaces."""
    return " ".join(visible_text(text).replace("\ufffd", " ").split())


def mermaid_text(text: str) -> str:
    """A title, section, task or accessibility text in a Mermaid ``journey``.

    Mermaid draws exactly ``text`` (on one line): each character it could
    read as syntax is an entity code, and so is the first letter of a
    leading keyword. Never empty: an empty task name would make Mermaid
    read the score as the name.
    """
    flat = _mermaid_line(text).translate(_MERMAID_ENTITY_TABLE)
    keyword = _MERMAID_KEYWORD_RE.match(flat)
    if keyword:
        start = keyword.end()
        flat = flat[:start] + mermaid_entity(flat[start]) + flat[start + 1 :]
    return flat or ZERO_WIDTH_SPACE


def mermaid_actor(name: str) -> str:
    """A persona name in a journey task's actor list, where ``,`` separates actors."""
    return mermaid_text(name).replace(",", mermaid_entity(","))
