"""cjm against MkDocs' floor, and ``mkdocs serve --dirty``: two ratios, each beside its target.

- floor: ``mkdocs build`` of N synthetic journeys with every feature on (review
  dates, evidence and sources, a measurement table; git history off: the
  synthetic folder is no repository) with the plugin, against the cheapest
  site MkDocs can build with the same pages: no plugin, and in ``docs/`` a stub
  at each generated page's path holding its title as ``# Title`` and one line
  of text (target <= 1.5x). Each page's path and title come from
  ``render_site`` (only ``.uri`` and ``.title``). Both sides share mkdocs.yml
  (Material without web fonts, its search, this repository's Markdown
  extensions and theme features) and the same navigation, measured twice: with
  the plugin's ``nav: overview`` and with its default (``nav: full``). The
  stub site gets the plugin's navigation written out as an explicit ``nav:``,
  taken from the plugin itself (MkDocs' events up to ``on_nav``, in-process):
  MkDocs' own default nav would nest a section per journey folder, and under
  ``overview`` would list the pages the plugin leaves out, so Material would
  render a different (larger) navigation on every page of the floor. Builds
  are fresh ``mkdocs build -q`` processes in pairs, the side going first
  alternating; the figure is the median pair's ratio, with the range.
- serve: ``mkdocs serve`` against ``mkdocs serve --dirty`` at N journeys,
  simulated as MkDocs does it: ``on_startup(command="serve", dirty=...)``, one
  plugin instance for the session, the config loaded afresh before each
  rebuild (``site_dir`` a folder of the session's, ``site_url`` the serve URL),
  ``build(config, serve_url=..., dirty=...)``. Each session runs in its own
  process (MkDocs keeps one plugin instance per process), both sessions alive
  side by side; each edit changes one emotion of the same journey file, timed
  from the save to the rebuilt site, a rebuild of each session in turn. The
  figure is the median pair's dirty/full ratio (target <= 0.2x), and which
  generated pages the dirty rebuild rewrote (by mtime in the site folder):
  ideally the edited journey's page and those that list it (the overview,
  its persona's page, the touchpoint index, the pages by tag and owner, the
  action board), not the others.

Nothing is asserted: timings on a shared machine are noisy. ``--smoke`` runs
tiny sizes for CI (10 journeys): it shows the benchmark works, while its
ratios are mostly MkDocs' and cjm's start-up and mean little.

    python benchmarks/bench_floor.py --journeys 1000
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import posixpath
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.files import get_files, set_exclusions
from mkdocs.structure.nav import Link, Navigation, Section, get_navigation
from mkdocs.structure.pages import Page as MkDocsPage
from synthetic import write_folder

from cjm_plugin.load import load_folder
from cjm_plugin.pages import render_site

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

FLOOR_TARGET = 1.5
DIRTY_TARGET = 0.2
BIN = Path(sys.executable).parent
SERVE_URL = "http://127.0.0.1:8000/"
#: The journey every serve edit changes.
EDITED = "journey-7"

#: This repository's mkdocs.yml: its Markdown extensions and Material features.
MARKDOWN_EXTENSIONS: list[Any] = [
    "attr_list",
    "md_in_html",
    "tables",
    "admonition",
    {"toc": {"permalink": True}},
    "pymdownx.details",
    "pymdownx.highlight",
    {
        "pymdownx.superfences": {
            "custom_fences": [
                {
                    "name": "mermaid",
                    "class": "mermaid",
                    "format": "!!python/name:pymdownx.superfences.fence_code_format",
                }
            ]
        }
    },
]
FEATURES = ["navigation.sections", "navigation.top", "content.code.copy"]


def write_config(root: Path, *, plugin: dict[str, Any] | None, nav: Any = None) -> Path:
    """mkdocs.yml for both sides; the plugin's options, or an explicit ``nav``."""
    config: dict[str, Any] = {
        "site_name": "Benchmark",
        "theme": {"name": "material", "font": False, "features": FEATURES},
        "plugins": ["search"] + ([{"cjm": plugin}] if plugin is not None else []),
        "markdown_extensions": MARKDOWN_EXTENSIONS,
    }
    if nav is not None:
        config["nav"] = nav
    text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
    # safe_dump quotes the tag; MkDocs needs it as a YAML tag.
    text = text.replace(
        "'!!python/name:pymdownx.superfences.fence_code_format'",
        "!!python/name:pymdownx.superfences.fence_code_format",
    )
    (root / "docs").mkdir(parents=True, exist_ok=True)
    config_file = root / "mkdocs.yml"
    config_file.write_text(text, encoding="utf-8")
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    return config_file


def plugin_project(root: Path, journeys: int, nav_layout: str) -> Path:
    write_folder(root / "journeys", journeys, features=True)
    return write_config(root, plugin={"nav": nav_layout, "history": False})


def generated_pages(folder: Path) -> dict[str, str]:
    """Title of each page the plugin generates from the folder, by docs path."""
    result = load_folder(folder)
    assert result.registry is not None, [str(d) for d in result.errors[:5]]
    return {page.uri: page.title for page in render_site(result.registry)}


def plugin_nav(config_file: Path) -> list[Any]:
    """The navigation the plugin builds, as an explicit ``nav:`` for mkdocs.yml.

    MkDocs' build up to ``on_nav``, in this process; pages by path only, so
    MkDocs takes each title from the page's heading, as the plugin's is.
    """
    config = load_config(str(config_file))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        files = config.plugins.on_files(get_files(config), config=config)
        set_exclusions(files, config)
        nav: Navigation = config.plugins.on_nav(
            get_navigation(files, config), config=config, files=files
        )
        return [nav_entry(item) for item in nav.items]
    finally:
        config.plugins.on_post_build(config=config)
        config.plugins.on_shutdown()


def nav_entry(item: Any) -> Any:
    if isinstance(item, Section):
        return {item.title: [nav_entry(child) for child in item.children]}
    if isinstance(item, MkDocsPage):
        return item.file.src_uri
    if isinstance(item, Link):
        return {item.title: item.url}
    raise TypeError(f"unexpected nav item {item!r}")


def nav_uris(nav: list[Any]) -> set[str]:
    uris: set[str] = set()
    for entry in nav:
        if isinstance(entry, str):
            uris.add(entry)
        elif isinstance(entry, dict):
            for value in entry.values():
                uris |= nav_uris(value) if isinstance(value, list) else set()
    return uris


def floor_project(root: Path, pages: dict[str, str], nav: list[Any]) -> Path:
    """The site without the plugin: a stub at each generated page's path."""
    config_file = write_config(root, plugin=None, nav=nav)
    for uri, title in pages.items():
        stub = root / "docs" / uri
        stub.parent.mkdir(parents=True, exist_ok=True)
        stub.write_text(f"# {title}\n\nA stub for the page cjm generates.\n", encoding="utf-8")
    return config_file


def mkdocs_build(config_file: Path) -> float:
    """Seconds of one ``mkdocs build`` in a fresh process, as a user runs it."""
    site = config_file.parent / "site"
    shutil.rmtree(site, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run(
        [str(BIN / "mkdocs"), "build", "-q", "-f", str(config_file), "-d", str(site)],
        check=True,
    )
    return time.perf_counter() - start


def verdict(ok: bool) -> str:
    return "ok" if ok else "over target"


def spread(ratios: list[float]) -> str:
    ratios = sorted(ratios)
    return f"{statistics.median(ratios):.2f}x (range {ratios[0]:.2f}x to {ratios[-1]:.2f}x)"


def floor(temp: Path, journeys: int, layout: str, repeats: int) -> None:
    with_plugin = plugin_project(temp / f"plugin-{layout}", journeys, layout)
    pages = generated_pages(with_plugin.parent / "journeys")
    nav = plugin_nav(with_plugin)
    listed = len(nav_uris(nav) & pages.keys())
    without = floor_project(temp / f"floor-{layout}", pages, nav)
    pairs = []
    for n in range(repeats):  # which side goes first alternates, so drift hits both
        if n % 2 == 0:
            plugin = mkdocs_build(with_plugin)
            stubs = mkdocs_build(without)
        else:
            stubs = mkdocs_build(without)
            plugin = mkdocs_build(with_plugin)
        pairs.append((plugin, stubs))
    print(
        f"floor: {journeys} journeys, all features, nav: {layout} "
        f"({len(pages)} generated pages, {listed} in the nav; {repeats} pairs)"
    )
    for plugin, stubs in pairs:
        print(f"  with cjm {plugin:7.2f} s, stub pages {stubs:7.2f} s: {plugin / stubs:.2f}x")
    ratios = [plugin / stubs for plugin, stubs in pairs]
    ratio = statistics.median(ratios)
    print(
        f"  median ratio: {spread(ratios)}; target <= {FLOOR_TARGET}x: "
        f"{verdict(ratio <= FLOOR_TARGET)}"
    )


# ---------------------------------------------------------------------------
# mkdocs serve, with and without --dirty


def site_mtimes(site: Path) -> dict[str, int]:
    return {
        path.relative_to(site).as_posix(): path.stat().st_mtime_ns
        for path in site.rglob("*")
        if path.is_file()
    }


def change_emotion(path: Path) -> None:
    """The first step's emotion, one point on (5 comes back to 1)."""
    text = path.read_text(encoding="utf-8")
    found = re.search(r"emotion: (\d)", text)
    assert found is not None
    emotion = int(found.group(1)) % 5 + 1
    path.write_text(text[: found.start(1)] + str(emotion) + text[found.end(1) :], "utf-8")


def serve_session(root: Path, dirty: bool) -> None:
    """One ``mkdocs serve [--dirty]`` session, driven line by line on stdin.

    Replies with a JSON line after its first build, then after each rebuild
    (one per input line): the seconds from the edit's save to the rebuilt site
    and the site's files whose mtime changed.
    """
    logging.getLogger("mkdocs").setLevel(logging.ERROR)  # as `-q`; serve's log is not timed
    config_file, site = root / "mkdocs.yml", root / "site"
    edited = root / "journeys" / "journeys" / f"{EDITED}.md"

    def get_config() -> Any:
        config = load_config(str(config_file), site_dir=str(site))
        config.site_url = SERVE_URL
        return config

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=dirty)
    try:
        build(config, serve_url=SERVE_URL, dirty=dirty)
        print(json.dumps({"ready": True}), flush=True)
        for _ in sys.stdin:
            before = site_mtimes(site)
            change_emotion(edited)
            start = time.perf_counter()
            build(get_config(), serve_url=SERVE_URL, dirty=dirty)
            seconds = time.perf_counter() - start
            after = site_mtimes(site)
            changed = sorted(path for path, mtime in after.items() if before.get(path) != mtime)
            print(json.dumps({"seconds": seconds, "changed": changed}), flush=True)
    finally:
        config.plugins.on_shutdown()


class Session:
    """A serve session in its own process: MkDocs keeps one plugin instance per process."""

    def __init__(self, root: Path, dirty: bool) -> None:
        command = [sys.executable, __file__, "--serve-session", str(root)]
        self.process = subprocess.Popen(
            [*command, *(["--dirty"] if dirty else [])],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.reply()  # the first build

    def reply(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"serve session ended (exit code {self.process.wait()})")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def rebuild(self) -> tuple[float, list[str]]:
        """Edit the journey, rebuild: the seconds and the site files rewritten."""
        assert self.process.stdin is not None
        self.process.stdin.write("edit\n")
        self.process.stdin.flush()
        answer = self.reply()
        return answer["seconds"], answer["changed"]

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


def html_path(uri: str) -> str:
    """Where MkDocs (``use_directory_urls``) writes the page of a docs path."""
    stem = uri.removesuffix(".md")
    return f"{stem}.html" if stem == "index" or stem.endswith("/index") else f"{stem}/index.html"


def serve(temp: Path, journeys: int, edits: int) -> None:
    roots = {dirty: temp / f"serve-{'dirty' if dirty else 'full'}" for dirty in (False, True)}
    for root in roots.values():
        plugin_project(root, journeys, "overview")
    pages = generated_pages(roots[True] / "journeys")
    generated = {html_path(uri) for uri in pages}
    edited_page = html_path(f"journeys/{EDITED}/index.md")
    assert edited_page in generated, edited_page
    # Serve starts on files written a while ago: the plugin reads a file changed
    # within the last two seconds again on every rebuild.
    time.sleep(2.5)
    full = Session(roots[False], dirty=False)  # one first build at a time
    dirty = Session(roots[True], dirty=True)
    pairs: list[tuple[float, float]] = []
    rewritten: list[list[str]] = []
    try:
        for n in range(edits):  # which session goes first alternates
            if n % 2 == 0:
                full_seconds, _ = full.rebuild()
                dirty_seconds, changed = dirty.rebuild()
            else:
                dirty_seconds, changed = dirty.rebuild()
                full_seconds, _ = full.rebuild()
            pairs.append((full_seconds, dirty_seconds))
            rewritten.append(changed)
    finally:
        full.close()
        dirty.close()
    print(
        f"serve: {journeys} journeys, all features, nav: overview, a rebuild after one emotion "
        f"of {EDITED} changed ({edits} pairs)"
    )
    for full_seconds, dirty_seconds in pairs:
        print(
            f"  full rebuild {full_seconds:6.2f} s, dirty rebuild {dirty_seconds:6.2f} s: "
            f"{dirty_seconds / full_seconds:.2f}x"
        )
    ratios = [dirty_seconds / full_seconds for full_seconds, dirty_seconds in pairs]
    ratio = statistics.median(ratios)
    print(
        f"  median ratio dirty/full: {spread(ratios)}; target <= {DIRTY_TARGET}x: "
        f"{verdict(ratio <= DIRTY_TARGET)}"
    )
    last = set(rewritten[-1])
    pages_rewritten = last & generated
    counts = [len(set(changed) & generated) for changed in rewritten]
    print(
        f"  pages rewritten: {len(pages_rewritten)} of {len(generated)} generated "
        f"(each dirty rebuild: {', '.join(map(str, counts))}); the edited journey's page "
        f"{'is' if edited_page in last else 'is NOT'} among them"
    )
    # By folder, numbers as N: journeys/journey-N holds every journey's page.
    folders = Counter(re.sub(r"\d+", "N", posixpath.dirname(path)) for path in pages_rewritten)
    print("  rewritten by folder: " + ", ".join(f"{f} {n}" for f, n in sorted(folders.items())))
    others = sorted(last - generated)
    shown = ", ".join(others[:6]) + (f", and {len(others) - 6} more" if len(others) > 6 else "")
    print(f"  other site files rewritten: {len(others)} ({shown or 'none'})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--journeys", type=int, default=1000)
    parser.add_argument("--serve-journeys", type=int, help="default: --journeys")
    parser.add_argument("--repeats", type=int, default=3, help="build pairs per nav layout")
    parser.add_argument("--edits", type=int, default=3, help="rebuild pairs during serve")
    parser.add_argument("--layouts", nargs="+", default=["overview", "full"])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for CI")
    parser.add_argument("--serve-session", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--dirty", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_session is not None:
        serve_session(args.serve_session, args.dirty)
        return
    if args.smoke:
        args.journeys, args.repeats, args.edits = 10, 1, 2
    with tempfile.TemporaryDirectory() as name:
        temp = Path(name)
        for layout in args.layouts:
            floor(temp, args.journeys, layout, args.repeats)
            sys.stdout.flush()
        serve(temp, args.serve_journeys or args.journeys, args.edits)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
