"""The example maps keep exactly one stale map and two drifting steps: on purpose, to show them.

`make test` validates them without `--strict` for that reason; this test makes
sure nothing else slips in among those warnings.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cjm_plugin.cli import main

EXAMPLE = Path(__file__).parent.parent / "journeys"


def test_the_example_warns_of_one_stale_map_and_two_drifts_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793491200")  # 2026-11-01
    monkeypatch.chdir(EXAMPLE.parent)
    result = CliRunner().invoke(main, ["validate", "journeys", "--format", "json"])
    assert result.exit_code == 0, result.output
    found = [
        (d["path"], d["code"], d["severity"]) for d in json.loads(result.stdout)["diagnostics"]
    ]
    assert found == [
        ("journeys/journeys/account-opening.md", "cjm.emotion-drift", "warning"),
        ("journeys/journeys/lost-card.md", "cjm.stale-map", "warning"),
        ("journeys/journeys/lost-card.md", "cjm.emotion-drift", "warning"),
    ]
