"""A real ``mkdocs serve`` on loopback, for the tests that edit files under it.

What it served and logged is read back through ``Server``; every wait is
bounded and looks at what is served and logged (MkDocs debounces its
rebuilds), never at sleeps alone. The server is stopped however a test ends.
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
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
#: Upper bound on any one wait: a rebuild takes well under a second here.
WAIT_S = 30.0
POLL_S = 0.1
#: Logged when a rebuild finished (MkDocs drops a repeated "Documentation built in 0.09 seconds").
REBUILT = "Reloading browsers"
#: Logged when MkDocs starts a rebuild.
REBUILDING = "Detected file changes"


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
    journeys: Path
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

    def assert_quiet(self, seconds: float = 2.0) -> None:
        """No rebuild starts for a while: nothing the server does sets off another."""
        self.mark()
        time.sleep(seconds)  # what is asserted is that nothing happens meanwhile
        assert REBUILDING not in self.log(), f"rebuilt unprompted:\n{self.log()}"
        assert self.process.poll() is None

    def write(self, relative: str, text: str) -> None:
        """Write a file inside the journeys folder."""
        self.mark()
        path = self.journeys / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def delete(self, relative: str) -> None:
        self.mark()
        (self.journeys / relative).unlink()


@contextmanager
def serving(config_file: Path, ready_path: str, ready_text: str) -> Iterator[Server]:
    """Run ``mkdocs serve`` on a free port until ``ready_path`` shows ``ready_text``.

    The journeys folder is taken to be ``journeys/`` beside ``mkdocs.yml``
    unless the test moves ``Server.journeys``.
    """
    root = config_file.parent
    port = _free_port()
    log_file = root / "serve.log"
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
            cwd=root,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = Server(process, f"http://{HOST}:{port}", log_file, root, root / "journeys")
    try:
        running.wait_for_page(ready_path, ready_text)
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
