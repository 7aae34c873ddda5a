"""Many small independent jobs, shared with a second process when that pays.

Parsing a file and rendering a page are pure Python, so threads would take
turns on one core. A forked process starts with the parent's memory as it
is (the registry, the templates, the sources), so nothing is sent to it but
the range of jobs, and only results come back. MkDocs itself uses one core:
on a machine with two, :func:`map_jobs` has the second one do half of a
batch of jobs, and :class:`Ahead` has it produce results in order, ahead of
the first process, which takes each result when it needs it.

Forking is done only where it is safe and worth it: on Linux (macOS system
libraries may not survive a fork; Windows has none), in a process with no
other thread (a fork copies locks held by other threads, as ``mkdocs serve``
has once its server runs), with a second CPU free, and for enough jobs to
repay the fork; never in the worker of an :class:`Ahead`, which is itself
the second process (a third only contends for the same two CPUs). Otherwise,
or if the second process fails in any way, the jobs run here, in order.
Either way the results are the same objects, in the order of the jobs.
``CJM_JOBS=1`` in the environment turns it off.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import suppress
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")

#: Below this many jobs the fork and the transfer of results cost more than they save.
MIN_JOBS_TO_FORK = 200
#: Set to ``1`` to keep every job in this process.
JOBS_VARIABLE = "CJM_JOBS"

#: Set in the worker of an :class:`Ahead`: a process that is itself the second one.
_in_worker = False

#: The work of the current call, inherited by the forked process.
_work: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def _run_share() -> list[Any]:
    """In the forked process: every second job of the inherited work, from the second."""
    assert _work is not None
    function, jobs = _work
    return [function(job) for job in jobs[1::2]]


def _free_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def can_fork(job_count: int) -> bool:
    """Whether ``job_count`` jobs would be shared with a forked process here and now."""
    return (
        not _in_worker
        and job_count >= MIN_JOBS_TO_FORK
        and os.environ.get(JOBS_VARIABLE, "").strip() != "1"
        and sys.platform.startswith("linux")
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        and _free_cpus() >= 2
    )


def map_jobs(function: Callable[[Job], Result], jobs: Sequence[Job]) -> list[Result]:
    """``[function(job) for job in jobs]``, half of them in a forked process when it pays.

    ``function`` must not depend on anything it changes in this process, and
    its results must pickle: they come back from the other process by pipe.
    """
    if not can_fork(len(jobs)):
        return [function(job) for job in jobs]
    global _work
    _work = (function, jobs)
    try:
        # The worker is forked at submit, before the executor starts its own thread.
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            theirs = pool.submit(_run_share)
            # Every second job each: jobs of one kind and size stand together,
            # so each half gets its share of every kind.
            mine = [function(job) for job in jobs[0::2]]
            try:
                rest: list[Result] = theirs.result()
            except Exception:  # a crashed worker, or results that do not pickle
                rest = [function(job) for job in jobs[1::2]]
    finally:
        _work = None
    results: list[Result] = [None] * len(jobs)  # type: ignore[list-item]
    results[0::2] = mine
    results[1::2] = rest
    return results


#: Results go to the parent a few at a time: fewer messages, little waiting.
_BATCH = 8

#: What the worker of an :class:`Ahead` produces, inherited by the forked process.
_produce: Callable[[], Iterable[Any]] | None = None


def _send_results(connection: Connection) -> None:
    """In the forked process: what the inherited producer yields, in order, in batches."""
    assert _produce is not None
    global _in_worker
    _in_worker = True  # what it produces runs its jobs here, with no third process
    # A one-shot process: the cycle collector would scan every record loaded
    # again and again, for the few hundred objects of cyclic garbage that
    # rendering a whole site leaves, which go when the process ends.
    gc.disable()
    batch: list[Any] = []
    try:
        for index, result in enumerate(_produce()):
            batch.append(result)
            # The first result alone: it is what the parent waits for before anything else.
            if len(batch) == _BATCH or index == 0:
                connection.send(batch)
                batch = []
        if batch:
            connection.send(batch)
    except Exception:  # the parent produces the rest itself, and so sees the error
        pass
    finally:
        connection.close()


#: Bytes the pipe from the worker holds: a pipe holds 64 KiB by default, a
#: batch or so of pages, and a full pipe stops the worker until MkDocs reads.
_PIPE_BYTES = 1 << 20


def _widen(connection: Connection) -> None:
    """Let the worker get well ahead: up to ``_PIPE_BYTES`` of results waiting.

    Where the system does not allow it, the pipe keeps its size: the worker
    then waits more often, the results are the same.
    """
    with suppress(ImportError, AttributeError, OSError):  # F_SETPIPE_SZ is Linux's
        import fcntl  # not on Windows, where nothing is forked anyway

        fcntl.fcntl(connection.fileno(), fcntl.F_SETPIPE_SZ, _PIPE_BYTES)


class Ahead(Generic[Result]):
    """What ``produce()`` yields, made in a forked process ahead of need; each taken when wanted.

    MkDocs converts one page after the other and asks for each page's source
    in turn. Loaded and rendered by a second process in that order, a page is
    ready before it is asked for: the work leaves MkDocs' time, and none of
    what it allocates is left in MkDocs' process. Where :func:`can_fork` says
    no, or the process fails, ``produce()`` runs here, as far as needed: it
    must yield the same results each time.
    """

    def __init__(self, produce: Callable[[], Iterable[Result]], *, jobs: int) -> None:
        """``jobs``: about how many results there will be, to judge whether a fork pays."""
        self._produce = produce
        self._received: dict[int, Result] = {}
        self._next = 0
        """Index of the next result not yet received."""
        self._here: Iterator[tuple[int, Result]] | None = None
        self._connection: Connection | None = None
        self._process: multiprocessing.process.BaseProcess | None = None
        self.ended_early = False
        """Whether the worker stopped before sending a result that was asked for."""
        if can_fork(jobs):
            self._start()

    def _start(self) -> None:
        global _produce
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        _widen(receiver)
        _produce = self._produce
        try:
            self._process = context.Process(target=_send_results, args=(sender,), daemon=True)
            self._process.start()
        finally:
            _produce = None
            sender.close()  # the worker's end: closed here, EOF comes when the worker ends
        self._connection = receiver

    @property
    def forked(self) -> bool:
        """Whether a second process produces the results."""
        return self._process is not None

    def result(self, index: int) -> Result:
        """The result at ``index``; each is taken once."""
        while index not in self._received and self._connection is not None and self._next <= index:
            try:
                batch = self._connection.recv()
            except (EOFError, OSError):  # the worker ended: what it did not send is made here
                self.ended_early = True
                self._stop_worker()
                break
            for result in batch:
                self._received[self._next] = result
                self._next += 1
        if index not in self._received:
            if self._here is None:
                self._here = enumerate(self._produce())
            for position, result in self._here:
                if position >= self._next:
                    self._received[position] = result
                    self._next = position + 1
                if position == index:
                    break
        return self._received.pop(index)

    def close(self) -> None:
        """Stop the worker, if still running; results not taken are dropped."""
        self._stop_worker()
        self._received.clear()
        self._here = None

    def _stop_worker(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._process is not None:
            self._process.terminate()
            self._process.join()
            self._process = None
