"""A journey file's revision history, read from git, for the journey page.

Outside a checkout, or where git is missing, the functions return nothing
rather than fail a build: history is a nicety, never a requirement.
"""

from __future__ import annotations

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


def file_histories(folder: Path, limit: int = 20) -> dict[str, list[Revision]]:
    """The history of every file under ``folder``, from one ``git log`` call.

    Keys are paths relative to ``folder`` with ``/`` separators, as
    ``SourceFile.relative_path`` has them; files without history are absent.
    Renames are followed: commits before a rename are filed under the
    file's present name; merge commits are left out. Returns ``{}`` outside a git
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
    amend, a checkout or a reset. ``git rev-parse HEAD`` (a few milliseconds)
    tells before every rebuild; ``git log`` runs again only when HEAD moved,
    or when git cannot tell (outside a repository, before its first commit).
    """

    def __init__(self) -> None:
        self._key: tuple[str, str, int] | None = None
        self._histories: dict[str, list[Revision]] = {}

    def histories(self, folder: Path, limit: int = 20) -> dict[str, list[Revision]]:
        """``file_histories(folder, limit)``, from the last call when HEAD has not moved."""
        try:
            head = run_git(folder, ["rev-parse", "HEAD"]).stdout.decode("utf-8", "replace")
        except GitError:
            self._key = None
            return file_histories(folder, limit)
        key = (str(folder), head.strip(), limit)
        if key != self._key:
            self._histories = file_histories(folder, limit)
            self._key = key
        return self._histories
