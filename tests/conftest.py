"""Settings every test shares."""

from __future__ import annotations

import os

#: 2026-11-01: the build date of every test that does not set its own. Review dates
#: and overdue actions are judged on it, so a test never goes stale with the calendar
#: (the example maps and the fixtures were reviewed in 2026).
TEST_BUILD_DATE = "1793491200"


def pytest_configure() -> None:
    os.environ.setdefault("SOURCE_DATE_EPOCH", TEST_BUILD_DATE)
