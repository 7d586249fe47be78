"""The same per-document function on a Dask cluster (``extract --scheduler``; the ``dask`` extra).

Dask does the distribution; this module only keeps a bounded number of
documents in flight (so memory stays flat however long the batch) and hands
results back to the main process, which alone writes the store.  Sources are
sent with absolute paths: a worker resolves a relative path against its own
working directory, not the user's.  Per-document limits on a cluster are
Dask's own (its nanny restarts a worker over its memory limit, and the task
fails here as ``worker_died``).
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator

from pipeline.errors import CouncilplansError
from pipeline.results import DocumentResult, Job, Outcome, failed
from pipeline.settings import BatchSettings


class DaskUnavailable(CouncilplansError):
    """``--scheduler`` was given but Dask is not installed."""


class DaskExecutor:
    """Extract ``Job``s on the cluster at ``address`` (or a ``dask.distributed.Client``)."""

    def __init__(self, address: Any, settings: BatchSettings):
        try:
            from dask.distributed import Client
        except ImportError as exc:
            raise DaskUnavailable("--scheduler needs Dask: pip install 'councilplans[dask]'") from exc
        self.settings = settings
        self._own = not isinstance(address, Client)
        self.client = Client(address) if self._own else address

    def rules_version(self) -> str:
        from pipeline.version import rules_version

        return self.client.submit(rules_version, pure=False).result()

    def results(self, jobs: Iterable[Job], save: Any) -> Iterator[Outcome]:
        from dask.distributed import as_completed

        from pipeline.extract import process_source

        pending = iter(jobs)
        window = max(1, self.settings.in_flight * max(1, len(self.client.scheduler_info().get("workers", {}))))
        futures = {}
        for job in _take(pending, window):
            futures[self.client.submit(_timed, process_source, job.source, pure=False)] = job
        stream = as_completed(list(futures))
        for future in stream:
            job = futures.pop(future)
            yield save(job, *_outcome(future, job))
            future.release()
            for nxt in _take(pending, 1):
                new = self.client.submit(_timed, process_source, nxt.source, pure=False)
                futures[new] = nxt
                stream.add(new)

    def close(self) -> None:
        if self._own:
            self.client.close()


def _take(iterator: Iterator[Job], n: int) -> list[Job]:
    out = []
    for job in iterator:
        out.append(job)
        if len(out) >= n:
            break
    return out


def _timed(fn: Any, source: Any) -> tuple[DocumentResult, float]:
    import time

    started = time.perf_counter()
    result = fn(source)
    return result, time.perf_counter() - started


def _outcome(future: Any, job: Job) -> tuple[DocumentResult, float]:
    try:
        return future.result()
    except Exception as exc:  # the worker died (its nanny restarted it) or the task could not run
        source = job.source
        return failed(source.name, source.label, source.sha256, "worker_died",
                      f"the Dask worker reading this document failed ({type(exc).__name__}: {exc}); the next run retries it"), 0.0
