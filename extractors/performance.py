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


@register("performance", requires=("metadata",), version="2")
def extract_performance(doc: Document, ctx: Context) -> list[Record]:
    """Rows of a table whose columns count Green / Amber / Red indicators."""
    out: list[Record] = []
    for view in ctx.tables:
        colours = {_colour(c.label): c for c in view.columns if c.role == "rag" and _colour(c.label)}
        if not {"green", "amber", "red"} <= set(colours):
            continue
        overall = next((c for c in view.columns if c.role in ("status",) or re.search(r"overall|rating", c.label, re.I)
                        and c not in colours.values()), None)
        symbols = {ch: colour.title() for colour, c in colours.items() for ch in re.findall(r"[^\w\s]", c.label)}
        as_at = parse_date(view.caption) or parse_date(heading_words(doc, view.block.index, 2))
        for row in view.data_rows("data", "total", "subtotal"):
            if not row.label:
                continue
            state = clean(row.cells[overall.index].text) if overall is not None else ""
            state = symbols.get(state, state) if state not in ("", "-") else None
            out.append(Performance(
                source=doc.source, scope=row.label, green=_count(row.cells[colours["green"].index].text),
                amber=_count(row.cells[colours["amber"].index].text), red=_count(row.cells[colours["red"].index].text),
                overall=state, as_at=as_at, provenance=provenance(row.first, row.first.start, row.cells[-1].end, doc),
            ))
    return out


def _colour(label: str) -> Optional[str]:
    m = re.search(r"\b(green|amber|red)\b", label, re.I)
    return m.group(1).lower() if m else None
