"""The same per-document function on a Dask cluster (``extract --scheduler``; the ``dask`` extra).

Dask does the distribution; this module only keeps a bounded number of
documents in flight (so memory stays flat however long the batch).  When the
cluster's workers run on this machine (a ``LocalCluster``) each saves what it
extracts, as our own workers do; a remote cluster hands results back and the
main process saves them (its store may be a SQLite file the cluster cannot
see).  Sources are sent with absolute paths: a worker resolves a relative path
against its own working directory, not the user's.  Per-document limits on a cluster are
Dask's own (its nanny restarts a worker over its memory limit, and the task
fails here as ``worker_died``).
"""
from __future__ import annotations

import os
import socket
from functools import lru_cache
from typing import Any, Iterable, Iterator, Optional
from urllib.parse import urlparse

from pipeline.errors import CouncilplansError
from pipeline.results import Job, Outcome, failed
from pipeline.settings import BatchSettings, SaveGroup


class DaskUnavailable(CouncilplansError):
    """``--scheduler`` was given but Dask is not installed."""


class DaskExecutor:
    """Extract ``Job``s on the cluster at ``address`` (or a ``dask.distributed.Client``)."""

    def __init__(self, address: Any, settings: BatchSettings, db_url: str):
        try:
            from dask.distributed import Client
        except ImportError as exc:
            raise DaskUnavailable("--scheduler needs Dask: pip install 'councilplans[dask]'") from exc
        self.settings = settings
        self.db_url = db_url
        self._own = not isinstance(address, Client)
        self.client = Client(address) if self._own else address

    def rules_version(self) -> str:
        from pipeline.version import rules_version

        return self.client.submit(rules_version, pure=False).result()

    def results(self, jobs: Iterable[Job], save: Any) -> Iterator[Outcome]:
        workers = self.client.scheduler_info().get("workers", {})
        local = bool(workers) and all(_on_this_host(address) for address in workers)
        db_url = self.db_url if local else None
        size = (self.settings.dask_batch, self.settings.dask_batch_bytes)
        pending = iter(jobs)
        futures = {}

        def submit(batch: list[Job]) -> Any:
            future = self.client.submit(extract_all, batch, db_url, self.settings.save_group, pure=False)
            futures[future] = batch
            return future

        for _ in range(max(1, self.settings.in_flight * max(1, len(workers)))):
            batch = _take(pending, *size)
            if batch:
                submit(batch)
        return save.through(self._outcomes_as_done(futures, pending, size, submit, save))

    def _outcomes_as_done(self, futures: dict, pending: Iterator[Job], size: tuple[int, int], submit: Any,
                          save: Any) -> Iterator[Outcome]:
        from dask.distributed import as_completed

        stream = as_completed(list(futures))
        for future in stream:
            batch = futures.pop(future)
            for job, item in zip(batch, _outcomes(future, batch)):
                if isinstance(item, Outcome):
                    yield item
                else:  # a remote worker's result (or its failure): saved here, in groups like a worker's
                    yield from save.add(job, *item)
            future.release()
            nxt = _take(pending, *size)
            if nxt:
                stream.add(submit(nxt))

    def close(self) -> None:
        if self._own:
            self.client.close()


def _take(iterator: Iterator[Job], n: int, max_bytes: int) -> list[Job]:
    """The next task's jobs: ``n`` of them, or fewer once their files hold ``max_bytes`` (at least one)."""
    out, held = [], 0
    for job in iterator:
        out.append(job)
        held += _file_size(job)
        if len(out) >= n or held >= max_bytes:
            break
    return out


def _file_size(job: Job) -> int:
    try:
        return os.stat(job.source.path).st_size
    except OSError:  # gone since the walk: the worker reports it; it weighs nothing here
        return 0


def extract_all(jobs: list[Job], db_url: Optional[str], group: Optional[SaveGroup] = None) -> list[Any]:
    """On a worker: read and extract each document; with ``db_url`` (a worker on this machine) save it too
    and send back only its ``Outcome``, else send (result, seconds) for the main process to save."""
    import time

    from pipeline.extract import process_source

    out: list[Any] = []
    for job in jobs:
        started = time.perf_counter()
        result = process_source(job.source)
        seconds = time.perf_counter() - started
        out.extend(_saver(db_url, group).add(job, result, seconds) if db_url else [(result, seconds)])
    return out + (_saver(db_url, group).flush() if db_url else [])  # the task's documents saved in one transaction


@lru_cache(maxsize=4)
def _saver(db_url: str, group: Optional[SaveGroup]) -> Any:
    from pipeline.saver import Saver
    from pipeline.store import Store

    return Saver(Store(db_url, create=False), group=group or SaveGroup())


@lru_cache(maxsize=1)
def _this_host() -> frozenset[str]:
    names = {"localhost", "127.0.0.1", "::1", socket.gethostname()}
    try:
        names |= set(socket.gethostbyname_ex(socket.gethostname())[2])
    except OSError:
        pass
    return frozenset(names)


def _on_this_host(address: str) -> bool:
    return (urlparse(address).hostname or "") in _this_host()


def _outcomes(future: Any, jobs: list[Job]) -> list[Any]:
    """The task's outcomes or (result, seconds) pairs, or a failed result for each job when the worker died."""
    try:
        return future.result()
    except Exception as exc:  # the worker died (its nanny restarted it) or the task could not run
        return [(failed(job.source.name, job.source.label, job.source.sha256, "worker_died",
                        f"the Dask worker reading this document failed ({type(exc).__name__}: {exc}); "
                        "the next run retries it"), 0.0) for job in jobs]
