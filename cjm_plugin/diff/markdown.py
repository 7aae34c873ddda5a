"""The report as a pull-request comment: Markdown, with a Mermaid chart of emotions."""

from __future__ import annotations

from collections.abc import Sequence

from .. import escape
from .changes import ChangeSet, EmotionCurve, RecordDiff
from .describe import Sign, average_line, describe, sign_of


def _chart_label(text: str, limit: int = 24) -> str:
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return escape.xychart_label(shown)


def _emotion_chart(record: RecordDiff) -> list[str]:
    """A Mermaid ``xychart-beta``: one line per side, or one chart per side when steps differ."""
    before, after = record.emotions_before or (), record.emotions_after or ()
    charts: list[tuple[str, EmotionCurve, list[Sequence[int]]]]
    if record.emotions_matched is not None:
        now = [e for *_, e in after]
        charts = [("Emotion: before, then after", after, [record.emotions_matched, now])]
    else:
        charts = [
            ("Emotion before", before, [[e for *_, e in before]]),
            ("Emotion after", after, [[e for *_, e in after]]),
        ]
    lines: list[str] = []
    for title, axis, curves in charts:
        categories = ", ".join(
            _chart_label(f"{n}. {step}") for n, (_, step, _) in enumerate(axis, start=1)
        )
        lines += ["```mermaid", "xychart-beta", f'    title "{title}"']
        lines += [f"    x-axis [{categories}]", '    y-axis "Emotion" 1 --> 5']
        lines += [f"    line [{', '.join(str(e) for e in points)}]" for points in curves]
        lines += ["```", ""]
    if len(charts) == 1:
        lines.append("The first line is before, the second after.")
        lines.append("")
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
            lines += _emotion_chart(record)
        lines += ["</details>", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


_MARKDOWN_SIGN: dict[Sign, str] = {"+": "**+**", "-": "**−**", "~": "**~**"}
