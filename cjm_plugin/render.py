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

import functools
import posixpath
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

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


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table: Material wraps it to scroll sideways on a phone."""
    lines = [_row(header), _row(["---"] * len(header))]
    lines.extend(_row(row) for row in rows)
    return "\n".join(lines)


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
    text = _environment().get_template(template).render(**context)
    return GENERATED_COMMENT + "\n\n" + text.rstrip("\n") + "\n"


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


@functools.lru_cache(maxsize=4096)
def _uses_table(rows: tuple[tuple[str, ...], ...]) -> str:
    """A touchpoint's table of uses; kept, as most stay the same from one rebuild to the next."""
    if not rows:
        return ""
    return _table(["Journey", "Stage", "Step", "Emotion", "Pain points"], rows)


def _touchpoint_index(
    registry: Registry, layout: UrlLayout, rows: Mapping[str, JourneyRows]
) -> Page:
    uri = layout.touchpoints_uri()
    links = Links(uri, registry, layout)
    uses: dict[str, list[tuple[str, ...]]] = {}
    for journey_id in registry.journeys:
        for touchpoint_id, row in rows[journey_id].touchpoint_uses:
            uses.setdefault(touchpoint_id, []).append(row)
    groups: list[tuple[str, list[tuple[str, list[_TouchpointEntry]]]]] = []
    for category in (*CATEGORIES, None):
        channels = []
        for channel in CHANNELS:
            entries = [
                _TouchpointEntry(
                    touchpoint,
                    _uses_table(tuple(uses.get(touchpoint.id, ()))),
                    _body(touchpoint.body),
                )
                for touchpoint in registry.touchpoints.values()
                if touchpoint.category == category and touchpoint.channel == channel
            ]
            if entries:
                channels.append((CHANNEL_TITLES[channel], entries))
        if channels:
            groups.append((CATEGORY_TITLES[category], channels))
    markdown = _render("touchpoints.md.j2", groups=groups, overview=links.overview("All journeys"))
    return Page(uri, "Touchpoints", markdown, "touchpoints", None)


def _pain_point_ranking(registry: Registry, rows: Mapping[str, JourneyRows]) -> list[list[str]]:
    """Pain points across all journeys: lowest emotion first, then the most frequent."""
    where: dict[str, list[tuple[int, str]]] = {}
    for journey_id in registry.journeys:
        for pain_point, emotion, link in rows[journey_id].pain_points:
            where.setdefault(pain_point, []).append((emotion, link))
    ranked = sorted(
        ((pain_point, min(e for e, _ in steps), steps) for pain_point, steps in where.items()),
        key=lambda item: (item[1], -len(item[2]), item[0]),
    )
    return [
        [
            markdown_text(pain_point),
            emotion_label(lowest),
            str(len(steps)),
            "<br>".join(
                [link for _, link in steps[:MAX_LINKS_PER_PAIN_POINT]]
                + (
                    [f"and {len(steps) - MAX_LINKS_PER_PAIN_POINT} more"]
                    if len(steps) > MAX_LINKS_PER_PAIN_POINT
                    else []
                )
            ),
        ]
        for pain_point, lowest, steps in ranked
    ]


def _coverage(registry: Registry, links: Links, rows: Mapping[str, JourneyRows]) -> str:
    """Personas as rows, stage names as columns: where each persona acts."""
    stage_names: dict[str, None] = {}
    acts: set[tuple[str, str]] = set()
    for journey_id in registry.journeys:
        stage_names.update(dict.fromkeys(rows[journey_id].stage_names))
        acts.update(rows[journey_id].acts)
    header = ["Persona", *map(markdown_text, stage_names)]
    table_rows = [
        [links.persona(pid), *("✓" if (pid, name) in acts else "—" for name in stage_names)]
        for pid in registry.personas
    ]
    return _table(header, table_rows)


def _overview(registry: Registry, layout: UrlLayout, rows: Mapping[str, JourneyRows]) -> Page:
    uri = layout.overview_uri()
    links = Links(uri, registry, layout)
    personas = [
        links.persona(pid) + (f" — {markdown_text(p.role)}" if p.role else "")
        for pid, p in registry.personas.items()
    ]
    markdown = _render(
        "overview.md.j2",
        journeys=[rows[journey_id].overview_row for journey_id in registry.journeys],
        personas=personas,
        pain_points=_pain_point_ranking(registry, rows),
        coverage=_coverage(registry, links, rows) if registry.personas else "",
        touchpoints=links._link("Touchpoint index", layout.touchpoints_uri()),
    )
    return Page(uri, "Customer journeys", markdown, "overview", None)


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
        self._rows: dict[str, JourneyRows] | None = None

    def overview(self) -> Page:
        return _overview(self.registry, self.layout, self.rows())

    def touchpoint_index(self) -> Page:
        return _touchpoint_index(self.registry, self.layout, self.rows())

    def rows(self) -> dict[str, JourneyRows]:
        if self._rows is None:
            self._rows = {
                journey_id: journey_rows(journey, self.registry, self.layout)
                for journey_id, journey in self.registry.journeys.items()
            }
        return self._rows


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


class PageCache:
    """The pages of the last build, each kept with the records it shows.

    An edit during ``mkdocs serve`` changes a handful of pages; every other
    page is reused when all the records it shows are equal to last time (the
    parse cache hands back the same record objects for unchanged files, so
    the comparison is mostly identity). The overview and the touchpoint index
    show every record and are put together again on any change, from each
    journey's rows (:class:`JourneyRows`), which are kept the same way. Gives
    the same pages, byte for byte, as ``render_site``.
    """

    def __init__(self) -> None:
        self._pages: dict[str, _RenderedPage] = {}
        self._rows: dict[str, tuple[tuple[object, ...], JourneyRows]] = {}
        self._named: dict[str, tuple[Journey, Journey | None, tuple[list[str], list[str]]]] = {}
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
        everything: tuple[object, ...] = (
            layout,
            tuple(registry.personas.values()),
            tuple(registry.touchpoints.values()),
            tuple(registry.journeys.values()),
        )
        named = self._named_ids(registry)
        plan: list[tuple[str, tuple[object, ...], Callable[[], Page]]] = []
        for planned in plan_site(registry, layout, history):
            assert planned.record_id is not None or planned.kind in ("overview", "touchpoints")
            if planned.kind == "journey":
                journey = registry.journeys[str(planned.record_id)]
                journey_history = tuple(revisions.get(journey.id, ()))
                inputs = (
                    layout,
                    journey_history,
                    *journey_inputs(registry, journey, named[journey.id]),
                )
            elif planned.kind == "persona":
                persona = registry.personas[str(planned.record_id)]
                inputs = (layout, *persona_inputs(registry, persona, named))
            else:
                continue  # put together below from the rows, which are kept too
            plan.append((planned.uri, inputs, planned.make))
        pages: dict[str, _RenderedPage] = {}
        stale_pages = []
        for uri, inputs, make in plan:
            cached = self._pages.get(uri)
            if cached is not None and cached.inputs == inputs:
                self.reused += 1
                pages[uri] = cached
            else:
                stale_pages.append((uri, inputs, make))
        rows: dict[str, tuple[tuple[object, ...], JourneyRows]] = {}
        stale_rows = []
        for journey_id, journey in registry.journeys.items():
            inputs = (layout, *journey_rows_inputs(registry, journey))
            cached_rows = self._rows.get(journey_id)
            if cached_rows is not None and cached_rows[0] == inputs:
                rows[journey_id] = cached_rows
            else:
                stale_rows.append(
                    (journey_id, inputs, partial(journey_rows, journey, registry, layout))
                )
        # One share of work for the second process: rows and pages alike.
        made = map_jobs(
            _call, [make for *_, make in stale_rows] + [make for *_, make in stale_pages]
        )
        for (journey_id, inputs, _), made_rows in zip(
            stale_rows, made[: len(stale_rows)], strict=True
        ):
            rows[journey_id] = (inputs, made_rows)
        for (uri, inputs, _), page in zip(stale_pages, made[len(stale_rows) :], strict=True):
            pages[uri] = _RenderedPage(inputs, page)
        self._rows = rows
        self.rendered += len(stale_pages)
        # The overview and the touchpoint index show everything; put together here from the rows.
        all_rows = {journey_id: made_rows for journey_id, (_, made_rows) in rows.items()}
        for uri, make in (
            (layout.overview_uri(), partial(_overview, registry, layout, all_rows)),
            (layout.touchpoints_uri(), partial(_touchpoint_index, registry, layout, all_rows)),
        ):
            cached = self._pages.get(uri)
            if cached is not None and cached.inputs == everything:
                self.reused += 1
                pages[uri] = cached
            else:
                self.rendered += 1
                pages[uri] = _RenderedPage(everything, make())
        self._pages = pages  # pages of deleted or renamed records go
        return [pages[uri].page for uri in sorted(pages)]

    def _named_ids(self, registry: Registry) -> dict[str, tuple[list[str], list[str]]]:
        """:func:`named_ids` of each journey, reused while it and its other state are
        the same objects as last time."""
        named: dict[str, tuple[Journey, Journey | None, tuple[list[str], list[str]]]] = {}
        for journey_id, journey in registry.journeys.items():
            other = registry.counterpart(journey_id)
            cached = self._named.get(journey_id)
            if cached is not None and cached[0] is journey and cached[1] is other:
                named[journey_id] = cached
            else:
                named[journey_id] = (journey, other, named_ids(journey, other))
        self._named = named
        return {journey_id: ids for journey_id, (_, _, ids) in named.items()}


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
