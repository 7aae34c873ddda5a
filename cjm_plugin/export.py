"""The maps as data for other tools: one JSON document, or one CSV row a step.

Both are pure functions of a registry and a URL layout, so ``cjm export`` and
a site build publish the same bytes. Output is deterministic: records in id
order, keys sorted, no timestamps.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import orjson

from .figures import figures_of
from .measured import MeasuredEmotion
from .model import Journey, Persona, Touchpoint
from .output_files import GENERATED_MARK, carries_json_mark, starts_with_line
from .registry import Registry, StepRef
from .urls import DEFAULT_LAYOUT, UrlLayout

#: The ``format`` of the JSON document: its number changes when a field changes meaning.
EXPORT_FORMAT = "cjm-export/1"

#: The JSON document's ``$comment``: how ``cjm export --out`` knows a file it may replace.
EXPORT_COMMENT = f"{GENERATED_MARK} export"

#: What starts a CSV export: the byte order mark, so spreadsheets read UTF-8.
BOM = "\ufeff"

#: The CSV columns, in order.
CSV_COLUMNS = (
    "journey_id",
    "journey_title",
    "state",
    "stage_id",
    "stage_name",
    "step_number",
    "step_name",
    "emotion",
    "actors",
    "touchpoint_ids",
    "channels",
    "pain_points",
    "opportunities",
    "moment_of_truth",
    "page_url",
)

#: Joins the items of a list cell; the cell is quoted, so items may hold commas and quotes.
LIST_SEPARATOR = "\n"


def _url(uri: str) -> str:
    """``journeys/x/index.md`` -> ``journeys/x/``: the page's URL relative to the site root."""
    return uri.removesuffix("index.md")


def _step_url(layout: UrlLayout, ref: StepRef) -> str:
    return f"{_url(layout.journey_uri(ref.journey.id))}#{ref.anchor}"


def _persona(persona: Persona, layout: UrlLayout) -> dict[str, Any]:
    record = persona.model_dump(mode="json")
    record["url"] = _url(layout.persona_uri(persona.id))
    return record


def _touchpoint(touchpoint: Touchpoint, layout: UrlLayout) -> dict[str, Any]:
    record = touchpoint.model_dump(mode="json")
    record["url"] = f"{_url(layout.touchpoints_uri())}#{touchpoint.id}"
    return record


def journey_figures(journey: Journey, refs: list[StepRef]) -> dict[str, Any]:
    """The figures the site shows about a journey's steps (:mod:`cjm_plugin.figures`)."""
    figures = figures_of(refs)
    return {
        "average_emotion": round(figures.average_emotion, 2),
        "share_positive": figures.share_positive,
        "share_negative": figures.share_negative,
        "lowest_step": figures.lowest.number,
        "moments_of_truth": figures.moments_of_truth,
        "moments_of_truth_average_emotion": figures.moments_average,
        "pain_points": figures.pain_points,
    }


def _measured(measured: MeasuredEmotion | None) -> dict[str, Any] | None:
    """A step's measured emotion as the site shows it; ``None`` without measurements."""
    if measured is None:
        return None
    return {
        "emotion": round(measured.value, 2),
        "drift": round(measured.drift, 2),
        "metrics": list(measured.metrics),
        "responses": measured.responses,
        "latest": measured.latest.isoformat(),
    }


def _journey(journey: Journey, registry: Registry, layout: UrlLayout) -> dict[str, Any]:
    record = journey.model_dump(mode="json")
    refs = registry.steps(journey.id)
    numbered = iter(refs)
    for stage_record, stage in zip(record["stages"], journey.stages, strict=True):
        stage_record["id"] = stage.slug
        for step_record in stage_record["steps"]:
            ref = next(numbered)
            step_record["id"] = ref.step.slug
            step_record["number"] = ref.number
            step_record["anchor"] = ref.anchor
            step_record["measured"] = _measured(registry.measured_emotion(journey.id, ref.number))
            step_record["actors"] = journey.actors_of(ref.step)
            step_record["url"] = _step_url(layout, ref)
    record["url"] = _url(layout.journey_uri(journey.id))
    record["figures"] = journey_figures(journey, refs)
    return record


def export_document(registry: Registry, layout: UrlLayout = DEFAULT_LAYOUT) -> dict[str, Any]:
    """The export as a JSON-ready object (records in id order)."""
    return {
        "$comment": EXPORT_COMMENT,
        "format": EXPORT_FORMAT,
        "personas": [_persona(p, layout) for _, p in sorted(registry.personas.items())],
        "touchpoints": [_touchpoint(t, layout) for _, t in sorted(registry.touchpoints.items())],
        "journeys": [_journey(j, registry, layout) for _, j in sorted(registry.journeys.items())],
    }


def export_json(registry: Registry, layout: UrlLayout = DEFAULT_LAYOUT) -> str:
    """The export as JSON text: sorted keys, two-space indent, UTF-8 as is, final newline.

    Written by orjson, byte for byte what ``json.dumps(indent=2, sort_keys=True,
    ensure_ascii=False)`` writes at a tenth of the time (the site publishes it on
    every build and serve rebuild); by ``json`` for what orjson refuses (an integer
    past 64 bits in a persona's demographics).
    """
    document = export_document(registry, layout)
    try:
        text = orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode()
        return text + "\n"
    except orjson.JSONEncodeError:
        return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r"}
_UNESCAPES = {"\\": "\\", "n": "\n", "r": "\r"}
#: How an empty item is written, so that ``[""]`` and ``[]`` stay apart.
EMPTY_ITEM = "\\e"


def _escape(item: str) -> str:
    if not item:
        return EMPTY_ITEM
    return "".join(_ESCAPES.get(char, char) for char in item)


def _unescape(text: str) -> str:
    if text == EMPTY_ITEM:
        return ""
    out, chars = [], iter(text)
    for char in chars:
        out.append(_UNESCAPES.get(next(chars, ""), "\\") if char == "\\" else char)
    return "".join(out)


def _cell(items: list[str]) -> str:
    """Items joined by line breaks; in an item a line break is ``\\n``, a backslash ``\\\\``."""
    return LIST_SEPARATOR.join(_escape(item) for item in items)


def split_cell(cell: str) -> list[str]:
    """The items of a list cell: the inverse of how the export joins them."""
    return [_unescape(text) for text in cell.split(LIST_SEPARATOR)] if cell else []


def csv_rows(registry: Registry, layout: UrlLayout = DEFAULT_LAYOUT) -> list[list[str]]:
    """One row a step, journeys in id order and steps in order, header first."""
    rows: list[list[str]] = [list(CSV_COLUMNS)]
    for journey_id, journey in sorted(registry.journeys.items()):
        for ref in registry.steps(journey_id):
            step = ref.step
            channels = [
                registry.touchpoints[t].channel if t in registry.touchpoints else ""
                for t in step.touchpoints
            ]
            rows.append(
                [
                    journey.id,
                    journey.title,
                    journey.state,
                    ref.stage.slug,
                    ref.stage.name,
                    str(ref.number),
                    step.name,
                    str(step.emotion),
                    _cell(journey.actors_of(step)),
                    _cell(list(step.touchpoints)),
                    _cell(channels),
                    _cell(list(step.pain_points)),
                    _cell(list(step.opportunities)),
                    "true" if step.moment_of_truth else "false",
                    _step_url(layout, ref),
                ]
            )
    return rows


def export_csv(registry: Registry, layout: UrlLayout = DEFAULT_LAYOUT) -> str:
    """The export as CSV text (RFC 4180: ``\\r\\n`` line ends), starting with a BOM.

    Encoded as UTF-8, the text is the file: the BOM makes spreadsheets read
    accents right.
    """
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(csv_rows(registry, layout))
    return BOM + buffer.getvalue()


def may_replace(path: Path, output_format: str) -> bool:
    """True when ``path`` is missing or holds an export cjm wrote in that format.

    A JSON export carries the mark in its ``$comment``; a CSV export cannot
    carry a comment, so its proof is its first line: the BOM and exactly the
    header cjm writes.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return True
    except IsADirectoryError:
        return False
    if output_format == "json":
        return carries_json_mark(data)
    return starts_with_line(data, BOM + ",".join(CSV_COLUMNS))
