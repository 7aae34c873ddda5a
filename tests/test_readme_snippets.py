"""The mkdocs.yml snippets of README.md and the getting-started guide build as written.

Each snippet goes, unchanged, into an empty folder with a copy of the example
``journeys/`` and a ``docs/index.md``, and ``mkdocs build --strict`` must pass;
the site then carries the Mermaid the package ships. The ``mermaid`` option's
other values are built from the README snippet too.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
README = REPO_ROOT / "README.md"
GUIDE = REPO_ROOT / "docs" / "getting-started.md"
BUNDLED_URI = "assets/cjm/mermaid.min.js"
JOURNEY_PAGES = ("account-opening", "lost-card")

_YAML_BLOCK_RE = re.compile(r"^```yaml\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def mkdocs_snippet(markdown: str, after: str = "") -> str:
    """The first YAML block after the heading ``after`` that configures plugins."""
    start = markdown.index(after) if after else 0
    for block in _YAML_BLOCK_RE.findall(markdown, start):
        if re.search(r"^plugins:", block, re.MULTILINE):
            return str(block)
    raise AssertionError(f"no YAML block with 'plugins:' after {after!r}")


def readme_snippet() -> str:
    return mkdocs_snippet(README.read_text(encoding="utf-8"), "## Use it in your own site")


def guide_snippet() -> str:
    return mkdocs_snippet(GUIDE.read_text(encoding="utf-8"), "## Configure MkDocs")


def _load(snippet: str) -> dict[str, object]:
    class Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml's tag for the Mermaid fence's formatter, kept as its name.
    Loader.add_multi_constructor(
        "tag:yaml.org,2002:python/name:", lambda loader, suffix, node: suffix
    )
    loaded: dict[str, object] = yaml.load(snippet, Loader=Loader)
    return loaded


def build_snippet(root: Path, snippet: str) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` of a folder holding only the snippet, the examples and an index."""
    (root / "mkdocs.yml").write_text(snippet, encoding="utf-8")
    shutil.copytree(REPO_ROOT / "journeys", root / "journeys")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Our customer journeys\n", encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def scripts_of(site: Path, journey_id: str) -> list[str]:
    html = (site / "journeys" / journey_id / "index.html").read_text(encoding="utf-8")
    return re.findall(r'<script src="([^"]+)"', html)


@pytest.mark.parametrize("snippet", [readme_snippet, guide_snippet], ids=["readme", "guide"])
def test_snippet_builds_strict_with_bundled_mermaid(tmp_path: Path, snippet: object) -> None:
    assert callable(snippet)
    built = build_snippet(tmp_path, snippet())
    assert built.returncode == 0, built.stderr
    site = tmp_path / "site"
    bundled = (site / BUNDLED_URI).read_bytes()
    shipped = REPO_ROOT / "cjm_plugin" / "assets" / "mermaid" / "mermaid.min.js"
    assert bundled == shipped.read_bytes()
    for journey_id in JOURNEY_PAGES:
        mermaids = [s for s in scripts_of(site, journey_id) if "mermaid" in s]
        assert mermaids == [f"../../{BUNDLED_URI}"], mermaids


def test_readme_and_guide_show_the_same_config() -> None:
    readme, guide = _load(readme_snippet()), _load(guide_snippet())
    assert readme.get("markdown_extensions") == guide.get("markdown_extensions")
    assert readme["plugins"] == guide["plugins"]
    assert readme == guide
    assert "site_name" in readme


def _with_plugin_options(snippet: str, options: str) -> str:
    replaced = re.sub(r"^  - cjm\b.*$", "  - cjm:\n" + options, snippet, flags=re.MULTILINE)
    assert replaced != snippet
    return replaced


def test_mermaid_none_adds_no_script(tmp_path: Path) -> None:
    snippet = _with_plugin_options(readme_snippet(), "      mermaid: none")
    built = build_snippet(tmp_path, snippet)
    assert built.returncode == 0, built.stderr
    assert not (tmp_path / "site" / BUNDLED_URI).exists()
    assert not [s for s in scripts_of(tmp_path / "site", "lost-card") if "mermaid" in s]


def test_mermaid_url_is_loaded_instead(tmp_path: Path) -> None:
    url = "https://cdn.example.org/mermaid@11/dist/mermaid.min.js"
    built = build_snippet(tmp_path, _with_plugin_options(readme_snippet(), f"      mermaid: {url}"))
    assert built.returncode == 0, built.stderr
    assert not (tmp_path / "site" / BUNDLED_URI).exists()
    assert [s for s in scripts_of(tmp_path / "site", "lost-card") if "mermaid" in s] == [url]


def test_mermaid_of_the_site_replaces_the_bundled_one(tmp_path: Path) -> None:
    snippet = readme_snippet() + "extra_javascript:\n  - javascripts/mermaid.min.js\n"
    (tmp_path / "docs" / "javascripts").mkdir(parents=True)
    (tmp_path / "docs" / "javascripts" / "mermaid.min.js").write_text("// own\n")
    (tmp_path / "mkdocs.yml").write_text(snippet, encoding="utf-8")
    shutil.copytree(REPO_ROOT / "journeys", tmp_path / "journeys")
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    assert not (tmp_path / "site" / BUNDLED_URI).exists()
    mermaids = [s for s in scripts_of(tmp_path / "site", "lost-card") if "mermaid" in s]
    assert mermaids == ["../../javascripts/mermaid.min.js"]


@pytest.mark.parametrize("value", ["cdn", "http://cdn.example.org/mermaid.min.js", "https://"])
def test_mermaid_option_refuses_other_values(tmp_path: Path, value: str) -> None:
    built = build_snippet(
        tmp_path, _with_plugin_options(readme_snippet(), f"      mermaid: {value}")
    )
    assert built.returncode != 0
    assert "mermaid" in built.stderr
