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


def test_the_export_carries_each_steps_id_and_measured_emotion(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(EXAMPLE.parent)
    result = CliRunner().invoke(main, ["export", "--format", "json", "journeys"])
    assert result.exit_code == 0, result.output
    journeys = {j["id"]: j for j in json.loads(result.stdout)["journeys"]}
    steps = {
        step["id"]: step
        for stage in journeys["account-opening"]["stages"]
        for step in stage["steps"]
    }
    assert steps["waits-for-card"]["name"] == "Waits five working days for card and PIN letters"
    assert steps["receives-the-welcome-email"]["measured"] == {
        "emotion": 4.32,  # CSAT 4.4 -> 4.4, NPS 8.1 on 0..10 -> 4.24, 415 answers each
        "drift": 1.32,
        "metrics": ["CSAT", "NPS"],
        "responses": 830,
        "latest": "2026-10-01",
    }
    assert steps["sets-up-a-standing-order-for-rent"]["measured"] is None
    future = journeys["account-opening-future"]["stages"][0]["steps"][0]
    assert future["measured"] is None  # a future state is not measured
