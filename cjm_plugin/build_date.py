"""The date a build is made on, honouring ``SOURCE_DATE_EPOCH`` for reproducible builds.

The one place generated pages get a date from: pages show it (the action
board flags actions due before it) and never read the clock themselves.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping

#: The variable of https://reproducible-builds.org/specs/source-date-epoch/
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"


def build_date(environ: Mapping[str, str] | None = None) -> dt.date:
    """The UTC date of ``SOURCE_DATE_EPOCH`` when it is set and valid, else today's UTC date.

    Valid is what the specification asks: a whole, non-negative number of
    seconds since the UNIX epoch, ASCII digits only.
    """
    value = (os.environ if environ is None else environ).get(SOURCE_DATE_EPOCH, "")
    if value.isascii() and value.isdigit():
        try:
            return dt.datetime.fromtimestamp(int(value), dt.timezone.utc).date()
        except (OverflowError, OSError, ValueError):  # beyond the dates Python knows
            pass
    return dt.datetime.now(dt.timezone.utc).date()
