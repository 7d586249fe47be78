"""What extracting one document produced: its records, its status and its coded issues.

Kept apart from ``pipeline.extract`` so the store, the batch runner and the
CLI can handle results without importing the extractors (and spaCy).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from schemas import DocumentMeta, Record


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
