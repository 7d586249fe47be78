"""Local worker processes: started once, fed one document at a time, limited, replaced when they die.

Why not ``ProcessPoolExecutor``: when one of its workers dies the whole pool
breaks and every queued document fails; it cannot stop a document that runs
too long; and it does not say which document a dead worker held.  Here:

* Workers are forks of a *forkserver* that has already imported spaCy, the
  extractors and the register (``pipeline.preload``), so a worker starts in
  milliseconds, shares those pages, and never inherits the main process's
  threads or open database connections (``fork`` of a threaded process is
  unsafe).
* Each worker holds at most one document, so the batch always knows what a
  dead worker was reading: that document fails with ``worker_died`` (naming
  the signal) and the worker is replaced; nothing else is lost.
* A document that runs past ``doc_timeout`` has its worker killed — with its
  process group, so a Tesseract child dies too — and fails with ``time_limit``.
* ``RLIMIT_AS`` caps what one document may allocate (``doc_memory``, or the
  worker's share of what ``max_memory`` leaves after the processes' own memory, above what
  the worker maps when the document starts): an allocation past it raises
  ``MemoryError``, which ``process_source`` turns into ``memory_limit``; the
  worker then exits and a fresh one takes its place, as does a worker whose
  heap kept more than half a document's allowance.  The whole batch has a budget too
  (``max_memory``): when the resident memory of all its processes passes it,
  the busy worker holding the most is stopped (``memory_limit``).
* Workers die with the batch: ``PR_SET_PDEATHSIG`` kills a worker when its
  parent (the forkserver, which exits when the main process does) dies, even
  mid-document; an idle worker also exits on end-of-file from its pipe.
"""
from __future__ import annotations

import ctypes
import importlib
import multiprocessing
import os
import resource
import signal
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterable, Iterator, Optional

from pipeline.errors import CouncilplansError
from pipeline.results import DocumentResult, Job, Outcome, failed
from pipeline.settings import BatchSettings, SaveGroup

PRELOAD = ["pipeline.preload", "pipeline.saver"]
STOP_GRACE_S = 2.0  # seconds a worker told to stop may take before it is killed
MAX_START_FAILURES = 3  # workers that die before they are ready, in a row, before the batch gives up
MAX_DEATHS_IN_A_ROW = 10  # documents in a row whose worker died: something is wrong with every worker, not the documents


class WorkerStartError(CouncilplansError):
    """Worker processes cannot start, or keep dying whatever they read (a broken install, no memory)."""


# ---------------------------------------------------------------- the worker process


def user_extractor_modules() -> tuple[str, ...]:
    """Modules of the extractors a user registered in this process, so each worker imports them too.

    ``@register`` runs on import; a worker is a fork of a server that never
    imported the user's module, so without this their extractor would
    silently not run.  A ``__main__`` script cannot be imported by name: use
    ``preload_modules`` or ``workers=0`` for that.
    """
    from extractors import EXTRACTORS

    return tuple(dict.fromkeys(ex.fn.__module__ for ex in EXTRACTORS.values()
                               if not ex.fn.__module__.startswith("extractors.") and ex.fn.__module__ != "__main__"))


def _serve(conn: Connection, main_pid: int, db_url: str, preload: tuple[str, ...], group: SaveGroup) -> None:
    """A worker's life: get ready, then extract one document per message and save them in groups until told to stop.

    Each "done" message frees the worker for the next document and carries the
    outcomes of whatever was saved meanwhile; results held back are saved when
    their group is due, when no document arrives before it is, when the main
    process asks ("flush": it has nothing left to send), and before leaving.
    """
    _die_with_parent(main_pid)
    os.setpgid(0, 0)  # its own process group: a timeout kill takes Tesseract children with it
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    from pipeline.extract import process_source
    from pipeline.saver import Saver
    from pipeline.store import Store
    from pipeline.version import rules_version

    for module in preload:
        try:
            importlib.import_module(module.lstrip("?"))  # a user's own extractors register themselves on import
        except ImportError:
            if not module.startswith("?"):
                raise
    save = Saver(Store(db_url, create=False), group=group)
    idle = _mapped_bytes()
    conn.send(("ready", os.getpid(), rules_version()))
    while True:
        try:
            if save.pending and not conn.poll(save.wait()):
                conn.send(("saved", save.flush()))  # nothing came before the group was due
                continue
            message = conn.recv()
        except (EOFError, OSError):
            save.flush()  # the main process has gone: what was extracted is still stored
            return
        if message is None or message == "flush":
            _send_quietly(conn, ("saved", save.flush()))
            if message is None:
                return
            continue
        job, allowance = message  # what this document may add, as the batch's budget stands
        _limit_memory(allowance)  # from what is mapped now: earlier documents may have grown the heap
        started = time.perf_counter()
        try:
            result = process_source(job.source)
        except Exception as exc:  # process_source turns bad input into issues; this is a bug, kept to one document
            source = job.source
            result = failed(source.name, source.label, source.sha256, "worker_error", f"{type(exc).__name__}: {exc}")
        _limit_memory(0)  # the limit is the document's, not the store's: a failure to save must not be for want of it
        starved = any(i.code == "memory_limit" for i in result.issues)
        outcomes = save.add(job, result, time.perf_counter() - started)
        del result  # held for the group's save at most; only outcomes go back
        retiring = starved or (allowance > 0 and _mapped_bytes() > idle + allowance // 2)
        if retiring:
            outcomes += save.flush()
        conn.send(("done", outcomes, retiring))  # say so with the result, so no document is sent to a worker that is leaving
        if retiring:
            return  # a heap that hit its limit, or kept half of it, is best replaced; a fresh worker is cheap


def _send_quietly(conn: Connection, message: Any) -> None:
    try:
        conn.send(message)
    except (OSError, ValueError):
        pass  # the main process stopped listening: the results are stored all the same


def _die_with_parent(main_pid: int) -> None:
    """Ask Linux to SIGKILL this process when its parent dies; exit now if the batch is already gone.

    The parent is the forkserver, which exits when no process holds its "alive"
    pipe any more.  Every child inherits a copy of that pipe (so it could start
    processes of its own); a worker never does, and closes it, so that killing
    the main process ends the forkserver and with it every worker, even one
    stuck in C code that never returns to Python.
    """
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    alive_fd = getattr(server, "_forkserver_alive_fd", None)
    if alive_fd is not None:
        try:
            os.close(alive_fd)
        except OSError:
            pass
        server._forkserver_alive_fd = None
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    try:
        os.kill(main_pid, 0)
    except ProcessLookupError:
        os._exit(0)


def _limit_memory(doc_memory: int) -> None:
    """Address space for one document on top of what the worker maps now (a soft limit, so it can be raised
    again); 0 lifts it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if doc_memory <= 0:
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
        return
    limit = _mapped_bytes() + doc_memory
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _mapped_bytes() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


# ---------------------------------------------------------------- the main process's side


@dataclass
class _Worker:
    process: Any
    conn: Connection
    started: float = field(default_factory=time.monotonic)
    ready: bool = False
    job: Optional[Job] = None
    since: float = 0.0  # when the current job was sent
    unsaved: dict[int, Job] = field(default_factory=dict)  # extracted, not yet saved, by job index
    flush_asked: bool = False
    done: int = 0
    idle: int = 0  # resident bytes when it became ready

    @property
    def pid(self) -> Optional[int]:
        return self.process.pid


def _context() -> Any:
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


class WorkerPool:
    """Worker processes that extract and save ``Job``s into the store at ``db_url``; ``results`` yields outcomes."""

    def __init__(self, settings: BatchSettings, db_url: str):
        self.settings = settings
        self.db_url = db_url
        self.workers: list[_Worker] = []
        self.version: Optional[str] = None
        self._ctx = _context()
        self._start_failures = 0
        self._deaths_in_a_row = 0
        self._server_pid: Optional[int] = None
        self._requeued: list[Job] = []  # extracted by a worker that died before saving them: extracted again
        self._retried: set[int] = set()  # job indexes requeued once already (a second loss fails them)

    # -------------------------------------------------------- lifecycle

    def grow(self, size: int) -> None:
        """Start workers until there are ``size`` (they get ready in the background)."""
        while len(self.workers) < size:
            self.workers.append(self._start())

    def _start(self) -> _Worker:
        ours, theirs = self._ctx.Pipe()
        # a user's registered extractors are imported where they can be ("?": best effort)
        modules = tuple(dict.fromkeys(self.settings.preload_modules + tuple(f"?{m}" for m in user_extractor_modules())))
        process = self._ctx.Process(target=_serve, name="councilplans-worker", daemon=True,
                                    args=(theirs, os.getpid(), self.db_url, modules, self.settings.save_group))
        process.start()
        theirs.close()
        return _Worker(process, ours)

    def rules_version(self) -> str:
        """The extraction rules' version, as the first worker to get ready reports it."""
        while self.version is None:
            list(self._step(deque()))
        return self.version

    def close(self) -> None:
        """Stop every worker: politely, then by force."""
        for w in self.workers:
            try:
                w.conn.send(None)
            except (OSError, ValueError):
                pass
        deadline = time.monotonic() + STOP_GRACE_S
        for w in self.workers:
            w.process.join(max(0.0, deadline - time.monotonic()))
            if w.process.is_alive():
                _kill(w)
            w.conn.close()
        self.workers = []

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -------------------------------------------------------- the loop

    def results(self, jobs: Iterable[Job], save: Callable[[Job, DocumentResult, float], Outcome]) -> Iterator[Outcome]:
        """Every job's outcome, in the order they finish; a dead worker fails only its own job.

        Workers save what they extract; ``save`` saves what only this process
        knows (a worker died, a document hit its time or memory limit).
        """
        queue = deque(jobs)
        while queue or any(w.job or w.unsaved for w in self.workers):
            for item in self._step(queue):
                yield item if isinstance(item, Outcome) else save(*item)

    def _step(self, queue: deque) -> list:
        """Hand out work, wait for something to happen, and return what finished:
        outcomes the workers saved, and (job, result, seconds) for failures this process must save."""
        finished: list = []
        self._dispatch(queue)
        handles = [w.conn for w in self.workers] + [w.process.sentinel for w in self.workers]
        ready = set(wait(handles, self._wait_time()))
        for w in list(self.workers):
            if w.conn in ready or (w.process.sentinel in ready and w.conn.poll()):
                self._receive(w, finished, queue)
            if w in self.workers and w.process.sentinel in ready and not w.conn.poll():
                self._bury(w, finished)
        self._enforce_limits(finished)
        queue.extendleft(reversed(self._requeued))
        self._requeued = []
        self._dispatch(queue)
        return finished

    def _dispatch(self, queue: deque) -> None:
        for w in self.workers:
            if w.ready and w.job is None and w.unsaved and not queue and not w.flush_asked:
                w.flush_asked = True  # nothing more to send it: no reason to wait for its group to fill
                _send_quietly(w.conn, "flush")
            if w.ready and w.job is None and queue:
                job = queue.popleft()
                try:
                    w.conn.send((job, self._allowance()))
                except (OSError, ValueError):
                    queue.appendleft(job)  # the worker died meanwhile; its sentinel will say so
                    continue
                w.job, w.since = job, time.monotonic()

    def _allowance(self) -> int:
        """What the next document may add to its worker, from the batch budget and what the processes hold idle."""
        baseline = _resident(os.getpid()) + _resident(self._server_pid) + sum(w.idle for w in self.workers)
        return self.settings.doc_allowance(baseline, len(self.workers))

    def _wait_time(self) -> float:
        now = time.monotonic()
        deadlines = [w.since + self.settings.doc_timeout for w in self.workers if w.job]
        deadlines += [w.started + self.settings.start_timeout for w in self.workers if not w.ready]
        soonest = min(deadlines, default=now + self.settings.poll_interval)
        return max(0.0, min(self.settings.poll_interval, soonest - now))

    def _receive(self, w: _Worker, finished: list, queue: deque) -> None:
        try:
            message = w.conn.recv()
        except (EOFError, OSError):
            self._bury(w, finished)
            return
        if message[0] == "ready":
            w.ready = True
            w.idle = _resident(w.pid)
            self._server_pid = self._server_pid or _parent(w.pid)
            self._start_failures = 0
            self.version = self.version or message[2]
            return
        if message[0] == "saved":
            self._saved(w, message[1], finished)
            return
        w.unsaved[w.job.index] = w.job
        w.job = None
        w.done += 1
        self._deaths_in_a_row = 0
        self._saved(w, message[1], finished)
        if message[2]:  # the worker is leaving (a heap grown too far) and has saved all it held: a fresh one takes its place
            w.process.join(STOP_GRACE_S)
            self._replace(w, polite=False, finished=finished)
        elif w.done >= self.settings.recycle_after and queue:
            self._replace(w, polite=True, finished=finished)

    def _saved(self, w: _Worker, outcomes: list[Outcome], finished: list) -> None:
        for outcome in outcomes:
            w.unsaved.pop(outcome.index, None)
            finished.append(outcome)
        w.flush_asked = False

    def _bury(self, w: _Worker, finished: list) -> None:
        """A worker that exited: fail the document it held, start another if there is work left."""
        w.process.join(STOP_GRACE_S)
        if w.job is not None:
            finished.append((w.job, _died(w), time.monotonic() - w.since))
            w.job = None
            self._deaths_in_a_row += 1
            if self._deaths_in_a_row >= MAX_DEATHS_IN_A_ROW:
                raise WorkerStartError(f"{self._deaths_in_a_row} documents in a row lost their worker ({_how(w.process.exitcode)}); "
                                       "the machine may be out of memory — try fewer --workers or a lower --doc-memory")
        elif not w.ready:
            self._start_failures += 1
            if self._start_failures >= MAX_START_FAILURES:
                raise WorkerStartError(f"worker processes exit before they are ready ({_how(w.process.exitcode)}); "
                                       "try --workers 1, or check the installation with `councilplans extract --strict FILE`")
        self._replace(w, polite=False, finished=finished)

    def _replace(self, w: _Worker, polite: bool, finished: list) -> None:
        """A fresh worker in ``w``'s place (idle ones cost a fork; ``close`` stops them all).

        Told politely, the worker saves what it holds and reports it before it
        exits; documents it extracted but never saved are extracted again.
        """
        index = self.workers.index(w)
        if polite:
            _send_quietly(w.conn, None)
            self._drain(w, finished)
            w.process.join(STOP_GRACE_S)
        if w.process.is_alive():
            _kill(w)
        w.conn.close()
        self._requeue(w, finished)
        self.workers[index] = self._start()

    def _drain(self, w: _Worker, finished: list) -> None:
        """The outcomes a stopping worker still sends, until it closes its end."""
        while w.conn.poll(STOP_GRACE_S):
            try:
                message = w.conn.recv()
            except (EOFError, OSError):
                return
            if message[0] == "saved":
                self._saved(w, message[1], finished)

    def _requeue(self, w: _Worker, finished: list) -> None:
        """Documents ``w`` extracted but did not save go back to the queue, once; lost twice, they fail."""
        for job in w.unsaved.values():
            if job.index in self._retried:
                finished.append((job, _unsaved(job, w), 0.0))
            else:
                self._retried.add(job.index)
                self._requeued.append(job)
        w.unsaved = {}

    def _enforce_limits(self, finished: list) -> None:
        now = time.monotonic()
        for w in list(self.workers):
            if w.job is not None and now - w.since > self.settings.doc_timeout:
                job = w.job
                _kill(w)
                w.job = None
                finished.append((job, _timed_out(job, self.settings.doc_timeout), now - w.since))
                self._replace(w, polite=False, finished=finished)
            elif not w.ready and now - w.started > self.settings.start_timeout:
                _kill(w)
                self._bury(w, finished)
        self._enforce_budget(finished)

    def _enforce_budget(self, finished: list) -> None:
        """Stop the busiest document when the batch's processes together hold more than ``max_memory``."""
        busy = [w for w in self.workers if w.job is not None]
        if not busy:
            return
        sizes = {id(w): _resident(w.pid) for w in self.workers}
        total = _resident(os.getpid()) + _resident(self._server_pid) + sum(sizes.values())
        budget = self.settings.memory_budget()
        if total <= budget:
            return
        victim = max(busy, key=lambda w: sizes[id(w)])
        job, held = victim.job, sizes[id(victim)]
        _kill(victim)
        victim.job = None
        finished.append((job, _over_budget(job, total, budget, held), time.monotonic() - victim.since))
        self._replace(victim, polite=False, finished=finished)


def _kill(w: _Worker) -> None:
    """SIGKILL the worker and its process group (Tesseract runs in it), and reap it."""
    pid = w.pid
    if pid is None:
        return
    for kill in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            kill()
        except (ProcessLookupError, PermissionError):
            pass
    w.process.join(STOP_GRACE_S)


def _resident(pid: Optional[int]) -> int:
    """Resident bytes of a process (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _parent(pid: Optional[int]) -> Optional[int]:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return int(fh.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def _how(exitcode: Optional[int]) -> str:
    if exitcode is None:
        return "still running"
    if exitcode < 0:
        name = signal.Signals(-exitcode).name
        why = {"SIGKILL": "the kernel's out-of-memory killer, or a kill -9", "SIGSEGV": "a crash in a C library",
               "SIGABRT": "a C library gave up, often on memory", "SIGBUS": "a crash in a C library"}.get(name)
        return f"killed by {name}" + (f": {why}" if why else "")
    return f"exit status {exitcode}"


def _died(w: _Worker) -> DocumentResult:
    source = w.job.source
    return failed(source.name, source.label, source.sha256, "worker_died",
                  f"the worker reading this document died ({_how(w.process.exitcode)}); the next run retries it")


def _unsaved(job: Job, w: _Worker) -> DocumentResult:
    source = job.source
    return failed(source.name, source.label, source.sha256, "worker_died",
                  f"twice a worker extracted this document and died before saving it (last {_how(w.process.exitcode)}); "
                  "the next run retries it")


def _over_budget(job: Job, total: int, budget: int, held: int) -> DocumentResult:
    source, mb = job.source, 1 << 20
    return failed(source.name, source.label, source.sha256, "memory_limit",
                  f"the batch held {total / mb:.0f} MB, over its budget of {budget / mb:.0f} MB (--max-memory), and this "
                  f"document's worker held the most ({held / mb:.0f} MB); the next run retries it")


def _timed_out(job: Job, limit: float) -> DocumentResult:
    source = job.source
    return failed(source.name, source.label, source.sha256, "time_limit",
                  f"reading took longer than {limit:g} s and was stopped (raise --doc-timeout to allow more); "
                  "the next run retries it")
