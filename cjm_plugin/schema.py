"""The JSON Schema of journey front matter, derived from the model.

Editors with the YAML language server use it to complete and check fields as
users type. It is the model's own schema, loosened only where the loader adds
a default the model then requires (``id`` from the file name).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, TypeAdapter

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
