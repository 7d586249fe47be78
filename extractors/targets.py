"""Targets: performance indicators and the target set for each (from KPI/measure tables)."""
from __future__ import annotations

import re
from itertools import islice
from typing import Optional

from extractors import register
from extractors.context import Context, lead_in, provenance
from pipeline.document import Block, Document
from pipeline.nlp import made, may_hold_target_span, partial, spans
from pipeline.normalise.memo import short_text_cache
from pipeline.normalise.targets import COMPARATOR_PATTERN, TargetValue, cell_figures, find_targets, parse_target
from pipeline.normalise.text import clean, has_digit, may_hold, may_hold_any
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
    several = cell_figures(cell.text, _row_figures(view, row, column))
    if len(several) >= 2:
        return _several_targets(doc, ctx, view, row, column, indicator, several)
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


def _row_figures(view: TableView, row, column) -> tuple[float, ...]:
    """The row's other single figures: what a figure run together with another is judged against."""
    out = []
    for other in view.columns:
        if other.index != column.index and other.index != view.ref_column:
            parsed = view.value(row, other)
            if parsed is not None:
                out.append(abs(parsed.value))
    return tuple(out)


def _several_targets(doc: Document, ctx: Context, view: TableView, row, column, indicator: str, figures) -> list[Target]:
    """A cell with an earlier and an amended figure (``470 / 201.3A``): the amended one is the target.

    Without an ``A`` marker the last figure is taken as current; the others
    are kept with lower confidence, and a repeated figure once.
    """
    cell = row.cells[column.index]
    current = next((f for f in reversed(figures) if f.amended), figures[-1])
    seen, out = set(), []
    for figure in sorted(figures, key=lambda f: f is not current):
        if figure.value in seen:
            continue
        seen.add(figure.value)
        out.append(Target(
            source=doc.source, indicator=indicator, target_text=clean(cell.text[figure.start:figure.end]), comparator="=",
            value=figure.value, unit=figure.unit, financial_year=column.year or view.year or ctx.plan_year,
            service=ctx.scope, ref=row.ref, confidence=0.85 if figure is current else 0.5,
            provenance=provenance(cell, cell.start + figure.start, cell.start + figure.end, doc),
        ))
    return out


def _is_unit(ctx: Context, name) -> bool:
    return bool(name) and ctx.known_unit(name) is not None


# ---------------------------------------------------------------- targets in sentences and lists

_TARGET_CONTEXT = re.compile(r"\b(?:targets?|standards?|performance indicators?|indicators?|kpis?|pledges?|we will|"
                             r"commitments?|service levels?|measures of success|success measures?|aims?)\b", re.I)
# what every _TARGET_CONTEXT match holds, lower case: a check of substrings before the pattern is tried at every character
_TARGET_STEMS = ("target", "standard", "indicator", "kpi", "pledge", "we will", "commitment", "service level",
                 "measures of success", "success measure", "aim")
_ITEM_REF = re.compile(r"^\s*(?P<ref>[A-Z]{1,4}\s?\d{1,3}[a-z]?)\s*[:.)\-–]\s*")
_GAP_TARGET = re.compile(r"^(?P<indicator>.+?)[\s:]*\s{4,}(?P<target>\S.{0,40})$")
_NP_AFTER = re.compile(r"^\s*(?:of\s+)?(?P<np>[a-z][\w\-’',/ ]{3,80}?)(?=\s+(?:by|in|and to|to|from|for)\b|[.;]|\s+and\s+(?:to|a|an|the)\b|$)", re.I)
_BARE_YEAR = re.compile(r"\b(?:by|in|before|until)\s+(?:19|20)\d{2}\b(?![/\-]\d)", re.I)


def _statement_targets(doc: Document, ctx: Context) -> list[Target]:
    """Targets written in sentences or list items: service standards, KPI lists, driver statements.

    Read where the words around say these are targets (a heading or lead-in
    naming standards, indicators or targets, or the sentence itself saying
    "target"): ``Respond to emails within 5 working days`` is a standard with
    the whole statement as its indicator; ``no more than 684kg of residual
    waste per household`` names its indicator after the figure.
    """
    out: list[Target] = []
    contexts: dict[int, str] = {}  # the headings' context by nearest heading (-1: none): the blocks under one share it
    for block in doc.blocks:
        if block.kind not in ("paragraph", "list_item", "heading"):
            continue
        if not has_digit(block.text) and not _ITEM_REF.match(block.text):
            continue  # neither a gap target (it needs a reference) nor a phrase target (a figure): no context needed
        nearest = next(doc.headings_before(block.index), None)
        key = nearest.index if nearest is not None else -1
        context = contexts.get(key)
        if context is None:
            headings = (h.clean for h in doc.headings_before(block.index) if not _ITEM_REF.match(h.text))
            context = contexts[key] = " / ".join(islice(headings, 3))
        intro = lead_in(doc, block) if block.kind == "list_item" else None
        if intro is not None:
            context += " / " + intro.clean
        found = _gap_target(doc, ctx, block, context)
        if found is not None:
            out.append(found)
            continue
        if not _may_state_target(block.text, context):
            continue
        if not (made(doc.nlp, block.index) or may_hold_target_span(block.text)):
            continue  # its Doc would hold no target span: not tokenised for nothing
        for span in spans(_targets_doc(doc, block), "target"):
            sentence = span.sent.text if span.doc.has_annotation("SENT_START") else block.text
            if not (_target_context(context) or re.search(r"\btargets?\b", sentence, re.I)):
                continue
            target = _phrase_target(doc, ctx, block, span)
            if target is not None:
                out.append(target)
    return out


def _targets_doc(doc: Document, block: Block):
    """The block's Doc with its target spans and sentences: the whole annotation if made, else only those
    components (``Annotations.partial``: no other extractor reads this block's Doc after this one)."""
    return partial(doc.nlp, block.index, ("cp_target_phrases",))


_DIGIT = re.compile(r"\d")
_TARGET_WORD = re.compile(r"target", re.I)


def _may_state_target(text: str, context: str) -> bool:
    """Whether a block could hold a phrase target, asked before spaCy is run over it.

    Every target phrase has a figure token (a digit), and one is kept only
    under a target-like heading or in a sentence saying "target": a block
    with neither cannot give one, so it is never annotated.
    """
    return has_digit(text) and (_target_context(context) or (may_hold(text, "target") and bool(_TARGET_WORD.search(text))))


@short_text_cache()
def _target_context(context: str) -> bool:
    """Whether headings (a block's context) are target-like: the blocks under one heading share it."""
    return may_hold_any(context, _TARGET_STEMS) and bool(_TARGET_CONTEXT.search(context))


def _gap_target(doc: Document, ctx: Context, block: Block, context: str) -> Optional[Target]:
    """``CC1: Percentage of calls answered …:        tbc``: a KPI list item with its target after a wide gap."""
    m = _ITEM_REF.match(block.text)
    gap = _GAP_TARGET.match(block.text[m.end():]) if m else None  # without a reference there is no gap target
    if not (m and gap and _target_context(context)):
        return None
    base = block.start + (m.end() if m else 0)
    indicator = clean(gap.group("indicator")).rstrip(" :")
    target_text = clean(gap.group("target"))
    tv = parse_target(target_text)
    return Target(source=doc.source, indicator=indicator, target_text=target_text, comparator=tv.comparator, value=tv.value,
                  unit=tv.unit, info_only=tv.info_only, financial_year=ctx.plan_year, service=ctx.scope, ref=m.group("ref"),
                  provenance=provenance(block, base, block.end, doc), confidence=0.75)


def _phrase_target(doc: Document, ctx: Context, block: Block, span) -> Optional[Target]:
    text = block.text
    start, end = span.start_char, span.end_char
    sentence_start = span.sent.start_char if span.doc.has_annotation("SENT_START") else 0
    sentence_end = span.sent.end_char if span.doc.has_annotation("SENT_START") else len(text)
    ref_m = _ITEM_REF.match(text[sentence_start:])
    body_start = sentence_start + (ref_m.end() if ref_m else 0)
    after = text[end:sentence_end]
    np = _NP_AFTER.match(after) if span.label_ != "within" else None
    if np and len(np.group("np").split()) >= 2:
        indicator = clean(np.group("np"))
        year = _BARE_YEAR.search(after[np.end(): np.end() + 20])
        phrase_end = end + np.end() + (year.end() if year else 0)
        target_text = clean(text[_phrase_start(text, body_start, start):phrase_end])
    else:
        indicator = clean(text[body_start:sentence_end]).rstrip(".")
        target_text = clean(text[start:end])
        year = None
    tv = parse_target(target_text)
    if tv.value is None and span.label_ == "within":  # "within 5 minutes": a time limit in units the grammar keeps for dates
        figure = re.search(r"\d+(?:\.\d+)?", span.text)
        tv = TargetValue("<=", float(figure.group()), "number", False) if figure else tv
    if tv.value is None or not indicator:
        return None
    comparator = "<=" if span.label_ == "within" else tv.comparator  # "within 5 days": at most five days
    return Target(source=doc.source, indicator=indicator, target_text=target_text, comparator=comparator, value=tv.value,
                  unit=tv.unit, info_only=tv.info_only, financial_year=None if year else ctx.plan_year, service=ctx.scope,
                  ref=ref_m.group("ref") if ref_m else None,
                  provenance=provenance(block, block.start + start, block.start + end, doc), confidence=0.7)


def _phrase_start(text: str, floor: int, start: int) -> int:
    """A target phrase reaches back over its comparator (``to exceed the target … to achieve 40%``) to the clause start."""
    clause = max(text.rfind(",", floor, start), text.rfind(" and ", floor, start), floor - 1) + 1
    window = text[clause:start]
    m = re.search(r"\b(?:to\s+)?(?:exceed|beat|surpass|better)\b", window, re.I)
    return clause + m.start() if m else start


@register("targets", requires=("metadata", "services"), version="3")
def extract_targets(doc: Document, ctx: Context) -> list[Record]:
    out: list[Record] = []
    for view in ctx.tables:
        out.extend(_view_targets(doc, ctx, view))
    out.extend(_statement_targets(doc, ctx))
    return out
