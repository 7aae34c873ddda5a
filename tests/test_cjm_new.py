"""`cjm new`: a commented skeleton of a new record, valid as written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cjm_plugin import output_files
from cjm_plugin.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def new(folder: Path, *args: str) -> tuple[int, str, str]:
    return run("new", *args, "--journeys-dir", str(folder))


def front(path: Path) -> object:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_each_kind_is_written_and_validates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "journeys"
    assert new(folder, "persona", "Jane Doe") == (
        0,
        f"{folder.as_posix()}/personas/jane-doe.md\n",
        "",
    )
    code, out, _ = new(folder, "touchpoint", "Checkout page", "--channel", "web")
    assert (code, out) == (0, f"{folder.as_posix()}/touchpoints/checkout-page.md\n")
    code, out, err = new(folder, "journey", "Jane buys a course", "--persona", "jane-doe")
    assert (code, out, err) == (0, f"{folder.as_posix()}/journeys/jane-buys-a-course.md\n", "")

    assert front(folder / "personas/jane-doe.md") == {
        "type": "persona",
        "id": "jane-doe",
        "name": "Jane Doe",
    }
    assert front(folder / "touchpoints/checkout-page.md") == {
        "type": "touchpoint",
        "id": "checkout-page",
        "name": "Checkout page",
        "channel": "web",
    }
    assert front(folder / "journeys/jane-buys-a-course.md") == {
        "type": "journey",
        "id": "jane-buys-a-course",
        "title": "Jane buys a course",
        "personas": ["jane-doe"],
        "stages": [{"name": "First stage", "steps": [{"name": "First step", "emotion": 3}]}],
    }
    text = (folder / "journeys/jane-buys-a-course.md").read_text(encoding="utf-8")
    assert "emotion: 3                   # 1 very negative, 3 neutral, 5 very positive" in text
    # A new map is a draft: valid, but not yet checked against reality.
    code, out, err = run("validate", str(folder))
    assert (code, err) == (0, "")
    assert out.endswith("1 journey, 1 persona, 1 touchpoint: 0 errors, 1 warning\n")
    assert (
        "jane-buys-a-course.md:1:1: warning: journey 'jane-buys-a-course' was never reviewed" in out
    )
    path = folder / "journeys/jane-buys-a-course.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("# reviewed: 2026-01-31", "reviewed: 2026-01-31"),
        encoding="utf-8",
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1769904000")  # 2026-02-01
    assert run("validate", str(folder), "--strict") == (
        0,
        "1 journey, 1 persona, 1 touchpoint: 0 errors, 0 warnings\n",
        "",
    )


def test_journey_names_a_persona_that_does_not_exist_yet(tmp_path: Path) -> None:
    folder = tmp_path / "journeys"
    code, out, err = new(folder, "journey", "Lost card", "--persona", "Ruth Hansen")
    assert (code, out) == (0, f"{folder.as_posix()}/journeys/lost-card.md\n")
    assert err == (
        f"note: {folder.as_posix()}/personas/ruth-hansen.md does not exist: cjm validate "
        "fails until persona 'ruth-hansen' does (cjm new persona \"Ruth Hansen\")\n"
    )
    assert front(folder / "journeys/lost-card.md")["personas"] == ["ruth-hansen"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("name", "file_id", "yaml_name"),
    [
        ("Café Crème", "cafe-creme", "name: Café Crème"),
        ("Jane: the «best» #1!", "jane-the-best-1", "name: 'Jane: the «best» #1!'"),
        ("  Zoë   O'Brien ", "zoe-o-brien", "name: '  Zoë   O''Brien '"),
        ("123", "123", "name: '123'"),
    ],
)
def test_id_is_made_from_the_name(tmp_path: Path, name: str, file_id: str, yaml_name: str) -> None:
    folder = tmp_path / "journeys"
    assert new(folder, "persona", name)[:2] == (0, f"{folder.as_posix()}/personas/{file_id}.md\n")
    path = folder / "personas" / f"{file_id}.md"
    assert any(line.startswith(f"{yaml_name}  ") for line in path.read_text("utf-8").splitlines())
    assert front(path) == {"type": "persona", "id": file_id, "name": name}
    assert run("validate", str(folder))[0] == 0


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    folder = tmp_path / "journeys"
    path = folder / "personas" / "jane-doe.md"
    path.parent.mkdir(parents=True)
    path.write_text("mine\n", encoding="utf-8")
    code, out, err = new(folder, "persona", "Jane Doe")
    assert (code, out) == (1, "")
    assert err == (f"Error: {path.as_posix()} already exists; cjm new never overwrites a file\n")
    assert path.read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("journey", "Lost card"), "a journey needs --persona ID"),
        (("touchpoint", "Branch"), "a touchpoint needs --channel, one of: web, "),
        (("persona", "!!!"), "cannot make an id from '!!!': the name needs a letter or a digit"),
        (("persona", "Jane", "--channel", "web"), "--channel is for touchpoints only"),
        (("touchpoint", "Branch", "--channel", "shop"), "'shop' is not one of"),
    ],
)
def test_usage_errors(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    code, out, err = new(tmp_path / "journeys", *args)
    assert (code, out) == (2, "")
    assert message in err
    assert not (tmp_path / "journeys").exists()


def test_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file appears whole or not at all: written to a temp file, then renamed."""
    renamed: list[tuple[str, str]] = []

    def failing_replace(source: str, target: str | Path) -> None:
        renamed.append((Path(source).name, Path(target).name))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    folder = tmp_path / "journeys"
    code, out, err = new(folder, "persona", "Jane Doe")
    assert (code, out) == (1, "")
    assert err == (
        f"Error: cannot write {folder.as_posix()}/personas/jane-doe.md: No space left on device\n"
    )
    [(temp, target)] = renamed
    assert temp.startswith(".jane-doe.md.") and temp.endswith(".tmp")
    assert target == "jane-doe.md"
    assert os.listdir(folder / "personas") == []
    assert not (folder / output_files.MANIFEST_NAME).exists()
