"""The relational store: SQLite by default, any SQLAlchemy URL (PostgreSQL) by ``--db``.

Each document is saved whole or not at all: in its own transaction
(``save``), or in its own savepoint within a group's (``save_many``: a
commit costs as much as a small plan's rows).  Documents are keyed by content hash and
record ids are derived from it, so loading the same file twice changes
nothing, and re-extracting a changed file replaces its old records.

Writers are serialised, whichever process they run in: SQLite transactions
that write begin ``IMMEDIATE`` (with WAL, ``synchronous=NORMAL`` and a busy
timeout, so a second ``extract`` waits its turn instead of failing), and
PostgreSQL writers take one transaction-scoped advisory lock.  A save is a
few milliseconds, so two runs writing at once barely wait, and neither can
see the other's half-written document or race it to create the tables.

The same content under several names is one document that knows all of
them (``document_names``); its records carry the first name in sort order,
so which file a run happens to meet first never changes the export.  Paths
that are not documents at all (a FIFO, an unreadable folder, a symlink loop)
are kept in ``path_issues`` so a run that dies still leaves its findings.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional, Sequence

from sqlalchemy import (Boolean, Column, Float, Integer, String, Table, Text, bindparam, create_engine, delete, event,
                        func, inspect, select, text, union, update)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from pipeline.councils import AmbiguousCouncil, register as council_register
from pipeline.errors import StoreNotFound, StoreUnreachable
from pipeline.results import DocumentResult, Issue
from pipeline.version import rules_version
from schemas import RECORD_TYPES, DocumentMeta, Provenance, Record
from schemas.corrections import Correction
from schemas.tables import RECORD_TABLES, corrections as corrections_table, documents, metadata

if TYPE_CHECKING:
    from pipeline.corrections import Corrector

DEFAULT_DB = "output/councilplans.db"
SQLITE_BUSY_TIMEOUT_S = 120  # a writer waits this long for another run's save before giving up
# WAL pages (4 KB) before a commit copies them into the database (SQLite's default is 1,000): a save touches
# about 25 pages, each checkpoint syncs, and a longer log writes a page saved again and again once
# (2,400 saves: 1.57 -> 1.17 ms each).  A killed run loses nothing either way; the log is ~32 MB at most.
SQLITE_WAL_CHECKPOINT_PAGES = 8000
PG_CONNECT_TIMEOUT_S = 10  # an unreachable host fails in seconds, not minutes
# one advisory lock for every writer of a PostgreSQL store (a 64-bit key derived from a fixed name)
_PG_WRITE_LOCK = int.from_bytes(hashlib.sha256(b"councilplans.store.write").digest()[:8], "big", signed=True)

document_names = Table(
    "document_names", metadata,
    Column("path", Text, primary_key=True),  # a path names one content at a time
    Column("sha256", String(64), nullable=False, index=True),
    Column("source", String(512), nullable=False),
)

path_issues = Table(
    "path_issues", metadata,
    Column("path", Text, primary_key=True),
    Column("code", String(64), nullable=False),
    Column("message", Text),
    Column("noticed_at", String(32)),
)


@dataclass
class StoredDocument:
    """What the store knows about one content hash: enough to decide whether to extract it again."""

    sha256: str
    path: str
    status: str
    pipeline_version: Optional[str]
    issue_codes: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


def resolve_url(db: Optional[str], make_dirs: bool = True) -> str:
    """A path or an SQLAlchemy URL → URL (a bare path means a SQLite file)."""
    db = str(db or DEFAULT_DB)
    if "://" in db:
        return db
    if make_dirs:
        Path(db).parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(db).absolute()}"  # absolute: worker processes open it too


def _engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    connect_args = {"connect_timeout": PG_CONNECT_TIMEOUT_S} if parsed.get_backend_name() == "postgresql" else {}
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    """WAL, a sync per checkpoint rather than per commit, and waiting on a busy writer.

    ``isolation_level = None`` stops the driver issuing its own BEGIN, so
    ``_sqlite_begin`` decides DEFERRED (readers) or IMMEDIATE (writers).
    """
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}")
    try:
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")  # in WAL: safe against a killed process, faster than FULL
        cursor.execute(f"PRAGMA wal_autocheckpoint = {SQLITE_WAL_CHECKPOINT_PAGES}")
    except Exception:  # a read-only database keeps its journal mode; reading still works
        pass
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # a writer takes the write lock at BEGIN: a deferred transaction that reads first and then
    # writes can be refused outright (SQLITE_BUSY_SNAPSHOT) when another run committed meanwhile
    # straight to the driver: a statement through SQLAlchemy's execution machinery cost more than the BEGIN itself
    conn.connection.driver_connection.execute("BEGIN IMMEDIATE" if conn.get_execution_options().get("councilplans_write") else "BEGIN")


def unreachable(url: str, exc: Exception) -> StoreUnreachable:
    """A typed error that names the host (or file) and the driver's reason, without the password."""
    parsed = make_url(url)
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    if parsed.get_backend_name() == "sqlite":
        return StoreUnreachable(f"cannot open the SQLite database {parsed.database}: {reason}")
    where = f"{parsed.host or 'localhost'}:{parsed.port or 'default port'}"
    return StoreUnreachable(f"cannot connect to the database {parsed.database!r} on {where} "
                            f"({parsed.render_as_string(hide_password=True)}): {reason}")


class Store:
    """The store at ``db``.  ``existing=True`` opens only a store that is already there.

    Commands that read (stats, export, compare, review...) open with
    ``existing=True``: a mistyped path must say so, not answer from a new,
    empty database.  A server that cannot be reached is a ``StoreUnreachable``
    naming the host and the driver's reason.
    """

    def __init__(self, db: Optional[str] = None, create: bool = True, existing: bool = False):
        self.url = resolve_url(db, make_dirs=not existing)
        if existing:
            _check_sqlite_file(self.url)
        self.engine: Engine = _engine(self.url)
        try:
            if existing:
                self._check_tables()
            elif create:
                self._create_tables()
            else:
                self.engine.connect().close()
        except DBAPIError as exc:
            self.engine.dispose()
            raise unreachable(self.url, exc) from exc

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

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A write transaction that holds the store's one write lock until it commits."""
        with self.engine.connect().execution_options(councilplans_write=True) as conn, conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_WRITE_LOCK})
            yield conn

    def _create_tables(self) -> None:
        names = set(inspect(self.engine).get_table_names())
        if all(t.name in names for t in metadata.sorted_tables):
            return
        with self._writing() as conn:  # two runs starting on a fresh database: the second finds the tables made
            metadata.create_all(conn)

    # ------------------------------------------------------------ deciding what to extract

    def stored(self, sha256: str) -> Optional[StoredDocument]:
        """The stored document with this content hash, with every name it is known by."""
        return self.stored_many([sha256]).get(sha256)

    def stored_many(self, hashes: Iterable[str], chunk: int = 500) -> dict[str, StoredDocument]:
        """``stored`` for many content hashes, a few hundred per query (planning a batch asked twice per file)."""
        hashes = list(dict.fromkeys(hashes))
        out: dict[str, StoredDocument] = {}
        with self.engine.connect() as conn:
            for k in range(0, len(hashes), chunk):
                part = hashes[k:k + chunk]
                names: dict[str, list[str]] = {}
                for r in conn.execute(_NAMES_OF_MANY, {"hashes": part}):
                    names.setdefault(r.sha256, []).append(r.path)
                for row in conn.execute(_STORED_MANY, {"hashes": part}):
                    codes = [i.get("code", "") for i in row.issues or [] if isinstance(i, dict)]
                    out[row.sha256] = StoredDocument(row.sha256, row.path, row.status, row.pipeline_version, codes,
                                                     sorted(set(names.get(row.sha256, [])) | {row.path}))
        return out

    def has_current(self, sha256: str, path: str) -> bool:
        """True when this exact content is already loaded from this path by this pipeline version."""
        doc = self.stored(sha256)
        return bool(doc and doc.pipeline_version == rules_version() and doc.path == path)

    # ------------------------------------------------------------ writing

    def save(self, result: DocumentResult, names: Iterable[str] = (), claim_names: bool = True) -> None:
        """Replace everything known about this document atomically; ``names`` are its other paths.

        A path that named other content before (the file changed) now names
        this one: the old content loses that name, and goes when it has none left.
        ``claim_names=False`` records the document without taking its names from
        older content (a failure note must not delete the last good version).
        """
        if not result.sha256:
            return  # unreadable bytes: nothing to key on (the path is noted by ``note_path_issues``)
        with self._writing() as conn:
            _save_document(conn, result, names, claim_names)

    def save_many(self, items: list[tuple[DocumentResult, Iterable[str]]]) -> list[Optional[Exception]]:
        """``save`` for several documents in one transaction, each inside its own savepoint.

        A commit writes every page the transaction touched (about 25 for a
        small plan), so saving a few dozen documents per commit costs a third
        of saving each alone.  Each document is still all-or-nothing: one that
        fails to save is rolled back to its savepoint, and its exception is
        returned in its place (``None`` where the document saved), so the
        others commit.  A kill before the commit loses the whole group, which
        the next run extracts again as it would a document that was never
        reached.
        """
        errors: list[Optional[Exception]] = []
        with self._writing() as conn:
            for result, names in items:
                errors.append(_save_guarded(conn, result, names) if result.sha256 else None)
        return errors

    def add_names(self, sha256: str, names: Iterable[str]) -> None:
        """Record more paths for content already stored (a byte-identical copy elsewhere)."""
        names = sorted(set(_clean(list(names))))
        if not names:
            return
        with self._writing() as conn:
            _release_names(conn, names, keep=sha256)
            _claim_names(conn, sha256, names)

    def note_path_issues(self, issues: Iterable[tuple[str, str, str]]) -> None:
        """Remember (path, code, message) for paths that are not documents: a FIFO, a loop, an unreadable folder."""
        now = _now()
        rows = _clean([{"path": p, "code": c, "message": m, "noticed_at": now} for p, c, m in issues])
        if not rows:
            return
        with self._writing() as conn:
            conn.execute(delete(path_issues).where(path_issues.c.path.in_([r["path"] for r in rows])))
            conn.execute(path_issues.insert(), rows)

    # ------------------------------------------------------------ reading

    def documents(self) -> list[dict]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(documents).order_by(documents.c.source))]

    def names(self) -> list[dict]:
        """Every path each stored document is known by."""
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(document_names).order_by(document_names.c.path))]

    def path_issues(self) -> list[dict]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(path_issues).order_by(path_issues.c.path))]

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


# ---------------------------------------------------------------- names
# statements built once: a save runs a dozen of them, and building each anew costs more than running it

_PATHS, _KEEP, _SHA = bindparam("paths", expanding=True), bindparam("keep"), bindparam("sha")
_NAMED_ELSEWHERE = union(  # stores written before document_names existed know a document only by documents.path
    select(document_names.c.sha256).where(document_names.c.path.in_(_PATHS), document_names.c.sha256 != _KEEP),
    select(documents.c.sha256).where(documents.c.path.in_(_PATHS), documents.c.sha256 != _KEEP))
_DROP_NAMES = delete(document_names).where(document_names.c.path.in_(_PATHS), document_names.c.sha256 != _KEEP)
_NAMES_OF = select(document_names.c.path).where(document_names.c.sha256 == _SHA)
_PATH_OF = select(documents.c.path).where(documents.c.sha256 == _SHA)
_DOCUMENT_EXISTS = select(documents.c.sha256).where(documents.c.sha256 == _SHA)
_DROP_PATH_ISSUES = delete(path_issues).where(path_issues.c.path.in_(_PATHS))
_HASHES = bindparam("hashes", expanding=True)
_STORED_MANY = select(documents.c.sha256, documents.c.path, documents.c.status, documents.c.pipeline_version,
                      documents.c.issues).where(documents.c.sha256.in_(_HASHES))
_NAMES_OF_MANY = select(document_names.c.sha256, document_names.c.path).where(document_names.c.sha256.in_(_HASHES))
_DELETE_DOCUMENT = [delete(t).where(t.c.document_sha256 == _SHA) for t in RECORD_TABLES.values()] + [
    delete(documents).where(documents.c.sha256 == _SHA)]


def _insert(conn: Connection, table: Table, rows: list[dict]) -> None:
    """Rows (all with the keys of the first) into ``table``, cleaned (``_clean``), in one executemany.

    On SQLite they go straight to the driver: SQLAlchemy's per-row parameter
    handling cost more than SQLite's writing.  Each value passes through the
    column type's own bind processor (JSON is serialised as SQLAlchemy would),
    so the stored rows are the same either way.  Other databases keep
    SQLAlchemy's path.
    """
    if conn.dialect.name != "sqlite":
        conn.execute(table.insert(), _clean(rows))
        return
    keys = tuple(rows[0])
    values = itemgetter(*keys) if len(keys) > 1 else lambda row: (row[keys[0]],)
    _driver_executemany(conn, table, keys, map(values, rows))


def _driver_executemany(conn: Connection, table: Table, keys: tuple[str, ...], rows: Iterable[Sequence]) -> None:
    """Rows of values in the order of ``keys`` into ``table`` on SQLite's driver, cleaned and bound."""
    sql, processors, loose = _driver_insert(conn.dialect, table, keys)
    processed = [(j, p) for j, p in enumerate(processors) if p is not None]
    params = []
    for cells in map(list, rows):
        # only columns that can hold text or containers are looked at (numbers are stored as they are), and ASCII
        # text without NUL is answered inline (a call per value cost more than the check); the rest as _clean leaves it
        for j in loose:
            v = cells[j]
            if v.__class__ is str:
                if not v.isascii() or "\x00" in v:
                    cells[j] = _clean_text(v)
            elif v is not None:
                cells[j] = _clean(v)
        for j, process in processed:
            cells[j] = process(cells[j])
        params.append(cells)
    conn.connection.driver_connection.executemany(sql, params)


_SCALARS = frozenset({int, float, bool, type(None)})


_DRIVER_INSERTS: dict[tuple, tuple[str, list, list[int]]] = {}
_NUMBER_TYPES = (Integer, Float, Boolean)


def _run(conn: Connection, statement: Any, params: dict[str, Any]) -> list[tuple]:
    """The rows ``statement`` returns (none for a DELETE) as tuples.

    On SQLite a save's dozen small statements go to the driver, compiled
    once by SQLAlchemy for each number of paths (a save names one path or a
    few): building each execution was most of a save's cost.  Values pass as
    they are, so only statements whose parameters need no bind processing
    (text keys and paths) come here.
    """
    lists = {k: v for k, v in params.items() if isinstance(v, (list, tuple))}
    if conn.dialect.name != "sqlite" or not all(lists.values()):
        return [tuple(r) for r in conn.execute(statement, params)] if statement.is_select else _none(conn.execute(statement, params))
    sql, names = _driver_sql(conn.dialect, statement, tuple((k, len(v)) for k, v in lists.items()))
    values = [v for name in names for v in (params[name] if name in lists else (params[name],))]
    return conn.connection.driver_connection.execute(sql, values).fetchall()


def _none(_result: Any) -> list[tuple]:
    return []


_DRIVER_SQL: dict[tuple, tuple[str, list[str]]] = {}


def _driver_sql(dialect: Any, statement: Any, sizes: tuple[tuple[str, int], ...]) -> tuple[str, list[str]]:
    """SQLite's SQL for ``statement`` with each list parameter spelled out to its size, and the parameter order."""
    key = (id(statement), sizes)
    made = _DRIVER_SQL.get(key)
    if made is None:
        compiled = statement.compile(dialect=dialect)
        sql = compiled.string
        for name, size in sizes:
            sql = sql.replace(f"__[POSTCOMPILE_{name}]", ", ".join("?" * size))
        made = _DRIVER_SQL[key] = (sql, list(compiled.positiontup))
    return made


def _driver_insert(dialect: Any, table: Table, keys: tuple[str, ...]) -> tuple[str, list, list[int]]:
    """The driver's INSERT for these columns, each column's bind processor (None: the value as it is) and the
    positions of the columns that are not numbers (what ``_clean`` may have to change), made once."""
    key = (dialect.name, table.name, keys)
    made = _DRIVER_INSERTS.get(key)
    if made is None:
        quote = dialect.identifier_preparer.quote
        sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(k) for k in keys)}) "
               f"VALUES ({', '.join('?' for _ in keys)})")
        processors = [_none_once(table.c[k].type._cached_bind_processor(dialect)) for k in keys]
        loose = [j for j, k in enumerate(keys) if not isinstance(table.c[k].type, _NUMBER_TYPES)]
        made = _DRIVER_INSERTS[key] = (sql, processors, loose)
    return made


def _none_once(process: Any) -> Any:
    """A bind processor that answers None from what it made of None once (JSON serialised it for every row's ``extra``)."""
    if process is None:
        return None
    null = process(None)
    return lambda value: null if value is None else process(value)


def _save_document(conn: Connection, result: DocumentResult, names: Iterable[str], claim_names: bool) -> None:
    """One document's rows, replacing what was stored for its content, inside the caller's transaction."""
    row = _document_row(result)
    all_names = sorted(set(_clean(list(names))) | {row["path"]})
    if claim_names:
        _release_names(conn, all_names, keep=result.sha256)
    if _run(conn, _DOCUMENT_EXISTS, {"sha": result.sha256}):
        _delete_document(conn, result.sha256)
    _insert(conn, documents, [row])
    by_kind: dict[str, list[Record]] = {}
    for record in result.records:  # one pass, not one per record type
        by_kind.setdefault(record.type, []).append(record)
    for kind, table in RECORD_TABLES.items():
        kept = by_kind.get(kind)
        if kept:
            _insert_records(conn, table, result.sha256, kept)
    if claim_names:
        _claim_names(conn, result.sha256, all_names)


def _save_guarded(conn: Connection, result: DocumentResult, names: Iterable[str]) -> Optional[Exception]:
    """``_save_document`` inside a savepoint: on an error its rows are rolled back and the error returned."""
    if conn.dialect.name != "sqlite":
        try:
            with conn.begin_nested():
                _save_document(conn, result, names, True)
        except Exception as exc:
            return exc
        return None
    raw = conn.connection.driver_connection  # a savepoint through SQLAlchemy cost more than the document's inserts
    raw.execute("SAVEPOINT document")
    try:
        _save_document(conn, result, names, True)
    except Exception as exc:
        raw.execute("ROLLBACK TO document")
        return exc
    finally:
        raw.execute("RELEASE document")
    return None


def _delete_document(conn: Connection, sha: str) -> None:
    for statement in _DELETE_DOCUMENT:
        _run(conn, statement, {"sha": sha})


def _release_names(conn: Connection, paths: list[str], keep: str) -> None:
    """Paths that now hold ``keep``'s content stop naming any other document.

    Another document that loses its last name is deleted with its records; one
    that loses the name its records carry takes its next name in sort order.
    """
    bound = {"paths": paths, "keep": keep}
    named = sorted(r[0] for r in _run(conn, _NAMED_ELSEWHERE, bound))
    if not named:
        return
    conn.execute(_DROP_NAMES, bound)
    for sha in named:
        doc = conn.execute(_PATH_OF, {"sha": sha}).first()
        left = {r.path for r in conn.execute(_NAMES_OF, {"sha": sha})}
        if doc is not None and doc.path not in paths:
            left.add(doc.path)  # an older store's only name, untouched by this save
        if not left:
            _delete_document(conn, sha)
        elif doc is not None and doc.path in paths:
            _rename(conn, sha, min(left))


def _rename(conn: Connection, sha: str, path: str) -> None:
    source = Path(path).name
    conn.execute(update(documents).where(documents.c.sha256 == sha).values(path=path, source=source))
    for table in RECORD_TABLES.values():
        conn.execute(update(table).where(table.c.document_sha256 == sha).values(source=source))


def _claim_names(conn: Connection, sha: str, paths: list[str]) -> None:
    have = {r[0] for r in _run(conn, _NAMES_OF, {"sha": sha})}
    rows = [{"path": p, "sha256": sha, "source": Path(p).name} for p in paths if p not in have]
    if rows:
        _insert(conn, document_names, rows)
    _run(conn, _DROP_PATH_ISSUES, {"paths": paths})


# ---------------------------------------------------------------- rows


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _document_row(result: DocumentResult) -> dict:
    meta = result.meta or DocumentMeta(source=result.source)
    row = {
        "sha256": result.sha256, "source": result.source, "path": result.path, "status": result.status,
        "issues": [{"code": i.code, "message": i.message, "severity": i.severity} for i in result.issues],
        "pages": result.pages, "pipeline_version": result.rules_version or rules_version(), "extracted_at": _now(),
        **{name: getattr(meta, name) for name in DocumentMeta.field_names()},
        **_register_facts(meta),
        **_provenance_columns(meta),
    }
    return _clean(row)


def _clean(value: Any) -> Any:
    """Text any database accepts: NUL characters dropped (PostgreSQL refuses them), lone surrogates escaped."""
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, dict):
        return {k: v if _plain(v) else _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [v if _plain(v) else _clean(v) for v in value]
    return value


def _plain(value: Any) -> bool:
    """Nothing to clean: not text or a container, or ASCII text without NUL (almost every value of every row)."""
    if type(value) is str:
        return value.isascii() and "\x00" not in value
    return not isinstance(value, (str, dict, list, tuple))


def _clean_text(value: str) -> str:
    if "\x00" in value:
        value = value.replace("\x00", "")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # an undecodable file name or a stray surrogate from a PDF
            value = value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


def failure_only(result: DocumentResult, issue: Issue) -> DocumentResult:
    """The same document with no records and one more issue: what is saved when saving it whole failed."""
    return DocumentResult(source=result.source, path=result.path, sha256=result.sha256, status="failed",
                          issues=[*result.issues, issue], pages=result.pages)


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


def _insert_records(conn: Connection, table: Table, sha256: str, records: list[Record]) -> None:
    """One document's records of one type into ``table``: on SQLite each record's values go straight into the
    driver's row (``_record_values``), in ``_record_keys`` order; a row as a dict, only for ``_insert`` to take
    its values out again, cost as much as binding it.  Other databases, or records of mixed classes, go through
    ``_record_row`` and ``_insert``."""
    cls = type(records[0])
    if conn.dialect.name != "sqlite" or any(type(r) is not cls for r in records):
        _insert(conn, table, [_record_row(sha256, k, r) for k, r in enumerate(records)])
        return
    keys, fields = _record_keys(cls)
    prefix = f"{sha256[:16]}-{cls.type}-"
    _driver_executemany(conn, table, keys, [_record_values(prefix, sha256, k, r, fields) for k, r in enumerate(records)])


_RECORD_HEAD = ("id", "document_sha256", "source", "ordinal", "extra", "confidence", "page", "char_start", "char_end",
                "snippet")  # what ``_record_row`` puts before the record's own fields


@cache
def _record_keys(cls: type) -> tuple[tuple[str, ...], Any]:
    """The columns of ``_record_row`` for records of ``cls``, in its order, and a getter of the fields' values as a tuple."""
    names = _fields_of(cls)
    if not names:
        return _RECORD_HEAD, lambda fields: ()
    getter = itemgetter(*names)
    return _RECORD_HEAD + names, (getter if len(names) > 1 else lambda fields: (getter(fields),))


def _record_values(prefix: str, sha256: str, ordinal: int, record: Record, fields: Any) -> tuple:
    """``_record_row``'s values in ``_record_keys`` order, without the dict."""
    extra = record.__pydantic_extra__
    prov = record.provenance
    if prov is None:
        return (f"{prefix}{ordinal}", sha256, record.source, ordinal, dict(extra) if extra else None, record.confidence,
                None, None, None, None, *fields(record.__dict__))
    return (f"{prefix}{ordinal}", sha256, record.source, ordinal, dict(extra) if extra else None, record.confidence,
            prov.page, prov.char_start, prov.char_end, prov.text, *fields(record.__dict__))


def _record_row(sha256: str, ordinal: int, record: Record) -> dict:
    extra = record.__pydantic_extra__
    row = {
        "id": f"{sha256[:16]}-{record.type}-{ordinal}", "document_sha256": sha256, "source": record.source,
        "ordinal": ordinal, "extra": dict(extra) if extra else None, "confidence": record.confidence,
        **_provenance_columns(record),
    }
    fields = record.__dict__  # a pydantic model's declared fields, as getattr reads them
    for name in _fields_of(type(record)):
        row[name] = fields[name]
    return row


@cache
def _fields_of(cls: type) -> tuple[str, ...]:
    """``cls.field_names()`` as a tuple kept per class (that method hands out a fresh list each call)."""
    return tuple(cls.field_names())


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
