"""Run one document through reader → NLP → extractors, returning a ``DocumentResult``.

Errors are data: a document that cannot be read becomes a ``failed`` result
with a coded issue; an extractor that throws becomes a ``partial`` result.
Nothing here raises for bad input unless ``strict`` asks for it.
"""
from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from extractors import Context, load_builtin, run_order
from pipeline.document import Document
from pipeline.ingest import Source, sha256_bytes
from pipeline.nlp import annotate
from pipeline.readers import ReadError, read_document
from pipeline.tables.view import read_tables
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

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for record in self.records:
            out[record.type] = out.get(record.type, 0) + 1
        return out

    @property
    def meta(self) -> Optional[DocumentMeta]:
        return next((r for r in self.records if isinstance(r, DocumentMeta)), None)


def extract_document(doc: Document, strict: bool = False) -> tuple[list[Record], list[Issue]]:
    """Run the registered extractors over a parsed document."""
    extractors = run_order(load_builtin())
    ctx = Context(doc=doc)
    ctx.meta = DocumentMeta(source=doc.source)
    issues: list[Issue] = []
    try:
        ctx.tables = read_tables(doc)
    except Exception as exc:  # a table the semantics layer cannot read must not lose the rest
        if strict:
            raise
        issues.append(Issue("tables_failed", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"))
    for view in ctx.tables:
        issues.extend(Issue(code, message, "warning") for code, message in view.issues)
    records: list[Record] = []
    annotated = False
    for ex in extractors:
        name = ex.name
        if not annotated and ex.requires:
            blocks = [b for b in doc.blocks if b.kind in ("paragraph", "list_item", "heading")]
            for block, nlp_doc in zip(blocks, annotate((b.text for b in blocks), ctx.plan_year)):
                doc.nlp[block.index] = nlp_doc
            annotated = True
        try:
            records.extend(ex(doc, ctx))
        except Exception as exc:
            if strict:
                raise
            issues.append(Issue(f"extractor_failed:{name}", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"))
    for record in records:
        record.source = doc.source
        if doc.page_starts and record.provenance is not None:
            # the page where the snippet starts, whichever block or cell the extractor read it from
            record.provenance.page = doc.page_at(record.provenance.char_start)
    return records, issues


def process_source(source: Source, strict: bool = False) -> DocumentResult:
    """Read, extract and judge one file.  Never raises for bad input unless ``strict``."""
    path = Path(source.path)
    result = DocumentResult(source=path.name, path=str(path), sha256="")
    try:
        data = path.read_bytes()
    except OSError as exc:
        if strict:
            raise
        result.status = "failed"
        result.issues.append(Issue("unreadable_file", f"cannot read {path}: {exc.strerror or exc}"))
        return result
    result.sha256 = source.sha256 or sha256_bytes(data)
    try:
        doc = read_document(path, data)
    except ReadError as exc:
        if strict:
            raise
        result.status = "failed"
        result.issues.append(Issue(exc.code, exc.message))
        return result
    except Exception as exc:  # a reader bug must not stop the batch
        if strict:
            raise
        result.status = "failed"
        result.issues.append(Issue("reader_crashed", f"{type(exc).__name__}: {exc}"))
        return result
    doc.sha256, doc.path, doc.meta = result.sha256, str(path), dict(source.meta)
    result.pages = doc.pages
    records, issues = extract_document(doc, strict=strict)
    result.records = records
    result.issues.extend(Issue(code, message, "warning") for code, message in doc.issues)
    result.issues.extend(issues)
    result.status = judge(result)
    return result


def judge(result: DocumentResult) -> str:
    """ok: records and no errors; partial: something went wrong or nothing but metadata came out."""
    if any(i.severity == "error" for i in result.issues):
        return "partial"
    if len(result.records) <= 1:
        result.issues.append(Issue("no_records", "no records beyond the document itself were found", "warning"))
        return "partial"
    if any(i.code == "no_text_layer" for i in result.issues):
        return "partial"
    return "ok"
