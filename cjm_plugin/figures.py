"""The figures about a journey's steps, computed once for the pages and the export alike.

The lowest step, the average emotion, the shares of steps that feel good and
bad, the moments of truth and the pain points: the journey page, the journeys
tables (overview and group pages), the persona pages and ``cjm export`` all
take them from here, so they cannot disagree. Also what makes two texts "the
same pain point" (:func:`same_text_key`). No MkDocs, no pages: the core.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .model import Journey, Step
from .registry import Registry, StepRef


@dataclass(frozen=True)
class JourneyFigures:
    """The figures of some steps: a journey's, or the steps a persona takes in one.

    Rounded as the site and the export publish them, but for the average
    emotion, which the pages sort by exactly (the export writes it to two
    decimals).
    """

    lowest: StepRef
    """The step that feels worst; the first one on a tie."""
    average_emotion: float
    share_positive: float
    """Of the steps at emotion 4 or 5: 0 to 1, to four decimals."""
    share_negative: float
    """Of the steps at emotion 1 or 2: 0 to 1, to four decimals."""
    moments_of_truth: int
    moments_average: float | None
    """The moments of truth's average emotion, to two decimals; ``None`` without any."""
    pain_points: int


def lowest_of(refs: Sequence[StepRef]) -> StepRef:
    """The step that feels worst; the first one on a tie (as ``Journey.lowest_step``)."""
    return min(refs, key=lambda ref: ref.step.emotion)


def _share(steps: Sequence[Step], low: int, high: int) -> float:
    return round(sum(low <= step.emotion <= high for step in steps) / len(steps), 4)


def figures_of(refs: Sequence[StepRef]) -> JourneyFigures:
    """The figures of these steps (at least one), in their order."""
    steps = [ref.step for ref in refs]
    moments = [step.emotion for step in steps if step.moment_of_truth]
    return JourneyFigures(
        lowest=lowest_of(refs),
        average_emotion=sum(step.emotion for step in steps) / len(steps),
        share_positive=_share(steps, 4, 5),
        share_negative=_share(steps, 1, 2),
        moments_of_truth=len(moments),
        moments_average=round(sum(moments) / len(moments), 2) if moments else None,
        pain_points=sum(len(step.pain_points) for step in steps),
    )


def journey_figures(registry: Registry, journey: Journey) -> JourneyFigures:
    """The figures of every step of ``journey``."""
    return figures_of(registry.steps(journey.id))


#: What ends a text without changing what it says: final punctuation and spaces.
_FINAL_PUNCTUATION = re.compile(r"[\s.!?;:]+$")


def same_text_key(text: str) -> str:
    """What two texts share when they differ only in case, spacing or final punctuation.

    "Form is too long." and "form  is too long" are one pain point; inner
    punctuation ("Card, PIN") still tells texts apart.
    """
    spaced = " ".join(text.split())
    return (_FINAL_PUNCTUATION.sub("", spaced) or spaced).casefold()
