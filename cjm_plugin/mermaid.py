"""Journeys as Mermaid source: the ``journey`` diagram and the emotion curve.

Every piece of author text goes through :mod:`cjm_plugin.escape`, so a name or
a pain point can never end a Mermaid statement or smuggle in a directive.
The functions return the diagram source without the Markdown fence.
"""

from __future__ import annotations

from collections.abc import Mapping

from .escape import mermaid_actor, mermaid_text
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

#: Persona dots, in the Okabe-Ito palette: told apart with any colour vision,
#: each with Mermaid's black ring, in light and dark mode.
ACTOR_COLOURS = ("#0072B2", "#E69F00", "#CC79A7", "#009E73", "#56B4E9", "#D55E00", "#F0E442")

#: Mermaid's CSS for the diagram, scoped by Mermaid to this SVG. It replaces
#: the CSS Material gives every diagram, so it keeps the rules of Material's
#: that reach a journey (lines, arrowhead, label font; the lines in a colour
#: read where the line is drawn, so a diagram box that sets Material's
#: colours for itself sets them for the lines too) and adds: the persona
#: colours (Mermaid takes ``actorColours`` from no diagram source: its config
#: sanitiser drops list values, and its merge appends lists rather than
#: replacing them), and title and legend in the page's text colour, so they
#: read in dark mode too. Task and stage labels sit on Mermaid's pale boxes:
#: dark text in both modes.
JOURNEY_CSS = " ".join(
    [
        "line { stroke: var(--md-default-fg-color--light); }",
        "marker { fill: var(--md-mermaid-edge-color) !important; }",
        ".label { color: #1f2328; font-family: var(--md-mermaid-font-family); }",
        "text:not([class]), text.legend { fill: var(--md-default-fg-color); }",
        *(f".actor-{n} {{ fill: {colour}; }}" for n, colour in enumerate(ACTOR_COLOURS)),
    ]
)

#: Mermaid's ``journey`` config, as the diagram's front matter: cjm writes it,
#: never from author text. Drawn at its own size (``useMaxWidth: false``):
#: shrunk to the column, a journey of a dozen steps becomes unreadable; the
#: page lets it scroll sideways. Narrower gaps between steps (``taskMargin``,
#: and ``diagramMarginX``, which Mermaid uses for the gaps inside a stage's
#: bar, so the two stay equal), a smaller left margin and a title that fits
#: the first screen; taller task boxes hold three lines of a long step name.
#: ``maxLabelWidth``: Mermaid measures a legend name with its entity codes
#: still in it, and cuts a word wider than that with a hyphen, which can split
#: an entity code and garble the name: a wide limit keeps whole names whole.
#: The faces are where Mermaid puts them (fixed heights), and it draws the
#: same sad face for scores 1 and 2: no config changes either.
JOURNEY_CONFIG = (
    "---",
    "config:",
    "  journey:",
    "    useMaxWidth: false",
    "    titleFontSize: 22px",
    "    leftMargin: 120",
    "    maxLabelWidth: 720",
    "    taskMargin: 20",
    "    diagramMarginX: 20",
    "    diagramMarginY: 0",
    "    height: 60",
    f'  themeCSS: "{JOURNEY_CSS}"',
    "---",
)


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
