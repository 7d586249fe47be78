"""Performance: RAG status counts per unit (Green / Amber / Red tables)."""
from __future__ import annotations

import re
from typing import Optional

from extractors import register
from extractors.context import Context, heading_words, provenance
from pipeline.document import Document
from pipeline.normalise.dates import parse_date
from pipeline.normalise.text import clean
from schemas import Performance, Record


def _count(text: str) -> Optional[int]:
    text = clean(text)
    return int(text) if re.fullmatch(r"\d+", text) else None


@register("performance", requires=("metadata",))
def extract_performance(doc: Document, ctx: Context) -> list[Record]:
    out: list[Record] = []
    for block in doc.tables():
        table = block.table
        cols = {c: table.column(c) for c in ("green", "amber", "red")}
        if any(v is None for v in cols.values()):
            continue
        overall = table.column("overall", "status", "rating")
        symbols = {}
        for colour, i in cols.items():
            for ch in re.findall(r"[^\w\s]", table.header[i]):
                symbols[ch] = colour.title()
        as_at = parse_date(table.caption or "") or parse_date(heading_words(doc, block.index, 2))
        for row in table.body:
            scope = row[0].clean
            if not scope:
                continue
            state = clean(row[overall].text) if overall is not None else ""
            state = symbols.get(state, state) if state not in ("", "-") else None
            out.append(Performance(
                source=doc.source, scope=scope, green=_count(row[cols["green"]].text), amber=_count(row[cols["amber"]].text),
                red=_count(row[cols["red"]].text), overall=state, as_at=as_at, provenance=provenance(row[0], row[0].start, row[-1].end, doc),
            ))
    return out
