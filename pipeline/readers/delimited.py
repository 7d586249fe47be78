"""Tables whose cells arrive separated by ``/`` (Word tables pasted as text by some converters).

A cell separator is a slash at the start of a line, a slash between spaces
(`` / ``) or a slash at the end of a line; a slash inside a word
(``BVPI/LPI``, ``2001/02``, ``N/A``) is part of the cell.  A line that does not
open with a separator continues the cell before it, so a cell that held two
lines (``470`` and ``201.3A``) stays one cell.  A line holding only ``/`` ends
a row.

The header is what comes before the first row with a reference and figures;
a row of column numbers (``1 / 2 / … / 13``) marks its end and is dropped.
A header printed over two lines is two header rows; the shorter one labels
the figure columns, right-aligned like the rows (whose first cells are words:
a sub-heading, then the indicator, then its reference).  Rows with fewer
figures than the header are right-aligned too: the latest years are the ones
printed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

from pipeline.document import Cell
from pipeline.normalise.cells import classify

_SEPARATOR = re.compile(r"(?:^|(?<=\s))/(?=\s|$)|^/|/$")
_ROW_END = re.compile(r"^\s*/\s*$")
_REF = re.compile(r"^(?:[A-Z]{0,5}\s?)?\d{1,4}[a-z]?$")
MIN_SEPARATORS = 8


def is_delimited_line(text: str) -> bool:
    """A ``_SEPARATOR`` in the stripped line: a slash opening or closing it, or one with spaces either side.

    Looked for slash by slash: the pattern, tried at every character, cost
    more than the rest of the line's reading in long lines with dates.
    """
    if "/" not in text:
        return False
    stripped = text.strip()
    if stripped.startswith("/") or stripped.endswith("/"):
        return True
    k = stripped.find("/")
    while k != -1:  # neither first nor last: a character on each side
        if stripped[k - 1].isspace() and stripped[k + 1].isspace():
            return True
        k = stripped.find("/", k + 1)
    return False


def region(lines: Sequence, i: int) -> int:
    """The end of a run of lines that reads as a slash-delimited table starting at ``i`` (``i`` if none).

    Only a line that holds or is followed by a separator can start one, which
    keeps the reader linear on long stretches of prose.
    """
    if not (is_delimited_line(lines[i].text) or (i + 1 < len(lines) and lines[i + 1].text.lstrip().startswith("/"))):
        return i
    k = i
    while k < len(lines) and not lines[k].blank:
        k += 1
    # a line holding only "/" first: the cheaper test, and most runs of dated or slashed prose have none
    if not any(_ROW_END.match(lines[j].text) for j in range(i, k)):
        return i
    separators = sum(len(_SEPARATOR.findall(lines[j].text.strip())) for j in range(i, k))
    return k if separators >= MIN_SEPARATORS else i


@dataclass
class SlashTable:
    header: list[list[Cell]]
    rows: list[list[Cell]]


def read(lines: Sequence, i: int, end: int, text: str) -> Optional[SlashTable]:
    """The table in lines ``i``..``end`` of the document ``text``, or ``None``."""
    raw_rows = _raw_rows(lines, i, end, text)
    cells = [c for row in raw_rows for c in row]
    header_end, numbering = _numbering(raw_rows)
    if header_end is None:
        return None
    header_cells = [c for row in raw_rows[:header_end[0]] for c in row] + raw_rows[header_end[0]][:header_end[1]]
    body_rows = [raw_rows[header_end[0]][header_end[1] + numbering:]] + raw_rows[header_end[0] + 1:]
    header_rows = _header_rows(header_cells)
    width = max(len(r) for r in header_rows) if header_rows else 0
    rows: list[list[Cell]] = []
    for raw in body_rows:
        rows.extend(_body_rows(raw, width))
    if not rows or not cells:
        return None
    figure_columns = max((len(r) - 2 for r in rows if r[1].text), default=0)
    return SlashTable(header=_aligned_header(header_rows, figure_columns), rows=rows)


def _raw_rows(lines: Sequence, i: int, end: int, text: str) -> list[list[Cell]]:
    """Rows of cells: ``/`` lines end rows, separators cut cells, other line breaks continue a cell."""
    rows: list[list[Cell]] = [[]]
    ended = True  # the previous line closed its cell (row start, or a trailing separator)
    for k in range(i, end):
        line = lines[k]
        if _ROW_END.match(line.text):
            rows.append([])
            ended = True
            continue
        row = rows[-1]
        pieces = _split(line)
        continues = row and not ended and not line.text.lstrip().startswith("/")
        ended = line.text.rstrip().endswith("/")
        if continues and pieces:
            first = pieces.pop(0)
            last = row[-1]
            row[-1] = Cell(text[last.start:first.end], last.start, first.end)
        row.extend(pieces)
    return [r for r in rows if r]


def _split(line) -> list[Cell]:
    text = line.text.rstrip()
    cuts = [m for m in _SEPARATOR.finditer(text)]
    out, pos = [], 0
    for m in cuts + [None]:
        stop = m.start() if m else len(text)
        piece = text[pos:stop]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            s = line.start + pos + lead
            out.append(Cell(stripped, s, s + len(stripped)))
        if m:
            pos = m.end()
    return out


def _numbering(rows: list[list[Cell]]) -> tuple[Optional[tuple[int, int]], int]:
    """Where a run of column numbers 1..n (n ≥ 5) sits: (row, cell) and how many cells it takes."""
    for r, row in enumerate(rows):
        texts = [_last_line(c.text) for c in row]
        for k in range(len(texts)):
            if texts[k] != "1":
                continue
            n = 1
            while k + n < len(texts) and texts[k + n].rstrip("/").strip() == str(n + 1):
                n += 1
            if n >= 5:
                if "\n" in row[k].text:  # "Top Quartile 2002/03\n1": the numbering's first cell is glued to a label
                    label, _, _ = row[k].text.rpartition("\n")
                    row[k] = Cell(label.rstrip(), row[k].start, row[k].start + len(label.rstrip()))
                    return (r, k + 1), n - 1
                return (r, k), n
    return None, 0


def _last_line(text: str) -> str:
    return text.strip().split("\n")[-1].strip()


def _header_rows(cells: list[Cell]) -> list[list[Cell]]:
    """Header cells in two rows where a cell glues the end of one line to the start of the next (``target?Actual``)."""
    for k, cell in enumerate(cells):
        m = re.search(r"(?<=[a-z?:)])(?=[A-Z][a-z])", cell.text)
        if m and k > 0:
            first = Cell(cell.text[: m.start()], cell.start, cell.start + m.start())
            second = Cell(cell.text[m.start():], cell.start + m.start(), cell.end)
            return [cells[:k] + [first], [second] + cells[k + 1:]]
    return [cells]


def _aligned_header(rows: list[list[Cell]], figure_columns: int) -> list[list[Cell]]:
    """Each header row right-aligned over the label, reference and figure columns."""
    width = figure_columns + 2
    if len(rows) > 1:
        rows = [r for r in rows if len(r) < width] or rows[-1:]  # a group row as wide as the table or wider cannot be placed
    out = []
    for row in rows:
        figures = row[-figure_columns:] if len(row) > width else row
        end = row[-1].end
        pad = [Cell("", row[0].start, row[0].start) for _ in range(width - len(figures))]
        labels = row[: len(row) - len(figures)] if len(row) > width else []
        if labels and pad:
            pad[0] = labels[0] if len(labels) == 1 else Cell(" ".join(c.text for c in labels), labels[0].start, labels[-1].end)
        out.append((pad + figures)[:width] if len(pad + figures) >= width else pad + figures + [Cell("", end, end)])
    return out


def _body_rows(raw: list[Cell], width: int) -> list[list[Cell]]:
    """[section row], [label, ref, figures…]: words before a reference are a sub-heading and the label.

    Each (words, reference) pair starts a row, so rows the source forgot to
    separate come apart.
    """
    starts = [k for k in range(1, len(raw)) if _REF.match(raw[k].text) and _is_words(raw[k - 1])]
    if not starts:
        return [[raw[0]] + [Cell("", raw[0].end, raw[0].end)]]
    out = []
    for heading in raw[: starts[0] - 1]:
        out.append([heading, Cell("", heading.end, heading.end)])
    for n, k in enumerate(starts):
        stop = starts[n + 1] - 1 if n + 1 < len(starts) else len(raw)
        out.append([raw[k - 1], raw[k]] + raw[k + 1: stop])
    return out


def _is_words(cell: Cell) -> bool:
    return classify(cell.text).kind == "text" and len(cell.text.split()) >= 3


def square(header: list[list[Cell]], rows: list[list[Cell]]) -> list[list[Cell]]:
    """Right-align every row's figures under the header's figure columns."""
    width = max(len(r) for r in header + rows)
    out = []
    for row in header + rows:
        if len(row) >= width:
            out.append(row[:width])
            continue
        if row in header or len(row) <= 2:
            end = row[-1].end
            out.append(row + [Cell("", end, end) for _ in range(width - len(row))])
            continue
        fill = [Cell("", row[1].end, row[1].end) for _ in range(width - len(row))]
        out.append(row[:2] + fill + row[2:])
    return out


def figure_cells(row: list[Cell]) -> int:
    return sum(1 for c in row if classify(c.text).figure)
