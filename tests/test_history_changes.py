"""The revision history in journey terms: what each commit changed in the map."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from git_repos import GitRepo
from sites import build_site, journey, persona, touchpoint, write_project

import cjm_plugin.history_changes as history_module
from cjm_plugin.history import MAX_CHANGE_LINES, HistoryCache, file_histories
from cjm_plugin.load import parse_file
from cjm_plugin.page_sources import Maps, PageSource
from cjm_plugin.pages import UrlLayout

PATH = "journeys/account.md"


def account(
    emotion: int = 2,
    pains: tuple[str, ...] = ("Too many fields", "Unclear fees"),
    title: str = "Opens an account",
    steps: int = 0,
) -> str:
    """The account opening journey, with the fields the tests change."""
    first = {
        "name": "Fills in the online application",
        "emotion": emotion,
        "touchpoints": ["web"],
        "pain_points": list(pains),
    }
    more = [{"name": f"Extra step {n}", "emotion": 3} for n in range(steps)]
    stages = [{"name": "Apply", "steps": [first, {"name": "Waits for approval", "emotion": 3}]}]
    if more:
        stages.append({"name": "Later", "steps": more})
    return journey("account", title, ["ann"], stages)


def people() -> dict[str, str]:
    return {
        "personas/ann.md": persona("ann", "Ann"),
        "touchpoints/web.md": touchpoint("web", "Website", "web"),
    }


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    return GitRepo(tmp_path / "repo")


def changes_of(folder: Path, path: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(r.subject, r.changes) for r in file_histories(folder)[path]]


def test_each_commit_says_what_changed_in_the_journey(repo: GitRepo) -> None:
    for relative, text in people().items():
        repo.write(f"maps/{relative}", text)
    repo.write(f"maps/{PATH}", account())
    repo.commit("Add the maps")
    repo.write(f"maps/{PATH}", account(emotion=4))
    repo.commit("After the workshop")
    repo.write(f"maps/{PATH}", account(emotion=4, pains=("Too many fields",)))
    repo.commit("Fees are shown up front")
    repo.write(f"maps/{PATH}", "---\ntype: journey\nstages: [\n---\n")
    repo.commit("Half-done edit")
    repo.write(f"maps/{PATH}", account(emotion=5, pains=("Too many fields",), title="Opens it"))
    repo.commit("Finish the edit")
    repo.write(f"maps/{PATH}", account(emotion=5, pains=("Too many fields",), title="Opens it"))
    (repo.root / "maps" / PATH).rename(repo.root / "maps" / "journeys" / "opening.md")
    repo.commit("Rename the file")
    repo.write("maps/personas/ann.md", persona("ann", "Ann Smith"))
    repo.commit("Rename Ann")

    folder = repo.root / "maps"
    assert changes_of(folder, "journeys/opening.md") == [
        ("Rename the file", ("renamed from journeys/account.md",)),
        (
            "Finish the edit",
            (
                "file valid again",
                "title: Opens an account → Opens it",
                "Fills in the online application: emotion 4 → 5 (better)",
            ),
        ),
        ("Half-done edit", ("file not valid at this commit",)),
        (
            "Fees are shown up front",
            ("Fills in the online application: pain point removed: Unclear fees",),
        ),
        (
            "After the workshop",
            ("Fills in the online application: emotion 2 → 4 (better)",),
        ),
        ("Add the maps", ("created",)),
    ]
    # Other records keep their subjects, with no journey lines.
    assert changes_of(folder, "personas/ann.md") == [("Rename Ann", ()), ("Add the maps", ())]


def test_merge_commits_are_left_out_and_each_branch_commit_compared_with_its_parent(
    repo: GitRepo,
) -> None:
    repo.write(PATH, account())
    repo.commit("Add the journey")
    repo.git("checkout", "-q", "-b", "workshop")
    repo.write(PATH, account(emotion=4))
    repo.commit("Workshop findings")
    repo.git("checkout", "-q", "main")
    repo.write("other.md", "unrelated\n")
    repo.commit("Unrelated")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge the workshop", "workshop")

    assert changes_of(repo.root, PATH) == [
        ("Workshop findings", ("Fills in the online application: emotion 2 → 4 (better)",)),
        ("Add the journey", ("created",)),
    ]


def test_a_long_list_of_changes_is_cut_with_a_count(repo: GitRepo) -> None:
    repo.write(PATH, account())
    repo.commit("Add")
    repo.write(PATH, account(emotion=1, pains=("Other",), steps=6))
    repo.commit("Big rework")
    repo.write(PATH, account(emotion=1, pains=("Other",), steps=6) + "More notes.\n")
    repo.commit("Notes")
    commented = account(emotion=1, pains=("Other",), steps=6).replace("---\n", "---\n# Draft\n", 1)
    repo.write(PATH, commented + "More notes.\n")
    repo.commit("A comment")

    revisions = {r.subject: r.changes for r in file_histories(repo.root)[PATH]}
    # A stage, an emotion, 2 pain points removed, 1 added and 6 steps: 11 changes, in
    # the order of cjm diff.
    assert len(revisions["Big rework"]) == MAX_CHANGE_LINES
    assert revisions["Big rework"][:2] == (
        "stage added: Later",
        "Fills in the online application: emotion 2 → 1 (worse)",
    )
    assert revisions["Big rework"][-1] == f"and {11 - MAX_CHANGE_LINES + 1} more changes"
    assert revisions["Notes"] == ("body changed",)
    assert revisions["A comment"] == ("no change to the map",)


def _counting(monkeypatch: pytest.MonkeyPatch) -> tuple[list[Any], list[str]]:
    """Every subprocess started and every blob parsed from now on."""
    calls: list[Any] = []
    parsed: list[str] = []
    real_run, real_parse = subprocess.run, parse_file

    def counting_run(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0])
        return real_run(*args, **kwargs)

    def counting_parse(source: Any) -> Any:
        parsed.append(source.path)
        return real_parse(source)

    monkeypatch.setattr(subprocess, "run", counting_run)
    monkeypatch.setattr(history_module, "parse_file", counting_parse)
    return calls, parsed


def test_one_git_log_one_cat_file_and_each_version_parsed_once(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(3):
        repo.write(f"journeys/j{number}.md", account(emotion=1 + number))
    repo.commit("Add three")
    for emotion in (3, 4, 5):
        for number in range(3):
            repo.write(f"journeys/j{number}.md", account(emotion=emotion, title=f"J{number}"))
        repo.commit(f"Emotions to {emotion}")

    calls, parsed = _counting(monkeypatch)
    histories = file_histories(repo.root / "journeys")

    assert [command[5] for command in calls] == ["log", "cat-file"]
    assert len(parsed) == 3 * 4  # four versions of three files, each parsed once
    assert [len(revisions) for revisions in histories.values()] == [4, 4, 4]


def test_serve_reuses_what_was_worked_out_for_files_no_commit_touched(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.write("journeys/a.md", account(emotion=1))
    repo.write("journeys/b.md", account(emotion=2))
    repo.commit("Add a and b")
    repo.write("journeys/b.md", account(emotion=3))
    repo.commit("Edit b")
    folder = repo.root / "journeys"
    cache = HistoryCache()
    first = cache.histories(folder)
    assert [r.changes for r in first["a.md"]] == [("created",)]
    assert len(first["b.md"]) == 2

    repo.write("journeys/a.md", account(emotion=5))
    repo.commit("Edit a")
    _, parsed = _counting(monkeypatch)
    second = cache.histories(folder)
    assert second["b.md"] == first["b.md"]
    assert parsed == []  # b's commits are the same: nothing read or parsed again
    assert second["a.md"][0].changes == ("Fills in the online application: emotion 1 → 5 (better)",)
    assert len(parsed) == 2


def _history_section(page: Path) -> str:
    """The text of the page's revision history: tags dropped, entities decoded."""
    text = page.read_text(encoding="utf-8")
    section = text[text.index('id="revision-history"') :]
    section = section[: section.index("</table>")]
    return html.unescape(re.sub(r"<[^>]+>", " ", section))


def test_the_journey_page_shows_each_commits_changes(tmp_path: Path) -> None:
    root = tmp_path / "project"
    config_file = write_project(root, {**people(), PATH: account()})
    repo = GitRepo(root)
    repo.commit("Add the maps")
    repo.write(f"journeys/{PATH}", account(emotion=4, pains=("Too many fields",)))
    repo.commit("After the <workshop>")
    repo.write(f"journeys/{PATH}", "---\ntype: journey\n---\n")
    repo.commit("Broken for a while")
    repo.write(f"journeys/{PATH}", account(emotion=4, pains=("Too many fields", "Slow *upload*")))
    repo.commit("Fixed")

    site = build_site(config_file, strict=True)

    section = " ".join(_history_section(site / "journeys" / "account" / "index.html").split())
    assert "What changed in the map" in section
    assert (
        "Fixed • file valid again • Fills in the online application: pain point added: "
        "Slow *upload*" in section
    )
    assert "Broken for a while • file not valid at this commit" in section
    assert (
        "After the <workshop> • Fills in the online application: emotion 2 → 4 (better) "
        "• Fills in the online application: pain point removed: Unclear fees" in section
    )
    assert "Add the maps • created" in section
    assert section.index("Fixed") < section.index("Broken") < section.index("Add the maps")


def test_serve_keeps_the_pages_of_journeys_no_new_commit_touched(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    for relative, text in people().items():
        repo.write(f"maps/{relative}", text)
    repo.write("maps/journeys/a.md", account(emotion=1).replace("id: account", "id: a"))
    repo.write("maps/journeys/b.md", account(emotion=2).replace("id: account", "id: b"))
    repo.commit("Add the maps")
    folder = repo.root / "maps"
    maps = Maps(folder, UrlLayout(), history=True)
    source = PageSource(serving=True)

    def render() -> dict[str, str]:
        return {page.uri: page.markdown for page in source.render(maps)}

    first = render()
    assert "created" in first["journeys/a/index.md"]
    assert render() == first and source.changed == set()
    repo.write("maps/journeys/a.md", account(emotion=4).replace("id: account", "id: a"))
    repo.commit("Edit a")
    (folder / "journeys" / "a.md").write_text(  # the working tree as at the first render
        account(emotion=1).replace("id: account", "id: a"), encoding="utf-8"
    )
    _, parsed = _counting(monkeypatch)
    second = render()

    assert second["journeys/b/index.md"] == first["journeys/b/index.md"]
    assert "emotion 1 → 4 (better)" in second["journeys/a/index.md"]
    # Only a's page shows the new commit: serve --dirty rebuilds it alone.
    assert source.changed == {"journeys/a/index.md"}
    assert parsed and all(path.endswith(":journeys/a.md") for path in parsed)  # only a's versions
