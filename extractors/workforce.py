"""Workforce: head-count and FTE figures, in prose and in staffing tables."""
from __future__ import annotations

import re
from typing import Optional

from extractors import register
from extractors.context import Context, provenance
from pipeline.document import Document
from pipeline.normalise.dates import parse_date
from pipeline.normalise.money import find_money
from pipeline.normalise.text import clean
from schemas import Record, Workforce

_COUNT = re.compile(
    r"(?<![\d.£%])(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s+(?:\w+\s+)?(?P<basis>employees|members of staff|staff|FTEs?|full[- ]time equivalents?|volunteers|sessional(?: staff| workers)?|posts|people employed)\b",
    re.I,
)


def basis_of(word: str) -> str:
    low = word.lower()
    if "fte" in low or "full" in low:
        return "fte"
    if "volunteer" in low:
        return "volunteers"
    if "sessional" in low:
        return "sessional"
    return "employees"


def _basis_in(text: str) -> Optional[str]:
    m = re.search(r"\b(FTEs?|full[- ]time equivalents?|employees|staff|volunteers|head ?count)\b", text, re.I)
    return basis_of(m.group(1)) if m else None


@register("workforce", requires=("metadata", "services"))
def extract_workforce(doc: Document, ctx: Context) -> list[Record]:
    out: list[Record] = []
    for block in doc.blocks:
        if block.kind in ("paragraph", "list_item"):
            if find_money(block.text) and not _COUNT.search(block.text):
                continue
            as_at = parse_date(block.text) if re.search(r"\bas (?:at|of)\b", block.text, re.I) else None
            for m in _COUNT.finditer(block.text):
                out.append(Workforce(
                    source=doc.source, scope=ctx.scope, count=float(m.group("n").replace(",", "")),
                    basis=basis_of(m.group("basis")), as_at=as_at,
                    provenance=provenance(block, block.start + m.start(), block.start + m.end(), doc),
                ))
        elif block.kind == "table":
            out.extend(_table_workforce(doc, ctx, block))
    return out


def _table_workforce(doc: Document, ctx: Context, block) -> list[Workforce]:
    table = block.table
    intro = table.caption or ""
    header = " ".join(table.header)
    basis = _basis_in(header) or _basis_in(intro)
    if basis is None or find_money(intro + header) or len(table.rows[0]) != 2:
        return []
    as_at = parse_date(intro)
    out = []
    for row in table.body:
        label, value = row[0].clean, clean(row[1].text)
        if not re.fullmatch(r"\d+(?:\.\d+)?", value) or not label:
            continue
        label = re.sub(r"\s*\(\s*see note\s*\)", "", label, flags=re.I).strip()
        scope = ctx.scope if re.fullmatch(r"(?i)total", label) else label
        out.append(Workforce(source=doc.source, scope=scope, count=float(value), basis=basis, as_at=as_at,
                             provenance=provenance(row[0], row[0].start, row[1].end, doc)))
    return out
