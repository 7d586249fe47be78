"""One reading of every table, shared by all extractors.

The reader hands over rows of cells and header rows; this layer says what
they *mean*, once per document, so budgets, targets, objectives, performance
and workforce never re-derive headers, years or totals each in their own way:

* each **column** gets a role (label, ref, figure, target, actual, baseline,
  comparison, status, direction, lead, date, item, workforce, text), the
  kind its cells parse as (money, percent, count, date, rag, text), its
  financial year, budget phase and measure where the header says, and one
  scale rule (column unit, else table unit, else the sentence before the
  table, else none);
* each **row** gets a role (data, section, subtotal, total, header, note)
  and the section it sits in;
* **arithmetic** is evidence: a row equal to the sum of the rows above it is
  a subtotal even without the word, stated totals are checked against their
  lines, and a ``£000`` table whose figures look like pounds is flagged.
  Mismatches lower confidence and become coded issues on the document.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator, Optional

from pipeline.document import Block, Cell, Document, Table
from pipeline.normalise.cells import CellValue, classify, strip_footnote
from pipeline.normalise.memo import short_text_cache
from pipeline.normalise.money import UNIT_PATTERN, might_name_unit, unit_scale
from pipeline.normalise.years import find_years, year_of
from pipeline.tables import vocabulary
from pipeline.tables.arithmetic import check_arithmetic

FIGURE_ROLES = ("figure", "target", "actual", "baseline", "comparison", "workforce")
_MONEY_WORDS = re.compile(r"£|\bbudget|\bcost|\bspend|\bexpenditure|\bincome|\bsavings?\b|\bpressures?\b|\bgrowth\b|"
                          r"\bnet\b|\bgross\b|\boutturn|\bestimates?\b|\bcapital\b|\brevenue\b|\bfunding\b|\bgrant\b|\bcash limit", re.I)
_NOT_MONEY = re.compile(r"\b(?:fte|ftes|head ?count|posts|%|per ?cent|percentage|number of|no\. of|days|weeks|hours)\b", re.I)
_INDICATOR_HEAD = re.compile(r"\b(?:measures?|indicators?|kpis?|pis?|description|metric)\b", re.I)
_NOTE_ROW = re.compile(r"^(?:notes?\b|source\b|\*|†|\(?[a-z]\)\s)", re.I)
_PLAIN_POUND = re.compile(r"(?:^|\s)\(?£\)?$")
_YEAR_WORD = re.compile(r"\b(?:19|20)\d{2}\b")
_AMOUNT_SIGN = re.compile(r"[%£,]")
_LETTER = re.compile(r"[A-Za-z]")
_TOTAL_LABEL = re.compile(r"^(?:total|net total)\b", re.I)
_FOUR_DIGITS = re.compile(r"\d{4}")


@dataclass
class Column:
    index: int
    label: str  # the header rows joined
    role: str = "text"
    kind: str = "text"  # money | percent | count | date | rag | text | empty
    year: Optional[str] = None
    years: list[str] = field(default_factory=list)  # every year the header names (a span column names two)
    phase: Optional[str] = None
    measure: Optional[str] = None
    scale: int = 1
    unit: Optional[str] = None  # the unit token the scale came from
    checks_failed: list[str] = field(default_factory=list)  # e.g. scale_suspect

    @property
    def money(self) -> bool:
        return self.kind == "money"


@dataclass
class Row:
    index: int  # position in ``Table.rows``
    cells: list[Cell]
    role: str = "data"  # data | section | subtotal | total | header | note
    label: str = ""
    ref: Optional[str] = None
    section: Optional[str] = None
    confidence: float = 1.0
    checks_failed: list[str] = field(default_factory=list)  # consistency checks this row failed (total_mismatch, …)

    @property
    def first(self) -> Cell:
        return self.cells[0]

    @property
    def span(self) -> tuple[int, int]:
        filled = [c for c in self.cells if c.text.strip()] or self.cells
        return min(c.start for c in filled), max(c.end for c in filled)


@dataclass
class TableView:
    """What a table means: its columns and rows with roles, and what arithmetic found."""

    block: Block
    columns: list[Column]
    rows: list[Row]  # body rows
    label_column: int = 0
    ref_column: Optional[int] = None
    caption: str = ""
    context: str = ""  # caption, headings and the sentence before the table: words that say what it is about
    year: Optional[str] = None  # a year the caption or context gives the whole table
    issues: list[tuple[str, str]] = field(default_factory=list)

    @property
    def table(self) -> Table:
        return self.block.table

    def value(self, row: Row, column: Column) -> Optional[CellValue]:
        """The parsed cell, or ``None`` if it holds no figure."""
        cells = row.cells
        if column.index >= len(cells):
            return None
        cell = cells[column.index]
        kept = cell._kept_parse  # ``parsed``'s kept answer read here: the arithmetic asks this of every figure cell
        found = kept[1] if kept is not None and kept[0] is cell.text else parsed(cell)
        return found if found.figure else None

    def amount(self, row: Row, column: Column) -> Optional[float]:
        """A money cell in pounds: the figure times the cell's own scale, else the column's."""
        parsed = self.value(row, column)
        if parsed is None or parsed.percent:
            return None
        scale = parsed.scale if parsed.scale != 1 else column.scale
        return round(parsed.value * scale, 6)

    @property
    def indicator_column(self) -> int:
        """The column naming what is measured: one headed Measure/Indicator/KPI/Description, else the label column."""
        for column in self.columns:
            if column.index != self.ref_column and _INDICATOR_HEAD.search(column.label) and column.kind in ("text", "empty"):
                return column.index
        return self.label_column

    def columns_with(self, *roles: str) -> list[Column]:
        return [c for c in self.columns if c.role in roles]

    def data_rows(self, *roles: str) -> Iterator[Row]:
        wanted = roles or ("data", "subtotal", "total")
        return (r for r in self.rows if r.role in wanted)


def parsed(cell: Cell) -> CellValue:
    """``classify(strip_footnote(cell.text))``, kept with the cell while its text stays the same: the view, the
    arithmetic and the extractors ask it of the same cells many times, and two cache look-ups cost more."""
    kept = cell._kept_parse
    if kept is not None and kept[0] is cell.text:
        return kept[1]
    value = parse_text(cell.text)
    cell._kept_parse = (cell.text, value)
    return value


@short_text_cache()
def parse_text(text: str) -> CellValue:
    """``classify(strip_footnote(text))`` in one look-up: every cell of every table is parsed once, and every
    line a one-cell-per-line table could be made of."""
    return classify(strip_footnote(text))


# ---------------------------------------------------------------- building a view


def read_tables(doc: Document) -> list[TableView]:
    """A view of every table in the document, in order.

    A money table that states no unit takes the unit the document's other
    money tables state (a plan that heads one table ``£,000`` means it for
    the next one too).
    """
    views = [read_table(doc, block) for block in doc.tables() if block.table.rows]
    units = [c.unit for v in views for c in v.columns if c.money and c.unit and not _cells_have_pounds(v, c)]
    if units:
        usual = max(set(units), key=units.count)
        for view in views:
            for column in view.columns:
                if column.money and not column.unit and not _cells_have_pounds(view, column):
                    column.unit, column.scale = usual, unit_scale(usual)
    return views


def read_table(doc: Document, block: Block) -> TableView:
    table = block.table
    if not table.header_rows:
        table.header_rows = _leading_label_rows(table)
    context = _context(doc, block)
    view = TableView(block=block, columns=[], rows=[], caption=table.caption or "", context=context)
    years = find_years(table.caption or "") or find_years(context)
    view.year = years[0].value if len(years) == 1 or (years and len({y.value for y in years}) == 1) else None
    header, units_row = (table.header if table.header_rows else []), _body_units_row(table)  # once, not per column
    view.columns = [_column(table, i, header, units_row) for i in range(_width(table))]
    view.label_column, view.ref_column = _label_and_ref(table, view.columns)
    view.rows = _rows(table, view.label_column, view.ref_column)
    _column_kinds(view)
    _scale(view, doc, block)
    _kpi_rows_are_not_totals(view)
    view.issues.extend(check_arithmetic(view))
    return view


def _leading_label_rows(table: Table) -> int:
    """Rows of years, column words and units above the first row of figures are the header.

    Readers find headers from type (bold, shading) or a separator; where they
    found none, what the cells parse as decides: the leading rows that hold no
    figures but do hold column labels (``2011-12``, ``Expenditure``, ``£'000``),
    when figures follow.
    """
    k = 0
    for row in table.rows[:4]:
        cells = [c.clean for c in row[1:] if c.clean]
        if not cells or any(classify(c).figure for c in cells):
            break
        if not all(classify(c).kind in ("year", "unit") or vocabulary.header_word_share(c) >= 0.6 for c in cells):
            break
        k += 1
    following = table.rows[k:k + 1]
    has_figures = following and any(classify(c.text).figure for c in following[0][1:])
    return k if k and has_figures else 0


def _width(table: Table) -> int:
    return max((len(r) for r in table.rows), default=0)


def _context(doc: Document, block: Block) -> str:
    """The caption (or the sentence just before the table) and the nearest heading."""
    parts = [block.table.caption or ""]
    prev = doc.previous(block.index, ("paragraph", "heading", "list_item"))
    if prev is not None and prev.clean != parts[0]:
        parts.append(prev.clean)
    heading = next(doc.headings_before(block.index), None)
    if heading is not None and heading.clean not in parts:
        parts.append(heading.clean)
    return " / ".join(p for p in parts if p)


def _column(table: Table, i: int, header: list[str], units_row: Optional[list[Cell]]) -> Column:
    label = header[i] if i < len(header) else ""
    units = _body_unit(units_row, i)
    if units and units not in label:
        label = f"{label} {units}".strip()
    years, phase, measure, unit, scale = _label_facts(label)
    column = Column(index=i, label=label, year=years[-1] if years else None, years=list(years), phase=phase,
                    measure=measure, scale=scale, unit=unit)
    role = _role(table, i, label)
    if role == "workforce" and column.unit:
        role = None  # "Staffing (FTEs)" over a £'000 column: the unit says money
    if role == "carried":
        column.year = year_of(column.year, 1)  # "2004/05 Slippage": money from 2004/05 spent in the next year
        role = None
    column.role = role or "text"
    return column


@short_text_cache()
def _label_facts(label: str) -> tuple[tuple[str, ...], Optional[str], Optional[str], Optional[str], int]:
    """What a column label says by itself: its years, phase, measure, and unit with its scale.

    Remembered: plans head table after table with the same labels, and each
    of these is a pattern search over the label.
    """
    years = tuple(y.value for y in find_years(label))
    phase = vocabulary.first("phase", _without_years(label))
    measure = vocabulary.last("measure", label)
    unit = UNIT_PATTERN.search(label)
    if unit:
        return years, phase, measure, unit.group(0), unit_scale(unit.group(0))
    if _PLAIN_POUND.search(label):
        return years, phase, measure, "£", 1  # a column headed plain "£" is in pounds whatever the table's unit
    return years, phase, measure, None, 1


def _body_units_row(table: Table) -> Optional[list[Cell]]:
    """A units row in the body (``£000 £000 …``, read as data by the reader) among its first three rows."""
    for row in table.rows[table.header_rows: table.header_rows + 3]:
        filled = [c for c in row[1:] if c.text.strip()]
        if len(filled) >= 2 and all(classify(c.text).kind == "unit" for c in filled):
            return row
    return None


def _body_unit(units_row: Optional[list[Cell]], i: int) -> Optional[str]:
    """The unit the body's units row gives column ``i``."""
    if units_row is None:
        return None
    return units_row[i].clean if i < len(units_row) and units_row[i].text.strip() else None


def _role(table: Table, i: int, label: str) -> Optional[str]:
    """The column's role from its lowest header row that names one (the row nearest the figures is the most specific)."""
    for row in reversed(table.rows[: table.header_rows]):
        if i < len(row):
            found = vocabulary.first("column", row[i].clean)
            if found:
                return found
    return vocabulary.first("column", label)


def _without_years(label: str) -> str:
    return _YEAR_WORD.sub(" ", label)


_REF_VALUE = re.compile(r"^(?:[A-Z]{1,5}[\s-]?)?\d{1,3}(?:\.\d{1,2}){0,2}[a-z]?\.?$|^[A-Z]{1,3}\d{0,2}[a-z]?$")


def _label_and_ref(table: Table, columns: list[Column]) -> tuple[int, Optional[int]]:
    """The label column is the first mostly-words column; a column of short codes before it holds refs."""
    body = table.rows[table.header_rows:]
    ref = None
    for i, column in enumerate(columns):
        cells = [c for c in (r[i].clean for r in body if i < len(r)) if c]
        if not cells:
            continue
        refs = sum(1 for c in cells if _REF_VALUE.match(c))
        words = sum(1 for c in cells if classify(c).kind == "text" and not _REF_VALUE.match(c))
        if column.role == "ref" or (refs >= 0.6 * len(cells) and ref is None and i + 1 < len(columns)):
            ref = i
            columns[i].role = "ref"
            continue
        if words >= 0.5 * len(cells) or column.role in ("item",):
            columns[i].role = "label" if column.role in ("text", "item") else column.role
            if ref is None and i + 1 < len(columns):
                ref = _ref_after(body, columns, i + 1)
            return i, ref
    return 0, ref


def _ref_after(body: list[list[Cell]], columns: list[Column], i: int) -> Optional[int]:
    """A column of short codes right after the label (``Indicator | BVPI No. | …``) holds the refs."""
    cells = [c for c in (r[i].clean for r in body if i < len(r)) if c]
    if len(cells) >= 2 and _looks_like_refs(cells):
        columns[i].role = "ref"
        return i
    return None


def _looks_like_refs(cells: list[str]) -> bool:
    """Codes (``76a``, ``NI 157``, ``1.2``) or a count 1, 2, 3 …: not a column of amounts."""
    if sum(1 for c in cells if _REF_VALUE.match(c) and not _AMOUNT_SIGN.search(c)) < 0.8 * len(cells):
        return False
    if any(_LETTER.search(c) for c in cells):
        return True
    numbers = [c.rstrip(".") for c in cells]
    return all(n.isdigit() for n in numbers) and [int(n) for n in numbers] == list(range(int(numbers[0]), int(numbers[0]) + len(numbers)))


_LEADING_REF = re.compile(r"^(?P<ref>\d{1,3}[a-z]?)\.?\s+(?=\S)|^(?P<code>[A-Z]{0,3}\d{3,6})(?=[A-Z][a-z])")


_GLUED_WORDS = re.compile(r"(?<=[a-z]{3})(?=[A-Z][a-z]{2})")


@short_text_cache()
def split_label(text: str) -> tuple[Optional[str], str]:
    """``14 Denny Beck Bridge`` → (``14``, ``Denny Beck Bridge``); ``00101Salaries`` → (``00101``, ``Salaries``).

    Words a PDF ran together are parted again: ``TotalExpenditure`` → ``Total Expenditure``.
    Remembered: every body row's label is split, and plans repeat their row labels table after table.
    """
    text = _GLUED_WORDS.sub(" ", text)
    m = _LEADING_REF.match(text)
    if not m:
        return None, text
    return m.group("ref") or m.group("code"), text[m.end():].strip()


def _rows(table: Table, label_col: int, ref_col: Optional[int]) -> list[Row]:
    header = [c.clean.lower() for c in table.rows[0]] if table.header_rows else None
    rows: list[Row] = []
    section: Optional[str] = None
    body = table.rows[table.header_rows:]
    for k, cells in enumerate(body):
        index = table.header_rows + k
        label_cell = cells[label_col] if label_col < len(cells) else cells[0]
        ref, label = split_label(strip_footnote(label_cell.clean)) if ref_col is None else (None, strip_footnote(label_cell.clean))
        row = Row(index=index, cells=cells, label=label, ref=ref)
        if ref_col is not None and ref_col < len(cells):
            row.ref = cells[ref_col].clean.rstrip(".") or None
        others = [c for i, c in enumerate(cells) if i != label_col and i != ref_col and c.text.strip()]
        if header and len(cells) == len(header) and all(c.clean.lower() == h for c, h in zip(cells, header)):
            row.role = "header"
        elif len(others) >= 2 and all(classify(c.text).kind == "unit" for c in others):
            row.role = "header"  # a row of units (£000 £000 …) the reader left in the body: it labels the columns
        elif not others and label:
            following = body[k + 1:k + 2]
            row.role = "section" if following else "note"
            if row.role == "section":
                section = label
        elif _NOTE_ROW.match(label_cell.text.strip()) and not any(classify(c.text).figure for c in others):
            row.role = "note"
        elif vocabulary.first("row", label) == "total" or _TOTAL_LABEL.match(label):
            row.role = "total"
        row.section = section if row.role != "section" else None
        rows.append(row)
    return rows


def _column_kinds(view: TableView) -> None:
    """What each column's body cells parse as; figure columns get a role from their header words."""
    figure_rows = [r.cells for r in view.data_rows("data", "total", "subtotal")]  # once, not per column
    for column in view.columns:
        if column.index in (view.label_column, view.ref_column):
            continue
        i = column.index
        kinds = [parsed(cells[i]) for cells in figure_rows if i < len(cells) and cells[i].text.strip()]
        if not kinds:
            column.kind = "empty"
            continue
        figures = [k for k in kinds if k.figure]
        if len(figures) >= 0.5 * len(kinds):
            percent = sum(1 for k in figures if k.percent)
            column.kind = "percent" if percent >= 0.5 * len(figures) else "count"
            if column.role in ("text", "label", "item", "status", "direction"):
                column.role = "workforce" if not column.unit and vocabulary.first("column", column.label) == "workforce" else "figure"
            if column.role == "rag":
                column.kind = "count"  # Green / Amber / Red columns count indicators
        elif sum(1 for k in kinds if k.kind == "rag") >= 0.5 * len(kinds):
            column.kind = "rag"
        elif _FOUR_DIGITS.search(" ".join(r.cells[column.index].text for r in view.rows if column.index < len(r.cells))) and column.role == "date":
            column.kind = "date"


def _scale(view: TableView, doc: Document, block: Block) -> None:
    """Money columns and their scale: the column's unit, else the table's, else the sentence before it."""
    table_unit = view.table.unit or _unit_in(view.context)
    context_money = None  # whether the table or its context speaks of money: asked once, of the first figure column
    for column in view.columns:
        if column.kind != "count" or column.role not in ("figure", "actual", "baseline"):
            continue
        cells_money = _cells_have_pounds(view, column)
        if column.role != "figure" and not (column.unit or table_unit or cells_money):
            continue  # an Actual or Baseline column is money only when a unit or £ says so; else it is a KPI's value
        header_money = bool(_MONEY_WORDS.search(column.label)) and not _NOT_MONEY.search(column.label)
        if context_money is None:
            context_money = bool(table_unit or _MONEY_WORDS.search(view.context))
        if column.unit or cells_money or header_money or (context_money and not _NOT_MONEY.search(column.label)):
            column.kind = "money"
            if not column.unit and table_unit and not cells_money:
                column.unit, column.scale = table_unit, unit_scale(table_unit)


def _kpi_rows_are_not_totals(view: TableView) -> None:
    """``Total attendances at leisure centres`` in a KPI table names an indicator, not a sum of the rows above."""
    if any(c.money for c in view.columns):
        return
    for row in view.rows:
        if row.role == "total" and len(row.label.split()) > 3:
            row.role = "data"


def _unit_in(text: str) -> Optional[str]:
    m = UNIT_PATTERN.search(text) if text and might_name_unit(text) else None  # the substrings first: contexts are long
    return m.group(0) if m else None


def _cells_have_pounds(view: TableView, column: Column) -> bool:
    return any("£" in r.cells[column.index].text for r in view.rows if column.index < len(r.cells))
