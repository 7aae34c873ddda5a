"""Evidence and sources per step, and measured emotions, on the journey page and in `cjm diff`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sites import build_site, journey, persona, touchpoint, write_project

from cjm_plugin.cli import main

STEPS: list[dict[str, Any]] = [
    {
        "name": "Discover",
        "steps": [
            {
                "name": "Sees the ad",
                "id": "sees-ad",
                "emotion": 4,
                "touchpoints": ["ad"],
                "evidence": "observed",
                "sources": [
                    "Campaign analytics, Q1 2026",
                    "https://research.example.com/studies/rs-1?a=1&b=2",
                    "javascript:alert(1)",
                    "http://",
                    "https://example.com/a b",
                ],
            },
            {"name": "Reads the page", "emotion": 3, "evidence": "assumed"},
            {"name": "Asks a friend", "emotion": 2},
        ],
    }
]

CSV = """date,journey,step,touchpoint,metric,value,min,max,responses
2026-09-01,ads,sees-ad,,CSAT,2,1,5,40
2026-10-01,,,ad,CSAT,1.5,1,5,60
2026-10-01,ads,reads-the-page,,CES,4,1,7,10
"""


def project(tmp_path: Path, csv: str | None = CSV, **plugin: object) -> Path:
    files = {
        "personas/ann.md": persona("ann", "Ann"),
        "touchpoints/ad.md": touchpoint("ad", "Ad", "ads"),
        "journeys/ads.md": journey("ads", "Sees ads", ["ann"], STEPS, reviewed="2026-10-01"),
    }
    if csv is not None:
        files["measurements/survey.csv"] = csv
    return write_project(tmp_path, files, plugin=plugin or None)


def grid_row(page: str, lane: str) -> str:
    found = re.search(rf'<tr class="cjm-map__row cjm-map__row--{lane}"[^>]*>(.*?)</tr>', page, re.S)
    assert found is not None, lane
    return found.group(1)


@pytest.fixture
def page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")  # 2026-12-01
    site = build_site(project(tmp_path), strict=True)
    return (site / "journeys/ads/index.html").read_text(encoding="utf-8")


def test_each_step_shows_its_evidence_as_a_badge_in_the_grid(page: str) -> None:
    row = grid_row(page, "evidence")
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert len(cells) == 3
    assert '<span class="cjm-evidence cjm-evidence--observed">Observed</span>' in cells[0]
    assert '<span class="cjm-evidence cjm-evidence--assumed">Assumed</span>' in cells[1]
    assert cells[2] == ""


def test_only_http_sources_become_links(page: str) -> None:
    row = grid_row(page, "evidence")
    links = re.findall(r'<a href="([^"]*)"', row)
    assert links == ["https://research.example.com/studies/rs-1?a=1&amp;b=2"]
    assert "<li>Campaign analytics, Q1 2026</li>" in row
    assert "<li>javascript:alert(1)</li>" in row
    assert "<li>http://</li>" in row and "<li>https://example.com/a b</li>" in row


def test_a_map_without_evidence_has_no_evidence_lane(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = [{"name": "Join", "steps": [{"name": "Fills the form", "emotion": 3}]}]
    config_file = write_project(
        tmp_path,
        {
            "personas/ann.md": persona("ann", "Ann"),
            "journeys/signup.md": journey("signup", "Signs up", ["ann"], plain),
        },
    )
    page = (build_site(config_file) / "journeys/signup/index.html").read_text(encoding="utf-8")
    assert "cjm-map__row--evidence" not in page and "cjm-evidence" not in page


def test_the_measured_emotion_sits_beside_the_stated_one_and_a_drift_is_flagged(page: str) -> None:
    cells = re.findall(r"<td[^>]*>(.*?)</td>", grid_row(page, "emotion"), re.S)
    # Sees the ad: the step's own CSAT of 2026-09-01 is older than the touchpoint's of
    # 2026-10-01, so the latest CSAT is the touchpoint's 1.5 -> 1 + 4 * 0.5 / 4 = 1.5.
    assert "cjm-measured cjm-measured--drift" in cells[0]
    assert '<span class="cjm-measured__value">1.5/5</span>' in cells[0]
    assert "⚠ −2.5: the data disagree" in cells[0]
    assert "CSAT 1.5 on 1–5 (2026-10-01, 60 responses)" in cells[0]
    # Reads the page: CES 4 on 1..7 -> 1 + 4 * 3 / 6 = 3.0, stated 3: agreement.
    assert '<span class="cjm-measured__value">3.0/5</span> (0.0)' in cells[1]
    assert "cjm-measured--drift" not in cells[1]
    assert "cjm-measured" not in cells[2]


def test_the_overview_lists_the_drift_and_the_evidence_shares(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")
    overview = (build_site(project(tmp_path)) / "journeys/index.html").read_text(encoding="utf-8")
    drift = overview.split('id="where-the-map-and-the-data-disagree"', 1)[1]
    assert 'href="ads/#discover--sees-ad">1. Sees the ad</a>' in drift
    assert "−2.5" in drift
    assert "reads-the-page" not in drift
    evidence = overview.split('id="evidence-behind-the-steps"', 1)[1].split("<h3", 1)[0]
    assert re.search(
        r">Sees ads</a></td>\s*<td>3</td>\s*<td>33%</td>\s*<td>0%</td>\s*<td>33%</td>\s*<td>33%</td>",
        evidence,
    )


def test_truth_checks_warn_makes_drift_a_build_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs.exceptions import Abort

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")
    with pytest.raises(Abort):
        build_site(project(tmp_path, truth_checks="warn"), strict=True)


def test_diff_reports_evidence_source_and_review_changes(tmp_path: Path) -> None:
    before = tmp_path / "a"
    after = tmp_path / "b"
    for folder, steps, reviewed in (
        (before, STEPS, "2026-01-01"),
        (
            after,
            [
                {
                    "name": "Discover",
                    "steps": [
                        {
                            **STEPS[0]["steps"][0],
                            "evidence": "reported",
                            "sources": ["Campaign analytics, Q1 2026", "Interviews, May 2026"],
                        },
                        *STEPS[0]["steps"][1:],
                    ],
                }
            ],
            "2026-06-01",
        ),
    ):
        for relative, text in {
            "personas/ann.md": persona("ann", "Ann"),
            "touchpoints/ad.md": touchpoint("ad", "Ad", "ads"),
            "journeys/ads.md": journey("ads", "Sees ads", ["ann"], steps, reviewed=reviewed),
        }.items():
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(before), str(after), "--format", "text"])
    out = result.stdout
    assert "~ reviewed: 2026-01-01 → 2026-06-01" in out
    assert "~ Sees the ad: evidence observed → reported" in out
    assert "+ Sees the ad: source added: Interviews, May 2026" in out
    assert "- Sees the ad: source removed: https://research.example.com/studies/rs-1?a=1&b=2" in out
