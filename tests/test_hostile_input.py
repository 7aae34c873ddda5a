"""Hostile or careless journey files, end to end: refused with clear errors, never harmful.

Maps arrive by pull request from many hands. Whatever a map or a plugin
option says, a build writes only inside the site folder, never into docs/ or
the journeys folder, stops on oversized input with a ``FILE:LINE:COL`` error
instead of hanging, and ``cjm`` commands never destroy a file cjm did not
write, nor leave half a file behind.
"""

from __future__ import annotations

import html
import logging
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError
from sites import (
    adversarial_journeys,
    build_site,
    journey,
    persona,
    touchpoint,
    tree_digest,
    valid_maps,
    write_project,
)

from cjm_plugin import output_files
from cjm_plugin.cli import main as cjm_main
from cjm_plugin.load import load_folder
from cjm_plugin.mermaid import journey_diagram
from cjm_plugin.model import MAX_STEPS_PER_JOURNEY, MAX_TEXT_LENGTH

#: Mermaid's default ``maxTextSize``: a longer diagram is not drawn at all.
MERMAID_MAX_TEXT_SIZE = 50_000

#: A hostile command could hang a build; a bound turns that into a failure.
COMMAND_TIMEOUT_S = 120

ERROR_LINE_RE = r"^{file}:\d+:\d+: error: .+ \[cjm\.{code}\]$"


def everything_but_the_site(root: Path) -> dict[str, str]:
    """Every file of a project outside its site folder, hashed."""
    return {
        path: digest
        for path, digest in tree_digest(root).items()
        if not path.startswith("site/") and path != "nav.json"
    }


def validate(journeys_dir: Path) -> tuple[int, str]:
    """``cjm validate`` in its own process, bounded in time: a hang fails the test."""
    completed = subprocess.run(
        [str(Path(sys.executable).with_name("cjm")), "validate", str(journeys_dir)],
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_S,
        cwd=journeys_dir.parent,
    )
    return completed.returncode, completed.stdout + completed.stderr


def failed_build(config_file: Path, caplog: pytest.LogCaptureFixture) -> str:
    """Build a project that must stop; return what was logged and why it stopped."""
    caplog.clear()
    with caplog.at_level(logging.WARNING), pytest.raises(Abort) as stopped:
        build_site(config_file)
    return f"{caplog.text}\n{stopped.value}"


def assert_refused(
    root: Path,
    bad: Mapping[str, tuple[str, str]],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each bad file (path -> text, diagnostic code) gets its ``FILE:LINE:COL`` error from
    the CLI and from the build, and the refused build writes nothing, in the site or out."""
    monkeypatch.chdir(root)
    files = {**valid_maps(), **{relative: text for relative, (text, _) in bad.items()}}
    config_file = write_project(root, files, theme="mkdocs", record_nav=False)
    before = everything_but_the_site(root)
    code, output = validate(root / "journeys")
    assert code == 1, output
    logged = failed_build(config_file, caplog)
    for relative, (_, code_name) in bad.items():
        pattern = ERROR_LINE_RE.format(file=re.escape(f"journeys/{relative}"), code=code_name)
        reported = [line for line in output.splitlines() if re.match(pattern, line)]
        assert reported, (relative, output)
        for line in reported:
            assert line in logged, (line, logged)
    assert everything_but_the_site(root) == before
    assert not (root / "site").exists()


def _one_step(journey_id: str, title: str, **fields: Any) -> str:
    stages = fields.pop("stages", [{"name": "S", "steps": [{"name": "x", "emotion": 3}]}])
    return journey(journey_id, title, ["ann"], stages, **fields)


# ---------------------------------------------------------------------------
# No writes outside the site folder


def test_ids_that_could_escape_the_site_or_clash_are_refused_end_to_end(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = {
        "personas/up.md": (persona("../../outside", "Up"), "id-format"),
        "personas/absolute.md": (persona("/etc/cron-d", "Absolute"), "id-format"),
        "personas/backslash.md": (persona("a\\..\\b", "Backslash"), "id-format"),
        "personas/device.md": (persona("con", "Console"), "id-format"),
        "personas/device-port.md": (persona("lpt1", "Printer"), "id-format"),
        "touchpoints/upper-case.md": (touchpoint("Web", "Website again", "web"), "id-format"),
        "journeys/dots.md": (_one_step("a.b", "Dots"), "id-format"),
        "journeys/stage.md": (
            _one_step(
                "stage",
                "Stage",
                stages=[{"name": "S", "id": "../x", "steps": [{"name": "x", "emotion": 3}]}],
            ),
            "id-format",
        ),
        "journeys/inline.md": (
            _one_step(
                "inline", "Inline", touchpoints=[{"id": "nul", "name": "N", "channel": "web"}]
            ),
            "id-format",
        ),
        # The id defaults to the file name: one differing from "ann" only in case is refused.
        "personas/Ann.md": ("---\ntype: persona\nname: Ann again\n---\n", "id-format"),
        "personas/nul.md": ("---\ntype: persona\nname: Null\n---\n", "id-format"),
    }
    assert_refused(tmp_path, bad, caplog, monkeypatch)


@pytest.mark.parametrize(
    "prefix", ["con", "maps/NUL", "aux.html", "com1/people", "people.", "maps/lpt9.x"]
)
def test_url_prefix_naming_a_device_or_ending_in_a_dot_is_refused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, prefix: str
) -> None:
    config_file = write_project(tmp_path, valid_maps(), plugin={"personas_url": prefix})
    with caplog.at_level(logging.ERROR), pytest.raises((Abort, ConfigurationError)):
        load_config(str(config_file))
    assert "'personas_url': segment" in caplog.text
    assert repr(prefix) in caplog.text


@pytest.mark.parametrize(
    "prefixes",
    [
        {"journeys_url": "Maps", "personas_url": "maps/people"},
        {"personas_url": "People", "touchpoints_url": "people"},
    ],
)
def test_url_prefixes_that_differ_only_in_case_are_refused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, prefixes: dict[str, str]
) -> None:
    config_file = write_project(tmp_path, valid_maps(), plugin=prefixes, theme="mkdocs")
    logged = failed_build(config_file, caplog)
    for name in prefixes:
        assert name in logged


def test_build_writes_only_inside_the_site_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Adversarial text, nested URL prefixes: docs/, journeys/ and the rest stay untouched."""
    monkeypatch.chdir(tmp_path)
    plugin = {"journeys_url": "a/b.c/maps", "personas_url": "a/people", "touchpoints_url": "tp"}
    config_file = write_project(
        tmp_path, adversarial_journeys(), plugin=plugin, theme="mkdocs", record_nav=False
    )
    before = everything_but_the_site(tmp_path)
    site = build_site(config_file)
    assert everything_but_the_site(tmp_path) == before
    assert (site / "a" / "b.c" / "maps" / "evil" / "index.html").is_file()
    assert (site / "a" / "people" / "p" / "index.html").is_file()


# ---------------------------------------------------------------------------
# Size limits: clear errors, no hang


def _many_steps(stages: int, per_stage: int) -> list[dict[str, Any]]:
    return [
        {
            "name": f"Stage {s}",
            "steps": [{"name": f"Step {s}.{n}", "emotion": 3} for n in range(per_stage)],
        }
        for s in range(stages)
    ]


def test_oversized_maps_get_clear_errors(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    huge_front_matter = (
        "---\ntype: journey\ntitle: Huge\npersonas: [ann]\nobjective: |\n"
        + ("  " + "x" * 99 + "\n") * 30_000  # 3 MB
        + "stages: []\n---\n"
    )
    stages = 30
    assert stages * 150 > MAX_STEPS_PER_JOURNEY
    thought = [{"name": "S", "steps": [{"name": "x", "emotion": 3, "thoughts": "y" * 100_000}]}]
    bomb = "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    bad = {
        "journeys/huge.md": (huge_front_matter, "file-too-large"),
        "journeys/steps.md": (
            _one_step("steps", "Steps", stages=_many_steps(stages, 150)),
            "too-many",
        ),
        "journeys/one-stage.md": (
            _one_step("one-stage", "One", stages=_many_steps(1, 3_000)),
            "too-many",
        ),
        "journeys/thought.md": (_one_step("thought", "Thought", stages=thought), "too-long"),
        "personas/name.md": (persona("name", "n" * (MAX_TEXT_LENGTH + 1)), "too-long"),
        "personas/goals.md": (persona("goals", "Goals", goals=["g"] * 10_000), "too-many"),
        "journeys/bomb.md": (
            "---\ntype: journey\na: &a [x, x, x, x, x, x, x, x, x]\n" + bomb + "---\n",
            "yaml-alias",
        ),
    }
    assert_refused(tmp_path, bad, caplog, monkeypatch)


def _wordy_journey() -> str:
    """A valid journey whose Mermaid diagram is longer than Mermaid will draw."""
    words = "moves through the long form " * 110
    steps = [{"name": f"Step {n} {words}".strip(), "emotion": 1 + n % 5} for n in range(20)]
    return journey("wordy", "A very wordy journey", ["ann"], [{"name": "Apply", "steps": steps}])


def test_diagram_over_mermaid_max_text_size_becomes_a_note(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mermaid refuses a diagram over ``maxTextSize``: the grid alone, a note, a warning."""
    monkeypatch.chdir(tmp_path)
    files = {**valid_maps(), "journeys/wordy.md": _wordy_journey()}
    config_file = write_project(tmp_path, files, theme="mkdocs", record_nav=False)
    registry = load_folder(tmp_path / "journeys").registry
    assert registry is not None, "the journey itself is within every loader limit"
    wordy = registry.journeys["wordy"]
    names = {pid: p.name for pid, p in registry.personas.items()}
    assert len(journey_diagram(wordy, names)) > MERMAID_MAX_TEXT_SIZE

    caplog.clear()
    with caplog.at_level(logging.WARNING):
        site = build_site(config_file)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("wordy.md" in w and "[cjm.diagram-too-large]" in w for w in warnings), warnings

    page = (site / "journeys" / "wordy" / "index.html").read_text(encoding="utf-8")
    diagrams = re.findall(r'<pre class="mermaid"><code>(.*?)</code></pre>', page, re.DOTALL)
    assert all(len(html.unescape(d)) <= MERMAID_MAX_TEXT_SIZE for d in diagrams)
    journeys = [d for d in diagrams if re.search(r"^journey$", html.unescape(d), re.M)]
    assert journeys == [], "the journey diagram is left out, not drawn as an error"
    notes = re.findall(r'<div class="admonition[^"]*">(.*?)</div>', page, re.DOTALL)
    assert any("50,000" in note and "Mermaid" in note for note in notes), notes
    for step in wordy.stages[0].steps:
        assert html.escape(step.name, quote=False) in page, "the grid still shows every step"

    caplog.clear()
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        build_site(config_file, strict=True)


# ---------------------------------------------------------------------------
# cjm render / cjm schema: atomic, and never over someone's work


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cjm_main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def _journeys(root: Path, files: Mapping[str, str]) -> Path:
    for relative, text in files.items():
        path = root / "journeys" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "journeys"


def test_render_never_overwrites_a_hand_written_page(tmp_path: Path) -> None:
    journeys_dir = _journeys(tmp_path, valid_maps())
    out = tmp_path / "out"
    (out / "journeys").mkdir(parents=True)
    (out / "journeys" / "index.md").write_text("# My own overview\n")
    (out / "notes.md").write_text("# Meeting notes\n")
    before = tree_digest(out)

    code, output = _run("render", str(journeys_dir), "--out", str(out))
    assert code == 1
    assert "was not written by cjm" in output and "--force" in output
    assert tree_digest(out) == before, "a refusal writes nothing at all"

    assert _run("render", str(journeys_dir), "--out", str(out), "--force")[0] == 0
    assert "Generated by cjm" in (out / "journeys" / "index.md").read_text()
    assert (out / "journeys" / "signup" / "index.md").is_file()
    assert _run("render", str(journeys_dir), "--out", str(out))[0] == 0, "its own pages: fine"

    (journeys_dir / "journeys" / "signup.md").unlink()
    (journeys_dir / "journeys" / "other.md").write_text(
        journey("other", "Other", ["ann"], [{"name": "S", "steps": [{"name": "x", "emotion": 3}]}])
    )
    assert _run("render", str(journeys_dir), "--out", str(out))[0] == 0
    assert not (out / "journeys" / "signup" / "index.md").exists(), "a deleted journey's page"
    assert (out / "notes.md").read_text() == "# Meeting notes\n"


class _DiskFull(OSError):
    pass


def _fail_halfway(monkeypatch: pytest.MonkeyPatch, after_files: int) -> None:
    """Every write after the first ``after_files`` stops halfway through its text."""
    real_fdopen = os.fdopen
    opened = 0

    class HalfWriter:
        def __init__(self, stream: Any) -> None:
            self.stream = stream

        def __enter__(self) -> HalfWriter:
            return self

        def __exit__(self, *exc: object) -> None:
            self.stream.close()

        def write(self, text: str) -> int:
            self.stream.write(text[: len(text) // 2])
            self.stream.flush()
            raise _DiskFull(28, "No space left on device")

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        nonlocal opened
        opened += 1
        stream = real_fdopen(fd, *args, **kwargs)
        return stream if opened <= after_files else HalfWriter(stream)

    monkeypatch.setattr(os, "fdopen", fdopen)  # the os output_files writes with


@pytest.mark.parametrize("after_files", [0, 2])
def test_interrupted_render_leaves_each_old_page_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after_files: int
) -> None:
    journeys_dir = _journeys(tmp_path, valid_maps())
    out = tmp_path / "out"
    assert _run("render", str(journeys_dir), "--out", str(out))[0] == 0
    old = {path: path.read_text() for path in out.rglob("*.md")}
    signup = journeys_dir / "journeys" / "signup.md"
    signup.write_text(signup.read_text().replace("Signs up", "Signs up again"))
    assert _run("render", str(journeys_dir), "--out", str(out))[0] == 0
    new = {path: path.read_text() for path in out.rglob("*.md")}
    assert old != new
    signup.write_text(signup.read_text().replace("Signs up again", "Signs up"))

    _fail_halfway(monkeypatch, after_files)
    with pytest.raises(_DiskFull):
        CliRunner().invoke(
            cjm_main, ["render", str(journeys_dir), "--out", str(out)], catch_exceptions=False
        )
    for path, text in new.items():
        assert path.read_text() in (text, old[path]), f"{path} is whole, old or new"
    left = sorted(p.name for p in out.rglob("*") if p.is_file())
    assert left == sorted([*output_files.RESERVED_NAMES, *(p.name for p in new)]), (
        "no temporary file is left behind (the manifest and its lock stay)"
    )


def test_interrupted_schema_leaves_the_old_schema_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "schema.json"
    assert _run("schema", "--out", str(target))[0] == 0
    old = target.read_bytes()
    _fail_halfway(monkeypatch, 0)
    with pytest.raises(_DiskFull):
        CliRunner().invoke(cjm_main, ["schema", "--out", str(target)], catch_exceptions=False)
    assert target.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir()] == ["schema.json"]
