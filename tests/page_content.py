"""What a reader gets from a built page, whatever its markup: headings, anchors, links, words.

The generated pages' markup may change (Markdown converted by MkDocs, or HTML
written by cjm); what they say and where they link must not. This reads the
article of each built page into those four things, so two builds can be
compared, and a stored copy (``tests/golden/site``) pins them.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from sites import build_site, write_project

GOLDEN_SITE = Path(__file__).parent / "golden" / "site"
EXAMPLE_JOURNEYS = Path(__file__).parent.parent / "journeys"
GOLDEN_JOURNEYS = Path(__file__).parent / "golden" / "render" / "journeys"

#: Elements whose text a reader never sees as text.
_HIDDEN = {"script", "style", "svg", "template"}
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}
_WORD = re.compile(r"[^\W_]+(?:['’.,:/-][^\W_]+)*", re.UNICODE)


class _Article(HTMLParser):
    """The ``<article>`` of a Material page: its headings, ids, links and words."""

    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.depth = 0  # inside <article> when > 0
        self.hidden = 0
        self.heading: list[str] | None = None
        self.heading_tag = ""
        self.heading_id = ""
        self.headings: list[list[str]] = []
        self.ids: set[str] = set()
        self.links: set[str] = set()
        self.words: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "article":
            self.depth += 1
            return
        if not self.depth or (tag in _VOID and tag != "img"):
            if tag == "img" and self.depth:
                self._link(attributes.get("src"))
            return
        if tag in _HIDDEN:
            self.hidden += 1
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        if tag == "a":
            self._link(attributes.get("href"))
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.heading, self.heading_tag = [], tag
            self.heading_id = str(attributes.get("id") or "")

    def _link(self, href: str | None) -> None:
        if (href and not href.startswith("#")) or (href and len(href) > 1):
            self.links.add(urllib.parse.urljoin(self.page_url, href))

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1
            return
        if not self.depth:
            return
        if tag in _HIDDEN:
            self.hidden -= 1
        if tag == self.heading_tag and self.heading is not None:
            text = " ".join("".join(self.heading).split()).rstrip("¶").strip()
            self.headings.append([self.heading_tag, self.heading_id, text])
            self.heading = None

    def handle_data(self, data: str) -> None:
        if not self.depth or self.hidden:
            return
        if self.heading is not None:
            self.heading.append(data)
        self.words.update(_WORD.findall(data))


def page_content(html: str, page_url: str) -> dict[str, Any]:
    """The headings (in order), anchors, link targets and words of a page's article."""
    article = _Article(page_url)
    article.feed(html)
    return {
        "headings": article.headings,
        "ids": sorted(article.ids),
        "links": sorted(article.links),
        "words": sorted(article.words),
    }


def site_content(site_dir: Path, folders: tuple[str, ...]) -> dict[str, Any]:
    """Every page under ``folders`` of a built site, by its URL path."""
    pages = {}
    for folder in folders:
        for path in sorted((site_dir / folder).rglob("index.html")):
            url = "/" + path.parent.relative_to(site_dir).as_posix() + "/"
            pages[url] = page_content(path.read_text(encoding="utf-8"), url)
    return pages


def build_content(root: Path, journeys: Path) -> dict[str, Any]:
    """The generated pages of a site built from the journey files in ``journeys``."""
    files = {
        str(path.relative_to(journeys)): path.read_text(encoding="utf-8")
        for path in sorted(journeys.rglob("*"))
        if path.is_file()
    }
    config = write_project(
        root, files, plugin={"history": False}, record_nav=False, site_url="https://example.org/"
    )
    site = build_site(config, strict=False)
    return site_content(site, ("journeys", "personas", "touchpoints"))


def golden_path(name: str) -> Path:
    return GOLDEN_SITE / f"{name}.json"


def dump(content: dict[str, Any]) -> str:
    return json.dumps(content, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
