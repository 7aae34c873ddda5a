"""The registry as Markdown pages: one per journey and persona, the touchpoint
index and the overview.

A pure function of the registry (and of the journeys' revision history when
given): no MkDocs, no clock, no locale, so the plugin, the CLI and the tests
get the same bytes. Pages link to each other with relative Markdown links to
``.md`` files, which MkDocs resolves and checks under ``--strict``.

The pages need these Markdown extensions: ``tables`` (the map grid and every
list of records), ``attr_list`` (the ``{#id}`` anchor of each touchpoint
heading) and ``pymdownx.superfences`` with the ``mermaid`` custom fence (the
journey diagram and the emotion curve). Step anchors are inline
``<span id="...">`` tags, which MkDocs also counts as link targets.

Author text from front matter is escaped through :mod:`cjm_plugin.escape`.
Bodies are the author's own Markdown and go in as written, headings
unchanged: the page's generated sections are ``##`` headings under the one
``#`` title, and bodies are written with ``##`` headings, as in the examples.
"""

from __future__ import annotations

import bisect
import functools
import posixpath
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Generic, NamedTuple, TypeVar

import jinja2

from . import diagnostics as diag
from .diagnostics import Diagnostic
from .escape import markdown_text
from .history import Revision
from .mermaid import (
    EMOTION_WORDS,
    MERMAID_MAX_TEXT_SIZE,
    emotion_curve,
    format_score,
    journey_diagram,
)
from .model import CATEGORIES, CHANNELS, Journey, Persona, Touchpoint
from .output_files import GENERATED_MARK
from .parallel import map_jobs
from .registry import Registry, StepRef

#: A face per emotion score, always shown with the number and its word.
EMOTION_FACES = {1: "😞", 2: "🙁", 3: "😐", 4: "🙂", 5: "😄"}
MOMENT_OF_TRUTH = "⭐ **Moment of truth**"
BULLET = "•"

CATEGORY_TITLES: dict[str | None, str] = {
    "pre-purchase": "Pre-purchase",
    "purchase": "Purchase",
    "post-purchase": "Post-purchase",
    None: "Uncategorised",
}
CHANNEL_TITLES = {
    "web": "Web",
    "mobile-app": "Mobile app",
    "email": "Email",
    "social": "Social",
    "phone": "Phone",
    "chat": "Chat",
    "store": "Store",
    "ads": "Ads",
    "word-of-mouth": "Word of mouth",
    "other": "Other",
}
#: A pain point found on hundreds of steps links the first few: the count says the rest.
MAX_LINKS_PER_PAIN_POINT = 10
STATE_TITLES = {"current": "Current state", "future": "Future state"}
ACTION_STATUS_TITLES = {"planned": "Planned", "in-progress": "In progress", "done": "Done"}


@functools.lru_cache(maxsize=1 << 16)
def _join(*parts: str) -> str:
    return "/".join(part.strip("/") for part in parts if part.strip("/"))


@dataclass(frozen=True)
class UrlLayout:
    """Where generated pages live in the docs folder."""

    journeys: str = "journeys"
    """The overview at ``journeys/index.md``, a journey at ``journeys/<id>/index.md``."""
    personas: str = "personas"
    """A persona at ``personas/<id>/index.md``."""
    touchpoints: str = "touchpoints"
    """The touchpoint index at ``touchpoints/index.md``, an anchor ``#<id>`` each."""

    def overview_uri(self) -> str:
        return _join(self.journeys, "index.md")

    def journey_uri(self, journey_id: str) -> str:
        return _join(self.journeys, journey_id, "index.md")

    def persona_uri(self, persona_id: str) -> str:
        return _join(self.personas, persona_id, "index.md")

    def touchpoints_uri(self) -> str:
        return _join(self.touchpoints, "index.md")


@dataclass(frozen=True)
class Page:
    """One generated Markdown file, ready to hand to MkDocs or write to disk."""

    uri: str
    """Docs-relative path of the Markdown file, ``/`` separators."""
    title: str
    """The page title as plain text (not Markdown)."""
    markdown: str
    kind: str
    """``overview``, ``journey``, ``persona`` or ``touchpoints``."""
    source: str | None
    """The record's path inside the journeys folder, for "edit this page"."""
    diagnostics: tuple[Diagnostic, ...] = ()
    """Warnings about the page, such as a diagram too large for Mermaid to draw."""


@functools.lru_cache(maxsize=1 << 17)
def relative_href(here: str, target: str, anchor: str | None = None) -> str:
    """A link from page ``here`` to page ``target``, both docs-relative ``.md`` paths."""
    fragment = f"#{anchor}" if anchor else ""
    if target == here and fragment:
        return fragment
    return _relative_path(posixpath.dirname(here), target) + fragment


@functools.lru_cache(maxsize=1 << 14)
def _relative_path(folder: str, target: str) -> str:
    """``posixpath.relpath`` for clean docs paths, without its trips to the file system.

    The overview and the touchpoint index hold tens of thousands of links.
    """
    base = folder.split("/") if folder else []
    parts = target.split("/")
    common = 0
    while common < min(len(base), len(parts) - 1) and base[common] == parts[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:])


def emotion_label(score: int) -> str:
    """An emotion score as a face, the number and a word: never colour alone."""
    return f"{EMOTION_FACES[score]} {score}/5 {EMOTION_WORDS[score]}"


def _bullets(items: Iterable[str]) -> str:
    """Escaped list items inside one table cell, one a line."""
    return "<br>".join(f"{BULLET} {markdown_text(item)}" for item in items)


def _cell_value(value: str | float | None) -> str:
    """A metric value as written; numbers without locale, absent as a dash."""
    if value is None:
        return "—"
    return markdown_text(value if isinstance(value, str) else repr(value))


class Links:
    """Markdown links from one page to the other generated pages."""

    def __init__(self, here: str, registry: Registry, layout: UrlLayout) -> None:
        self.here = here
        self.registry = registry
        self.layout = layout

    def _link(self, text: str, target: str, anchor: str | None = None) -> str:
        return f"[{markdown_text(text)}]({relative_href(self.here, target, anchor)})"

    def journey(self, journey: Journey, text: str | None = None) -> str:
        return self._link(text or journey.title, self.layout.journey_uri(journey.id))

    def persona(self, persona_id: str) -> str:
        persona = self.registry.personas.get(persona_id)
        if persona is None:  # the loader refuses unknown ids; show the id, link nothing
            return markdown_text(persona_id)
        return self._link(persona.name, self.layout.persona_uri(persona.id))

    def personas(self, persona_ids: Iterable[str]) -> str:
        return ", ".join(self.persona(persona_id) for persona_id in persona_ids)

    def touchpoint(self, touchpoint_id: str) -> str:
        touchpoint = self.registry.touchpoints.get(touchpoint_id)
        name = touchpoint.name if touchpoint is not None else touchpoint_id
        return self._link(name, self.layout.touchpoints_uri(), touchpoint_id)

    def step(self, ref: StepRef, text: str | None = None) -> str:
        label = text if text is not None else f"{ref.number}. {ref.step.name}"
        return self._link(label, self.layout.journey_uri(ref.journey.id), ref.anchor)

    def overview(self, text: str) -> str:
        return self._link(text, self.layout.overview_uri())


def _row(cells: Sequence[str]) -> str:
    """A Markdown table row; cells are already escaped Markdown."""
    return "| " + " | ".join(cells) + " |"


@dataclass(frozen=True)
class TableLines:
    """Rows of a Markdown table already written as lines, for :func:`_table`.

    The overview's and the touchpoint index's tables are put together from
    lines kept between rebuilds, not written again cell by cell.
    """

    text: str
    """The rows, one a line, without the header; ``""`` for none."""

    def __bool__(self) -> bool:
        """False without rows, as an empty list of rows, for the templates' ``if``."""
        return bool(self.text)


def _table(header: Sequence[str], rows: Iterable[Sequence[str]] | TableLines) -> str:
    """A Markdown table: Material wraps it to scroll sideways on a phone."""
    body = rows.text if isinstance(rows, TableLines) else _row_lines(rows)
    lines = [_row(header), _row(["---"] * len(header))]
    return "\n".join([*lines, body] if body else lines)


def _row_lines(rows: Iterable[Sequence[str]]) -> str:
    """Table rows as the lines :func:`_table` would write for them."""
    return "\n".join(_row(row) for row in rows)


@functools.cache
def _environment() -> jinja2.Environment:
    """Built once: templates ship in the package and never change at run time.

    Autoescape is off because the output is Markdown, not HTML; every value
    is escaped explicitly through ``escape.py`` (the ``md`` filter).
    """
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("cjm_plugin", "templates"),
        autoescape=False,
        keep_trailing_newline=True,
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["md"] = markdown_text
    environment.globals.update(
        emotion=emotion_label,
        score=format_score,
        table=_table,
        bullets=_bullets,
        state_title=STATE_TITLES.__getitem__,
    )
    return environment


#: First line of every page: tells a reader of `cjm render` output where to
#: edit, and lets `cjm render` recognise (and so rewrite) its own files.
GENERATED_COMMENT = f"<!-- {GENERATED_MARK} from the journey files: edit those, not this page. -->"


def _render(template: str, **context: Any) -> str:
    """The comment, then the template's text without the blank lines at its end.

    Joined once from the template's pieces: the touchpoint index runs to
    megabytes, and each further copy of it (to strip, to prepend) costs.
    """
    pieces = [GENERATED_COMMENT, "\n\n", *_environment().get_template(template).generate(**context)]
    while len(pieces) > 2:
        last = pieces[-1].rstrip("\n")
        if last:
            pieces[-1] = last
            break
        pieces.pop()
    pieces.append("\n")
    return "".join(pieces)


def _body(text: str) -> str:
    """The author's Markdown, as written, without the blank lines around it."""
    return text.strip("\n")


def _lowest(refs: Sequence[StepRef]) -> StepRef:
    """The step that feels worst; the first one on a tie, as ``Journey.lowest_step``."""
    return min(refs, key=lambda ref: ref.step.emotion)


def _journey_grid(refs: Sequence[StepRef], links: Links) -> str:
    """Stages as columns (one column per step, under its stage), lanes as rows."""
    lanes: list[tuple[str, Callable[[int, StepRef], str]]] = [
        (
            "Stage goal",
            lambda i, ref: (
                markdown_text(ref.stage.goal or "")
                if i == 0 or refs[i - 1].stage is not ref.stage
                else ""
            ),
        ),
        (
            "Step",
            lambda _, ref: (
                f'<span id="{ref.anchor}"></span>**{ref.number}.** '
                + markdown_text(ref.step.name)
                + (f"<br>{MOMENT_OF_TRUTH}" if ref.step.moment_of_truth else "")
            ),
        ),
        ("Actors", lambda _, ref: links.personas(ref.journey.actors_of(ref.step))),
        ("Touchpoints", lambda _, ref: "<br>".join(map(links.touchpoint, ref.step.touchpoints))),
        ("Emotion", lambda _, ref: emotion_label(ref.step.emotion)),
        ("Thoughts", lambda _, ref: markdown_text(ref.step.thoughts or "")),
        ("Pain points", lambda _, ref: _bullets(ref.step.pain_points)),
        ("Opportunities", lambda _, ref: _bullets(ref.step.opportunities)),
    ]
    header = ["Stage", *(markdown_text(ref.stage.name) for ref in refs)]
    rows = [[f"**{name}**", *(cell(i, ref) for i, ref in enumerate(refs))] for name, cell in lanes]
    return _table(header, rows)


def _states(journey: Journey, registry: Registry) -> list[Journey]:
    """The journey and its other state, current state first, for the emotion curve."""
    other = registry.counterpart(journey.id)
    journeys = [journey] if other is None or other.id == journey.id else [journey, other]
    return sorted(journeys, key=lambda j: (j.state != "current", j.id))


def _journey_page(
    journey: Journey,
    registry: Registry,
    layout: UrlLayout,
    history: Sequence[Revision],
) -> Page:
    uri = layout.journey_uri(journey.id)
    links = Links(uri, registry, layout)
    refs = registry.steps(journey.id)
    other = registry.counterpart(journey.id)
    states = _states(journey, registry)
    actors = {actor for _, step in journey.all_steps() for actor in journey.actors_of(step)}
    persona_names = {
        pid: registry.personas[pid].name
        for pid in sorted(actors | set(journey.personas))
        if pid in registry.personas
    }
    diagram, curve = journey_diagram(journey, persona_names), emotion_curve(states)
    too_large = [
        name
        for name, source in (("journey diagram", diagram), ("emotion curve", curve))
        if len(source) > MERMAID_MAX_TEXT_SIZE
    ]
    warnings = tuple(
        diag.warning(
            journey.source.path,
            1,
            1,
            "diagram-too-large",
            f"the {name} of journey '{journey.id}' is over Mermaid's limit of "
            f"{MERMAID_MAX_TEXT_SIZE:,} characters, so the page shows the journey map without it; "
            "shorten step names or split the journey",
        )
        for name in too_large
    )
    markdown = _render(
        "journey.md.j2",
        journey=journey,
        links=links,
        other=other,
        lowest=_lowest(refs),
        diagram=None if "journey diagram" in too_large else diagram,
        grid=_journey_grid(refs, links),
        states=states,
        curve=None if "emotion curve" in too_large else curve,
        max_text_size=f"{MERMAID_MAX_TEXT_SIZE:,}",
        moments=[ref for ref in refs if ref.step.moment_of_truth],
        metrics=[
            [markdown_text(m.name), _cell_value(m.before), _cell_value(m.after)]
            for m in journey.metrics
        ],
        actions=[
            [
                markdown_text(a.title),
                markdown_text(a.owner or "—"),
                a.due.isoformat() if a.due is not None else "—",
                ACTION_STATUS_TITLES[a.status],
            ]
            for a in journey.actions
        ],
        history=[
            [
                markdown_text(r.date),
                markdown_text(r.commit),
                markdown_text(r.author),
                markdown_text(r.subject),
            ]
            for r in history
        ],
        body=_body(journey.body),
    )
    return Page(uri, journey.title, markdown, "journey", journey.source.relative_path, warnings)


def _persona_page(persona: Persona, registry: Registry, layout: UrlLayout) -> Page:
    uri = layout.persona_uri(persona.id)
    links = Links(uri, registry, layout)
    journeys = [
        [
            links.journey(journey),
            STATE_TITLES[journey.state],
            format_score(journey.average_emotion),
            f"{emotion_label(lowest.step.emotion)}: {links.step(lowest)}",
        ]
        for journey in registry.journeys_of(persona.id)
        for lowest in [_lowest(registry.steps(journey.id))]
    ]
    touchpoints = [
        f"{links.touchpoint(t.id)} ({CHANNEL_TITLES[t.channel]})"
        for t in registry.touchpoints_of(persona.id)
    ]
    demographics = [
        [markdown_text(label), _cell_value(value)] for label, value in persona.demographics.items()
    ]
    markdown = _render(
        "persona.md.j2",
        persona=persona,
        demographics=demographics,
        journeys=journeys,
        touchpoints=touchpoints,
        body=_body(persona.body),
    )
    return Page(uri, persona.name, markdown, "persona", persona.source.relative_path)


@dataclass(frozen=True)
class JourneyRows:
    """A journey's share of the overview and the touchpoint index.

    Those two pages show every journey. Built from these rows, kept between
    ``mkdocs serve`` rebuilds for every journey that did not change, they are
    put together again in a fraction of the time it takes to render them.
    """

    overview_row: tuple[str, ...]
    """The journey's row in the overview's table of journeys."""
    pain_points: tuple[tuple[str, int, str], ...]
    """(pain point, emotion, link from the overview) for each step it is on."""
    stage_names: tuple[str, ...]
    acts: frozenset[tuple[str, str]]
    """(persona id, stage name) wherever a persona acts in the journey."""
    touchpoint_uses: tuple[tuple[str, tuple[str, ...]], ...]
    """(touchpoint id, row in that touchpoint's table) for each step that uses one."""


def journey_rows(journey: Journey, registry: Registry, layout: UrlLayout) -> JourneyRows:
    overview = Links(layout.overview_uri(), registry, layout)
    index = Links(layout.touchpoints_uri(), registry, layout)
    refs = registry.steps(journey.id)
    lowest = _lowest(refs)
    return JourneyRows(
        overview_row=(
            overview.journey(journey),
            overview.personas(journey.personas),
            STATE_TITLES[journey.state],
            str(len(journey.stages)),
            format_score(journey.average_emotion),
            f"{emotion_label(lowest.step.emotion)}: {overview.step(lowest)}",
        ),
        pain_points=tuple(
            (
                pain_point,
                ref.step.emotion,
                overview.step(
                    ref, f"{journey.title} › {ref.stage.name} › {ref.number}. {ref.step.name}"
                ),
            )
            for ref in refs
            for pain_point in dict.fromkeys(ref.step.pain_points)
        ),
        stage_names=tuple(dict.fromkeys(ref.stage.name for ref in refs)),
        acts=frozenset(
            (actor, ref.stage.name) for ref in refs for actor in journey.actors_of(ref.step)
        ),
        touchpoint_uses=tuple(
            (
                touchpoint_id,
                (
                    index.journey(journey),
                    markdown_text(ref.stage.name),
                    index.step(ref),
                    emotion_label(ref.step.emotion),
                    _bullets(ref.step.pain_points),
                ),
            )
            for ref in refs
            for touchpoint_id in dict.fromkeys(ref.step.touchpoints)
        ),
    )


def journey_rows_inputs(registry: Registry, journey: Journey) -> tuple[object, ...]:
    """What a journey's rows show: the journey and the personas it names."""
    return journey, tuple(registry.personas.get(persona_id) for persona_id in journey.personas)


@dataclass(frozen=True)
class _TouchpointEntry:
    touchpoint: Touchpoint
    uses: str
    """The table of the steps that use the touchpoint, or ``""``."""
    body: str


USES_HEADER = ("Journey", "Stage", "Step", "Emotion", "Pain points")

Key = TypeVar("Key", bound=Hashable)
Part = TypeVar("Part")


class _JourneyParts(Generic[Key, Part]):
    """What each journey adds under each key: a pain point, or a touchpoint's uses.

    Keeps, for each key, the ids of the journeys that add to it in id order
    (the registry's order), so that after an edit a key's total is made again
    from its own journeys alone, not from every journey of the site.
    """

    def __init__(self) -> None:
        self._by_journey: dict[str, dict[Key, Part]] = {}
        self._journeys: dict[Key, list[str]] = {}

    def replace(
        self, journey_id: str, parts: dict[Key, Part]
    ) -> dict[Key, tuple[Part | None, Part | None]]:
        """Set what a journey adds (``{}`` once it is gone).

        Returns the keys whose parts changed, each with the journey's part
        before and after (``None`` where it had or has none).
        """
        old = self._by_journey.pop(journey_id, {})
        changed: dict[Key, tuple[Part | None, Part | None]] = {}
        for key, part in old.items():
            if key not in parts:
                journey_ids = self._journeys[key]
                del journey_ids[bisect.bisect_left(journey_ids, journey_id)]
                if not journey_ids:
                    del self._journeys[key]
                changed[key] = part, None
            elif parts[key] != part:
                changed[key] = part, parts[key]
        for key, part in parts.items():
            if key not in old:
                bisect.insort(self._journeys.setdefault(key, []), journey_id)
                changed[key] = None, part
        if parts:
            self._by_journey[journey_id] = parts
        return changed

    def __contains__(self, key: Key) -> bool:
        return key in self._journeys

    def parts(self, key: Key) -> Iterator[Part]:
        """What every journey adds to ``key``, in journey order."""
        for journey_id in self._journeys.get(key, ()):
            yield self._by_journey[journey_id][key]


class _PainPointSteps(NamedTuple):
    """One journey's steps with a pain point: as much as the ranking shows of them."""

    lowest: int
    steps: int
    links: tuple[str, ...]
    """Links to the first few of the steps, as many as a ranking row shows at most."""


def _pain_point_steps(rows: JourneyRows) -> dict[str, _PainPointSteps]:
    """A journey's share of the ranking, by pain point: kept, so as not to go through
    every journey's steps again."""
    emotions: dict[str, list[int]] = {}
    links: dict[str, list[str]] = {}
    for pain_point, emotion, link in rows.pain_points:
        if pain_point in emotions:
            emotions[pain_point].append(emotion)
            links[pain_point].append(link)
        else:
            emotions[pain_point], links[pain_point] = [emotion], [link]
    return {
        pain_point: _PainPointSteps(
            min(steps), len(steps), tuple(links[pain_point][:MAX_LINKS_PER_PAIN_POINT])
        )
        for pain_point, steps in emotions.items()
    }


#: A pain point's place: lowest emotion first, then the most frequent, then by text.
_Rank = tuple[int, int, str]


@dataclass
class _PainPointTotals:
    """A pain point's steps over every journey, counted as journeys come and go."""

    steps: int = 0
    journeys_by_lowest: Counter[int] = field(default_factory=Counter)
    """How many journeys have the pain point at their lowest on each emotion."""

    def count(self, journey: _PainPointSteps, sign: int) -> None:
        """Count a journey's steps in (``sign`` 1) or out (-1)."""
        self.steps += sign * journey.steps
        self.journeys_by_lowest[journey.lowest] += sign

    @property
    def lowest(self) -> int:
        return min(emotion for emotion, journeys in self.journeys_by_lowest.items() if journeys)


def _ranking_row(
    pain_point: str, totals: _PainPointTotals, journeys: Iterable[_PainPointSteps]
) -> tuple[_Rank, str]:
    """A pain point's place in the ranking and its row; links from its first journeys."""
    lowest, steps = totals.lowest, totals.steps
    links: list[str] = []
    for journey in journeys:
        links.extend(journey.links)
        if len(links) >= MAX_LINKS_PER_PAIN_POINT:
            break
    del links[MAX_LINKS_PER_PAIN_POINT:]
    if steps > MAX_LINKS_PER_PAIN_POINT:
        links.append(f"and {steps - MAX_LINKS_PER_PAIN_POINT} more")
    row = [markdown_text(pain_point), emotion_label(lowest), str(steps), "<br>".join(links)]
    return (lowest, -steps, pain_point), _row(row)


def _without(ranks: list[_Rank], gone: set[_Rank]) -> list[_Rank]:
    """A sorted list of ranks without ``gone``: by bisection for a few, else by a filter."""
    if len(gone) * 64 > len(ranks):
        return [rank for rank in ranks if rank not in gone]
    for rank in gone:
        del ranks[bisect.bisect_left(ranks, rank)]
    return ranks


class SiteTables:
    """The overview and the touchpoint index, put together from every journey's rows.

    Both pages show every journey. Kept between ``mkdocs serve`` rebuilds,
    the tables are brought up to date with the rows of the journeys that
    changed (compared by identity: :class:`PageCache` hands back the same
    rows for a journey whose rows it kept), so after one edit only that
    journey's share is done again; what else the pages show (personas,
    touchpoints) is made again when it changes. A new instance gives the same
    bytes as a kept one.
    """

    def __init__(self, layout: UrlLayout) -> None:
        self.layout = layout
        self._rows: dict[str, JourneyRows] = {}
        self._journey_lines: dict[str, str] = {}
        self._journeys_table = TableLines("")
        self._pain_points: _JourneyParts[str, _PainPointSteps] = _JourneyParts()
        self._pain_point_totals: dict[str, _PainPointTotals] = {}
        self._ranked: dict[str, tuple[_Rank, str]] = {}
        self._ranks: list[_Rank] = []
        self._ranking = TableLines("")
        self._uses: _JourneyParts[str, str] = _JourneyParts()
        self._uses_tables: dict[str, str] = {}
        self._entries: dict[str, _TouchpointEntry] = {}
        self._personas: dict[str, Persona] | None = None
        self._persona_items: list[str] = []
        self._coverage: str | None = None

    def update(self, registry: Registry, rows: Mapping[str, JourneyRows]) -> None:
        """Bring the tables to ``rows``, every journey's rows of ``registry`` (in id order)."""
        changes: list[tuple[str, JourneyRows | None]] = [
            (journey_id, None) for journey_id in self._rows if journey_id not in registry.journeys
        ]
        changes.extend(
            (journey_id, rows[journey_id])
            for journey_id in registry.journeys
            if self._rows.get(journey_id) is not rows[journey_id]
        )
        changed_pain_points: set[str] = set()
        changed_touchpoints: set[str] = set()
        for journey_id, journey_rows in changes:
            before = self._rows.pop(journey_id, None)
            if journey_rows is None:
                del self._journey_lines[journey_id]
            else:
                self._rows[journey_id] = journey_rows
                self._journey_lines[journey_id] = _row(journey_rows.overview_row)
            if (
                before is None
                or journey_rows is None
                or before.stage_names != journey_rows.stage_names
                or before.acts != journey_rows.acts
            ):
                self._coverage = None
            pain_points = _pain_point_steps(journey_rows) if journey_rows is not None else {}
            for pain_point, steps in self._pain_points.replace(journey_id, pain_points).items():
                totals = self._pain_point_totals.get(pain_point)
                if totals is None:
                    totals = self._pain_point_totals[pain_point] = _PainPointTotals()
                for sign, journey_steps in zip((-1, 1), steps, strict=True):
                    if journey_steps is not None:
                        totals.count(journey_steps, sign)
                changed_pain_points.add(pain_point)
            uses = _uses_lines(journey_rows) if journey_rows is not None else {}
            changed_touchpoints.update(self._uses.replace(journey_id, uses))
        if changes:
            self._journeys_table = TableLines(
                "\n".join([self._journey_lines[journey_id] for journey_id in registry.journeys])
            )
        self._rank(changed_pain_points)
        for touchpoint_id in changed_touchpoints:
            lines = "\n".join(self._uses.parts(touchpoint_id))
            if lines:
                self._uses_tables[touchpoint_id] = _table(USES_HEADER, TableLines(lines))
            else:
                self._uses_tables.pop(touchpoint_id, None)
        if not _same_records(registry.personas, self._personas):
            self._coverage = None
            self._personas = dict(registry.personas)

    def _rank(self, pain_points: set[str]) -> None:
        """Place the pain points whose steps changed again in the ranking."""
        if not pain_points:
            return
        gone: set[_Rank] = set()
        placed: list[_Rank] = []
        for pain_point in pain_points:
            old = self._ranked.pop(pain_point, None)
            if old is not None:
                gone.add(old[0])
            if pain_point in self._pain_points:
                rank, line = _ranking_row(
                    pain_point,
                    self._pain_point_totals[pain_point],
                    self._pain_points.parts(pain_point),
                )
                self._ranked[pain_point] = rank, line
                placed.append(rank)
            else:
                del self._pain_point_totals[pain_point]
        self._ranks = _without(self._ranks, gone)
        self._ranks.extend(placed)
        self._ranks.sort()  # a sorted run and a few placed: little work
        self._ranking = TableLines("\n".join([self._ranked[rank[2]][1] for rank in self._ranks]))

    def overview(self, registry: Registry) -> Page:
        layout = self.layout
        uri = layout.overview_uri()
        links = Links(uri, registry, layout)
        if self._coverage is None:
            self._persona_items = [
                links.persona(pid) + (f" — {markdown_text(p.role)}" if p.role else "")
                for pid, p in registry.personas.items()
            ]
            self._coverage = self._coverage_table(registry, links) if registry.personas else ""
        markdown = _render(
            "overview.md.j2",
            journeys=self._journeys_table,
            personas=self._persona_items,
            pain_points=self._ranking,
            coverage=self._coverage,
            touchpoints=links._link("Touchpoint index", layout.touchpoints_uri()),
        )
        return Page(uri, "Customer journeys", markdown, "overview", None)

    def _coverage_table(self, registry: Registry, links: Links) -> str:
        """Personas as rows, stage names as columns: where each persona acts.

        Stage names in the order they first come, journey by journey. Made
        again only when a journey's stage names or actors change: journeys
        with the same ones are counted once.
        """
        every_rows = [self._rows[journey_id] for journey_id in registry.journeys]
        stage_names: dict[str, None] = {}
        for names in dict.fromkeys(rows.stage_names for rows in every_rows):
            stage_names.update(dict.fromkeys(names))
        acts: set[tuple[str, str]] = set().union(*dict.fromkeys(rows.acts for rows in every_rows))
        header = ["Persona", *map(markdown_text, stage_names)]
        table_rows = [
            [links.persona(pid), *("✓" if (pid, name) in acts else "—" for name in stage_names)]
            for pid in registry.personas
        ]
        return _table(header, table_rows)

    def touchpoint_index(self, registry: Registry) -> Page:
        layout = self.layout
        uri = layout.touchpoints_uri()
        links = Links(uri, registry, layout)
        entries: dict[str, _TouchpointEntry] = {}
        by_group: dict[tuple[str | None, str], list[_TouchpointEntry]] = {}
        for touchpoint_id, touchpoint in registry.touchpoints.items():
            uses = self._uses_tables.get(touchpoint_id, "")
            entry = self._entries.get(touchpoint_id)
            if entry is None or entry.touchpoint is not touchpoint or entry.uses is not uses:
                entry = _TouchpointEntry(touchpoint, uses, _body(touchpoint.body))
            entries[touchpoint_id] = entry
            by_group.setdefault((touchpoint.category, touchpoint.channel), []).append(entry)
        self._entries = entries
        groups: list[tuple[str, list[tuple[str, list[_TouchpointEntry]]]]] = []
        for category in (*CATEGORIES, None):
            channels = [
                (CHANNEL_TITLES[channel], by_group[category, channel])
                for channel in CHANNELS
                if (category, channel) in by_group
            ]
            if channels:
                groups.append((CATEGORY_TITLES[category], channels))
        markdown = _render(
            "touchpoints.md.j2", groups=groups, overview=links.overview("All journeys")
        )
        return Page(uri, "Touchpoints", markdown, "touchpoints", None)


def _uses_lines(rows: JourneyRows) -> dict[str, str]:
    """A journey's lines in each touchpoint's table of uses, by touchpoint id."""
    by_touchpoint: dict[str, list[tuple[str, ...]]] = {}
    for touchpoint_id, row in rows.touchpoint_uses:
        by_touchpoint.setdefault(touchpoint_id, []).append(row)
    return {touchpoint_id: _row_lines(uses) for touchpoint_id, uses in by_touchpoint.items()}


def _same_records(records: Mapping[str, object], kept: Mapping[str, object] | None) -> bool:
    """Whether ``records`` holds the records ``kept`` does, under the same ids.

    Mostly the very objects (the parse cache hands them back); a touchpoint
    declared inline is made again at each load, and compared by value.
    """
    if kept is None or len(records) != len(kept):
        return False
    for record_id, record in records.items():
        kept_record = kept.get(record_id)
        if kept_record is not record and kept_record != record:
            return False
    return True


@dataclass(frozen=True)
class PageSlot:
    """Where a generated page goes, known before its Markdown is."""

    uri: str
    kind: str
    """``overview``, ``journey``, ``persona`` or ``touchpoints``."""
    source: str | None
    """The record's path inside the journeys folder, for "edit this page"."""


@dataclass(frozen=True)
class PlannedPage(PageSlot):
    """A page of the site before it is rendered: where it goes, and how to make it."""

    record_id: str | None
    """The journey or persona the page shows."""
    make: Callable[[], Page]

    def slot(self) -> PageSlot:
        """Where the page goes, without the records it is made from."""
        return PageSlot(self.uri, self.kind, self.source)


class _EveryJourneysRows:
    """Every journey's rows, made once for the overview and the touchpoint index."""

    def __init__(self, registry: Registry, layout: UrlLayout) -> None:
        self.registry, self.layout = registry, layout
        self._tables: SiteTables | None = None

    def overview(self) -> Page:
        return self.tables().overview(self.registry)

    def touchpoint_index(self) -> Page:
        return self.tables().touchpoint_index(self.registry)

    def tables(self) -> SiteTables:
        if self._tables is None:
            rows = {
                journey_id: journey_rows(journey, self.registry, self.layout)
                for journey_id, journey in self.registry.journeys.items()
            }
            self._tables = SiteTables(self.layout)
            self._tables.update(self.registry, rows)
        return self._tables


def plan_site(
    registry: Registry,
    layout: UrlLayout = UrlLayout(),
    history: Mapping[str, Sequence[Revision]] | None = None,
) -> list[PlannedPage]:
    """Every page of the site, to be rendered in this order.

    Journeys, then personas, then the overview and the touchpoint index, which
    show every journey: rendered last, they come when everything else is done.
    ``history`` maps a journey id to its revisions, newest first; a journey
    with revisions gets a "Revision history" section.
    """
    revisions = history or {}
    planned = [
        PlannedPage(
            layout.journey_uri(journey.id),
            "journey",
            journey.source.relative_path,
            journey.id,
            partial(_journey_page, journey, registry, layout, tuple(revisions.get(journey.id, ()))),
        )
        for journey in registry.journeys.values()
    ]
    planned.extend(
        PlannedPage(
            layout.persona_uri(persona.id),
            "persona",
            persona.source.relative_path,
            persona.id,
            partial(_persona_page, persona, registry, layout),
        )
        for persona in registry.personas.values()
    )
    everything = _EveryJourneysRows(registry, layout)
    planned.append(PlannedPage(layout.overview_uri(), "overview", None, None, everything.overview))
    planned.append(
        PlannedPage(
            layout.touchpoints_uri(), "touchpoints", None, None, everything.touchpoint_index
        )
    )
    return planned


def render_site(
    registry: Registry,
    layout: UrlLayout = UrlLayout(),
    history: Mapping[str, Sequence[Revision]] | None = None,
) -> list[Page]:
    """Every generated page of the site, sorted by uri, the same bytes every time.

    ``history`` maps a journey id to its revisions, newest first; a journey
    with revisions gets a "Revision history" section.
    """
    return PageCache().render(registry, layout, history)


@dataclass(frozen=True)
class _RenderedPage:
    inputs: tuple[object, ...]
    """Everything the page shows: the layout and the records, compared by value."""
    page: Page
    made_from: tuple[object, ...] = ()
    """The few records ``inputs`` are gathered from, given the layout, the personas and the
    touchpoints: while those are the same as last time, these are compared instead."""


@dataclass(frozen=True)
class _KeptRows:
    inputs: tuple[object, ...]
    """What the rows show (:func:`journey_rows_inputs`), compared by value."""
    rows: JourneyRows
    journey: Journey
    """The journey the rows are made from, compared instead while the personas are the same."""


class PageCache:
    """The pages of the last build, each kept with the records it shows.

    An edit during ``mkdocs serve`` changes a handful of pages; every other
    page is reused when all the records it shows are equal to last time (the
    parse cache hands back the same record objects for unchanged files, so
    the comparison is mostly identity). While the layout, the personas and
    the touchpoints are the same as last time, a page is checked on the
    journey or persona it is made from alone, without gathering every record
    it shows. The overview and the touchpoint index show every record:
    :class:`SiteTables`, kept too, puts them together again from each
    journey's rows (:class:`JourneyRows`, kept the same way), doing again
    only the share of the journeys whose rows changed. Gives the same pages,
    byte for byte, as ``render_site``.
    """

    def __init__(self) -> None:
        self._pages: dict[str, _RenderedPage] = {}
        self._rows: dict[str, _KeptRows] = {}
        self._named: dict[str, tuple[Journey, Journey | None, tuple[list[str], list[str]]]] = {}
        self._records: tuple[UrlLayout, dict[str, Persona], dict[str, Touchpoint]] | None = None
        """The layout, personas and touchpoints the kept pages were checked against."""
        self._tables: SiteTables | None = None
        self.rendered = 0
        """Pages rendered since the cache was made (the rest were reused)."""
        self.reused = 0

    def render(
        self,
        registry: Registry,
        layout: UrlLayout,
        history: Mapping[str, Sequence[Revision]] | None = None,
    ) -> list[Page]:
        """Every page of the site, sorted by uri, rendering only those whose inputs changed."""
        revisions = history or {}
        records_kept = self._records is not None and (
            layout == self._records[0]
            and _same_records(registry.personas, self._records[1])
            and _same_records(registry.touchpoints, self._records[2])
        )
        pages: dict[str, _RenderedPage] = {}
        stale_pages: list[tuple[str, tuple[object, ...], tuple[object, ...], Callable[[], Page]]]
        stale_pages = []
        for journey_id, journey in registry.journeys.items():
            uri = layout.journey_uri(journey_id)
            journey_history = tuple(revisions.get(journey_id, ()))
            made_from: tuple[object, ...] = (
                journey,
                registry.counterpart(journey_id),
                journey_history,
            )
            cached = self._pages.get(uri)
            if cached is not None and records_kept and cached.made_from == made_from:
                pages[uri] = cached
                continue
            inputs = (
                layout,
                journey_history,
                *journey_inputs(registry, journey, self._named_ids(registry, journey)),
            )
            if cached is not None and cached.inputs == inputs:
                pages[uri] = _RenderedPage(inputs, cached.page, made_from)
            else:
                make = partial(_journey_page, journey, registry, layout, journey_history)
                stale_pages.append((uri, inputs, made_from, make))
        for persona_id, persona in registry.personas.items():
            uri = layout.persona_uri(persona_id)
            journeys = tuple(registry.journeys_of(persona_id))
            made_from = (
                persona,
                journeys,
                tuple(registry.counterpart(journey.id) for journey in journeys),
            )
            cached = self._pages.get(uri)
            if cached is not None and records_kept and cached.made_from == made_from:
                pages[uri] = cached
                continue
            named = {journey.id: self._named_ids(registry, journey) for journey in journeys}
            inputs = (layout, *persona_inputs(registry, persona, named))
            if cached is not None and cached.inputs == inputs:
                pages[uri] = _RenderedPage(inputs, cached.page, made_from)
            else:
                make = partial(_persona_page, persona, registry, layout)
                stale_pages.append((uri, inputs, made_from, make))
        self.reused += len(pages)
        rows: dict[str, _KeptRows] = {}
        stale_rows = []
        for journey_id, journey in registry.journeys.items():
            kept_rows = self._rows.get(journey_id)
            if kept_rows is not None and records_kept and kept_rows.journey is journey:
                rows[journey_id] = kept_rows
                continue
            inputs = (layout, *journey_rows_inputs(registry, journey))
            if kept_rows is not None and kept_rows.inputs == inputs:
                rows[journey_id] = _KeptRows(inputs, kept_rows.rows, journey)
            else:
                stale_rows.append(
                    (journey_id, inputs, journey, partial(journey_rows, journey, registry, layout))
                )
        # One share of work for the second process: rows and pages alike.
        made = map_jobs(
            _call, [make for *_, make in stale_rows] + [make for *_, make in stale_pages]
        )
        for (journey_id, inputs, journey, _), made_rows in zip(
            stale_rows, made[: len(stale_rows)], strict=True
        ):
            rows[journey_id] = _KeptRows(inputs, made_rows, journey)
        for (uri, inputs, records, _), page in zip(
            stale_pages, made[len(stale_rows) :], strict=True
        ):
            pages[uri] = _RenderedPage(inputs, page, records)
        self.rendered += len(stale_pages)
        # The overview and the touchpoint index show everything; put together from the rows.
        everything: tuple[object, ...] = (
            layout,
            tuple(registry.personas.values()),
            tuple(registry.touchpoints.values()),
            tuple(registry.journeys.values()),
        )
        if self._tables is None or self._tables.layout != layout:
            self._tables = SiteTables(layout)
        tables = self._tables
        self._tables = None  # until brought up to date: a failure half way leaves nothing
        tables.update(registry, {journey_id: kept.rows for journey_id, kept in rows.items()})
        for uri, make in (
            (layout.overview_uri(), partial(tables.overview, registry)),
            (layout.touchpoints_uri(), partial(tables.touchpoint_index, registry)),
        ):
            cached = self._pages.get(uri)
            if cached is not None and cached.inputs == everything:
                self.reused += 1
                pages[uri] = cached
            else:
                self.rendered += 1
                pages[uri] = _RenderedPage(everything, make())
        self._tables = tables
        self._pages = pages  # pages of deleted or renamed records go
        self._rows = rows
        self._records = (layout, dict(registry.personas), dict(registry.touchpoints))
        for journey_id in self._named.keys() - registry.journeys.keys():
            del self._named[journey_id]
        return [pages[uri].page for uri in sorted(pages)]

    def _named_ids(self, registry: Registry, journey: Journey) -> tuple[list[str], list[str]]:
        """:func:`named_ids` of a journey, reused while it and its other state are the
        same objects as when it was found."""
        other = registry.counterpart(journey.id)
        cached = self._named.get(journey.id)
        if cached is None or cached[0] is not journey or cached[1] is not other:
            cached = self._named[journey.id] = (journey, other, named_ids(journey, other))
        return cached[2]


def _call(make: Callable[[], Any]) -> Any:
    return make()


def journey_inputs(
    registry: Registry, journey: Journey, named: tuple[list[str], list[str]] | None = None
) -> tuple[object, ...]:
    """What a journey page shows: the journey, its other state, its personas and touchpoints.

    Whole records, not just names: a page that shows one field of a record is
    rendered again when any field changes, which is cheap and never stale.
    ``named`` is what :func:`named_ids` gives for the journey and its other
    state, when already known.
    """
    other = registry.counterpart(journey.id)
    persona_ids, touchpoint_ids = named if named is not None else named_ids(journey, other)
    return (
        journey,
        other,
        tuple(registry.personas.get(persona_id) for persona_id in persona_ids),
        tuple(registry.touchpoints.get(touchpoint_id) for touchpoint_id in touchpoint_ids),
    )


def named_ids(journey: Journey, other: Journey | None) -> tuple[list[str], list[str]]:
    """Sorted ids of the personas and the touchpoints a journey and its other state name."""
    persona_ids: set[str] = set(journey.personas)
    touchpoint_ids: set[str] = set()
    for state in (journey, other):
        if state is None:
            continue
        for _, step in state.all_steps():
            persona_ids.update(state.actors_of(step))
            touchpoint_ids.update(step.touchpoints)
    return sorted(persona_ids), sorted(touchpoint_ids)


def persona_inputs(
    registry: Registry,
    persona: Persona,
    named: Mapping[str, tuple[list[str], list[str]]] | None = None,
) -> tuple[object, ...]:
    """What a persona page shows: the persona, its journeys and the touchpoints they name.

    Every touchpoint its journeys name, not only those on the persona's own
    steps (which the page lists): a superset is never stale, and is found from
    :func:`named_ids` without going through the steps again.
    """
    journeys = tuple(registry.journeys_of(persona.id))
    touchpoint_ids: set[str] = set()
    for journey in journeys:
        ids = named[journey.id] if named is not None else None
        touchpoint_ids.update(
            ids[1] if ids is not None else named_ids(journey, registry.counterpart(journey.id))[1]
        )
    return (
        persona,
        journeys,
        tuple(registry.touchpoints.get(touchpoint_id) for touchpoint_id in sorted(touchpoint_ids)),
    )
