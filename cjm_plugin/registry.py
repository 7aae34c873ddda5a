"""The whole journeys folder as one model, with every reference resolved.

Records are kept sorted by id so that everything built from a registry comes
out in the same order whatever order the files were found in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from .measured import MeasuredEmotion, Measurement, MeasurementIndex, measured_emotion
from .model import Journey, Persona, Stage, Step, Touchpoint


@dataclass(frozen=True)
class StepRef:
    """A step in its context: which journey and stage, where, and its anchor."""

    journey: Journey
    stage: Stage
    step: Step
    number: int
    """1-based position of the step in the whole journey."""
    anchor: str
    """The step's anchor on its journey page, unique within that page."""


def step_anchors(journey: Journey) -> list[str]:
    """One anchor per step, in order: ``<stage-id>--<step-slug>``, de-duplicated."""
    anchors: list[str] = []
    seen: set[str] = set()
    for stage, step in journey.all_steps():
        base = f"{stage.slug}--{step.slug or 'step'}"
        anchor, n = base, 1
        while anchor in seen:
            n += 1
            anchor = f"{base}-{n}"
        seen.add(anchor)
        anchors.append(anchor)
    return anchors


def step_refs(journey: Journey) -> list[StepRef]:
    """Every step of a journey in order, with its stage, number and anchor."""
    return [
        StepRef(journey, stage, step, number, anchor)
        for number, ((stage, step), anchor) in enumerate(
            zip(journey.all_steps(), step_anchors(journey), strict=True), start=1
        )
    ]


@dataclass(frozen=True)
class _JourneyIndex:
    """What one journey adds to a registry's indexes: depends on that journey alone."""

    steps: list[StepRef]
    uses: dict[str, list[StepRef]]
    """Its steps that use each touchpoint, by touchpoint id, in step order."""
    takers: tuple[str, ...]
    """Ids of the personas it names, as journey personas or step actors."""

    @classmethod
    def of(cls, journey: Journey) -> _JourneyIndex:
        refs = step_refs(journey)
        uses: dict[str, list[StepRef]] = defaultdict(list)
        takers = dict.fromkeys(journey.personas)
        for ref in refs:
            for touchpoint_id in dict.fromkeys(ref.step.touchpoints):
                uses[touchpoint_id].append(ref)
            takers.update(dict.fromkeys(journey.actors_of(ref.step)))
        return cls(refs, dict(uses), tuple(takers))


@dataclass
class Registry:
    """Personas, touchpoints and journeys of one folder, cross-referenced."""

    personas: dict[str, Persona] = field(default_factory=dict)
    touchpoints: dict[str, Touchpoint] = field(default_factory=dict)
    journeys: dict[str, Journey] = field(default_factory=dict)
    _indexes: dict[str, _JourneyIndex] = field(default_factory=dict, repr=False)
    _counterparts: dict[str, str] = field(default_factory=dict, repr=False)
    _uses: dict[str, list[StepRef]] = field(default_factory=dict, repr=False)
    _journeys_of_persona: dict[str, list[Journey]] = field(default_factory=dict, repr=False)
    measurements: tuple[Measurement, ...] = ()
    """Every row of the measurement tables, by file and line."""
    inputs: dict[str, dict[str, tuple[Hashable, ...]]] = field(default_factory=dict)
    """Each input's items by file (path inside the journeys folder), by source name:
    what ``cjm diff`` compares of the files that are not records."""
    _measured: MeasurementIndex | None = field(default=None, repr=False, compare=False)
    _measured_steps: dict[str, tuple[MeasuredEmotion | None, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )
    """Each journey's measured emotions, worked out once: the checks, the journey page,
    its cache key, the curve, the overview and the export all ask for them."""

    @classmethod
    def build(
        cls,
        personas: dict[str, Persona],
        touchpoints: dict[str, Touchpoint],
        journeys: dict[str, Journey],
        measurements: Iterable[Measurement] = (),
        inputs: Mapping[str, Mapping[str, tuple[Hashable, ...]]] | None = None,
    ) -> Registry:
        """Index already-validated records; references must be known to resolve."""
        registry = cls(
            personas=dict(sorted(personas.items())),
            touchpoints=dict(sorted(touchpoints.items())),
            journeys=dict(sorted(journeys.items())),
            measurements=tuple(sorted(measurements)),
            inputs={
                name: dict(sorted(files.items())) for name, files in sorted((inputs or {}).items())
            },
        )
        uses: dict[str, list[StepRef]] = defaultdict(list)
        of_persona: dict[str, list[Journey]] = defaultdict(list)
        for journey in registry.journeys.values():
            index = registry._indexes[journey.id] = _JourneyIndex.of(journey)
            for touchpoint_id, refs in index.uses.items():
                uses[touchpoint_id].extend(refs)
            for persona_id in index.takers:
                of_persona[persona_id].append(journey)
            if journey.compares_to is not None:
                registry._counterparts[journey.id] = journey.compares_to
                registry._counterparts.setdefault(journey.compares_to, journey.id)
        registry._uses = dict(uses)
        registry._journeys_of_persona = dict(of_persona)
        return registry

    def steps(self, journey_id: str) -> list[StepRef]:
        """Every step of a journey in order, with stage, number and anchor."""
        index = self._indexes.get(journey_id)
        return index.steps if index is not None else []

    def counterpart(self, journey_id: str) -> Journey | None:
        """The other state of a journey, linked by ``compares_to`` either way."""
        other = self._counterparts.get(journey_id)
        return self.journeys.get(other) if other is not None else None

    def touchpoint_uses(self, touchpoint_id: str) -> list[StepRef]:
        """Every step that uses a touchpoint, by journey id then step order."""
        return self._uses.get(touchpoint_id, [])

    def journeys_of(self, persona_id: str) -> list[Journey]:
        """Journeys a persona takes part in, as a journey persona or a step actor."""
        return self._journeys_of_persona.get(persona_id, [])

    def steps_of(self, persona_id: str, journey_id: str) -> list[StepRef]:
        """The steps of a journey that a persona takes (is among their actors), in order.

        Possibly none: a journey may name a persona whose steps all name others.
        """
        return [
            ref for ref in self.steps(journey_id) if persona_id in ref.journey.actors_of(ref.step)
        ]

    def touchpoints_of(self, persona_id: str) -> list[Touchpoint]:
        """Touchpoints met on the steps a persona acts in, sorted by id."""
        met: set[str] = set()
        for journey in self.journeys_of(persona_id):
            for ref in self.steps_of(persona_id, journey.id):
                met.update(ref.step.touchpoints)
        return [self.touchpoints[t] for t in sorted(met) if t in self.touchpoints]

    def _measurement_index(self) -> MeasurementIndex:
        """The rows by step and touchpoint, indexed on the first question."""
        if self._measured is None:
            self._measured = MeasurementIndex(self.measurements)
        return self._measured

    def measured_emotion(self, journey_id: str, number: int) -> MeasuredEmotion | None:
        """The measured emotion of step ``number`` (1-based, as ``StepRef.number``), if any."""
        if not self.measurements:
            return None
        emotions = self.measured_emotions(journey_id)
        return emotions[number - 1] if 1 <= number <= len(emotions) else None

    def measured_emotions(self, journey_id: str) -> tuple[MeasuredEmotion | None, ...]:
        """Each step's measured emotion in step order, ``None`` where it has none.

        From the rows naming the step (by its id) or one of its touchpoints;
        see :func:`~cjm_plugin.measured.measured_emotion` for the rule. Steps
        of a future-state journey have none: their touchpoints' data is about
        today's experience, not the one the map plans.
        """
        found = self._measured_steps.get(journey_id)
        if found is None:
            refs = self.steps(journey_id)
            if not self.measurements or (refs and refs[0].journey.state == "future"):
                found = (None,) * len(refs)
            else:
                index = self._measurement_index()
                found = tuple(
                    measured_emotion(
                        index.about_step(journey_id, ref.step.slug, ref.step.touchpoints),
                        ref.step.emotion,
                    )
                    for ref in refs
                )
            self._measured_steps[journey_id] = found
        return found

    def touchpoint_measurements(self, touchpoint_id: str) -> list[Measurement]:
        """The rows naming a touchpoint: newest first, then by metric."""
        if not self.measurements:
            return []
        return self._measurement_index().of_touchpoint(touchpoint_id)
