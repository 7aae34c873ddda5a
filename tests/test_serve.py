"""``mkdocs serve`` against a real server on loopback, while journey files change.

Authors keep a server running while they edit: a file broken mid-session must
not take it down. The server logs ``FILE:LINE:COL`` for each problem, keeps
serving the last good pages, and picks up the fix, an added, deleted or
renamed file. One server session walks through every case, waiting on what
is served and logged (MkDocs debounces its rebuilds), never on sleeps alone.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sites import journey, persona, touchpoint, write_project

HOST = "127.0.0.1"
#: Upper bound on any one wait: a rebuild takes well under a second here.
WAIT_S = 30.0
POLL_S = 0.1
#: Logged when a rebuild finished (MkDocs drops a repeated "Documentation built in 0.09 seconds").
REBUILT = "Reloading browsers"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    """A running ``mkdocs serve``: what it served and what it logged so far."""

    process: subprocess.Popen[bytes]
    base_url: str
    log_file: Path
    root: Path
    log_offset: int = 0

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"{self.base_url}/{path}", timeout=5) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, ""
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return 0, ""

    def log(self) -> str:
        """What the server logged since the last ``mark``."""
        return self.log_file.read_text(encoding="utf-8", errors="replace")[self.log_offset :]

    def mark(self) -> None:
        """Forget the log so far: the next waits look only at what comes after."""
        self.log_offset = len(self.log_file.read_text(encoding="utf-8", errors="replace"))

    def wait(self, what: str, ready: Callable[[], bool]) -> None:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the server stopped:\n{self.log()}"
            if ready():
                return
            time.sleep(POLL_S)
        raise AssertionError(f"timed out waiting for {what}; server log:\n{self.log()}")

    def wait_for_page(self, path: str, text: str) -> None:
        self.wait(f"{path} to show {text!r}", lambda: text in self.get(path)[1])

    def wait_for_status(self, path: str, status: int) -> None:
        self.wait(f"{path} to answer {status}", lambda: self.get(path)[0] == status)

    def wait_for_rebuild_with_errors(self, *patterns: str) -> str:
        """Wait until a rebuild logged every pattern and then finished; return its log."""

        def finished() -> bool:
            log = self.log()
            found = [re.search(pattern, log, re.M) for pattern in patterns]
            ends = [match.end() for match in found if match is not None]
            return len(ends) == len(patterns) and REBUILT in log[max(ends) :]

        self.wait(f"a rebuild logging {patterns}", finished)
        return self.log()

    def write(self, relative: str, text: str) -> None:
        self.mark()
        path = self.root / "journeys" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def delete(self, relative: str) -> None:
        self.mark()
        (self.root / "journeys" / relative).unlink()


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
    port = _free_port()
    log_file = tmp_path / "serve.log"
    with log_file.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "serve",
                "-a",
                f"{HOST}:{port}",
                "-f",
                str(config_file),
            ],
            cwd=tmp_path,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = Server(process, f"http://{HOST}:{port}", log_file, tmp_path)
    try:
        running.wait_for_page("journeys/signup/", "Fills the form")
        yield running
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def error_at(relative: str, code: str = r"[a-z-]+") -> str:
    """A ``FILE:LINE:COL: error: ... [cjm.code]`` line about one journey file."""
    return rf"journeys/{re.escape(relative)}:\d+:\d+: error: .+ \[cjm\.{code}\]$"


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
