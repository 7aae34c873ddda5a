"""How fast `cjm validate` is, against the fastest safe YAML parse of the same files.

Prints files per second for both and their ratio (target: validation within
2x of the plain parse). No assertions: the machines are shared and noisy, so
the figures are for people to read.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml
from synthetic import write_folder

from cjm_plugin.load import find_journey_files, load_folder

TARGET_RATIO = 2.0
_FRONT_MATTER = re.compile(r"\A---\n(.*?)^---$", re.DOTALL | re.MULTILINE)


def plain_yaml_parse(folder: Path) -> int:
    """The baseline: read each file and load its front matter with libyaml, nothing more."""
    count = 0
    for path in find_journey_files(folder):
        match = _FRONT_MATTER.match(path.read_text(encoding="utf-8"))
        assert match is not None
        yaml.load(match.group(1), Loader=yaml.CSafeLoader)
        count += 1
    return count


def best_of(repeats: int, work: Callable[[], object]) -> float:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return min(timings)


def run(journeys: int, repeats: int = 3) -> None:
    with tempfile.TemporaryDirectory() as temp:
        folder = write_folder(Path(temp) / "journeys", journeys)
        files = len(find_journey_files(folder))
        result = load_folder(folder)
        assert result.ok, [str(d) for d in result.diagnostics[:5]]
        validate = best_of(repeats, lambda: load_folder(folder))
        parse = best_of(repeats, lambda: plain_yaml_parse(folder))
    ratio = validate / parse
    print(f"validate: {journeys} journeys, {files} files (libyaml: {yaml.__with_libyaml__})")
    print(f"  cjm validate      {files / validate:10.0f} files/s  ({validate * 1000:.0f} ms)")
    print(f"  plain YAML parse  {files / parse:10.0f} files/s  ({parse * 1000:.0f} ms)")
    verdict = "ok" if ratio <= TARGET_RATIO else "over target"
    print(f"  ratio validate/parse: {ratio:.2f}x (target <= {TARGET_RATIO}x: {verdict})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--journeys", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    run(args.journeys, args.repeats)


if __name__ == "__main__":
    main()
