"""Datasette metadata for a SQLite store: table and column descriptions, labels, facets, a few canned queries.

Written as ``metadata.json`` beside the database (entries for other
databases in that file are kept), so either of these opens the store ready
to browse::

    datasette output/councilplans.db --metadata output/metadata.json
    datasette output/            # configuration-directory mode picks metadata.json up

Descriptions are kept here, one per column name, rather than on the pydantic
models: the test checks that every column of every table has one, so a new
field cannot ship undescribed.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from sqlalchemy.engine import make_url

from pipeline.store import document_names, path_issues
from schemas.tables import RECORD_TABLES, corrections, documents

METADATA_FILE = "metadata.json"

TABLES = {
    "documents": "One row per source file (keyed by its SHA-256): council, year, status and coded issues.",
    "services": "Organisational units a plan names, with their lead.",
    "objectives": "Priorities, objectives, actions and projects a plan commits to.",
    "budgets": "One money figure each, in pounds, with what it measures and its phase.",
    "targets": "Performance indicators and the targets set for them.",
    "performance": "Reported RAG status counts for a unit.",
    "workforce": "Head-count and FTE figures.",
    "risks": "Named budget or service risks.",
    "corrections": "Analysts' corrections, keyed by document hash, record type and natural key; applied on export.",
    "document_names": "Every path a stored document is known by (byte-identical copies under other names are one document).",
    "path_issues": "Paths a run could not extract (unreadable, FIFOs, symlink loops, …) with the reason.",
}

COLUMNS = {
    # shared by every record table
    "id": "Record id: content-hash prefix, type and position; stable while the document and rules are unchanged",
    "document_sha256": "SHA-256 of the source file's bytes (the documents table's key)",
    "source": "Source file name",
    "ordinal": "Position of the record among its document's records of this type",
    "extra": "Fields an extractor added beyond the record contract (JSON)",
    "confidence": "Extractor's confidence, 0-1 (lowered when a consistency check fails)",
    "page": "Page of the source the record starts on (PDFs)",
    "char_start": "Start of the record's words in the document text",
    "char_end": "End of the record's words in the document text",
    "snippet": "The words the record came from",
    # documents
    "sha256": "SHA-256 of the file's bytes",
    "path": "Where the file was read from",
    "status": "ok, partial (something went wrong or nothing found) or failed (not read)",
    "issues": "Coded issues found while reading and extracting (JSON list of code, message, severity)",
    "pages": "Number of pages (PDFs)",
    "pipeline_version": "Version of the extraction rules that produced the records",
    "extracted_at": "When the document was extracted (UTC)",
    "council": "Council's name in the mySociety local-authority register",
    "council_code": "Council's ONS GSS code",
    "title": "The document's own title",
    "financial_year": "UK financial year (April-March) as YYYY-YY; a span keeps its first and last year",
    "scope": "The unit or line the record applies to (documents: the directorate or service the plan covers)",
    "council_from": "Where the council came from: text or manifest",
    "year_from": "Where the year came from: text or manifest",
    "register_code": "Council's code in the mySociety register (stable across ONS renumbering)",
    "authority_type": "Kind of authority (district, county, unitary, ...)",
    "region": "Region of the council",
    # record fields (RECORDS.md)
    "name": "Name of the unit",
    "parent": "The unit it sits in",
    "lead": "The person who leads it",
    "lead_role": "The lead's role",
    "text": "The objective as written",
    "service": "The unit it belongs to",
    "theme": "The corporate-plan theme it links to",
    "due": "Target date (ISO prefix)",
    "ref": "Its number or code in the plan",
    "measure": "What the figure measures: gross_expenditure, income, net_budget, staffing, savings, pressures, capital, other",
    "amount_gbp": "Amount in pounds, sign as printed, scale applied (a £000 table's 3,662 is 3662000)",
    "description": "What the figure or risk is, in the plan's words",
    "as_written": "The amount as the plan wrote it",
    "phase": "budget, revised, outturn, forecast or proposed",
    "indicator": "The performance indicator",
    "target_text": "The target as written",
    "comparator": "<, <=, =, >= or >",
    "value": "Numeric target (corrections: the corrected value or the added record, JSON)",
    "unit": "percent, days, gbp or number",
    "info_only": "True for INFO ONLY / baseline-only indicators",
    "green": "Count reported green",
    "amber": "Count reported amber",
    "red": "Count reported red",
    "overall": "Overall status text",
    "as_at": "Date the figure applies to (ISO prefix)",
    "count": "Head-count or FTE",
    "basis": "employees, fte, volunteers or sessional",
    # corrections
    "record_type": "Type of the corrected record",
    "record_key": "The record's natural-key values (JSON), which survive re-extraction",
    "occurrence": "Which of the document's records sharing that key (0 = first)",
    "action": "delete (the record is wrong), set (a field is wrong) or add (a missing record)",
    "field": "The field corrected (set)",
    "author": "Who made the correction",
    "reason": "Why",
    "created_at": "When (UTC)",
    # document_names, path_issues
    "code": "Coded reason the path was skipped",
    "message": "What happened, in words",
    "noticed_at": "When a run last met the path (UTC)",
}

FACETS = {
    "documents": ["status", "council", "financial_year", "authority_type"],
    "budgets": ["measure", "phase", "financial_year", "source"],
    "targets": ["unit", "comparator", "financial_year", "source"],
    "services": ["source"],
    "objectives": ["source"],
    "performance": ["source"],
    "workforce": ["basis", "source"],
    "risks": ["source"],
    "corrections": ["action", "record_type", "author", "source"],
    "document_names": [],
    "path_issues": ["code"],
}
LABELS = {"document_names": "path", "path_issues": "path", "documents": "source", "services": "name", "objectives": "text", "budgets": "scope", "targets": "indicator",
          "performance": "scope", "workforce": "scope", "risks": "description", "corrections": "reason"}

QUERIES = {
    "budgets_by_council": {
        "title": "Budgets with their council",
        "description": "Every budget figure with its council, year and the words it came from (as extracted; "
                       "exports apply the corrections table)",
        "sql": "select d.council, b.financial_year, b.scope, b.measure, b.phase, b.amount_gbp, b.as_written, "
               "b.source, b.page, b.snippet from budgets b join documents d on d.sha256 = b.document_sha256 "
               "order by d.council, b.financial_year, b.scope",
    },
    "documents_with_issues": {
        "title": "Documents with coded issues",
        "sql": "select source, council, financial_year, status, issues from documents "
               "where status != 'ok' or json_array_length(issues) > 0 order by status, source",
    },
}


def metadata(db_name: str) -> dict:
    """The metadata for one database named ``db_name`` (Datasette names a database by its file's stem)."""
    tables = {}
    for table in [documents, *RECORD_TABLES.values(), corrections, document_names, path_issues]:
        tables[table.name] = {
            "description": TABLES[table.name],
            "label_column": LABELS[table.name],
            "facets": FACETS[table.name],
            "columns": {c.name: COLUMNS[c.name] for c in table.columns},
        }
    return {
        "title": "councilplans",
        "description": "Services, objectives, budgets and targets extracted from UK council service plans; "
                       "every record with its source file, page, character span and words.",
        "source": "UK council service plans, read by councilplans",
        "license": "Council register: mySociety, CC BY 4.0",
        "databases": {db_name: {"description": "A councilplans store", "tables": tables, "queries": QUERIES}},
    }


def write_metadata(db: Optional[str] = None) -> Optional[Path]:
    """Write (or update) ``metadata.json`` beside a SQLite store; None for PostgreSQL and other servers."""
    from pipeline.store import resolve_url

    url = make_url(resolve_url(None if db is None else str(db), make_dirs=False))
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    db_path = Path(url.database)
    if not db_path.is_file():
        return None
    path = db_path.parent / METADATA_FILE
    current = _read(path)
    fresh = metadata(db_path.stem)
    current.update({k: v for k, v in fresh.items() if k != "databases"})
    current.setdefault("databases", {}).update(fresh["databases"])
    path.write_text(json.dumps(current, indent=2), encoding="utf-8")
    return path


def _read(path: Path) -> dict:
    """The metadata already there (other databases' entries are kept); a file that is not ours is replaced."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}

