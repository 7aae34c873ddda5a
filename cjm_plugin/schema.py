"""The JSON Schema of journey front matter, derived from the model.

Editors with the YAML language server use it to complete and check fields as
users type. It is the model's own schema, loosened only where the loader adds
a default the model then requires (``id`` from the file name).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, TypeAdapter
from pydantic.json_schema import models_json_schema

from . import __version__
from .model import Journey, Persona, Touchpoint
from .output_files import GENERATED_MARK


def front_matter_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) accepting exactly the front matter cjm reads."""
    records = Annotated[Persona | Touchpoint | Journey, Field(discriminator="type")]
    schema = TypeAdapter(records).json_schema(ref_template="#/$defs/{model}")
    for name in ("Persona", "Touchpoint", "Journey"):
        definition = schema["$defs"][name]
        definition["required"] = [f for f in definition.get("required", []) if f != "id"]
        definition["properties"]["id"]["description"] = (
            "Optional: defaults to the file name without .md"
        )
    # if/then per type instead of oneOf: editors then report the one real
    # problem ("'titel' was unexpected") instead of "matches none of 3 schemas".
    mapping = schema.pop("discriminator")["mapping"]
    schema.pop("oneOf")
    schema["type"] = "object"
    schema["required"] = ["type"]
    schema["properties"] = {"type": {"enum": sorted(mapping)}}
    schema["allOf"] = [
        {"if": {"properties": {"type": {"const": kind}}}, "then": {"$ref": mapping[kind]}}
        for kind in sorted(mapping)
    ]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "cjm journey map front matter"
    schema["$comment"] = f"{GENERATED_MARK} schema {__version__}"
    return schema


def _every_field_required(definition: dict[str, Any]) -> None:
    """The export writes every field, defaults included."""
    definition["required"] = sorted(definition.get("properties", {}))


def export_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of ``cjm export --format json``: the model's own
    records, each with every field, its page URL and, for journeys, the site's figures."""
    from .export import EXPORT_FORMAT

    _, defs = models_json_schema(
        [(model, "serialization") for model in (Persona, Touchpoint, Journey)],
        ref_template="#/$defs/{model}",
    )
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": f"{GENERATED_MARK} export schema {__version__}",
        "title": "cjm export",
        "type": "object",
        "additionalProperties": False,
        "required": ["$comment", "format", "journeys", "personas", "touchpoints"],
        "properties": {
            "$comment": {"type": "string"},
            "format": {"const": EXPORT_FORMAT},
            "personas": {"type": "array", "items": {"$ref": "#/$defs/Persona"}},
            "touchpoints": {"type": "array", "items": {"$ref": "#/$defs/Touchpoint"}},
            "journeys": {"type": "array", "items": {"$ref": "#/$defs/Journey"}},
        },
        "$defs": defs["$defs"],
    }
    definitions = schema["$defs"]
    for definition in definitions.values():
        _every_field_required(definition)
    url = {"type": "string", "description": "The page, relative to the site root"}
    for name in ("Persona", "Touchpoint", "Journey", "Step"):
        definitions[name]["properties"]["url"] = url
        definitions[name]["required"].append("url")
    definitions["Stage"]["properties"]["id"] = {"type": "string", "description": "The slug"}
    step = definitions["Step"]["properties"]
    step["number"] = {"type": "integer", "minimum": 1, "description": "1-based in the journey"}
    step["anchor"] = {"type": "string", "description": "The step's anchor on its page"}
    step["actors"] = {"type": "array", "items": {"type": "string"}}
    step["id"] = {
        "type": "string",
        "description": "The step's id: as written, or the slug of its name",
    }
    step["measured"] = {
        "description": "The step's measured emotion (the measurement tables); null without rows",
        "anyOf": [
            {"type": "null"},
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["drift", "emotion", "latest", "metrics", "responses"],
                "properties": {
                    "emotion": {"type": "number", "minimum": 1, "maximum": 5},
                    "drift": {"type": "number"},
                    "metrics": {"type": "array", "items": {"type": "string"}},
                    "responses": {"type": "integer", "minimum": 1},
                    "latest": {"type": "string", "format": "date"},
                },
            },
        ],
    }
    definitions["Step"]["required"] += ["anchor", "measured", "number"]
    number = {"type": "number"}
    share = {"type": "number", "minimum": 0, "maximum": 1}
    definitions["Journey"]["properties"]["figures"] = {
        "type": "object",
        "additionalProperties": False,
        "required": sorted(FIGURES),
        "properties": {
            "average_emotion": number,
            "share_positive": share,
            "share_negative": share,
            "lowest_step": {"type": "integer", "minimum": 1},
            "moments_of_truth": {"type": "integer", "minimum": 0},
            "moments_of_truth_average_emotion": {"type": ["number", "null"]},
            "pain_points": {"type": "integer", "minimum": 0},
        },
    }
    definitions["Journey"]["required"].append("figures")
    for definition in definitions.values():
        definition["required"].sort()
    return schema


#: The figures each exported journey carries.
FIGURES = (
    "average_emotion",
    "share_positive",
    "share_negative",
    "lowest_step",
    "moments_of_truth",
    "moments_of_truth_average_emotion",
    "pain_points",
)
