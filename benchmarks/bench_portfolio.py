"""The overview at thousands of journeys: its size, what search indexes of it, its build.

Builds N synthetic journeys with ``nav: overview``, Material and its search
twice, with the plugin and as the plain pages ``cjm render`` writes (the same
pages, built without the plugin, as ``bench_build.py`` does), and prints:

- the build times side by side and their ratio;
- the overview page's size in bytes, the words of its content, and its words
  as a search indexer sees them: those of its entries in Material's
  ``search/search_index.json``, which leaves out ``data-search-exclude``
  (Material also drops the attribute from the page it writes);
- the exports the plugin publishes beside it (``journeys.json``, ``steps.csv``):
  they are part of every plugin build, here and in ``bench_build.py``;
- the pages by owner and by tag: how many, and the largest.

Nothing is asserted. ``--smoke`` runs 60 journeys.

    python benchmarks/bench_portfolio.py --journeys 3000
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from bench_build import mkdocs_build, plugin_project, rendered_project


class ContentWords(HTMLParser):
    """The words of a page's content: its ``<article>``, without script and style."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = 0
        self.skipping = 0
        self.words = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.inside += tag == "article"
        self.skipping += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self.inside -= tag == "article"
        self.skipping -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if self.inside and not self.skipping:
            self.words += len(data.split())


def content_words(html: str) -> int:
    parser = ContentWords()
    parser.feed(html)
    parser.close()
    return parser.words


def search_index_words(site: Path, location_prefix: str) -> tuple[int, int]:
    """Entries and words of the pages at ``location_prefix`` in Material's search index."""
    index = site / "search" / "search_index.json"
    if not index.is_file():
        return 0, 0
    docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
    entries = [
        doc
        for doc in docs
        if doc["location"] == location_prefix or doc["location"].startswith(location_prefix + "#")
    ]
    words = sum(len(f"{doc['title']} {doc['text']}".split()) for doc in entries)
    return len(entries), words


def overview_report(site: Path, label: str) -> None:
    page = site / "journeys" / "index.html"
    html = page.read_text(encoding="utf-8")
    entries, indexed = search_index_words(site, "journeys/")
    print(
        f"  {label:10s} overview {page.stat().st_size:>11,} bytes, {content_words(html):>8,} words "
        f"of content; in search_index.json ({entries} entries) {indexed:>7,} words"
    )


def exports_report(site: Path) -> None:
    names = ("journeys.json", "steps.csv")
    sizes = [
        f"{name} {(site / 'journeys' / name).stat().st_size:,} bytes"
        if (site / "journeys" / name).is_file()
        else f"{name} missing"
        for name in names
    ]
    print(f"  exports built with the plugin: {', '.join(sizes)}")


def groups_report(site: Path) -> None:
    pages = [
        path
        for folder in ("owners", "tags")
        for path in sorted((site / "journeys" / folder).glob("**/index.html"))
    ]
    if not pages:
        print("  pages by owner and by tag: none")
        return
    largest = max(pages, key=lambda path: path.stat().st_size)
    print(
        f"  pages by owner and by tag: {len(pages)}, the largest "
        f"{largest.relative_to(site).as_posix()} {largest.stat().st_size:,} bytes"
    )


def portfolio(temp: Path, journeys: int) -> None:
    with_plugin = plugin_project(temp / f"plugin-{journeys}", journeys, "overview", search=True)
    plain = rendered_project(temp / f"plain-{journeys}", journeys, search=True)
    plugin_seconds = mkdocs_build(with_plugin)
    plain_seconds = mkdocs_build(plain)
    print(f"portfolio: {journeys} journeys, Material, nav: overview")
    print(
        f"  build with cjm {plugin_seconds:7.2f} s, `cjm render` pages {plain_seconds:7.2f} s: "
        f"{plugin_seconds / plain_seconds:.3f}x"
    )
    overview_report(with_plugin.parent / "site", "with cjm")
    overview_report(plain.parent / "site", "cjm render")
    exports_report(with_plugin.parent / "site")
    groups_report(with_plugin.parent / "site")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--journeys", type=int, nargs="+", default=[3000])
    parser.add_argument("--smoke", action="store_true", help="60 journeys, for CI")
    args = parser.parse_args(argv)
    if args.smoke:
        args.journeys = [60]
    with tempfile.TemporaryDirectory() as name:
        for journeys in args.journeys:
            portfolio(Path(name), journeys)
            sys.stdout.flush()


if __name__ == "__main__":
    main()
