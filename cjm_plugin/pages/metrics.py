"""A journey's metrics beside its other state's: before, after and the change.

A current-state map usually writes only ``before`` and its future state the
targets as ``after``; each page shows both, borrowing what it does not write
from the other state (metrics matched by name, case and spaces ignored) and
saying where a borrowed value came from.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from dataclasses import dataclass
from decimal import Decimal

from ..model import Journey, Metric

#: The minus sign, not a hyphen: it reads as one and does not break a line.
MINUS = "\N{MINUS SIGN}"


@dataclass(frozen=True)
class MetricRow:
    """One line of the Metrics table."""

    name: str
    """As this journey writes it, or the other state when only it names the metric."""
    before: str | None
    """As written; a number as Python writes it; ``None`` when neither state has it."""
    after: str | None
    change: str | None
    """``after`` minus ``before`` ("+18 pts", "−8", "+1.2") when both are quantities
    of the same unit; ``None`` otherwise."""
    before_from: str | None = None
    """The other state's title when ``before`` comes from it; ``None`` when written here."""
    after_from: str | None = None


def metric_key(name: str) -> str:
    """The name two states match a metric by: case and spaces ignored."""
    return "".join(name.split()).casefold()


def metric_rows(journey: Journey, other: Journey | None) -> list[MetricRow]:
    """This journey's metrics in order, then those only ``other`` names.

    A value written on this journey wins over the other state's; a missing one
    is taken from the other state's metric of the same name.
    """
    if other is None or other.id == journey.id:
        return [_row(metric, None, "") for metric in journey.metrics]
    theirs: dict[str, deque[Metric]] = defaultdict(deque)
    for metric in other.metrics:
        theirs[metric_key(metric.name)].append(metric)
    rows = []
    for metric in journey.metrics:
        match = theirs.get(metric_key(metric.name))
        rows.append(_row(metric, match.popleft() if match else None, other.title))
    unmatched = {id(metric) for queue in theirs.values() for metric in queue}
    rows.extend(
        _row(None, metric, other.title) for metric in other.metrics if id(metric) in unmatched
    )
    return rows


def _row(here: Metric | None, there: Metric | None, there_title: str) -> MetricRow:
    name = here.name if here is not None else there.name if there is not None else ""
    before, before_from = _pick(here, there, "before", there_title)
    after, after_from = _pick(here, there, "after", there_title)
    change = change_between(before, after) if before is not None and after is not None else None
    return MetricRow(name, before, after, change, before_from, after_from)


def _pick(
    here: Metric | None, there: Metric | None, field: str, there_title: str
) -> tuple[str | None, str | None]:
    """The value of ``field`` and, when borrowed, the title it is borrowed from."""
    for metric, origin in ((here, None), (there, there_title)):
        value = getattr(metric, field) if metric is not None else None
        if value is not None:
            return written(value), origin
    return None, None


def written(value: str | float) -> str:
    """A metric value as written; numbers without locale, as the journey page writes them."""
    return value if isinstance(value, str) else repr(value)


@dataclass(frozen=True)
class Quantity:
    """A value read as a number and its unit: ``62%``, ``£175``, ``3.1 / 5``, ``8 days``."""

    number: Decimal
    places: int
    """Decimal places as written, to write the change with as many."""
    prefix: str
    """A currency sign before the number, or ``""``."""
    unit: str
    """What follows the number, as written (``"%"``, ``" / 5"``, ``" days"``), or ``""``."""
    grouped: bool
    """Written with thousands separators."""

    @property
    def same_unit_key(self) -> tuple[str, str]:
        return self.prefix, "".join(self.unit.split()).casefold()


_QUANTITY_RE = re.compile(
    r"""
    (?P<sign>[-+\N{MINUS SIGN}]?)\s*
    (?P<prefix>[£$€¥]?)\s*
    (?P<integer>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<fraction>\d+))?
    (?P<unit>
        \s*%                               # a percentage
      | \s*(?:/|out\ of)\s*\d+(?:\.\d+)?   # a score on a scale: 3.1 / 5
      | \s*[^\W\d_][^\d]*                  # a word without digits: days, min, pts
    )?
    """,
    re.VERBOSE,
)


def quantity(text: str) -> Quantity | None:
    """``text`` as a number with a unit; ``None`` for any other text (a date, a range, words)."""
    match = _QUANTITY_RE.fullmatch(text.strip())
    if match is None:
        return None
    fraction = match["fraction"] or ""
    digits = match["integer"].replace(",", "") + (f".{fraction}" if fraction else "")
    number = Decimal(digits)
    if match["sign"] in ("-", MINUS):
        number = -number
    return Quantity(
        number,
        len(fraction),
        match["prefix"],
        (match["unit"] or "").rstrip(),
        "," in match["integer"],
    )


def change_between(before: str, after: str) -> str | None:
    """``after`` minus ``before``, signed, in their unit; ``None`` unless both are
    quantities of the same unit.

    A change of percentages is in percentage points (``+18 pts``): ``+18%``
    would read as a relative change. A change of scores keeps no scale
    (``+1.2``, not ``+1.2 / 5``).
    """
    old, new = quantity(before), quantity(after)
    if old is None or new is None or old.same_unit_key != new.same_unit_key:
        return None
    places = max(old.places, new.places)
    difference = new.number - old.number
    magnitude = abs(difference).quantize(Decimal(1).scaleb(-places))
    number = f"{magnitude:,f}" if old.grouped or new.grouped else f"{magnitude:f}"
    sign = "" if magnitude == 0 else "+" if difference > 0 else MINUS
    unit = new.unit
    bare_unit = unit.strip()
    if bare_unit == "%":
        unit = " pts"
    elif bare_unit.startswith("/") or bare_unit.casefold().startswith("out of"):
        unit = ""
    return f"{sign}{new.prefix}{number}{unit}"
