"""Measurement tables: read with the same care as journey files, and checked against the maps.

Every bad table is an error at FILE:LINE of the CSV with its column named,
never a traceback; a step the data puts more than a point from its stated
emotion is a ``cjm.emotion-drift`` warning at the step's ``emotion:``.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from html_blocks import Block, read, section
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sites import journey, persona, touchpoint

from cjm_plugin.cli import main
from cjm_plugin.diagnostics import Diagnostic
from cjm_plugin.load import MAX_FILE_BYTES, MAX_PROBLEMS_PER_FILE, ParseCache, load_folder
from cjm_plugin.load import measurements as measurement_tables
from cjm_plugin.load.files import SourceText
from cjm_plugin.load.measurements import COLUMNS, parse_table
from cjm_plugin.load.references import MEASUREMENT_REFERENCES
from cjm_plugin.measured import MeasuredEmotion, Measurement, measured_emotion
from cjm_plugin.registry import Registry

HEADER = "date,journey,step,touchpoint,metric,value,min,max,responses\n"
TABLE = "journeys/measurements/survey.csv"
SIGNUP = "journeys/journeys/signup.md"


def _signup(extra_steps: list[dict[str, object]] | None = None) -> str:
    steps: list[dict[str, object]] = [
        {"name": "Fills the form", "touchpoints": ["web"], "emotion": 4},
        {"name": "Pays", "id": "pays", "touchpoints": ["shop"], "emotion": 2},
        {"name": "Reads the receipt", "touchpoints": ["web"], "emotion": 3},
    ]
    return journey(
        "signup", "Signs up", ["ann"], [{"name": "Join", "steps": steps + (extra_steps or [])}]
    )


def _maps(table: str | bytes | None = None, **more: str | bytes) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        "personas/ann.md": persona("ann", "Ann"),
        "touchpoints/web.md": touchpoint("web", "Website", "web"),
        "touchpoints/shop.md": touchpoint("shop", "Shop till", "store"),
        "journeys/signup.md": _signup(),
    }
    if table is not None:
        files["measurements/survey.csv"] = table
    files.update(more)
    return files


def _write(root: Path, files: dict[str, str | bytes]) -> Path:
    folder = root / "journeys"
    for relative, content in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in ``tmp_path``, so that paths in messages read ``journeys/...``."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _load(root: Path, table: str | bytes | None, **more: str | bytes) -> list[Diagnostic]:
    result = load_folder(_write(root, _maps(table, **more)))
    return result.diagnostics


def _registry(root: Path, table: str, **more: str | bytes) -> Registry:
    result = load_folder(_write(root, _maps(table, **more)))
    assert result.errors == [], result.errors
    assert result.registry is not None
    return result.registry


def _validate(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def _line_of(path: Path, text: str, occurrence: int = 1) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [n for n, line in enumerate(lines, start=1) if text in line]
    return found[occurrence - 1]


# Reading good tables


def test_a_table_in_any_column_order_with_bom_crlf_quotes_and_blank_lines_loads(
    in_tmp: Path,
) -> None:
    text = (
        "metric,value,max,min,touchpoint,date,responses,journey,step\r\n"
        '"CSAT, web survey",4.5,5,1,web,2026-10-01,120,,\r\n'
        "\r\n"
        'ces,"6",7,1,,2026-09-30,,signup,pays\r\n'
        '" nps ",+8.0,10,0,shop,2026-10-02,15,,\r\n'
    )
    data = codecs.BOM_UTF8 + text.encode("utf-8")
    registry = _registry(in_tmp, data)  # type: ignore[arg-type]
    rows = registry.measurements
    assert [(r.line, r.metric, r.value, r.low, r.high, r.responses) for r in rows] == [
        (2, "CSAT, web survey", 4.5, 1.0, 5.0, 120),
        (4, "ces", 6.0, 1.0, 7.0, None),
        (5, "nps", 8.0, 0.0, 10.0, 15),
    ]
    assert rows[0].touchpoint == "web" and rows[0].journey is None
    assert (rows[1].journey, rows[1].step, rows[1].touchpoint) == ("signup", "pays", None)
    assert rows[0].date == dt.date(2026, 10, 1)
    assert {r.path for r in rows} == {TABLE}


def test_a_quoted_cell_over_two_lines_keeps_the_next_rows_lines_right(in_tmp: Path) -> None:
    text = HEADER + '2026-10-01,,,web,"CSAT\nweb",4,1,5,\n2026-10-01,,,web,csat,9,1,5,\n'
    diagnostics = _load(in_tmp, text)
    assert [(d.line, d.col, d.code) for d in diagnostics] == [
        (2, 5, "cjm.one-line"),
        (4, 6, "cjm.invalid-value"),
    ]


def test_a_folder_without_tables_has_no_measurements(in_tmp: Path) -> None:
    registry = _registry(in_tmp, None)  # type: ignore[arg-type]
    assert registry.measurements == ()
    assert registry.measured_emotion("signup", 1) is None
    assert registry.touchpoint_measurements("web") == []


def test_tables_in_hidden_folders_are_not_read(in_tmp: Path) -> None:
    assert _load(in_tmp, None, **{".drafts/bad.csv": "not,a,table\n"}) == []


def test_a_link_out_of_the_folder_is_refused(in_tmp: Path) -> None:
    outside = in_tmp / "outside.csv"
    outside.write_text(HEADER, encoding="utf-8")
    folder = _write(in_tmp, _maps())
    (folder / "linked.csv").symlink_to(outside)
    diagnostics = load_folder(folder).diagnostics
    assert [(d.path, d.code) for d in diagnostics] == [
        ("journeys/linked.csv", "cjm.symlink-outside")
    ]


# Bad tables: FILE:LINE, the column named, never a traceback

ROW = "2026-10-01,,,web,csat,4,1,5,10\n"

BAD_TABLES = [
    pytest.param(
        "date,metric,value,min\n",
        (1, 1, "missing-field", "missing required column 'max'"),
        id="missing column",
    ),
    pytest.param(
        "date,touchpoint,metric,vaule,min,max\n",
        (1, 4, "unknown-key", "unknown column 'vaule'; did you mean 'value'?"),
        id="unknown column",
    ),
    pytest.param(
        "Date,touchpoint,metric,value,min,max\n2026-10-01,web,csat,4,1,5\n",
        (1, 1, "unknown-key", "unknown column 'Date'; did you mean 'date'?"),
        id="column in capitals",
    ),
    pytest.param(
        "date,touchpoint,metric,value,min,max,value\n",
        (1, 7, "duplicate-key", "column 'value' is in the header twice (columns 4 and 7)"),
        id="column twice",
    ),
    pytest.param(
        "date,touchpoint,metric,value,min,max,\n",
        (1, 7, "empty-value", "column 7 of the header has no name"),
        id="header cell without a name",
    ),
    pytest.param("", (1, 1, "missing-field", "the measurement table is empty"), id="empty file"),
    pytest.param(
        HEADER + ",,,web,csat,4,1,5,10\n",
        (2, 1, "empty-value", "column 'date' is empty"),
        id="empty date",
    ),
    pytest.param(
        HEADER + "2026-13-01,,,web,csat,4,1,5,10\n",
        (2, 1, "date", "column 'date': '2026-13-01' is not an ISO date (YYYY-MM-DD)"),
        id="invalid date",
    ),
    pytest.param(
        HEADER + "01/10/2026,,,web,csat,4,1,5,10\n",
        (2, 1, "date", "column 'date': '01/10/2026' is not an ISO date"),
        id="date not ISO",
    ),
    pytest.param(
        HEADER + "2026-10-01,,,web,,4,1,5,10\n",
        (2, 5, "empty-value", "column 'metric' is empty"),
        id="empty metric",
    ),
    pytest.param(
        HEADER + "2026-10-01,,,web,csat,good,1,5,10\n",
        (2, 6, "type", "column 'value': 'good' is not a number"),
        id="value not a number",
    ),
    pytest.param(
        HEADER + '2026-10-01,,,web,csat,"4,5",1,5,10\n',
        (2, 6, "type", "column 'value': '4,5' is not a number (write decimals with a point: 4.5)"),
        id="decimal comma",
    ),
    pytest.param(
        HEADER + "2026-10-01,,,web,csat,nan,1,5,10\n",
        (2, 6, "type", "column 'value': 'nan' is not a number"),
        id="nan",
    ),
    pytest.param(
        HEADER + "2026-10-01,,,web,csat,4,1,1e999,10\n",
        (2, 8, "number-too-long", "column 'max': '1e999' is too large a number"),
        id="infinite max",
    ),
    pytest.param(
        HEADER + "2026-10-01,,,web,csat,4," + "1" * 40 + ",5,10\n",
        (2, 7, "number-too-long", "column 'min': '" + "1" * 40 + "' is longer than 30"),
        id="number too long",
    ),
    pytest.param(
        HEADER + "2026-10-01,,,web,csat,4,,5,10\n",
        (2, 7, "empty-value", "column 'min' is empty"),
        id="empty min",
    ),
    pytest.param(
        HEADER + "2026-10-01,,,web,csat,5,5,5,10\n",
        (2, 8, "invalid-value", "column 'max': the scale's max (5) must be above its min (5)"),
        id="min equals max",
    ),
    pytest.param(
        HEADER + "2026-10-01,,,web,csat,4,10,0,10\n",
        (2, 8, "invalid-value", "column 'max': the scale's max (0) must be above its min (10)"),
        id="min above max",
    ),
    pytest.param(
        HEADER + "2026-10-01,,,web,csat,6,1,5,10\n",
        (2, 6, "invalid-value", "column 'value': 6 is outside the scale 1..5"),
        id="value above max",
    ),
    pytest.param(
        HEADER + "2026-10-01,,,web,nps,-1,0,10,10\n",
        (2, 6, "invalid-value", "column 'value': -1 is outside the scale 0..10"),
        id="value below min",
    ),
    pytest.param(
        HEADER + "2026-10-01,,,web,csat,4,1,5,0\n",
        (2, 9, "invalid-value", "column 'responses': '0' is not a whole number of 1 or more"),
        id="no responses",
    ),
    pytest.param(
        HEADER + "2026-10-01,,,web,csat,4,1,5,12.5\n",
        (2, 9, "invalid-value", "column 'responses': '12.5' is not a whole number"),
        id="responses not whole",
    ),
    pytest.param(
        HEADER + "2026-10-01,,,,csat,4,1,5,10\n",
        (2, 4, "missing-field", "the row names no step and no touchpoint"),
        id="neither step nor touchpoint",
    ),
    pytest.param(
        HEADER + "2026-10-01,,pays,,csat,4,1,5,10\n",
        (2, 2, "missing-field", "column 'journey' is empty: a row naming a step names its journey"),
        id="step without journey",
    ),
    pytest.param(
        HEADER + "2026-10-01,signup,,,csat,4,1,5,10\n",
        (2, 3, "missing-field", "column 'step' is empty"),
        id="journey without step",
    ),
    pytest.param(
        HEADER + "2026-10-01,signup,pays,web,csat,4,1,5,10\n",
        (
            2,
            4,
            "invalid-value",
            "a row names either a step (columns 'journey' and 'step') or a touchpoint, not both",
        ),
        id="step and touchpoint",
    ),
    pytest.param(
        HEADER + "2026-10-01,,,webb,csat,4,1,5,10\n",
        (
            2,
            4,
            "unknown-reference",
            "column 'touchpoint': unknown touchpoint 'webb'; did you mean 'web'?",
        ),
        id="unknown touchpoint",
    ),
    pytest.param(
        HEADER + "2026-10-01,sign-up,pays,,csat,4,1,5,10\n",
        (
            2,
            2,
            "unknown-reference",
            "column 'journey': unknown journey 'sign-up'; did you mean 'signup'?",
        ),
        id="unknown journey",
    ),
    pytest.param(
        HEADER + "2026-10-01,signup,payss,,csat,4,1,5,10\n",
        (
            2,
            3,
            "unknown-reference",
            "column 'step': unknown step 'signup/payss'; did you mean 'signup/pays'?",
        ),
        id="unknown step",
    ),
    pytest.param(
        HEADER + '2026-10-01,,,web,"csat,4,1,5,10\n' + ROW,
        (2, 1, "csv-syntax", "a quoted cell that starts in this row is never closed"),
        id="unterminated quote",
    ),
    pytest.param(
        HEADER + '2026-10-01,,,web,"csat"x,4,1,5,10\n',
        (2, 1, "csv-syntax", "a quoted cell must end at a ','"),
        id="text after a quoted cell",
    ),
    pytest.param(
        HEADER + "2026-10-01,,,web," + "m" * 200_000 + ",4,1,5,10\n",
        (2, 1, "csv-syntax", "a cell is longer than 131,072 characters"),
        id="cell too long",
    ),
    pytest.param(
        HEADER + "2026-10-01,,,web,csat,4,1,5\n",
        (2, 9, "csv-syntax", "the row has 8 cells but the header names 9 columns"),
        id="cell missing",
    ),
    pytest.param(
        HEADER + "2026-10-01,,,web,csat,4,1,5,10,extra\n",
        (2, 10, "csv-syntax", "the row has 10 cells but the header names 9 columns"),
        id="cell too many",
    ),
    pytest.param(
        HEADER + ROW + "2026-10-01,,,web,cs\x00at,4,1,5,10\n",
        (3, 1, "encoding", "file contains a NUL character"),
        id="NUL",
    ),
    pytest.param(
        (HEADER + ROW).encode() + "2026-10-01,,,web,é,4,1,5,10\n".encode("latin-1"),
        (3, 18, "encoding", "file is not valid UTF-8 (byte 0xe9)"),
        id="not UTF-8",
    ),
    pytest.param(
        b"x" * (MAX_FILE_BYTES + 1),
        (1, 1, "file-too-large", "file is larger than 1024 KiB"),
        id="too large",
    ),
]


@pytest.mark.parametrize(("table", "expected"), BAD_TABLES)
def test_a_bad_table_is_an_error_at_its_line_with_the_column_named(
    in_tmp: Path, table: str | bytes, expected: tuple[int, int, str, str]
) -> None:
    line, col, code, message = expected
    errors = [d for d in _load(in_tmp, table) if d.code == f"cjm.{code}"]
    assert errors, "no such error"
    first = errors[0]
    assert (first.path, first.line, first.col, first.code) == (TABLE, line, col, f"cjm.{code}")
    assert message in first.message


def test_validate_names_the_csv_file_line_and_column(in_tmp: Path) -> None:
    _write(in_tmp, _maps(HEADER + ROW + "2026-10-01,,,web,csat,7,1,5,10\n"))
    code, output = _validate("journeys")
    assert code == 1
    assert (
        f"{TABLE}:3:6: error: column 'value': 7 is outside the scale 1..5 of 'min' and 'max' "
        "[cjm.invalid-value]"
    ) in output.splitlines()
    assert "Traceback" not in output


def test_one_run_reports_a_bad_value_and_an_unknown_id_of_the_same_row(in_tmp: Path) -> None:
    diagnostics = _load(in_tmp, HEADER + "2026-10-01,,,webb,csat,7,1,5,10\n")
    assert [(d.line, d.col, d.code) for d in diagnostics] == [
        (2, 4, "cjm.unknown-reference"),
        (2, 6, "cjm.invalid-value"),
    ]


def test_a_step_id_two_steps_share_is_refused_where_a_row_names_it(in_tmp: Path) -> None:
    twice = _signup([{"name": "Fills the form", "emotion": 3}])
    files = _maps(HEADER + "2026-10-01,signup,fills-the-form,,csat,4,1,5,10\n")
    files["journeys/signup.md"] = twice
    diagnostics = load_folder(_write(in_tmp, files)).diagnostics
    assert [(d.path, d.line, d.col, d.code) for d in diagnostics] == [
        (TABLE, 2, 3, "cjm.ambiguous-step")
    ]
    assert diagnostics[0].message.startswith(
        "column 'step': 'fills-the-form' is the id of 2 steps of journey 'signup' (steps 1, 4,"
    )


def test_a_row_naming_an_invalid_journey_is_not_reported_again(in_tmp: Path) -> None:
    files = _maps(HEADER + "2026-10-01,signup,pays,,csat,4,1,5,10\n")
    files["journeys/signup.md"] = _signup().replace("emotion: 2", "emotion: 9")
    diagnostics = load_folder(_write(in_tmp, files)).diagnostics
    assert [(d.path, d.code) for d in diagnostics] == [(SIGNUP, "cjm.emotion-range")]


def test_problems_past_the_cap_are_counted_not_listed(in_tmp: Path) -> None:
    table = HEADER + "2026-10-01,,,web,csat,9,1,5,10\n" * (MAX_PROBLEMS_PER_FILE + 20)
    diagnostics = _load(in_tmp, table)
    assert len(diagnostics) == MAX_PROBLEMS_PER_FILE + 1
    assert diagnostics[0].code == "cjm.too-many-problems"


def test_a_table_past_the_row_cap_is_refused(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(measurement_tables, "MAX_MEASUREMENT_ROWS", 3)
    diagnostics = _load(in_tmp, HEADER + ROW * 4)
    assert [(d.line, d.code) for d in diagnostics] == [(5, "cjm.too-many")]
    assert "more than 3 rows" in diagnostics[0].message


def test_the_columns_naming_records_are_table_columns() -> None:
    """A misspelt column in the references table would silently check nothing."""
    for id_field in MEASUREMENT_REFERENCES:
        assert id_field.holder == "measurement"
        assert id_field.path[0] in COLUMNS
        assert id_field.names in ("journey", "step", "touchpoint")


# The measured emotion


def _row(
    line: int, metric: str, value: float, low: float, high: float, **fields: object
) -> Measurement:
    date = fields.pop("date", dt.date(2026, 10, 1))
    return Measurement("t.csv", line, date, metric, value, low, high, **fields)  # type: ignore[arg-type]


def test_a_value_is_mapped_linearly_onto_one_to_five() -> None:
    assert _row(1, "csat", 1, 1, 5).on_emotion_scale == 1
    assert _row(1, "csat", 5, 1, 5).on_emotion_scale == 5
    assert _row(1, "nps", 5, 0, 10).on_emotion_scale == 3
    assert _row(1, "ces", 7, 1, 7).on_emotion_scale == 5
    assert _row(1, "ces", 4, 1, 7).on_emotion_scale == 3


def test_the_mean_is_weighted_by_responses_one_when_absent() -> None:
    rows = [
        _row(1, "csat", 5, 1, 5, responses=3),
        _row(2, "nps", 0, 0, 10),  # 1 on the emotion scale, weight 1
    ]
    measured = measured_emotion(rows, 2)
    assert measured == MeasuredEmotion(4.0, 2, tuple(rows))
    assert measured.drift == 2.0 and measured.drifted
    assert measured.responses == 4


def test_only_the_latest_date_of_each_metric_counts() -> None:
    old = _row(1, "csat", 1, 1, 5, date=dt.date(2026, 1, 1), responses=500)
    new_a = _row(2, "CSAT", 4, 1, 5, date=dt.date(2026, 6, 1), responses=10)
    new_b = _row(3, "csat", 5, 1, 5, date=dt.date(2026, 6, 1), responses=10)
    other = _row(4, "nps", 10, 0, 10, date=dt.date(2025, 1, 1), responses=20)
    measured = measured_emotion([other, new_b, old, new_a], 4)
    assert measured is not None
    assert measured.rows == (new_a, new_b, other)
    assert measured.value == pytest.approx((4 * 10 + 5 * 10 + 5 * 20) / 40)
    assert measured.metrics == ("CSAT", "nps")
    assert measured.latest == dt.date(2026, 6, 1)


def test_a_drift_of_exactly_one_point_is_no_drift() -> None:
    rows = [_row(1, "a", 2, 0, 4), _row(2, "b", 3, 0, 4)]  # 3 and 4: mean 3.5
    assert measured_emotion(rows, 4) == MeasuredEmotion(3.5, 4, tuple(rows))
    assert not MeasuredEmotion(3.0, 4, tuple(rows)).drifted
    assert MeasuredEmotion(2.99, 4, tuple(rows)).drifted
    assert measured_emotion([], 3) is None


def test_touchpoint_rows_count_for_every_step_using_it_and_step_rows_for_theirs(
    in_tmp: Path,
) -> None:
    table = HEADER + (
        "2026-10-01,,,web,csat,5,1,5,30\n"  # steps 1 and 3 use web
        "2026-10-01,signup,fills-the-form,,ces,1,1,7,10\n"  # step 1 only
        "2026-10-01,,,shop,nps,5,0,10,\n"  # step 2
    )
    registry = _registry(in_tmp, table)
    first = registry.measured_emotion("signup", 1)
    assert first is not None
    assert [row.line for row in first.rows] == [2, 3]
    assert first.value == pytest.approx((5 * 30 + 1 * 10) / 40)
    third = registry.measured_emotion("signup", 3)
    assert third is not None and [row.line for row in third.rows] == [2]
    second = registry.measured_emotion("signup", 2)
    assert second == MeasuredEmotion(3.0, 2, (registry.measurements[2],))
    assert registry.measured_emotion("signup", 4) is None
    assert registry.measured_emotion("signup", 0) is None
    assert registry.measured_emotion("nobody", 1) is None


def test_touchpoint_measurements_come_newest_first_then_by_metric(in_tmp: Path) -> None:
    table = HEADER + (
        "2026-09-01,,,web,nps,8,0,10,\n"
        "2026-10-01,,,web,nps,7,0,10,\n"
        "2026-10-01,,,web,CSAT,4,1,5,\n"
        "2026-08-01,,,web,ces,5,1,7,\n"
        "2026-10-01,,,shop,csat,4,1,5,\n"
        "2026-10-01,signup,fills-the-form,,csat,4,1,5,\n"
    )
    registry = _registry(in_tmp, table)
    rows = registry.touchpoint_measurements("web")
    assert [(str(r.date), r.metric) for r in rows] == [
        ("2026-10-01", "CSAT"),
        ("2026-10-01", "nps"),
        ("2026-09-01", "nps"),
        ("2026-08-01", "ces"),
    ]
    assert registry.touchpoint_measurements("nothing") == []


# Drift


def test_a_touchpoint_csat_far_from_the_steps_emotion_warns_at_the_steps_line(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's "done when": `cjm validate` names the step's file and line."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 12, 1).timestamp())))
    table = HEADER + (
        "2026-10-01,,,shop,csat,4.6,1,5,120\n"  # Pays: stated 2, measured 4.6
        "2026-10-01,,,web,csat,4.2,1,5,80\n"  # steps 1 and 3: 4.2 against 4 and 3
    )
    folder = _write(in_tmp, _maps(table))
    code, output = _validate("journeys", "--format", "text")
    line = _line_of(folder / "journeys/signup.md", "emotion: 2")
    text = (folder / "journeys/signup.md").read_text(encoding="utf-8").splitlines()[line - 1]
    col = text.index("emotion: 2") + len("emotion: ") + 1
    expected = (
        f"{SIGNUP}:{line}:{col}: warning: step 'Pays' states emotion 2 but is measured at 4.6 "
        "(csat; 120 responses, 2026-10-01), a drift of +2.6; measured in "
        f"{TABLE}:2: update the map, or review the data [cjm.emotion-drift]"
    )
    assert expected in output.splitlines()
    drifts = [line for line in output.splitlines() if "emotion-drift" in line]
    assert len(drifts) == 2  # step 3: 4.2 against 3; step 1 agrees (4.2 against 4)
    assert "'Reads the receipt' states emotion 3 but is measured at 4.2" in drifts[1]
    assert code == 0
    strict_code, _ = _validate("journeys", "--strict")
    assert strict_code == 1


def test_a_drift_warning_lists_a_few_rows_then_how_many_more(in_tmp: Path) -> None:
    table = HEADER + "".join(f"2026-10-01,,,shop,m{n},5,1,5,\n" for n in range(6))
    warnings = [d for d in _load(in_tmp, table) if d.code == "cjm.emotion-drift"]
    assert len(warnings) == 1
    assert warnings[0].path == SIGNUP
    assert f"measured in {TABLE}:2, {TABLE}:3, {TABLE}:4 and 3 more:" in warnings[0].message


def test_agreeing_data_gives_no_warning(in_tmp: Path) -> None:
    table = HEADER + "2026-10-01,signup,pays,,csat,2.5,1,5,40\n"  # 2.5 against 2
    assert _load(in_tmp, table) == []


# Serve: an edited table is read again, an unchanged one is not


def test_an_edited_table_is_picked_up_on_the_next_load_through_the_cache(in_tmp: Path) -> None:
    folder = _write(in_tmp, _maps(HEADER + "2026-10-01,,,shop,csat,2,1,5,\n"))
    cache = ParseCache()
    first = load_folder(folder, cache)
    assert first.registry is not None and first.diagnostics == []
    table = folder / "measurements/survey.csv"
    table.write_text(HEADER + "2026-10-02,,,shop,csat,5,1,5,\n", encoding="utf-8")
    second = load_folder(folder, cache)
    assert [d.code for d in second.diagnostics] == ["cjm.emotion-drift"]
    assert second.registry is not None
    assert [r.value for r in second.registry.touchpoint_measurements("shop")] == [5.0]
    table.unlink()
    third = load_folder(folder, cache)
    assert third.diagnostics == [] and third.registry is not None
    assert third.registry.measurements == ()
    assert len(cache) == 4  # the table is forgotten


def test_a_table_with_the_same_bytes_is_not_parsed_again(in_tmp: Path) -> None:
    folder = _write(in_tmp, _maps(HEADER + ROW))
    cache = ParseCache()
    load_folder(folder, cache)
    misses = cache.misses
    os.utime(folder / "measurements/survey.csv")  # touched, not changed
    load_folder(folder, cache)
    assert cache.misses == misses


# Whatever the bytes, rows or diagnostics: never an exception

_CELLS = st.sampled_from(
    [
        "",
        "2026-10-01",
        "2026-02-30",
        "web",
        "signup",
        "pays",
        "csat",
        "4",
        "-1",
        "1e999",
        "0",
        "5",
        "10",
        "x",
        '"',
        '""',
        ",",
        "\n",
        "\r",
        "é",
        "\x00",
        " ",
        "nan",
        "1.5",
    ]
)


def _check(data: bytes) -> None:
    table = parse_table(SourceText("t.csv", "t.csv", data))
    lines = data.count(b"\n") + data.count(b"\r") + 2
    for problem in table.diagnostics:
        assert problem.path == "t.csv"
        assert 1 <= problem.line <= lines, problem
        assert problem.col >= 1
    for row in table.rows:
        assert row.low < row.high and row.low <= row.value <= row.high
        assert 1 <= row.on_emotion_scale <= 5


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_give_rows_or_diagnostics(data: bytes) -> None:
    _check(data)
    _check(HEADER.encode() + data)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_CELLS, min_size=0, max_size=11), max_size=8), st.permutations(COLUMNS))
def test_any_rows_give_rows_or_diagnostics(rows: list[list[str]], columns: list[str]) -> None:
    text = ",".join(columns) + "\n" + "".join(",".join(row) + "\n" for row in rows)
    _check(text.encode("utf-8"))


def test_steps_of_a_future_state_have_no_measured_emotion(in_tmp: Path) -> None:
    later = journey(
        "signup-later",
        "Signs up in 2027",
        ["ann"],
        [
            {
                "name": "Join",
                "steps": [{"name": "Pays", "id": "pays", "touchpoints": ["shop"], "emotion": 5}],
            }
        ],
        state="future",
    )
    table = HEADER + "2026-10-01,,,shop,csat,1,1,5,\n2026-10-01,signup-later,pays,,csat,1,1,5,\n"
    registry = _registry(in_tmp, table, **{"journeys/signup-later.md": later})
    assert registry.measured_emotion("signup-later", 1) is None
    assert registry.measured_emotion("signup", 2) is not None
    warnings = [d.path for d in _load(in_tmp, table, **{"journeys/signup-later.md": later})]
    assert warnings == []  # stated 2, measured 1: no drift; the future state is not compared


# Pages


def measured(blocks: list[Block], touchpoint: str) -> tuple[list[list[str]], list[Block]]:
    """The measurements table under a touchpoint's heading (header first), and the rest."""
    under = section(blocks, touchpoint)
    (found,) = [b for b in under if b.kind == "table" and b.rows[0][0].text == "Date"]
    return [[cell.text for cell in row] for row in found.rows], under


def test_the_touchpoint_index_lists_its_measurements_newest_first(in_tmp: Path) -> None:
    rows = "".join(f"2026-{month:02d}-01,,,web,CSAT,4.5,1,5,1200\n" for month in range(1, 13))
    table = HEADER + rows + "2025-12-01,,,web,nps,8,0,10,\n2026-10-01,,,shop,CES,7,1,7,\n"
    _write(in_tmp, _maps(table))
    result = CliRunner().invoke(main, ["render", "journeys", "--out", "out"])
    assert result.exit_code == 0, result.output
    page = read((in_tmp / "out/touchpoints/index.md").read_text(encoding="utf-8"))
    assert [(b.kind, b.text) for b in page.blocks if b.text in ("Website", "Shop till")] == [
        ("h4", "Website"),
        ("h4", "Shop till"),
    ]
    assert {"web", "shop"} <= {a.get("id") for tag, a in page.tags if tag == "h4"}
    web, under_web = measured(page.blocks, "Website")
    assert web[0] == ["Date", "Metric", "Value", "Emotion scale", "Responses"]
    assert web[1] == ["2026-12-01", "CSAT", "4.5 (1–5)", "4.5", "1,200"]
    dates = [row[0] for row in web[1:]]
    assert dates == [f"2026-{month:02d}-01" for month in range(12, 0, -1)]  # newest first
    assert Block("p", "And 1 earlier measurement.") in under_web
    shop, under_shop = measured(page.blocks, "Shop till")
    assert shop[1:] == [["2026-10-01", "CES", "7 (1–7)", "5.0", "–"]]
    assert not [b for b in under_shop if "earlier measurement" in b.text]


def test_serve_shows_an_edited_table_and_its_errors(tmp_path: Path) -> None:
    from serving import error_at, serving
    from sites import write_project

    files = {k: v for k, v in _maps(HEADER + "2026-10-01,,,web,CSAT,4.2,1,5,80\n").items()}
    config_file = write_project(tmp_path, files, theme="mkdocs", record_nav=False)  # type: ignore[arg-type]
    with serving(config_file, "touchpoints/", "2026-10-01") as server:
        server.write("measurements/survey.csv", HEADER + "2026-11-05,,,web,CSAT,3.9,1,5,80\n")
        server.wait_for_page("touchpoints/", "2026-11-05")
        server.write("measurements/survey.csv", HEADER + "2026-11-06,,,web,CSAT,9,1,5,80\n")
        server.wait_for_rebuild_with_errors(error_at("measurements/survey.csv", "invalid-value"))
        server.write("measurements/survey.csv", HEADER + "2026-11-07,,,web,CSAT,3.1,1,5,80\n")
        server.wait_for_page("touchpoints/", "2026-11-07")
