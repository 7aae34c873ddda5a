"""A journey file's revision history, read from git, for the journey page.

Outside a checkout, or where git is missing, the functions return nothing
rather than fail a build: history is a nicety, never a requirement.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .git_revisions import GitError, run_git

#: Separates fields and commits in ``git log --format`` output: control
#: characters that cannot appear in a name or a one-line subject.
_FIELD = "\x1f"
_COMMIT = "\x1e"
_LOG_FORMAT = f"--format={_COMMIT}%h{_FIELD}%ad{_FIELD}%an{_FIELD}%s"


@dataclass(frozen=True)
class Revision:
    """One commit that touched a journey file."""

    commit: str
    """The abbreviated commit hash."""
    date: str
    """The author date, ISO ``YYYY-MM-DD``."""
    author: str
    subject: str


def _parse_log(text: str) -> list[tuple[Revision, list[str]]]:
    """Commits of ``git log`` output in our format, each with its file lines."""
    commits: list[tuple[Revision, list[str]]] = []
    for chunk in text.split(_COMMIT):
        if not chunk.strip():
            continue
        first, _, rest = chunk.partition("\n")
        fields = first.rstrip("\0").split(_FIELD)
        if len(fields) != 4:
            continue
        commit, date, author, subject = fields
        lines = [line for line in rest.split("\n") if line]
        commits.append((Revision(commit, date, author, subject), lines))
    return commits


def file_history(repo_root_or_any_path: Path, file: Path, limit: int = 20) -> list[Revision]:
    """Commits that touched one file, renames followed, newest first.

    ``file`` is relative to ``repo_root_or_any_path`` (a folder, or a file whose
    folder is used) unless absolute. Merge commits are left out, as in
    ``file_histories``, so both agree. Returns ``[]`` outside a git checkout,
    when git is missing, or for a file git does not track.
    """
    folder = (
        repo_root_or_any_path if repo_root_or_any_path.is_dir() else repo_root_or_any_path.parent
    )
    try:
        completed = run_git(
            folder,
            [
                "log",
                "--follow",
                "--no-merges",
                "--date=short",
                _LOG_FORMAT,
                f"--max-count={max(limit, 0)}",
                "--",
                file.as_posix(),
            ],
        )
    except GitError:
        return []
    return [revision for revision, _ in _parse_log(completed.stdout.decode("utf-8", "replace"))]


def file_histories(folder: Path, limit: int = 20) -> dict[str, list[Revision]]:
    """The history of every file under ``folder``, from one ``git log`` call.

    Keys are paths relative to ``folder`` with ``/`` separators, as
    ``SourceFile.relative_path`` has them; files without history are absent.
    Renames are followed as ``file_history`` does: commits before a rename
    are filed under the file's present name. Returns ``{}`` outside a git
    checkout or when git is missing.
    """
    try:
        completed = run_git(
            folder,
            [
                "log",
                "--no-merges",
                "--date=short",
                _LOG_FORMAT,
                "--name-status",
                "-M",
                "-z",
                "--relative",
                "--",
                ".",
            ],
        )
    except GitError:
        return {}
    histories: dict[str, list[Revision]] = {}
    #: Older name of a file -> the name it has now, learnt from renames seen so far.
    present_name: dict[str, str] = {}
    for revision, lines in _parse_log(completed.stdout.decode("utf-8", "replace")):
        for path in _touched_paths(lines, present_name):
            revisions = histories.setdefault(path, [])
            if len(revisions) < limit and (not revisions or revisions[-1] != revision):
                revisions.append(revision)
    return dict(sorted(histories.items()))


def _touched_paths(lines: list[str], present_name: dict[str, str]) -> list[str]:
    """Present names of the files a commit touched, from ``--name-status -z`` fields."""
    fields = [field for line in lines for field in line.split("\0")]
    touched: list[str] = []
    index = 0
    while index < len(fields):
        status = fields[index]
        if not status or not status[0].isalpha():
            index += 1
            continue
        if status[0] in "RC" and index + 2 < len(fields):
            old, new = fields[index + 1], fields[index + 2]
            name = present_name.get(new, new)
            touched.append(name)
            if status[0] == "R":
                present_name[old] = name
            index += 3
            continue
        if index + 1 >= len(fields):
            break
        path = fields[index + 1]
        touched.append(present_name.get(path, path))
        if status[0] == "A":
            present_name.pop(path, None)  # older commits at this path were another file
        index += 2
    return touched


class HistoryCache:
    """``file_histories`` of a folder, kept while its repository's HEAD stays put.

    ``git log`` over a long history takes a while, and during ``mkdocs serve``
    a journey's history changes only when a commit moves HEAD: a commit, an
    amend, a checkout or a reset each rewrite HEAD or the branch it names.
    Those are read (a few small files) before every rebuild; ``git log`` runs
    again only when they differ, or when the repository cannot be read so.
    """

    def __init__(self) -> None:
        self._key: tuple[object, ...] | None = None
        self._histories: dict[str, list[Revision]] = {}

    def histories(self, folder: Path, limit: int = 20) -> dict[str, list[Revision]]:
        """``file_histories(folder, limit)``, from the last call when HEAD has not moved."""
        key = _head_state(folder)
        if key is not None and (*key, limit) == self._key:
            return self._histories
        self._histories = file_histories(folder, limit)
        self._key = (*key, limit) if key is not None else None
        return self._histories


def _head_state(folder: Path) -> tuple[object, ...] | None:
    """Where HEAD points, as read from the files of the repository holding ``folder``.

    The commit HEAD names, as written in HEAD, in its loose branch file, or
    (by their ``stat``) in packed-refs or a reftable; just the folder where
    no ``.git`` is found above it. ``None`` where that cannot be told:
    ``GIT_DIR`` set, an unreadable file.
    """
    if "GIT_DIR" in os.environ:
        return None
    try:
        start = folder.resolve()
        git_dir = next(
            (path / ".git" for path in (start, *start.parents) if (path / ".git").exists()),
            None,
        )
        if git_dir is None:  # no repository: no history, until a .git appears
            return (str(start),)
        if git_dir.is_file():  # a worktree or a submodule: "gitdir: <path>"
            written = git_dir.read_text(encoding="utf-8").strip()
            if not written.startswith("gitdir:"):
                return None
            git_dir = (git_dir.parent / written.removeprefix("gitdir:").strip()).resolve()
        common = git_dir
        if (git_dir / "commondir").is_file():
            common = (
                git_dir / (git_dir / "commondir").read_text(encoding="utf-8").strip()
            ).resolve()
        head = (git_dir / "HEAD").read_bytes()
        branch = b""
        if head.startswith(b"ref:"):
            loose = common / head.removeprefix(b"ref:").strip().decode("utf-8")
            branch = loose.read_bytes() if loose.is_file() else b""
        stats: list[tuple[int, ...] | None] = []
        for shared in (common / "packed-refs", common / "reftable" / "tables.list"):
            try:
                status = shared.stat()
            except FileNotFoundError:
                stats.append(None)
            else:
                stats.append(
                    (status.st_mtime_ns, status.st_ctime_ns, status.st_size, status.st_ino)
                )
    except (OSError, UnicodeDecodeError):
        return None
    return (str(start), str(git_dir), head, branch, *stats)
