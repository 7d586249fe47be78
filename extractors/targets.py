"""Targets: performance indicators and the target set for each (from KPI/measure tables)."""
from __future__ import annotations

import re
from typing import Optional

from extractors import register
from extractors.context import Context, provenance
from pipeline.document import Block, Document
from pipeline.normalise.targets import COMPARATOR_PATTERN, find_targets, parse_target
from pipeline.normalise.text import clean
from pipeline.normalise.years import find_years
from schemas import Record, Target

_INDICATOR = ("measure", "indicator", "description", "performance", "kpi", "pi ", "metric")
_REF = re.compile(r"^(?:kpi|pi|ref|no\.?|number|code|id|#)$", re.I)


def _columns(header: list[str]) -> Optional[tuple[int, int, Optional[int]]]:
    target = next((i for i, h in enumerate(header) if re.search(r"\btargets?\b", h, re.I) and not re.search(r"\bdate\b", h, re.I)), None)
    if target is None:
        return None
    ref = next((i for i, h in enumerate(header) if _REF.match(h.strip())), None)
    indicator = next((i for i, h in enumerate(header) if i not in (target, ref) and any(w in h.lower() + " " for w in _INDICATOR)), None)
    if indicator is None:
        others = [i for i in range(len(header)) if i not in (target, ref)]
        indicator = others[-1] if others else None
    return (indicator, target, ref) if indicator is not None else None


def _from_indicator(indicator: str) -> Optional[str]:
    """A target stated inside the indicator ('… levels of above 98% per year') when the target cell has none."""
    m = COMPARATOR_PATTERN.search(indicator)
    while m:
        tail = indicator[m.start():]
        n = re.match(r"[\w\s]*?\d+(?:\.\d+)?\s?(?:%|per ?cent|days?)?", tail)
        if n and find_targets(n.group()):
            return n.group().strip()
        m = COMPARATOR_PATTERN.search(indicator, m.end())
    return None


def _table_targets(doc: Document, ctx: Context, block: Block) -> list[Target]:
    table = block.table
    cols = _columns(table.header)
    if cols is None:
        return []
    ind_col, target_col, ref_col = cols
    years = find_years(table.header[target_col]) or find_years(table.caption or "")
    year = years[0].value if years else ctx.plan_year
    out = []
    for row in table.body:
        indicator = clean(row[ind_col].text)
        if not indicator or len(indicator.split()) < 2:
            continue
        target_text = clean(row[target_col].text) or None
        found = find_targets(target_text or "")
        if not found and target_text and not parse_target(target_text).info_only:
            stated = _from_indicator(indicator)
            if stated:
                target_text, found = stated, find_targets(stated)
        values = found or [parse_target(target_text or "")]
        ref = clean(row[ref_col].text) or None if ref_col is not None else None
        for k, tv in enumerate(values):
            out.append(Target(
                source=doc.source, indicator=indicator, target_text=target_text, comparator=tv.comparator,
                value=tv.value, unit=tv.unit, info_only=tv.info_only, financial_year=year,
                service=ctx.scope, ref=ref, provenance=provenance(row[ind_col], row[ind_col].start, row[target_col].end, doc),
                confidence=0.9 if k == 0 else 0.7,
            ))
    return out


@register("targets", requires=("metadata", "services"))
def extract_targets(doc: Document, ctx: Context) -> list[Record]:
    out: list[Record] = []
    for block in doc.tables():
        out.extend(_table_targets(doc, ctx, block))
    return out
