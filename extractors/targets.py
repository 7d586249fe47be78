"""Targets: performance indicators and the target set for each (from KPI/measure tables)."""
from __future__ import annotations

import re
from typing import Optional

from extractors import register
from extractors.context import Context, provenance
from pipeline.document import Document
from pipeline.normalise.targets import COMPARATOR_PATTERN, find_targets, parse_target
from pipeline.normalise.text import clean
from pipeline.normalise.cells import strip_footnote
from pipeline.tables.view import TableView
from schemas import Record, Target



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


def _view_targets(doc: Document, ctx: Context, view: TableView) -> list[Target]:
    """Each target column of a KPI table, row by row; actual, baseline and comparison columns are not targets."""
    columns = view.columns_with("target")
    if not columns:
        return []
    out = []
    for row in view.data_rows("data", "subtotal", "total"):
        indicator = strip_footnote(clean(row.cells[view.indicator_column].text))
        if not indicator or len(indicator.split()) < 2:
            continue
        for column in columns:
            out.extend(_cell_targets(doc, ctx, view, row, column, indicator))
    return out


def _cell_targets(doc: Document, ctx: Context, view: TableView, row, column, indicator: str) -> list[Target]:
    cell = row.cells[column.index]
    target_text = clean(cell.text) or None
    found = find_targets(target_text or "")
    if not found and target_text and not parse_target(target_text).info_only:
        stated = _from_indicator(indicator)
        if stated:
            target_text, found = stated, find_targets(stated)
    values = found or [parse_target(target_text or "")]
    label_cell = row.cells[view.indicator_column]
    return [Target(
        source=doc.source, indicator=indicator, target_text=target_text, comparator=tv.comparator,
        value=tv.value, unit=tv.unit, info_only=tv.info_only,
        financial_year=column.year or view.year or ctx.plan_year, service=row.section if _is_unit(ctx, row.section) else ctx.scope,
        ref=row.ref, provenance=provenance(label_cell, label_cell.start, max(label_cell.end, cell.end), doc),
        confidence=0.9 if k == 0 else 0.7,
    ) for k, tv in enumerate(values)]


def _is_unit(ctx: Context, name) -> bool:
    return bool(name) and ctx.known_unit(name) is not None


@register("targets", requires=("metadata", "services"), version="2")
def extract_targets(doc: Document, ctx: Context) -> list[Record]:
    out: list[Record] = []
    for view in ctx.tables:
        out.extend(_view_targets(doc, ctx, view))
    return out
