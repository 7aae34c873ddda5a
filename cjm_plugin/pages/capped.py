"""A portfolio view's rows, capped at what a reader can take in.

Each view of the overview (and of the maps-true section) shows at most
:data:`MAX_ROWS` rows; the template says how many more there are and links
the full data: the exports and the pages by owner and by tag.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

#: The most rows a portfolio view shows: what a reader can take in. The rest is in
#: the exports and on the pages by owner and by tag.
MAX_ROWS = 50


@dataclass(frozen=True)
class Capped(Generic[T]):
    """The rows a view shows, at most :data:`MAX_ROWS`, and how many there are in all.

    Iterates, indexes and counts as its shown rows.
    """

    rows: list[T]
    total: int

    @property
    def more(self) -> int:
        """Rows left out."""
        return self.total - len(self.rows)

    def __iter__(self) -> Iterator[T]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> T:
        return self.rows[index]


def first_rows(rows: Sequence[T], limit: int = MAX_ROWS) -> Capped[T]:
    """The first ``limit`` rows of a ranked list."""
    return Capped(list(rows[:limit]), len(rows))


def lowest_rows(rows: Sequence[T], score: Callable[[T], float], limit: int = MAX_ROWS) -> Capped[T]:
    """The ``limit`` lowest-scoring rows (the first on a tie), kept in their own order."""
    if len(rows) <= limit:
        return Capped(list(rows), len(rows))
    kept = set(heapq.nsmallest(limit, range(len(rows)), key=lambda n: (score(rows[n]), n)))
    return Capped([row for n, row in enumerate(rows) if n in kept], len(rows))
