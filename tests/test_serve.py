"""``mkdocs serve`` against a real server on loopback, while journey files change.

Authors keep a server running while they edit: a file broken mid-session must
not take it down. The server logs ``FILE:LINE:COL`` for each problem, keeps
serving the last good pages, and picks up the fix, an added, deleted or
renamed file. One server session walks through every case, waiting on what
is served and logged (MkDocs debounces its rebuilds), never on sleeps alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from serving import Server, error_at, serving
from sites import journey, persona, touchpoint, write_project


def _signup(
    persona_id: str = "ann", touchpoint_id: str = "web", step: str = "Fills the form"
) -> str:
    return journey(
        "signup",
        "Signs up",
        [persona_id],
        [
            {
                "name": "Join",
                "steps": [{"name": step, "touchpoints": [touchpoint_id], "emotion": 3}],
            }
        ],
    )


def _refund() -> str:
    return journey(
        "refund",
        "Asks for a refund",
        ["ann"],
        [{"name": "Ask", "steps": [{"name": "Writes to support", "emotion": 2}]}],
    )


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    files = {
        "personas/ann.md": persona("ann", "Ann Archer"),
        "touchpoints/web.md": touchpoint("web", "Website", "web"),
        "journeys/signup.md": _signup(),
    }
    config_file = write_project(tmp_path, files, theme="mkdocs", record_nav=False)
    with serving(config_file, "journeys/signup/", "Fills the form") as running:
        yield running


def test_serve_survives_broken_added_deleted_and_renamed_files(server: Server) -> None:
    # Bad YAML: logged with its place, the last good page stays up, then the fix shows.
    server.write("journeys/signup.md", _signup().replace("emotion: 3", "emotion: [3"))
    server.wait_for_rebuild_with_errors(error_at("journeys/signup.md"))
    assert "Fills the form" in server.get("journeys/signup/")[1]
    server.write("journeys/signup.md", _signup(step="Fills the short form"))
    server.wait_for_page("journeys/signup/", "Fills the short form")

    # A dangling reference, fixed by adding the file it names.
    server.write("journeys/signup.md", _signup(touchpoint_id="shop", step="Buys"))
    server.wait_for_rebuild_with_errors(error_at("journeys/signup.md", "unknown-reference"))
    assert "Fills the short form" in server.get("journeys/signup/")[1]
    server.write("touchpoints/shop.md", touchpoint("shop", "Web shop", "web"))
    server.wait_for_page("journeys/signup/", "Web shop")

    # A file added.
    server.write("journeys/refund.md", _refund())
    server.wait_for_page("journeys/refund/", "Writes to support")

    # A persona deleted while journeys still take it: an error, the last good pages stay.
    server.delete("personas/ann.md")
    log = server.wait_for_rebuild_with_errors(
        error_at("journeys/signup.md", "unknown-reference"),
        error_at("journeys/refund.md", "unknown-reference"),
    )
    assert "serving the last valid journey pages" in log
    assert "Ann Archer" in server.get("personas/ann/")[1]

    # The id renamed along with its references.
    server.write("personas/anna.md", persona("anna", "Anna Archer"))
    server.write("journeys/refund.md", _refund().replace("- ann\n", "- anna\n"))
    server.write(
        "journeys/signup.md", _signup(persona_id="anna", touchpoint_id="shop", step="Buys")
    )
    server.wait_for_page("personas/anna/", "Anna Archer")
    server.wait_for_status("personas/ann/", 404)
    assert "Buys" in server.get("journeys/signup/")[1]

    # A file deleted: its page goes.
    server.delete("journeys/refund.md")
    server.wait_for_status("journeys/refund/", 404)
    assert "Buys" in server.get("journeys/signup/")[1]
    assert server.process.poll() is None
