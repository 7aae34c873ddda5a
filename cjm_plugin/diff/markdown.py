"""The report as a pull-request comment: Markdown, with a Mermaid chart of emotions."""

from __future__ import annotations

from collections.abc import Sequence

from .. import escape
from .changes import ChangeSet, EmotionCurve, RecordDiff
from .describe import Sign, average_line, describe, sign_of

#: The chart's line colours, set in the chart itself so that both lines are
#: plain on GitHub's and GitLab's light and dark pages (Mermaid's own palettes
#: start with a pale colour): each is at least 3:1 against white, against
#: Mermaid's dark background (#333) and against GitHub's dark page (#0d1117).
#: Blue and orange stay apart for the common colour-vision deficiencies.
BEFORE_COLOUR = ("#3b82f6", "🟦 blue")
AFTER_COLOUR = ("#e8590c", "🟧 orange")

#: Room a step takes on the x axis, so that its number never runs into the next
#: one (Mermaid draws the labels at 14 px); the chart grows with the steps and
#: the renderer scales it down as a whole.
_PIXELS_PER_STEP = 28
_PIXELS_PER_STEP_FROM_100 = 44
_CHART_MIN_WIDTH = 700
_Y_AXIS_WIDTH = 120


def _chart_config(steps: int, colours: Sequence[str]) -> list[str]:
    """The chart's own Mermaid configuration: its width and its line colours."""
    per_step = _PIXELS_PER_STEP if steps < 100 else _PIXELS_PER_STEP_FROM_100
    width = max(_CHART_MIN_WIDTH, _Y_AXIS_WIDTH + per_step * steps)
    return [
        "---",
        "config:",
        "  xyChart:",
        f"    width: {width}",
        "  themeVariables:",
        "    xyChart:",
        f'      plotColorPalette: "{", ".join(colours)}"',
        "---",
    ]


def _step_list(axis: EmotionCurve, before: Sequence[int] | None) -> list[str]:
    """The steps the axis numbers, with their emotion (before → after when it changed)."""
    md = escape.markdown_text
    lines = []
    for n, (_, step, emotion) in enumerate(axis, start=1):
        old = before[n - 1] if before is not None else emotion
        shown = str(emotion) if old == emotion else f"{old} → {emotion}"
        lines.append(f"{n}. {md(step)} (emotion {shown})")
    return lines


def _emotion_chart(record: RecordDiff, sides: tuple[str, str]) -> list[str]:
    """A Mermaid ``xychart-beta``: one line per side, or one chart per side when steps differ.

    The x axis numbers the steps (names would run into each other); a numbered
    list under each chart names them, and a legend line names the lines'
    colours in words.
    """
    md = escape.markdown_text
    before_side, after_side = (
        name if side == name else f"{name} ({md(side)})"
        for name, side in zip(("before", "after"), sides, strict=True)
    )
    before, after = record.emotions_before or (), record.emotions_after or ()
    charts: list[tuple[str, EmotionCurve, list[Sequence[int]], list[tuple[str, str]], str]]
    if record.emotions_matched is not None:
        now = [e for *_, e in after]
        charts = [
            (
                "Emotion by step: before and after",
                after,
                [record.emotions_matched, now],
                [BEFORE_COLOUR, AFTER_COLOUR],
                f"Lines: {BEFORE_COLOUR[1]}, {before_side}; {AFTER_COLOUR[1]}, {after_side}."
                " Where the emotion did not change, the orange line covers the blue one.",
            )
        ]
    else:
        charts = [
            (
                "Emotion by step: before",
                before,
                [[e for *_, e in before]],
                [BEFORE_COLOUR],
                f"Line: {BEFORE_COLOUR[1]}, {before_side}.",
            ),
            (
                "Emotion by step: after",
                after,
                [[e for *_, e in after]],
                [AFTER_COLOUR],
                f"Line: {AFTER_COLOUR[1]}, {after_side}.",
            ),
        ]
    lines: list[str] = []
    for title, axis, curves, colours, legend in charts:
        numbers = ", ".join(f'"{n}"' for n in range(1, len(axis) + 1))
        lines += ["```mermaid", *_chart_config(len(axis), [c for c, _ in colours])]
        lines += ["xychart-beta", f'    title "{title}"']
        lines += [f'    x-axis "Step" [{numbers}]']
        lines += ['    y-axis "Emotion (1 very negative, 5 very positive)" 1 --> 5']
        lines += [f"    line [{', '.join(str(e) for e in points)}]" for points in curves]
        lines += ["```", "", legend, ""]
        lines += [*_step_list(axis, curves[0] if len(curves) == 2 else None), ""]
    return lines


def format_markdown(change_set: ChangeSet) -> str:
    """A pull-request comment: a summary, then one collapsible section per changed record."""
    md = escape.markdown_text
    html = escape.html_text
    lines = [
        "### Journey map changes",
        "",
        f"{md(change_set.before)} → {md(change_set.after)}: **{change_set.summary}**",
        "",
    ]
    for record in change_set.records:
        summary = (
            f"{record.type.capitalize()} <code>{html(record.id)}</code> {record.status}: "
            f"{html(record.title)}"
        )
        average = average_line(record)
        if average is not None and record.status == "changed":
            summary += f" ({average})"
        lines += ["<details>", f"<summary>{summary}</summary>", ""]
        lines.append(f"File: {md(record.path)}")
        lines.append("")
        for change in record.changes:
            lines.append(f"- {_MARKDOWN_SIGN[sign_of(change.kind)]} {describe(change, md)}")
        if record.changes:
            lines.append("")
        if record.emotions_changed:
            lines += _emotion_chart(record, (change_set.before, change_set.after))
        lines += ["</details>", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


_MARKDOWN_SIGN: dict[Sign, str] = {"+": "**+**", "-": "**−**", "~": "**~**"}
