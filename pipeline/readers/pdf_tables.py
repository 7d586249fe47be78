"""Tables on a PDF page: ruled grids, rule-only tables and their cells.

Ruled tables come from pdfplumber's own finder (``lines`` strategy).  Tables
drawn with horizontal rules only defeat it (no vertical edges, and the
``text`` strategy cuts cells mid-word on prose-heavy pages), so for those the
column edges are rebuilt from where the rule segments end — renderers draw a
rule per cell — or, when a rule runs unbroken across the table, from the
vertical gaps between words.  ``tests/test_pdf_reader.py`` shows both failures.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median
from typing import Any, Collection, Optional, Sequence

from pipeline.readers.pdf_layout import (BBox, Line, Word, append_wrapped, attach_bullets, fits_on, group_lines,
                                         starts_item, starts_with_marker)
from pipeline.readers.pdf_settings import LAYOUT


@dataclass
class CellBox:
    bbox: BBox
    text: str
    words: list[Word] = field(default_factory=list)
    span_of: Optional["CellBox"] = None  # a covered cell of a row-spanning cell repeats it


@dataclass
class PageTable:
    bbox: BBox
    rows: list[list[CellBox]]
    header_rows: int = -1  # -1: let the shared header test decide
    columns: list[float] = field(default_factory=list)  # x edges, for stitching across pages

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


def find_tables(page: Any, words: Sequence[Word], marks: Sequence[BBox] = (),
                rules: Optional[tuple[list[BBox], list[BBox]]] = None) -> list[PageTable]:
    """Every table on the page, top to bottom.

    ``marks`` are drawn bullets (list items in cells); ``rules`` are ruling lines
    found some other way (in a scanned page's image) as (horizontal, vertical).
    """
    shaded = shaded_boxes(page) if rules is None else []
    found = page.find_tables() if rules is None else _explicit_tables(page, *rules)
    tables = [t for t in (_from_pdfplumber(t, words, marks, shaded) for t in found) if t is not None]
    taken = [t.bbox for t in tables]
    horizontal = horizontal_rules(page) if rules is None else rules[0]
    for ys, xs in rule_grids(horizontal, taken, words):
        table = grid_table(ys, xs, words, marks, split_body=len(ys) <= LAYOUT.booktabs_max_rules + 1)
        if table is not None:
            tables.append(table)
    free = [w for w in words if not any(w.inside(t.bbox) for t in tables)]
    loose = [r for r in horizontal if not any(_inside(r, t.bbox) for t in tables)]
    tables += find_unruled(free, loose, marks, float(page.width))
    return sorted(tables, key=lambda t: t.bbox[1])


def _explicit_tables(page: Any, horizontal: list[BBox], vertical: list[BBox]) -> list:
    """pdfplumber's table finder run on ruling lines we supply instead of the page's own."""
    if len(horizontal) < 2 or len(vertical) < 2:
        return []

    def rect(b: BBox) -> dict:
        height = float(page.height)
        return {"object_type": "rect", "x0": b[0], "x1": b[2], "top": b[1], "bottom": b[3],
                "y0": height - b[3], "y1": height - b[1], "width": b[2] - b[0], "height": b[3] - b[1],
                "doctop": b[1]}

    settings = {"vertical_strategy": "explicit", "horizontal_strategy": "explicit",
                "explicit_vertical_lines": [rect(b) for b in vertical],
                "explicit_horizontal_lines": [rect(b) for b in horizontal],
                "snap_tolerance": 4, "join_tolerance": 6, "intersection_tolerance": 6}
    return page.find_tables(settings)


def _from_pdfplumber(found: Any, words: Sequence[Word], marks: Sequence[BBox], shaded: Sequence[BBox]) -> Optional[PageTable]:
    rows: list[list[CellBox]] = []
    for row in found.rows:
        cells: list[CellBox] = []
        for col, bbox in enumerate(row.cells):
            if bbox is None:
                cells.append(_covered(rows, col, row.bbox))
            else:
                cells.append(cell_box(bbox, words, marks))
        rows.append(cells)
    if len(rows) < 2 or max(len(r) for r in rows) < 2:
        return None  # a boxed note or a frame, not a table
    xs = sorted({round(c.bbox[0], 1) for r in rows for c in r if c.span_of is None})
    return PageTable(found.bbox, rows, header_rows(rows, shaded), xs)


def _covered(rows: list[list[CellBox]], col: int, row_bbox: BBox) -> CellBox:
    """A cell hidden under a merged neighbour: repeat the cell above when it spans down into this row."""
    middle = (row_bbox[1] + row_bbox[3]) / 2
    for above in reversed(rows):
        if col < len(above):
            cell = above[col].span_of or above[col]
            if cell.bbox[1] < middle < cell.bbox[3] + 1:
                return CellBox(cell.bbox, cell.text, [], span_of=cell)
            break
    return CellBox((0, 0, 0, 0), "", [])


def cell_box(bbox: BBox, words: Sequence[Word], marks: Sequence[BBox] = ()) -> CellBox:
    inside = [w for w in words if w.inside(bbox)]
    return CellBox(bbox, cell_text(inside, bbox, marks), inside)


def cell_text(words: Sequence[Word], bbox: BBox, marks: Sequence[BBox] = (), wrap: Optional[float] = None) -> str:
    """A multi-line cell as one cell: wrapped lines joined, hard breaks and list items kept as lines.

    ``wrap``: the space between the table's wrapped lines, if known; lines set further apart than that
    are separate paragraphs of the cell (a hard break), however little room the line above left."""
    lines = group_lines(words)
    if not lines:
        return ""
    attach_bullets(lines, [m for m in marks if _inside(m, bbox, slack=1)])
    pad = max(2.0, min(line.x0 for line in lines) - bbox[0])
    right = bbox[2] - pad

    def shown(line: Line) -> str:
        text = line.text.replace("\t", " ")
        return f"{line.marker} {text}" if line.marker and not starts_with_marker(text) else text

    out = shown(lines[0])
    for prev, line in zip(lines, lines[1:]):
        text = shown(line)
        apart = wrap is not None and line.top - prev.bottom > wrap + LAYOUT.row_space_em * line.size
        if starts_item(line) or fits_on(prev, line, right) or apart:
            out = out + "\n" + text
        elif _broken_word(out, text, prev, right):
            out = out + text  # "24,33" + "3", "Expe" + "nditure": a narrow cell broke the word, not the text
        else:
            out = append_wrapped(out, text, None)  # the hyphens settled when the document's words are known
    return out


def _broken_word(out: str, text: str, prev: Line, right: float) -> bool:
    """A word a narrow cell broke mid-way: the line before ran to the cell's edge and the next goes on inside the word.

    Renderers break a word only when it is wider than the line, so the line before holds that one word;
    a word that merely filled a line ("Capital" over "charges") is followed by a space."""
    if not out or not text or len(prev.words) != 1 or prev.x1 < right - LAYOUT.broken_word_edge * prev.size:
        return False
    digits = (out[-1].isdigit() or out[-1] == ",") and (text[0].isdigit() or text[0] in "-/–")
    return digits or (out[-1].isalpha() and text[0].islower())


def header_rows(rows: list[list[CellBox]], shaded: Sequence[BBox] = ()) -> int:
    """Leading rows set apart by type (bold) or by a shaded background are header rows.

    A born-digital table with neither has no header row: the header test of the
    text reader (short first-row labels) is only a guess for text without type.
    A table bold or shaded throughout says nothing, and gets that guess (-1).
    """

    def bold(row: list[CellBox]) -> bool:
        """Its words are bold: those with letters, or, in a row of years or units only, all of them."""
        words = [w for c in row if c.span_of is None for w in c.words]
        lettered = [w for w in words if any(ch.isalpha() for ch in w.text)]
        return bool(words) and all(w.bold for w in lettered or words)

    def filled(row: list[CellBox]) -> bool:
        cells = [c for c in row if c.span_of is None and c.bbox[2] > c.bbox[0]]
        return bool(cells) and sum(_covered_by(c.bbox, shaded) for c in cells) * 2 > len(cells)

    for test in (bold, filled):
        count = 0
        while count < len(rows) - 1 and test(rows[count]):
            count += 1
        if count and not test(rows[-1]):
            return count
        if count:
            return -1
    return 0


def _covered_by(box: BBox, fills: Sequence[BBox]) -> bool:
    return any(f[0] <= box[0] + 2 and f[2] >= box[2] - 2 and f[1] <= box[1] + 2 and f[3] >= box[3] - 2 for f in fills)


def shaded_boxes(page: Any) -> list[BBox]:
    """Filled, non-white rectangles (header and RAG cell backgrounds)."""
    out = []
    for r in page.rects:
        colour = r.get("non_stroking_color")
        if not r.get("fill") or colour is None or r["bottom"] - r["top"] < 4:
            continue
        values = list(colour) if isinstance(colour, (list, tuple)) else [colour]
        if values and all(isinstance(v, (int, float)) for v in values) and min(values) < 0.95 and len(values) in (1, 3):
            out.append((r["x0"], r["top"], r["x1"], r["bottom"]))
    return out


# ---------------------------------------------------------------- rule-only tables

def horizontal_rules(page: Any) -> list[BBox]:
    """Thin horizontal strokes: rects a couple of points high and drawn lines."""
    out = []
    for obj in list(page.rects) + list(page.lines):
        width, height = obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]
        if width > 15 and height <= 2.5:
            out.append((obj["x0"], obj["top"], obj["x1"], obj["bottom"]))
    return out


def rule_grids(horizontal: Sequence[BBox], taken: Sequence[BBox], words: Sequence[Word]) -> list[tuple[list[float], list[float]]]:
    """(row edges, column edges) for each stack of horizontal rules outside the ruled tables."""
    rules = [r for r in horizontal if not any(_inside(r, t) for t in taken)]
    rows: list[list[BBox]] = []  # rule segments sharing a y
    for rule in sorted(rules, key=lambda r: (round(r[1]), r[0])):
        if rows and abs(rows[-1][0][1] - rule[1]) <= 1.5:
            rows[-1].append(rule)
        else:
            rows.append([rule])
    stacks: list[list[list[BBox]]] = []
    for row in rows:
        last = stacks[-1][-1] if stacks else None
        if last and _same_extent(last, row) and _compatible(last, row) and not _separates(words, last, row, stacks[-1]) \
                and not _blank_between(words, last, row):
            stacks[-1].append(row)
        else:
            stacks.append([row])
    grids = []
    for stack in stacks:
        x0, x1 = min(r[0] for row in stack for r in row), max(r[2] for row in stack for r in row)
        xs = _segment_edges(stack, x0, x1)
        if len(xs) <= 2 and len(stack) >= 3:
            xs = text_columns(words, x0, _y(stack[0]), x1, _y(stack[-1]))
        if len(xs) < 3 or len(stack) < 2:
            continue  # a lone rule, or rules with no columns between them, are decoration
        ys = [_y(row) for row in stack]
        top = first_row_top(words, ys, xs)
        if top is not None:
            ys.insert(0, top)
        grids.append((ys, xs))
    return grids


def _y(row: list[BBox]) -> float:
    return median([r[1] for r in row] + [r[3] for r in row])


def _same_extent(a: list[BBox], b: list[BBox]) -> bool:
    return abs(min(r[0] for r in a) - min(r[0] for r in b)) < 6 and abs(max(r[2] for r in a) - max(r[2] for r in b)) < 6


def _inner_edges(row: list[BBox]) -> set[int]:
    x0, x1 = min(r[0] for r in row), max(r[2] for r in row)
    return {round(x) for r in row for x in (r[0], r[2]) if abs(x - x0) > 3 and abs(x - x1) > 3}


def _compatible(a: list[BBox], b: list[BBox]) -> bool:
    """Rules of one table split at the same column edges (a merged cell's rule at fewer of them)."""
    ea, eb = _inner_edges(a), _inner_edges(b)

    def within(small: set[int], big: set[int]) -> bool:
        return all(any(abs(x - y) <= 3 for y in big) for x in small)

    return within(ea, eb) or within(eb, ea)


def _inside(box: BBox, outer: BBox, slack: float = 2) -> bool:
    return box[0] >= outer[0] - slack and box[2] <= outer[2] + slack and box[1] >= outer[1] - slack and box[3] <= outer[3] + slack


def _separates(words: Sequence[Word], above: list[BBox], below: list[BBox], stack: list[list[BBox]]) -> bool:
    """Between two rules sits text in another size than the table's (a heading, or prose), so they are two tables."""
    x0, x1 = min(r[0] for r in above), max(r[2] for r in above)
    top, bottom = _y(above), _y(below)
    between = [w for w in words if top < w.middle < bottom and x0 - 2 <= w.x0 <= x1]
    if not between or len(stack) < 2:
        return False
    table_words = [w for w in words if _y(stack[0]) < w.middle < top and x0 - 2 <= w.x0 <= x1]
    if not table_words:
        return False
    return abs(median(w.size for w in between) - median(w.size for w in table_words)) >= 0.75


def _blank_between(words: Sequence[Word], above: list[BBox], below: list[BBox]) -> bool:
    """No text between two rules: one table's foot rule and the next table's top rule (two tables set one under
    the other, as wide as each other), not two rules of one table, which always have a row between them."""
    x0, x1 = min(r[0] for r in above), max(r[2] for r in above)
    top, bottom = _y(above), _y(below)
    return not any(top < w.middle < bottom and x0 - 2 <= w.x0 <= x1 for w in words)


def first_row_top(words: Sequence[Word], ys: list[float], xs: list[float]) -> Optional[float]:
    """The top of a first row drawn without a rule above it (tables ruled only below each row).

    Walks up from the first rule through lines that sit inside the columns, in
    the table's type size, with table-like spacing; stops at a caption, heading
    or prose line (one a word crosses a column edge on, or only a word space
    parts at one).
    """
    x0, x1, rule_y = xs[0], xs[-1], ys[0]
    above = [w for w in words if w.bottom <= rule_y + 1 and w.x0 >= x0 - 2 and w.x1 <= x1 + 2]
    below = [w for w in words if rule_y <= w.top and w.bottom <= ys[-1] and w.x0 >= x0 - 2 and w.x1 <= x1 + 2]
    if not above or not below:
        return None
    size = median(w.size for w in below)
    lines = sorted(group_lines(above), key=lambda l: -l.bottom)
    edge, top = rule_y, None
    taken: list[Line] = []
    for line in lines:
        crosses = any(w.x0 < x < w.x1 for w in line.words for x in xs[1:-1]) or _runs_across(line, xs[1:-1], size)
        outside = any(w.x0 < x0 - 2 or w.x1 > x1 + 2 for w in line.words)
        close = edge - line.bottom <= 1.2 * size
        if (crosses or outside) and close and _paragraph_end(taken, line, xs[1], size):
            return None  # the lines taken end the paragraph above a table's top rule
        if crosses or outside or abs(line.size - size) >= 0.75 or not close:
            break
        taken.append(line)
        edge = top = line.top
    return top - 1 if top is not None else None


def _paragraph_end(taken: list[Line], prose: Line, first_edge: float, size: float) -> bool:
    """Lines in the first column only, set as close under a prose line as its paragraph's lines: that
    paragraph's last lines, not a row (a header row fills more than its first cell)."""
    return bool(taken) and all(l.x1 <= first_edge for l in taken) \
        and taken[-1].top - prose.bottom < LAYOUT.paragraph_gap_em * size


def _runs_across(line: Line, edges: Sequence[float], size: float) -> bool:
    """Only a word space parts the line's words either side of a column edge: a line of prose that happens
    to break between words there, not a row (cells are set a column gap apart)."""
    gap = LAYOUT.unruled_gap_em * size
    return any(a.x1 <= x <= b.x0 and b.x0 - a.x1 < gap for a, b in zip(line.words, line.words[1:]) for x in edges)


def _segment_edges(stack: list[list[BBox]], x0: float, x1: float) -> list[float]:
    """Column edges where rule segments meet (a renderer draws each cell's border separately)."""
    edges = sorted({round(x0), round(x1)} | {x for row in stack for x in _inner_edges(row)})
    merged: list[float] = []
    for x in edges:
        if not merged or x - merged[-1] > 3:
            merged.append(x)
    return merged


def text_columns(words: Sequence[Word], x0: float, top: float, x1: float, bottom: float) -> list[float]:
    """Column edges from the x-ranges no word covers (a projection profile of the rows)."""
    inside = [w for w in words if x0 - 2 <= w.x0 and w.x1 <= x1 + 2 and top < w.middle < bottom]
    if not inside:
        return [x0, x1]
    gap = LAYOUT.unruled_gap_em * median(w.size for w in inside)  # as narrow as a rule-free table's gutters
    spans = sorted((w.x0, w.x1) for w in inside)
    edges = [x0]
    reach = spans[0][1]
    for a, b in spans[1:]:
        if a - reach > gap:
            edges.append((a + reach) / 2)
        reach = max(reach, b)
    return edges + [x1]


def grid_table(ys: list[float], xs: list[float], words: Sequence[Word], marks: Sequence[BBox] = (),
               split_body: bool = False) -> Optional[PageTable]:
    """One row per band between rules; with ``split_body`` (rules at the head and foot only, booktabs style)
    the bands below the header rule are cut into rows by their text, as a rule-free table's are."""
    columns = list(zip(xs, xs[1:]))
    if split_body:
        inside = [w for w in words if xs[0] - 2 <= w.x0 and w.x1 <= xs[-1] + 2 and ys[0] < w.middle < ys[-1]]
        lines = group_lines(inside)
        table = table_from_lines(lines, columns, ys[1:-1], marks) if len(lines) >= 2 else None
        wrap = wrap_gap(lines, columns) if len(ys) == 3 else None
        lower_case = sentence_case_columns(lines, columns, wrap, median(w.size for w in inside)) if table else set()
        if table is not None and _rows_are_records(table, wrap, lower_case):
            table.bbox = (xs[0], ys[0], xs[-1], ys[-1])
            table.columns = list(xs[:-1])
            return table
    rows = []
    for top, bottom in zip(ys, ys[1:]):
        row = [cell_box((left, top, right, bottom), words, marks) for left, right in columns]
        rows.append(row)
    rows = [r for r in rows if any(c.text for c in r)]
    if len(rows) < 2:
        return None
    head = header_rows(rows)
    if split_body and len(ys) == 3 and head <= 0 and _worded(rows[0]):
        head = 1  # booktabs: the band between the top rule and the next is the header, bold or not
    return PageTable((xs[0], ys[0], xs[-1], ys[-1]), rows, head, list(xs[:-1]))


def _worded(row: list[CellBox]) -> bool:
    """Every filled cell of the row is words, none a figure or a list (a header, not a record)."""
    return all(not numeric(c.text) and not starts_with_marker(c.text) and "\n" not in c.text for c in row if c.text)


def _rows_are_records(table: PageTable, wrap: Optional[float], lower_case: Collection[int] = ()) -> bool:
    """Rows cut from text should each fill two cells or more: cut lines that fill one are the hard
    breaks inside a cell (a ruled row's list), so the rules, not the lines, were the rows.  Unless the
    first column labels several of them beside other cells and the one-cell rows are set apart from the
    row above by more than the table's wrapped lines (``wrap``, given for a body with no rule inside it):
    a record has one label, so a band with several is several records, its one-cell rows records whose
    other cells are blank (a grouped table, its group label set once).  A cell's list items are set as
    close as its wrapped lines; a rule between records says the producer rules its rows.  In a table that
    sets its rows as close as its wrapped lines, a one-cell row opening with a capital in a column whose
    wrapped lines open in lower case (``lower_case``, ``sentence_case_columns``) is a record's too."""
    body = table.rows[max(table.header_rows, 0):]
    sparse = [i for i, row in enumerate(body) if sum(1 for c in row if c.text) < 2]
    if len(sparse) * 3 <= len(body):
        return True
    if wrap is None or _labels(body) < 2:
        return False
    size = median(w.size for row in body for c in row for w in c.words)
    return all(i and (_top(body[i]) - _bottom(body[i - 1]) > wrap + LAYOUT.row_space_em * size
                      or _capital_row(body[i], lower_case)) for i in sparse)


def _capital_row(row: list[CellBox], lower_case: Collection[int]) -> bool:
    """A row of one cell, the first, in a sentence-case column, opening with a capital."""
    filled = [c for c, cell in enumerate(row) if cell.text]
    return filled == [0] and 0 in lower_case and row[0].text[:1].isupper()


def _labels(rows: list[list[CellBox]]) -> int:
    """Rows led by a first-column label (text that is not a list item) with another cell filled beside it."""
    return sum(1 for row in rows if row and row[0].text and not starts_with_marker(row[0].text)
               and any(c.text for c in row[1:]))


def _top(row: list[CellBox]) -> float:
    return min(w.top for c in row for w in c.words)


def _bottom(row: list[CellBox]) -> float:
    return max(w.bottom for c in row for w in c.words)


def same_columns(a: PageTable, b: PageTable) -> bool:
    """Two tables share their column layout (for stitching a table continued on the next page)."""
    if a.width != b.width:
        return False
    if not a.columns or not b.columns or len(a.columns) != len(b.columns):
        return True
    return all(abs(x - y) < 6 for x, y in zip(a.columns, b.columns))


from pipeline.readers.pdf_unruled import find_unruled, numeric, sentence_case_columns, table_from_lines, wrap_gap  # noqa: E402  (it builds on the cell helpers above)
