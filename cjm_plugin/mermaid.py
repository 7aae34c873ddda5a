"""Journeys as Mermaid source: the ``journey`` diagram and the emotion curve.

Every piece of author text goes through :mod:`cjm_plugin.escape`, so a name or
a pain point can never end a Mermaid statement or smuggle in a directive.
The functions return the diagram source without the Markdown fence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .escape import mermaid_actor, mermaid_string, mermaid_text
from .model import Journey

INDENT = "    "

#: What each emotion score means, in words, so nothing relies on colour alone.
EMOTION_WORDS = {
    1: "very negative",
    2: "negative",
    3: "neutral",
    4: "positive",
    5: "very positive",
}


#: Mermaid's default ``maxTextSize``: it draws "Maximum text size in diagram
#: exceeded" instead of a longer diagram, so such a diagram is left out.
MERMAID_MAX_TEXT_SIZE = 50_000

#: Drawn at its own size: shrunk to the column, a journey of a dozen steps
#: becomes unreadable. The page lets the diagram scroll sideways instead.
JOURNEY_CONFIG = ("---", "config:", "  journey:", "    useMaxWidth: false", "---")


def format_score(value: float) -> str:
    """An emotion average with one decimal, the same on every machine and locale."""
    return f"{value:.1f}"


def journey_diagram(journey: Journey, persona_names: Mapping[str, str]) -> str:
    """The Mermaid ``journey``: a section per stage, a task per step with its actors.

    ``persona_names`` maps persona ids to names; an id without a name is shown
    as the id (the loader refuses unknown ids, so this only guards the diagram).
    """
    steps = journey.all_steps()
    description = (
        f"{len(steps)} steps in {len(journey.stages)} stages: "
        + ", ".join(stage.name for stage in journey.stages)
        + f". Emotion from 1 ({EMOTION_WORDS[1]}) to 5 ({EMOTION_WORDS[5]}),"
        + f" average {format_score(journey.average_emotion)}."
    )
    lines = [
        *JOURNEY_CONFIG,
        "journey",
        f"{INDENT}accTitle: {mermaid_text('Customer journey: ' + journey.title)}",
        f"{INDENT}accDescr: {mermaid_text(description)}",
        f"{INDENT}title {mermaid_text(journey.title)}",
    ]
    for stage in journey.stages:
        lines.append(f"{INDENT}section {mermaid_text(stage.name)}")
        for step in stage.steps:
            names = [persona_names.get(actor, actor) for actor in journey.actors_of(step)]
            actors = ", ".join(mermaid_actor(name) for name in names)
            task = f"{mermaid_text(step.name)}: {step.emotion}"
            lines.append(
                f"{INDENT}{INDENT}{task}: {actors}" if actors else f"{INDENT}{INDENT}{task}"
            )
    return "\n".join(lines) + "\n"


def emotion_curve(journeys: Sequence[Journey]) -> str:
    """The Mermaid ``xychart-beta`` line chart of emotion across every step.

    One journey: one line, the x axis numbers the steps as the map grid does.
    Two states of a journey (current first): Mermaid's band axis would leave
    the shorter line's missing points undefined, so both lines run on a
    linear axis from the first step to the last, each spread across the
    full width.
    """
    if not journeys:
        raise ValueError("an emotion curve needs at least one journey")
    if len(journeys) == 1:
        title = f"Emotion by step: {journeys[0].title}"
        count = len(journeys[0].all_steps())
        numbers = ", ".join(f'"{n}"' for n in range(1, count + 1))
        x_axis = f'x-axis "Step" [{numbers}]'
    else:
        title = "Emotion by step: " + " vs ".join(f"{j.state} state" for j in journeys)
        x_axis = 'x-axis "Progress through the journey, first step to last (%)" 0 --> 100'
    description = "; ".join(
        f"line {n}: {j.title} ({j.state} state), emotion "
        + ", ".join(str(step.emotion) for _, step in j.all_steps())
        for n, j in enumerate(journeys, start=1)
    )
    lines = [
        "xychart-beta",
        f"{INDENT}accTitle: {mermaid_text(title)}",
        f"{INDENT}accDescr: {mermaid_text(description)}",
        f'{INDENT}title "{mermaid_string(title)}"',
        f"{INDENT}{x_axis}",
        f'{INDENT}y-axis "Emotion (1 {EMOTION_WORDS[1]}, 5 {EMOTION_WORDS[5]})" 1 --> 5',
    ]
    for journey in journeys:
        scores = ", ".join(str(step.emotion) for _, step in journey.all_steps())
        lines.append(f"{INDENT}line [{scores}]")
    return "\n".join(lines) + "\n"
