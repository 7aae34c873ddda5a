"""The package as users get it: the wheel, installed alone in a fresh venv, draws diagrams offline.

The wheel is built from a copy of the sources, installed with its dependencies
(from the package index pip is configured for) into a venv that sees nothing
of this one, and the README's mkdocs.yml snippet is built with that venv's
``mkdocs``. Served on 127.0.0.1, every journey page must draw its diagram with
every other request refused: the Mermaid comes from the wheel, not a CDN.
Installing takes a minute or two, once per session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_readme_snippets import BUNDLED_URI, readme_snippet

from cjm_plugin.load import load_folder

from .conftest import REPO_ROOT, ServedSite, _serve
from .page_checks import load

pytestmark = pytest.mark.browser

INSTALL_TIMEOUT_S = 300


def _run(args: list[str | Path], cwd: Path, timeout: float) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("VIRTUAL_ENV", None)
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"{args}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


@pytest.fixture(scope="module")
def installed_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    root = tmp_path_factory.mktemp("installed-wheel")
    # A copy of the sources, so setuptools' build folder stays out of the checkout.
    source = root / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(REPO_ROOT / name, source / name)
    shutil.copytree(
        REPO_ROOT / "cjm_plugin",
        source / "cjm_plugin",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    wheels = root / "wheels"
    _run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", wheels, source],
        root,
        INSTALL_TIMEOUT_S,
    )
    (wheel,) = wheels.glob("mkdocs_cjm-*.whl")
    venv = root / "venv"
    _run([sys.executable, "-m", "venv", venv], root, 120)
    _run(
        [venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel],
        root,
        INSTALL_TIMEOUT_S,
    )
    project = root / "project"
    project.mkdir()
    (project / "mkdocs.yml").write_text(readme_snippet(), encoding="utf-8")
    shutil.copytree(REPO_ROOT / "journeys", project / "journeys")
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# Our customer journeys\n", encoding="utf-8")
    _run([venv / "bin" / "mkdocs", "build", "--strict"], project, INSTALL_TIMEOUT_S)
    site = project / "site"
    assert (site / BUNDLED_URI).is_file()
    registry = load_folder(project / "journeys").registry
    assert registry is not None
    server, base_url = _serve(site)
    try:
        yield ServedSite("installed", base_url, site, registry)
    finally:
        server.shutdown()
        server.server_close()


def test_every_journey_diagram_renders_offline(installed_site: ServedSite, visit_in: Any) -> None:
    journey_pages = sorted(
        page.parent.name
        for page in (installed_site.site / "journeys").glob("*/index.html")
        # the overview, the action board, the pages by owner and by tag
        if page.parent.name not in ("index", "actions", "owners", "tags")
    )
    assert len(journey_pages) == len(list((REPO_ROOT / "journeys" / "journeys").glob("*.md")))
    visit = visit_in()
    for journey_id in journey_pages:
        texts = load(visit, installed_site, f"journeys/{journey_id}/")
        assert texts, journey_id
    assert visit.outside_requests == []
    assert visit.page_errors == []
