"""A generated page as a reader takes it in: headings, paragraphs and tables, in order.

The pages are HTML; the tests read them through this parser (the standard
library's) rather than by substrings: a cell's text, its links, its bold
words and its attributes, and what sits under a heading.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import NamedTuple


class Cell(NamedTuple):
    """A table cell as a reader sees it: its text (``<br>`` as a line break), its links
    as (text, href), its strong texts and its own attributes."""

    text: str
    links: tuple[tuple[str, str], ...] = ()
    strong: tuple[str, ...] = ()
    attrs: tuple[tuple[str, str | None], ...] = ()


class Block(NamedTuple):
    """A heading (``h1``...), a paragraph (``p``) or a ``table`` of a page, in order."""

    kind: str
    text: str = ""
    links: tuple[tuple[str, str], ...] = ()
    rows: tuple[tuple[Cell, ...], ...] = ()


def _plain(parts: list[str]) -> str:
    return "\n".join(" ".join(line.split()) for line in "".join(parts).split("\n"))


class PageReader(HTMLParser):
    """A page's headings, paragraphs and tables, and every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._open: tuple[str, list[str], list[tuple[str, str]]] | None = None
        self._rows: list[list[Cell]] | None = None
        self._cell: tuple[list[str], list[tuple[str, str]], list[str]] | None = None
        self._cell_attrs: list[tuple[str, str | None]] = []
        self._a: tuple[str, list[str]] | None = None
        self._strong: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6", "p"} and self._cell is None:
            self._open = (tag, [], [])
        elif tag == "table":
            self._rows = []
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in {"td", "th"} and self._rows is not None:
            self._cell, self._cell_attrs = ([], [], []), attrs
        elif tag == "br":
            self.handle_data("\n")
        elif tag == "a":
            self._a = (dict(attrs).get("href") or "", [])
        elif tag == "strong":
            self._strong = []

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell[0].append(data)
        elif self._open is not None:
            self._open[1].append(data)
        if self._a is not None:
            self._a[1].append(data)
        if self._strong is not None:
            self._strong.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._a is not None:
            link = (_plain(self._a[1]), self._a[0])
            if self._cell is not None:
                self._cell[1].append(link)
            elif self._open is not None:
                self._open[2].append(link)
            self._a = None
        elif tag == "strong" and self._strong is not None:
            if self._cell is not None:
                self._cell[2].append(_plain(self._strong))
            self._strong = None
        elif tag in {"td", "th"} and self._cell is not None and self._rows is not None:
            text, links, strong = self._cell
            cell = Cell(_plain(text), tuple(links), tuple(strong), tuple(self._cell_attrs))
            self._rows[-1].append(cell)
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.blocks.append(Block("table", rows=tuple(tuple(row) for row in self._rows)))
            self._rows = None
        elif self._open is not None and tag == self._open[0]:
            kind, text, links = self._open
            self.blocks.append(Block(kind, _plain(text), tuple(links)))
            self._open = None


def read(html: str) -> PageReader:
    reader = PageReader()
    reader.feed(html)
    reader.close()
    return reader


def section(blocks: list[Block], heading: str) -> list[Block]:
    """The blocks under the heading ``heading``, up to the next heading of its level or above."""
    start = next(n for n, b in enumerate(blocks) if "h1" <= b.kind <= "h6" and b.text == heading)
    level = blocks[start].kind
    ends = [n for n in range(start + 1, len(blocks)) if "h1" <= blocks[n].kind <= level]
    end = ends[0] if ends else len(blocks)
    return blocks[start + 1 : end]


def table(blocks: list[Block]) -> list[list[str]]:
    """The texts of the cells of the one table among ``blocks``, header row first."""
    (found,) = [block for block in blocks if block.kind == "table"]
    return [[cell.text for cell in row] for row in found.rows]
