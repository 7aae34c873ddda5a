"""Review dates: stale and never-reviewed maps in `cjm validate`, on pages and in the build log."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner
from mkdocs.exceptions import Abort
from sites import build_site, journey, persona, write_project

from cjm_plugin.cli import main
from cjm_plugin.model import Journey
from cjm_plugin.review import Review, period_words, review_of

DEC_1_2026 = "1796083200"  # 2026-12-01 00:00 UTC
STEPS = [{"name": "Join", "steps": [{"name": "Fills the form", "emotion": 3}]}]


def maps(**fields: object) -> dict[str, str]:
    return {
        "personas/ann.md": persona("ann", "Ann"),
        "journeys/signup.md": journey("signup", "Signs up", ["ann"], STEPS, **fields),
    }


def write(folder: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def validate(folder: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", str(folder), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout


def test_a_map_reviewed_long_ago_is_stale_in_validate_naming_the_reviewed_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DEC_1_2026)
    folder = write(tmp_path / "journeys", maps(reviewed="2025-01-01"))
    text = (folder / "journeys/signup.md").read_text(encoding="utf-8").splitlines()
    line = next(n for n, row in enumerate(text, start=1) if row.startswith("reviewed:"))
    code, out = validate(folder)
    assert code == 0
    assert (
        f"{folder.as_posix()}/journeys/signup.md:{line}:11: warning: journey 'signup' is stale: "
        "last reviewed 2025-01-01, due 2025-06-30: 519 days overdue (as of 2026-12-01); "
        "check the map against reality and update 'reviewed' [cjm.stale-map]"
    ) in out
    assert out.endswith("0 errors, 1 warning\n")
    assert validate(folder, "--strict")[0] == 1


def test_a_map_never_reviewed_is_reported_at_its_first_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DEC_1_2026)
    folder = write(tmp_path / "journeys", maps())
    code, out = validate(folder, "--format", "json")
    assert code == 0
    assert '"line": 1' in out and '"code": "cjm.stale-map"' in out
    assert "was never reviewed: add 'reviewed: 2026-12-01'" in out


def test_a_recent_review_is_no_warning_and_its_own_period_wins_over_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DEC_1_2026)
    folder = write(tmp_path / "journeys", maps(reviewed="2026-09-01"))
    assert validate(folder, "--strict") == (
        0,
        "1 journey, 1 persona, 0 touchpoints: 0 errors, 0 warnings\n",
    )
    assert validate(folder, "--strict", "--review-every", "30d")[0] == 1
    write(folder, maps(reviewed="2026-09-01", review_every="12w"))
    assert validate(folder, "--strict")[0] == 1  # 2026-11-24 < 2026-12-01
    write(folder, maps(reviewed="2026-09-01", review_every="13w"))
    assert validate(folder, "--strict", "--review-every", "1d")[0] == 0


@pytest.mark.parametrize(
    ("reviewed", "every", "due"),
    [
        (dt.date(2026, 1, 31), "1m", dt.date(2026, 2, 28)),  # calendar months, clamped
        (dt.date(2024, 2, 29), "12m", dt.date(2025, 2, 28)),
        (dt.date(2026, 3, 1), "2w", dt.date(2026, 3, 15)),
        (dt.date(2026, 3, 1), "180d", dt.date(2026, 8, 28)),
    ],
)
def test_due_dates_follow_the_calendar(reviewed: dt.date, every: str, due: dt.date) -> None:
    review = Review(reviewed, every, today=due)
    assert review.due == due
    assert not review.stale  # due today is not yet overdue
    assert Review(reviewed, every, today=due + dt.timedelta(days=1)).stale


def test_period_words() -> None:
    assert [period_words(p) for p in ("1d", "90d", "1w", "6m")] == [
        "1 day",
        "90 days",
        "1 week",
        "6 months",
    ]


@pytest.mark.parametrize("every", ["0d", "3x", "90", "d", "1.5m", "10000d", " 9d"])
def test_a_bad_review_period_is_an_error_at_its_value(tmp_path: Path, every: str) -> None:
    folder = write(tmp_path / "journeys", maps(reviewed="2026-09-01", review_every=every))
    code, out = validate(folder)
    assert code == 1
    assert "error: 'review_every' must be a number of days, weeks or calendar months" in out
    assert "[cjm.invalid-value]" in out


def test_a_bad_reviewed_date_is_a_date_error(tmp_path: Path) -> None:
    folder = write(tmp_path / "journeys", maps(reviewed="2026-02-30"))
    code, out = validate(folder)
    assert code == 1 and "'reviewed' must be an ISO date (YYYY-MM-DD)" in out


def test_validate_refuses_a_bad_default_period(tmp_path: Path) -> None:
    folder = write(tmp_path / "journeys", maps())
    result = CliRunner().invoke(main, ["validate", str(folder), "--review-every", "soon"])
    assert result.exit_code == 2 and "give a number of days, weeks or months" in result.output


def test_a_stale_map_builds_strict_and_says_so_on_its_page_and_the_overview(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DEC_1_2026)
    config_file = write_project(tmp_path, maps(reviewed="2025-01-01"))
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.cjm"):
        site = build_site(config_file, strict=True)
    logged = [r for r in caplog.records if "cjm.stale-map" in r.getMessage()]
    assert [r.levelno for r in logged] == [logging.INFO]
    page = (site / "journeys/signup/index.html").read_text(encoding="utf-8")
    assert "Review overdue" in page
    assert "last reviewed 2025-01-01, due 2025-06-30: 519 days overdue" in page
    overview = (site / "journeys/index.html").read_text(encoding="utf-8")
    assert "Maps due for review" in overview
    assert 'href="signup/">Signs up</a>' in overview


def test_truth_checks_warn_makes_a_stale_map_fail_a_strict_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DEC_1_2026)
    config_file = write_project(
        tmp_path, maps(reviewed="2025-01-01"), plugin={"truth_checks": "warn"}
    )
    with pytest.raises(Abort):
        build_site(config_file, strict=True)


def test_the_site_default_period_comes_from_the_plugin_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DEC_1_2026)
    config_file = write_project(
        tmp_path, maps(reviewed="2026-06-01"), plugin={"review_every": "1m"}
    )
    page = (build_site(config_file) / "journeys/signup/index.html").read_text(encoding="utf-8")
    assert "last reviewed 2026-06-01, due 2026-07-01: 153 days overdue" in page
    config_file = write_project(
        tmp_path, maps(reviewed="2026-06-01"), plugin={"review_every": "1y"}
    )
    with pytest.raises(Abort):
        build_site(config_file)


def test_a_fresh_review_shows_as_a_fact_not_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DEC_1_2026)
    config_file = write_project(tmp_path, maps(reviewed="2026-11-01", review_every="90d"))
    page = (build_site(config_file, strict=True) / "journeys/signup/index.html").read_text(
        encoding="utf-8"
    )
    assert "<strong>Reviewed:</strong> last reviewed 2026-11-01, next review due 2027-01-30" in page
    assert "Review overdue" not in page and "Never reviewed" not in page


def test_review_of_uses_the_default_only_without_a_period_of_its_own() -> None:
    record = Journey.model_validate(
        {"type": "journey", "id": "j", "title": "J", "personas": ["a"], "stages": STEPS}
    )
    assert review_of(record, dt.date(2026, 1, 1), "30d").every == "30d"
    assert review_of(record, dt.date(2026, 1, 1)).never_reviewed


def test_render_takes_the_default_period_like_validate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DEC_1_2026)
    folder = write(tmp_path / "journeys", maps(reviewed="2026-11-01"))
    out = tmp_path / "pages"
    for every, expected in (("180d", "next review due 2027-04-30"), ("7d", "23 days overdue")):
        result = CliRunner().invoke(
            main, ["render", str(folder), "--out", str(out), "--review-every", every]
        )
        assert result.exit_code == 0, result.output
        page = (out / "journeys/signup/index.md").read_text(encoding="utf-8")
        assert expected in page
