"""SQLAlchemy tables derived from the pydantic records — never written out by hand."""
from __future__ import annotations

import types
import typing
from typing import Any, Literal, get_args, get_origin

from sqlalchemy import JSON, Boolean, Column, Float, ForeignKey, Integer, MetaData, String, Table, Text

from schemas.corrections import Correction
from schemas.records import RECORD_TYPES, DocumentMeta, Record

metadata = MetaData()

documents = Table(
    "documents", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("source", String(512), nullable=False, index=True),
    Column("path", Text),
    Column("status", String(16), nullable=False),
    Column("issues", JSON),
    Column("pages", Integer),
    Column("pipeline_version", String(32)),
    Column("extracted_at", String(32)),
    *[Column(name, Text) for name in DocumentMeta.field_names()],  # titles can be whole run-on pages
    # register facts for cross-council queries
    Column("register_code", String(8)),
    Column("authority_type", String(64)),
    Column("region", String(64)),
    Column("page", Integer),
    Column("char_start", Integer),
    Column("char_end", Integer),
    Column("snippet", Text),
)


def _sql_type(annotation: Any):
    origin = get_origin(annotation)
    if annotation is Any or origin in (dict, list) or annotation in (dict, list):
        return JSON()
    if origin in (typing.Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return _sql_type(args[0])
    if origin is Literal:
        return String(32)
    if annotation is bool:
        return Boolean()
    if annotation is int:
        return Integer()
    if annotation is float:
        return Float(precision=53)
    return Text()


def _record_table(cls: type[Record]) -> Table:
    columns = [
        Column("id", String(96), primary_key=True),  # sha256 prefix + type + ordinal: stable across re-runs
        Column("document_sha256", String(64), ForeignKey("documents.sha256", ondelete="CASCADE"), index=True, nullable=False),
        Column("source", String(512), nullable=False),
        Column("ordinal", Integer, nullable=False),
    ]
    for name in cls.field_names():
        columns.append(Column(name, _sql_type(cls.model_fields[name].annotation)))
    columns += [
        Column("extra", JSON),
        Column("confidence", Float),
        Column("page", Integer),
        Column("char_start", Integer),
        Column("char_end", Integer),
        Column("snippet", Text),
    ]
    return Table(table_name(cls.type), metadata, *columns)


def table_name(kind: str) -> str:
    """services, objectives, budgets, targets, risks; performance and workforce stay singular."""
    return kind if kind in ("performance", "workforce") else f"{kind}s"


RECORD_TABLES: dict[str, Table] = {
    kind: _record_table(cls) for kind, cls in RECORD_TYPES.items() if kind != "document"
}


def _corrections_table() -> Table:
    """No foreign key to documents: corrections must outlive the rows re-extraction deletes and rewrites."""
    keyed = {"id": Column("id", String(32), primary_key=True),
             "document_sha256": Column("document_sha256", String(64), index=True, nullable=False),
             "record_type": Column("record_type", String(32), nullable=False)}
    columns = [keyed[name] if name in keyed else Column(name, _sql_type(info.annotation))
               for name, info in Correction.model_fields.items()]
    return Table("corrections", metadata, *columns)


corrections = _corrections_table()
