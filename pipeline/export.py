"""Exports: JSONL exactly as RECORDS.md specifies; CSV and Parquet one file per record type; budgets as a Fiscal Data Package."""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.store import Store
from schemas import RECORD_TYPES
from schemas.tables import table_name

FORMATS = ("jsonl", "csv", "parquet", "fdp")


def export(store: Store, fmt: str, out: Path) -> list[Path]:
    """Write the store's records; returns the files written."""
    if fmt == "jsonl":
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8") as fh:
            for record in store.records():
                fh.write(json.dumps(record.to_jsonl_dict(), ensure_ascii=False) + "\n")
        return [out]
    if fmt == "fdp":
        from pipeline.fdp import write_fdp

        return write_fdp(store.frame("budget"), out)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in RECORD_TYPES:
        frame = store.frame(kind)
        for column in ("extra", "issues"):
            if column in frame:
                frame[column] = frame[column].map(lambda v: json.dumps(v) if v not in (None, {}) else None)
        if kind in ("budget", "service"):
            frame = with_categories(frame, "scope" if kind == "budget" else "name")
        name = "documents" if kind == "document" else table_name(kind)
        path = out / f"{name}.{fmt}"
        if fmt == "csv":
            frame.to_csv(path, index=False)
        else:
            frame.to_parquet(path, index=False)
        written.append(path)
    return written


def with_categories(frame, column: str):
    """Add the service-line category (and its confidence) for cross-council grouping."""
    from pipeline.taxonomy import classify

    mapped = [classify(v if isinstance(v, str) else None) for v in frame[column]] if column in frame else []
    return frame.assign(category=[m.category for m in mapped], category_confidence=[m.confidence for m in mapped])
