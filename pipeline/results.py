"""What extracting one document produced: its records, its status and its coded issues.

Kept apart from ``pipeline.extract`` so the store, the batch runner and the
CLI can handle results without importing the extractors (and spaCy).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from schemas import DocumentMeta, Record

if TYPE_CHECKING:
    from pipeline.ingest import Source


@dataclass
class Issue:
    code: str
    message: str
    severity: str = "error"  # error | warning


@dataclass
class DocumentResult:
    source: str
    path: str
    sha256: str
    status: str = "ok"  # ok | partial | failed
    records: list[Record] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    pages: Optional[int] = None
    rules_version: str = ""  # the extraction rules that made it (set where it was extracted)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for record in self.records:
            out[record.type] = out.get(record.type, 0) + 1
        return out

    @property
    def meta(self) -> Optional[DocumentMeta]:
        return next((r for r in self.records if isinstance(r, DocumentMeta)), None)


def failed(source: str, path: str, sha256: str, code: str, message: str) -> DocumentResult:
    """A document that produced nothing, with the one issue that says why."""
    return DocumentResult(source=source, path=path, sha256=sha256, status="failed", issues=[Issue(code, message)])


@dataclass(slots=True)
class Job:
    """One document to extract; ``index`` is its place in the batch."""

    index: int
    source: "Source"


@dataclass
class Outcome:
    """One document's result once saved, without its records: what the summary and a caller need."""

    source: str
    path: str
    sha256: str
    status: str
    issues: list[Issue]
    records: dict[str, int]  # records per type
    pages: Optional[int]
    seconds: float
    index: int = -1  # place in the batch (input order)

    @classmethod
    def of(cls, result: DocumentResult, seconds: float, index: int = -1) -> "Outcome":
        return cls(result.source, result.path, result.sha256, result.status, result.issues, result.counts(),
                   result.pages, seconds, index)

    def counts(self) -> dict[str, int]:
        return self.records
