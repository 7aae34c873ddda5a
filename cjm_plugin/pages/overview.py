"""The overview: every journey, every persona, the pain points ranked, persona coverage.

Each view shows at most :data:`MAX_ROWS` rows (a :class:`Capped` list: the rows
shown and how many there are), and the template says how many more and links
the full data: the exports and the pages by owner and by tag (``groups.py``;
the journeys table's rows come from ``journeys_table.py``, as theirs do). A new view is a field of
:class:`OverviewView`, a function that makes it (capped with :func:`first_rows`
or :func:`lowest_rows`) and its part of the template.
"""

from __future__ import annotations

import math
import posixpath
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial

from ..figures import same_text_key
from ..nav import NavPlace
from ..registry import StepRef
from ..urls import export_uris as export_uris  # plugin.py imports it from here
from .base import Link, PageView, PlannedPage, Site, Width
from .capped import Capped, first_rows, lowest_rows
from .journeys_table import JourneyRow, index_links, journey_row
from .markup import page_view
from .truth import truth_view

#: A pain point found on hundreds of steps links the first few: the count says the rest.
MAX_LINKS_PER_PAIN_POINT = 10


@dataclass
class RankedText:
    """A text found on steps (a pain point or an opportunity): its lowest emotion, where it is.

    Texts that differ only in case, spacing or final punctuation are one row.
    """

    text: str
    """The text as first written, by journey id then step order."""
    lowest_emotion: int
    steps: int = 0
    journeys: int = 0
    where: list[Link] = field(default_factory=list)
    """Links to its first steps, by journey id then step order, as many as the row shows."""

    @property
    def more(self) -> int:
        """Steps with the text that ``where`` leaves out."""
        return self.steps - len(self.where)


@dataclass(frozen=True)
class Coverage:
    """Personas as rows, stage names as columns: where each persona acts."""

    stages: list[str]
    """Stage names in the order they first come, journey by journey."""
    rows: Capped[tuple[Link, list[bool]]]
    """The first personas, in registry order."""


def stage_anchor(stage_id: str) -> str:
    """The id of a stage's header on its journey page."""
    return f"cjm-stage-{stage_id}"


@dataclass(frozen=True)
class HeatCell:
    """The average emotion of some steps of a stage, and where the stage is shown."""

    average: float
    link: Link
    """Its text the average to one decimal; no target when no one page shows the steps."""

    @property
    def level(self) -> int:
        """The emotion colour of the average: rounded half up, 2.5 is a 3."""
        return min(5, max(1, math.floor(self.average + 0.5)))


@dataclass(frozen=True)
class Heatmap:
    """Rows (journeys or personas) by stages: the average emotion of each row's steps."""

    stages: list[str]
    """Stage names, one column per stage id, in the order they first come."""
    rows: Capped[tuple[Link, list[HeatCell | None]]]
    """``None`` where the row has no step in the stage. The rows of the lowest average
    emotion over all their steps, in registry order."""


def _heatmaps(site: Site) -> tuple[Heatmap, Heatmap]:
    """Emotion by current-state journey and stage, and by persona and stage.

    Stages are matched by id across journeys; a persona's row counts only the
    steps it takes, in current-state journeys.
    """
    registry, targets = site.registry, site.targets
    stages: dict[str, str] = {}
    by_journey: dict[str, dict[str, list[int]]] = {}
    by_persona: dict[str, dict[str, list[int]]] = {pid: {} for pid in registry.personas}
    journeys = [j for j in registry.journeys.values() if j.state == "current"]
    for journey in journeys:
        emotions = by_journey[journey.id] = {}
        for ref in registry.steps(journey.id):
            stage_id = ref.stage.slug
            stages.setdefault(stage_id, ref.stage.name)
            emotion = ref.step.emotion
            emotions.setdefault(stage_id, []).append(emotion)
            for actor in journey.actors_of(ref.step):
                if actor in by_persona:
                    by_persona[actor].setdefault(stage_id, []).append(emotion)

    def cell(emotions: list[int] | None, target: str | None, stage_id: str) -> HeatCell | None:
        if not emotions:
            return None
        average = sum(emotions) / len(emotions)
        anchor = stage_anchor(stage_id) if target is not None else None
        return HeatCell(average, Link(f"{average:.1f}", target, anchor))

    journey_rows = [
        (
            journey.average_emotion,
            targets.journey(journey),
            [
                cell(
                    by_journey[journey.id].get(stage_id),
                    site.layout.journey_uri(journey.id),
                    stage_id,
                )
                for stage_id in stages
            ],
        )
        for journey in journeys
    ]
    persona_rows = [
        (
            _average([e for emotions in by_persona[pid].values() for e in emotions]),
            targets.persona(pid),
            [cell(by_persona[pid].get(stage_id), None, stage_id) for stage_id in stages],
        )
        for pid in registry.personas
    ]
    names = list(stages.values())
    return _heatmap(names, journey_rows), _heatmap(names, persona_rows)


def _average(emotions: list[int]) -> float:
    """The average; a row with no step at all (a persona taking none) comes last."""
    return sum(emotions) / len(emotions) if emotions else math.inf


def _heatmap(stages: list[str], scored: list[tuple[float, Link, list[HeatCell | None]]]) -> Heatmap:
    """The lowest rows; when some are left out, only the stages the shown rows have."""
    lowest = lowest_rows(scored, lambda row: row[0])
    rows = [(link, cells) for _, link, cells in lowest]
    if lowest.more:
        used = [n for n in range(len(stages)) if any(cells[n] for _, cells in rows)]
        stages = [stages[n] for n in used]
        rows = [(link, [cells[n] for n in used]) for link, cells in rows]
    return Heatmap(stages, Capped(rows, lowest.total))


@dataclass(frozen=True)
class OverviewView:
    """Everything the overview shows, as plain data."""

    journeys: Capped[JourneyRow]
    """The lowest average emotion first chosen, shown in registry order."""
    personas: Capped[tuple[Link, str | None]]
    """Each persona with its role, the first in registry order."""
    touchpoint_index: Link
    action_board: Link
    exports: list[Link]
    """The JSON and CSV exports the site publishes beside the overview."""
    groups: list[Link]
    """The pages of journeys by owner and by tag, those that exist."""
    pain_points: Capped[RankedText]
    """In current-state journeys: lowest emotion first, then the most frequent, then by text."""
    future_pain_points: Capped[RankedText]
    """In future-state journeys, ranked the same way and apart from today's."""
    opportunities: Capped[RankedText]
    """In every journey: where the steps feel worst first (where each would help most),
    then the most frequent, then by text."""
    coverage: Coverage | None
    """``None`` without personas."""
    journey_heatmap: Heatmap
    """Current-state journeys by stage."""
    persona_heatmap: Heatmap
    """Personas by stage, over current-state journeys."""


def _ranked(
    site: Site, texts_of: Callable[[StepRef], Sequence[str]], state: str | None = None
) -> list[RankedText]:
    """One row per text over the steps of the journeys in ``state`` (all when ``None``)."""
    registry, targets = site.registry, site.targets
    found: dict[str, RankedText] = {}
    for journey_id in sorted(registry.journeys):
        journey = registry.journeys[journey_id]
        if state is not None and journey.state != state:
            continue
        in_journey: set[str] = set()
        for ref in registry.steps(journey_id):
            emotion = ref.step.emotion
            on_step: dict[str, str] = {}
            for text in texts_of(ref):
                on_step.setdefault(same_text_key(text), text)
            for key, text in on_step.items():
                row = found.get(key)
                if row is None:
                    row = found[key] = RankedText(text, emotion)
                row.steps += 1
                if key not in in_journey:
                    in_journey.add(key)
                    row.journeys += 1
                row.lowest_emotion = min(row.lowest_emotion, emotion)
                if len(row.where) < MAX_LINKS_PER_PAIN_POINT:
                    label = f"{journey.title} › {ref.stage.name} › {ref.number}. {ref.step.name}"
                    row.where.append(targets.step(ref, label))
    return sorted(
        found.values(),
        key=lambda row: (
            row.lowest_emotion,
            -row.steps,
            -row.journeys,
            same_text_key(row.text),
            row.text,
        ),
    )


def _pain_points(ref: StepRef) -> Sequence[str]:
    return ref.step.pain_points


def _opportunities(ref: StepRef) -> Sequence[str]:
    return ref.step.opportunities


def _coverage(site: Site) -> Coverage | None:
    registry, targets = site.registry, site.targets
    if not registry.personas:
        return None
    stages: dict[str, None] = {}
    acts: set[tuple[str, str]] = set()
    for journey in registry.journeys.values():
        for ref in registry.steps(journey.id):
            stages[ref.stage.name] = None
            acts.update((actor, ref.stage.name) for actor in journey.actors_of(ref.step))
    return Coverage(
        list(stages),
        first_rows(
            [
                (targets.persona(pid), [(pid, name) in acts for name in stages])
                for pid in registry.personas
            ]
        ),
    )


def _journeys(site: Site) -> Capped[JourneyRow]:
    """The rows of the journeys with the lowest average emotion: only those are made."""
    lowest = lowest_rows(list(site.registry.journeys.values()), lambda j: j.average_emotion)
    return Capped([journey_row(site, journey) for journey in lowest], lowest.total)


def overview_view(site: Site) -> OverviewView:
    """Each view capped at :data:`MAX_ROWS` rows; a new view is one more field and function."""
    targets = site.targets
    journey_heatmap, persona_heatmap = _heatmaps(site)
    return OverviewView(
        journeys=_journeys(site),
        personas=first_rows(
            [(targets.persona(pid), p.role) for pid, p in site.registry.personas.items()]
        ),
        touchpoint_index=targets.touchpoint_index("Touchpoint index"),
        action_board=Link("Action board", site.layout.action_board_uri(site.registry.journeys)),
        exports=[Link(posixpath.basename(uri), uri) for uri in export_uris(site.layout)],
        groups=index_links(site),
        pain_points=first_rows(_ranked(site, _pain_points, "current")),
        future_pain_points=first_rows(_ranked(site, _pain_points, "future")),
        opportunities=first_rows(_ranked(site, _opportunities)),
        coverage=_coverage(site),
        journey_heatmap=journey_heatmap,
        persona_heatmap=persona_heatmap,
    )


def overview_page(site: Site) -> PageView:
    slot = (site.layout.overview_uri(), OverviewPage.name, None)
    return page_view(
        "overview.html.j2",
        slot,
        site.layout,
        "Customer journeys",
        page=overview_view(site),
        truth=truth_view(site),
    )


class OverviewPage:
    """The overview, at ``<journeys_url>/``."""

    name = "overview"
    url_option = "journeys_url"
    nav = NavPlace(0)
    width: Width = "normal"

    def plan(self, site: Site) -> Iterator[PlannedPage]:
        yield PlannedPage(site.layout.overview_uri(), self.name, None, partial(overview_page, site))
