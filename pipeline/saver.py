"""Saving one result: in its own transaction, with every name of its content; a failure to save is saved too.

The same ``Saver`` runs in each worker process (so saving, like extracting,
happens in parallel and records never cross a pipe) and in the main process
for what only it knows: a worker that died, a document stopped at its time or
memory limit, a result from a Dask cluster or from ``workers=0``.
"""
from __future__ import annotations

from pipeline.results import DocumentResult, Issue, Job, Outcome
from pipeline.store import Store, failure_only


class Saver:
    """``saver(job, result, seconds)`` saves the result and returns its ``Outcome``."""

    def __init__(self, store: Store, strict: bool = False):
        self.store = store
        self.strict = strict

    def __call__(self, job: Job, result: DocumentResult, seconds: float) -> Outcome:
        if not result.sha256:  # the file could not be read after all (its content unknown): a path issue
            issue = next(iter(result.issues), Issue("unreadable_file", "the file could not be read"))
            self.store.note_path_issues([(result.path, issue.code, issue.message)])
        else:
            result = self._save(job, result)
        return Outcome.of(result, seconds, job.index)

    def _save(self, job: Job, result: DocumentResult) -> DocumentResult:
        try:
            self.store.save(result, job.source.names)
            return result
        except Exception as exc:  # the transaction rolled back; earlier documents are safe
            if self.strict:
                raise
            reason = str(exc).splitlines()[0] if str(exc) else ""
            bare = failure_only(result, Issue("store_failed", f"{type(exc).__name__}: {reason}; the next run retries it"))
        try:  # noted beside the last good version of the file, which stays until this one saves
            self.store.save(bare, job.source.names, claim_names=False)
        except Exception:
            pass  # the store is unreachable: the summary still reports it
        return bare
