"""`cjm export`: the maps as JSON and CSV, round-tripping to the registry."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from golden_pages import GOLDEN, load
from hypothesis import given, settings
from hypothesis import strategies as st
from maps import JOURNEY, make_folder, valid_files

from cjm_plugin.cli import main
from cjm_plugin.export import (
    BOM,
    CSV_COLUMNS,
    EXPORT_FORMAT,
    csv_rows,
    export_csv,
    export_document,
    export_json,
    split_cell,
)
from cjm_plugin.load import load_folder
from cjm_plugin.model import Journey, Stage, Step
from cjm_plugin.pages import UrlLayout
from cjm_plugin.registry import Registry
from cjm_plugin.schema import export_schema

EXAMPLES = Path(__file__).resolve().parent.parent / "journeys"


@pytest.fixture(scope="module")
def registry() -> Registry:
    result = load_folder(EXAMPLES)
    assert result.registry is not None, result.diagnostics
    return result.registry


def read_csv(text: str) -> list[dict[str, str]]:
    assert text.startswith(BOM)
    return list(csv.DictReader(io.StringIO(text.removeprefix(BOM), newline="")))


def test_json_validates_against_the_export_schema(registry: Registry) -> None:
    document = json.loads(export_json(registry))
    jsonschema.Draft202012Validator.check_schema(export_schema())
    jsonschema.validate(document, export_schema(), cls=jsonschema.Draft202012Validator)
    assert document["format"] == EXPORT_FORMAT
    assert "£175" in export_json(registry), "UTF-8 as is, not \\u escapes"
    assert [j["id"] for j in document["journeys"]] == sorted(registry.journeys)
    assert [p["id"] for p in document["personas"]] == sorted(registry.personas)
    assert [t["id"] for t in document["touchpoints"]] == sorted(registry.touchpoints)


def test_json_carries_urls_numbers_and_figures(registry: Registry) -> None:
    document = json.loads(export_json(registry))
    persona = document["personas"][0]
    assert persona["url"] == f"personas/{persona['id']}/"
    touchpoint = document["touchpoints"][0]
    assert touchpoint["url"] == f"touchpoints/#{touchpoint['id']}"
    for journey in document["journeys"]:
        assert journey["url"] == f"journeys/{journey['id']}/"
        refs = registry.steps(journey["id"])
        steps = [step for stage in journey["stages"] for step in stage["steps"]]
        assert [s["number"] for s in steps] == list(range(1, len(refs) + 1))
        assert [s["emotion"] for s in steps] == [ref.step.emotion for ref in refs]
        assert [s["url"] for s in steps] == [
            f"journeys/{journey['id']}/#{ref.anchor}" for ref in refs
        ]
        model = registry.journeys[journey["id"]]
        figures = journey["figures"]
        assert figures["average_emotion"] == round(model.average_emotion, 2)
        _, lowest_step = model.lowest_step
        assert steps[figures["lowest_step"] - 1]["name"] == lowest_step.name
        assert figures["moments_of_truth"] == sum(s["moment_of_truth"] for s in steps)


def test_json_follows_the_url_layout(registry: Registry) -> None:
    layout = UrlLayout(journeys="maps", personas="people", touchpoints="places")
    document = json.loads(export_json(registry, layout))
    assert document["journeys"][0]["url"].startswith("maps/")
    assert document["personas"][0]["url"].startswith("people/")
    assert document["touchpoints"][0]["url"].startswith("places/#")


def test_csv_has_every_step_once_with_its_emotion(registry: Registry) -> None:
    text = export_csv(registry)
    rows = read_csv(text)
    assert tuple(rows[0]) == CSV_COLUMNS
    expected = [
        (ref.journey.id, str(ref.number), str(ref.step.emotion))
        for journey_id in sorted(registry.journeys)
        for ref in registry.steps(journey_id)
    ]
    assert [(r["journey_id"], r["step_number"], r["emotion"]) for r in rows] == expected
    for row in rows:
        ref = registry.steps(row["journey_id"])[int(row["step_number"]) - 1]
        assert row["step_name"] == ref.step.name
        assert split_cell(row["pain_points"]) == list(ref.step.pain_points)
        assert split_cell(row["touchpoint_ids"]) == list(ref.step.touchpoints)
        assert split_cell(row["actors"]) == ref.journey.actors_of(ref.step)
        assert row["page_url"] == f"journeys/{ref.journey.id}/#{ref.anchor}"


def test_csv_is_rfc_4180_with_a_bom(registry: Registry) -> None:
    data = export_csv(registry).encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf" + ",".join(CSV_COLUMNS).encode() + b"\r\n")
    assert data.endswith(b"\r\n")
    assert data.decode("utf-8-sig").count("\r\n") == len(csv_rows(registry))


def test_exports_are_reproducible(registry: Registry) -> None:
    again = load_folder(EXAMPLES).registry
    assert again is not None
    assert export_json(again) == export_json(registry)
    assert export_csv(again) == export_csv(registry)


def one_step_registry(pain_points: list[str]) -> Registry:
    step = Step(name="Pays", emotion=2, pain_points=pain_points)
    journey = Journey(
        type="journey",
        id="buy",
        title="Buy",
        personas=["jane"],
        stages=[Stage(name="Pay", steps=[step])],
    )
    return Registry.build({}, {}, {"buy": journey})


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=6))
def test_list_cells_split_back_into_the_same_items(pain_points: list[str]) -> None:
    text = export_csv(one_step_registry(pain_points))
    (row,) = read_csv(text)
    assert split_cell(row["pain_points"]) == pain_points
    assert split_cell(row["opportunities"]) == []


@pytest.mark.parametrize(
    "items",
    [
        ['a, "quoted" item', "line\nbreak", "crlf\r\nend", "back\\slash\\n"],
        [""],
        ["", ""],
        ["Été – café"],
    ],
)
def test_awkward_items_stay_whole(items: list[str]) -> None:
    (row,) = read_csv(export_csv(one_step_registry(items)))
    assert split_cell(row["pain_points"]) == items


def run(*args: str) -> tuple[int, str, bytes]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stderr, result.stdout_bytes


def test_cli_writes_to_stdout(tmp_path: Path, registry: Registry) -> None:
    code, _, out = run("export", str(EXAMPLES), "--format", "json")
    assert code == 0
    assert out == export_json(registry).encode("utf-8")
    code, _, out = run("export", str(EXAMPLES), "--format", "csv")
    assert code == 0
    assert out == export_csv(registry).encode("utf-8")


@pytest.mark.parametrize("output_format", ["json", "csv"])
def test_cli_writes_out_and_refuses_foreign_files(tmp_path: Path, output_format: str) -> None:
    folder = make_folder(tmp_path, valid_files())
    target = tmp_path / f"maps.{output_format}"
    code, err, _ = run("export", str(folder), "--format", output_format, "--out", str(target))
    assert code == 0, err
    first = target.read_bytes()
    assert run("export", str(folder), "--format", output_format, "--out", str(target))[0] == 0
    assert target.read_bytes() == first, "byte-for-byte the same, and ours to rewrite"
    target.write_text("my own notes")
    code, err, _ = run("export", str(folder), "--format", output_format, "--out", str(target))
    assert code == 1
    assert "was not written by cjm" in err
    assert target.read_text() == "my own notes"
    assert (
        run("export", str(folder), "--format", output_format, "--out", str(target), "--force")[0]
        == 0
    )
    assert target.read_bytes() == first


def test_cli_refuses_a_csv_export_over_a_json_one(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, valid_files())
    target = tmp_path / "maps.txt"
    assert run("export", str(folder), "--out", str(target))[0] == 0
    assert run("export", str(folder), "--format", "csv", "--out", str(target))[0] == 1


def test_cli_invalid_maps_print_locations_and_exit_1(tmp_path: Path) -> None:
    folder = make_folder(
        tmp_path, {**valid_files(), "buy.md": JOURNEY.replace("emotion: 2", "emotion: 9")}
    )
    code, err, out = run("export", str(folder))
    assert code == 1
    assert out == b""
    assert f"{folder / 'buy.md'}:" in err
    assert "error" in err


def test_cli_schema_export() -> None:
    code, _, out = run("schema", "--export")
    assert code == 0
    assert json.loads(out) == export_schema()


@pytest.mark.parametrize("folder", [EXAMPLES, GOLDEN / "journeys"], ids=["example", "golden"])
def test_the_json_is_what_the_standard_library_writes(folder: Path) -> None:
    """orjson writes it, for speed; the bytes are json.dumps's, indent and order alike."""
    registry = load(folder)
    expected = json.dumps(export_document(registry), indent=2, sort_keys=True, ensure_ascii=False)
    assert export_json(registry) == expected + "\n"


def test_an_integer_past_64_bits_is_written_too(tmp_path: Path) -> None:
    files = valid_files()
    persona = str(files["jane-doe.md"])
    assert "\nname: " in persona
    files["jane-doe.md"] = persona.replace(
        "\nname: ", "\ndemographics:\n  customer number: 123456789012345678901234\nname: ", 1
    )
    registry = load(make_folder(tmp_path, files))
    assert '"customer number": 123456789012345678901234' in export_json(registry)
