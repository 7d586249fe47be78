"""Tables drawn with whitespace only, and the bodies of tables ruled only at the head and foot.

Most budget books and performance reports set their tables with no rules, or
with booktabs-style rules above and below the header and at the foot.  Here a
table is a stretch of lines in one type size, close together, whose words
leave the same vertical bands of whitespace empty line after line: those
bands are the gaps between columns.  Rows come from the lines: a line that
continues a cell the line above filled to its column's edge (a wrapped label)
belongs to the same row; any other line starts a row.  Header rows come from a
rule under them, from weight, or from what the cells parse as (words over
figures).

pdfplumber's own ``text`` strategy was measured against this on the producer
renditions and loses (``tests/test_pdf_unruled.py`` shows it): it needs
``min_words_vertical`` words aligned on one edge, so right-aligned figure
columns under a wider header and wrapped labels cut cells mid-word, and its
rows come one per line, so a wrapped label becomes two rows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median
from typing import Optional, Sequence

from pipeline.readers.pdf_layout import (LIST_MARK, BBox, Line, Word, find_gutter, fits_on, group_lines, split_segments,
                                         starts_item)
from pipeline.readers.pdf_settings import LAYOUT, LayoutSettings
from pipeline.readers.pdf_tables import CellBox, PageTable, cell_text, header_rows

NUMERIC = re.compile(r"^[(\-–−+]?\s?[£$€]?\s?\d[\d,]*(?:\.\d+)?\s?(?:%|[kmb]n?|p)?\)?$|^[-–—]$|^n/?a$|^nil$", re.I)


_DAY = re.compile(r"^\d{1,2}(?:st|nd|rd|th)?$", re.I)
_MONTH = re.compile(r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s|$)", re.I)
_LOWER_START = re.compile(r"^\(?[a-z]")
_CAPITAL_START = re.compile(r"^[A-Z]")
_TICK = re.compile(r"^[✓✔✗✘×]$")  # a cell that is a tick or a cross, marking its row


def numeric(text: str) -> bool:
    """A cell that is a figure (money, count, percentage, a dash for nil)."""
    return bool(NUMERIC.match(text.strip().replace(" ", ""))) if text.strip() else False


# ---------------------------------------------------------------- columns from whitespace

def gaps(words: Sequence[Word], min_width: float) -> list[tuple[float, float]]:
    """The x-ranges between the words' extremes that no word covers, at least ``min_width`` wide."""
    spans = sorted((w.x0, w.x1) for w in words)
    if not spans:
        return []
    out, reach = [], spans[0][1]
    for a, b in spans[1:]:
        if a - reach >= min_width:
            out.append((reach, a))
        reach = max(reach, b)
    return out


def _closes(line: Line, gap: tuple[float, float], min_width: float) -> bool:
    """The line's words leave no whitespace ``min_width`` wide inside the gap (it runs across the column break)."""
    inside = [w for w in line.words if w.x0 < gap[1] and w.x1 > gap[0]]
    return bool(inside) and not gaps([Word("", gap[0] - 1, gap[0], 0, 0), *inside, Word("", gap[1], gap[1] + 1, 0, 0)], min_width)


def _uses(line: Line, gap: tuple[float, float]) -> bool:
    """The line has words on both sides of the gap (a row that needs the column break)."""
    return any(w.x1 <= gap[0] for w in line.words) and any(w.x0 >= gap[1] for w in line.words)


@dataclass
class Stretch:
    """Consecutive lines that may form a table, with the column gaps they share."""

    lines: list[Line]
    gaps: list[tuple[float, float]]

    @property
    def size(self) -> float:
        return median(w.size for l in self.lines for w in l.words)


def grow(lines: Sequence[Line], start: int, s: LayoutSettings) -> Optional[Stretch]:
    """The longest run of lines from ``start`` that keeps at least one column gap open."""
    first = lines[start]
    size = first.size
    min_gap = s.unruled_gap_em * size
    open_gaps = gaps(first.words, min_gap)
    if not open_gaps:
        return None
    taken = [first]
    for line in lines[start + 1:]:
        prev = taken[-1]
        if line.top - prev.bottom > s.unruled_row_gap_em * size or abs(line.size - size) >= s.unruled_size_step:
            break
        used = [g for g in open_gaps if sum(_uses(l, g) for l in taken) >= 2]
        if any(_closes(line, g, min_gap) for g in used):
            break  # a line across a column break two rows needed: prose or a caption after the table
        together = gaps([w for l in taken + [line] for w in l.words], min_gap)
        if not together:
            break
        taken.append(line)
        open_gaps = together
    while taken and not any(_uses(taken[0], g) for g in open_gaps):
        taken.pop(0)  # a heading or caption line above the first row is not part of the table
    return Stretch(taken, open_gaps) if taken else None


def _columns(stretch: Stretch) -> list[tuple[float, float]]:
    """Column x-ranges: from the left edge to the first gap, between gaps, to the right edge."""
    words = [w for l in stretch.lines for w in l.words]
    x0, x1 = min(w.x0 for w in words), max(w.x1 for w in words)
    edges = [x0] + [x for g in stretch.gaps for x in g] + [x1]
    return [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2)]


def _prose(stretch: Stretch, s: LayoutSettings, gutter: Optional[float] = None) -> bool:
    """Runs of many words either side of the page's prose gutter, or mostly long runs of words, are prose
    (unless their paragraphs start side by side, row after row: a table of long text); a column of bullets
    or numbers beside text is a list."""
    cols = _columns(stretch)
    markers = [ws for ws in ([w for w in l.words if w.x1 <= cols[0][1] + 1] for l in stretch.lines) if ws]
    if len(cols) == 2 and bool(markers) and all(len(ws) == 1 and LIST_MARK.match(ws[0].text) for ws in markers):
        return True
    return _flowing(stretch, s, gutter) and not _aligned_rows(stretch, s)


def _flowing(stretch: Stretch, s: LayoutSettings, gutter: Optional[float] = None) -> bool:
    """Runs of many words either side of the page's prose gutter, or mostly long runs of words."""
    if gutter is not None and any(a <= gutter <= b for a, b in stretch.gaps):
        sides = [[sum(1 for w in l.words if (w.x1 <= gutter) == left) for l in stretch.lines] for left in (True, False)]
        if all(sum(n for n in side if n) / max(1, sum(1 for n in side if n)) >= s.unruled_prose_side_words for side in sides):
            return True
    split = [split_segments(l) for l in stretch.lines]
    return max(len(segs) for segs in split) <= 2 and all(_wordy(side, s) for side in _sides(split, stretch.gaps))
    # (three runs of words on one line are a table's cells, however long)


def _aligned_rows(stretch: Stretch, s: LayoutSettings) -> bool:
    """Paragraphs start on the same line left and right of the stretch's first gap, again and again: a table's
    rows, every cell starting on its row's first line.  (Of the stretch's gaps, the one most lines part their text at.)  Two prose columns share a baseline grid at most, so
    their paragraphs start together only now and then."""
    if not stretch.gaps:
        return False
    gap = max(stretch.gaps, key=lambda g: sum(_parts_text(l, g) for l in stretch.lines))
    middle = sum(gap) / 2
    sides = [_paragraph_starts([Line([w for w in l.words if (w.x1 <= middle) == left]) if any((w.x1 <= middle) == left
                                for w in l.words) else None for l in stretch.lines], s) for left in (True, False)]
    joint = len(sides[0] & sides[1])
    return joint >= s.aligned_min_rows and joint >= s.aligned_share * min(len(sides[0]), len(sides[1]))


def _parts_text(line: Line, gap: tuple[float, float]) -> bool:
    """The line has words both sides of the gap and a word, not a list marker, before it (a bullet's gap parts
    the bullet from its item, not one cell from the next)."""
    before = [w for w in line.words if w.x1 <= gap[0]]
    return _uses(line, gap) and not LIST_MARK.match(before[-1].text)


def _paragraph_starts(side: list[Optional[Line]], s: LayoutSettings) -> set[int]:
    """Indexes of the lines (after the first) where a paragraph starts on one side: set apart by more than the
    side's wrapped-line spacing, a list item, or after a line that ended by choice (its next word would have fitted)."""
    present = [(i, l) for i, l in enumerate(side) if l is not None]
    if len(present) < 2:
        return set()
    gaps = [round(2 * (b.top - a.bottom)) / 2 for (_, a), (_, b) in zip(present, present[1:])]
    wrap = _tightest_recurring(gaps)
    edge = max(l.x1 for _, l in present)
    size = median(l.size for _, l in present)
    starts = set()
    for (_, prev), (i, line), gap in zip(present, present[1:], gaps):
        spaced = wrap is not None and gap > wrap + s.row_space_em * size
        if i and (spaced or starts_item(line) or fits_on(prev, line, edge)):
            starts.add(i)
    return starts


def _sides(split: list[list[Line]], column_gaps: Sequence[tuple[float, float]]) -> list[list[Line]]:
    """Segments left and right of the stretch's first column gap."""
    middle = (column_gaps[0][0] + column_gaps[0][1]) / 2 if column_gaps else 0.0
    segments = [seg for segs in split for seg in segs]
    return [[seg for seg in segments if (seg.x1 <= middle) == left] for left in (True, False)]


def _wordy(segments: list[Line], s: LayoutSettings) -> bool:
    """At least half the segments are long runs of words.  Both sides of two-column prose are; a table of
    labels beside long descriptions has short labels on its left."""
    return sum(1 for seg in segments if len(seg.words) >= s.unruled_prose_words) * 2 >= len(segments)


# ---------------------------------------------------------------- rows

def split_rows(lines: Sequence[Line], columns: Sequence[tuple[float, float]], size: float,
               rule_ys: Sequence[float] = (), wrap: Optional[float] = None) -> list[list[Line]]:
    """Lines grouped into rows: a line joins the row above only to continue cells that ran to their column's edge,
    and never across a rule.

    A column's edge is where its text reaches furthest (not a rule or gap edge, which include the padding).
    """
    by_col = _by_column([w for l in lines for w in l.words], columns)
    reach = {c: max(w.x1 for w in ws) for c, ws in by_col.items()}
    starts = {c: min(w.x0 for w in ws) for c, ws in by_col.items()}
    padding = LAYOUT.unruled_gap_em * size
    # a cell may fill its column up to where the next column's text starts, less the least padding
    bounds = [(a, max(reach.get(c, b), starts.get(c + 1, 0) - padding)) for c, (a, b) in enumerate(columns)]
    rows: list[list[Line]] = []
    last: dict[int, list[Word]] = {}  # column -> the words of the current row's last line in it
    wrap = wrap_gap(lines, columns) if wrap is None else wrap
    lower_case = sentence_case_columns(lines, columns, wrap, size)
    unspaced = rows_unspaced(lines, columns, wrap, size)
    body = False  # past the header: a line with a figure in it has been seen
    for line in lines:
        cells = _by_column(line.words, columns)
        ruled = rows and any(rows[-1][-1].bottom - 1 <= y <= line.top + 1 for y in rule_ys)
        restyled = rows and rows[-1][-1].bold != line.bold  # a bold header over plain rows, a bold total under them
        spaced = rows and wrap is not None and line.top - rows[-1][-1].bottom > wrap + LAYOUT.row_space_em * size \
            and not all(last.get(c) and starts_item(Line(ws)) for c, ws in cells.items())  # a cell's next list item
        capital = body and set(cells) == {0} and 0 in lower_case and _CAPITAL_START.match(line.words[0].text) \
            and not starts_item(line) and not runs_on(last.get(0))
        body = body or any(numeric(" ".join(w.text for w in ws)) for ws in cells.values())
        fresh = unspaced and _fresh_record(cells, last)
        if rows and not ruled and not restyled and not spaced and not capital and not fresh \
                and (all(_continues(last.get(c), ws, bounds[c], size) for c, ws in cells.items()) or _goes_on(cells, last, bounds, size)):
            rows[-1].append(line)
        else:
            rows.append([line])
            last = {}
        last.update(cells)
    return rows


# words a label does not end on: a line ending on one runs on into the next, capital or not ("visitors to" / "Hastings Museum")
_RUNS_ON = frozenset("a an and as at between by for from in including into its of on or our over per than the their to "
                     "under with within &".split())


def runs_on(words: Optional[list[Word]]) -> bool:
    """The cell line ends where its text cannot: on a function word, a comma, hyphen, dash or slash, or a capitalised word
    (a name may go on: "Housing" / "Benefit paid")."""
    if not words:
        return False
    end = max(words, key=lambda w: w.x1).text
    return end.lower() in _RUNS_ON or end[-1:] in ",-–—/&(" or bool(re.match(r"^\(?[A-Z][a-z]", end))


def rows_unspaced(lines: Sequence[Line], columns: Sequence[tuple[float, float]], wrap: Optional[float], size: float,
                  s: LayoutSettings = LAYOUT) -> bool:
    """The table sets its rows no further apart than a cell's wrapped lines (LaTeX's tabular): most lines that fill
    two columns or more (rows' first lines, or lines of cells wrapping side by side) sit as close under the line
    above as a wrapped line, and no two gaps are wider (a producer that spaces its rows spaces every one; one
    wider gap may set the header apart)."""
    if wrap is None:
        return False
    row_gap = wrap + s.row_space_em * size
    starts = [lines[i].top - lines[i - 1].bottom for i in range(1, len(lines)) if len(_by_column(lines[i].words, columns)) > 1]
    tight = sum(1 for g in starts if g <= row_gap)
    wide = sum(1 for a, b in zip(lines, lines[1:]) if b.top - a.bottom > row_gap)
    return len(starts) >= s.unruled_min_rows + 1 and tight >= s.tight_rows_share * len(starts) and wide <= 1


def _fresh_record(cells: dict[int, list[Word]], last: dict[int, list[Word]]) -> bool:
    """On one line a cell opens the next item of a list and another cell opens with a capital under a line that
    does not run on (``runs_on``): both cells start afresh, a new record's (numbered objectives beside their
    progress), where a cell's list goes on beside a cell that wraps in lower case, runs on into a name, or has
    ended."""
    item = any(last.get(c) and starts_item(Line(ws)) for c, ws in cells.items())
    fresh = any(last.get(c) and not starts_item(Line(ws)) and _CAPITAL_START.match(ws[0].text) and not runs_on(last[c])
                for c, ws in cells.items())
    return item and fresh


def sentence_case_columns(lines: Sequence[Line], columns: Sequence[tuple[float, float]], wrap: Optional[float],
                          size: float, s: LayoutSettings = LAYOUT) -> set[int]:
    """Columns whose wrapped lines open in lower case, in a table that sets its rows no further apart than a
    cell's wrapped lines (LaTeX's tabular): there a line of the first column alone, opening with a capital under
    a cell that does not run on (``runs_on``), starts a new row -- a label with blank cells beside it, a section
    or a record without figures.  A line alone in another column is that column's wrapped text (a row of one
    cell has it in the first column).

    With rows set apart, the spacing tells rows from wrapped lines and this is not asked.  Without, a wrapped
    line and a row of one cell look the same but for the case they open in; a column whose lines alone under a
    cell open mostly in lower case is set in sentence case (title-case labels open their wrapped lines with a
    capital too, and are left alone).
    """
    if not rows_unspaced(lines, columns, wrap, size, s):
        return set()
    by_line = [_by_column(l.words, columns) for l in lines]
    opens: dict[int, list[bool]] = {}
    for i in range(1, len(lines)):
        if len(by_line[i]) == 1:
            c, words = next(iter(by_line[i].items()))
            first = words[0].text
            if c in by_line[i - 1] and first[:1].isalpha():
                opens.setdefault(c, []).append(first[:1].islower())
    return {c for c, seen in opens.items()
            if sum(seen) >= s.sentence_case_min and sum(seen) >= s.sentence_case_ratio * (len(seen) - sum(seen))}


def _goes_on(cells: dict[int, list[Word]], last: dict[int, list[Word]], bounds: Sequence[tuple[float, float]], size: float) -> bool:
    """A cell of the line opens in lower case under text of its column: the line goes on with the row, whatever
    its other cells do (a new row opens no cell in lower case; beside a wrapped line a cell may start a new
    paragraph of its own) -- unless a cell sits under a figure it does not go on with (its unit or month):
    a figure never wraps, so that is a new row's."""
    under_figure = [c for c, ws in cells.items() if last.get(c) and numeric(" ".join(w.text for w in last[c]))
                    and not _continues(last[c], ws, bounds[c], size)]
    return not under_figure and any(last.get(c) and _LOWER_START.match(ws[0].text) for c, ws in cells.items())


def wrap_gap(lines: Sequence[Line], columns: Sequence[tuple[float, float]] = ()) -> Optional[float]:
    """The space between a table's lines where a cell's text wrapped: the tightest gap between consecutive
    lines (to the half point) that recurs (a gap seen once or twice is two cells' lines set out of step).
    Rows and a cell's paragraphs are set further apart (cell padding, space after a paragraph), when the
    producer spaces them at all; a table of one-line rows has its row spacing here.  Measured column by
    column, since two cells' lines a little out of step are grouped as one line."""
    spans: list[list[tuple[float, float]]] = [[] for _ in columns] or [[]]
    for line in lines:
        cells = _by_column(line.words, columns) if columns else {0: line.words}
        for c, ws in cells.items():
            spans[c].append((min(w.top for w in ws), max(w.bottom for w in ws)))
    gaps = [round(2 * (b[0] - a[1])) / 2 for col in spans for a, b in zip(col, col[1:]) if b[0] - a[1] > -1]
    return _tightest_recurring(gaps)


def _tightest_recurring(gaps: list[float]) -> Optional[float]:
    least = max(2, LAYOUT.wrap_gap_share * len(gaps))
    return next((g for g in sorted(set(gaps)) if gaps.count(g) >= least), None)


def prose_wrap(lines: Sequence[Line], size: float) -> Optional[float]:
    """The tightest recurring gap between consecutive lines of the page outside the table set in the table's size
    (the producer's leading for that size: what a wrapped cell line would be set at)."""
    same = [(a, b) for a, b in zip(lines, lines[1:]) if abs(a.size - size) < 0.5 and abs(b.size - size) < 0.5]
    gaps = [round(2 * (b.top - a.bottom)) / 2 for a, b in same if b.top - a.bottom > -1]
    return _tightest_recurring(gaps) if len(gaps) >= LAYOUT.gutter_min_lines else None


def _by_column(words: Sequence[Word], columns: Sequence[tuple[float, float]]) -> dict[int, list[Word]]:
    out: dict[int, list[Word]] = {}
    for w in words:
        middle = (w.x0 + w.x1) / 2
        c = min(range(len(columns)), key=lambda k: 0 if columns[k][0] <= middle <= columns[k][1] else
                min(abs(middle - columns[k][0]), abs(middle - columns[k][1])))
        out.setdefault(c, []).append(w)
    return out


def _continues(above: Optional[list[Word]], words: list[Word], column: tuple[float, float], size: float) -> bool:
    """Does this cell text continue the cell above (it wrapped), rather than start a new row?"""
    if not above:
        return False
    text, before = " ".join(w.text for w in words), " ".join(w.text for w in above)
    if (numeric(before) or _TICK.match(before)) and not text[:1].islower() and not (_DAY.match(before) and _MONTH.match(text)):
        return False  # a figure or a tick does not wrap: under it is a new row, but for its unit ("48.5" "days") or month ("31" "March")
    if _TICK.match(text):
        return False  # nor does a tick go on with the text above it: it marks a row of its own
    if starts_item(Line(words)) and before:
        return True  # the next item of a list inside the cell
    if _LOWER_START.match(text):
        return True  # a row's first line does not open in lower case; a wrapped line of a cell may
    first = min(words, key=lambda w: w.x0)
    room = column[1] - max(w.x1 for w in above)
    return room <= (first.x1 - first.x0) + 0.6 * size


# ---------------------------------------------------------------- header rows

def header_count(rows: list[list[CellBox]], rule_ys: Sequence[float], s: LayoutSettings) -> int:
    """Rows above a rule under the header; else bold rows; else leading word rows over figure columns; else -1."""
    for y in sorted(rule_ys):
        above = sum(1 for r in rows if max(c.bbox[3] for c in r) <= y + 1)
        if 0 < above < len(rows) and above <= 3:
            return above
    bold = header_rows(rows)
    if bold > 0:
        return bold
    width = max(len(r) for r in rows)
    figure_cols = [c for c in range(width)
                   if sum(numeric(r[c].text) for r in rows[1:] if c < len(r) and r[c].text) >= s.unruled_numeric_share * max(1, sum(1 for r in rows[1:] if c < len(r) and r[c].text))
                   and any(c < len(r) and r[c].text for r in rows[1:])]
    return _worded_head(rows, figure_cols, s) or -1


def _worded_head(rows: list[list[CellBox]], figure_cols: Sequence[int], s: LayoutSettings) -> int:
    """Leading rows with words, not figures, over the figure columns: the header.  A row blank over them
    belongs to it when a worded row follows (a long label wrapped to lines above the column heads)."""
    count = worded = 0
    while figure_cols and count < min(len(rows) - 1, s.header_max_lines) \
            and all(not numeric(rows[count][c].text) for c in figure_cols if c < len(rows[count])):
        count += 1
        if any(rows[count - 1][c].text for c in figure_cols if c < len(rows[count - 1])):
            worded = count
    return worded


def _merge_bottom_aligned_header(rows: list[list[Line]], columns: Sequence[tuple[float, float]]) -> list[list[Line]]:
    """A header whose short cells sit on its last line (bottom-aligned) reads as a partial row, then a full one."""
    if len(rows) < 3:
        return rows
    first = _by_column([w for l in rows[0] for w in l.words], columns)
    second = _by_column([w for l in rows[1] for w in l.words], columns)
    words = [w for ws in list(first.values()) + list(second.values()) for w in ws]
    # every column headed (but the first, which is often blank over its labels or row numbers)
    headed = set(first) | set(second) | {0}
    if len(first) < len(columns) and headed == set(range(len(columns))) and not set(first) >= set(second) \
            and not any(numeric(w.text) and not re.match(r"^\d{4}", w.text) for w in words):
        return [rows[0] + rows[1]] + rows[2:]
    return rows


# ---------------------------------------------------------------- tables

def table_from_lines(lines: Sequence[Line], columns: Sequence[tuple[float, float]], rule_ys: Sequence[float] = (),
                     marks: Sequence[BBox] = (), s: LayoutSettings = LAYOUT,
                     prose_wrap: Optional[float] = None) -> Optional[PageTable]:
    """A PageTable from lines and known column ranges (rows split by wrapping, header by rule, weight or parse).

    ``prose_wrap``: the gap between wrapped lines of the page's prose in the table's type size, for a table
    none of whose cells wraps (its commonest gap is then its row spacing)."""
    size = median(w.size for l in lines for w in l.words)
    header_rule = [y for y in rule_ys if lines[0].bottom < y < lines[-1].top]
    wrap = wrap_gap(lines, columns)
    if prose_wrap is not None and (wrap is None or prose_wrap < wrap):
        wrap = prose_wrap
    grouped = split_rows(lines, columns, size, header_rule, wrap)
    if header_rule:  # everything above the rule under the header is the header
        top_rows = [r for r in grouped if r[-1].bottom <= min(header_rule) + 1]
        if len(top_rows) > 1:
            grouped = [[l for r in top_rows for l in r]] + grouped[len(top_rows):]
    else:
        grouped = _merge_bottom_aligned_header(grouped, columns)
    x0, x1 = columns[0][0], columns[-1][1]
    rows: list[list[CellBox]] = []
    for i, row in enumerate(grouped):
        top = min(l.top for l in row) - 0.5
        bottom = max(l.bottom for l in row) + 0.5
        words = [w for l in row for w in l.words]
        by_col = _by_column(words, columns)
        cells = []
        for c, (a, b) in enumerate(columns):
            bbox = (a - 1, top, b + 1, bottom)
            inside = by_col.get(c, [])
            cells.append(CellBox(bbox, cell_text(inside, bbox, marks, wrap) if inside else "", inside))
        rows.append(cells)
    if len(rows) < 2:
        return None
    bbox = (x0 - 1, rows[0][0].bbox[1], x1 + 1, rows[-1][0].bbox[3])
    return PageTable(bbox, rows, header_count(rows, rule_ys, s), [])


def find_unruled(words: Sequence[Word], rules: Sequence[BBox] = (), marks: Sequence[BBox] = (),
                 page_width: Optional[float] = None, s: LayoutSettings = LAYOUT) -> list[PageTable]:
    """Rule-free tables among the words (those outside ruled tables), top to bottom.

    ``page_width`` lets the page's two-column prose gutter (if any) be found, so prose is never a table.
    """
    lines = group_lines(words)
    gutter = find_gutter(lines, page_width) if page_width else None
    tables: list[PageTable] = []
    i = free_from = 0
    while i < len(lines):
        stretch = grow(lines, i, s)
        if stretch is not None and not _ruled_head(stretch, rules, s) and _prose(stretch, s, gutter):
            i += len(stretch.lines)  # two-column prose: none of its lines starts a table
            continue
        if stretch is not None and _is_table(stretch, s):
            stretch.lines[:0] = header_above(lines[free_from:i], stretch, s)
            columns = _columns(stretch)
            ys = [(r[1] + r[3]) / 2 for r in rules if _spans(r, columns, s)]
            prose = [l for l in lines if l not in stretch.lines]
            table = table_from_lines(stretch.lines, columns, ys, marks, s, prose_wrap(prose, stretch.size))
            if table is not None:
                tables.append(table)
                i = free_from = lines.index(stretch.lines[-1]) + 1
                continue
        i += 1
    return tables


def header_above(before: Sequence[Line], stretch: Stretch, s: LayoutSettings) -> list[Line]:
    """Header lines above the first row that has every column: a bottom-aligned header's first lines
    hold only its longer labels, and have no gap of their own to start a table with.  Past the first two,
    a line is taken only as the top of a header cell that wraps on below it (in no column the line under
    it leaves empty): a long label in a narrow column runs to several lines.  A line set from the last column's
    left edge may run past its figures (a head wider than the short figures under it)."""
    first = stretch.lines[0]
    columns = _columns(stretch)
    out: list[Line] = []
    for line in reversed(before[-s.header_max_lines:]):
        below = out[0] if out else first
        if below.top - line.bottom > s.unruled_row_gap_em * stretch.size or abs(line.size - stretch.size) >= s.unruled_size_step:
            break
        wider = line.x1 > columns[-1][1] + 2 and line.x0 < columns[-1][0] - 2  # a head over the last column may run past its figures
        if any(_closes(line, g, s.unruled_gap_em * stretch.size) for g in stretch.gaps) or line.x0 < columns[0][0] - 2 \
                or wider or set(_by_column(line.words, columns)) == {0}:
            break
        if len(out) >= 2 and not set(_by_column(line.words, columns)) <= set(_by_column(below.words, columns)):
            break
        out.insert(0, line)
    return out


def _ruled_head(stretch: Stretch, rules: Sequence[BBox], s: LayoutSettings) -> bool:
    """A rule across the stretch at its head (above its first line or under its header line): a table's
    top or header rule, on a page a table continues onto without its foot rule.  Prose has none."""
    columns = _columns(stretch)
    top = stretch.lines[0].top - s.unruled_row_gap_em * stretch.size
    bottom = stretch.lines[min(2, len(stretch.lines) - 1)].top
    return any(top <= (r[1] + r[3]) / 2 <= bottom and _spans(r, columns, s) for r in rules)


def _is_table(stretch: Stretch, s: LayoutSettings) -> bool:
    if len(stretch.gaps) + 1 < s.unruled_min_columns:
        return False
    multi = sum(1 for l in stretch.lines if any(_uses(l, g) for g in stretch.gaps))
    return multi >= s.unruled_min_rows


def _spans(rule: BBox, columns: Sequence[tuple[float, float]], s: LayoutSettings) -> bool:
    width = columns[-1][1] - columns[0][0]
    overlap = min(rule[2], columns[-1][1]) - max(rule[0], columns[0][0])
    return width > 0 and overlap >= s.rule_row_span * width
