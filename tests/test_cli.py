"""`cjm validate` and `cjm schema` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from maps import JOURNEY, PERSONA, TOUCHPOINT, make_folder, valid_files

from cjm_plugin.cli import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def test_validate_valid_folder(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, valid_files())
    code, output = run("validate", str(folder))
    assert code == 0
    assert output == "1 journey, 1 persona, 2 touchpoints: 0 errors, 0 warnings\n"


def test_validate_invalid_folder_lists_problems_and_summary(tmp_path: Path) -> None:
    files = valid_files()
    files["buy.md"] = JOURNEY.replace("emotion: 2", "emotion: 7")
    folder = make_folder(tmp_path, files)
    code, output = run("validate", str(folder))
    assert code == 1
    assert output.splitlines() == [
        f"{folder.as_posix()}/buy.md:19:18: error: emotion must be an integer from 1 to 5, "
        "got 7 [cjm.emotion-range]",
        "1 journey, 1 persona, 1 touchpoint: 1 error, 0 warnings",
    ]


def test_validate_strict_fails_on_warnings(tmp_path: Path) -> None:
    files = valid_files()
    for name in ("bob", "carl"):
        files[f"{name}.md"] = PERSONA
    files["buy.md"] = JOURNEY.replace("personas: [jane-doe]", "personas: [jane-doe, bob, carl]")
    folder = make_folder(tmp_path, files)
    assert run("validate", str(folder))[0] == 0
    code, output = run("validate", "--strict", str(folder))
    assert code == 1
    assert output.endswith(": 0 errors, 1 warning\n")


def test_validate_json_and_github_formats(tmp_path: Path) -> None:
    files = valid_files()
    files["buy.md"] = JOURNEY.replace("title:", "titel:")
    folder = make_folder(tmp_path, files)
    code, output = run("validate", "--format", "json", str(folder))
    assert code == 1
    report = json.loads(output)
    assert report["errors"] == 1
    assert report["diagnostics"][0] | {"path": "-"} == {
        "path": "-",
        "line": 3,
        "col": 1,
        "severity": "error",
        "code": "cjm.unknown-key",
        "message": "unknown key 'titel'; did you mean 'title'?",
    }
    code, output = run("validate", "--format", "github", str(folder))
    assert code == 1
    first = output.splitlines()[0]
    assert first.startswith("::error file=")
    assert first.endswith(
        "/buy.md,line=3,col=1,title=cjm.unknown-key::unknown key 'titel'; did you mean 'title'?"
    )


def test_validate_default_folder_and_usage_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_folder(tmp_path, valid_files())
    monkeypatch.chdir(tmp_path)
    code, output = run("validate")
    assert code == 0
    assert "journeys/" not in output
    assert run("validate", "missing-folder")[0] == 2
    assert run("validate", "--format", "xml")[0] == 2


def test_schema_accepts_valid_front_matter_and_rejects_typos(tmp_path: Path) -> None:
    code, output = run("schema")
    assert code == 0
    schema = json.loads(output)
    validator = jsonschema.Draft202012Validator(schema)
    for text in (PERSONA, TOUCHPOINT, JOURNEY):
        front = yaml.safe_load(text.split("---\n")[1])
        assert list(validator.iter_errors(front)) == []
    bad = yaml.safe_load(JOURNEY.split("---\n")[1])
    bad["stages"][0]["steps"][0]["emotion"] = 7
    bad["titel"] = bad.pop("title")
    messages = " | ".join(sorted(e.message for e in validator.iter_errors(bad)))
    assert "'titel' was unexpected" in messages
    assert "'title' is a required property" in messages


def test_schema_out_refuses_foreign_file(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    target.write_text("my own notes")
    code, output = run("schema", "--out", str(target))
    assert code == 1
    assert "was not written by cjm" in output
    assert target.read_text() == "my own notes"
    assert run("schema", "--out", str(target), "--force")[0] == 0
    assert json.loads(target.read_text())["title"] == "cjm journey map front matter"
    assert run("schema", "--out", str(target))[0] == 0, "a file cjm wrote may be rewritten"


def test_render_writes_the_plugin_pages_and_keeps_foreign_files(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, valid_files())
    out = tmp_path / "out"
    code, _ = run("render", str(folder), "--out", str(out))
    assert code == 0
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md"))
    assert written == [
        "journeys/actions/index.md",
        "journeys/buy/index.md",
        "journeys/index.md",
        "personas/jane-doe/index.md",
        "touchpoints/index.md",
    ]
    page = (out / "journeys/buy/index.md").read_text()
    assert page.startswith("<!-- Generated by cjm")
    assert '\n<h1 id="jane-buys-an-online-course">Jane buys an online course</h1>\n' in page

    # A page of a record that is gone is removed; a hand-written file is never touched.
    (out / "notes.md").write_text("mine")
    (folder / "buy.md").rename(folder / "purchase.md")
    assert run("render", str(folder), "--out", str(out))[0] == 0
    assert (out / "journeys/purchase/index.md").exists()
    assert not (out / "journeys/buy/index.md").exists()
    assert (out / "notes.md").read_text() == "mine"


def test_render_refuses_to_overwrite_a_hand_written_page(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, valid_files())
    out = tmp_path / "out"
    (out / "journeys").mkdir(parents=True)
    (out / "journeys" / "index.md").write_text("my own overview")
    code, output = run("render", str(folder), "--out", str(out))
    assert code == 1
    assert "was not written by cjm; use --force" in output
    assert (out / "journeys" / "index.md").read_text() == "my own overview"
    assert not (out / "touchpoints").exists(), "nothing is written when one target is refused"
    assert run("render", str(folder), "--out", str(out), "--force")[0] == 0
    assert (out / "journeys" / "index.md").read_text().startswith("<!-- Generated by cjm")


def test_render_of_invalid_maps_fails_with_locations(tmp_path: Path) -> None:
    files = valid_files()
    files["buy.md"] = JOURNEY.replace("emotion: 2", "emotion: 9")
    folder = make_folder(tmp_path, files)
    code, output = run("render", str(folder), "--out", str(tmp_path / "out"))
    assert code == 1
    assert "/buy.md:19:18: error: emotion must be an integer from 1 to 5, got 9" in output
    assert not (tmp_path / "out").exists()
