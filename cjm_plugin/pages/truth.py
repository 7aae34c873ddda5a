"""Whether the maps are still true: reviews due, evidence per journey, and drift.

Shown on the overview (``overview_truth.html.j2``) and, step by step, on each
journey page: maps fail when they stop being true, and these views say where
to look first. Each list is capped like the overview's other views.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..measured import MeasuredEmotion
from ..model import EVIDENCE_LEVELS
from ..review import period_words
from .base import Link, Site
from .capped import Capped, first_rows, lowest_rows

#: The evidence columns of the overview, in order: the levels, then steps that do not say.
EVIDENCE_COLUMNS = (*EVIDENCE_LEVELS, "unstated")


def signed(number: float) -> str:
    """``+1.6`` or ``−0.4`` (a real minus sign): a drift reads as a direction."""
    text = f"{abs(number):.1f}"
    return f"+{text}" if number >= 0.05 else (f"−{text}" if number <= -0.05 else "0.0")


def measured_detail(measured: MeasuredEmotion) -> str:
    """What the measured emotion stands on: each metric, its value on its scale, date, answers."""
    parts = []
    for row in measured.rows:
        value = f"{row.value:g} on {row.low:g}–{row.high:g}"
        answers = f", {row.responses} responses" if row.responses is not None else ""
        parts.append(f"{row.metric} {value} ({row.date.isoformat()}{answers})")
    return "; ".join(dict.fromkeys(parts))


@dataclass(frozen=True)
class MeasuredView:
    """A step's measured emotion beside its stated one."""

    value: str
    """On the 1..5 scale, one decimal."""
    drift: str
    """Measured minus stated, signed."""
    drifted: bool
    """More than one point apart: the map and the data disagree."""
    detail: str


def measured_view(measured: MeasuredEmotion | None) -> MeasuredView | None:
    if measured is None:
        return None
    return MeasuredView(
        f"{measured.value:.1f}",
        signed(measured.drift),
        measured.drifted,
        measured_detail(measured),
    )


@dataclass(frozen=True)
class StaleRow:
    journey: Link
    owner: str | None
    reviewed: str | None
    """ISO date; ``None`` when never reviewed."""
    due: str | None
    overdue_days: int


@dataclass(frozen=True)
class EvidenceRow:
    journey: Link
    steps: int
    counts: dict[str, int]
    """Steps per evidence column (:data:`EVIDENCE_COLUMNS`)."""

    def share(self, column: str) -> str:
        return f"{round(100 * self.counts[column] / self.steps)}%"

    @property
    def grounded(self) -> float:
        """Share of steps seen or reported by customers: the overview lists the least first."""
        return (self.counts["observed"] + self.counts["reported"]) / self.steps


@dataclass(frozen=True)
class DriftRow:
    step: Link
    journey: Link
    stated: int
    measured: MeasuredView
    size: float


@dataclass(frozen=True)
class TruthView:
    stale: Capped[StaleRow]
    evidence: Capped[EvidenceRow]
    any_evidence: bool
    """Whether any step says how it is known; else the evidence table is left out."""
    drift: Capped[DriftRow]
    any_measurements: bool
    today: str
    default_every: str


def _stale(site: Site) -> Capped[StaleRow]:
    rows = []
    for journey in site.registry.journeys.values():
        review = site.review(journey)
        if review.stale:
            due = review.due
            rows.append(
                StaleRow(
                    site.targets.journey(journey),
                    journey.owner,
                    review.reviewed.isoformat() if review.reviewed else None,
                    due.isoformat() if due else None,
                    review.days_overdue,
                )
            )
    rows.sort(key=lambda row: (row.reviewed is not None, -row.overdue_days, row.journey.text))
    return first_rows(rows)


def _evidence(site: Site) -> tuple[Capped[EvidenceRow], bool]:
    rows, any_stated = [], False
    for journey in site.registry.journeys.values():
        counts: Counter[str] = Counter(
            step.evidence or "unstated" for _, step in journey.all_steps()
        )
        any_stated = any_stated or counts["unstated"] < sum(counts.values())
        rows.append(
            EvidenceRow(
                site.targets.journey(journey),
                sum(counts.values()),
                {column: counts[column] for column in EVIDENCE_COLUMNS},
            )
        )
    return lowest_rows(rows, lambda row: row.grounded), any_stated


def _drift(site: Site) -> tuple[Capped[DriftRow], bool]:
    registry, rows, any_measured = site.registry, [], False
    for journey in registry.journeys.values():
        for ref in registry.steps(journey.id):
            measured = registry.measured_emotion(journey.id, ref.number)
            if measured is None:
                continue
            any_measured = True
            view = measured_view(measured)
            if view is not None and view.drifted:
                rows.append(
                    DriftRow(
                        site.targets.step(ref),
                        site.targets.journey(journey),
                        ref.step.emotion,
                        view,
                        abs(measured.drift),
                    )
                )
    rows.sort(key=lambda row: (-row.size, row.journey.text, row.step.text))
    return first_rows(rows), any_measured


def truth_view(site: Site) -> TruthView:
    evidence, any_evidence = _evidence(site)
    drift, any_measurements = _drift(site)
    return TruthView(
        _stale(site),
        evidence,
        any_evidence,
        drift,
        any_measurements,
        site.today.isoformat(),
        period_words(site.review_every),
    )
