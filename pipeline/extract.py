"""Run one document through reader → NLP → extractors, returning a ``DocumentResult``.

Errors are data: a document that cannot be read becomes a ``failed`` result
with a coded issue; an extractor that throws becomes a ``partial`` result.
Nothing here raises for bad input unless ``strict`` asks for it.
"""
from __future__ import annotations

import resource
import traceback

from extractors import Context, load_builtin, run_order
from pipeline.document import Document
from pipeline.ingest import NotARegularFile, Source, content_key, read_file
from pipeline.nlp import ANNOTATED_KINDS, Annotations
from pipeline.readers import ReadError, read_document
from pipeline.readers.cleaning import garbled
from pipeline.results import DocumentResult, Issue
from pipeline.tables.view import read_tables
from pipeline.version import rules_version
from schemas import DocumentMeta, Record

__all__ = ["DocumentResult", "Issue", "extract_document", "process_source", "judge"]


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
        if not annotated and ex.requires:  # the plan year is known once metadata has run
            texts = {b.index: b.text for b in doc.blocks if b.kind in ANNOTATED_KINDS}
            doc.nlp = Annotations(texts, ctx.plan_year)
            annotated = True
        try:
            records.extend(ex(doc, ctx))
        except Exception as exc:
            if strict:
                raise
            if starved(exc):  # what the others found is incomplete too: the document is over its memory limit
                raise MemoryError from exc
            issues.append(Issue(f"extractor_failed:{name}", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"))
    for record in records:
        if record.source != doc.source:  # extractors mostly set it: a pydantic assignment costs more than the test
            record.source = doc.source
        if doc.page_starts and record.provenance is not None:
            # the page where the snippet starts, whichever block or cell the extractor read it from
            record.provenance.page = doc.page_at(record.provenance.char_start)
    return records, issues


def process_source(source: Source, strict: bool = False) -> DocumentResult:
    """Read, extract and judge one file.  Never raises for bad input unless ``strict``.

    Running out of memory (the worker's ``--doc-memory`` limit) is bad input
    too: the document fails with ``memory_limit`` and the caller goes on.
    """
    result = DocumentResult(source=source.name, path=source.label, sha256="", rules_version=rules_version())
    try:
        _read_and_extract(source, result, strict)
    except MemoryError:
        if strict:
            raise
        result.records = []
        result.status = "failed"
        result.issues.append(Issue("memory_limit", "the document needed more memory than one document may use: "
                                                   "--doc-memory, or its worker's share of the batch's --max-memory "
                                                   "budget (raise them to allow more)"))
    return result


def _read_and_extract(source: Source, result: DocumentResult, strict: bool) -> None:
    try:
        data = read_file(source.path)
    except OSError as exc:
        if strict:
            raise
        result.status = "failed"
        what = exc.strerror if isinstance(exc, NotARegularFile) else f"cannot read {source.label}: {exc.strerror or exc}"
        result.issues.append(Issue("unreadable_file", what))
        return
    result.sha256 = content_key(data, source.path)
    try:
        doc = read_document(source.path, data)
    except ReadError as exc:
        if strict:
            raise
        result.status = "failed"
        result.issues.append(Issue(exc.code, exc.message))
        return
    except MemoryError:
        raise
    except Exception as exc:  # a reader bug must not stop the batch
        if strict:
            raise
        if starved(exc):
            raise MemoryError from exc
        result.status = "failed"
        result.issues.append(Issue("reader_crashed", f"{type(exc).__name__}: {exc}"))
        return
    del data
    doc.sha256, doc.path, doc.meta = result.sha256, source.label, dict(source.meta)
    doc.source = source.name
    result.pages = doc.pages
    try:
        records, issues = extract_document(doc, strict=strict)
    except MemoryError:
        raise
    except Exception as exc:  # outside any one extractor (annotation, ordering): the document fails, the batch goes on
        if strict:
            raise
        if starved(exc):
            raise MemoryError from exc
        result.status = "failed"
        result.issues.append(Issue("extraction_crashed", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"))
        return
    result.records = records
    result.issues.extend(Issue(code, message, "warning") for code, message in doc.issues)
    result.issues.extend(garbled_pages(doc))
    result.issues.extend(issues)
    result.status = judge(result)


def memory_limited() -> bool:
    """This process runs under a document memory limit (a batch worker's RLIMIT_AS)."""
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    return soft != resource.RLIM_INFINITY


def starved(exc: BaseException) -> bool:
    """An error that means the document ran out of its memory allowance rather than a reader bug.

    A C extension (pdfminer's, spaCy's) that fails to allocate under RLIMIT_AS often
    returns an error without setting MemoryError, which Python reports as
    ``SystemError: error return without exception set``.  Reported as a reader
    crash it would not be retried and would name the wrong cause.
    """
    return isinstance(exc, MemoryError) or (isinstance(exc, SystemError) and memory_limited())


def garbled_pages(doc: Document) -> list[Issue]:
    """An error issue when a page (or a text document) is mostly not words: its records cannot be trusted."""
    starts = doc.page_starts or [0]
    ends = [*starts[1:], len(doc.text)]
    bad = [n for n, (a, b) in enumerate(zip(starts, ends), start=1) if garbled(doc.text[a:b])]
    if not bad:
        return []
    where = "the text" if not doc.page_starts else f"page(s) {', '.join(map(str, bad[:20]))}{' …' if len(bad) > 20 else ''}"
    return [Issue("garbled_text", f"{where} read as symbols rather than words (a font without a Unicode map, or the "
                                  "wrong encoding); check the records against the original")]


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
