"""The codes of diagnostics are a closed set, described once, documented as described.

``docs/cli.md`` promises the codes never change: the set lives in
``diagnostics.Code`` (mypy refuses any other at a call site), each with its
line in ``CODE_DESCRIPTIONS``, and the docs' table must list exactly those
lines. The fields that name other records are data (``load.references``):
each path must exist in the model, or a reference would go unchecked.
"""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from cjm_plugin import diagnostics
from cjm_plugin.diagnostics import CODE_DESCRIPTIONS, Code
from cjm_plugin.load import MAX_FILE_BYTES, MAX_NESTING, MAX_NUMBER_DIGITS, MAX_PROBLEMS_PER_FILE
from cjm_plugin.load.references import EACH, INLINE_DECLARATIONS, REFERENCES
from cjm_plugin.model import RECORD_TYPES

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "cjm_plugin"
CLI_DOCS = ROOT / "docs" / "cli.md"
#: A row of the docs' table of codes: | `cjm.CODE` | DESCRIPTION |
_DOCS_ROW = re.compile(r"^\| `cjm\.([a-z0-9-]+)` \| (.*) \|$")
#: A code passed to ``error``/``warning`` (or a helper taking one) as a literal.
_CODE_LITERAL = re.compile(r'"([a-z0-9]+(?:-[a-z0-9]+)*)"')


def _documented() -> dict[str, str]:
    text = CLI_DOCS.read_text(encoding="utf-8")
    section = text[text.index("### Codes") : text.index("## `cjm schema`")]
    return {
        match.group(1): match.group(2)
        for line in section.splitlines()
        if (match := _DOCS_ROW.match(line))
    }


def _docs_table() -> str:
    """The table as ``docs/cli.md`` should have it, to paste when it drifts."""
    return "\n".join(f"| `cjm.{code}` | {text} |" for code, text in CODE_DESCRIPTIONS.items())


def test_every_code_has_one_description_and_no_description_lacks_a_code() -> None:
    codes = typing.get_args(Code)
    assert len(codes) == len(set(codes))
    assert list(CODE_DESCRIPTIONS) == list(codes), "same codes, in the same order"
    for code, text in CODE_DESCRIPTIONS.items():
        assert not code.startswith("cjm."), code
        assert text and "\n" not in text and "|" not in text, code


def test_the_docs_list_every_code_with_its_description() -> None:
    documented = _documented()
    assert documented == dict(CODE_DESCRIPTIONS), (
        "docs/cli.md's table of codes differs from diagnostics.CODE_DESCRIPTIONS; "
        "it should read:\n" + _docs_table()
    )
    assert list(documented) == list(CODE_DESCRIPTIONS), "listed in the same order"


def test_the_numbers_in_the_descriptions_are_the_limits() -> None:
    assert f"larger than {MAX_FILE_BYTES // 1_048_576} MiB" in CODE_DESCRIPTIONS["file-too-large"]
    assert f"more than {MAX_NESTING} levels" in CODE_DESCRIPTIONS["yaml-nesting"]
    assert f"more than {MAX_NUMBER_DIGITS} digits" in CODE_DESCRIPTIONS["number-too-long"]
    assert f"more than {MAX_PROBLEMS_PER_FILE} problems" in CODE_DESCRIPTIONS["too-many-problems"]


def test_every_code_is_used_somewhere() -> None:
    """A code no call site passes is one the docs promise but cjm never reports."""
    literals = {
        found
        for path in PACKAGE.rglob("*.py")
        if path.name != "diagnostics.py"
        for found in _CODE_LITERAL.findall(path.read_text(encoding="utf-8"))
    }
    assert set(CODE_DESCRIPTIONS) - literals == set()


def test_a_diagnostic_carries_its_code_with_the_prefix() -> None:
    found = diagnostics.error("j.md", 9, 18, "emotion-range", "emotion must be ...")
    assert found.code == "cjm.emotion-range"
    assert str(found).endswith("[cjm.emotion-range]")


@pytest.mark.parametrize("id_field", REFERENCES + INLINE_DECLARATIONS, ids=repr)
def test_each_field_that_names_records_exists_in_the_model(id_field: object) -> None:
    """A misspelt path in the table would silently check nothing."""
    holder, path, names = id_field.holder, id_field.path, id_field.names  # type: ignore[attr-defined]
    assert holder in RECORD_TYPES and names in RECORD_TYPES
    annotation: object = RECORD_TYPES[holder]
    for part in path:
        if part == EACH:
            assert typing.get_origin(_unwrapped(annotation)) is list, (path, part)
            (annotation,) = typing.get_args(_unwrapped(annotation))
            continue
        model = _unwrapped(annotation)
        assert isinstance(model, type) and issubclass(model, BaseModel), (path, part)
        assert part in model.model_fields, (path, part)
        annotation = model.model_fields[part].annotation
    if id_field in REFERENCES:
        assert _unwrapped(annotation) is str, f"{path} holds ids, not {annotation}"
    else:  # records declared inline, each with its own id
        model = _unwrapped(annotation)
        assert isinstance(model, type) and issubclass(model, BaseModel), path
        assert _unwrapped(model.model_fields["id"].annotation) is str, path


def _unwrapped(annotation: object) -> object:
    """``list[X] | None`` -> ``list[X]``; ``Annotated[X, ...]`` -> ``X``."""
    while True:
        if typing.get_origin(annotation) is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(members) == 1:
            annotation = members[0]
            continue
        return annotation
