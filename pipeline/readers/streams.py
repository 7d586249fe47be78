"""Tables flattened to one cell per line (HTML or PDF tables saved as text, without tabs).

Councils' web pages and committee papers often reach us with every table
cell on its own line and blank or whitespace-only lines between them.  The
row structure is gone; what is left is a *stream* of cells.  This module
finds such streams and rebuilds the table:

* the **header zone** is the run of short cells just before the first row
  of figures: years, units (``£'000``), column words (``Expenditure``,
  ``Target``) and short labels.  Bands of like cells (four years, then twelve
  measure words, then twelve units) multiply out to the columns;
* the **rows** come from the rhythm of labels and figures: a label followed by
  its figures, or — where every row prints some figures *before* its label —
  the same split in every row; a label with no figures that leads into a row
  is a section row; a trailing words cell after each row's figures is a text
  column.

The result is an ordinary ``Table`` (header rows expanded to every column
they span, rows squared) with every cell's span in the document.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional, Sequence

from pipeline.document import Cell
from pipeline.normalise.memo import short_text_cache
from pipeline.readers.text_settings import TEXT_SETTINGS
from pipeline.tables import vocabulary
from pipeline.tables.view import parse_text
from pipeline.tables.vocabulary import header_word_share

S = TEXT_SETTINGS


@dataclass
class StreamCell:
    text: str
    start: int
    end: int
    kind: str
    line: int = 0  # index of the line it came from

    @property
    def value_like(self) -> bool:
        """Figures, nils and RAG words sit in value columns."""
        return self.kind in ("number", "percent", "nil", "rag")

    @property
    def figure(self) -> bool:
        return self.kind in ("number", "percent")

    @property
    def header_typed(self) -> bool:
        if self.kind in ("year", "unit", "rag"):
            return True
        return self.kind == "text" and not self.text.endswith(":") and header_word_share(self.text) >= S.stream_header_word_share

    def cell(self) -> Cell:
        return Cell(self.text, self.start, self.end)


def is_stream_line(stripped: str) -> bool:
    """A line that can be one cell: short, or a longer phrase that is not a finished sentence; no bullet."""
    if not stripped:
        return False
    # more than N words take more than 2N characters (a character and a space each, and one more): a shorter
    # line is not split to count them
    size = len(stripped)
    long = size > S.stream_cell_max_chars or (
        size > 2 * S.stream_cell_max_words and len(stripped.split()) > S.stream_cell_max_words)
    if long and (size > S.stream_long_cell_max_chars or stripped.endswith((".", "?", "!", ":"))):
        return False
    if stripped[0] in "•·▪●◦" or stripped.startswith("\t"):
        return False
    return True


def stream_line(line) -> bool:
    """``is_stream_line`` of a line's stripped text, kept on the line: the scan asks it of a line, and the
    stream it starts asks it again of the lines that follow."""
    kept = line.stream
    if kept is None:
        kept = line.stream = is_stream_line(line.stripped)
    return kept


def _cell_line(line) -> bool:
    """Whether a written line can be a cell of the stream (tab or pipe rows are other table forms)."""
    return stream_line(line) and not ("\t" in line.text and "\t" in line.text.rstrip()) and "|" not in line.stripped


def stream_end(lines: Sequence, i: int) -> int:
    """The line after the stream from line ``i``: its lines can be cells (``_cell_line``, written out here with
    the line's kept answer read first: the walk asks it of every line of the stream); whitespace-only lines
    are spacers."""
    n = len(lines)
    while i < n:
        line = lines[i]
        stripped = line.stripped
        if stripped:
            kept = line.stream
            if not (kept if kept is not None else stream_line(line)) or (
                    "\t" in line.text and "\t" in line.text.rstrip()) or "|" in stripped:
                break
        i += 1
    return i


def collect(lines: Sequence, i: int) -> tuple[list[StreamCell], int]:
    """Cells from line ``i`` on while lines can be cells (to ``stream_end``); whitespace-only lines are skipped."""
    end = stream_end(lines, i)
    return cells_between(lines, i, end), end


def cells_between(lines: Sequence, i: int, end: int) -> list[StreamCell]:
    """The cells of lines ``i``..``end`` (a stream's lines, ``end`` from ``stream_end``)."""
    cells: list[StreamCell] = []
    for k in range(i, end):
        line = lines[k]
        stripped = line.stripped  # the text with no-break spaces as spaces, stripped
        if stripped:
            lead = len(line.text) - len(line.text.lstrip(" \t\xa0"))
            start = line.start + lead
            cells.append(StreamCell(stripped, start, start + len(stripped), parse_text(stripped).kind, k))
    return cells


@dataclass
class StreamTable:
    """A table rebuilt from a stream: the cells before it (captions, headings) and its rows."""

    before: list[StreamCell]
    header: list[list[Cell]]
    rows: list[list[Cell]]
    after: list[StreamCell]


def rebuild(cells: list[StreamCell]) -> Optional[StreamTable]:
    """The table in a stream of cells, or ``None`` when the stream is not tabular."""
    if not _may_hold_table(cells):
        return None
    by_ref = _ref_led_table(cells)
    if by_ref is not None:
        return by_ref
    first = _first_data_index(cells)
    if first is None:
        return None
    first = _with_leading_sections(cells, first)
    head_start = _header_start(cells, first)
    header_cells = cells[head_start:first]
    data = cells[first:]
    rows, used = _rows(data, header_cells)
    if len([r for r in rows if r.values]) < S.stream_min_rows:
        return None
    label_head, text_heads, bands = _header_bands(header_cells)
    value_columns = max(len(r.values) for r in rows)
    label_head = _label_head_from_band(label_head, bands, value_columns)
    _place_short_rows(rows, bands, value_columns)
    width = max(max(r.width for r in rows), 1 + value_columns + len(text_heads))
    header = _header_rows(label_head, text_heads, bands, value_columns, width)
    body = [r.cells(width) for r in rows]
    return StreamTable(before=cells[:head_start], header=header, rows=body, after=data[used:])


def _may_hold_table(cells: list[StreamCell]) -> bool:
    """What either reading needs at least: a figure and another value cell (``_rows`` gives a table only
    with two rows of values, and ``_first_data_index`` needs a figure), or two cells a reference number
    could open a numbered row with (``_ref_led_table``)."""
    values = [c for c in cells if c.kind in _VALUE_KINDS]
    if len(values) >= 2 and any(c.kind in _FIGURE_KINDS for c in values):
        return True
    return sum(1 for c in cells if REF_CELL.match(c.text)) >= 2


_VALUE_KINDS = frozenset(("number", "percent", "nil", "rag"))  # StreamCell.value_like
_FIGURE_KINDS = frozenset(("number", "percent"))  # StreamCell.figure


def _first_data_index(cells: list[StreamCell]) -> Optional[int]:
    """Where the first row of figures begins: its label, or its first figure when figures lead."""
    for k, cell in enumerate(cells):
        if not cell.figure:
            continue
        # a figure: its row starts at the label just before it, if there is one
        if k > 0 and _untyped(cells[k - 1]):
            return k - 1
        return k
    return None


def _untyped(cell: StreamCell) -> bool:
    return cell.kind == "text" and not cell.header_typed


def _with_leading_sections(cells: list[StreamCell], first: int) -> int:
    """A words cell between the column labels and the first row is a section row (``Planning``)."""
    while first >= 2 and _untyped(cells[first - 1]) and cells[first - 2].header_typed:
        if len(cells[first - 1].text.split()) > S.stream_cell_max_words:
            break
        first -= 1
    return first


def _header_start(cells: list[StreamCell], first: int) -> int:
    """Walk back from the first row over column labels; titles and captions stay outside.

    Years, units and column words belong to the header.  A short label that
    is none of these belongs too when more column labels precede it (``Link to
    Corporate Strategy`` between the years and the units) or as the label
    column's own header, which ends the walk.  A cell with years in it before
    a band of year cells is a title (``2012-13 to 2014-15``), as is anything
    long or sentence-like.
    """
    k = first
    seen_year_band = False
    while k > 0:
        cell = cells[k - 1]
        words = len(cell.text.split())
        if words > S.stream_header_max_words or (cell.text.endswith(".") and words > 3):
            break
        if cell.kind == "year":
            seen_year_band = True
        elif seen_year_band and cell.kind == "text" and re.search(r"\d{2}", cell.text):
            break
        k -= 1
        if _untyped(cell) and not (k > 0 and cells[k - 1].header_typed):
            break
    if not any(c.header_typed for c in cells[k:first]):
        return first  # no column labels: what precedes is caption or section text
    return k


@dataclass
class _Row:
    label: Optional[StreamCell]
    values: list[StreamCell]
    trailing: list[StreamCell]
    section: bool = False
    positions: list[int] = field(default_factory=list)  # value columns the figures sit in, when not the first ones

    @property
    def width(self) -> int:
        return 1 + len(self.values) + len(self.trailing)

    def cells(self, width: int) -> list[Cell]:
        label = self.label.cell() if self.label else _empty(self.values[0].start if self.values else 0)
        if self.positions:
            end = self.values[-1].end
            slots = [_empty(end) for _ in range(width - 1)]
            for pos, value in zip(self.positions, self.values):
                slots[pos] = value.cell()
            return [label] + slots
        out = [label] + [v.cell() for v in self.values] + [t.cell() for t in self.trailing]
        end = out[-1].end
        return out + [_empty(end) for _ in range(width - len(out))]


def _empty(at: int) -> Cell:
    return Cell("", at, at)


def _rows(data: list[StreamCell], header: list[StreamCell]) -> tuple[list[_Row], int]:
    """Rows from the rhythm of labels and figures; returns the rows and how many cells they used."""
    runs = _runs(data)
    lead = len(runs[0][1]) if runs and runs[0][0] is None else 0
    gaps = [len(v) for label, v in runs if label is not None and v]
    width = Counter(gaps).most_common(1)[0][0] if gaps else 0
    if lead and width > lead and _figures_lead(runs, lead, width):
        return _split_led_rows(runs, lead, width)
    return _label_first_rows(runs, header)


def _runs(data: list[StreamCell]) -> list[tuple[Optional[StreamCell], list[StreamCell]]]:
    """(label, the value cells after it) pairs; a leading run of values has no label."""
    runs: list[tuple[Optional[StreamCell], list[StreamCell]]] = []
    label: Optional[StreamCell] = None
    values: list[StreamCell] = []
    started = False
    for cell in data:
        if _footnote_mark(cell):
            continue
        if cell.value_like:
            values.append(cell)
            started = True
            continue
        if started or label is not None:
            runs.append((label, values))
        elif values:
            runs.append((None, values))
        label, values, started = cell, [], True
    if label is not None or values:
        runs.append((label, values))
    return runs


_FOOTNOTE_MARK = re.compile(r"[*†‡#]+|\[\d{1,2}\]")


def _footnote_mark(cell: StreamCell) -> bool:
    return _FOOTNOTE_MARK.fullmatch(cell.text) is not None


def _figures_lead(runs, lead: int, width: int) -> bool:
    """Every row prints ``lead`` figures before its label when the gaps between labels are all ``width``."""
    labelled = [len(v) for label, v in runs if label is not None]
    return len(labelled) >= 2 and sum(1 for n in labelled[:-1] if n == width) >= len(labelled[:-1]) * 0.5


def _split_led_rows(runs, lead: int, width: int) -> tuple[list[_Row], int]:
    """Rows that print some figures before their label: each label takes what completes its row.

    A row too short to reach ``width`` (an adjustment line with one figure per
    year) keeps the same number of figures before its label as it was given,
    so it leaves that many for the next row.
    """
    rows: list[_Row] = []
    carry = list(runs[0][1])
    used = len(carry)
    labelled = [(label, values) for label, values in runs[1:] if label is not None]
    for k, (label, values) in enumerate(labelled):
        used += 1 + len(values)
        if not values and not carry:
            rows.append(_Row(label, [], [], section=True))
            continue
        last = k == len(labelled) - 1
        if last:
            take = len(values)
        elif len(carry) + len(values) >= width:
            take = width - len(carry)
        else:
            take = max(0, len(values) - len(carry))
        rows.append(_Row(label, carry + values[:take], []))
        carry = values[take:]
    return rows, used


def _label_first_rows(runs, header: list[StreamCell]) -> tuple[list[_Row], int]:
    """Label, then its figures; a label with no figures is a section (before a row) or a text cell (after one)."""
    text_column = _trailing_text_column(runs, header)
    rows: list[_Row] = []
    used = 0
    pending_section: list[StreamCell] = []
    for k, (label, values) in enumerate(runs):
        if label is None:
            continue
        if values:
            for section in pending_section:
                rows.append(_Row(section, [], [], section=True))
            pending_section = []
            rows.append(_Row(label, values, []))
            used = _end_index(runs, k)
            continue
        if text_column and rows and not rows[-1].trailing and not rows[-1].section:
            rows[-1].trailing.append(label)
            used = _end_index(runs, k)
            continue
        pending_section.append(label)
    return rows, used


def _end_index(runs, k: int) -> int:
    return sum((1 if label is not None else 0) + len(v) for label, v in runs[: k + 1])


def _trailing_text_column(runs, header: list[StreamCell]) -> bool:
    """Rows end with a words cell when most figure runs are followed by a label with no figures of its own."""
    after = [runs[k + 1][1] == [] for k, (label, v) in enumerate(runs[:-1]) if label is not None and v]
    followed = sum(after)
    return len(after) >= 2 and followed >= 0.6 * len(after) and any(not c.header_typed and c.kind == "text" for c in header[1:])


def _header_bands(header: list[StreamCell]) -> tuple[Optional[StreamCell], list[StreamCell], list[list[StreamCell]]]:
    """The label column's header, headers of words columns after the figures, and bands of figure-column labels.

    A plain label first in the zone heads the label column; a plain label
    among the column labels (``Link to Corporate Strategy``) heads a column of
    words that follows the figures.
    """
    if not header:
        return None, [], []
    heads_labels = _untyped(header[0]) or vocabulary.first("column", header[0].text) == "item"
    label_head = header[0] if heads_labels and len(header) > 1 else None
    rest = header[1:] if label_head else header
    text_heads = [c for c in rest if _untyped(c)]
    return label_head, text_heads, _bands([c for c in rest if not _untyped(c)])


def _label_head_from_band(label_head: Optional[StreamCell], bands: list[list[StreamCell]], value_columns: int):
    """A band with one label more than there are figure columns starts with the label column's own header."""
    for band in bands:
        if len(band) == value_columns + 1 and band[0].kind == "text":
            head = band.pop(0)
            return label_head or head
    return label_head


def _group_label(cell: StreamCell, following: Optional[StreamCell]) -> bool:
    """``Q1 2023/24`` before ``Value``, ``Target``: a period over the columns that follow, not a column."""
    has_period = bool(re.search(r"(?:19|20)\d{2}|\bQ[1-4]\b", cell.text))
    return cell.kind == "text" and has_period and following is not None and following.kind == "text" and not re.search(r"\d{2}", following.text)


def _header_rows(label_head: Optional[StreamCell], text_heads: list[StreamCell], bands: list[list[StreamCell]],
                 value_columns: int, width: int) -> list[list[Cell]]:
    """One header row per band, each band spread over the value columns; words-column heads on the first row."""
    out: list[list[Cell]] = []
    if not bands and not label_head and not text_heads:
        return out
    for band in bands or [[]]:
        at = band[0].start if band else (label_head or text_heads[0]).start
        row = [label_head.cell() if (label_head and not out) else _empty(at)]
        row += _spread(band, value_columns, width - 1) if band else []
        row += [_empty(row[-1].end) for _ in range(1 + value_columns - len(row))]
        if not out:
            row += [c.cell() for c in text_heads]
        out.append(row[:width] + [_empty(row[-1].end) for _ in range(width - len(row))])
    return out


def _place_short_rows(rows: list["_Row"], bands: list[list[StreamCell]], value_columns: int) -> None:
    """A row with one figure per spanning group (a year's Net only) puts each under its group's last column."""
    for band in bands:
        k = len(band)
        if 1 < k < value_columns and value_columns % k == 0 and _sort(band[0]) != "unit":
            span = value_columns // k
            for row in rows:
                if len(row.values) == k and not row.positions:
                    row.positions = [(g + 1) * span - 1 for g in range(k)]
            return


def _bands(cells: list[StreamCell]) -> list[list[StreamCell]]:
    """Runs of cells of one sort (years, units, words) — each run is one header row."""
    bands: list[list[StreamCell]] = []
    for k, cell in enumerate(cells):
        if _group_label(cell, cells[k + 1] if k + 1 < len(cells) else None):
            bands.append([cell])
            bands.append([])
            continue
        if bands and bands[-1] and _sort(bands[-1][-1]) == _sort(cell):
            bands[-1].append(cell)
        elif bands and not bands[-1]:
            bands[-1].append(cell)
        else:
            bands.append([cell])
    return [b for b in bands if b]


def _sort(cell: StreamCell) -> str:
    return cell.kind if cell.kind in ("year", "unit") else "text"


def _spread(band: list[StreamCell], value_columns: int, columns: int) -> list[Cell]:
    """A band of k cells over the value columns: k == n one each; n = k·j each spans j; else left-aligned.

    Units are never spread: each unit labels one column, and a single unit labels them all.
    """
    k = len(band)
    if value_columns and k < value_columns and value_columns % k == 0 and (_sort(band[0]) != "unit" or k == 1):
        span = value_columns // k
        return [c.cell() for c in band for _ in range(span)]
    return [c.cell() for c in band][:columns]


# ---------------------------------------------------------------- tables of words, one row per reference number

REF_CELL = re.compile(r"^(?:[A-Z]{1,4}\s?)?\d{1,2}(?:\.\d{1,2}){0,2}[a-z]?\.?$")


def _is_column_word(cell: StreamCell, role: Optional[str] = None) -> bool:
    first = _column_word(cell.text)
    return first is not None and (role is None or first == role)


@short_text_cache()
def _column_word(text: str) -> Optional[str]:
    """The first column role of a cell that is mostly column vocabulary, else ``None``.

    Remembered: ``_ref_led_table`` looks for a header run from every cell.
    """
    found = vocabulary.hits("column", text)
    covered = sum(h.end - h.start for h in found)
    return found[0].value if found and covered >= 0.6 * len(text.strip(" .:")) else None


def _header_run(cells: list[StreamCell], k: int) -> int:
    """How many column labels start at ``k`` (a reference column first, then at least two more)."""
    if not _is_column_word(cells[k], "ref"):
        return 0
    n = 1
    while k + n < len(cells) and _is_column_word(cells[k + n]) and not REF_CELL.match(cells[k + n].text):
        n += 1
    return n if n >= 3 else 0


def _ref_led_table(cells: list[StreamCell]) -> Optional[StreamTable]:
    """Action plans: ``Number / Action / Deadline / Progress`` then rows that each open with their number.

    Empty cells leave no line behind, so rows are cut at each reference number
    rather than counted; a header repeated for each group is dropped and the
    group's own heading (``2. Data Collection``) becomes a section row.
    """
    start = next((k for k in range(len(cells)) if _header_run(cells, k)), None)
    if start is None:
        return None
    width = _header_run(cells, start)
    header = [[c.cell() for c in cells[start:start + width]]]
    rows: list[list[Cell]] = []
    row: list[StreamCell] = []
    k = start + width
    end = k

    def flush() -> None:
        if row:
            rows.append(_squared([c.cell() for c in row], width))
            row.clear()

    while k < len(cells):
        cell = cells[k]
        repeat = _header_run(cells, k)
        if repeat == width:
            heading = row.pop() if len(row) > 1 and _group_heading(row[-1]) else None
            flush()
            if heading is not None:
                rows.append(_squared([heading.cell()], width))  # the group's heading, just before its repeated header
            k += width
            end = k
            continue
        if REF_CELL.match(cell.text) or cell.figure and not row:
            flush()
            row.append(cell)
        elif row and len(row) < width:
            row.append(cell)
        elif row:  # more cells than columns: the next group's heading
            flush()
            row.append(cell)
        else:
            break
        k += 1
        end = k
    flush()
    numbered = [r for r in rows if REF_CELL.match(r[0].text) and any(c.text for c in r[1:])]
    if len(numbered) < S.stream_min_rows:
        return None
    return StreamTable(before=cells[:start], header=header, rows=rows, after=cells[end:])


def _group_heading(cell: StreamCell) -> bool:
    return bool(re.match(r"^\d{1,2}\.?\s+\S", cell.text)) or (cell.text.isupper() and len(cell.text) > 3)


def _squared(row: list[Cell], width: int) -> list[Cell]:
    end = row[-1].end if row else 0
    return row[:width] + [_empty(end) for _ in range(width - len(row))]
