"""Journey files (every input) read straight from git objects, and the commits that touched them.

``cjm diff`` compares revisions without a checkout: ``git ls-tree`` lists the
journeys folder of a revision and one ``git cat-file --batch`` process reads
every file, so the working tree, the index and HEAD are never touched. The
plain ``git`` command is used (no library): it is already there wherever a
repository is, it reads every object format and extension git itself
supports, and two well-documented plumbing commands are all that is needed.

``history.py`` runs its ``git log`` through ``run_git`` too, and reads the
versions it compares with :func:`read_blobs`: one ``git cat-file --batch``.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from .load import MAX_FILE_BYTES, SourceText, refused_link, resolve_link
from .load.sources import source_of

_FILE_MODES = ("100644", "100755")
_LINK_MODE = "120000"


class GitError(Exception):
    """git is missing, the folder is not a repository, or a revision is unknown."""


def _git_environment() -> dict[str, str]:
    """Plain, predictable output: no pager, no prompts, no localised messages."""
    environment = dict(os.environ)
    environment.update({"GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "LANG": "C"})
    return environment


def run_git(
    cwd: Path, arguments: Sequence[str], stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run one git command; every failure becomes a ``GitError`` with git's message."""
    command = ["git", "-c", "core.quotePath=false", "-c", "i18n.logOutputEncoding=UTF-8"]
    try:
        completed = subprocess.run(
            [*command, *arguments],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            env=_git_environment(),
            check=False,
        )
    except (FileNotFoundError, NotADirectoryError, PermissionError) as exc:
        raise GitError(f"cannot run git: {exc}") from None
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip() or "git failed"
        raise GitError(message.splitlines()[0])
    return completed


def repository_top(path: Path) -> Path:
    """The top folder of the working tree that holds ``path``."""
    folder = path if path.is_dir() else path.parent
    top = run_git(folder, ["rev-parse", "--show-toplevel"]).stdout.decode("utf-8").strip()
    return Path(top)


def resolve_revision(repo: Path, revision: str) -> str:
    """The full hash of the tree a revision names; a ``GitError`` when unknown."""
    if not revision or revision.startswith("-"):
        raise GitError(f"not a revision: {revision!r}")
    try:
        completed = run_git(repo, ["rev-parse", "--verify", "--quiet", f"{revision}^{{tree}}"])
    except GitError:
        hint = f"; {SHALLOW_HINT}" if is_shallow(repo) else ""
        raise GitError(f"unknown revision {revision!r}{hint}") from None
    return completed.stdout.decode("ascii").strip()


#: Why a revision a pull request names can be missing: CI checked out one commit.
SHALLOW_HINT = "this is a shallow clone: fetch the history (actions/checkout with fetch-depth: 0)"


def is_shallow(repo: Path) -> bool:
    """Whether the repository holds only the latest commits (``git clone --depth``)."""
    try:
        answer = run_git(repo, ["rev-parse", "--is-shallow-repository"]).stdout
    except GitError:
        return False
    return answer.strip() == b"true"


def revision_sources(repo: Path, revision: str, folder: str) -> list[SourceText] | None:
    """Every file of ``folder`` (relative to the repository top) that a source claims, in a revision.

    The same files as :func:`~cjm_plugin.load.read_folder` lists in a working
    tree: journey files, measurement tables, any registered input, so that a
    revision is checked as the working tree is.

    Files are named ``REVISION:folder/file.md`` in messages, the spelling
    ``git show`` accepts. ``None`` when the folder does not exist in that
    revision, so the caller can tell an empty side from a missing one. A
    symbolic link (mode 120000: a blob holding its target) is read as its
    target while that lies inside the folder, and refused otherwise, exactly
    as :func:`~cjm_plugin.load.read_folder` does in a working tree.
    """
    tree = resolve_revision(repo, revision)
    folder = PurePosixPath(folder).as_posix().strip("/")
    folder = "" if folder == "." else folder
    arguments = ["ls-tree", "-r", "-z", "--full-tree", tree]
    if folder:
        arguments += ["--", folder]
    listing = run_git(repo, arguments).stdout.decode("utf-8", "surrogateescape")
    prefix = f"{folder}/" if folder else ""
    files: dict[str, str] = {}  # path inside the journeys folder -> blob hash, every file
    links: dict[str, str] = {}  # the same for symbolic links (a blob holding the target)
    found_folder = not folder
    for entry in listing.split("\0"):
        if not entry:
            continue
        header, _, path = entry.partition("\t")
        mode, kind, object_hash = header.split(" ")
        if not path.startswith(prefix):
            continue
        found_folder = True
        if kind == "blob" and mode in _FILE_MODES:
            files[path[len(prefix) :]] = object_hash
        elif kind == "blob" and mode == _LINK_MODE:
            links[path[len(prefix) :]] = object_hash
    if not found_folder:
        return None
    link_blobs = _read_blobs(repo, list(links.values()))
    targets = {
        relative: data.decode("utf-8", "surrogateescape")
        for relative, data in zip(links, link_blobs, strict=True)
    }
    # A link is read as its target while that stays inside the folder, as in a working tree.
    blobs: list[tuple[str, str]] = []  # (object hash, path inside the journeys folder)
    refused: list[SourceText] = []
    for relative in sorted({*files, *links}):
        if source_of(relative) is None or any(part.startswith(".") for part in relative.split("/")):
            continue
        if relative not in links:
            blobs.append((files[relative], relative))
            continue
        target = resolve_link(relative, targets.get)
        if target is None:
            refused.append(
                refused_link(f"{revision}:{prefix}{relative}", relative, targets[relative])
            )
        elif target in files:
            blobs.append((files[target], relative))
    contents = _read_blobs(repo, [object_hash for object_hash, _ in blobs])
    sources = [
        SourceText(f"{revision}:{prefix}{relative}", relative, content)
        for (_, relative), content in zip(blobs, contents, strict=True)
    ]
    return sorted(sources + refused, key=lambda s: s.relative_path)


def read_blobs(cwd: Path, names: Sequence[str]) -> dict[str, bytes | None]:
    """Many blobs by id (whole or abbreviated as ``git log`` prints them), one process.

    ``None`` for an id git cannot read as a blob (its commit is beyond a
    shallow clone's depth, say), so that one missing version costs its own
    line, not the history. Blobs are cut past the loader's cap, as below.
    """
    unique = list(dict.fromkeys(names))
    if not unique:
        return {}
    data = run_git(
        cwd, ["cat-file", "--batch"], stdin="".join(n + "\n" for n in unique).encode()
    ).stdout
    found: dict[str, bytes | None] = {}
    offset = 0
    for name in unique:
        end_of_header = data.index(b"\n", offset)
        header = data[offset:end_of_header].decode("ascii", "replace").split(" ")
        offset = end_of_header + 1
        if len(header) != 3 or not header[2].isdigit():  # "<name> missing", "ambiguous"
            found[name] = None
            continue
        size = int(header[2])
        blob = header[1] == "blob"
        found[name] = data[offset : offset + min(size, MAX_FILE_BYTES + 1)] if blob else None
        offset += size + 1  # the content is followed by a newline
    return found


def _read_blobs(repo: Path, hashes: Sequence[str]) -> list[bytes]:
    """Read many blobs with one ``git cat-file --batch`` process.

    A blob larger than the loader's cap is cut just past it: the loader then
    refuses it with its usual message instead of holding it all in memory twice.
    """
    if not hashes:
        return []
    output = run_git(
        repo, ["cat-file", "--batch"], stdin="".join(h + "\n" for h in hashes).encode()
    )
    data = output.stdout
    contents: list[bytes] = []
    offset = 0
    for object_hash in hashes:
        end_of_header = data.index(b"\n", offset)
        header = data[offset:end_of_header].decode("ascii").split(" ")
        if len(header) != 3 or header[1] != "blob":
            raise GitError(f"cannot read object {object_hash}: {' '.join(header)}")
        size = int(header[2])
        start = end_of_header + 1
        contents.append(data[start : start + min(size, MAX_FILE_BYTES + 1)])
        offset = start + size + 1  # the content is followed by a newline
    return contents
