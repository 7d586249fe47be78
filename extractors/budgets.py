"""Budgets: money figures with what they measure, the year and the unit they apply to.

Two sources: money tables (a unit such as ``£000`` in the header or caption,
year columns, one row per cost centre) and prose or list items (``a gross
expenditure cash budget of £39.147 million``).  Scale and sign follow
RECORDS.md; a table with no unit takes the unit the document's other money
tables declare.
"""
from __future__ import annotations

import re
from typing import Optional

from extractors import register
from extractors.context import Context, heading_words, lead_in, provenance, section_unit, unit_from_heading
from pipeline.document import Block, Document
from pipeline.nlp import money_of, partial
from pipeline.normalise.money import Money, find_money
from pipeline.normalise.text import clean, folds_like_ascii, may_hold_any
from pipeline.normalise.years import FinancialYear, find_years
from pipeline.tables import vocabulary
from pipeline.tables.view import TableView
from schemas import Budget, Record

MEASURES = [  # most specific first; the rightmost match before an amount wins
    ("savings", r"savings?|efficienc(?:y|ies)|cuts?"),
    ("pressures", r"pressures?|growth"),
    ("capital", r"capital"),
    ("income", r"income|fees and charges|receipts"),
    ("staffing", r"staffing|staff costs|salar(?:y|ies)|employees? costs"),
    ("gross_expenditure", r"gross\b(?:[\w\s]{0,30}\b(?:budget|expenditure|spend)\b)?|gross expenditure|total expenditure"),
    ("net_budget", r"\bnet\b(?:[\w\s]{0,20}?\b(?:budget|spend|cost|expenditure)\b)?|\bbudget(?:ed)?\b|\bspend\b|\bcost\b"),
]
_MEASURE_RES = [(m, re.compile(rf"\b(?:{p})", re.I)) for m, p in MEASURES]
_CONTEXT_MEASURES = {"savings", "pressures", "capital", "income"}
_NOT_MONEY_TABLE = re.compile(r"\b(green|amber|red|rag|fte|head ?count|target|indicator|measure|kpi)\b", re.I)
_MONEY_CONTEXT = re.compile(r"budget|savings?|spend|cost|income|expenditure|capital|£|financ|revenue|outturn|estimate", re.I)
_RESOURCE_COLUMN = ("resource", "budget", "fund", "cost", "financ", "£")
_SUBJECT = re.compile(r"^(?:The\s+)?(?P<unit>[A-Z][\w'’&]*(?:\s+(?:and|&|of|for)?\s*[A-Z][\w'’&]*)*)\s+(?:has|have|is|are|was|will|manages?|identified)\b")
_UNIT_WORD = re.compile(r"\b(directorate|office|services?|team|unit|department|division|partnership)$", re.I)


# what every match of each measure's pattern holds, lower case (one of its words' fixed starts)
_MEASURE_STEMS = {
    "savings": ("saving", "efficienc", "cut"), "pressures": ("pressure", "growth"), "capital": ("capital",),
    "income": ("income", "fees and charges", "receipts"), "staffing": ("staffing", "staff costs", "salar", "employee"),
    "gross_expenditure": ("gross", "total expenditure"), "net_budget": ("net", "budget", "spend", "cost"),
}


def measure_from(text: str) -> Optional[str]:
    """The measure whose word ends last in ``text``; each pattern (case-blind, tried at every character) is
    run only where the lowered text holds one of its stems (``folds_like_ascii``: nearly every text)."""
    low = text.lower() if folds_like_ascii(text) else None
    best = None
    for measure, pattern in _MEASURE_RES:
        if low is not None and not any(stem in low for stem in _MEASURE_STEMS[measure]):
            continue
        for m in pattern.finditer(text):
            if best is None or m.end() > best[1]:
                best = (measure, m.end())
    return best[0] if best else None


# what every context-measure word holds, lower case (savings, pressures, capital, income in MEASURES)
_CONTEXT_STEMS = ("saving", "efficienc", "cut", "pressure", "growth", "capital", "income", "fees and charges", "receipt")


def _context_measure(text: str) -> Optional[str]:
    """The first savings/pressures/capital/income word in context text (nearest heading first).

    Most context text names none of them: one pass of substring checks (``_CONTEXT_STEMS``)
    rules that out before the four patterns are each tried at every word.
    """
    if not may_hold_any(text, _CONTEXT_STEMS):
        return None
    best = None
    for measure, pattern in _MEASURE_RES:
        if measure in _CONTEXT_MEASURES:
            m = pattern.search(text)
            if m and (best is None or m.start() < best[1]):
                best = (measure, m.start())
    return best[0] if best else None


# ---------------------------------------------------------------- tables


def _view_budgets(doc: Document, ctx: Context, view: TableView) -> list[Budget]:
    """Every money cell of a table: the row says what it is for, the column its year, phase and measure."""
    money = [c for c in view.columns if c.money]
    if not money:
        return []
    context_measure = _context_measure(" / ".join([view.context, heading_words(doc, view.block.index, 2), ctx.meta.title or ""]))
    year = view.year or ctx.plan_year  # read once: the same for every cell of the table
    out = []
    for row in view.data_rows():
        total = row.role in ("total", "subtotal")
        scope = (_total_scope(doc, ctx, view.block, row.label) if total and row.role == "total" else row.label) or None
        if total and not row.label:
            scope = view.columns[view.label_column].label or view.caption or None  # an unlabelled total: the table's own subject
        row_measure = _row_measure(row) or context_measure or "net_budget"  # what a column without a measure says
        row_confidence = (0.8 if total else 0.95) * row.confidence
        for column in money:
            amount = view.amount(row, column)
            if amount is None:
                continue
            cell = row.cells[column.index]
            checks = sorted(set(row.checks_failed + column.checks_failed))
            budget = Budget(
                source=doc.source, scope=scope, measure=column.measure or row_measure,
                financial_year=column.year or year, phase=column.phase,
                amount_gbp=amount, as_written=cell.clean, description="total" if total else None,
                provenance=provenance(cell), confidence=round(row_confidence * (0.5 if column.checks_failed else 1), 3),
            )
            if checks:
                budget.checks_failed = checks  # shown by the review site; kept in the store's extra column
            out.append(budget)
    return out


def _row_measure(row) -> Optional[str]:
    """A line's measure from its section (``Employees``, ``Income``, ``Funded by``) or its own words."""
    for text in (row.section or "", row.label):
        found = vocabulary.last("measure", text)
        if found in ("income", "staffing", "capital", "savings", "pressures"):
            return found
        if vocabulary.first("row", text) == "funding":
            return "income"
    return None


_FINANCE_HEADING = re.compile(r"^(?:budgets?|budget position|finance|financial (?:information|summary|resources)|resources)$", re.I)


def _total_scope(doc: Document, ctx: Context, block: Block, label: str) -> Optional[str]:
    named = re.sub(r"\btotals?\b", "", label, flags=re.I).strip(" :-")
    if named:
        return named
    for heading in doc.headings_before(block.index):
        unit = unit_from_heading(heading.text)
        if unit:
            return unit
        if _FINANCE_HEADING.match(heading.clean):
            break  # "Budgets": the plan's own budget, not a section's
    return ctx.scope


# ---------------------------------------------------------------- money in table cells


_FIGURE_LABEL = re.compile(r"[\d.]+")  # a row label that is only a figure


def _cell_budgets(doc: Document, ctx: Context, block: Block) -> list[Budget]:
    """Money written inside a resources column (``Budgetary – agreed … - £15k``)."""
    table = block.table
    cols = [i for i, label in enumerate(table.header) if any(w in label.lower() for w in _RESOURCE_COLUMN)]
    out = []
    for row in table.body:
        label = next((t for t in (c.clean for c in row) if t and not _FIGURE_LABEL.fullmatch(t)), None)
        for col in cols:
            cell = row[col]
            for money in find_money(cell.text):
                line_start = cell.text.rfind("\n", 0, money.start) + 1
                before = cell.text[line_start: money.start]
                description = clean(re.sub(r"[\s\-–:]+$", "", before)) or None
                out.append(Budget(
                    source=doc.source, scope=label, financial_year=ctx.plan_year,
                    measure="capital" if re.search(r"capital", before + (label or ""), re.I) else "other",
                    amount_gbp=money.amount, as_written=money.as_written, description=description,
                    provenance=provenance(cell, cell.start + money.start, cell.start + money.end, doc), confidence=0.8,
                ))
    return out


# ---------------------------------------------------------------- prose


_SENTENCE = re.compile(r"[^.!?]+(?:[.!?](?!\d)|$)")
_CLAUSE_BREAK = re.compile(r"[;,]\s|\s(?:although|but|whereas|while)\s")


def _sentences(text: str, nlp_doc=None) -> list[tuple[int, int]]:
    """Sentence spans: spaCy's sentencizer where the block was annotated, else full stops before capitals."""
    if nlp_doc is not None and nlp_doc.has_annotation("SENT_START"):
        return [(sent.start_char, sent.end_char) for sent in nlp_doc.sents]
    out, start = [], 0
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z])", text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


def _clause(sentence: str, pos: int) -> tuple[int, int]:
    start, end = 0, len(sentence)
    for m in _CLAUSE_BREAK.finditer(sentence):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return start, end


_RESPECTIVELY = re.compile(r"\brespectively\b")


def _year_for(sentence: str, amounts: list[Money], k: int, plan_year: Optional[str],
              years: list[FinancialYear], clause: tuple[int, int]) -> Optional[str]:
    """The year of one amount: ``years`` are the sentence's (``find_years``), ``clause`` the amount's (``_clause``),
    both read once by the caller for all the sentence's amounts and both its questions."""
    if _RESPECTIVELY.search(sentence) and len(years) == len(amounts) and years:
        return years[k].value
    cs, ce = clause
    clause_years = [y for y in years if cs <= y.start < ce]
    clause_amounts = [a for a in amounts if cs <= a.start < ce]
    if len(clause_years) == len(clause_amounts) > 1:
        return clause_years[clause_amounts.index(amounts[k])].value
    if clause_years:
        before = [y for y in clause_years if y.start < amounts[k].start]
        return (before[-1] if before else clause_years[0]).value
    return plan_year


_PHASE_WORD = re.compile(r"\b(?:original|approved|base|revised|probable|outturn|actual|forecast|projected|estimated?|"
                         r"indicative|draft|proposed)\b", re.I)  # plain "budget" in prose says nothing about phase


def _phase_for(sentence: str, amounts: list[Money], k: int, clause: tuple[int, int]) -> Optional[str]:
    """``the revised budget of £1.2m``, ``an outturn of £3m``: a phase word in the amount's own clause
    (``_clause`` of its start), before it."""
    cs, _ = clause
    floor = max(cs, amounts[k - 1].end if k else 0)
    words = list(_PHASE_WORD.finditer(sentence, floor, amounts[k].start))
    return vocabulary.first("phase", words[-1].group()) if words else None


_OF_WORDS = re.compile(r"\s*(?:of|for|in|on)\s+((?:\w+\s+){0,2}\w+)")


def _measure_for(sentence: str, amounts: list[Money], k: int) -> Optional[str]:
    money = amounts[k]
    nxt = amounts[k + 1].start if k + 1 < len(amounts) else len(sentence)
    after = sentence[money.end: nxt]
    m = _OF_WORDS.match(after)
    if m:
        found = measure_from(m.group(1))
        if found:
            return found
    prev = amounts[k - 1].end if k else 0
    return measure_from(sentence[prev: money.start])


def _subject_unit(text: str, ctx: Context) -> Optional[str]:
    m = _SUBJECT.match(text.strip())
    if not m:
        return None
    unit = m.group("unit")
    return ctx.known_unit(unit) or (unit if _UNIT_WORD.search(unit) else None)


def _money_and_sentences(doc: Document, block: Block) -> tuple[object, list[Money]]:
    """The block's spaCy Doc (for its sentences) and its amounts, as the money component finds them.

    A block annotated already gives its Doc and money spans; any other is only tokenised
    and split into sentences (``Annotations.partial``), and its amounts are those the
    money component would keep: each ``find_money`` amount its tokens can cover.
    """
    nlp_doc = partial(doc.nlp, block.index)
    return nlp_doc, (money_of(nlp_doc) if nlp_doc is not None else find_money(block.text))


def _prose_budgets(doc: Document, ctx: Context, block: Block) -> list[Budget]:
    if not find_money(block.text):  # the money component finds the same amounts: no spaCy for a block without one
        return []
    nlp_doc, found = _money_and_sentences(doc, block)
    if not found:
        return []
    context_text = heading_words(doc, block.index, 2)
    intro = lead_in(doc, block) if block.kind == "list_item" else None
    if intro is not None:
        context_text = intro.clean + " / " + context_text
    context_measure = _context_measure(context_text)
    paragraph_unit = _subject_unit(block.text, ctx)
    out = []
    for s, e in _sentences(block.text, nlp_doc):
        sentence = block.text[s:e]
        amounts = [Money(m.amount, m.as_written, m.start - s, m.end - s) for m in found if s <= m.start < e]
        if not amounts:
            continue
        years = find_years(sentence)  # once for all the sentence's amounts
        for k, money in enumerate(amounts):
            clause = _clause(sentence, money.start)
            measure = _measure_for(sentence, amounts, k)
            if block.kind == "list_item" and context_measure:
                measure = context_measure
            elif measure in (None, "net_budget", "other") and context_measure:
                measure = context_measure
            scope = (_subject_unit(sentence, ctx) or amount_subject(sentence, amounts, k, ctx)
                     or (ctx.known_unit(paragraph_unit) if paragraph_unit else None)
                     or section_unit(doc, block.index, ctx))
            description = _description(sentence, money, block.kind == "list_item")
            out.append(Budget(
                source=doc.source, scope=scope, measure=measure or "other",
                financial_year=_year_for(sentence, amounts, k, ctx.plan_year, years, clause),
                phase=_phase_for(sentence, amounts, k, clause),
                amount_gbp=money.amount, as_written=money.as_written, description=description,
                provenance=provenance(block, block.start + s, block.start + e, doc), confidence=0.85,
            ))
    return out


_CLAUSE_START = re.compile(r"(?:^|[,;:(]|\b(?:that|which|where|whereas|while|but|and the|with|including|plus)\b)\s*", re.I)
_CONNECTOR = re.compile(r"\s*(?:of|at|totalling|amounting to|is|are|was|were|will be|of around|of about|:|–|-|=)?\s*$", re.I)
_AFTER = re.compile(r"^\s*(?:\w+\s+)?(?:funded by|from|for|towards|on|to fund|to support|in respect of)\s+(?P<np>(?:the\s+)?[A-Z][\w'’&/-]*(?:\s+(?:and|&|of|for|the)?\s*[A-Z][\w'’&/-]*)*)")
_OF_SOURCE = re.compile(r"^\s*of\s+(?P<np>[A-Za-z][\w'’&\- ]{2,80}?)(?=\s+(?:as|and|to|for|by|which|that|in|on)\b|[,.;:(]|$)")
_CONNECTOR_LONGEST = 12  # characters in the longest connector ("amounting to")


def _strip_connector(text: str) -> str:
    """``_CONNECTOR.sub("", text)`` tried only over the text's end, where every match lies (``_tail_start``)."""
    w = _tail_start(text, _CONNECTOR_LONGEST)
    return text[:w] + _CONNECTOR.sub("", text[w:])


def _tail_start(text: str, longest: int, before: int = 0) -> int:
    """Where a match of a pattern anchored at the text's end can start at the earliest.

    The pattern's shape: up to ``before`` characters of anything, whitespace, one word
    of at most ``longest`` characters (or none), whitespace, the end, with no look-behind
    or ``\\b``.  Such a pattern (optional parts only) is otherwise tried at every character.
    """
    w = max(0, len(text.rstrip()) - longest)
    while w and text[w - 1].isspace():
        w -= 1
    return max(0, w - before)


_DETERMINERS = re.compile(r"^(?:the|a|an|this|that|these|its|our|their|total|overall)\s+", re.I)
_YEAR_PHRASE = re.compile(r"\s*\b(?:for|in|during|of)\s+(?:the\s+)?(?:financial\s+year\s+)?(?:FY\s?)?(?:19|20)\d{2}(?:\s*[/\-–]\s*\d{2,4})?\b", re.I)


def _without_year_phrase(text: str) -> str:
    """``_YEAR_PHRASE.sub("", text)``, not tried at every character of a text with no "19" or "20" (every year has one)."""
    return _YEAR_PHRASE.sub("", text) if "19" in text or "20" in text else text


_GENERIC_SUBJECT = re.compile(
    r"^(?:it|this|which|these|total|amount|sum|figure|budget|budgets|savings?|costs?|spend|spending|expenditure|income|"
    r"investment|funding|provision|allocation|pressures?|growth|reduction|increase|additional|further|overall|net|gross|"
    r"revenue|capital|approximately|around|about|over|some|up|to|and|of|a|an|the|further\s\w+|\s)+$", re.I)


_UNIT_HEAD = re.compile(r"\b(?:department|directorate|services?|committee|team|unit|office|division|partnership|"
                        r"account|fund|grant|reserves?|rate|programme|board|authority|council)$", re.I)
_VERBISH = re.compile(r"^.*\b(?:includes?|including|totals?|totalling|will|would|is|are|was|were|has|have|had|make|makes|"
                      r"made|achieve[sd]?|achievable|provides?|represents?|gives?|brings?|be|been)\b\s*", re.I)


def amount_subject(sentence: str, amounts: list[Money], k: int, ctx: Optional[Context] = None) -> Optional[str]:
    """The unit or fund one amount in a sentence belongs to: ``the cash limit for the X Committee of £N`` → X.

    Every amount gets its own subject when the words around it name one: the
    noun phrase just before it (after ``of``/``is``, years and determiners
    taken off), or ``… for X``/``… through X`` inside that phrase, or ``£N
    funded by X`` after it.  The phrase must name a unit, a committee, a
    fund or a grant (``… Department``, ``… Committee``, ``district rate``) or
    a unit the plan names; otherwise (``savings``, ``staffing reductions``)
    the amount belongs to its paragraph's unit.
    """
    money = amounts[k]
    start = amounts[k - 1].end if k else 0
    before = _strip_connector(_without_year_phrase(sentence[start: money.start]))
    clause = list(_CLAUSE_START.finditer(before))
    np = _VERBISH.sub("", (before[clause[-1].end():] if clause else before).strip(" ."))
    for candidate in _candidates(np):
        if _names_unit(candidate, ctx):
            return candidate
    rest = sentence[money.end: amounts[k + 1].start if k + 1 < len(amounts) else len(sentence)]
    source = _OF_SOURCE.match(rest)  # "£0.462m of available revenue reserves"
    if source:
        candidate = _DETERMINERS.sub("", source.group("np").strip())
        if _names_unit(candidate, ctx):
            return candidate
    after = _AFTER.match(rest)
    if after:
        candidate = _DETERMINERS.sub("", after.group("np")).strip()
        if _names_unit(candidate, ctx) or candidate[:1].isupper():
            return candidate
    return None


_LAST_FOR = re.compile(r"\b(?:for|through|by|from|within)\s+(?!\d)(?P<x>[^,;]+)$", re.I)


def _candidates(np: str) -> list[str]:
    """The phrase itself, and what follows its last ``for``/``through``/``by``."""
    out = []
    m = _LAST_FOR.search(np)
    if m:
        out.append(m.group("x"))
    out.append(np)
    return [_DETERMINERS.sub("", _DETERMINERS.sub("", c.strip())).strip(" .:-–•·") for c in out if c.strip()]


def _names_unit(candidate: str, ctx: Optional[Context]) -> bool:
    if not candidate or len(candidate.split()) > 10 or _GENERIC_SUBJECT.match(candidate):
        return False
    return bool(_UNIT_HEAD.search(candidate)) or (ctx is not None and ctx.known_unit(candidate) is not None)


def _description(sentence: str, money: Money, list_item: bool) -> Optional[str]:
    if list_item:
        text = sentence[: money.start] + sentence[money.end:]
        text = clean(text)
        w = _tail_start(text, _ITEM_TAIL_LONGEST)
        text = text[:w] + _ITEM_TAIL.sub("", text[w:])
        return text or None
    before = sentence[: money.start]
    m = _DESCRIBED.search(before, _tail_start(before, _DESCRIBED_LONGEST, _DESCRIBED_BEFORE))
    return clean(m.group(1)) if m else None


_ITEM_TAIL = re.compile(r"\s*(?:of|will save|will achieve|totals?|at|:|–|-)?\s*$")
_ITEM_TAIL_LONGEST = 12  # "will achieve"
_DESCRIBED = re.compile(r"([a-z][\w\s-]{0,40}?)\s+(?:of|is|are|totals?|includes?)\s*$")
_DESCRIBED_LONGEST, _DESCRIBED_BEFORE = 8, 41  # "includes"; the described words before it


@register("budgets", requires=("metadata", "services"), version="2")
def extract_budgets(doc: Document, ctx: Context) -> list[Record]:
    out: list[Record] = []
    views = {id(v.block): v for v in ctx.tables}
    for block in doc.blocks:
        if block.kind == "table":
            view = views.get(id(block))
            found = _view_budgets(doc, ctx, view) if view is not None else []
            out.extend(found or _cell_budgets(doc, ctx, block))
        elif block.kind in ("paragraph", "list_item"):
            out.extend(_prose_budgets(doc, ctx, block))
    return out
