"""The relational store: SQLite by default, any SQLAlchemy URL (PostgreSQL) by ``--db``.

One transaction per document.  Documents are keyed by content hash and
record ids are derived from it, so loading the same file twice changes
nothing, and re-extracting a changed file replaces its old records.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Optional

from sqlalchemy import create_engine, delete, func, inspect, or_, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError

from pipeline.version import rules_version
from pipeline.councils import AmbiguousCouncil, register as council_register
from pipeline.errors import StoreNotFound, StoreUnreachable
from pipeline.extract import DocumentResult
from schemas import RECORD_TYPES, DocumentMeta, Provenance, Record
from schemas.corrections import Correction
from schemas.tables import RECORD_TABLES, corrections as corrections_table, documents, metadata

if TYPE_CHECKING:
    from pipeline.corrections import Corrector

DEFAULT_DB = "output/councilplans.db"


def resolve_url(db: Optional[str], make_dirs: bool = True) -> str:
    """A path or an SQLAlchemy URL → URL (a bare path means a SQLite file)."""
    db = str(db or DEFAULT_DB)
    if "://" in db:
        return db
    if make_dirs:
        Path(db).parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{db}"


class Store:
    """The store at ``db``.  ``existing=True`` opens only a store that is already there.

    Commands that read (stats, export, compare, review...) open with
    ``existing=True``: a mistyped path must say so, not answer from a new,
    empty database.
    """

    def __init__(self, db: Optional[str] = None, create: bool = True, existing: bool = False):
        self.url = resolve_url(db, make_dirs=not existing)
        if existing:
            _check_sqlite_file(self.url)
        self.engine: Engine = create_engine(self.url, future=True)
        if existing:
            self._check_tables()
        elif create:
            metadata.create_all(self.engine)

    def _check_tables(self) -> None:
        """StoreNotFound when the database has no councilplans tables; StoreUnreachable when it cannot be reached."""
        try:
            names = set(inspect(self.engine).get_table_names())
        except OperationalError as exc:
            self.engine.dispose()
            raise StoreUnreachable(f"cannot reach the database {self.engine.url.render_as_string(hide_password=True)}: "
                                   f"{str(exc.orig).strip().splitlines()[0] if exc.orig else exc}") from exc
        if documents.name not in names:
            self.engine.dispose()
            raise StoreNotFound(f"{self.engine.url.render_as_string(hide_password=True)} holds no councilplans store "
                                "(no documents table); run `councilplans extract ... --db` with it first")

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ------------------------------------------------------------ writing

    def has_current(self, sha256: str, path: str) -> bool:
        """True when this exact content is already loaded from this path by this pipeline version."""
        with self.engine.connect() as conn:
            row = conn.execute(select(documents.c.pipeline_version, documents.c.path).where(documents.c.sha256 == sha256)).first()
        return bool(row and row.pipeline_version == rules_version() and row.path == path)

    def save(self, result: DocumentResult) -> None:
        """Replace everything known about this document (or an older version of the same path) atomically."""
        if not result.sha256:
            return  # unreadable bytes: nothing to key on; the result is reported, not stored
        meta = result.meta or DocumentMeta(source=result.source)
        row = {
            "sha256": result.sha256, "source": result.source, "path": result.path, "status": result.status,
            "issues": [{"code": i.code, "message": i.message, "severity": i.severity} for i in result.issues],
            "pages": result.pages, "pipeline_version": rules_version(),
            "extracted_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            **{name: getattr(meta, name) for name in DocumentMeta.field_names()},
            **_register_facts(meta),
            **_provenance_columns(meta),
        }
        with self.engine.begin() as conn:
            old = [r.sha256 for r in conn.execute(select(documents.c.sha256).where(
                or_(documents.c.sha256 == result.sha256, documents.c.path == result.path)))]
            for table in RECORD_TABLES.values():
                conn.execute(delete(table).where(table.c.document_sha256.in_(old)))
            conn.execute(delete(documents).where(documents.c.sha256.in_(old)))
            conn.execute(documents.insert(), [row])
            for kind, table in RECORD_TABLES.items():
                rows = [_record_row(result.sha256, k, r) for k, r in enumerate(x for x in result.records if x.type == kind)]
                if rows:
                    conn.execute(table.insert(), rows)

    # ------------------------------------------------------------ reading

    def documents(self) -> list[dict]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(documents).order_by(documents.c.source))]

    def records(self, kind: Optional[str] = None, corrector: Optional["Corrector"] = None) -> Iterator[Record]:
        """Records rebuilt from the store, document by document, in extraction order.

        With a ``corrector`` (``pipeline.corrections``), each document's rows
        pass through it first: the analysts' corrections applied.
        """
        with self.engine.connect() as conn:
            docs = list(conn.execute(select(documents).order_by(documents.c.source, documents.c.sha256)))
            for doc in docs:
                if kind in (None, "document"):
                    fields = {n: doc._mapping[n] for n in DocumentMeta.field_names()}
                    yield DocumentMeta(source=doc.source, provenance=_provenance_from(doc._mapping), **fields)
                for k, table in RECORD_TABLES.items():
                    if kind not in (None, k):
                        continue
                    rows = [dict(r._mapping) for r in conn.execute(
                        select(table).where(table.c.document_sha256 == doc.sha256).order_by(table.c.ordinal))]
                    if corrector is not None:
                        rows = corrector.rows(k, dict(doc._mapping), rows)
                    for r in rows:
                        yield record_from_row(k, r)

    def frame(self, kind: str, corrector: Optional["Corrector"] = None):
        """A pandas DataFrame of one record type joined to its document's council and year (corrected by ``corrector``)."""
        import pandas as pd

        if kind == "document":
            return pd.read_sql(select(documents).order_by(documents.c.source), self.engine)
        table = RECORD_TABLES[kind]
        query = select(table, documents.c.council, documents.c.council_code, documents.c.register_code,
                       documents.c.authority_type, documents.c.region, documents.c.scope.label("document_scope"),
                       documents.c.financial_year.label("document_year")).join(
            documents, documents.c.sha256 == table.c.document_sha256).order_by(table.c.source, table.c.ordinal)
        frame = pd.read_sql(query, self.engine)
        return corrector.frame(kind, frame, self.frame("document")) if corrector is not None else frame

    def rows(self, kind: str, sha256: str) -> list[dict]:
        """One document's rows of one record type, as stored, in extraction order."""
        table = RECORD_TABLES[kind]
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(
                select(table).where(table.c.document_sha256 == sha256).order_by(table.c.ordinal))]

    def record_keys(self, kind: str) -> list[dict]:
        """Each record's document, ordinal and natural-key fields, in document order (what corrections are matched on)."""
        table = RECORD_TABLES[kind]
        columns = [table.c.document_sha256, table.c.ordinal] + [table.c[n] for n in RECORD_TYPES[kind].natural_key]
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(
                select(*columns).order_by(table.c.document_sha256, table.c.ordinal))]

    def corrections(self) -> list[Correction]:
        """Every correction loaded into this store, oldest first (none when the store predates corrections)."""
        if corrections_table.name not in self.table_names():
            return []
        with self.engine.connect() as conn:
            rows = conn.execute(select(corrections_table).order_by(corrections_table.c.created_at, corrections_table.c.id))
            return [Correction.model_validate(dict(r._mapping)) for r in rows]

    def add_corrections(self, items: list[Correction]) -> int:
        """Insert corrections not already loaded, in one transaction; returns how many were new."""
        corrections_table.create(self.engine, checkfirst=True)  # a store made before corrections existed
        with self.engine.begin() as conn:
            known = {r.id for r in conn.execute(select(corrections_table.c.id))}
            new = {c.id: c.model_dump() for c in items if c.id not in known}
            if new:
                conn.execute(corrections_table.insert(), list(new.values()))
        return len(new)

    def stats(self) -> list[dict]:
        """Record counts by type, council and financial year."""
        out = []
        with self.engine.connect() as conn:
            for kind, table in RECORD_TABLES.items():
                query = (select(documents.c.council, documents.c.financial_year, func.count().label("n"))
                         .select_from(table.join(documents, documents.c.sha256 == table.c.document_sha256))
                         .group_by(documents.c.council, documents.c.financial_year))
                for r in conn.execute(query):
                    out.append({"type": kind, "council": r.council, "financial_year": r.financial_year, "records": r.n})
        return sorted(out, key=lambda r: (r["type"], r["council"] or "", r["financial_year"] or ""))

    def table_names(self) -> list[str]:
        return inspect(self.engine).get_table_names()


def _register_facts(meta: DocumentMeta) -> dict:
    facts = {"register_code": None, "authority_type": None, "region": None}
    key = meta.council_code or meta.council
    if not key:
        return facts
    try:
        council = council_register().resolve(key, meta.financial_year)
    except AmbiguousCouncil:
        return facts
    if council:
        facts.update(register_code=council.code, authority_type=council.type_name, region=council.region)
        if not meta.council_code and council.gss:
            facts["council_code"] = council.gss  # named but not coded in the plan: the register knows the GSS code
    return facts


def _provenance_columns(record: Record) -> dict:
    prov = record.provenance
    return {"page": prov.page if prov else None, "char_start": prov.char_start if prov else None,
            "char_end": prov.char_end if prov else None, "snippet": prov.text if prov else None}


def _provenance_from(row: Any) -> Optional[Provenance]:
    if row["char_start"] is None:
        return None
    return Provenance(page=row["page"], char_start=row["char_start"], char_end=row["char_end"], text=row["snippet"] or "")


def _record_row(sha256: str, ordinal: int, record: Record) -> dict:
    cls = type(record)
    row = {
        "id": f"{sha256[:16]}-{record.type}-{ordinal}", "document_sha256": sha256, "source": record.source,
        "ordinal": ordinal, "extra": dict(record.model_extra or {}) or None, "confidence": record.confidence,
        **_provenance_columns(record),
    }
    for name in cls.field_names():
        row[name] = getattr(record, name)
    return row


def record_from_row(kind: str, row: Any) -> Record:
    cls = RECORD_TYPES[kind]
    fields = {name: row[name] for name in cls.field_names()}
    fields.update(row["extra"] or {})
    return cls(source=row["source"], provenance=_provenance_from(row), confidence=row["confidence"] or 1.0, **fields)


def _check_sqlite_file(url: str) -> None:
    """A SQLite store named by path must exist (SQLite would otherwise create an empty file)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return
    path = Path(parsed.database)
    if not path.is_file():
        raise StoreNotFound(f"no database at {path}: run `councilplans extract PATH... --db {path}` first, or give --db")
