"""The knobs of a batch run, named in one place.

Every limit the batch enforces and every interval it waits on lives here, so a
reader of ``run``, ``workers`` or ``progress`` never meets a bare number, and a
user tunes a run (``extract --doc-timeout 600``) without reading the code.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Optional

MB = 1024 * 1024


@dataclass(frozen=True)
class SaveGroup:
    """When held-back results are saved: whichever limit is reached first."""

    documents: int = 32
    """Results per transaction (1 saves each document in its own)."""
    records: int = 2000
    """Records held back at most: a large document is saved with what is held, not kept in memory."""
    seconds: float = 1.0
    """Longest a result waits, so progress and a store read meanwhile stay close behind the extraction."""


@dataclass(frozen=True)
class BatchSettings:
    """How a batch runs: how many workers, what one document may cost, how often to report."""

    workers: Optional[int] = None
    """Worker processes (None: one per core).  Each loads spaCy and the register once.
    0 extracts in the calling process, without time or memory limits (benchmarks, debugging)."""

    doc_timeout: float = 600.0
    """Seconds one document may take before its worker is killed (``time_limit``).
    Born-digital PDFs read at 5-10 pages a second (a 2,000-page one in about five minutes);
    scans OCR at several seconds a page."""

    doc_memory: int = 512 * MB
    """Bytes of address space one document may add to a worker (``memory_limit``), set with
    RLIMIT_AS.  A 300-page PDF needs about 80 MB, a 15-page scan about 300 MB (OCR), a
    2,000-page PDF about 450 MB, a 10 MB text about 300 MB.  Page images are capped by
    ``ocr.MAX_PIXELS`` well below this.  Never more than a worker's share of ``max_memory``
    (``doc_allowance``)."""

    min_doc_memory: int = 64 * MB
    """The least a document is allowed when ``max_memory`` is tight (a small plan needs about 30 MB)."""

    max_memory: Optional[int] = None
    """Bytes the whole batch may hold resident (main process, forkserver, workers).  Past it the
    busy worker holding the most is stopped and its document fails with ``memory_limit`` (and is
    retried by the next run), so two large documents at once cannot take the machine.
    None: half of the machine's memory."""

    recycle_after: int = 500
    """Documents a worker reads before it is replaced by a fresh one.  spaCy's string store
    keeps every new word it meets, so a long-lived worker grows; a fresh one is cheap
    (a fork of the preloaded server)."""

    in_flight: int = 2
    """Tasks sent ahead per worker on a Dask cluster (local workers take one document at a time,
    so the batch always knows which document a dead worker held)."""

    dask_batch: int = 16
    """Documents per Dask task at most: the scheduler's cost per task is close to a small plan's
    extraction time, and a local worker commits once per task, so small plans travel 16 at a
    time (250 small plans on two local workers: 1.16 s in tasks of 4, 1.03 s of 8, 0.89 s of 16).
    A dead Dask worker fails its task's documents (``worker_died``; the next run retries them)."""

    dask_batch_bytes: int = 512 * 1024
    """Bytes of input per Dask task at most (a task holds at least one document): a task of big
    PDFs stays short, so the cluster's workers finish together."""

    preload_modules: tuple[str, ...] = ()
    """Modules every worker imports before its first document: your own extractors
    (``@register`` runs on import), so workers extract exactly what this process would."""

    start_timeout: float = 120.0
    """Seconds a new worker may take to load spaCy and the register before the batch gives up."""

    save_group: SaveGroup = SaveGroup()
    """How many extracted documents are saved per transaction (each in its own savepoint)."""

    poll_interval: float = 0.2
    """Seconds between checks of the workers' clocks and the batch's memory when no result arrives
    (a document can grow by a few hundred MB between two checks; each check reads a few /proc files)."""

    failures_kept: int = 50
    """Failed documents listed in the summary (all of them are in the store)."""

    slowest_kept: int = 5
    """Slowest documents listed in the summary."""

    def worker_count(self, documents: int) -> int:
        """Workers worth starting for this many documents (never more than documents, at least one)."""
        wanted = self.workers if self.workers else os.cpu_count() or 1
        return max(1, min(wanted, documents))

    def doc_allowance(self, baseline: int, workers: int) -> int:
        """What one document may add to its worker: ``doc_memory``, or less when the batch budget, after
        ``baseline`` (the processes' own memory: this one, the server, each idle worker), leaves each of
        the ``workers`` a smaller share — so ``--max-memory`` holds however the large documents fall,
        not only when the batch's memory is next polled.  Never below ``min_doc_memory``."""
        if self.doc_memory <= 0:
            return 0  # no limit asked for
        share = (self.memory_budget() - baseline) // max(1, workers)
        return max(self.min_doc_memory, min(self.doc_memory, share))

    def memory_budget(self) -> int:
        if self.max_memory:
            return self.max_memory
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2

    def with_options(self, **changes) -> "BatchSettings":
        """A copy with the given fields changed; ``None`` values keep the default."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


# Issue codes that say the document was not judged on its content: the next run retries it.
TRANSIENT_CODES = frozenset({"worker_died", "time_limit", "memory_limit", "store_failed", "unreadable_file"})
