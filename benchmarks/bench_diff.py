"""How long ``cjm diff`` takes on a large site, next to validating both revisions.

Builds a temporary git repository with N journeys (five stages of two steps,
touchpoints and pain points on every step), commits it, changes about 10% of
the journeys, commits again, then times:

- validating both revisions (``load_sources`` on files already read), and
- the whole ``cjm diff HEAD~1 HEAD``: reading both revisions from git
  objects, validating them, comparing and writing the Markdown report.

The diff's target is under 1.5x the validation time. Nothing is asserted:
timings vary from machine to machine. ``--journeys 50`` keeps a CI run short.

    python benchmarks/bench_diff.py --journeys 1000
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml

from cjm_plugin.diff import diff_registries, format_markdown, load_sides
from cjm_plugin.git_revisions import revision_sources
from cjm_plugin.load import load_sources

TARGET_RATIO = 1.5
PERSONAS = 20
TOUCHPOINTS = 60
CHANNELS = ("web", "mobile-app", "email", "social", "phone", "chat", "store")
T = TypeVar("T")


def git(repo: Path, *arguments: str) -> None:
    environment = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Bench",
        "GIT_AUTHOR_EMAIL": "bench@example.com",
        "GIT_COMMITTER_NAME": "Bench",
        "GIT_COMMITTER_EMAIL": "bench@example.com",
    }
    subprocess.run(["git", *arguments], cwd=repo, env=environment, check=True, capture_output=True)


def write_record(path: Path, front: dict[str, Any], body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(front, sort_keys=False, allow_unicode=True)
    path.write_text(f"---\n{text}---\n{body}", encoding="utf-8")


def journey(number: int, rng: random.Random) -> dict[str, Any]:
    stages = []
    for s, stage in enumerate(("Discover", "Compare", "Buy", "Use", "Renew")):
        steps = []
        for t in range(2):
            steps.append(
                {
                    "name": f"Step {t + 1} of {stage.lower()} in journey {number}",
                    "touchpoints": [f"touchpoint-{rng.randrange(TOUCHPOINTS)}"],
                    "emotion": rng.randint(1, 5),
                    "thoughts": f"What the customer thinks at step {s * 2 + t + 1}",
                    "pain_points": [f"Pain point {k} of journey {number}" for k in range(2)],
                    "opportunities": [f"Opportunity for journey {number}"],
                }
            )
        stages.append({"name": stage, "goal": f"Goal of {stage.lower()}", "steps": steps})
    return {
        "type": "journey",
        "id": f"journey-{number}",
        "title": f"Journey number {number}",
        "personas": [f"persona-{number % PERSONAS}"],
        "owner": "service-team",
        "tags": ["benchmark"],
        "stages": stages,
        "metrics": [{"name": "Satisfaction", "before": "70%", "after": "80%"}],
        "actions": [{"title": f"Fix journey {number}", "owner": "web-team", "status": "planned"}],
    }


def change(front: dict[str, Any], rng: random.Random) -> None:
    """One of the edits a real pull request makes."""
    step = rng.choice([s for stage in front["stages"] for s in stage["steps"]])
    edit = rng.randrange(4)
    if edit == 0:
        step["emotion"] = 6 - step["emotion"] if step["emotion"] != 3 else 4
    elif edit == 1:
        step["pain_points"].append("A new pain point found in research")
    elif edit == 2:
        step["name"] += " (reworded)"
    else:
        front["title"] += " (revised)"


def build_repository(root: Path, journeys: int, seed: int) -> None:
    rng = random.Random(seed)
    folder = root / "journeys"
    for p in range(PERSONAS):
        write_record(
            folder / "personas" / f"persona-{p}.md",
            {"type": "persona", "name": f"Persona {p}"},
            "",
        )
    for t in range(TOUCHPOINTS):
        front = {"type": "touchpoint", "name": f"Touchpoint {t}", "channel": CHANNELS[t % 7]}
        write_record(folder / "touchpoints" / f"touchpoint-{t}.md", front, "")
    fronts = {n: journey(n, rng) for n in range(journeys)}
    for n, front in fronts.items():
        write_record(folder / "journeys" / f"journey-{n}.md", front, "Research notes.\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first revision")
    for n in rng.sample(sorted(fronts), max(1, journeys // 10)):
        change(fronts[n], rng)
        write_record(folder / "journeys" / f"journey-{n}.md", fronts[n], "Research notes.\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "second revision")


def best_of(repeat: int, work: Callable[[], T]) -> tuple[float, T]:
    """The fastest of ``repeat`` runs: the least disturbed by the rest of the machine."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    assert result is not None
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=1000, help="journeys per revision")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (best is kept)")
    parser.add_argument("--seed", type=int, default=4)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="cjm-bench-diff-") as temporary:
        root = Path(temporary)
        build_repository(root, options.journeys, options.seed)
        os.chdir(root)
        before_files = revision_sources(root, "HEAD~1", "journeys") or []
        after_files = revision_sources(root, "HEAD", "journeys") or []

        def validate() -> int:
            return len(
                load_sources(before_files).diagnostics + load_sources(after_files).diagnostics
            )

        def whole_diff() -> str:
            before, after = load_sides(["HEAD~1", "HEAD"], Path("journeys"))
            assert before.result.registry is not None and after.result.registry is not None
            change_set = diff_registries(
                before.result.registry, after.result.registry, before.label, after.label
            )
            report = format_markdown(change_set)  # timed: part of what users wait for
            return change_set.summary if report else ""

        validation_time, problems = best_of(options.repeat, validate)
        diff_time, summary = best_of(options.repeat, whole_diff)
        sides = load_sides(["HEAD~1", "HEAD"], Path("journeys"))
        old, new = sides[0].result.registry, sides[1].result.registry
        assert old is not None and new is not None
        compare_time, _ = best_of(
            options.repeat, lambda: format_markdown(diff_registries(old, new))
        )

    ratio = diff_time / validation_time
    print(f"journeys per revision:     {options.journeys}")
    print(f"changed journeys:          {summary}")
    print(f"diagnostics (both sides):  {problems}")
    print(f"validate both revisions:   {validation_time * 1000:8.1f} ms")
    print(f"cjm diff HEAD~1 HEAD:      {diff_time * 1000:8.1f} ms")
    print(f"  of which compare+format: {compare_time * 1000:8.1f} ms")
    verdict = "within" if ratio < TARGET_RATIO else "OVER"
    print(f"ratio diff / validation:   {ratio:8.2f}x  (target < {TARGET_RATIO}x: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
