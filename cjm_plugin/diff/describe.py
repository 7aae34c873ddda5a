"""A change in words: one line of the text and Markdown reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from .changes import Change, RecordDiff

Sign = Literal["+", "-", "~"]
_ADDED_KINDS = {"added", "attached", "set"}
_REMOVED_KINDS = {"removed", "detached", "cleared"}


def sign_of(kind: str) -> Sign:
    """``+`` for what a change adds, ``-`` for what it removes, ``~`` otherwise."""
    last = kind.rsplit("-", 1)[-1]
    if last in _ADDED_KINDS:
        return "+"
    if last in _REMOVED_KINDS:
        return "-"
    return "~"


def _shown(value: Any) -> str:
    """A field value in words: lists comma-separated, nothing as ``(none)``."""
    if value is None or value == [] or value == {}:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_shown(v)}" for k, v in value.items())
    return str(value)


def describe(change: Change, quote: Callable[[str], str] = str) -> str:
    """One line of the report; ``quote`` makes user text safe for the output format."""

    def q(value: Any) -> str:
        return quote(_shown(value))

    step = q(change.step)
    stage = q(change.stage)
    kind = change.kind
    if kind == "field":
        return f"{change.field}: {q(change.before)} → {q(change.after)}"
    if kind == "body":
        return "body changed"
    if kind in ("stage-added", "stage-removed"):
        return f"stage {kind.split('-')[1]}: {stage}"
    if kind == "stage-renamed":
        return f"stage renamed: {q(change.before)} → {q(change.after)}"
    if kind == "stage-field":
        return f"stage {stage}: {change.field} {q(change.before)} → {q(change.after)}"
    if kind == "stages-reordered":
        return f"stages reordered: {q(change.before)} → {q(change.after)}"
    if kind in ("step-added", "step-removed"):
        return f"step {kind.split('-')[1]} in {stage}: {step}"
    if kind == "step-renamed":
        return f"step renamed in {stage}: {q(change.before)} → {q(change.after)}"
    if kind == "step-moved":
        return f"{step}: moved from stage {q(change.before)} to {q(change.after)}"
    if kind == "steps-reordered":
        return f"steps reordered in {stage}: {q(change.before)} → {q(change.after)}"
    if kind == "emotion":
        direction = "better" if change.after > change.before else "worse"
        return f"{step}: emotion {change.before} → {change.after} ({direction})"
    if kind == "measured-emotion":
        if change.before is None or change.after is None:
            return f"{step}: measured emotion {q(change.before)} → {q(change.after)}"
        direction = "better" if change.after > change.before else "worse"
        return f"{step}: measured emotion {change.before} → {change.after} ({direction})"
    if kind == "thoughts":
        return f"{step}: thoughts {q(change.before)} → {q(change.after)}"
    if kind == "step-field":
        return f"{step}: {change.field} {q(change.before)} → {q(change.after)}"
    if kind.startswith(("touchpoint-", "pain-point-", "opportunity-", "source-")):
        what, _, how = kind.rpartition("-")
        return f"{step}: {what.replace('-', ' ')} {how}: {q(change.item)}"
    if kind == "moment-of-truth-set":
        return f"{step}: now a moment of truth"
    if kind == "moment-of-truth-cleared":
        return f"{step}: no longer a moment of truth"
    if kind in ("metric-added", "metric-removed", "action-added", "action-removed"):
        what, _, how = kind.partition("-")
        value = change.after if how == "added" else change.before
        return f"{what} {how}: {q(change.item)} ({q(value)})"
    if kind in ("rows-added", "rows-removed"):
        count = change.after if kind == "rows-added" else change.before
        return f"{count} row{'' if count == 1 else 's'} {kind.partition('-')[2]}"
    if kind in ("metric-changed", "action-changed"):
        what = kind.partition("-")[0]
        return f"{what} {q(change.item)}: {change.field} {q(change.before)} → {q(change.after)}"
    return kind


def average_line(record: RecordDiff) -> str | None:
    """``average emotion 3.20 → 3.60`` for a journey, ``None`` for other records."""
    before, after = record.average_before, record.average_after
    if before is None and after is None:
        return None
    shown = [f"{v:.2f}" if v is not None else "(none)" for v in (before, after)]
    return f"average emotion {shown[0]} → {shown[1]}"
