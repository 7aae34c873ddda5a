"""ProperDocs, the fork that carries MkDocs 1.6 on, loads cjm from the same entry point."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sites import realistic_journeys, write_project


def test_properdocs_builds_the_journey_pages(tmp_path: Path) -> None:
    config_file = write_project(tmp_path, realistic_journeys(), record_nav=False)
    result = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-f", str(config_file)],
        cwd=tmp_path,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    assert (site / "journeys" / "index.html").is_file()
    assert (site / "touchpoints" / "index.html").is_file()
    journey_pages = sorted(p.parent.name for p in (site / "journeys").glob("*/index.html"))
    assert journey_pages, "every journey has its page"
    page = (site / "journeys" / journey_pages[0] / "index.html").read_text(encoding="utf-8")
    assert 'class="mermaid"' in page
