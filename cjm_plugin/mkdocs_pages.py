"""A generated page as MkDocs takes it: only the author's bodies are converted.

cjm writes its pages as HTML (:class:`cjm_plugin.pages.Page`). MkDocs gets
the bodies alone as the page's Markdown, split by break comments, converts
them with the site's own extensions (and resolves their links as for any
page); then :func:`assemble` puts cjm's HTML around the converted bodies and
makes the table of contents and the anchors from both.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markdown.extensions.toc import unique
from mkdocs.structure.toc import AnchorLink, TableOfContents, get_toc

from .escape import html_text
from .pages import Heading, Page

_ID_RE = re.compile(r'\sid="([^"]+)"')
_HEADING_END_RE = re.compile(r'(<h[1-6] id="([^"]*)">.*?)(</h[1-6]>)')


def _break(page: Page) -> str:
    """The comment between two bodies: named by a hash of the bodies, which no body holds."""
    digest = hashlib.sha256("\0".join(page.bodies).encode("utf-8")).hexdigest()[:16]
    return f"<!-- cjm-body-break-{digest} -->"


def body_markdown(page: Page) -> str:
    """What MkDocs converts of a generated page: its bodies, one break between two."""
    return f"\n\n{_break(page)}\n\n".join(page.bodies)


class EscapedTitle(str):
    """A page title, escaped for HTML, that stays escaped however a theme prints it.

    Themes print ``page.title`` as it is in the navigation, and through
    ``striptags`` in ``<title>``, which unescapes what it is given: a name
    holding ``</title><script>`` would run there. ``striptags`` reads
    ``__html__``, escaped once more, and so gives back the escaped title.
    """

    def __html__(self) -> str:
        return html.escape(self, quote=False)


@dataclass(frozen=True)
class Assembled:
    """A generated page put together."""

    html: str
    toc: TableOfContents
    anchors: set[str]
    """The ids on the page, which links from other pages may name."""
    pieces: tuple[str, ...]
    """cjm's HTML pieces, with the bodies' converted HTML (``chunks``) between them."""
    chunks: tuple[str, ...]

    def search_text(self) -> str:
        """The same page as search indexes read it, with far fewer tags (:func:`searchable`);
        worked out only for a site whose search reads it."""
        search: list[str] = [searchable(self.pieces[0])]
        for chunk, piece in zip(self.chunks, self.pieces[1:], strict=True):
            search += [chunk.strip("\n"), "\n", searchable(piece)]
        return "".join(search)


def assemble(
    page: Page,
    converted: str,
    body_toc: Iterable[AnchorLink],
    permalink: Mapping[str, Any] | None = None,
) -> Assembled:
    """The whole page: cjm's HTML around the converted bodies, and what goes with it.

    ``converted`` is MkDocs' HTML of :func:`body_markdown`, ``body_toc`` its table
    of contents; ``permalink`` the site's ``toc`` options when they ask for one.
    """
    chunks = converted.split(_break(page)) if page.bodies else []
    if len(chunks) != len(page.bodies):  # a body swallowed a break (an unclosed fence)
        chunks = [converted, *[""] * (len(page.bodies) - 1)] if page.bodies else []
    pieces = [_with_permalinks(part, permalink) for part in page.html]
    body_toc = list(body_toc)
    chunks = _apart_from(set(_ID_RE.findall("".join(page.html))), chunks, body_toc)
    whole: list[str] = [pieces[0]]
    for chunk, piece in zip(chunks, pieces[1:], strict=True):
        whole += [chunk.strip("\n"), "\n", piece]
    text = "".join(whole)
    toc = _toc(page.headings, chunks, body_toc)
    return Assembled(text, toc, set(_ID_RE.findall(text)), tuple(pieces), tuple(chunks))


def _apart_from(taken: set[str], chunks: list[str], body_toc: list[AnchorLink]) -> list[str]:
    """The bodies with their ids renamed where cjm's HTML has the same (a body's own
    ``## Metrics``), as Python-Markdown's ``toc`` names a second heading: ``metrics_1``."""
    renamed: dict[str, str] = {}
    for index, chunk in enumerate(chunks):
        own = list(dict.fromkeys(_ID_RE.findall(chunk)))
        colliding = [anchor for anchor in own if anchor in taken]
        taken.update(own)
        for anchor in colliding:
            new = unique(anchor, taken)
            renamed[anchor] = new
            start = chunk.index(f'id="{anchor}"')
            end = chunk.find("</h", start)  # the heading's own permalink goes with it
            end = len(chunk) if end < 0 else end
            heading = chunk[start:end].replace(f'id="{anchor}"', f'id="{new}"', 1)
            heading = heading.replace(f'href="#{anchor}"', f'href="#{new}"')
            chunk = chunk[:start] + heading + chunk[end:]
        chunks[index] = chunk
    for link in _flatten(body_toc):
        link.id = renamed.get(link.id, link.id)
    return chunks


def _with_permalinks(part: str, options: Mapping[str, Any] | None) -> str:
    """cjm's headings with the link that ``toc``'s ``permalink`` adds to the site's own."""
    if not options or not options.get("permalink"):
        return part
    symbol = options["permalink"]
    symbol = "&para;" if symbol is True else html_text(str(symbol))
    css = html_text(str(options.get("permalink_class", "headerlink")))
    title = html_text(str(options.get("permalink_title", "Permanent link")))

    def add(match: re.Match[str]) -> str:
        anchor = match.group(2)
        return f'{match.group(1)}<a class="{css}" href="#{anchor}" title="{title}">{symbol}</a>{match.group(3)}'

    return _HEADING_END_RE.sub(add, part)


def _toc(
    headings: Sequence[Heading], chunks: Sequence[str], body_toc: Iterable[AnchorLink]
) -> TableOfContents:
    """cjm's headings and the bodies' in page order, nested by level."""
    flat_body = list(_flatten(body_toc))
    by_chunk: list[list[AnchorLink]] = [[] for _ in chunks]
    for link in flat_body:
        marker = f'id="{link.id}"'
        for index, chunk in enumerate(chunks):
            if marker in chunk:
                by_chunk[index].append(link)
                break
    order: list[tuple[int, str, str]] = []
    for part in range(len(chunks) + 1):
        order += [(h.level, h.id, html.escape(h.text)) for h in headings if h.part == part]
        if part < len(chunks):
            order += [(link.level, link.id, link.title) for link in by_chunk[part]]
    return get_toc(_nested(order))


def _flatten(links: Iterable[AnchorLink]) -> Iterable[AnchorLink]:
    for link in links:
        yield link
        yield from _flatten(link.children)


def _nested(order: Sequence[tuple[int, str, str]]) -> list[Any]:
    """Python-Markdown's ``toc_tokens`` shape: each heading under the last one above its level."""
    roots: list[Any] = []
    stack: list[Any] = []
    for level, anchor, name in order:
        token = {"level": level, "id": anchor, "name": name, "children": []}
        while stack and stack[-1]["level"] >= level:
            stack.pop()
        (stack[-1]["children"] if stack else roots).append(token)
        stack.append(token)
    return roots


#: What Material's search plugin reads of a page beyond its text: headings start
#: sections and go whole with their permalinks, like ``pre`` blocks and scripts; an
#: element marked ``data-search-exclude`` it leaves out with all it holds; and it
#: keeps these tags in its text.
_WHOLE_FOR_SEARCH_RE = re.compile(
    r"<(h[1-6]|pre|script|style)\b[^>]*>"
    r"|<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\bdata-search-exclude\b[^>]*>",
    re.IGNORECASE,
)
_PASSED_OVER_RE = re.compile(
    r"</?(?!(?:p|code|li|ol|ul|sub|sup)\b)[a-zA-Z][a-zA-Z0-9]*\b[^>]*>", re.IGNORECASE
)
_LINE_BREAKS_RE = re.compile(r"\s*\n\s*")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)


def searchable(html_text_: str) -> str:
    """cjm's HTML as Material's search reads it, with the tags it passes over left out.

    The journey map is hundreds of cells, spans and SVG shapes, and Material's
    search plugin parses every tag of every page: what it indexes from this text
    is the same words in the same sections (``tests/test_search_index.py``
    compares the indexes), at a fraction of the tags. Headings, ``pre`` blocks
    and scripts go as written; excluded elements not at all.
    """
    out: list[str] = []
    position = 0
    for match in _WHOLE_FOR_SEARCH_RE.finditer(html_text_):
        start = match.start()
        if start < position:  # inside a block already taken whole or left out
            continue
        name = (match.group(1) or match.group(2)).lower()
        if name in _VOID or match.group(0).endswith("/>"):
            continue
        out.append(_text_of(html_text_[position:start]))
        end = _block_end(html_text_, name, match.end())
        if match.group(1) is not None:
            out.append(html_text_[start:end])
        position = end
    out.append(_text_of(html_text_[position:]))
    return "".join(out)


def _text_of(html_text_: str) -> str:
    """The text and the kept tags, line breaks and the white space around them as one space."""
    return _LINE_BREAKS_RE.sub(" ", _PASSED_OVER_RE.sub("", html_text_))


def _block_end(text: str, name: str, after: int) -> int:
    """Where the element ``name`` that opened just before ``after`` ends, nesting counted."""
    pattern = re.compile(rf"<(/?){name}\b[^>]*>", re.IGNORECASE)
    depth = 1
    for match in pattern.finditer(text, after):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.end()
    return len(text)
