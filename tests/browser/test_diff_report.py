"""The `cjm diff` Markdown report's Mermaid charts pass the same browser check as the site's."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from sites import adversarial_journeys, build_site, journey, persona, write_project

from cjm_plugin.diff import diff_registries, format_markdown
from cjm_plugin.escape import markdown_text
from cjm_plugin.load import SourceText, load_sources
from cjm_plugin.registry import Registry

from .conftest import ServedSite, _serve
from .page_checks import DIAGRAM_TIMEOUT_MS, fold, load

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
    # The axis numbers the steps; the list under the chart names them, escaped.
    assert " ".join(str(n) for n in range(1, len(steps) + 1)) in shown
    for number, name in enumerate(steps, start=1):
        assert f"\n{number}. {markdown_text(name)} (emotion " in report, (number, name)
    assert visit.outside_requests == []
    assert visit.dialogs == []


#: Draws every chart with Mermaid the way GitHub does, on a bare page of the
#: given background with Mermaid's matching theme; then reads what it drew.
_CHART_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>charts</title></head>
<body style="background: {background}; color: {text}; margin: 16px">
<div id="charts"></div>
<script src="mermaid.min.js"></script>
<script>
  const blocks = {blocks};
  mermaid.initialize({{ startOnLoad: false, theme: "{theme}", securityLevel: "strict" }});
  (async () => {{
    const out = document.getElementById("charts");
    for (const [index, block] of blocks.entries()) {{
      const {{ svg }} = await mermaid.render("chart" + index, block);
      out.insertAdjacentHTML("beforeend", "<div>" + svg + "</div>");
    }}
    window.__drawn = true;
  }})().catch((error) => {{ window.__drawn = String(error); }});
</script>
</body></html>
"""

_DRAWN_JS = """
() => [...document.querySelectorAll("#charts svg")].map((svg) => ({
  page: getComputedStyle(document.body).backgroundColor,
  chart: getComputedStyle(svg.querySelector("rect.background")).fill,
  lines: [...svg.querySelectorAll("g[class^='line-plot-'] path")].map(
    (path) => getComputedStyle(path).stroke),
  labels: [...svg.querySelectorAll("g.bottom-axis g.label text")].map((text) => {
    const box = text.getBoundingClientRect();
    return { text: text.textContent, left: box.left, right: box.right };
  }),
}))
"""


def _rgb(colour: str) -> tuple[float, float, float]:
    match = re.fullmatch(r"rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)", colour)
    assert match is not None and match.group(4) in (None, "1"), colour
    red, green, blue = (int(match.group(n)) for n in (1, 2, 3))
    return red, green, blue


def _luminance(colour: str) -> float:
    def linear(channel: float) -> float:
        channel /= 255
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in _rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _contrast(one: str, other: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _changed_reports() -> list[str]:
    """Reports whose charts cover the cases: two lines, one chart a side, many steps."""

    def files(emotions: list[int], extra: int = 0) -> dict[str, str]:
        stages = [
            {"name": "Aware", "steps": [{"name": "Sees an ad", "emotion": emotions[0]}]},
            {
                "name": "Buy",
                "steps": [{"name": f"Step {n}", "emotion": e} for n, e in enumerate(emotions[1:])]
                + [{"name": f"New {n}", "emotion": 5} for n in range(extra)],
            },
        ]
        return {
            "personas/p.md": persona("p", "Pat"),
            "journeys/j.md": journey("j", "Buys", ["p"], stages),
        }

    short = [3, 3, 2, 3, 4]
    long = [1 + n % 5 for n in range(120)]
    pairs = [
        (files(short), files([3, 3, 4, 3, 4])),
        (files(short), files(short, extra=2)),
        (files(long), files([6 - e for e in long])),
    ]
    return [
        format_markdown(diff_registries(registry_of(a), registry_of(b), "main", "HEAD"))
        for a, b in pairs
    ]


@pytest.mark.parametrize(
    ("theme", "background", "text"),
    [("default", "#ffffff", "#1f2328"), ("dark", "#0d1117", "#e6edf3")],
    ids=["light", "dark"],
)
def test_diff_report_chart_lines_stand_out_and_step_numbers_keep_apart(
    tmp_path: Path, mermaid_js: Path, visit_in: Any, theme: str, background: str, text: str
) -> None:
    blocks = [block for report in _changed_reports() for block in _MERMAID_BLOCK.findall(report)]
    assert len(blocks) == 4
    (tmp_path / "index.html").write_text(
        _CHART_PAGE.format(
            background=background, text=text, theme=theme, blocks=json.dumps(blocks)
        ),
        encoding="utf-8",
    )
    shutil.copyfile(mermaid_js, tmp_path / "mermaid.min.js")
    server, base_url = _serve(tmp_path)
    try:
        visit = visit_in(1280)
        visit.page.goto(f"{base_url}/index.html", wait_until="load")
        visit.page.wait_for_function("() => window.__drawn", timeout=DIAGRAM_TIMEOUT_MS)
        assert visit.page.evaluate("() => window.__drawn") is True
        charts = visit.page.evaluate(_DRAWN_JS)
    finally:
        server.shutdown()
        server.server_close()
    assert [len(chart["lines"]) for chart in charts] == [2, 1, 1, 2]
    assert visit.page_errors == [] and visit.outside_requests == []
    for chart in charts:
        # Both lines differ, and each stands out (3:1) from the page and the chart's own box.
        assert len(set(chart["lines"])) == len(chart["lines"])
        for stroke in chart["lines"]:
            for behind in (chart["page"], chart["chart"]):
                assert _contrast(stroke, behind) >= 3, (theme, stroke, behind)
        labels = chart["labels"]
        assert [label["text"] for label in labels] == [str(n) for n in range(1, len(labels) + 1)]
        for one, next_one in itertools.pairwise(labels):
            assert one["right"] < next_one["left"], (theme, one, next_one)
    assert [len(chart["labels"]) for chart in charts] == [5, 5, 7, 120]
