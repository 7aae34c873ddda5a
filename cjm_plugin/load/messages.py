"""Pydantic's validation errors as diagnostics, in the users' words.

Each error becomes one message at the FILE:LINE:COL of the value (or key) it
is about: what was expected, what was found and, for a misspelt key or choice,
the closest right one. A misspelt required key is reported once, as the
unknown key it is, not also as the missing field it was meant to be.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from ..diagnostics import Code, Diagnostic
from ..model import Action, InlineTouchpoint, Journey, Metric, Stage, Step
from .limits import MAX_PROBLEMS_PER_FILE
from .yaml_values import Loc, Locator, describe

_CHILD_MODELS: dict[tuple[type[BaseModel], str], type[BaseModel]] = {
    (Journey, "stages"): Stage,
    (Stage, "steps"): Step,
    (Journey, "touchpoints"): InlineTouchpoint,
    (Journey, "metrics"): Metric,
    (Journey, "actions"): Action,
}
#: Names pydantic appends to an error location for a member of a union; the
#: validator-wrapped members (``function-after[...]``, ``constrained-str``)
#: are recognised by their shape in ``_clean_loc``.
_UNION_MEMBERS = {"str", "int", "float"}


def _model_at(root: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that holds the mapping at ``loc``."""
    model: type[BaseModel] | None = root
    for part in loc:
        if isinstance(part, int):
            continue
        if model is None:
            return None
        model = _CHILD_MODELS.get((model, part))
    return model


def closest(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    return difflib.get_close_matches(word, sorted(candidates), n=n, cutoff=0.6)


def hint(word: str, candidates: Iterable[str]) -> str:
    matches = closest(word, candidates, n=1)
    return f"; did you mean '{matches[0]}'?" if matches else ""


def _clean_loc(loc: Sequence[str | int], locator: Locator) -> Loc:
    """Drop pydantic's union-member and validator names from an error location."""
    parts = list(loc)
    while (
        parts
        and isinstance(parts[-1], str)
        and not locator.has_value(tuple(parts))
        and (parts[-1] in _UNION_MEMBERS or "[" in parts[-1] or parts[-1].startswith("constrained"))
    ):
        parts.pop()
    return tuple(parts)


def _field_name(loc: Loc) -> str:
    names = [p for p in loc if isinstance(p, str)]
    return names[-1] if names else "front matter"


def _message_for(error: Any, loc: Loc, root: type[BaseModel]) -> tuple[Code, str, bool]:
    """(code, message, at_key) for one pydantic error, in the users' words."""
    kind = error["type"]
    name = _field_name(loc)
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "missing-field", f"missing required field '{loc[-1]}'", False
    if kind == "extra_forbidden":
        model = _model_at(root, loc[:-1])
        known = model.model_fields.keys() if model is not None else ()
        return "unknown-key", f"unknown key '{loc[-1]}'{hint(str(loc[-1]), known)}", True
    if name == "emotion":
        return (
            "emotion-range",
            f"emotion must be an integer from 1 to 5, got {describe(value)}",
            False,
        )
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        choices = re.findall(r"'([^']*)'", expected)
        suggestion = hint(str(value), choices) if isinstance(value, str) else ""
        return (
            "invalid-choice",
            f"'{name}' must be one of {', '.join(choices)}; got {describe(value)}{suggestion}",
            False,
        )
    if kind == "value_error":
        reason = str(ctx.get("error", ""))
        if reason == "slug":
            return (
                "id-format",
                f"'{name}' must be a lower-case slug (letters a-z, digits and single "
                f"hyphens, like 'jane-doe'), got {describe(value)}",
                False,
            )
        if reason == "reserved":
            return (
                "id-format",
                f"'{name}' {describe(value)} is a reserved device name on Windows; "
                "choose another id",
                False,
            )
        if reason == "one-line":
            return "one-line", f"'{name}' must be a single line", False
        if reason == "blank":
            return "empty-value", f"'{name}' must not be empty", False
        if reason == "review-period":
            return (
                "invalid-value",
                f"'{name}' must be a number of days, weeks or calendar months, like "
                f"'90d', '12w' or '6m'; got {describe(value)}",
                False,
            )
        if reason == "date":
            return (
                "date",
                f"'{name}' must be an ISO date (YYYY-MM-DD), got {describe(value)}",
                False,
            )
    if kind == "string_too_long":
        return (
            "too-long",
            f"'{name}' is {len(value)} characters long; at most {ctx.get('max_length')} are allowed",
            False,
        )
    if kind == "too_long":
        return (
            "too-many",
            f"'{name}' has {ctx.get('actual_length')} items; at most {ctx.get('max_length')} are allowed",
            False,
        )
    if kind == "too_short":
        return "empty-list", f"'{name}' needs at least {ctx.get('min_length', 1)} item", False
    if kind == "string_type":
        quote_it = (
            " (put it in quotes to keep it as text)"
            if isinstance(value, (bool, int, float)) or value is None
            else ""
        )
        return "type", f"'{name}' must be text, got {describe(value)}{quote_it}", False
    if kind in ("list_type", "tuple_type"):
        return "type", f"'{name}' must be a list, got {describe(value)}", False
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "type", f"'{name}' must be a mapping of fields, got {describe(value)}", False
    if kind in ("bool_type", "bool_parsing"):
        return "type", f"'{name}' must be true or false, got {describe(value)}", False
    if kind.startswith("int") or kind.startswith("float"):
        return "type", f"'{name}' must be a number, got {describe(value)}", False
    return "invalid-value", f"'{name}': {error['msg']}, got {describe(value)}", False


def diagnostics_from(
    exc: ValidationError, root: type[BaseModel], locator: Locator
) -> list[Diagnostic]:
    by_loc: dict[Loc, list[Any]] = {}
    for error in exc.errors(include_url=False):
        loc = _clean_loc(error["loc"], locator)
        if loc in by_loc or len(by_loc) <= MAX_PROBLEMS_PER_FILE:  # enough to say there are more
            by_loc.setdefault(loc, []).append(error)
    # A misspelt required key is one mistake, not two: report the unknown key
    # (with its hint) and not the missing field it was meant to be.
    meant: set[Loc] = set()
    for loc, errors in by_loc.items():
        if any(e["type"] == "extra_forbidden" for e in errors):
            model = _model_at(root, loc[:-1])
            for match in closest(str(loc[-1]), model.model_fields if model else (), n=1):
                meant.add((*loc[:-1], match))
    result = []
    for loc, errors in by_loc.items():
        if loc in meant and all(e["type"] == "missing" for e in errors):
            continue
        kinds = {e["type"] for e in errors}
        if len(errors) > 1 and kinds <= {"string_type", "int_type", "float_type"}:
            name = _field_name(loc)
            result.append(
                locator.error(
                    loc,
                    "type",
                    f"'{name}' must be text or a number, got {describe(errors[0].get('input'))}",
                )
            )
            continue
        for error in errors:
            code, message, at_key = _message_for(error, loc, root)
            result.append(locator.error(loc, code, message, at_key=at_key))
    return result
