"""Mermaid source for journeys: read back with Mermaid's own lexer rules."""

from __future__ import annotations

import html
import re

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cjm_plugin.escape import ZERO_WIDTH_SPACE, visible_text
from cjm_plugin.mermaid import (
    ACTOR_COLOURS,
    JOURNEY_CONFIG,
    format_score,
    journey_diagram,
)
from cjm_plugin.model import Journey

#: The journey lexer of Mermaid 11.x and 12.x (``journeyDiagram-*.mjs`` in
#: node_modules/mermaid and node_modules/mermaid12, the same rules), in its order; jison takes the first rule that
#: matches, case-insensitively. The ``acc_descr_multiline`` state rules are
#: left out: a diagram of ours never opens that state.
_JOURNEY_RULES: list[tuple[str | None, str]] = [
    (None, r"%(?!\{)[^\n]*"),
    (None, r"[^\}]%%[^\n]*"),
    ("NEWLINE", r"[\n]+"),
    (None, r"[\s\ufeff]+"),
    (None, r"#[^\n]*"),
    ("journey", r"journey\b"),
    ("title", r"title\s[^#\n;]+"),
    ("acc_title", r"accTitle\s*:\s*[^\n]*"),
    ("acc_descr", r"accDescr\s*:\s*[^\n]*"),
    ("acc_descr_multiline", r"accDescr\s*\{\s*"),
    ("section", r"section\s[^#:\n;]+"),
    ("taskName", r"[^#:\n;]+"),
    ("taskData", r":[^#\n;]+"),
    ("colon", r":"),
    ("other", r"."),
]
_COMPILED = [(name, re.compile(rule, re.IGNORECASE)) for name, rule in _JOURNEY_RULES]


#: Mermaid cuts a YAML front matter (its diagram config) off before lexing.
_FRONT_MATTER = re.compile(r"^-{3}\s*[\n\r](.*?)[\n\r]-{3}\s*[\n\r]+", re.DOTALL)


def without_front_matter(source: str) -> str:
    """The diagram text Mermaid's lexer sees; the front matter must be our config only."""
    match = _FRONT_MATTER.match(source)
    assert match is not None and match.group(0) == "\n".join(JOURNEY_CONFIG) + "\n"
    return source[match.end() :]


#: What Mermaid does to a diagram's text before lexing it (``encodeEntities``,
#: mermaid 11 and 12 alike): drops the last ``;`` of a line that looks like a
#: ``style`` or ``classDef`` statement, then hides each entity code behind
#: markers that ``decodeEntities`` turns back into ``&#58;`` in the SVG.
_STYLE_LINE = re.compile(r"style.*:\S*#.*;")
_CLASS_DEF_LINE = re.compile(r"classDef.*:\S*#.*;")
_ENTITY = re.compile(r"#\w+;")


def encode_entities(text: str) -> str:
    """Mermaid's ``encodeEntities``."""
    text = _STYLE_LINE.sub(lambda m: m.group()[:-1], text)
    text = _CLASS_DEF_LINE.sub(lambda m: m.group()[:-1], text)

    def hide(match: re.Match[str]) -> str:
        inner = match.group()[1:-1]
        return ("\ufb02\u00b0\u00b0" if re.fullmatch(r"\+?\d+", inner) else "\ufb02\u00b0") + (
            inner + "\u00b6\u00df"
        )

    return _ENTITY.sub(hide, text)


def drawn(token_text: str) -> str:
    """A token's text as the SVG shows it: Mermaid's ``decodeEntities``, then
    the browser reading the entity codes it wrote."""
    decoded = token_text.replace("\ufb02\u00b0\u00b0", "&#").replace("\ufb02\u00b0", "&")
    return html.unescape(decoded.replace("\u00b6\u00df", ";"))


def one_line(text: str) -> str:
    """A text as a Mermaid label must show it: on one line, the rest exactly as written."""
    return " ".join(visible_text(text).replace("\ufffd", " ").split()) or ZERO_WIDTH_SPACE


def journey_tokens(source: str) -> list[tuple[str, str]]:
    """Tokens of a Mermaid ``journey`` as its lexer would produce them, after
    Mermaid's ``encodeEntities``."""
    source = encode_entities(source)
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(source):
        for name, rule in _COMPILED:
            match = rule.match(source, position)
            if match and match.end() > position:
                if name is not None:
                    tokens.append((name, match.group()))
                position = match.end()
                break
    return tokens


def make_journey(stages: list[tuple[str, list[tuple[str, int, list[str]]]]], title: str) -> Journey:
    return Journey.model_validate(
        {
            "type": "journey",
            "id": "j",
            "title": title,
            "personas": ["p0"],
            "stages": [
                {
                    "name": stage,
                    "steps": [
                        {"name": step, "emotion": emotion, "actors": actors}
                        for step, emotion, actors in steps
                    ],
                }
                for stage, steps in stages
            ],
        }
    )


line = st.text(min_size=1, max_size=40).filter(
    lambda s: s.strip() and "\n" not in s and "\r" not in s
)


@settings(max_examples=200, deadline=None)
@given(
    title=line,
    stages=st.lists(
        st.tuples(
            line,
            st.lists(
                st.tuples(
                    line, st.integers(1, 5), st.lists(st.sampled_from(["p0", "p1"]), max_size=2)
                ),
                min_size=1,
                max_size=3,
            ),
        ),
        min_size=1,
        max_size=3,
    ),
    names=st.tuples(line, line),
)
def test_diagram_reads_back_as_one_section_per_stage_and_one_task_per_step(
    title: str,
    stages: list[tuple[str, list[tuple[str, int, list[str]]]]],
    names: tuple[str, str],
) -> None:
    journey = make_journey(stages, title)
    persona_names = {"p0": names[0], "p1": names[1]}
    source = without_front_matter(journey_diagram(journey, persona_names))
    assert not _STYLE_LINE.search(source) and not _CLASS_DEF_LINE.search(source)
    tokens = journey_tokens(source)
    kinds = [kind for kind, _ in tokens if kind != "NEWLINE"]
    expected_kinds = ["journey", "acc_title", "acc_descr", "title"]
    for _, steps in stages:
        expected_kinds.append("section")
        expected_kinds += ["taskName", "taskData"] * len(steps)
    assert kinds == expected_kinds
    # As Mermaid's parser cuts them: "title " and "section " off, and Mermaid
    # draws them as written, character for character.
    [shown_title] = [drawn(text[6:]) for kind, text in tokens if kind == "title"]
    assert shown_title == one_line(title)
    sections = [drawn(text[8:]) for kind, text in tokens if kind == "section"]
    assert sections == [one_line(stage) for stage, _ in stages]
    tasks = [drawn(text) for kind, text in tokens if kind == "taskName"]
    assert tasks == [one_line(step) for _, steps in stages for step, _, _ in steps]
    data = [text for kind, text in tokens if kind == "taskData"]
    for text, (_, emotion, actors) in zip(
        data, [s for _, steps in stages for s in steps], strict=True
    ):
        pieces = text[1:].split(":")  # as Mermaid's addTask splits task data
        assert int(pieces[0]) == emotion
        people = (
            [drawn(person.strip()) for person in pieces[1].split(",")] if len(pieces) > 1 else []
        )
        assert people == [one_line(persona_names[a]) for a in actors]


def test_diagram_of_a_journey_with_hostile_names() -> None:
    journey = make_journey(
        [("section: Start", [("title Looks: around; #1", 2, ["p0"])])],
        "Title %%{init: {}}%%",
    )
    source = journey_diagram(journey, {"p0": "O'Brien, Pat: #1 <b>&amp;"})
    assert source.splitlines() == [
        *JOURNEY_CONFIG,
        "journey",
        "    accTitle: Customer journey#58; Title #37;#37;{init#58; {}}#37;#37;",
        "    accDescr: 1 steps in 1 stages#58; section#58; Start. Emotion from 1 (very negative)"
        " to 5 (very positive), average 2.0.",
        "    title #84;itle #37;#37;{init#58; {}}#37;#37;",
        "    section #115;ection#58; Start",
        "        #116;itle Looks#58; around#59; #35;1: 2:"
        " O'Brien#44; Pat#58; #35;1 #60;b#62;#38;amp#59;",
    ]


def test_diagram_config_is_cjms_own_front_matter() -> None:
    """The front matter is YAML Mermaid reads as the diagram's config, and only
    keys Mermaid lets a diagram set (``securityLevel`` is not among them)."""
    assert JOURNEY_CONFIG[0] == JOURNEY_CONFIG[-1] == "---"
    config = yaml.safe_load("\n".join(JOURNEY_CONFIG[1:-1]))["config"]
    assert set(config) == {"journey", "themeCSS"}
    assert config["journey"]["useMaxWidth"] is False
    css = config["themeCSS"]
    assert css.count("{") == css.count("}"), "Mermaid drops unbalanced CSS"
    assert not re.search(r"[<>\\]|url\(|@import", css)
    for n, colour in enumerate(ACTOR_COLOURS):
        assert f".actor-{n} {{ fill: {colour}; }}" in css
    assert len(set(ACTOR_COLOURS)) == len(ACTOR_COLOURS)


def test_scores_have_one_decimal_whatever_the_locale() -> None:
    assert [format_score(x) for x in (2.0, 8 / 3, 4.25, 1 / 3)] == ["2.0", "2.7", "4.2", "0.3"]
