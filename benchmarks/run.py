"""Run every benchmark and print its table: `--smoke` for CI's small sizes.

The figures are ratios measured side by side in one run, printed beside their
targets; nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent

#: (script, full-size arguments, smoke-size arguments)
BENCHMARKS = [
    ("bench_validate.py", ["--journeys", "1000"], ["--journeys", "60", "--repeats", "1"]),
    ("bench_diff.py", ["--journeys", "1000"], ["--journeys", "60"]),
    ("bench_build.py", ["--journeys", "300", "1000"], ["--smoke"]),
    ("bench_history.py", ["--journeys", "1000", "--commits", "20"], ["--smoke"]),
    ("bench_portfolio.py", ["--journeys", "3000"], ["--smoke"]),
    ("bench_floor.py", ["--journeys", "1000"], ["--smoke"]),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="small sizes, for CI")
    args = parser.parse_args()
    failed = 0
    for script, full, smoke in BENCHMARKS:
        path = HERE / script
        if not path.exists():
            print(f"{script}: missing", file=sys.stderr)
            failed += 1
            continue
        print(f"== {script}", flush=True)
        command = [sys.executable, str(path), *(smoke if args.smoke else full)]
        failed += subprocess.run(command, cwd=HERE, check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
