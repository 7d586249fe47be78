"""A static review site: every record beside its source, to check and correct.

``build_site(store, out)`` writes ``out/index.html`` (documents: council,
year, status, coded issues, records per type, low-confidence and failed-check
counts; sortable and filterable) and a page per document with the source on
the left (the text with every record's span highlighted, or each PDF page's
image with the record's box) and its records on the right.  The pages need no
server and no network: CSS and JS are bundled (``assets/``), data is embedded
as JSON, page images load lazily.

Corrections made on a page are collected in the browser and downloaded as a
file for ``councilplans correct``; corrections already loaded are shown
applied (deleted records struck through) unless ``raw``.
"""
from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from fnmatch import fnmatch
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Literal, Optional, get_args, get_origin

from pipeline.corrections import Corrector, key_of, keyed, status
from pipeline.review import html
from pipeline.review.layout import Placement, load_layout, place_in_text, place_on_pages
from pipeline.review.pages import image_name, render_pages
from pipeline.review.settings import ReviewSettings
from schemas import RECORD_TYPES

KINDS = html.TYPE_ORDER
ASSETS = ("review.css", "review.js")


@dataclass
class ReviewSite:
    """What was written: where, how much, how long."""

    index: Path
    documents: int = 0
    pages: int = 0  # page images
    bytes: int = 0  # the whole site
    largest_page: int = 0  # the heaviest HTML page (images load separately, lazily)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


def build_site(store: Any, out: Path, sources: Optional[list[str]] = None, raw: bool = False,
               settings: ReviewSettings = ReviewSettings(), progress: Optional[Callable[[str], None]] = None) -> ReviewSite:
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    (out / "docs").mkdir(exist_ok=True)
    _copy_assets(out / "assets")
    corrector = None if raw else Corrector(store.corrections(), keep_deleted=True)
    docs = [d for d in store.documents() if not sources or any(fnmatch(d["source"], p) or d["source"] == p for p in sources)]
    site = ReviewSite(out / "index.html")
    rows = []
    for doc in docs:
        if progress:
            progress(doc["source"])
        row = _document(store, doc, out, corrector, settings, site)
        rows.append(row)
    summary = _summary(rows, store, raw)
    _write(site, out / "index.html", html.index_page(rows, summary))
    site.documents = len(rows)
    site.bytes = sum(p.stat().st_size for p in out.rglob("*") if p.is_file() and "_cache" not in p.parts)
    site.seconds = time.perf_counter() - started
    return site


def _copy_assets(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    folder = resources.files("pipeline.review").joinpath("assets")
    for name in ASSETS:
        (target / name).write_bytes(folder.joinpath(name).read_bytes())


def slug(doc: dict) -> str:
    """A file name for a document's page: its stem (safe characters) plus the content hash's first 8 hex."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(doc["source"]).stem).strip("-")[:80] or "document"
    return f"{stem}-{doc['sha256'][:8]}"


# ---------------------------------------------------------------- one document

def _document(store: Any, doc: dict, out: Path, corrector: Optional[Corrector], settings: ReviewSettings,
              site: ReviewSite) -> dict:
    name = slug(doc)
    records = _records(store, doc, corrector, settings)
    data = {"page": "document", "doc": _doc_facts(doc), "records": records, "types": _type_facts(),
            "warnings": [], "mode": "missing", "pages": []}
    source_html = _source(doc, out, name, records, data, settings, site)
    _write(site, out / "docs" / f"{name}.html", html.document_page(doc, source_html, data))
    live = [r for r in records if not r.get("deleted")]
    return {
        "source": doc["source"], "href": f"docs/{name}.html", "council": doc.get("council"),
        "year": doc.get("financial_year"), "status": doc["status"], "issues": html.issue_list(doc.get("issues")),
        "pages": doc.get("pages"), "counts": {t: sum(r["t"] == t for r in live) for t in KINDS},
        "low": sum(bool(r.get("lc")) for r in live), "checks": sum(bool(r.get("ck")) for r in live),
        "corr": sum(bool(r.get("note")) for r in records), "records": len(live),
    }


def _doc_facts(doc: dict) -> dict:
    keep = ("sha256", "source", "path", "status", "council", "council_code", "financial_year", "title", "scope", "pages",
            "pipeline_version")
    return {k: doc.get(k) for k in keep}


def _type_facts() -> dict:
    """Each type's fields, natural key and allowed values, for the page's correction forms."""
    out = {}
    for kind in KINDS:
        cls = RECORD_TYPES[kind]
        choices, required = {}, []
        for name in cls.field_names():
            info = cls.model_fields[name]
            args = [a for a in get_args(info.annotation) if a is not type(None)]
            literal = next((a for a in [info.annotation, *args] if get_origin(a) is Literal), None)
            if literal is not None:
                choices[name] = list(get_args(literal))
            if info.is_required():
                required.append(name)
        out[kind] = {"fields": cls.field_names(), "key": list(cls.natural_key), "choices": choices, "required": required}
    return out


def _records(store: Any, doc: dict, corrector: Optional[Corrector], settings: ReviewSettings) -> list[dict]:
    """The document's records (corrections applied, deleted ones kept and flagged), compact for the page."""
    out = []
    for kind in KINDS:
        rows = store.rows(kind, doc["sha256"])
        keys = keyed(kind, rows)
        shown = corrector.rows(kind, doc, rows) if corrector is not None else rows
        for n, row in enumerate(shown):
            key, occurrence = (key_of(kind, rows[n]), keys[n][1]) if n < len(rows) else (None, 0)
            out.append(_record(kind, row, key, occurrence, len(out), settings))
    return out


def _record(kind: str, row: dict, key: Optional[dict], occurrence: int, index: int, settings: ReviewSettings) -> dict:
    extra = row.get("extra") or {}
    checks = [c for k in settings.check_keys for c in _as_list(extra.get(k))]
    confidence = row.get("confidence")
    rec = {
        "i": index, "t": kind, "id": row.get("id"), "f": {n: row.get(n) for n in RECORD_TYPES[kind].field_names()},
        "c": confidence, "p": row.get("page"), "s": row.get("char_start"), "e": row.get("char_end"),
        "sn": row.get("snippet"), "k": key, "n": occurrence,
    }
    if confidence is not None and confidence < settings.low_confidence:
        rec["lc"] = True
    if checks:
        rec["ck"] = checks
    for flag, name in (("deleted", "del"), ("added", "add")):
        if row.get(flag):
            rec[name] = True
    if row.get("original"):
        rec["o"] = row["original"]
    if row.get("correction"):
        rec["note"] = row["correction"]
    return rec


def _as_list(value: Any) -> list:
    if not value:
        return []
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


# ---------------------------------------------------------------- the source pane

def _source(doc: dict, out: Path, name: str, records: list[dict], data: dict, settings: ReviewSettings,
            site: ReviewSite) -> str:
    path = Path(doc.get("path") or "")
    if not doc.get("path") or not path.is_file():
        data["warnings"].append(f"the source file is not at {doc.get('path')} any more: records are listed without it")
        return html.missing_source(f"Source file not found: {doc.get('path')}")
    raw = path.read_bytes()
    if hashlib.sha256(raw).hexdigest() != doc["sha256"]:
        data["warnings"].append(f"{path} has changed since it was extracted: highlights are found by the records' words "
                                "and may be missing; re-run `councilplans extract`")
    if raw[:5] == b"%PDF-" or path.suffix.lower() == ".pdf":
        return _pdf(doc, raw, path, out, name, records, data, settings, site)
    return _text(doc, raw, path, records, data)


def _text(doc: dict, raw: bytes, path: Path, records: list[dict], data: dict) -> str:
    from pipeline.readers import ReadError, read_document

    try:
        text = read_document(path, raw).text
    except ReadError as exc:
        data["warnings"].append(f"the reader cannot read the file now: {exc.code}: {exc.message}")
        return html.missing_source(f"{exc.code}: {exc.message}")
    data["mode"] = "text"
    spans = []
    for rec in records:
        placed = place_in_text(text, rec.get("s"), rec.get("e"), rec.get("sn"))
        _note_placement(rec, placed)
        if placed.span:
            flags = "".join(f" {f}" for f in ("lc", "ck", "del") if rec.get(f))
            spans.append((placed.span[0], placed.span[1], rec["i"], rec["t"], flags))
    _warn_unplaced(records, data)
    return html.text_source(text, spans)


def _pdf(doc: dict, raw: bytes, path: Path, out: Path, name: str, records: list[dict], data: dict,
         settings: ReviewSettings, site: ReviewSite) -> str:
    from pipeline.version import rules_version

    folder = out / "docs" / name
    images = render_pages(raw, folder, settings)
    site.pages += len(images)
    needs_ocr = any(i.get("code") == "ocr_used" for i in html.issue_list(doc.get("issues")))
    cache = out / "_cache" / f"{doc['sha256'][:16]}-{rules_version().split('+')[-1]}.json"
    layout = load_layout(path, raw, needs_ocr, settings, cache)
    rows = [{"page": r.get("p"), "char_start": r.get("s"), "char_end": r.get("e"), "snippet": r.get("sn")} for r in records]
    placements = place_on_pages(layout, rows, settings)
    sizes = layout.sizes
    for rec, placed in zip(records, placements):
        _note_placement(rec, placed)
        rec["r"] = [[n, *_fraction(box, sizes[n - 1])] for n, *box in placed.rects if 0 < n <= len(sizes)]
    if layout.ocr:
        data["warnings"].append("scanned pages: records are boxed where their words were found by OCR on the page image")
    _warn_unplaced(records, data)
    data["mode"] = "pdf"
    data["pages"] = [{"n": im.number, "w": im.width, "h": im.height, "src": f"{name}/{image_name(im.number)}"} for im in images]
    return html.pdf_source(data["pages"])


def _fraction(box: tuple, size: tuple[float, float]) -> list[float]:
    """A box in PDF points as fractions of the page (left, top, width, height), so it scales with the image."""
    width, height = size
    x0, top, x1, bottom = box
    return [round(max(0.0, x0 / width), 5), round(max(0.0, top / height), 5),
            round(min(1.0, (x1 - x0) / width), 5), round(min(1.0, (bottom - top) / height), 5)]


def _note_placement(rec: dict, placed: Placement) -> None:
    if placed.how != "exact":
        rec["how"] = placed.how


def _warn_unplaced(records: list[dict], data: dict) -> None:
    lost = sum(1 for r in records if r.get("how") == "unplaced" and r.get("sn"))
    if lost:
        data["warnings"].append(f"{lost} record(s) could not be found in the source (marked 'not found')")


# ---------------------------------------------------------------- index

def _summary(rows: list[dict], store: Any, raw: bool) -> dict:
    orphaned = [s.as_dict() for s in status(store) if s.state == "orphaned"] if not raw else []
    return {
        "documents": len(rows), "records": sum(r["records"] for r in rows),
        "low_confidence": sum(r["low"] for r in rows), "checks_failed": sum(r["checks"] for r in rows),
        "corrections": sum(r["corr"] for r in rows), "raw": raw, "orphaned": orphaned,
    }


def _write(site: ReviewSite, path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    site.largest_page = max(site.largest_page, path.stat().st_size)

