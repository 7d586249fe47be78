"""Batch extraction: stream documents through the pipeline into the store, one transaction each."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

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
              progress: Optional[Callable[[Source], None]] = None) -> BatchSummary:
    """Extract every source into the store; a bad document is reported and the batch goes on."""
    sources = find_sources(list(paths), load_manifest(manifest))
    summary = BatchSummary()
    with Store(db) as store:
        for source in sources:
            if progress:
                progress(source)
            try:
                source.sha256 = sha256_bytes(source.path.read_bytes())
            except OSError:
                pass  # process_source reports it as a failed document
            if source.sha256 and not force and store.has_current(source.sha256, str(source.path)):
                summary.skipped.append(source.name)
                continue
            result = process_source(source, strict=strict)
            try:
                store.save(result)
            except Exception as exc:  # the transaction rolled back; earlier documents are safe
                if strict:
                    raise
                result.status = "failed"
                result.issues.append(Issue("store_failed", f"{type(exc).__name__}: {exc}"))
            summary.results.append(result)
    return summary
