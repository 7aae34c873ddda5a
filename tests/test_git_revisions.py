"""Reading journeys from git objects, and the history of journey files."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from git_repos import GitRepo

from cjm_plugin.git_revisions import GitError, repository_top, resolve_revision, revision_sources
from cjm_plugin.history import HistoryCache, Revision, file_histories


class Repo(GitRepo):
    """The journeys tests' repository."""


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "repo")


def test_revision_sources_read_the_folder_of_a_revision(repo: Repo) -> None:
    repo.write("journeys/a.md", "first a\n")
    repo.write("journeys/sub/b.md", "b\n")
    repo.write("journeys/notes.txt", "not a journey\n")
    repo.write("journeys/.hidden/c.md", "hidden\n")
    repo.write("journeys-old/d.md", "another folder\n")
    repo.commit("one")
    repo.write("journeys/a.md", "second a\n")
    repo.commit("two")

    sources = revision_sources(repo.root, "HEAD~1", "journeys")

    assert sources is not None
    assert [(s.path, s.relative_path, s.data) for s in sources] == [
        ("HEAD~1:journeys/a.md", "a.md", b"first a\n"),
        ("HEAD~1:journeys/sub/b.md", "sub/b.md", b"b\n"),
    ]
    latest = revision_sources(repo.root, "HEAD", "journeys")
    assert latest is not None and latest[0].data == b"second a\n"


def test_revision_sources_from_a_subfolder_use_paths_from_the_top(repo: Repo) -> None:
    repo.write("docs/journeys/a.md", "a\n")
    repo.commit("one")
    sources = revision_sources(repo.root / "docs", "HEAD", "docs/journeys")
    assert sources is not None and [s.path for s in sources] == ["HEAD:docs/journeys/a.md"]
    assert repository_top(repo.root / "docs").resolve() == repo.root.resolve()


def test_a_folder_missing_from_a_revision_is_none_and_an_empty_one_is_empty(repo: Repo) -> None:
    repo.write("journeys/a.txt", "no journey yet\n")
    repo.commit("one")
    assert revision_sources(repo.root, "HEAD", "maps") is None
    assert revision_sources(repo.root, "HEAD", "journeys") == []


def test_reading_a_revision_leaves_the_working_tree_and_index_alone(repo: Repo) -> None:
    repo.write("journeys/a.md", "one\n")
    repo.commit("one")
    repo.write("journeys/a.md", "edited, not staged\n")
    repo.write("journeys/new.md", "untracked\n")
    status = repo.git("status", "--porcelain")
    index = (repo.root / ".git" / "index").read_bytes()

    revision_sources(repo.root, "HEAD", "journeys")

    assert repo.git("status", "--porcelain") == status
    assert (repo.root / ".git" / "index").read_bytes() == index
    assert (repo.root / "journeys" / "a.md").read_text() == "edited, not staged\n"


@pytest.mark.parametrize("revision", ["no-such-branch", "--output=x", ""])
def test_an_unknown_revision_is_a_git_error(repo: Repo, revision: str) -> None:
    repo.write("journeys/a.md", "a\n")
    repo.commit("one")
    with pytest.raises(GitError):
        resolve_revision(repo.root, revision)
    assert not (repo.root / "x").exists()


def test_an_unknown_revision_of_a_shallow_clone_says_to_fetch_the_history(
    repo: Repo, tmp_path: Path
) -> None:
    repo.write("journeys/a.md", "a\n")
    repo.commit("one")
    repo.commit("two")
    with pytest.raises(GitError) as full:
        resolve_revision(repo.root, "HEAD~5")
    assert str(full.value) == "unknown revision 'HEAD~5'"
    shallow = tmp_path / "shallow"
    repo.git("clone", "-q", "--depth", "1", repo.root.as_uri(), str(shallow))
    with pytest.raises(GitError) as clipped:
        resolve_revision(shallow, "HEAD~1")
    assert str(clipped.value) == (
        "unknown revision 'HEAD~1'; this is a shallow clone: fetch the history "
        "(actions/checkout with fetch-depth: 0)"
    )


def test_outside_a_repository_is_a_git_error(tmp_path: Path) -> None:
    with pytest.raises(GitError):
        repository_top(tmp_path)


def bare(revisions: Sequence[Revision]) -> list[Revision]:
    """Revisions without what they changed: these files are not journeys
    (``tests/test_history_changes.py`` checks the changes)."""
    return [replace(revision, changes=()) for revision in revisions]


def test_file_histories_are_newest_first_and_follow_renames(repo: Repo) -> None:
    repo.write("journeys/old-name.md", "version 1\n" * 20)
    first = repo.commit("Add the checkout journey")
    repo.write("journeys/other.md", "unrelated\n")
    repo.commit("Unrelated change")
    (repo.root / "journeys" / "old-name.md").rename(repo.root / "journeys" / "new-name.md")
    renamed = repo.commit("Rename the journey")
    repo.write("journeys/new-name.md", "version 1\n" * 20 + "version 2\n")
    last = repo.commit("Edit the journey")

    revisions = bare(file_histories(repo.root / "journeys")["new-name.md"])

    assert revisions == [
        Revision(last, "2024-01-04", "Ada Author", "Edit the journey"),
        Revision(renamed, "2024-01-03", "Ada Author", "Rename the journey"),
        Revision(first, "2024-01-01", "Ada Author", "Add the checkout journey"),
    ]
    assert "old-name.md" not in file_histories(repo.root / "journeys")
    assert bare(file_histories(repo.root / "journeys", limit=1)["new-name.md"]) == revisions[:1]
    # From the top of the repository, keyed by the path from there.
    assert bare(file_histories(repo.root)["journeys/new-name.md"]) == revisions


def test_file_histories_are_empty_outside_git_or_without_git(
    tmp_path: Path, repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    (outside / "a.md").write_text("a\n")
    assert file_histories(outside) == {}

    repo.write("journeys/a.md", "a\n")
    repo.commit("one")
    repo.write("journeys/untracked.md", "not committed\n")
    assert list(file_histories(repo.root / "journeys")) == ["a.md"]
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))
    assert file_histories(repo.root / "journeys") == {}


def _counting_git(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every subprocess started from now on, recorded."""
    calls: list[Any] = []
    real_run = subprocess.run

    def counting_run(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real_run(*args, **kwargs)

    monkeypatch.setattr(subprocess, "run", counting_run)
    return calls


def git_logs(calls: list[Any]) -> int:
    """How many of the recorded subprocesses ran ``git log``."""
    return sum(1 for command, *_ in calls if "log" in command)


def test_file_histories_of_a_folder_come_from_one_git_call(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.write("journeys/a.md", "alpha\n" * 20)
    repo.write("journeys/sub/b.md", "beta\n" * 20)
    repo.write("elsewhere.md", "not in the folder\n")
    added = repo.commit("Add a and b")
    repo.write("journeys/a.md", "alpha\n" * 20 + "more\n")
    edited = repo.commit("Edit a")
    (repo.root / "journeys" / "sub" / "b.md").rename(repo.root / "journeys" / "c.md")
    moved = repo.commit("Move b to c")
    repo.write("journeys/c.md", "beta\n" * 20 + "more\n")
    repo.write("journeys/a.md", "alpha\n" * 20 + "even more\n")
    both = repo.commit("Edit a and c")

    real_run = subprocess.run
    calls = _counting_git(monkeypatch)
    histories = file_histories(repo.root / "journeys")
    # One git log for every commit, one git cat-file for every version compared.
    assert [command[5] for command, *_ in calls] == ["log", "cat-file"]
    monkeypatch.setattr(subprocess, "run", real_run)

    def revision(commit: str, day: int, subject: str) -> Revision:
        return Revision(commit, f"2024-01-{day:02d}", "Ada Author", subject)

    assert {path: bare(revisions) for path, revisions in histories.items()} == {
        "a.md": [
            revision(both, 4, "Edit a and c"),
            revision(edited, 2, "Edit a"),
            revision(added, 1, "Add a and b"),
        ],
        "c.md": [
            revision(both, 4, "Edit a and c"),
            revision(moved, 3, "Move b to c"),
            revision(added, 1, "Add a and b"),
        ],
    }
    assert [len(v) for v in file_histories(repo.root / "journeys", limit=2).values()] == [2, 2]
    assert file_histories(repo.root / "journeys") == histories  # deterministic


def test_history_cache_runs_git_log_again_only_when_head_moves(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.write("journeys/a.md", "alpha\n")
    repo.commit("Add a")
    folder = repo.root / "journeys"
    cache = HistoryCache()
    calls = _counting_git(monkeypatch)

    first = cache.histories(folder)
    assert [r.subject for r in first["a.md"]] == ["Add a"]
    repo.write("journeys/a.md", "alpha, not committed\n")
    assert cache.histories(folder) == first
    assert git_logs(calls) == 1  # the edit moved no commit: no second git log

    repo.git("commit", "-q", "-a", "-m", "Edit a")  # the branch moves
    assert [r.subject for r in cache.histories(folder)["a.md"]] == ["Edit a", "Add a"]
    repo.git("commit", "-q", "--amend", "-m", "Edit a, reviewed")
    assert [r.subject for r in cache.histories(folder)["a.md"]] == ["Edit a, reviewed", "Add a"]
    repo.git("checkout", "-q", "--detach", "HEAD~1")  # HEAD itself moves
    assert [r.subject for r in cache.histories(folder)["a.md"]] == ["Add a"]
    repo.git("checkout", "-q", "main")
    repo.git("pack-refs", "--all")  # the branch now only in packed-refs
    assert [r.subject for r in cache.histories(folder)["a.md"]] == ["Edit a, reviewed", "Add a"]
    repo.git("reset", "-q", "--hard", "HEAD~1")
    assert [r.subject for r in cache.histories(folder)["a.md"]] == ["Add a"]
    assert cache.histories(folder, limit=1) == {"a.md": cache.histories(folder)["a.md"][:1]}


def test_history_cache_outside_a_repository_until_one_appears(tmp_path: Path) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    cache = HistoryCache()
    assert cache.histories(outside) == {}
    assert cache.histories(outside) == {}
    repo = Repo(outside)  # the folder becomes a repository: before its first commit,
    assert cache.histories(outside) == {}  # HEAD names no commit
    repo.write("a.md", "alpha\n")
    repo.commit("Add a")  # then its history shows
    assert [r.subject for r in cache.histories(outside)["a.md"]] == ["Add a"]


def test_history_cache_follows_git_dir_as_git_does(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.write("journeys/a.md", "alpha\n")
    repo.commit("Add a")
    monkeypatch.setenv("GIT_DIR", str(repo.root / ".git"))
    cache = HistoryCache()
    folder = repo.root / "journeys"
    calls = _counting_git(monkeypatch)
    first = cache.histories(folder)
    assert first == file_histories(folder) != {}  # whatever GIT_DIR makes of the folder
    assert cache.histories(folder) == first
    assert git_logs(calls) == 2  # the cache's and the comparison's
    repo.write("journeys/a.md", "alpha, edited\n")
    repo.commit("Edit a")
    assert cache.histories(folder) == file_histories(folder) != first


def test_history_cache_follows_a_worktree(repo: Repo, tmp_path: Path) -> None:
    repo.write("journeys/a.md", "alpha\n")
    repo.commit("Add a")
    other = tmp_path / "other"
    repo.git("worktree", "add", "-q", "-b", "side", str(other))
    cache = HistoryCache()
    assert [r.subject for r in cache.histories(other / "journeys")["a.md"]] == ["Add a"]
    (other / "journeys" / "a.md").write_text("alpha on the side\n", encoding="utf-8")
    subprocess.run(
        ["git", "-c", "user.name=A", "-c", "user.email=a@example.com", "commit", "-qam", "Side"],
        cwd=other,
        check=True,
    )
    assert [r.subject for r in cache.histories(other / "journeys")["a.md"]] == ["Side", "Add a"]
