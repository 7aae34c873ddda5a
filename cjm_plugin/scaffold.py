"""The skeleton files of ``cjm new``: one valid, commented record to fill in.

Pure text: :func:`skeleton` makes the file, :func:`write_new` puts it in its
sub-folder of the journeys folder (``journeys/``, ``personas/``,
``touchpoints/``, as in the example maps), never over an existing file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from slugify import slugify

from .output_files import write_atomically

Kind = Literal["journey", "persona", "touchpoint"]

#: The sub-folder of the journeys folder that holds each kind of record.
FOLDERS: dict[Kind, str] = {
    "journey": "journeys",
    "persona": "personas",
    "touchpoint": "touchpoints",
}


class ScaffoldError(Exception):
    """The file cannot be made: a name without letters or digits, or the file exists."""


@dataclass(frozen=True)
class NewRecord:
    id: str
    path: Path
    text: str
    personas: tuple[str, ...] = ()
    """The persona ids a journey names."""


def record_id(name: str) -> str:
    """The id of a record named ``name``: its slug (``Café Crème!`` -> ``cafe-creme``)."""
    slug: str = slugify(name, max_length=100, word_boundary=True)
    if not slug:
        raise ScaffoldError(f"cannot make an id from {name!r}: the name needs a letter or a digit")
    return slug


def _yaml_text(text: str) -> str:
    """``text`` as a one-line YAML scalar: quoted only where YAML needs it."""
    dumped: str = yaml.safe_dump(text, allow_unicode=True, width=1_000_000)
    return dumped.removesuffix("\n...\n").removesuffix("\n")


def _lines(*pairs: tuple[str | None, str]) -> str:
    """YAML lines with their comments lined up; ``None`` for a comment on a line of its own."""
    out = []
    for code, comment in pairs:
        if code is None:
            out.append(f"# {comment}\n")
        elif comment:
            out.append(f"{code:<36} # {comment}\n")
        else:
            out.append(f"{code}\n")
    return "".join(out)


def _persona(slug: str, name: str) -> str:
    fields = _lines(
        ("type: persona", ""),
        (None, f"journeys name this persona by its id: personas: [{_yaml_text(slug)}]"),
        (f"id: {_yaml_text(slug)}", ""),
        (f"name: {_yaml_text(name)}", "required"),
        ("# role: Marketing manager", "optional, one line"),
        ("# segment: Urban professionals", "optional"),
        ("# demographics:", "optional: label -> text or number"),
        ("#   age: 30", ""),
        ("#   location: Leeds", ""),
        ("# goals: [Save time]", "optional lists of text; quote an item"),
        ("# challenges: [Lack of time]", 'that holds a comma: ["Quick, simple"]'),
        ("# preferences: [Newsletters]", ""),
        ('# quote: "I need tools that save me time."', ""),
    )
    return f"---\n{fields}---\nWho this persona is, in free Markdown: research notes, sources.\n"


def _touchpoint(slug: str, name: str, channel: str) -> str:
    fields = _lines(
        ("type: touchpoint", ""),
        (None, f"journey steps name this touchpoint by its id: touchpoints: [{_yaml_text(slug)}]"),
        (f"id: {_yaml_text(slug)}", ""),
        (f"name: {_yaml_text(name)}", "required"),
        (f"channel: {channel}", "web, mobile-app, email, social, phone, chat,"),
        ("", "store, ads, word-of-mouth or other"),
        ("# category: purchase", "optional: pre-purchase, purchase or post-purchase"),
        ("# owner: web-team", "optional: the team answerable for it"),
    )
    return f"---\n{fields}---\nWhat this touchpoint is, in free Markdown.\n"


def _journey(slug: str, title: str, personas: list[str]) -> str:
    fields = _lines(
        ("type: journey", ""),
        (f"id: {_yaml_text(slug)}", "optional: defaults to the file name"),
        (f"title: {_yaml_text(title)}", "required"),
        (
            f"personas: [{', '.join(map(_yaml_text, personas))}]",
            "persona ids: one or two a journey",
        ),
        ("# state: current", "optional: current (default) or future"),
        ("# compares_to: other-journey", "optional: the id of its other state"),
        ("# objective: Cut drop-off to 25%", "optional"),
        ("# owner: growth-team", "optional: the team answerable for it"),
        ("# tags: [checkout]", "optional"),
        ("# reviewed: 2026-01-31", "optional: when last checked against reality"),
        ("stages:", "the stages, in order: one or more"),
        ("  - name: First stage", "rename it: Awareness, Purchase, ..."),
        ("    # goal: Find a course", "optional: the customer's goal here"),
        ("    steps:", "the stage's steps, in order: one or more"),
        ("      - name: First step", "one line: what the customer does"),
        ("        emotion: 3", "1 very negative, 3 neutral, 5 very positive"),
        ("        # touchpoints: [web-shop]", "touchpoint ids (cjm new touchpoint)"),
        ('        # thoughts: "Worth it?"', "optional"),
        ("        # pain_points: [Slow]", "optional lists of text; quote an item"),
        ("        # opportunities: [Faster]", 'that holds a comma: ["Quick, simple"]'),
        ("        # moment_of_truth: true", "optional, default false"),
        ("        # evidence: assumed", "optional: observed, reported or assumed"),
    )
    return f"---\n{fields}---\nFree Markdown: research notes, sources, context.\n"


def skeleton(kind: Kind, name: str, *, persona: list[str] | None = None, channel: str = "") -> str:
    """The text of a new record file of ``kind`` named ``name``."""
    if "\n" in name or "\r" in name:
        raise ScaffoldError("the name must be one line")
    slug = record_id(name)
    if kind == "persona":
        return _persona(slug, name)
    if kind == "touchpoint":
        return _touchpoint(slug, name, channel)
    return _journey(slug, name, [record_id(p) for p in persona or []])


def plan_new(
    journeys_dir: Path,
    kind: Kind,
    name: str,
    *,
    persona: list[str] | None = None,
    channel: str = "",
) -> NewRecord:
    """Where the new record goes and what it holds; nothing is written."""
    text = skeleton(kind, name, persona=persona, channel=channel)
    slug = record_id(name)
    personas = tuple(record_id(p) for p in persona or []) if kind == "journey" else ()
    return NewRecord(slug, journeys_dir / FOLDERS[kind] / f"{slug}.md", text, personas)


def write_new(record: NewRecord) -> None:
    """Write the record atomically; refused when a file (or anything) is at its path."""
    if record.path.exists() or record.path.is_symlink():
        raise ScaffoldError(f"{record.path} already exists; cjm new never overwrites a file")
    write_atomically(record.path, record.text)
