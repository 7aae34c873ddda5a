"""How much of a journey file the loader takes on: the limits a hostile file meets.

Each is far beyond what a real map needs and small enough that a file built
to exhaust time or memory is answered at once, with a message saying which.
"""

from __future__ import annotations

#: Largest journey file read: a map of a few hundred steps is well under it.
MAX_FILE_BYTES = 1_048_576
#: Deepest front matter read, counting the top mapping as level 1: a journey
#: reaches 7 (stages, a stage, steps, a step, a list in it, its items).
MAX_NESTING = 50
#: Most values (keys, items, texts, numbers) in one front matter: a journey
#: of 500 steps, each with a few lists, has 20,000 to 40,000. Reading costs
#: a few microseconds a value, so a 1 MiB file of tiny values stays quick.
MAX_VALUES = 100_000
#: Problems listed for one file: past these, one more message says so. Nobody
#: reads further, and each costs time (a "did you mean" hint compares words).
MAX_PROBLEMS_PER_FILE = 100
#: Longest number read, in digits: more than a number a map shows needs, and
#: short enough that every one is shown in full (``int`` refuses 4,300 digits).
MAX_NUMBER_DIGITS = 30
#: Most rows read from one measurement table: years of weekly survey results
#: for hundreds of steps, and a 1 MiB file of short rows stays within it.
MAX_MEASUREMENT_ROWS = 100_000
#: Longest metric name in a measurement table, in characters.
MAX_METRIC_LENGTH = 100
#: Links followed from one file before giving up: a loop never ends.
MAX_LINK_HOPS = 40
