"""What cjm adds to a MkDocs build, and how it grows: four ratios, each beside its target.

- build overhead: ``mkdocs build`` with the plugin, against ``mkdocs build`` of
  the very pages ``cjm render --out`` writes, as plain docs (target <= 1.05x);
  the plugin's side also publishes the exports (``journeys.json``, ``steps.csv``),
  which ``cjm render`` does not write: their cost counts against the plugin;
- scaling: ``load_folder`` + ``render_site`` at 4x the journeys against 1x
  (target <= 4.4x, i.e. linear give or take 10%);
- rebuild: the plugin's own time (its event methods, timed) on a ``mkdocs
  serve`` rebuild after one journey changed, as a share of that whole
  rebuild's wall time, config loading included, with one plugin instance
  across builds as serve keeps it (target <= 5%);
- memory: peak resident memory of ``cjm validate`` on 5,000 journeys (target < 300 MB).

Also prints the build time of ``nav: full`` against ``nav: overview``: with
Material every page renders the whole navigation, so a nav listing every
journey makes the build grow faster than linearly. Nothing is asserted:
timings vary from machine to machine. ``--smoke`` runs tiny sizes for CI.

    python benchmarks/bench_build.py --journeys 300 1000
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.plugins import CombinedEvent
from synthetic import journey_text, write_folder

from cjm_plugin.plugin import CjmPlugin

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

OVERHEAD_TARGET = 1.05
SCALING_TARGET = 4.4
#: The plugin's share of a whole serve rebuild's wall time.
REBUILD_SHARE_TARGET = 0.05
MEMORY_TARGET_MB = 300
BIN = Path(sys.executable).parent

#: The same Markdown setup for both builds; the plugin would add the first three itself.
MARKDOWN_EXTENSIONS: list[Any] = [
    "attr_list",
    "md_in_html",
    "tables",
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


def write_config(
    root: Path, *, plugin: Mapping[str, Any] | None, nav: Any = None, search: bool = False
) -> Path:
    """mkdocs.yml for Material without web fonts, with or without the cjm plugin (and
    with Material's search, which writes ``search/search_index.json``, when asked)."""
    plugins: list[Any] = ["search"] if search else []
    config: dict[str, Any] = {
        "site_name": "Benchmark",
        "theme": {"name": "material", "font": False},
        "plugins": plugins + ([{"cjm": dict(plugin)}] if plugin is not None else []),
        "markdown_extensions": MARKDOWN_EXTENSIONS,
    }
    if nav is not None:
        config["nav"] = nav
    text = yaml.safe_dump(config, sort_keys=False)
    # safe_dump quotes the tag; MkDocs needs it as a YAML tag.
    text = text.replace(
        "'!!python/name:pymdownx.superfences.fence_code_format'",
        "!!python/name:pymdownx.superfences.fence_code_format",
    )
    config_file = root / "mkdocs.yml"
    config_file.write_text(text, encoding="utf-8")
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    return config_file


def mkdocs_build(config_file: Path) -> float:
    """Seconds of one ``mkdocs build`` in a fresh process, as a user runs it."""
    site = config_file.parent / "site"
    shutil.rmtree(site, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run(
        [str(BIN / "mkdocs"), "build", "--quiet", "-f", str(config_file), "-d", str(site)],
        check=True,
    )
    return time.perf_counter() - start


def verdict(ok: bool) -> str:
    return "ok" if ok else "over target"


# ---------------------------------------------------------------------------
# Build overhead and nav layouts


def plugin_project(root: Path, journeys: int, nav_layout: str, *, search: bool = False) -> Path:
    """The plugin's build; it publishes the exports (journeys.json, steps.csv) too."""
    write_folder(root / "journeys", journeys)
    return write_config(root, plugin={"nav": nav_layout}, search=search)


def rendered_project(root: Path, journeys: int, *, search: bool = False) -> Path:
    """The pages ``cjm render --out docs`` writes, built without the plugin, same nav."""
    write_folder(root / "journeys", journeys)
    subprocess.run(
        [str(BIN / "cjm"), "render", str(root / "journeys"), "--out", str(root / "docs")],
        check=True,
        capture_output=True,
    )
    # What `nav: overview` makes of the plugin's pages: Home, then the section.
    nav = [
        {"Home": "index.md"},
        {"Journeys": [{"Customer journeys": "journeys/index.md"}, "touchpoints/index.md"]},
    ]
    return write_config(root, plugin=None, nav=nav, search=search)


def build_overhead(temp: Path, journeys: int, repeats: int) -> None:
    """Builds in pairs, one of each side back to back: the ratio is the median pair's.

    The shared machine's speed drifts by tens of percent over minutes; two builds
    run back to back see nearly the same machine, so each pair gives a fair ratio.
    """
    with_plugin = plugin_project(temp / f"plugin-{journeys}", journeys, "overview")
    without = rendered_project(temp / f"plain-{journeys}", journeys)
    pairs = []
    for n in range(repeats):  # which side goes first alternates, so drift hits both
        if n % 2 == 0:
            plugin = mkdocs_build(with_plugin)
            plain = mkdocs_build(without)
        else:
            plain = mkdocs_build(without)
            plugin = mkdocs_build(with_plugin)
        pairs.append((plugin, plain))
    ratios = sorted(plugin / plain for plugin, plain in pairs)
    ratio = statistics.median(ratios)
    totals = sum(plugin for plugin, _ in pairs) / sum(plain for _, plain in pairs)
    print(f"build overhead: {journeys} journeys, Material, nav: overview ({repeats} pairs)")
    for plugin, plain in pairs:
        print(
            f"  with cjm {plugin:7.2f} s, `cjm render` pages {plain:7.2f} s: {plugin / plain:.3f}x"
        )
    print(
        f"  median ratio: {ratio:.3f}x (range {ratios[0]:.3f}x to {ratios[-1]:.3f}x; "
        f"target <= {OVERHEAD_TARGET}x: {verdict(ratio <= OVERHEAD_TARGET)})"
    )
    print(f"  all builds with cjm / all without: {totals:.3f}x")


def nav_layouts(temp: Path, journeys: int) -> None:
    timings = {}
    for layout in ("overview", "full"):
        timings[layout] = mkdocs_build(
            plugin_project(temp / f"nav-{layout}-{journeys}", journeys, layout)
        )
    ratio = timings["full"] / timings["overview"]
    print(f"nav layouts: {journeys} journeys, Material")
    print(f"  nav: overview  {timings['overview']:8.2f} s")
    print(f"  nav: full      {timings['full']:8.2f} s  ({ratio:.2f}x the overview layout)")


# ---------------------------------------------------------------------------
# Scaling of the core


#: Run by ``core_seconds`` in a fresh interpreter: the best of ``repeats`` cold loads and renders.
CORE_TIMING = """
import sys, time
from pathlib import Path
from cjm_plugin.load import load_folder
from cjm_plugin.pages import render_site
folder, repeats, best = Path(sys.argv[1]), int(sys.argv[2]), float("inf")
for _ in range(repeats):
    start = time.perf_counter()
    result = load_folder(folder)
    assert result.registry is not None, [str(d) for d in result.errors[:5]]
    render_site(result.registry)
    best = min(best, time.perf_counter() - start)
    del result
print(best)
"""


def core_seconds(folder: Path, repeats: int) -> float:
    """Best time of validating and rendering a folder, from a cold parse each time.

    In a fresh process for each size, as ``cjm validate`` or a build runs: in one
    process the larger size would inherit the heap the smaller one left behind.
    """
    completed = subprocess.run(
        [sys.executable, "-c", CORE_TIMING, str(folder), str(repeats)],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(completed.stdout)


def scaling(temp: Path, journeys: int, repeats: int) -> None:
    small = core_seconds(write_folder(temp / f"scale-{journeys}", journeys), repeats)
    large = core_seconds(write_folder(temp / f"scale-{journeys * 4}", journeys * 4), repeats)
    ratio = large / small
    print(f"scaling: validate + render, {journeys} against {journeys * 4} journeys")
    print(f"  {journeys:6d} journeys  {small:8.2f} s")
    print(f"  {journeys * 4:6d} journeys  {large:8.2f} s")
    print(
        f"  ratio: {ratio:.2f}x (target <= {SCALING_TARGET}x: {verdict(ratio <= SCALING_TARGET)})"
    )


# ---------------------------------------------------------------------------
# Rebuild during mkdocs serve


class EventClock:
    """Times every ``on_*`` method of one plugin instance, as MkDocs calls them."""

    def __init__(self, plugin: CjmPlugin) -> None:
        self.seconds = 0.0
        self.plugin = plugin
        self.names = [name for name in dir(plugin) if name.startswith("on_")]
        for name in self.names:
            setattr(plugin, name, self._timed(getattr(plugin, name)))

    def stop(self) -> None:
        """Unwrap: MkDocs keeps the instance for the next load_config of this process."""
        for name in self.names:
            delattr(self.plugin, name)

    def _timed(self, method: Any) -> Any:
        if isinstance(method, CombinedEvent):  # each of its handlers, with its priority
            return CombinedEvent(*(self._timed(handler) for handler in method.methods))

        @wraps(method)
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        return timed

    @contextmanager
    def measure(self) -> Iterator[list[float]]:
        """Yields a list that holds the plugin's seconds once the block ends."""
        before = self.seconds
        taken: list[float] = []
        yield taken
        taken.append(self.seconds - before)


#: Rebuilds timed, each after one more edit; their median is compared with the first build.
REBUILDS = 3


@dataclass(frozen=True)
class ServeTimes:
    """What one serve session measured: the plugin's seconds and the whole rebuilds'."""

    first: float
    """The plugin's own seconds on the first build."""
    plugin: float
    """The plugin's own seconds on a rebuild after one edit (median of ``REBUILDS``)."""
    wall: float
    """The whole rebuild's seconds, config and all, as the user waits for it (median)."""
    share: float
    """The median of each rebuild's plugin seconds over its whole seconds."""
    counts: str


def serve_builds(root: Path, journeys: int) -> ServeTimes:
    """The plugin's seconds and the whole rebuild's after one journey changed.

    Like ``mkdocs serve``: ``on_startup`` once, then each build loads the config
    afresh while MkDocs keeps the one plugin instance (it defines on_startup),
    and builds the whole site, as serve does on every change. The rebuild's
    figures are medians of ``REBUILDS``, each after one edit.
    """
    config_file = plugin_project(root, journeys, "overview")
    # Serve starts on files written a while ago, not within the last two
    # seconds: files changed that recently are read again on every rebuild
    # (a change within one tick of the file system's clock would not show in
    # their stat), and the freshly generated project would be all such files.
    time.sleep(2.5)
    found = load_config(str(config_file)).plugins["cjm"]
    assert isinstance(found, CjmPlugin)
    plugin: CjmPlugin = found
    clock = EventClock(plugin)
    config = load_config(str(config_file))
    assert config.plugins["cjm"] is plugin  # the instance serve keeps
    config.plugins.on_startup(command="serve", dirty=False)  # a cold serve source
    source = plugin.source
    assert source.serving
    rebuilds: list[tuple[float, float]] = []
    changed_pages: list[int] = []
    try:
        with clock.measure() as first:
            build(config, serve_url="http://127.0.0.1:8000/")
        changed = root / "journeys" / "journeys" / "journey-7.md"
        personas, touchpoints = max(3, journeys // 10), max(5, journeys // 4)
        for edit in range(REBUILDS):
            variant = 1 - edit % 2  # edited, back, edited again: each build sees a change
            changed.write_text(
                journey_text(7, personas, touchpoints, variant=variant), encoding="utf-8"
            )
            start = time.perf_counter()
            with clock.measure() as rebuild:
                config = load_config(str(config_file))
                build(config, serve_url="http://127.0.0.1:8000/")
            rebuilds.append((rebuild[0], time.perf_counter() - start))
            changed_pages.append(len(source.changed))
    finally:
        config.plugins.on_shutdown()
        clock.stop()
    counts = (
        f"{len(source.pages)} pages, {statistics.median(changed_pages):.0f} changed by the edit"
    )
    return ServeTimes(
        first[0],
        statistics.median(plugin for plugin, _ in rebuilds),
        statistics.median(wall for _, wall in rebuilds),
        statistics.median(plugin / wall for plugin, wall in rebuilds),
        counts,
    )


def rebuild(temp: Path, journeys: int) -> None:
    print(
        f"rebuild: the plugin's share of a whole mkdocs serve rebuild, {journeys} journeys, "
        f"nav: overview, median of {REBUILDS} rebuilds after one edit each"
    )
    times = serve_builds(temp / f"serve-{journeys}", journeys)
    target = f"target <= {REBUILD_SHARE_TARGET:.0%}: {verdict(times.share <= REBUILD_SHARE_TARGET)}"
    print(
        f"  plugin: first build {times.first:6.2f} s, rebuild {times.plugin:6.3f} s ({times.counts})"
    )
    print(f"  whole rebuild {times.wall:6.2f} s; plugin's share {times.share:.1%} ({target})")


# ---------------------------------------------------------------------------
# Memory


def memory(temp: Path, journeys: int) -> None:
    """Peak RSS of ``cjm validate``: run first, as RUSAGE_CHILDREN keeps the largest child."""
    folder = write_folder(temp / f"memory-{journeys}", journeys)
    subprocess.run([str(BIN / "cjm"), "validate", str(folder)], check=True, capture_output=True)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    print(f"memory: cjm validate on {journeys} journeys")
    ok = peak_mb < MEMORY_TARGET_MB
    print(f"  peak resident {peak_mb:.0f} MB (target < {MEMORY_TARGET_MB} MB: {verdict(ok)})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--journeys", type=int, nargs="+", default=[300, 1000])
    parser.add_argument("--scale-journeys", type=int, default=1000, help="1x of the scaling run")
    parser.add_argument("--memory-journeys", type=int, default=5000)
    parser.add_argument(
        "--repeats", type=int, default=5, help="build pairs for the overhead; best of the others"
    )
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for CI")
    args = parser.parse_args(argv)
    if args.smoke:
        args.journeys, args.scale_journeys, args.memory_journeys, args.repeats = [20], 20, 200, 1
    with tempfile.TemporaryDirectory() as name:
        temp = Path(name)
        memory(temp, args.memory_journeys)  # first: no other child has run yet
        for journeys in args.journeys:
            build_overhead(temp, journeys, args.repeats)
        for journeys in args.journeys:
            nav_layouts(temp, journeys)
        scaling(temp, args.scale_journeys, args.repeats)
        rebuild(temp, max(args.journeys))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
