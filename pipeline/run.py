"""Batch extraction: stream documents through the pipeline into the store, one transaction each."""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from pipeline.extract import DocumentResult, Issue, process_source
from pipeline.ingest import Source, find_sources, load_manifest, sha256_bytes
from pipeline.store import Store


@dataclass
class BatchSummary:
    results: list[DocumentResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # unchanged since the last run

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results if r.status == "failed")


def run_batch(paths: Iterable[Path], db: Optional[str] = None, manifest: Optional[Path] = None,
              strict: bool = False, force: bool = False,
              progress: Optional[Callable[[Source], None]] = None,
              workers: Optional[int] = None, scheduler: Optional[str] = None) -> BatchSummary:
    """Extract every source into the store; a bad document is reported and the batch goes on.

    Documents are extracted in ``workers`` processes (default: one per core;
    1 runs in this process) or on a Dask cluster at ``scheduler``; each result
    is saved as it finishes, in its own transaction, so a killed run keeps
    what it finished and a re-run skips it.
    """
    sources = find_sources(list(paths), load_manifest(manifest))
    summary = BatchSummary()
    order = {id(s): k for k, s in enumerate(sources)}
    with Store(db) as store:
        todo = []
        for source in sources:
            try:
                source.sha256 = sha256_bytes(source.path.read_bytes())
            except OSError:
                pass  # process_source reports it as a failed document
            if source.sha256 and not force and store.has_current(source.sha256, str(source.path)):
                summary.skipped.append(source.name)
            else:
                todo.append(source)
        for source, result in _extract_all(todo, strict, workers, scheduler, progress):
            try:
                store.save(result)
            except Exception as exc:  # the transaction rolled back; earlier documents are safe
                if strict:
                    raise
                result.status = "failed"
                result.issues.append(Issue("store_failed", f"{type(exc).__name__}: {exc}"))
            summary.results.append(result)
    rank = {s.name: order[id(s)] for s in todo}
    summary.results.sort(key=lambda r: rank.get(r.source, 0))
    return summary


def _extract_all(sources: list[Source], strict: bool, workers: Optional[int], scheduler: Optional[str],
                 progress: Optional[Callable[[Source], None]]) -> Iterator[tuple[Source, DocumentResult]]:
    """(source, result) pairs as documents finish, from this process, a process pool or Dask."""
    if scheduler:
        yield from _on_dask(sources, strict, scheduler, progress)
        return
    workers = min(workers or os.cpu_count() or 1, len(sources))
    if workers <= 1 or strict:  # strict wants the traceback here, in this process
        for source in sources:
            if progress:
                progress(source)
            yield source, process_source(source, strict=strict)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(process_source, source): source for source in sources}
        for future in as_completed(futures):
            source = futures[future]
            if progress:
                progress(source)
            yield source, _result_of(future, source)


def _result_of(future, source: Source) -> DocumentResult:
    try:
        return future.result()
    except Exception as exc:  # a worker died (out of memory, a crash in a C library): that document fails
        result = DocumentResult(source=source.name, path=str(source.path), sha256=source.sha256, status="failed")
        result.issues.append(Issue("worker_failed", f"{type(exc).__name__}: {exc}"))
        return result


def _on_dask(sources: list[Source], strict: bool, scheduler: str,
             progress: Optional[Callable[[Source], None]]) -> Iterator[tuple[Source, DocumentResult]]:
    try:
        from dask.distributed import Client, as_completed as dask_completed
    except ImportError as exc:
        raise RuntimeError("--scheduler needs Dask: pip install 'councilplans[dask]'") from exc
    with Client(scheduler) as client:
        futures = {client.submit(process_source, source, strict, pure=False): source for source in sources}
        for future in dask_completed(list(futures)):
            source = futures[future]
            if progress:
                progress(source)
            yield source, _result_of(future, source)
