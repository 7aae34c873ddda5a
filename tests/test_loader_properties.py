"""Property tests: whatever a file holds, loading gives a model or clean errors."""

from __future__ import annotations

import re
import string
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cjm_plugin.load import SourceText, front_matter, load_sources, yaml_values

DIAGNOSTIC_RE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (error|warning): .+ \[cjm\.[a-z-]+\]$"
)

VALID_JOURNEY = {
    "type": "journey",
    "title": "Buys a course",
    "personas": ["jane"],
    "touchpoints": [{"id": "ad", "name": "Ad", "channel": "social"}],
    "stages": [
        {
            "name": "Awareness",
            "steps": [
                {"name": "Sees an ad", "emotion": 3, "touchpoints": ["ad"], "pain_points": ["Dull"]}
            ],
        }
    ],
    "metrics": [{"name": "CSAT", "before": "70%", "after": 85}],
}
VALID_PERSONA = {"type": "persona", "name": "Jane", "goals": ["Learn"]}

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-10, max_value=10),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(["persona", "journey", "touchpoint", "web", "jane", "ad", "2025-01-01"]),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(string.ascii_lowercase + "_", max_size=12), children, max_size=4),
    ),
    max_leaves=12,
)


def check(sources: list[SourceText]) -> None:
    """The property: a registry and no errors, or errors that all point at a file and line."""
    result = load_sources(sources)
    paths = {s.path for s in sources}
    for diagnostic in result.diagnostics:
        text = str(diagnostic)
        assert DIAGNOSTIC_RE.match(text), text
        assert diagnostic.path in paths
        assert diagnostic.line >= 1 and diagnostic.col >= 1
    assert (result.registry is not None) == (not result.errors)


def source(name: str, data: bytes) -> SourceText:
    return SourceText(f"journeys/{name}", name, data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_arbitrary_bytes(data: bytes) -> None:
    check([source("x.md", b"---\n" + data + b"\n---\n"), source("y.md", data)])


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_front_matter(text: str) -> None:
    check([source("x.md", f"---\n{text}\n---\nbody".encode())])


def mutate(document: object, path: list[object], new: object) -> object:
    """Replace (or, with new=None and a dict parent, delete) the value at path."""
    if not path:
        return new
    head, *rest = path
    if isinstance(document, dict) and isinstance(head, str):
        copy = dict(document)
        if rest or new is not None:
            copy[head] = mutate(copy.get(head), rest, new)
        else:
            copy.pop(head, None)
        return copy
    if isinstance(document, list) and isinstance(head, int) and document:
        copy_list = list(document)
        index = head % len(copy_list)
        copy_list[index] = mutate(copy_list[index], rest, new)
        return copy_list
    return new


def paths_of(document: object, prefix: list[object]) -> list[list[object]]:
    found = [prefix]
    if isinstance(document, dict):
        for key, value in document.items():
            found += paths_of(value, [*prefix, key])
    elif isinstance(document, list):
        for i, value in enumerate(document):
            found += paths_of(value, [*prefix, i])
    return found


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_mutated_front_matter(data: st.DataObject) -> None:
    journey: object = VALID_JOURNEY
    for _ in range(data.draw(st.integers(1, 3))):
        target = data.draw(st.sampled_from(paths_of(journey, [])))
        journey = mutate(journey, target, data.draw(values))
    text = yaml.safe_dump(journey, allow_unicode=True, sort_keys=False)
    check(
        [
            source("buy.md", f"---\n{text}---\nNotes\n".encode()),
            source("jane.md", f"---\n{yaml.safe_dump(VALID_PERSONA)}---\n".encode()),
        ]
    )


def test_unmutated_documents_are_valid(tmp_path: Path) -> None:
    """Guards the property tests above: their starting point must itself be valid."""
    text = yaml.safe_dump(VALID_JOURNEY, sort_keys=False)
    result = load_sources(
        [
            source("buy.md", f"---\n{text}---\n".encode()),
            source("jane.md", f"---\n{yaml.safe_dump(VALID_PERSONA)}---\n".encode()),
        ]
    )
    assert result.diagnostics == []
    assert result.ok


#: YAML a journey never needs, which the quick walk hands to the careful one.
yaml_oddities = st.sampled_from(
    [
        "",
        "&a x",
        "&a x\nd: *a",
        "!!binary aGk=",
        "!!python/name:os.system",
        "0x1F",
        "1e400",
        "2025-02-30",
    ]
)


@settings(max_examples=200, deadline=None)
@given(values, yaml_oddities, st.booleans())
def test_quick_walk_gives_the_careful_walks_values(
    value: object, oddity: str, duplicate: bool
) -> None:
    """Both walks agree on every file the quick one accepts, and it accepts plain ones."""
    document = yaml.safe_dump({"a": value, "b": "x"}, sort_keys=False)
    if oddity:
        document += f"c: {oddity}\n"
    if duplicate:
        document += "b: again\n"
    node = yaml.compose(document, Loader=front_matter._Loader)
    assert node is not None
    careful = yaml_values._TreeBuilder(yaml_values.Locator("x.md"), 2)
    try:
        expected = careful.build(node, ())
    except front_matter.Refused:
        expected = None
    try:
        quick = yaml_values._plain_values(node)
    except yaml_values._NeedsPositions:
        assert oddity or duplicate, "a plain document must not need the careful walk"
        return
    assert not careful.problems
    assert quick == expected
    if not oddity and not duplicate:
        assert quick == yaml.safe_load(document)
