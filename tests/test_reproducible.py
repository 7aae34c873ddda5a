"""Reproducible builds: the same journey files give the same site, byte for byte.

Generated pages are reviewed as diffs and published from CI, so nothing in
them may depend on the order files were created in, on Python's hash seed
(set and dict order), on the locale, on the time zone or on the clock;
``SOURCE_DATE_EPOCH`` fixes the only date MkDocs writes (the sitemap's).
"""

from __future__ import annotations

import gzip
import os
import random
import re
import subprocess
import sys
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from sites import (
    adversarial_journeys,
    build_site,
    realistic_journeys,
    tree_digest,
    write_project,
)

from cjm_plugin.load import SourceText, load_sources
from cjm_plugin.pages import render_site

#: 2025-02-03 04:05:06 UTC: a date no test run happens on.
SOURCE_DATE_EPOCH = 1738555506

#: Fixed commit identity and dates, so two repositories with the same files
#: have the same commit ids and the revision history is part of the comparison.
GIT_ENVIRONMENT = {
    "GIT_AUTHOR_NAME": "Ann Author",
    "GIT_AUTHOR_EMAIL": "ann@example.org",
    "GIT_AUTHOR_DATE": "2025-01-31T23:30:00+13:00",
    "GIT_COMMITTER_NAME": "Ann Author",
    "GIT_COMMITTER_EMAIL": "ann@example.org",
    "GIT_COMMITTER_DATE": "2025-01-31T23:30:00+13:00",
}


def all_journeys() -> dict[str, str]:
    """The realistic and adversarial maps in one folder (their ids do not overlap)."""
    return {**realistic_journeys(), **adversarial_journeys()}


def shuffled(files: Mapping[str, str], seed: int) -> dict[str, str]:
    """The same files in another creation order, so directory listings differ."""
    items = list(files.items())
    random.Random(seed).shuffle(items)
    return dict(items)


def write_repository(root: Path, seed: int) -> Path:
    """A committed project whose files were created in the order ``seed`` picks."""
    docs = shuffled({"index.md": "# Home\n", "about.md": "# About\n", "b/c.md": "# C\n"}, seed)
    config_file = write_project(
        root,
        shuffled(all_journeys(), seed),
        docs=docs,
        record_nav=False,
        site_url="https://example.org/maps/",
    )
    environment = {**os.environ, **GIT_ENVIRONMENT}
    for arguments in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "Journeys"]):
        subprocess.run(
            ["git", *arguments], cwd=root, env=environment, check=True, capture_output=True
        )
    return config_file


def build_in_subprocess(config_file: Path, site: Path, **environment: str) -> None:
    """``mkdocs build`` in its own process, with its own clock, locale and hash seed."""
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_file), "-d", str(site)],
        cwd=config_file.parent,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr


def test_builds_are_identical_whatever_file_order_hash_seed_locale_and_time_zone(
    tmp_path: Path,
) -> None:
    first = write_repository(tmp_path / "first", seed=1)
    second = write_repository(tmp_path / "second", seed=2)
    build_in_subprocess(
        first,
        tmp_path / "site-1",
        SOURCE_DATE_EPOCH=str(SOURCE_DATE_EPOCH),
        PYTHONHASHSEED="1",
        TZ="Pacific/Auckland",
        LC_ALL="C.UTF-8",
    )
    build_in_subprocess(
        second,
        tmp_path / "site-2",
        SOURCE_DATE_EPOCH=str(SOURCE_DATE_EPOCH),
        PYTHONHASHSEED="2",
        TZ="America/Los_Angeles",
        LC_ALL="C",
    )
    built = tree_digest(tmp_path / "site-1")
    assert any(path.startswith("journeys/evil/") for path in built)
    journey_page = (tmp_path / "site-1" / "journeys" / "account-opening" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "2025-01-31" in journey_page, "the revision history is part of what is compared"
    assert "<lastmod>2025-02-03</lastmod>" in (tmp_path / "site-1" / "sitemap.xml").read_text()
    assert tree_digest(tmp_path / "site-2") == built


def test_sitemap_dates_come_from_source_date_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(SOURCE_DATE_EPOCH))
    config_file = write_project(
        tmp_path, realistic_journeys(), record_nav=False, site_url="https://example.org/"
    )
    site = build_site(config_file)
    day = datetime.fromtimestamp(SOURCE_DATE_EPOCH, timezone.utc).date()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    dates = set(re.findall(r"<lastmod>([^<]*)</lastmod>", sitemap))
    assert dates == {day.isoformat()}
    compressed = (site / "sitemap.xml.gz").read_bytes()
    # The gzip header's mtime (bytes 4-8): MkDocs sets it to the sitemap's newest date.
    midnight = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
    assert int.from_bytes(compressed[4:8], "little") == int(midnight.timestamp())
    assert gzip.decompress(compressed).decode("utf-8") == sitemap


# ---------------------------------------------------------------------------
# The core alone: input order and key order change nothing.


def _sources(files: Mapping[str, str]) -> list[SourceText]:
    return [
        SourceText(f"journeys/{relative}", relative, text.encode("utf-8"))
        for relative, text in files.items()
    ]


def _reordered_keys(text: str, shuffle: Any) -> str:
    """The same record with the keys of every mapping in its front matter in another order."""
    _, front, body = text.split("---\n", 2)

    def reorder(value: Any) -> Any:
        if isinstance(value, dict):
            keys = list(value)
            shuffle(keys)
            return {key: reorder(value[key]) for key in keys}
        if isinstance(value, list):
            return [reorder(item) for item in value]
        return value

    dumped = yaml.safe_dump(
        reorder(yaml.safe_load(front)), allow_unicode=True, sort_keys=False, width=1000
    )
    return f"---\n{dumped}---\n{body}"


def _pages(files: Mapping[str, str]) -> list[tuple[str, str]]:
    result = load_sources(_sources(files))
    assert result.registry is not None, [str(error) for error in result.errors]
    return [(page.uri, page.markdown) for page in render_site(result.registry)]


EXPECTED_PAGES = _pages(all_journeys())


@settings(max_examples=25, deadline=None)
@given(order=st.permutations(sorted(all_journeys())), keys=st.randoms(use_true_random=False))
def test_pages_do_not_depend_on_file_order_or_key_order(order: list[str], keys: Any) -> None:
    files = all_journeys()
    reordered = {relative: _reordered_keys(files[relative], keys.shuffle) for relative in order}
    assert _pages(reordered) == EXPECTED_PAGES
