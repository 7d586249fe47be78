"""Workforce: head-count and FTE figures, in prose and in staffing tables."""
from __future__ import annotations

import re
from typing import Optional

from extractors import register
from extractors.context import Context, provenance
from pipeline.document import Document
from pipeline.normalise.dates import parse_date
from pipeline.normalise.money import find_money
from pipeline.normalise.text import has_digit, may_hold_any
from pipeline.tables.view import TableView
from schemas import Record, Workforce

_DIGIT = re.compile(r"\d")
# what each basis in _COUNT holds ("members of staff" holds "staff", "FTEs" "fte"...)
_BASIS_WORDS = ("employees", "staff", "fte", "full", "volunteers", "sessional", "posts", "people employed")
# the count opens with a digit (the character before it checked by a look-behind over both), so the
# pattern starts with a character set and is scanned from digit to digit in C, not tried at every character
_COUNT = re.compile(
    r"(?P<n>\d(?<![\d.£%]\d)(?:\d{0,2}(?:,\d{3})+|\d*(?:\.\d+)?))\s+(?:\w+\s+)?(?P<basis>employees|members of staff|staff|FTEs?|full[- ]time equivalents?|volunteers|sessional(?: staff| workers)?|posts|people employed)\b",
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


_BASIS = re.compile(r"\b(FTEs?|full[- ]time equivalents?|employees|staff|volunteers|head ?count)\b", re.I)


def _basis_in(text: str) -> Optional[str]:
    m = _BASIS.search(text)
    return basis_of(m.group(1)) if m else None


@register("workforce", requires=("metadata", "services"), version="2")
def extract_workforce(doc: Document, ctx: Context) -> list[Record]:
    out: list[Record] = []
    for block in doc.blocks:
        if block.kind in ("paragraph", "list_item"):
            # every count is a number: a block without a digit is not scanned (and one without a count gives nothing)
            text = block.text
            counts = list(_COUNT.finditer(text)) if has_digit(text) and may_hold_any(text, _BASIS_WORDS) else []
            if not counts:
                continue
            as_at = parse_date(block.text) if re.search(r"\bas (?:at|of)\b", block.text, re.I) else None
            for m in counts:
                out.append(Workforce(
                    source=doc.source, scope=ctx.scope, count=float(m.group("n").replace(",", "")),
                    basis=basis_of(m.group("basis")), as_at=as_at,
                    provenance=provenance(block, block.start + m.start(), block.start + m.end(), doc),
                ))
    for view in ctx.tables:
        out.extend(_table_workforce(doc, ctx, view))
    return out


def _table_workforce(doc: Document, ctx: Context, view: TableView) -> list[Workforce]:
    """Head-count or FTE columns (``Staffing (FTEs) 2009/10``), or a two-column table whose header or caption names staff."""
    columns = view.columns_with("workforce")
    basis = None
    if not columns:
        intro = " ".join([view.caption] + [c.label for c in view.columns])
        basis = _basis_in(intro)
        figures = [c for c in view.columns if c.kind == "count"]
        if basis is None or find_money(intro) or len(view.columns) != 2 or len(figures) != 1:
            return []
        columns = figures
    as_at = parse_date(view.caption)
    out = []
    for row in view.data_rows():
        label = re.sub(r"\s*\(\s*see note\s*\)", "", row.label, flags=re.I).strip()
        if not label:
            continue
        for column in columns:
            parsed = view.value(row, column)
            if parsed is None or parsed.percent:
                continue
            cell = row.cells[column.index]
            scope = ctx.scope if row.role == "total" and re.fullmatch(r"(?i)total", label) else label
            out.append(Workforce(source=doc.source, scope=scope, count=parsed.value,
                                 basis=basis or _basis_in(column.label) or "fte", as_at=as_at,
                                 provenance=provenance(cell, row.first.start, cell.end, doc),
                                 confidence=round(0.9 * row.confidence, 3)))
    return out
