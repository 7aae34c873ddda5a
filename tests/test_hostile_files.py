"""Hostile or unlucky journey files: each gets a ``FILE:LINE:COL`` error, never a traceback.

A number too long to show, a base-60 number, front matter nested hundreds
deep or made of a megabyte of tiny values, a file that vanishes while the
folder is read, a symbolic link out of the journeys folder, a file name that
would break out of an HTML attribute: the loader answers each at once, the
same way in ``cjm validate``, ``cjm render``, ``mkdocs build`` and for a git
revision (``cjm diff``).
"""

from __future__ import annotations

import errno
import logging
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from git_repos import GitRepo
from mkdocs.exceptions import Abort
from sites import build_site, journey, persona, valid_maps, write_project

from cjm_plugin import load as load_module
from cjm_plugin.cli import main as cjm_main
from cjm_plugin.git_revisions import revision_sources
from cjm_plugin.load import (
    MAX_NESTING,
    MAX_PROBLEMS_PER_FILE,
    MAX_VALUES,
    SourceText,
    find_journey_files,
    load_folder,
    load_sources,
    read_folder,
    resolve_link,
    split_front_matter,
)
from cjm_plugin.load.sources import claimed_suffixes

PERSONA_HEAD = "---\ntype: persona\nname: Ann\n"


def make_folder(root: Path, files: dict[str, str]) -> Path:
    folder = root / "journeys"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def messages(folder: Path) -> list[str]:
    """Every diagnostic of the folder, paths inside it."""
    prefix = f"{load_module.display_path(folder)}/"
    return [str(d).replace(prefix, "", 1) for d in load_folder(folder).diagnostics]


def persona_with(front: str) -> str:
    return f"{PERSONA_HEAD}{front}\n---\nThe story.\n"


# ---------------------------------------------------------------------------
# Numbers cjm cannot show as written, base-60 numbers


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param(
            "0x" + "f" * 4000,
            "number '0xfffffffffffffffffffffffffffffffffff...' has 4000 digits; "
            "at most 30 can be shown (put it in quotes to keep it as text) [cjm.number-too-long]",
            id="hex over int's 4,300 decimal digits",
        ),
        pytest.param(
            "9" * 31,
            f"number '{'9' * 31}' has 31 digits; at most 30 can be shown "
            "(put it in quotes to keep it as text) [cjm.number-too-long]",
            id="decimal",
        ),
        pytest.param(
            "-0" + "7" * 40,
            "number '-077777777777777777777777777777777777...' has 41 digits; at most 30 "
            "can be shown (put it in quotes to keep it as text) [cjm.number-too-long]",
            id="octal",
        ),
        pytest.param(
            "0b" + "1_0" * 20,
            "number '0b1_01_01_01_01_01_01_01_01_01_01_01_...' has 40 digits; at most 30 "
            "can be shown (put it in quotes to keep it as text) [cjm.number-too-long]",
            id="binary",
        ),
        pytest.param(
            "3." + "1" * 40,
            "number '3.11111111111111111111111111111111111...' has 41 digits; at most 30 "
            "can be shown (put it in quotes to keep it as text) [cjm.number-too-long]",
            id="float digits",
        ),
        pytest.param(
            "1.0e+999999",
            "number '1.0e+999999' is too large to show as written "
            "(put it in quotes to keep it as text) [cjm.number-too-long]",
            id="float overflow",
        ),
        pytest.param(
            "-2.5e-999999",
            "number '-2.5e-999999' is too small to show as written "
            "(put it in quotes to keep it as text) [cjm.number-too-long]",
            id="float underflow",
        ),
        pytest.param(
            "1:1:1",
            "'1:1:1' is a base-60 number in YAML 1.1 (1:30 means 90); "
            "put it in quotes to keep it as text [cjm.number-base-60]",
            id="base-60 integer",
        ),
        pytest.param(
            "-1:1:1.5",
            "'-1:1:1.5' is a base-60 number in YAML 1.1 (1:30 means 90); "
            "put it in quotes to keep it as text [cjm.number-base-60]",
            id="base-60 float",
        ),
        pytest.param(
            "1" + ":1" * 20_000,
            "'1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1...' is a base-60 number in YAML 1.1 "
            "(1:30 means 90); put it in quotes to keep it as text [cjm.number-base-60]",
            id="base-60 with 20,001 digits, quadratic to build",
        ),
    ],
)
def test_numbers_that_cannot_be_shown_as_written_are_refused_where_they_stand(
    tmp_path: Path, value: str, message: str
) -> None:
    folder = make_folder(
        tmp_path, {"personas/big.md": persona_with(f"demographics:\n  age: {value}")}
    )
    assert messages(folder) == [f"personas/big.md:5:8: error: {message}"]


def test_numbers_shown_in_full_still_load(tmp_path: Path) -> None:
    front = (
        "demographics:\n  a: 123456789012345678901234567890\n  b: 0x" + "f" * 30 + "\n"
        "  c: 1_000_000\n  d: 6.02e+23\n  e: .inf\n  f: 0.0e-999999\n  g: '1:30'"
    )
    folder = make_folder(tmp_path, {"ann.md": persona_with(front)})
    result = load_folder(folder)
    assert result.registry is not None, messages(folder)
    demographics = result.registry.personas["ann"].demographics
    assert demographics["a"] == 123456789012345678901234567890
    assert demographics["b"] == 16**30 - 1
    assert (demographics["c"], demographics["d"], demographics["g"]) == (1_000_000, 6.02e23, "1:30")


def test_a_time_written_bare_is_a_base_60_number_not_a_silent_integer(tmp_path: Path) -> None:
    """``name: 10:30`` is 630 in YAML 1.1: refused with a hint, not shown as 630."""
    folder = make_folder(tmp_path, {"ann.md": "---\ntype: persona\nname: 10:30\n---\n"})
    assert messages(folder) == [
        "ann.md:3:7: error: '10:30' is a base-60 number in YAML 1.1 (1:30 means 90); "
        "put it in quotes to keep it as text [cjm.number-base-60]"
    ]


# ---------------------------------------------------------------------------
# Nesting and size of the front matter


def _nested_blocks(levels: int) -> str:
    return (
        "demographics:\n"
        + "".join(" " * i + f"k{i}:\n" for i in range(1, levels))
        + " " * levels
        + "x"
    )


@pytest.mark.parametrize(
    ("front", "where"),
    [
        # The top mapping is level 1, 'goals' level 2, so the 49th '[' is level 50.
        pytest.param("goals: " + "[" * 500 + "]" * 500, "4:56", id="500 flow lists"),
        pytest.param("goals: " + "[" * 50 + "]" * 50, "4:56", id="51 levels"),
        pytest.param("goals: " + "{a: " * 200 + "}" * 200, "4:200", id="200 flow mappings"),
        pytest.param("goals: " + "[" * 400_000 + "]" * 400_000, "4:1007", id="libyaml's limit"),
        pytest.param(_nested_blocks(1200), "53:50", id="1,200 block mappings"),
    ],
)
def test_nesting_deeper_than_the_limit_is_refused_before_the_tree_is_built(
    tmp_path: Path, front: str, where: str
) -> None:
    """Refused while composing: a tree 500 deep would exhaust Python's recursion."""
    folder = make_folder(tmp_path, {"deep.md": persona_with(front)})
    assert messages(folder) == [
        f"deep.md:{where}: error: lists and mappings nest more than {MAX_NESTING} levels "
        "deep here; a journey map needs fewer than 10 [cjm.yaml-nesting]"
    ]


def test_nesting_up_to_the_limit_is_read(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {"deep.md": persona_with("goals: " + "[" * 49 + "]" * 49)})
    assert messages(folder) == ["deep.md:4:9: error: 'goals' must be text, got a list [cjm.type]"]


@pytest.mark.parametrize(
    ("front", "where"),
    [
        pytest.param("goals: [" + "a," * MAX_VALUES + "a]", "4:8", id="tiny texts"),
        pytest.param("goals:\n" + "- 1\n" * MAX_VALUES, "5:1", id="tiny numbers"),
        pytest.param("goals: [" + "{}," * MAX_VALUES + "{}]", "4:8", id="empty mappings"),
        pytest.param("demographics: {" + "a: 1, " * MAX_VALUES + "}", "4:15", id="duplicate keys"),
        pytest.param("goals: [" + "1:1:1," * 150_000 + "1]", "4:8", id="base-60 numbers"),
    ],
)
def test_a_megabyte_of_tiny_values_stops_at_the_value_limit(
    tmp_path: Path, front: str, where: str
) -> None:
    """Each value costs microseconds in every walk: a file of a million stops at the limit."""
    text = persona_with(front)
    assert len(text.encode()) <= load_module.MAX_FILE_BYTES
    folder = make_folder(tmp_path, {"tiny.md": text})
    assert messages(folder) == [
        f"tiny.md:{where}: error: front matter holds more than {MAX_VALUES:,} values (keys, "
        "list items, texts and numbers) by here; split it into smaller records [cjm.too-many]"
    ]


def test_only_the_first_problems_of_a_file_are_listed(tmp_path: Path) -> None:
    """Past the first 100, problems are not even worked out (a hint compares words)."""
    keys = "".join(f"key{n}: 1\n" for n in range(3 * MAX_PROBLEMS_PER_FILE))
    steps = [{"name": "Pays", "emotion": 3, "touchpoints": [f"tp{n}" for n in range(150)]}]
    folder = make_folder(
        tmp_path,
        {
            "ann.md": f"{PERSONA_HEAD}{keys}---\n",
            "buy.md": journey("buy", "Buys", ["ann"], [{"name": "S", "steps": steps}]),
        },
    )
    found = messages(folder)
    summary = (
        f"error: this file has more than {MAX_PROBLEMS_PER_FILE} problems; only the first "
        f"{MAX_PROBLEMS_PER_FILE} are listed [cjm.too-many-problems]"
    )
    for name in ("ann.md", "buy.md"):
        mine = [line for line in found if line.startswith(f"{name}:")]
        assert len(mine) == MAX_PROBLEMS_PER_FILE + 1
        assert mine[0] == f"{name}:1:1: {summary}"
    assert "ann.md:4:1: error: unknown key 'key0' [cjm.unknown-key]" in found
    assert found[-1].startswith("buy.md:") and "unknown touchpoint 'tp99'" in found[-1]


# ---------------------------------------------------------------------------
# The same errors from the CLI and from a real build


def _cli(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(cjm_main, list(arguments))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def test_validate_render_and_build_refuse_the_same_files_with_the_same_lines(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    bad = {
        "personas/big.md": persona("big", "Big", demographics={"age": 0}).replace(
            "age: 0", "age: 0x" + "f" * 4000
        ),
        "personas/deep.md": persona("deep", "Deep").replace(
            "name: Deep", "name: Deep\ngoals: " + "[" * 500 + "]" * 500
        ),
        "personas/time.md": persona("time", "Time").replace("name: Time", "name: 1:1:1"),
        'evil/x" onmouseover="alert(`fname`)" data-x=".md': persona("evil", "Evil"),
    }
    expected = [
        'journeys/evil/x" onmouseover="alert(`fname`)" data-x=".md:1:1: error: file name '
        "holds '\"': quotes, backquotes, '<', '>', backslashes and control characters are not "
        "allowed in the names of files and folders of journey maps; rename it [cjm.file-name]",
        "journeys/personas/big.md:6:8: error: number '0xfffffffffffffffffffffffffffffffffff...' "
        "has 4000 digits; at most 30 can be shown (put it in quotes to keep it as text) "
        "[cjm.number-too-long]",
        "journeys/personas/deep.md:5:56: error: lists and mappings nest more than 50 levels "
        "deep here; a journey map needs fewer than 10 [cjm.yaml-nesting]",
        "journeys/personas/time.md:4:7: error: '1:1:1' is a base-60 number in YAML 1.1 "
        "(1:30 means 90); put it in quotes to keep it as text [cjm.number-base-60]",
    ]
    files = {
        **valid_maps(),
        **bad,
    }
    config_file = write_project(tmp_path, files, theme="mkdocs", record_nav=False)

    code, output = _cli("validate", "journeys")
    assert code == 1 and output.splitlines()[:-1] == expected, output
    code, output = _cli("render", "journeys", "--out", "generated")
    assert code == 1 and output.splitlines()[:-1] == expected, output
    assert not (tmp_path / "generated").exists()

    caplog.clear()
    with caplog.at_level(logging.WARNING), pytest.raises(Abort) as stopped:
        build_site(config_file)
    reported = f"{caplog.text}\n{stopped.value}"
    assert "Traceback" not in reported
    for line in expected:
        assert line in reported, reported
    assert not (tmp_path / "site").exists()


# ---------------------------------------------------------------------------
# Files that vanish while the folder is read


@pytest.fixture
def two_personas(tmp_path: Path) -> Path:
    return make_folder(
        tmp_path,
        {"a.md": persona("a", "Ann"), "sub/b.md": persona("b", "Bob"), "c.md": persona("c", "Cy")},
    )


def _vanish_after_listing(monkeypatch: pytest.MonkeyPatch, victim: Path) -> None:
    """``victim`` is deleted as soon as the folder holding it has been listed."""
    real_scandir = os.scandir

    class Listing:
        def __init__(self, path: Any) -> None:
            self.entries = real_scandir(path)
            self.path = Path(path)

        def __enter__(self) -> Iterator[os.DirEntry[str]]:
            return self.entries.__enter__()

        def __exit__(self, *exc: object) -> None:
            self.entries.__exit__(*exc)
            if self.path == victim.parent:
                victim.unlink(missing_ok=True)

    monkeypatch.setattr(os, "scandir", Listing)


@pytest.mark.parametrize("with_snapshots", [False, True], ids=["read", "read again (serve)"])
def test_a_file_gone_between_listing_and_reading_is_not_there(
    two_personas: Path, monkeypatch: pytest.MonkeyPatch, with_snapshots: bool
) -> None:
    _vanish_after_listing(monkeypatch, two_personas / "sub" / "b.md")
    snapshots: dict[str, Any] | None = {} if with_snapshots else None
    sources = read_folder(two_personas, snapshots, claimed_suffixes())
    assert [s.relative_path for s in sources] == ["a.md", "c.md"]
    assert all(s.problem is None for s in sources)


def test_a_file_gone_between_its_stat_and_its_read_is_not_there(
    two_personas: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = two_personas / "c.md"
    real_stat = os.stat

    def stat_then_vanish(path: Any, *arguments: Any, **options: Any) -> os.stat_result:
        status = real_stat(path, *arguments, **options)
        if Path(path) == victim:
            victim.unlink()
        return status

    monkeypatch.setattr(os, "stat", stat_then_vanish)
    assert [s.relative_path for s in read_folder(two_personas, {}, claimed_suffixes())] == [
        "a.md",
        "sub/b.md",
    ]


def test_files_and_folders_renamed_away_and_back_while_read_are_never_a_traceback(
    tmp_path: Path,
) -> None:
    """A real race: 150 files and a folder renamed to and fro while every entry point reads."""
    folder = make_folder(
        tmp_path,
        {
            **{f"p{n:03}.md": persona(f"p{n:03}", f"P {n}") for n in range(150)},
            **{f"sub/s{n}.md": persona(f"s{n}", f"S {n}") for n in range(20)},
        },
    )
    stop = threading.Event()

    def rename_to_and_fro() -> None:
        for round_ in range(20_000):
            if stop.is_set():
                return
            name = folder / f"p{round_ % 150:03}.md"
            name.rename(folder / "moving.tmp")
            (folder / "moving.tmp").rename(name)
            if round_ % 10 == 0:
                (folder / "sub").rename(tmp_path / "sub.tmp")
                (tmp_path / "sub.tmp").rename(folder / "sub")

    renamer = threading.Thread(target=rename_to_and_fro)
    renamer.start()
    snapshots: dict[str, Any] = {}
    try:
        for _ in range(15):
            names = {s.relative_path for s in read_folder(folder, None, claimed_suffixes())}
            names |= {s.relative_path for s in read_folder(folder, snapshots, claimed_suffixes())}
            names |= {p.relative_to(folder).as_posix() for p in find_journey_files(folder)}
            assert names <= {f"p{n:03}.md" for n in range(150)} | {
                f"sub/s{n}.md" for n in range(20)
            }
            assert load_folder(folder).errors == []
    finally:
        stop.set()
        renamer.join()


def test_a_file_that_cannot_be_read_is_an_error_naming_it(
    two_personas: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def refuse_c(path: Any, *arguments: Any, **options: Any) -> int:
        if Path(path).name == "c.md":
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real_open(path, *arguments, **options)

    monkeypatch.setattr(os, "open", refuse_c)
    assert messages(two_personas) == [
        "c.md:1:1: error: cannot read the file: Permission denied [cjm.unreadable]"
    ]


# ---------------------------------------------------------------------------
# Symbolic links: followed only inside the journeys folder


OUTSIDE = (
    "symbolic link to {target!r} leads outside the journeys folder (or to a hidden file, or "
    "round in a loop); only links to files inside it are followed [cjm.symlink-outside]"
)


def _links(root: Path, secret: Path) -> dict[str, str]:
    """Link (inside ``root``/journeys) -> target: some stay inside, some lead out."""
    return {
        "personas/outside.md": "../../secret.md",
        "personas/absolute.md": str(secret),
        "personas/back-in.md": "../../journeys/personas/ann.md",  # leaves, even if to come back
        "personas/hidden.md": "../.drafts/ann.md",
        "personas/loop.md": "loop.md",
        "personas/same.md": "ann.md",
        "personas/via-folder.md": "../linked/ann.md",
        "linked": "personas",  # a folder link: not listed, but a link may go through it
        "personas/dangling.md": "nobody.md",
    }


def _make_links(root: Path) -> Path:
    secret = root / "secret.md"
    secret.write_text("---\ntype: persona\nname: The secret\n---\nTOP SECRET\n", encoding="utf-8")
    folder = make_folder(
        root,
        {
            "personas/ann.md": "---\ntype: persona\nname: Ann\n---\nAnn's story.\n",
            ".drafts/ann.md": persona("draft", "Draft"),
        },
    )
    for link, target in _links(root, secret).items():
        os.symlink(target, folder / link)
    return folder


def _expected_link_errors(root: Path) -> list[str]:
    links = _links(root, root / "secret.md")
    return [
        f"personas/{name}.md:1:1: error: "
        + OUTSIDE.format(target=links[f"personas/{name}.md"][:80])
        for name in ("absolute", "back-in", "hidden", "loop", "outside")
    ]


def test_links_are_followed_only_while_they_stay_inside_the_journeys_folder(
    tmp_path: Path,
) -> None:
    folder = _make_links(tmp_path)
    result = load_folder(folder)
    assert [str(d).replace(f"{load_module.display_path(folder)}/", "") for d in result.errors] == (
        _expected_link_errors(tmp_path)
    )
    refused = [s for s in read_folder(folder, None, claimed_suffixes()) if s.problem is not None]
    assert refused and all(s.data == b"" for s in refused), "a refused link is never read"
    # Inside the folder a link is read as its target, under its own name.
    names = {p.source.relative_path: p.record for p in result.files if p.record is not None}
    assert sorted(names) == ["personas/ann.md", "personas/same.md", "personas/via-folder.md"]
    assert sorted(record.id for record in names.values()) == ["ann", "same", "via-folder"]
    assert {(record.type, record.body) for record in names.values()} == {
        ("persona", "Ann's story.\n")
    }


@pytest.mark.parametrize(
    ("link", "target", "resolved"),
    [
        ("a.md", "b.md", "b.md"),
        ("x/a.md", "../b.md", "b.md"),
        ("x/a.md", "./y/../b.md", "x/b.md"),
        ("a.md", "../journeys/b.md", None),
        ("a.md", "/etc/passwd", None),
        ("a.md", "C:/secret.md", None),
        ("a.md", "\\\\server\\share\\b.md", None),
        ("a.md", ".git/config", None),
        ("a.md", "", None),
        ("a.md", "a.md", None),
    ],
)
def test_resolve_link_stays_inside_the_folder(link: str, target: str, resolved: str | None) -> None:
    assert resolve_link(link, {link: target}.get) == resolved


def test_a_working_tree_and_its_git_revision_read_links_alike(tmp_path: Path) -> None:
    """``cjm diff`` compares a revision with the working tree: links must mean the same."""
    repo = GitRepo(tmp_path / "repo")
    folder = _make_links(repo.root)
    repo.commit("maps with links")

    def seen(result: Any, prefix: str) -> tuple[list[str], list[tuple[str, str, str]]]:
        errors = [
            f"{d.path.removeprefix(prefix)}:{d.line}:{d.col}: {d.message}" for d in result.errors
        ]
        records = [
            (p.source.relative_path, p.record.name, p.record.body)
            for p in result.files
            if p.record is not None
        ]
        return errors, records

    working_tree = seen(load_folder(folder), f"{load_module.display_path(folder)}/")
    sources = revision_sources(repo.root, "HEAD", "journeys")
    assert sources is not None
    revision = seen(load_sources(sources), "HEAD:journeys/")
    assert revision == working_tree
    assert len(working_tree[0]) == 5 and len(working_tree[1]) == 3


# ---------------------------------------------------------------------------
# File names that could never be part of a page


UNSAFE_NAMES = [
    'evil/x" onmouseover="alert(`fname`)" data-x=".md',
    "single'quote.md",
    "back`quote.md",
    "tag<b>.md",
    "back\\slash.md",
    "escape\x1b[31m.md",
    "line\nbreak.md",
    "next\x85line.md",
    'fold"er/plain.md',
]


@pytest.mark.parametrize("name", UNSAFE_NAMES)
def test_file_names_with_quotes_brackets_or_control_characters_are_refused(
    tmp_path: Path, name: str
) -> None:
    """Even when the record sets its own ``id:``: the path makes its edit link."""
    bad = next(c for c in name if c in "\"'`<>\\" or not c.isprintable())
    shown = repr(bad) if bad.isprintable() else f"U+{ord(bad):04X}"
    folder = make_folder(tmp_path, {name: persona("fine-id", "Fine")})
    found = load_folder(folder)
    assert found.registry is None
    [error] = found.errors
    assert error.path.endswith(name) and (error.line, error.col) == (1, 1)
    assert error.code == "cjm.file-name"
    assert error.message == (
        f"file name holds {shown}: quotes, backquotes, '<', '>', backslashes and control "
        "characters are not allowed in the names of files and folders of journey maps; rename it"
    )


def test_unsafe_file_names_are_refused_in_git_revisions_too(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    for name in UNSAFE_NAMES:
        repo.write(f"journeys/{name}", persona("fine-id", "Fine"))
    repo.commit("unsafe names")
    sources = revision_sources(repo.root, "HEAD", "journeys")
    assert sources is not None and len(sources) == len(UNSAFE_NAMES)
    errors = load_sources(sources).errors
    assert sorted(d.path for d in errors) == sorted(f"HEAD:journeys/{n}" for n in UNSAFE_NAMES)
    assert {d.code for d in errors} == {"cjm.file-name"}


def test_a_file_name_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, {})
    (folder / os.fsdecode(b"caf\xe9.md")).write_text(persona("cafe", "Cafe"), encoding="utf-8")
    [error] = load_folder(folder).errors
    assert error.code == "cjm.file-name" and "U+DCE9" in error.message


# ---------------------------------------------------------------------------
# Where the body starts (for the checks of bodies)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("---\ntype: persona\nname: A\n---\nBody\n", 5),
        ("---\ntype: persona\nname: A\n---\n\nBody after a blank line\n", 5),
        ("\ufeff---\r\ntype: persona\r\nname: A\r\n...\r\nBody\r\n", 5),
        ("---\n---\nBody\n", 3),
        ("---\ntype: persona\n---", 4),
    ],
)
def test_the_loader_knows_the_line_where_the_body_starts(text: str, line: int) -> None:
    front = split_front_matter(SourceText("a.md", "a.md", text.encode()))
    assert front.body_line == line
    file_lines = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    assert "\n".join(file_lines[line - 1 :]) == front.body


def test_body_line_counts_every_line_of_the_front_matter() -> None:
    body = "First line of the story.\nSecond.\n"
    text = "---\ntype: persona\nname: Ann\ngoals:\n  - One\n  - Two\n---\n" + body
    front = split_front_matter(SourceText("a.md", "a.md", text.encode()))
    assert text.split("\n")[front.body_line - 1] == "First line of the story."
    assert re.fullmatch(r"First line.*\n", front.body, re.DOTALL)
