"""The emotion curve of a journey as inline SVG, made at build time.

The curve sits in the map grid's "Emotion curve" row, one cell spanning every
step column, so it is exactly ``steps * STEP_COLUMN_WIDTH`` pixels wide and the
point of step N is centred in step column N: the curve lines up with the
emotion cells above it. No JavaScript draws it, so it prints and reads
without a script, and its colours come from CSS custom properties (with a
fallback in each attribute) so a light or dark palette switches it live:

- ``--cjm-curve-0`` ... ``--cjm-curve-5``: the lines, by ``K % 6`` of
  ``cjm-curve__line--K``;
- ``--cjm-curve-text``: tick labels, legend and stars (default: the text colour);
- ``--cjm-curve-grid``: grid lines and stage edges (drawn at 30% opacity);
- ``--cjm-curve-background``: the inside of the other state's hollow points
  (default: Material's ``--md-default-bg-color``).

Lines: when every step has the same actors, one line named for them; else one
line per persona joining only the steps that persona takes (shifted a few
pixels apart so lines over the same steps all show), and a line for steps
with no actor. The other state of the journey (``compares_to``) is drawn
stage by stage, by stage id: for each stage of this journey the other state
also has, one point at the stage's centre showing the average emotion of the
other state's steps in that stage (their number rarely matches, and an
average keeps every point on the stage it belongs to); stages the other
state lacks get no point. Its line is dashed and its points hollow.

Measured emotions (from the measurement tables, when the page passes them)
are hollow diamonds in the step's column, in ``--cjm-curve-measured``
(default: the text colour, so they read on a light and a dark page alike),
with a dotted line to the stated point where the two are more than a point
apart, and a legend entry "measured".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .escape import html_text, visible_text
from .measured import MeasuredEmotion
from .mermaid import EMOTION_WORDS
from .model import Journey, Stage, Step
from .registry import Registry

#: Width in pixels of every step column of the map grid, and of each step's
#: share of the curve: wide enough for a readable card of a step's name,
#: touchpoints, thoughts and pain points.
STEP_COLUMN_WIDTH = 200

#: Line colours when the page sets no ``--cjm-curve-K``: each at least 3:1
#: against white and against Material's slate background (#1e2129). The hues
#: follow the persona colours of the journey diagram (``mermaid.ACTOR_COLOURS``:
#: blue, orange, reddish purple, green, sky blue, vermilion), and persona lines
#: come in the diagram's order, so a persona has one colour on the whole page.
PALETTE = ("#3b82f6", "#e8590c", "#e64980", "#0d9488", "#0891b2", "#dc2626")
#: Dash patterns by line, so no line is told apart by colour alone.
_DASHES = ("", "12 4", "3 4", "12 4 3 4", "6 3", "1 3")
_OTHER_DASH = "7 5"

_TOP = 30  # room above "very positive" for a moment's star
_LEVEL_GAP = 30  # pixels between two emotion scores
_PLOT_BOTTOM = _TOP + 4 * _LEVEL_GAP + 20
_LEGEND_ROW = 20
_LEGEND_TEXT_X = 44
#: A generous width of one character of legend text (12 px), to cut long names.
_CHAR_WIDTH = 7
_POINT_RADIUS = 5
_MOMENT_RADIUS = 7
#: Largest vertical shift between the lines of different personas.
_MAX_SPREAD = 16

_TEXT = "var(--cjm-curve-text, currentColor)"
_GRID = "var(--cjm-curve-grid, currentColor)"
_BACKGROUND = "var(--cjm-curve-background, var(--md-default-bg-color, #fff))"
_NO_ACTOR = "No persona named"
_MEASURED = "var(--cjm-curve-measured, var(--cjm-curve-text, currentColor))"
#: Half the diagonal of a measured point's diamond: it rings a stated point it agrees with.
_DIAMOND = 8


@dataclass(frozen=True)
class _Point:
    x: float
    emotion: float
    attribute: str
    """``data-step`` (this journey's points) or ``data-stage`` (the other state's)."""
    value: str
    """The step number or the stage id."""
    label: str
    moment: bool


@dataclass(frozen=True)
class _Line:
    name: str
    points: tuple[_Point, ...]
    other: bool = False


def _num(value: float) -> str:
    """A coordinate, the same on every machine: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


#: Noncharacters XML refuses even as references: the SVG stays well-formed XML,
#: so it can be cut out of the page and opened on its own.
_NONCHARACTERS = str.maketrans({"\ufffe": "\ufffd", "\uffff": "\ufffd"})


def _text(text: str) -> str:
    """Author text for a text node or an attribute: one line, escaped."""
    return html_text(" ".join(visible_text(text).translate(_NONCHARACTERS).split()))


def _y(emotion: float) -> float:
    return _TOP + (5 - emotion) * _LEVEL_GAP


def _x(column: float) -> float:
    """The x of a (0-based, possibly fractional) column's centre."""
    return (column + 0.5) * STEP_COLUMN_WIDTH


def _ranges(numbers: Sequence[int]) -> str:
    """``1–3, 5``: step numbers in short form for the description."""
    parts: list[str] = []
    start = previous = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == previous + 1:
            previous = n
            continue
        parts.append(str(start) if start == previous else f"{start}–{previous}")
        if n is not None:
            start = previous = n
    return ", ".join(parts)


def _persona_name(registry: Registry, persona_id: str) -> str:
    persona = registry.personas.get(persona_id)
    return persona.name if persona is not None else persona_id


def _own_lines(journey: Journey, registry: Registry) -> list[_Line]:
    steps = journey.all_steps()
    actors = [journey.actors_of(step) for _, step in steps]
    points = [
        _Point(
            _x(column),
            step.emotion,
            "data-step",
            str(column + 1),
            f"Step {column + 1}. {step.name}: {step.emotion}, {EMOTION_WORDS[step.emotion]}"
            + (", moment of truth" if step.moment_of_truth else ""),
            step.moment_of_truth,
        )
        for column, (_, step) in enumerate(steps)
    ]
    if all(set(a) == set(actors[0]) for a in actors):
        names = [_persona_name(registry, p) for p in dict.fromkeys(actors[0])]
        return [_Line(", ".join(names) or _NO_ACTOR, tuple(points))]
    order = dict.fromkeys(journey.personas)
    for step_actors in actors:
        order.update(dict.fromkeys(step_actors))
    # Mermaid colours a journey's actors in the order of their names, as
    # JavaScript sorts strings (by UTF-16 code units): the lines take the same.
    by_name = sorted(order, key=lambda p: _persona_name(registry, p).encode("utf-16-be"))
    lines = [
        _Line(
            _persona_name(registry, persona_id),
            tuple(p for p, a in zip(points, actors, strict=True) if persona_id in a),
        )
        for persona_id in by_name
    ]
    lines = [line for line in lines if line.points]
    alone = tuple(p for p, a in zip(points, actors, strict=True) if not a)
    if alone:
        lines.append(_Line(_NO_ACTOR, alone))
    return lines


def _other_line(journey: Journey, other: Journey) -> _Line | None:
    """The other state, stage by stage: its average at the centre of each shared stage."""
    theirs: dict[str, Stage] = {}
    for stage in other.stages:
        theirs.setdefault(stage.slug, stage)
    points: list[_Point] = []
    column = 0
    for stage in journey.stages:
        first, column = column, column + len(stage.steps)
        match = theirs.get(stage.slug)
        if match is None:
            continue
        emotions = [step.emotion for step in match.steps]
        average = sum(emotions) / len(emotions)
        moments = [step.name for step in match.steps if step.moment_of_truth]
        label = (
            f"{other.state.capitalize()} state, {match.name}: average {average:.1f}"
            f" over {len(emotions)} step{'' if len(emotions) == 1 else 's'}"
            + (f", moment of truth: {'; '.join(moments)}" if moments else "")
        )
        centre = (first + column - 1) / 2
        points.append(_Point(_x(centre), average, "data-stage", stage.slug, label, bool(moments)))
    if not points:
        return None
    return _Line(f"{other.state.capitalize()} state: {other.title}", tuple(points), other=True)


def _point_markup(point: _Point, y: float, colour: str, other: bool) -> Iterable[str]:
    classes = "cjm-curve__point" + (" cjm-curve__point--moment" if point.moment else "")
    radius = _MOMENT_RADIUS if point.moment else _POINT_RADIUS
    fill = _BACKGROUND if other else colour
    emotion = _num(point.emotion) if other else str(int(point.emotion))
    yield (
        f'<circle class="{classes}" {point.attribute}="{_text(point.value)}" data-emotion="{emotion}"'
        f' cx="{_num(point.x)}" cy="{_num(y)}" r="{radius}" fill="{fill}"'
        f' stroke="{colour}" stroke-width="2.5"><title>{_text(point.label)}</title></circle>'
    )
    if point.moment:
        yield (
            f'<text class="cjm-curve__moment-mark" x="{_num(point.x)}"'
            f' y="{_num(y - radius - 4)}" text-anchor="middle" font-size="14"'
            f' fill="{colour}" aria-hidden="true">★</text>'
        )


def _line_markup(index: int, line: _Line, shift: float) -> Iterable[str]:
    colour = f"var(--cjm-curve-{index % len(PALETTE)}, {PALETTE[index % len(PALETTE)]})"
    dash = _OTHER_DASH if line.other else _DASHES[index % len(_DASHES)]
    yield (f'<g class="cjm-curve__line cjm-curve__line--{index}" data-series="{_text(line.name)}">')
    coordinates = " ".join(f"{_num(p.x)},{_num(_y(p.emotion) + shift)}" for p in line.points)
    yield (
        f'<polyline class="cjm-curve__path" points="{coordinates}" fill="none"'
        f' stroke="{colour}" stroke-width="2.5" stroke-linejoin="round"'
        + (f' stroke-dasharray="{dash}"' if dash else "")
        + "/>"
    )
    for point in line.points:
        yield from _point_markup(point, _y(point.emotion) + shift, colour, line.other)
    yield "</g>"


def _legend_markup(lines: Sequence[_Line], width: int, measured: bool = False) -> Iterable[str]:
    yield '<g class="cjm-curve__legend">'
    room = max(4, (width - _LEGEND_TEXT_X - 4) // _CHAR_WIDTH)
    for index, line in enumerate(lines):
        y = _PLOT_BOTTOM + 8 + index * _LEGEND_ROW + _LEGEND_ROW / 2
        colour = f"var(--cjm-curve-{index % len(PALETTE)}, {PALETTE[index % len(PALETTE)]})"
        dash = _OTHER_DASH if line.other else _DASHES[index % len(_DASHES)]
        fill = _BACKGROUND if line.other else colour
        shown = line.name if len(line.name) <= room else line.name[: room - 1] + "…"
        yield (
            f'<g class="cjm-curve__legend-item" data-series="{_text(line.name)}">'
            f"<title>{_text(line.name)}</title>"
            f'<line x1="8" y1="{_num(y)}" x2="36" y2="{_num(y)}" stroke="{colour}"'
            f' stroke-width="2.5"' + (f' stroke-dasharray="{dash}"' if dash else "") + "/>"
            f'<circle cx="22" cy="{_num(y)}" r="{_POINT_RADIUS}" fill="{fill}"'
            f' stroke="{colour}" stroke-width="2.5"/>'
            f'<text class="cjm-curve__legend-name" x="{_LEGEND_TEXT_X}" y="{_num(y + 4)}"'
            f' fill="{_TEXT}">{_text(shown)}</text></g>'
        )
    if measured:
        yield _measured_legend(len(lines))
    yield "</g>"


def _diamond(x: float, y: float, size: float) -> str:
    return (
        f"M{_num(x)},{_num(y - size)} L{_num(x + size)},{_num(y)}"
        f" L{_num(x)},{_num(y + size)} L{_num(x - size)},{_num(y)} Z"
    )


def _measured_label(number: int, step: Step, measured: MeasuredEmotion) -> str:
    """``Step 4. Pays: measured 2.4 (CSAT, 120 responses, 2026-10-01), stated 2``."""
    responses = measured.responses
    return (
        f"Step {number}. {step.name}: measured {measured.value:.1f} "
        f"({', '.join(measured.metrics)}, {responses} response{'' if responses == 1 else 's'}, "
        f"{measured.latest.isoformat()}), stated {step.emotion}"
    )


def _measured_markup(journey: Journey, measured: Mapping[int, MeasuredEmotion]) -> Iterable[str]:
    """The measured points: a hollow diamond each, and a dotted line where the map drifted."""
    yield '<g class="cjm-curve__measured" data-series="measured">'
    for column, (_, step) in enumerate(journey.all_steps()):
        found = measured.get(column + 1)
        if found is None:
            continue
        x, y = _x(column), _y(found.value)
        if found.drifted:
            yield (
                f'<line class="cjm-curve__drift" x1="{_num(x)}" y1="{_num(_y(step.emotion))}"'
                f' x2="{_num(x)}" y2="{_num(y)}" stroke="{_MEASURED}" stroke-width="1.5"'
                ' stroke-dasharray="2 3"/>'
            )
        yield (
            f'<path class="cjm-curve__measured-point" data-step="{column + 1}"'
            f' data-measured="{found.value:.1f}" d="{_diamond(x, y, _DIAMOND)}"'
            f' fill="{_BACKGROUND}" fill-opacity="0" stroke="{_MEASURED}" stroke-width="2">'
            f"<title>{_text(_measured_label(column + 1, step, found))}</title></path>"
        )
    yield "</g>"


def _measured_legend(row: int) -> str:
    y = _PLOT_BOTTOM + 8 + row * _LEGEND_ROW + _LEGEND_ROW / 2
    return (
        '<g class="cjm-curve__legend-item" data-series="measured"><title>measured</title>'
        f'<path d="{_diamond(22, y, 6)}" fill="none" stroke="{_MEASURED}" stroke-width="2"/>'
        f'<text class="cjm-curve__legend-name" x="{_LEGEND_TEXT_X}" y="{_num(y + 4)}"'
        f' fill="{_TEXT}">measured</text></g>'
    )


def _description(journey: Journey, lines: Sequence[_Line]) -> str:
    steps = journey.all_steps()
    parts = [
        f"Emotion of each of {len(steps)} steps, from 1 ({EMOTION_WORDS[1]})"
        f" to 5 ({EMOTION_WORDS[5]}), average {journey.average_emotion:.1f}."
    ]
    for line in lines:
        if line.other:
            parts.append(f"Dashed line {line.name}: its average emotion in each stage it shares.")
        else:
            numbers = [int(p.value) for p in line.points]
            parts.append(f"Line {line.name}: steps {_ranges(numbers)}.")
    moments = [n for n, (_, step) in enumerate(steps, start=1) if step.moment_of_truth]
    if moments:
        parts.append(f"Moments of truth (★): steps {_ranges(moments)}.")
    return " ".join(parts)


def journey_curve_svg(
    journey: Journey,
    registry: Registry,
    measured: Mapping[int, MeasuredEmotion] | None = None,
) -> str:
    """The emotion curve of ``journey`` (and of its other state) as an inline ``<svg>``.

    ``measured``: the measured emotion of steps, by 1-based step number (as
    ``StepRef.number``), drawn as hollow diamonds; steps left out have none.
    """
    steps: list[tuple[Stage, Step]] = journey.all_steps()
    width = len(steps) * STEP_COLUMN_WIDTH
    lines = _own_lines(journey, registry)
    other = registry.counterpart(journey.id)
    if other is not None and other.id != journey.id:
        other_line = _other_line(journey, other)
        if other_line is not None:
            lines.append(other_line)
    shown = {n: m for n, m in (measured or {}).items() if 1 <= n <= len(steps)}
    height = _PLOT_BOTTOM + 8 + (len(lines) + bool(shown)) * _LEGEND_ROW + 4
    ids = f"cjm-curve-{journey.id}"
    description = _description(journey, lines)
    if shown:
        description += f" Measured emotion (hollow diamonds): steps {_ranges(sorted(shown))}."
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cjm-curve" role="img"'
        f' aria-labelledby="{ids}-title" aria-describedby="{ids}-desc"'
        f' width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-size="12">',
        f'<title id="{ids}-title">{_text("Emotion curve: " + journey.title)}</title>',
        f'<desc id="{ids}-desc">{_text(description)}</desc>',
        '<g class="cjm-curve__axis">',
    ]
    for emotion, word in sorted(EMOTION_WORDS.items(), reverse=True):
        y = _num(_y(emotion))
        out.append(
            f'<line class="cjm-curve__grid" x1="0" y1="{y}" x2="{width}" y2="{y}"'
            f' stroke="{_GRID}" stroke-opacity="0.3"/>'
        )
        out.append(
            f'<text class="cjm-curve__tick" x="2" y="{_num(_y(emotion) - 4)}" font-size="10"'
            f' fill="{_TEXT}">{emotion} {word}</text>'
        )
    column = 0
    for stage in journey.stages[:-1]:
        column += len(stage.steps)
        x = column * STEP_COLUMN_WIDTH
        out.append(
            f'<line class="cjm-curve__stage-edge" x1="{x}" y1="{_TOP - 20}" x2="{x}"'
            f' y2="{_PLOT_BOTTOM - 10}" stroke="{_GRID}" stroke-opacity="0.3"'
            ' stroke-dasharray="2 4"/>'
        )
    out.append("</g>")
    own = [line for line in lines if not line.other]
    spacing = min(5.0, _MAX_SPREAD / (len(own) - 1)) if len(own) > 1 else 0.0
    for index, line in enumerate(lines):
        shift = 0.0 if line.other else (index - (len(own) - 1) / 2) * spacing
        out.extend(_line_markup(index, line, shift))
    if shown:
        out.extend(_measured_markup(journey, shown))
    out.extend(_legend_markup(lines, width, bool(shown)))
    out.append("</svg>")
    return "\n".join(out)
