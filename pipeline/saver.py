"""Saving results: each document atomically, with every name of its content; a failure to save is saved too.

The same ``Saver`` runs in each worker process (so saving, like extracting,
happens in parallel and records never cross a pipe) and in the main process
for what only it knows: a worker that died, a document stopped at its time or
memory limit, a result from a Dask cluster or from ``workers=0``.

``saver(job, result, seconds)`` saves at once.  ``add`` holds results back
and saves a group of them per transaction (``settings.SaveGroup``): a commit costs as
much as a small plan's inserts, so a batch of small plans saved one per commit
spent a quarter of its time committing.  Each document still has its own
savepoint, so it is stored whole or not at all; a kill loses at most the
group not yet committed, and the next run extracts those documents again.
"""
from __future__ import annotations

import time
from typing import Iterator

from pipeline.results import DocumentResult, Issue, Job, Outcome
from pipeline.settings import SaveGroup
from pipeline.store import Store, failure_only


ONE_BY_ONE = SaveGroup(documents=1)


class Saver:
    """Saves results into ``store`` and returns their ``Outcome``s."""

    def __init__(self, store: Store, strict: bool = False, group: SaveGroup = ONE_BY_ONE):
        self.store = store
        self.strict = strict
        self.group = group
        self.pending: list[tuple[Job, DocumentResult, float]] = []
        self._records = 0
        self._since = 0.0

    def __call__(self, job: Job, result: DocumentResult, seconds: float) -> Outcome:
        """Save one result now, in its own transaction."""
        if not result.sha256:  # the file could not be read after all (its content unknown): a path issue
            issue = next(iter(result.issues), Issue("unreadable_file", "the file could not be read"))
            self.store.note_path_issues([(result.path, issue.code, issue.message)])
        else:
            result = self._save(job, result)
        return Outcome.of(result, seconds, job.index)

    def add(self, job: Job, result: DocumentResult, seconds: float) -> list[Outcome]:
        """Hold a result back; the outcomes of every result saved now (the group, when it is due)."""
        if not self.pending:
            self._since = time.monotonic()
        self.pending.append((job, result, seconds))
        self._records += len(result.records)
        return self.flush() if self.due() else []

    def through(self, outcomes: Iterator[Outcome]) -> Iterator[Outcome]:
        """``outcomes`` (made with ``add``), then those of the results still held back.  Stopped early (Ctrl-C,
        an error downstream), what was held back is still saved."""
        try:
            yield from outcomes
            yield from self.flush()
        finally:
            if self.pending:
                self.flush()

    def due(self) -> bool:
        """Whether the held-back results should be saved now."""
        return bool(self.pending) and (len(self.pending) >= self.group.documents or self._records >= self.group.records
                                       or self.wait() == 0)

    def wait(self) -> float:
        """Seconds until the held-back results are due by age (0 when they are)."""
        return max(0.0, self._since + self.group.seconds - time.monotonic())

    def flush(self) -> list[Outcome]:
        """Save every held-back result, as many as possible in one transaction; their outcomes in order."""
        held, self.pending, self._records = self.pending, [], 0
        saveable = [(job, result) for job, result, _ in held if result.sha256]
        if len(saveable) < 2:
            return [self(job, result, seconds) for job, result, seconds in held]
        try:
            errors = iter(self.store.save_many([(result, job.source.names) for job, result in saveable]))
        except Exception:  # the group's transaction failed as a whole (a lock, a lost server): each on its own
            if self.strict:
                raise
            return [self(job, result, seconds) for job, result, seconds in held]
        outcomes = []
        for job, result, seconds in held:
            error = next(errors) if result.sha256 else None
            if error is not None:
                if self.strict:
                    raise error
                result = self._save_failure(job, result, error)
            outcomes.append(Outcome.of(result, seconds, job.index) if result.sha256 else self(job, result, seconds))
        return outcomes

    def _save(self, job: Job, result: DocumentResult) -> DocumentResult:
        try:
            self.store.save(result, job.source.names)
            return result
        except Exception as exc:  # the transaction rolled back; earlier documents are safe
            if self.strict:
                raise
            return self._save_failure(job, result, exc)

    def _save_failure(self, job: Job, result: DocumentResult, exc: Exception) -> DocumentResult:
        """The document as a failure to save, noted beside the last good version of the file (which stays)."""
        reason = str(exc).splitlines()[0] if str(exc) else ""
        bare = failure_only(result, Issue("store_failed", f"{type(exc).__name__}: {reason}; the next run retries it"))
        try:
            self.store.save(bare, job.source.names, claim_names=False)
        except Exception:
            pass  # the store is unreachable: the summary still reports it
        return bare
