"""The `cjm diff` Markdown report's Mermaid charts pass the same browser check as the site's."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from sites import adversarial_journeys, build_site, write_project

from cjm_plugin.diff import diff_registries, format_markdown
from cjm_plugin.load import SourceText, load_sources
from cjm_plugin.registry import Registry

from .conftest import ServedSite, _serve
from .page_checks import fold, load

pytestmark = pytest.mark.browser

_MERMAID_BLOCK = re.compile(r"^```mermaid\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def registry_of(files: dict[str, str]) -> Registry:
    result = load_sources(
        [SourceText(name, name, text.encode()) for name, text in sorted(files.items())]
    )
    assert result.registry is not None, [str(d) for d in result.diagnostics]
    return result.registry


def test_diff_report_charts_render_with_adversarial_names(
    tmp_path: Path, mermaid_js: Path, visit_in: Any
) -> None:
    before = adversarial_journeys()
    after = {name: re.sub(r"emotion: (\d)", r"emotion: 5", text) for name, text in before.items()}
    assert after != before
    report = format_markdown(diff_registries(registry_of(before), registry_of(after)))
    blocks = _MERMAID_BLOCK.findall(report)
    assert blocks, "an emotion change draws a before/after chart"

    page = "# Diff report\n\n" + "\n".join(f"```mermaid\n{block}```\n" for block in blocks)
    config = write_project(
        tmp_path,
        before,
        {"index.md": "# Home\n", "report.md": page},
        extra_javascript=["javascripts/mermaid.min.js"],
        record_nav=False,
    )
    (tmp_path / "docs" / "javascripts").mkdir()
    shutil.copyfile(mermaid_js, tmp_path / "docs" / "javascripts" / "mermaid.min.js")
    site = build_site(config)
    server, base_url = _serve(site)
    try:
        served = ServedSite("diff", base_url, site, registry_of(before))
        visit = visit_in()
        texts = load(visit, served, "report/")
    finally:
        server.shutdown()
        server.server_close()
    assert len(texts) == len(blocks)
    shown = fold(" ".join(texts))
    steps = [ref.step.name for ref in served.registry.steps("evil")]
    for number, name in enumerate(steps, start=1):
        # Axis labels are cut short, but each starts with its step as written.
        assert f"{number}. {fold(name)[:8]}" in shown, (number, name, shown)
    assert visit.outside_requests == []
    assert visit.dialogs == []
