"""Batch extraction: stream documents through workers into the store, one transaction each.

The batch keeps counts, not records: each result is saved the moment it
arrives and dropped, so memory does not grow with the corpus.  What to
extract is decided per content hash before any work starts:

* byte-identical files are one document that knows every name (its records
  carry the first name in sort order, so the export does not depend on which
  copy a run met first);
* a document already stored by the current rules is skipped — unless it
  failed for a reason that was not its content (a dead worker, a time or
  memory limit, a store error: ``settings.TRANSIENT_CODES``), or
  ``retry_failed`` asks to retry content failures too, or ``force``.

A killed run therefore resumes where it stopped, and one that hit a time
limit retries just those documents.
"""
from __future__ import annotations

import heapq
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Optional, Protocol

from pipeline.ingest import PathIssue, Source, hash_file, load_manifest, unreadable, walk
from pipeline.results import Job, Outcome
from pipeline.saver import Saver
from pipeline.settings import TRANSIENT_CODES, BatchSettings
from pipeline.store import Store, StoredDocument


@dataclass
class BatchSummary:
    """Counts by status and issue code, the slowest and failed documents, paths skipped with a reason."""

    to_extract: int = 0
    unchanged: int = 0
    statuses: Counter = field(default_factory=Counter)
    codes: Counter = field(default_factory=Counter)  # issue codes (errors and warnings) over all documents
    path_issues: list[PathIssue] = field(default_factory=list)
    unsupported: int = 0  # files under the folders that are not plans (.docx, .xls, ...)
    failures: list[Outcome] = field(default_factory=list)  # the first ``settings.failures_kept``
    slowest: list[tuple[float, str]] = field(default_factory=list)  # (seconds, path), slowest first
    results: list[Outcome] = field(default_factory=list)  # every outcome, in input order, if asked to keep them
    elapsed: float = 0.0
    store: str = ""

    @property
    def extracted(self) -> int:
        return sum(self.statuses.values())

    @property
    def failed(self) -> int:
        return self.statuses["failed"]

    @property
    def skipped(self) -> int:
        """Documents already in the store, unchanged (an alias kept for callers of earlier versions)."""
        return self.unchanged


class Reporter(Protocol):
    """Progress for people (``pipeline.progress``): told when the batch starts, as each document ends, and at the end."""

    def start(self, total: int, unchanged: int) -> None: ...

    def advance(self, outcome: Outcome) -> None: ...

    def finish(self, summary: BatchSummary) -> None: ...


def run_batch(paths: Iterable[Path], db: Optional[str] = None, manifest: Optional[Path] = None,
              strict: bool = False, force: bool = False, progress: Optional[Reporter] = None,
              workers: Optional[int] = None, scheduler: Optional[object] = None, *,
              retry_failed: bool = False, settings: Optional[BatchSettings] = None, keep_results: bool = True) -> BatchSummary:
    """Extract every source into the store; a bad document or path is reported and the batch goes on.

    Documents are extracted in worker processes (``workers``, default one per
    core; each under ``settings.doc_timeout`` and ``settings.doc_memory``; each
    worker saves what it extracts), on a Dask cluster at ``scheduler``, or in
    this process (``workers=0``: no limits; with ``strict`` it raises the first
    error).  Results are saved as they finish, whole or not at all, a group
    per transaction (``settings.save_group``), and dropped; the summary keeps
    its ``Outcome`` (``keep_results=False`` keeps not even that, for flat
    memory: read the records from the store).
    """
    settings = (settings or BatchSettings()).with_options(workers=workers)
    rows = load_manifest(manifest)
    summary = BatchSummary()
    started = time.monotonic()
    with Store(db) as store:
        summary.store = store.engine.url.render_as_string(hide_password=True)
        with _executor(strict, scheduler, settings, store.url) as executor:
            found = walk(paths)
            summary.unsupported = found.unsupported
            summary.path_issues.extend(found.issues)
            groups = _hash_all(found.files, summary.path_issues)
            store.note_path_issues((i.path, i.code, i.message) for i in summary.path_issues)
            jobs = _plan(store, groups, rows, executor.rules_version(), force, retry_failed, summary)
            del found, groups  # the jobs are all that is needed from here on
            summary.to_extract = len(jobs)
            if progress:
                progress.start(len(jobs), summary.unchanged)
            if hasattr(executor, "grow"):
                executor.grow(settings.worker_count(len(jobs)))
            for outcome in executor.results(jobs, Saver(store, strict, settings.save_group)):
                _count(summary, outcome, settings, keep_results)
                if progress:
                    progress.advance(outcome)
    summary.results.sort(key=lambda o: o.index)
    summary.elapsed = time.monotonic() - started
    if progress:
        progress.finish(summary)
    return summary


# ---------------------------------------------------------------- deciding what to extract


def _hash_all(files: list[Path], issues: list[PathIssue]) -> dict[str, list[Path]]:
    """Files grouped by content hash, in walk order; files that cannot be read become path issues."""
    groups: dict[str, list[Path]] = {}
    for path in files:
        try:
            sha = hash_file(path)
        except OSError as exc:
            issues.append(unreadable(path, exc))
            continue
        groups.setdefault(sha, []).append(Path(os.path.abspath(path)))
    return groups


def _plan(store: Store, groups: dict[str, list[Path]], manifest: dict[str, dict[str, str]], version: str,
          force: bool, retry_failed: bool, summary: BatchSummary) -> list[Job]:
    """One job per content hash that needs extracting; copies found under new names are recorded as names."""
    jobs = []
    known: Optional[dict[str, StoredDocument]] = store.stored_many(groups)  # one query per few hundred files
    for sha, paths in groups.items():
        sources = sorted((Source(path=p, sha256=sha) for p in paths), key=lambda s: s.label)
        stored = known.get(sha) if known is not None else store.stored(sha)
        label = min([s.label for s in sources] + (stored.names if stored else []))
        names = tuple(s.label for s in sources)
        if _current(stored, label, version, force, retry_failed):
            if set(names) - set(stored.names):
                store.add_names(sha, names)
                known = None  # names moved between documents: ask the store afresh from here on
            summary.unchanged += 1
            continue
        read = next((s for s in sources if s.label == label), sources[0])
        meta = next((manifest[s.name] for s in (read, *sources) if s.name in manifest), {})
        if read.label != label:  # the first name is a copy this run was not given: read another, record under it
            meta = manifest.get(Path(label).name, meta)
        jobs.append(Job(len(jobs), Source(path=read.path, sha256=sha, meta=meta, label=label, names=names)))
    return jobs


def _current(stored: Optional[StoredDocument], label: str, version: str, force: bool, retry_failed: bool) -> bool:
    """Whether the stored document is what extracting again would give (so it is skipped)."""
    if force or stored is None or stored.pipeline_version != version or stored.path != label:
        return False
    if stored.status == "failed":
        return not (retry_failed or TRANSIENT_CODES.intersection(stored.issue_codes))
    return True


# ---------------------------------------------------------------- saving and counting


def _count(summary: BatchSummary, outcome: Outcome, settings: BatchSettings, keep: bool) -> None:
    summary.statuses[outcome.status] += 1
    summary.codes.update({i.code for i in outcome.issues})
    if outcome.status == "failed" and len(summary.failures) < settings.failures_kept:
        summary.failures.append(outcome)
    entry = (outcome.seconds, outcome.path)
    if len(summary.slowest) < settings.slowest_kept:
        heapq.heappush(summary.slowest, entry)
    else:
        heapq.heappushpop(summary.slowest, entry)
    if keep:
        summary.results.append(outcome)


# ---------------------------------------------------------------- where documents are extracted


class _InProcess:
    """Extract in this process (``strict``): the first error raises with its traceback."""

    def __init__(self, strict: bool):
        self.strict = strict

    def rules_version(self) -> str:
        from pipeline.version import rules_version

        return rules_version()

    def results(self, jobs: list[Job], save: Saver) -> Iterator[Outcome]:
        """Each job extracted here, saved in groups (``settings.save_group``; one by one with ``strict``)."""
        return save.through(self._extracted(jobs, save))

    def _extracted(self, jobs: list[Job], save: Saver) -> Iterator[Outcome]:
        from pipeline.extract import process_source

        for job in jobs:
            started = time.perf_counter()
            result = process_source(job.source, strict=self.strict)
            if self.strict:
                yield save(job, result, time.perf_counter() - started)
            else:
                yield from save.add(job, result, time.perf_counter() - started)

    def close(self) -> None:
        pass


class _executor:
    """The executor for this batch as a context manager that always stops its workers."""

    def __init__(self, strict: bool, scheduler: Optional[object], settings: BatchSettings, db_url: str):
        if strict or settings.workers == 0:  # 0 workers: this process, without limits (benchmarks, debugging)
            self.executor = _InProcess(strict)
        elif scheduler is not None:
            from pipeline.distributed import DaskExecutor

            self.executor = DaskExecutor(scheduler, settings, db_url)
        else:
            from pipeline.workers import WorkerPool

            self.executor = WorkerPool(settings, db_url)
            self.executor.grow(1)  # starts loading while the folders are walked and hashed

    def __enter__(self):
        return self.executor

    def __exit__(self, *exc) -> None:
        self.executor.close()
