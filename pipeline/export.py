"""Exports: JSONL exactly as RECORDS.md specifies; CSV and Parquet one file per record type; budgets as a Fiscal Data Package."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from pipeline.corrections import Corrector
from pipeline.errors import InputError
from pipeline.store import Store
from schemas import RECORD_TYPES
from schemas.tables import table_name

FORMATS = ("jsonl", "csv", "parquet", "fdp")


def export(store: Store, fmt: str, out: Path, corrector: Optional[Corrector] = None) -> list[Path]:
    """Write the store's records, corrected by ``corrector`` when given; returns the files written."""
    if fmt == "jsonl":
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8") as fh:
            for record in store.records(corrector=corrector):
                fh.write(json.dumps(record.to_jsonl_dict(), ensure_ascii=False) + "\n")
        return [out]
    if fmt == "fdp":
        from pipeline.fdp import write_fdp

        return write_fdp(store.frame("budget", corrector), out)
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in RECORD_TYPES:
        frame = store.frame(kind, corrector if kind != "document" else None)
        for column in ("extra", "issues"):
            if column in frame:
                frame[column] = frame[column].map(lambda v: json.dumps(v) if v not in (None, {}) else None)
        if kind in ("budget", "service"):
            frame = with_categories(frame, "scope" if kind == "budget" else "name")
        name = "documents" if kind == "document" else table_name(kind)
        path = out / f"{name}.{fmt}"
        written.append(write_frame(frame, path))
    return written


def with_categories(frame, column: str):
    """Add the service-line category (and its confidence) for cross-council grouping."""
    from pipeline.taxonomy import categorise

    categories, confidences = categorise(frame[column]) if column in frame else ([], [])
    return frame.assign(category=categories, category_confidence=confidences)


def write_frame(frame, path: Path, index: bool = False) -> Path:
    """A table as CSV or Parquet, chosen by the file's suffix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        frame.to_parquet(path, index=index)
    elif suffix in (".csv", ".txt", ""):
        frame.to_csv(path, index=index)
    else:
        raise InputError(f"{path}: write .csv or .parquet")
    return path
