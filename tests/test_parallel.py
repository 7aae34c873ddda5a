"""Jobs shared with a forked process give what one process gives, in order.

pytest-xdist workers run threads, and ``map_jobs`` never forks a process
with threads, so each test runs its check in a fresh Python process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from maps import JOURNEY, PERSONA, TOUCHPOINT
from sites import tree_digest, write_project

from cjm_plugin import parallel
from cjm_plugin.parallel import Ahead

ROOT = Path(__file__).resolve().parents[1]
FORKS_HERE = sys.platform.startswith("linux") and parallel._free_cpus() >= 2
needs_fork = pytest.mark.skipif(not FORKS_HERE, reason="forks only on Linux with two CPUs")


def run_python(code: str, **env: str) -> str:
    """Run ``code`` in a fresh interpreter (no threads) and return its output."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, **env},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@needs_fork
def test_jobs_are_shared_and_come_back_in_order() -> None:
    output = run_python(
        """
        import os
        from cjm_plugin.parallel import map_jobs
        results = map_jobs(lambda n: (n * n, os.getpid()), list(range(1000)))
        assert [square for square, _ in results] == [n * n for n in range(1000)]
        print(len({pid for _, pid in results}))
        """
    )
    assert output.strip() == "2"


@needs_fork
def test_a_worker_that_dies_leaves_no_job_undone() -> None:
    output = run_python(
        """
        import os
        from cjm_plugin.parallel import map_jobs
        parent = os.getpid()
        def job(n):
            if os.getpid() != parent:
                os._exit(3)  # the worker dies without a word
            return n + 1
        print(map_jobs(job, list(range(500))) == [n + 1 for n in range(500)])
        """
    )
    assert output.strip() == "True"


@needs_fork
def test_cjm_jobs_1_keeps_every_job_here() -> None:
    code = """
        import os
        from cjm_plugin.parallel import map_jobs
        print(len({pid for pid in map_jobs(lambda n: os.getpid(), list(range(1000)))}))
        """
    assert run_python(code, CJM_JOBS="1").strip() == "1"


@needs_fork
def test_ahead_hands_out_results_in_any_order() -> None:
    output = run_python(
        """
        import os
        from cjm_plugin.parallel import Ahead
        ahead = Ahead(lambda: ((n * n, os.getpid()) for n in range(500)), jobs=500)
        assert ahead.forked
        order = list(range(250, 500)) + list(range(250))  # late ones first
        results = {n: ahead.result(n) for n in order}
        ahead.close()
        assert all(results[n][0] == n * n for n in range(500))
        print(len({pid for _, pid in results.values()} - {os.getpid()}))
        """
    )
    assert output.strip() == "1"  # all made by the one other process


@needs_fork
def test_the_worker_of_ahead_runs_its_own_jobs_itself_without_the_collector() -> None:
    """The second process forks no third (it would contend for the same two CPUs);
    it runs without the cycle collector, which the first keeps."""
    output = run_python(
        """
        import gc
        import os
        from cjm_plugin.parallel import Ahead, map_jobs
        def produce():
            yield os.getpid(), {pid for pid in map_jobs(lambda n: os.getpid(), list(range(400)))}
        ahead = Ahead(produce, jobs=400)
        assert ahead.forked
        worker, pids = ahead.result(0)
        ahead.close()
        print(pids == {worker}, worker != os.getpid(), ahead.ended_early)
        collecting = Ahead(lambda: (gc.isenabled() for _ in range(300)), jobs=300)
        print(collecting.result(0), gc.isenabled())  # off there, still on here
        collecting.close()
        """
    )
    assert output.split() == ["True", "True", "False", "False", "True"]


@needs_fork
def test_ahead_makes_here_what_a_dead_worker_did_not_send() -> None:
    output = run_python(
        """
        import os
        from cjm_plugin.parallel import Ahead
        parent = os.getpid()
        def produce():
            for n in range(500):
                if os.getpid() != parent and n == 300:
                    os._exit(3)  # the worker dies halfway through
                yield n + 1
        ahead = Ahead(produce, jobs=500)
        assert ahead.forked
        print([ahead.result(n) for n in range(500)] == [n + 1 for n in range(500)])
        print(ahead.ended_early)
        ahead.close()
        """
    )
    assert output.split() == ["True", "True"]


def test_ahead_without_a_fork_produces_as_far_as_asked() -> None:
    produced: list[int] = []

    def produce() -> Iterator[int]:
        for n in range(10):
            produced.append(n)
            yield n * 10

    ahead = Ahead(produce, jobs=1)  # too few to fork
    assert not ahead.forked
    assert ahead.result(3) == 30
    assert produced == [0, 1, 2, 3]
    assert [ahead.result(n) for n in (0, 1, 2, 4)] == [0, 10, 20, 40]
    ahead.close()


@needs_fork
def test_ahead_close_stops_the_worker() -> None:
    output = run_python(
        """
        import time
        from cjm_plugin.parallel import Ahead
        ahead = Ahead(lambda: (time.sleep(0.01) or n for n in range(1000)), jobs=1000)
        process = ahead._process
        assert ahead.result(0) == 0
        ahead.close()
        print(process.exitcode is not None, ahead.forked)
        """
    )
    assert output.split() == ["True", "False"]


def test_no_fork_for_few_jobs_or_with_threads_running() -> None:
    assert not parallel.can_fork(parallel.MIN_JOBS_TO_FORK - 1)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not parallel.can_fork(10 * parallel.MIN_JOBS_TO_FORK)
    finally:
        stop.set()
        thread.join()


def big_folder(root: Path, journeys: int, *, broken: bool) -> Path:
    """Valid journeys; when ``broken``, invalid ones spread through the folder (both halves)."""
    folder = root / "journeys"
    folder.mkdir()
    (folder / "jane-doe.md").write_text(PERSONA, encoding="utf-8")
    (folder / "checkout-page.md").write_text(TOUCHPOINT, encoding="utf-8")
    for n in range(journeys):
        text = JOURNEY.replace("title:", f"id: buy-{n:04d}\ntitle:")
        if broken and n % 97 == 0:
            text = text.replace("emotion: 2", "emotion: 9")
        if broken and n % 89 == 0:
            text = text.replace("jane-doe", "jane-do")
        (folder / f"buy-{n:04d}.md").write_text(text, encoding="utf-8")
    return folder


@needs_fork
@pytest.mark.parametrize("command", ["validate", "render"])
def test_cli_output_is_the_same_with_one_process_or_two(tmp_path: Path, command: str) -> None:
    folder = big_folder(tmp_path, 2 * parallel.MIN_JOBS_TO_FORK, broken=command == "validate")
    outputs = {}
    for jobs in ("1", ""):
        out = tmp_path / f"site-{jobs or 'two'}"
        arguments = [str(folder), "--out", str(out)] if command == "render" else [str(folder)]
        result = subprocess.run(
            [str(Path(sys.executable).parent / "cjm"), command, *arguments],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "CJM_JOBS": jobs},
        )
        pages = sorted(
            (path.relative_to(out).as_posix(), path.read_bytes())
            for path in (out.rglob("*.md") if out.exists() else [])
        )
        stderr = result.stderr.replace(str(out), "OUT")
        outputs[jobs] = (result.returncode, result.stdout, stderr, pages)
    assert outputs["1"] == outputs[""]
    code, stdout, _, pages = outputs[""]
    if command == "validate":
        assert code == 1
        assert stdout.count("[cjm.emotion-range]") == len(range(0, 400, 97))
        assert stdout.count("[cjm.unknown-reference]") == len(range(0, 400, 89))
    else:
        assert code == 0
        assert len(pages) > 2 * parallel.MIN_JOBS_TO_FORK


#: Journeys of :func:`large_project`: enough to share parsing and rendering.
LARGE_SITE_JOURNEYS = parallel.MIN_JOBS_TO_FORK + 40


def large_project(tmp_path: Path) -> Path:
    """A project of ``LARGE_SITE_JOURNEYS`` journeys, one persona and one touchpoint."""
    journeys = {"jane-doe.md": PERSONA, "checkout-page.md": TOUCHPOINT}
    for n in range(LARGE_SITE_JOURNEYS):
        journeys[f"buy-{n:04d}.md"] = JOURNEY.replace(
            "title: Jane buys", f"id: buy-{n:04d}\ntitle: Jane buys ({n})"
        )
    return write_project(tmp_path / "project", journeys, theme="mkdocs", record_nav=False)


@needs_fork
def test_mkdocs_build_is_the_same_with_one_process_or_two(tmp_path: Path) -> None:
    """A site large enough to share its parsing and rendering, built both ways."""
    config_file = large_project(tmp_path)
    sites = {}
    for jobs in ("1", ""):
        site = tmp_path / f"site-{jobs or 'two'}"
        command = ["build", "--strict", "-q", "-f", str(config_file), "-d", str(site)]
        subprocess.run(
            [str(Path(sys.executable).parent / "mkdocs"), *command],
            check=True,
            env={**os.environ, "CJM_JOBS": jobs, "SOURCE_DATE_EPOCH": "1738555506"},
        )
        sites[jobs] = tree_digest(site)
    assert sites["1"] == sites[""]
    assert "journeys/buy-0239/index.html" in sites[""]


@needs_fork
def test_a_one_off_build_leaves_parsing_and_rendering_to_other_processes(
    tmp_path: Path,
) -> None:
    """MkDocs' process only waits for what loading found, then takes the pages."""
    config_file = large_project(tmp_path)
    record = tmp_path / "pids.txt"
    output = run_python(
        f"""
        import os
        from pathlib import Path
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        from cjm_plugin.load import record_files
        from cjm_plugin.pages import journey

        def recorded(name, function):
            def call(*args, **kwargs):
                with open({str(record)!r}, "a") as out:
                    out.write(f"{{name}} {{os.getpid()}}\\n")
                return function(*args, **kwargs)
            return call

        record_files.parse_file = recorded("parse", record_files.parse_file)
        journey.journey_page = recorded("render", journey.journey_page)
        config = load_config({str(config_file)!r}, site_dir={str(tmp_path / "site")!r})
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
        print(os.getpid())
        """
    )
    main = output.split()[-1]
    calls = [line.split() for line in record.read_text().splitlines()]
    parsers = {pid for name, pid in calls if name == "parse"}
    renderers = {pid for name, pid in calls if name == "render"}
    assert sum(name == "render" for name, _ in calls) == LARGE_SITE_JOURNEYS
    assert main not in parsers | renderers
    assert len(parsers) == 1 and renderers == parsers  # the worker alone, with no helper


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pipe sizes are Linux's")
def test_the_pipe_from_the_worker_holds_many_pages() -> None:
    """A full pipe would stop the worker: it is widened to let it run well ahead."""
    import fcntl
    import multiprocessing

    receiver, sender = multiprocessing.Pipe(duplex=False)
    try:
        parallel._widen(receiver)
        size = fcntl.fcntl(receiver.fileno(), fcntl.F_GETPIPE_SZ)
        limit = int(Path("/proc/sys/fs/pipe-max-size").read_text())
        assert size >= min(parallel._PIPE_BYTES, limit) > 64 * 1024
    finally:
        receiver.close()
        sender.close()
