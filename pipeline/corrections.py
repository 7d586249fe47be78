"""Analysts' corrections: loaded from a file into the store, applied whenever records are read.

A correction says *which record* by the document's content hash, the record
type and the record's natural key (``Record.natural_key``; ``occurrence``
tells apart records of one document that share a key), so it still finds its
record after ``extract --force`` or an upgrade of the rules renumbers the
rows.  Three kinds: ``delete`` (the record is wrong), ``set`` (one field is
wrong), ``add`` (the extraction missed a record).  Each keeps who, when and
why.  Corrections are never deleted by re-extraction: one whose record no
longer appears is reported as *orphaned* (``status``), not dropped.

Files: the JSON the review site downloads, or a CSV an analyst edits (a row
names its record by ``record_id`` from an export, or by ``document``, ``type``
and ``key``).  See ``read_file``.
"""
from __future__ import annotations

import csv
import datetime as dt
import getpass
import json
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional

from pydantic import ValidationError

from pipeline.errors import CorrectionError
from schemas import RECORD_TYPES
from schemas.corrections import Correction

KINDS = tuple(k for k in RECORD_TYPES if k != "document")
ADDED_ORDINAL = 1_000_000  # added records sort after every extracted one
PROVENANCE_KEYS = ("page", "char_start", "char_end", "snippet")


# ---------------------------------------------------------------- keys

def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def key_of(kind: str, row: dict) -> dict[str, Any]:
    """The natural-key values of a record row (pandas' NaN read as None)."""
    return {name: None if _blank(row.get(name)) else row.get(name) for name in RECORD_TYPES[kind].natural_key}


def _norm(value: Any) -> Any:
    return " ".join(value.split()).casefold() if isinstance(value, str) else value


def key_text(key: Optional[dict]) -> str:
    """A key as one comparable string: whitespace and case do not make a different record."""
    return json.dumps({k: _norm(v) for k, v in sorted((key or {}).items())}, sort_keys=True, default=str)


def keyed(kind: str, rows: Iterable[dict]) -> list[tuple[str, int]]:
    """(key text, occurrence) for each row of one document, rows in document order."""
    seen: dict[str, int] = defaultdict(int)
    out = []
    for row in rows:
        text = key_text(key_of(kind, row))
        out.append((text, seen[text]))
        seen[text] += 1
    return out


# ---------------------------------------------------------------- applying

@dataclass
class Corrector:
    """Applies a store's corrections to the rows read from it.

    ``keep_deleted`` keeps deleted records, flagged, for the review site,
    which shows them struck through; everything else drops them.
    """

    corrections: list[Correction]
    keep_deleted: bool = False

    def __post_init__(self) -> None:
        self._by_doc: dict[tuple[str, str], list[Correction]] = defaultdict(list)
        for c in sorted(self.corrections, key=lambda c: (c.created_at, c.id)):  # later corrections win
            self._by_doc[(c.document_sha256, c.record_type)].append(c)

    def rows(self, kind: str, doc: dict, rows: list[dict]) -> list[dict]:
        """One document's rows of one type (in ordinal order), corrected."""
        found = self._by_doc.get((doc["sha256"], kind))
        if not found:
            return rows
        wanted = {(key_text(c.record_key), c.occurrence): c for c in found if c.action == "delete"}
        edits: dict[tuple[str, int], list[Correction]] = defaultdict(list)
        for c in found:
            if c.action == "set":
                edits[(key_text(c.record_key), c.occurrence)].append(c)
        out = []
        keys = keyed(kind, rows)
        for row, key in zip(rows, keys):
            row = dict(row)
            for c in edits.get(key, ()):
                row.setdefault("original", {})[c.field] = row.get(c.field)
                row[c.field] = c.value
                _note(row, c)
            if key in wanted:
                if not self.keep_deleted:
                    continue
                row["deleted"] = True
                _note(row, wanted[key])
            out.append(row)
        present = {k for k, _ in keys}
        for n, c in enumerate(c for c in found if c.action == "add"):
            if key_text(key_of(kind, c.value or {})) not in present:  # an add the rules now extract is not added twice
                out.append(added_row(kind, doc, c, n))
        return out

    def frame(self, kind: str, frame: Any, documents: Any) -> Any:
        """A store frame (one type, joined to documents) corrected, with ``corrected`` and ``correction`` columns."""
        import pandas as pd

        docs = {d["sha256"]: d for d in documents.to_dict("records")}
        wanted = {sha for sha, k in self._by_doc if k == kind and sha in docs}
        if not wanted:
            return frame.assign(corrected=pd.Series(False, index=frame.index, dtype=bool),
                                correction=pd.Series(None, index=frame.index, dtype=object))
        parts, seen = [], set()
        for sha, group in frame.groupby("document_sha256", sort=False):
            seen.add(sha)
            rows = group.to_dict("records")
            parts.extend(self.rows(kind, docs.get(sha, {"sha256": sha}), rows) if sha in wanted else rows)
        for sha in wanted - seen:
            parts.extend(self.rows(kind, docs[sha], []))
        joined = {"council": "council", "council_code": "council_code", "register_code": "register_code",
                  "authority_type": "authority_type", "region": "region", "document_scope": "scope",
                  "document_year": "financial_year"}
        for row in parts:
            if row.get("added"):
                row.update({col: docs[row["document_sha256"]].get(src) for col, src in joined.items()})
        out = pd.DataFrame(parts, columns=list(frame.columns) + ["corrected", "correction"])
        out["corrected"] = out["corrected"].eq(True)
        return out


def _note(row: dict, c: Correction) -> None:
    row["corrected"] = True
    what = "deleted" if c.action == "delete" else ("added" if c.action == "add" else f"{c.field} set")
    note = f"{what} by {c.author} on {c.created_at[:10]}: {c.reason}"
    row["correction"] = f"{row['correction']}; {note}" if row.get("correction") else note
    row.setdefault("correction_ids", []).append(c.id)


def added_row(kind: str, doc: dict, c: Correction, n: int) -> dict:
    """The row an ``add`` correction stands for: its fields, its provenance if the analyst gave one."""
    value = dict(c.value or {})
    cls = RECORD_TYPES[kind]
    row = {name: value.get(name) for name in cls.field_names()}
    row.update({name: value.get(name) for name in PROVENANCE_KEYS})
    row.update(id=f"{c.document_sha256[:16]}-{kind}-added-{c.id[:8]}", document_sha256=c.document_sha256,
               source=doc.get("source") or c.source, ordinal=ADDED_ORDINAL + n, extra=None, confidence=1.0, added=True)
    _note(row, c)
    return row


# ---------------------------------------------------------------- status

@dataclass
class CorrectionStatus:
    correction: Correction
    state: str  # applied | orphaned | now_extracted
    why: str = ""

    def as_dict(self) -> dict:
        c = self.correction
        return {"id": c.id, "state": self.state, "why": self.why, "source": c.source, "record_type": c.record_type,
                "action": c.action, "record_key": json.dumps(c.record_key) if c.record_key else None,
                "occurrence": c.occurrence, "field": c.field, "value": json.dumps(c.value, default=str),
                "author": c.author, "reason": c.reason, "created_at": c.created_at, "document_sha256": c.document_sha256}


def status(store: Any) -> list[CorrectionStatus]:
    """Whether each correction in the store still finds its record (orphaned ones are kept, and reported here)."""
    corrections = store.corrections()
    if not corrections:
        return []
    docs = {d["sha256"] for d in store.documents()}
    present: dict[str, set[tuple[str, str, int]]] = {}
    for kind in {c.record_type for c in corrections if c.record_type in RECORD_TYPES}:
        rows = store.record_keys(kind)
        by_doc: dict[str, list[dict]] = defaultdict(list)
        for row in rows:
            by_doc[row["document_sha256"]].append(row)
        present[kind] = {(sha, text, occ) for sha, group in by_doc.items() for text, occ in keyed(kind, group)}
    out = []
    for c in corrections:
        found = present.get(c.record_type, set())
        if c.document_sha256 not in docs:
            out.append(CorrectionStatus(c, "orphaned", "its document is no longer in the store (the file changed or was removed)"))
        elif c.action == "add":
            now = key_text(key_of(c.record_type, c.value or {}))
            if any(sha == c.document_sha256 and text == now for sha, text, _ in found):
                out.append(CorrectionStatus(c, "now_extracted", "the extraction now finds this record; the added copy is not used"))
            else:
                out.append(CorrectionStatus(c, "applied"))
        elif (c.document_sha256, key_text(c.record_key), c.occurrence) in found:
            out.append(CorrectionStatus(c, "applied"))
        else:
            out.append(CorrectionStatus(c, "orphaned", "no record with this key in the document any more (re-extracted differently?)"))
    return out


# ---------------------------------------------------------------- reading files

def read_file(path: Path, store: Any, author: Optional[str] = None, reason: Optional[str] = None) -> list[Correction]:
    """Corrections from a review-site download (.json) or an analyst's CSV, resolved against the store.

    CSV columns: ``action`` (delete, set, add); the record, as ``record_id``
    (the ``id`` column of an export) or as ``document`` (file name or
    content hash), ``type`` and ``key`` (JSON of the natural key, with
    ``occurrence`` when several records share it); ``field`` and ``value``
    for set; for add, ``document``, ``type`` and ``value`` (JSON of the
    record's fields); ``author``, ``reason`` and ``created_at`` (default: the
    ``author``/``reason`` given here, the user's login, now).  Every row is
    checked before any is loaded.
    """
    path = Path(path)
    if not path.is_file():
        raise CorrectionError(f"no corrections file at {path}")
    rows = _json_rows(path) if path.suffix.lower() == ".json" else _csv_rows(path)
    resolver = _Resolver(store)
    out, errors = [], []
    for where, row in rows:
        try:
            out.append(resolver.correction(row, author, reason))
        except (CorrectionError, ValidationError, ValueError) as exc:
            errors.append(f"{path.name} {where}: {_message(exc)}")
    if errors:
        more = f"\n  ... and {len(errors) - 10} more" if len(errors) > 10 else ""
        raise CorrectionError("the corrections file has errors; nothing was loaded:\n  " + "\n  ".join(errors[:10]) + more)
    return out


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
    return str(exc)


def _json_rows(path: Path) -> list[tuple[str, dict]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CorrectionError(f"{path}: not a JSON corrections file ({exc})") from exc
    items = data.get("corrections") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise CorrectionError(f"{path}: expected a list of corrections or {{\"corrections\": [...]}}")
    return [(f"item {n}", item if isinstance(item, dict) else {}) for n, item in enumerate(items, start=1)]


def _csv_rows(path: Path) -> list[tuple[str, dict]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "action" not in reader.fieldnames:
            raise CorrectionError(f"{path}: a corrections CSV needs an 'action' column (found {reader.fieldnames})")
        return [(f"line {n}", {k: v for k, v in row.items() if k and v not in (None, "")})
                for n, row in enumerate(reader, start=2)]


class _Resolver:
    """Turns one file row into a Correction: finds its document and record in the store, checks the value."""

    def __init__(self, store: Any):
        self.store = store
        self.docs = {d["sha256"]: d for d in store.documents()}
        self.by_source: dict[str, list[str]] = defaultdict(list)
        for sha, d in self.docs.items():
            self.by_source[d["source"]].append(sha)
        self._rows: dict[tuple[str, str], list[dict]] = {}

    def correction(self, row: dict, author: Optional[str], reason: Optional[str]) -> Correction:
        action = str(row.get("action", "")).strip().lower()
        if action in ("wrong", "remove"):
            action = "delete"
        if action not in ("delete", "set", "add"):
            raise CorrectionError(f"action must be delete, set or add (got {row.get('action')!r})")
        if row.get("record_id") and not (row.get("record_key") or row.get("key")):  # a key outlives an id
            sha, kind, key, occurrence, record = self._by_id(str(row["record_id"]))
        else:
            sha, kind = self._document(row), self._kind(row)
            key = None if action == "add" else self._key(row, kind)
            occurrence = int(row.get("occurrence") or 0)
            record = None if action == "add" else self._record(sha, kind, key, occurrence)
        field, value = row.get("field"), row.get("value")
        if action == "set":
            field, value = self._checked_field(kind, field, value, record)
        elif action == "add":
            value = self._checked_record(kind, value)
        else:
            field, value = None, None
        why = row.get("reason") or reason
        if not why:
            raise CorrectionError("say why: a reason is required (a 'reason' column, or --reason)")
        created = row.get("created_at") or dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        return Correction(document_sha256=sha, source=self.docs[sha]["source"], record_type=kind, record_key=key,
                          occurrence=occurrence, action=action, field=field, value=value,
                          author=row.get("author") or author or getpass.getuser(), reason=why, created_at=created)

    def _document(self, row: dict) -> str:
        name = row.get("document_sha256") or row.get("document") or row.get("source")
        if not name:
            raise CorrectionError("name the record: give record_id, or document (file name or content hash) and type")
        if name in self.docs:
            return name
        shas = self.by_source.get(Path(str(name)).name, [])
        if len(shas) == 1:
            return shas[0]
        if shas:
            raise CorrectionError(f"{name!r} names {len(shas)} documents in the store; give its content hash instead")
        raise CorrectionError(f"no document {name!r} in the store")

    @staticmethod
    def _kind(row: dict) -> str:
        kind = row.get("record_type") or row.get("type")
        if kind not in KINDS:
            raise CorrectionError(f"type must be one of {', '.join(KINDS)} (got {kind!r})")
        return kind

    @staticmethod
    def _key(row: dict, kind: str) -> dict:
        names = RECORD_TYPES[kind].natural_key
        key = _json_object(row.get("record_key") or row.get("key"), f"give the record's key ({', '.join(names)}) as a JSON object, or its record_id")
        return {name: key.get(name) for name in names}

    def rows(self, sha: str, kind: str) -> list[dict]:
        if (sha, kind) not in self._rows:
            self._rows[(sha, kind)] = self.store.rows(kind, sha)
        return self._rows[(sha, kind)]

    def _record(self, sha: str, kind: str, key: dict, occurrence: int) -> dict:
        rows = self.rows(sha, kind)
        wanted = (key_text(key), occurrence)
        for row, k in zip(rows, keyed(kind, rows)):
            if k == wanted:
                return row
        raise CorrectionError(f"no {kind} with key {json.dumps(key)} (occurrence {occurrence}) in {self.docs[sha]['source']}")

    def _by_id(self, record_id: str) -> tuple[str, str, dict, int, dict]:
        """An export's record id (``<hash prefix>-<type>-<ordinal>``) → the record's document, key and occurrence."""
        parts = record_id.rsplit("-", 2)
        if "-added-" in record_id:
            raise CorrectionError(f"{record_id} is a record an analyst added; correct the add in the corrections file instead")
        if len(parts) != 3 or parts[1] not in KINDS or not parts[2].isdigit():
            raise CorrectionError(f"{record_id!r} is not a record id (expected <hash>-<type>-<number>, the id column of an export)")
        prefix, kind, ordinal = parts[0], parts[1], int(parts[2])
        shas = [sha for sha in self.docs if sha.startswith(prefix)]
        for sha in shas:
            rows = self.rows(sha, kind)
            for row, (text, occ) in zip(rows, keyed(kind, rows)):
                if row["ordinal"] == ordinal:
                    return sha, kind, key_of(kind, row), occ, row
        raise CorrectionError(f"no record {record_id} in the store (re-extracted since the export? name it by document, type and key)")

    @staticmethod
    def _checked_field(kind: str, field: Optional[str], value: Any, record: Optional[dict]) -> tuple[str, Any]:
        cls = RECORD_TYPES[kind]
        if field not in cls.field_names():
            raise CorrectionError(f"a {kind} has no field {field!r} (fields: {', '.join(cls.field_names())})")
        if value == "":
            value = None
        fields = {name: None if _blank((record or {}).get(name)) else (record or {}).get(name) for name in cls.field_names()}
        fields = {k: v for k, v in fields.items() if v is not None}
        fields[field] = value
        checked = cls.model_validate(fields)  # coerces "1200000" to 1200000.0, rejects an unknown measure
        return field, getattr(checked, field)

    @staticmethod
    def _checked_record(kind: str, value: Any) -> dict:
        value = _json_object(value, "an added record's value must be a JSON object of its fields")
        value = {k: v for k, v in value.items() if v not in (None, "")}
        provenance = {k: value.pop(k) for k in PROVENANCE_KEYS if k in value}
        unknown = set(value) - set(RECORD_TYPES[kind].field_names())
        if unknown:
            raise CorrectionError(f"a {kind} has no field(s) {', '.join(sorted(unknown))}")
        checked = RECORD_TYPES[kind].model_validate(value)
        out = {name: getattr(checked, name) for name in RECORD_TYPES[kind].field_names()}
        return {**out, **provenance}


def _json_object(value: Any, what: str) -> dict:
    """A dict, from a dict or its JSON text (a CSV cell); otherwise CorrectionError saying ``what`` is wanted."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise CorrectionError(f"{what} ({exc})") from exc
    if not isinstance(value, dict):
        raise CorrectionError(what)
    return value

