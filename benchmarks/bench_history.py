"""The journey pages' revision history, with what each commit changed: what it costs.

A git repository of synthetic journeys, each touched by every commit (an
emotion changed and a pain point added on one step per commit), so that every
journey page shows the longest history (20 commits). Prints:

- the history's own work, in a fresh process without the cycle collector: the
  ``git log`` alone (what the page
  showed before, subjects only), and the change summaries of every journey
  (the blobs read with one ``git cat-file``, each parsed once, consecutive
  versions compared), against loading and rendering the same maps;
- the build overhead with the history: ``mkdocs build`` with the plugin
  (``history: true``) against ``mkdocs build`` of the very pages it makes,
  history included, as plain docs, in pairs, the median pair's ratio (target
  <= 1.05x, the plugin's build overhead of ``bench_build.py``);
- what the history costs a build: ``history: true`` against ``history:
  false`` (no target: each page shows 20 more table rows), and how long cjm
  took to make its pages in one build of each.

Nothing is asserted: timings vary from machine to machine.

    python benchmarks/bench_history.py --journeys 1000 --commits 20
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_build import mkdocs_build, verdict, write_config
from synthetic import journey_text, write_folder

OVERHEAD_TARGET = 1.05

#: The identity and dates of every commit: the repository is the same from run to run.
GIT_ENVIRONMENT = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Ada Author",
    "GIT_AUTHOR_EMAIL": "ada@example.com",
    "GIT_COMMITTER_NAME": "Ada Author",
    "GIT_COMMITTER_EMAIL": "ada@example.com",
    "GIT_AUTHOR_DATE": "2026-01-01T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-01-01T12:00:00+00:00",
}


def git(root: Path, *arguments: str) -> None:
    subprocess.run(
        ["git", *arguments],
        cwd=root,
        env={**os.environ, **GIT_ENVIRONMENT},
        check=True,
        capture_output=True,
    )


def edited(text: str, commit: int) -> str:
    """The journey after one more commit: one step's emotion changed, a pain point added."""
    lines = text.split("\n")
    emotions = [i for i, line in enumerate(lines) if line.strip().startswith("emotion:")]
    pains = [i for i, line in enumerate(lines) if line.strip().startswith("pain_points:")]
    step = commit % len(emotions)
    at = emotions[step]
    emotion = int(lines[at].rsplit(" ", 1)[1])
    lines[at] = lines[at].rsplit(" ", 1)[0] + f" {emotion % 5 + 1}"
    lines[pains[step]] = lines[pains[step]].removesuffix("]") + f", Pain point {commit}]"
    return "\n".join(lines)


def history_repository(root: Path, journeys: int, commits: int) -> Path:
    """``commits`` commits, the first adding the maps, each later one editing every journey."""
    folder = write_folder(root / "journeys", journeys)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Add the maps")
    personas, touchpoints = max(3, journeys // 10), max(5, journeys // 4)
    texts = {n: journey_text(n, personas, touchpoints) for n in range(journeys)}
    for commit in range(1, commits):
        for n in range(journeys):
            texts[n] = edited(texts[n], commit)
            (folder / "journeys" / f"journey-{n}.md").write_text(texts[n], encoding="utf-8")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"Workshop {commit}")
    return folder


#: Run by ``history_seconds`` in a fresh interpreter.
HISTORY_TIMING = """
import gc, json, sys, time
from pathlib import Path
from cjm_plugin.git_revisions import run_git
from cjm_plugin.history import HistoryCache
from cjm_plugin.load import load_folder
from cjm_plugin.pages import render_site
gc.disable()
folder = Path(sys.argv[1])
times = {}
start = time.perf_counter()
result = load_folder(folder)
registry = result.registry
assert registry is not None
render_site(registry)
times["load_render"] = time.perf_counter() - start
start = time.perf_counter()
run_git(folder, ["log", "--no-merges", "--date=short", "--format=%h %ad %an %s",
                 "--name-status", "-M", "-z", "--relative", "--", "."])
times["subjects"] = time.perf_counter() - start
start = time.perf_counter()
history = HistoryCache().histories(folder)
selected = history.select({j: r.source.relative_path for j, r in registry.journeys.items()})
times["log"] = time.perf_counter() - start
lines = 0
for journey_id in selected:
    lines += sum(len(revision.changes) for revision in selected[journey_id])
times["changes"] = time.perf_counter() - start - times["log"]
times["revisions"] = sum(len(selected[j]) for j in selected)
times["lines"] = lines
print(json.dumps(times))
"""


def history_seconds(folder: Path) -> dict[str, float]:
    import json

    completed = subprocess.run(
        [sys.executable, "-c", HISTORY_TIMING, str(folder)],
        check=False,
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise SystemExit(completed.stderr)
    found: dict[str, float] = json.loads(completed.stdout)
    return found


def history_work(folder: Path, journeys: int, commits: int) -> None:
    times = history_seconds(folder)
    print(f"history: {journeys} journeys, {commits} commits each, second-process conditions")
    print(f"  load + render the maps (no history)  {times['load_render']:7.2f} s")
    print(f"  git log, subjects only (before)      {times['subjects']:7.2f} s")
    print(f"  git log --raw (now)                  {times['log']:7.2f} s")
    per_page = times["changes"] / max(journeys, 1) * 1000
    print(
        f"  change summaries, every journey      {times['changes']:7.2f} s "
        f"({per_page:.1f} ms a journey page; {int(times['revisions'])} revisions, "
        f"{int(times['lines'])} lines)"
    )
    print(
        f"  history / load + render: {(times['log'] + times['changes']) / times['load_render']:.2f}x"
    )


#: Run by ``build_wait`` in a fresh interpreter: one ``mkdocs build``, timing how long
#: cjm takes to make its pages (loading, the histories, rendering), all in MkDocs' process.
WAIT_TIMING = """
import os, sys, time
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
from mkdocs.commands.build import build
from mkdocs.config import load_config
from cjm_plugin import page_sources
waited = [0.0]
render = page_sources.PageSource.render
def timed(self, maps):
    start = time.perf_counter()
    try:
        return render(self, maps)
    finally:
        waited[0] += time.perf_counter() - start
page_sources.PageSource.render = timed
config = load_config(sys.argv[1])
start = time.perf_counter()
build(config)
print(waited[0], time.perf_counter() - start)
"""


def build_wait(config_file: Path) -> tuple[float, float]:
    """Seconds cjm took to make its pages in one build, and the build's seconds."""
    completed = subprocess.run(
        [sys.executable, "-c", WAIT_TIMING, str(config_file)],
        check=True,
        capture_output=True,
        text=True,
        cwd=config_file.parent,
    )
    waited, total = completed.stdout.split()
    return float(waited), float(total)


#: Run by ``rendered_with_history`` in a fresh interpreter: the pages the plugin makes,
#: history included, written as Markdown files (what ``cjm render`` writes, plus the history).
RENDER_WITH_HISTORY = """
import sys
from pathlib import Path
from cjm_plugin.history import HistoryCache
from cjm_plugin.load import load_folder
from cjm_plugin.pages import render_site
folder, out = Path(sys.argv[1]), Path(sys.argv[2])
registry = load_folder(folder).registry
history = HistoryCache().histories(folder)
paths = {j: r.source.relative_path for j, r in registry.journeys.items()}
for page in render_site(registry, history=history.select(paths)):
    target = out / page.uri
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page.markdown, encoding="utf-8")
"""


def rendered_with_history(root: Path, folder: Path) -> Path:
    """A project without the plugin whose docs are the plugin's pages, history and all."""
    subprocess.run(
        [sys.executable, "-c", RENDER_WITH_HISTORY, str(folder), str(root / "docs")],
        check=True,
        capture_output=True,
    )
    nav = [  # what `nav: overview` makes of the plugin's pages
        {"Home": "index.md"},
        {"Journeys": [{"Customer journeys": "journeys/index.md"}, "touchpoints/index.md"]},
    ]
    return write_config(root, plugin=None, nav=nav)


def paired(
    label: str, first: Path, second: Path, names: tuple[str, str], repeats: int, target: bool
) -> None:
    """Builds in pairs, which side goes first alternating; the median pair's ratio."""
    pairs = []
    for n in range(repeats):
        if n % 2 == 0:
            one, two = mkdocs_build(first), mkdocs_build(second)
        else:
            two, one = mkdocs_build(second), mkdocs_build(first)
        pairs.append((one, two))
    ratios = sorted(one / two for one, two in pairs)
    ratio = statistics.median(ratios)
    print(f"{label} ({repeats} pairs)")
    for one, two in pairs:
        print(f"  {names[0]} {one:7.2f} s, {names[1]} {two:7.2f} s: {one / two:.3f}x")
    judged = (
        f"; target <= {OVERHEAD_TARGET}x: {verdict(ratio <= OVERHEAD_TARGET)}" if target else ""
    )
    print(f"  median ratio: {ratio:.3f}x (range {ratios[0]:.3f}x to {ratios[-1]:.3f}x{judged})")


def build_overhead(root: Path, folder: Path, journeys: int, repeats: int) -> None:
    """The plugin with history against the same pages as plain docs, and against no history."""
    with_history = write_config(root, plugin={"nav": "overview", "history": True})
    without = with_history.with_name("mkdocs-no-history.yml")
    without.write_text(
        with_history.read_text(encoding="utf-8").replace("history: true", "history: false"),
        encoding="utf-8",
    )
    plain = rendered_with_history(root / "plain", folder)
    paired(
        f"build overhead, history included: {journeys} journeys, Material, with cjm / its pages",
        with_history,
        plain,
        ("with cjm", "pages as docs"),
        repeats,
        target=True,
    )
    paired(
        f"what the history costs a build: {journeys} journeys, history: true / history: false",
        with_history,
        without,
        ("history: true", "history: false"),
        repeats,
        target=False,
    )
    for config_file in (with_history, without):
        waited, total = build_wait(config_file)
        print(
            f"  {config_file.name}: cjm made its pages in {waited:.2f} s "
            f"in a build of {total:.2f} s"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--journeys", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3, help="build pairs")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for CI")
    args = parser.parse_args(argv)
    if args.smoke:
        args.journeys, args.commits, args.repeats = 20, 3, 1
    with tempfile.TemporaryDirectory() as name:
        root = Path(name)
        folder = history_repository(root, args.journeys, args.commits)
        history_work(folder, args.journeys, args.commits)
        build_overhead(root, folder, args.journeys, args.repeats)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
