"""``cjm diff`` reads measurement tables from git revisions as from the working tree.

A broken table makes its revision invalid (exit 3, the table's FILE:LINE),
and a table whose rows change is reported, in each output format.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from git_repos import GitRepo

from cjm_plugin.cli import main
from cjm_plugin.git_revisions import revision_sources

MAP = {
    "journeys/personas/ann.md": "---\ntype: persona\nid: ann\nname: Ann\n---\n",
    "journeys/touchpoints/web.md": "---\ntype: touchpoint\nid: web\nname: Website\nchannel: web\n---\n",
    "journeys/journeys/signup.md": (
        "---\ntype: journey\nid: signup\ntitle: Signs up\npersonas: [ann]\nstages:\n"
        "  - name: Join\n    steps:\n"
        "      - {name: Fills the form, touchpoints: [web], emotion: 4}\n"
        "      - {name: Pays, id: pays, emotion: 3}\n---\n"
    ),
}
TABLE = "journeys/measurements/survey-2026.csv"
HEADER = "date,journey,step,touchpoint,metric,value,min,max,responses\n"
ROWS = [
    "2026-01-10,,,web,csat,4,1,5,10\n",
    "2026-01-10,signup,pays,,csat,3,1,5,12\n",
    "2026-02-10,signup,pays,,csat,3,1,5,8\n",
]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    repository = GitRepo(tmp_path / "repo")
    for path, text in MAP.items():
        repository.write(path, text)
    repository.write(TABLE, HEADER + "".join(ROWS))
    repository.commit("maps and a table")
    monkeypatch.chdir(repository.root)
    return repository


def cjm(*arguments: str) -> Any:
    return CliRunner().invoke(main, ["diff", *arguments])


def test_a_revision_lists_its_tables_beside_its_journey_files(repo: GitRepo) -> None:
    sources = revision_sources(repo.root, "HEAD", "journeys")
    assert sources is not None
    assert "measurements/survey-2026.csv" in [s.relative_path for s in sources]


def test_a_commit_that_breaks_a_table_makes_its_revision_invalid(repo: GitRepo) -> None:
    repo.write(TABLE, HEADER + ROWS[0] + "2026-03-01,signup,pays,,csat,9,1,5,4\n")
    repo.commit("a value off its scale")

    result = cjm("HEAD~1", "HEAD")

    assert result.exit_code == 3
    assert result.stdout == ""
    assert "HEAD is not a valid journey map (1 error)" in result.stderr
    assert re.search(
        r"^HEAD:journeys/measurements/survey-2026\.csv:3:\d+: error: ", result.stderr, re.M
    )
    working = cjm("HEAD")  # the working tree is read the same way
    assert working.exit_code == 3
    assert re.search(
        r"^journeys/measurements/survey-2026\.csv:3:\d+: error: ", working.stderr, re.M
    )


def test_a_table_with_unknown_ids_is_invalid_in_a_revision_too(repo: GitRepo) -> None:
    repo.write(TABLE, HEADER + "2026-03-01,,,webb,csat,4,1,5,4\n")
    repo.commit("a typo")
    result = cjm("HEAD~1", "HEAD")
    assert result.exit_code == 3
    assert (
        "HEAD:journeys/measurements/survey-2026.csv:2:4: error: column 'touchpoint': "
        "unknown touchpoint 'webb'; did you mean 'web'?"
    ) in result.stderr


def test_a_commit_that_changes_a_table_is_a_change(repo: GitRepo) -> None:
    repo.write(TABLE, HEADER + ROWS[0] + ROWS[2] + "2026-03-01,signup,pays,,csat,2,1,5,6\n")
    repo.commit("new survey")

    text = cjm("HEAD~1", "HEAD", "--format", "text", "--exit-code")
    assert text.exit_code == 1
    assert text.stdout == (
        "HEAD~1 → HEAD: 1 journey changed, 1 measurements file changed\n"
        "\n"
        "journey signup (Signs up): changed\n"
        "  average emotion 3.50 → 3.50\n"
        "  ~ Pays: measured emotion 3.0 → 2.0 (worse)\n"
        "\n"
        "measurements measurements/survey-2026.csv (survey-2026.csv, 3 rows): changed\n"
        "  + 1 row added\n"
        "  - 1 row removed\n"
    )
    markdown = cjm("HEAD~1", "HEAD").stdout
    assert "HEAD~1 → HEAD: **1 journey changed, 1 measurements file changed**" in markdown
    assert "File: journeys/measurements/survey-2026.csv" in markdown
    assert "- **+** 1 row added" in markdown and "- **−** 1 row removed" in markdown
    assert "- **~** Pays: measured emotion 3.0 → 2.0 (worse)" in markdown
    document = json.loads(cjm("HEAD~1", "HEAD", "--format", "json").stdout)
    assert document["summary"] == "1 journey changed, 1 measurements file changed"
    journey, record = document["records"]
    assert journey["changes"] == [
        {
            "kind": "measured-emotion",
            "stage": "Join",
            "step": "Pays",
            "field": None,
            "item": None,
            "before": 3.0,
            "after": 2.0,
        }
    ]
    assert (record["type"], record["id"], record["status"]) == (
        "measurements",
        "measurements/survey-2026.csv",
        "changed",
    )
    assert [(c["kind"], c["before"], c["after"]) for c in record["changes"]] == [
        ("rows-added", None, 1),
        ("rows-removed", 1, None),
    ]


def test_rows_moved_within_a_table_or_a_table_moved_are_no_change(repo: GitRepo) -> None:
    repo.write(TABLE, HEADER + "".join(reversed(ROWS)))
    repo.commit("sorted by date, newest first")
    assert cjm("HEAD~1", "HEAD", "--exit-code").exit_code == 0
    (repo.root / TABLE).rename(repo.root / "journeys/survey-2026.csv")
    moved = cjm("HEAD", "--format", "text")
    assert moved.stdout.splitlines()[0] == (
        "HEAD → working tree: 1 measurements file added, 1 measurements file removed"
    )


def test_a_table_added_or_removed_is_reported_with_its_rows(repo: GitRepo) -> None:
    repo.write("journeys/measurements/nps.csv", HEADER + ROWS[0])
    repo.commit("another table")
    added = json.loads(cjm("HEAD~1", "HEAD", "--format", "json").stdout)
    assert [(r["id"], r["status"], r["title"]) for r in added["records"]] == [
        ("measurements/nps.csv", "added", "nps.csv, 1 row"),
    ]
    removed = json.loads(cjm("HEAD", "HEAD~1", "--format", "json").stdout)
    assert [r["status"] for r in removed["records"]] == ["removed"]


def test_a_step_that_gains_or_loses_its_data_is_reported(repo: GitRepo) -> None:
    repo.write(TABLE, HEADER + ROWS[0])
    repo.commit("the step's rows dropped")
    text = cjm("HEAD~1", "HEAD", "--format", "text").stdout
    assert "  ~ Pays: measured emotion 3.0 → (none)\n" in text
    assert "Fills the form" not in text  # its touchpoint's rows are unchanged
