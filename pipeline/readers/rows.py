"""Rows of a label and figures separated by spaces, as text extraction prints budget tables.

A PDF or web table saved as text often keeps each row on one line — a label,
then its figures — but loses the column structure:

* the header is spread over two or three lines (``2004/05 Slippage 2005/06
  Bids … Total Scheme Cost``, then a line of ``£000`` units) and the number
  of units (or ``££££``) says how many figure columns there are;
* a blank cell survives only as a run of spaces: with one space between
  cells and a blank cell printed as one space, *k* blanks between two
  figures show as 2k+1 spaces, and each trailing blank adds two;
* a footnote marker (``[3]``) can sit in a cell of its own;
* where the PDF lost the column gaps altogether the figures run together
  (``Telephones760200780``) and only arithmetic can split them
  (``pipeline.tables.arithmetic.split_glued``).

The result is an ordinary ``Table``: header rows built from the header lines,
one row per line with its figures in their columns, section rows for lines
without figures between figure rows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

from pipeline.document import Cell
from pipeline.normalise.memo import SHORT_TEXT, short_text_cache
from pipeline.normalise.money import UNIT_PATTERN
from pipeline.normalise.years import FY_PATTERN
from pipeline.readers.text_settings import TEXT_SETTINGS
from pipeline.tables.arithmetic import split_glued
from pipeline.tables.vocabulary import header_word_share

S = TEXT_SETTINGS

_FIGURE = r"\(?[-–−]?£?\d[\d,]*(?:\.\d+)?%?\)?%?|[-–—](?=\s|$)|\[\d{1,2}\]|n/a|nil"
FIGURE_TOKEN = re.compile(rf"(?<!\S)(?:{_FIGURE})(?!\S)", re.I)
_TAIL = re.compile(rf"(?<!\S)(?:(?:{_FIGURE})\s*)+$", re.I)
_GLUED_TAIL = re.compile(r"(?<=[A-Za-z)\]’'])(?P<run>[\d,()]*\d[\d,() ]*)\s*$")
_REF = re.compile(r"^(?P<ref>\d{1,5}[a-z]?\.?)\s+(?=\S)|^(?P<code>\d{5})(?=[A-Z])")
_UNIT_TOKEN = re.compile(rf"{UNIT_PATTERN.pattern}|£(?=£|\s|$)", re.I)


@dataclass
class FigureRow:
    """One line: where its label ends and the figure tokens after it (with their spans in the line)."""

    label: tuple[int, int]
    figures: list[tuple[int, int]]
    glued: bool = False


_LETTER = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"\d")
_NOTE_MARK = re.compile(r"\[\d+\]")
_YEAR = re.compile(r"(?:19|20)\d{2}")
_ENDS_IN_FIGURE = re.compile(r"[\d)]$")
_POUND_SIGNS = re.compile(r"£{2,}")


def figure_row(text: str, columns: Optional[int] = None) -> Optional[FigureRow]:
    """The label and trailing figures of a line, or ``None`` when it does not end in figures.

    With a known column count, a line whose figures are fewer than the
    columns and glued to the label (``Salaries142,1504,300(470) 145,980``) is
    split by arithmetic instead.

    The reading is remembered for short lines: a table's lines are read as
    header or row from each line the table could start at, and glued figures
    are split by trying every layout.  A fresh ``FigureRow`` each time, as
    ``place`` moves a row's label end.
    """
    if len(text) > SHORT_TEXT:
        return _figure_row(text, columns)
    key = (text, columns)
    found = _FIGURE_ROWS.get(key, _MISSING)
    if found is _MISSING:
        if len(_FIGURE_ROWS) >= S.figure_rows_kept:
            _FIGURE_ROWS.clear()
        row = _figure_row(text, columns)
        found = _FIGURE_ROWS[key] = None if row is None else (row.label, tuple(row.figures), row.glued)
    return None if found is None else FigureRow(found[0], list(found[1]), found[2])


_FIGURE_ROWS: dict[tuple[str, Optional[int]], Optional[tuple]] = {}
_MISSING = object()


def _figure_row(text: str, columns: Optional[int]) -> Optional[FigureRow]:
    stripped = text.rstrip()
    tail = tail_start(stripped)
    found = None
    if tail and _LETTER.search(stripped, 0, tail):
        figures = [(f.start(), f.end()) for f in FIGURE_TOKEN.finditer(stripped, tail)]
        if figures and _real_figures(stripped, figures):
            found = FigureRow((0, len(stripped[:tail].rstrip())), figures)
    glued_label = found is not None and _ENDS_IN_FIGURE.search(stripped[: found.label[1]])
    if columns and (found is None or (len(found.figures) < columns and glued_label)):
        return _glued_row(stripped, columns) or found
    return found


_FIGURE_ENDS = frozenset(",%)-–—]aAlL")  # the last characters a figure token can have, besides digits
_WORD = re.compile(r"\S+")
_FIGURES_WORD = re.compile(rf"(?:{_FIGURE})+", re.I)  # one word of figures, glued or not: ``(12)(34)``, ``98.04%``


@short_text_cache()
def tail_start(stripped: str) -> Optional[int]:
    """Where the run of figure words that ends a line starts (``_TAIL.search(stripped).start()``), or ``None``.

    ``_TAIL`` finds the same place, but tried from every word of a long line
    it splits each run of digits every possible way before failing: 40 ms for
    one 1,000-character line of KPIs.  A match of ``_TAIL`` starts after a
    space, so it is a run of whole words, each made of figures; walking the
    words back from the end finds its start in one pass.
    """
    if not stripped or not (stripped[-1].isdecimal() or stripped[-1] in _FIGURE_ENDS):
        return None  # most prose lines end in a full stop
    window = max(0, len(stripped) - _TAIL_WINDOW)  # the words of a long line's end, not all its words
    while True:
        words = list(_WORD.finditer(stripped, window))  # the first may be the end of a word cut by the window
        start = None
        for k in range(len(words) - 1, -1, -1):
            if not _FIGURES_WORD.fullmatch(words[k].group()):
                if k == 0 and window:
                    break  # the cut word: read the whole line
                return start
            start = words[k].start()
        if not window:
            return start
        window = 0


_TAIL_WINDOW = 160  # characters at the end of a line looked at first for its figures


def _real_figures(text: str, figures: list[tuple[int, int]]) -> bool:
    """At least one token is a number (not only dashes or markers), and a lone year is not a row of figures."""
    numbers = [text[s:e] for s, e in figures if _DIGIT.search(text, s, e) and not _NOTE_MARK.fullmatch(text, s, e)]
    if not numbers:
        return False
    return not (len(numbers) == 1 and _YEAR.fullmatch(numbers[0]))


def _numeric_tail(text: str) -> int:
    """Where the line's closing run of digits, commas, brackets and spaces starts: a ``_GLUED_TAIL`` match
    holds nothing else, so it is searched for from there (from the line's start it was tried at every
    letter of a long line)."""
    k = len(text)
    while k and (text[k - 1] in ",() " or text[k - 1].isdecimal() or text[k - 1].isspace()):
        k -= 1
    return k


def _glued_row(text: str, columns: int) -> Optional[FigureRow]:
    """``Telephones760200780``: a label with its figures run together; split by row arithmetic."""
    m = _GLUED_TAIL.search(text, _numeric_tail(text))
    if not m:
        return None
    run = m.group("run")
    pieces = split_glued(run.replace(" ", ""), columns)
    if not pieces:
        return None
    spans, pos = [], m.start("run")
    for piece in pieces:
        while pos < len(text) and text[pos] == " ":
            pos += 1
        spans.append((pos, pos + len(piece)))
        pos += len(piece)
    return FigureRow((0, m.start("run")), spans, glued=True)


# ---------------------------------------------------------------- headers


@short_text_cache()
def unit_count(text: str) -> int:
    """How many columns a line of units labels: ``£000 £000 £000`` → 3, ``££££`` → 4."""
    stripped = text.strip()
    if _POUND_SIGNS.fullmatch(stripped):
        return len(stripped)
    tokens = _UNIT_TOKEN.findall(stripped)
    rest = _UNIT_TOKEN.sub("", stripped).strip(" ,")
    return len(tokens) if tokens and not rest else 0


@short_text_cache()
def is_header_line(text: str) -> bool:
    """Years, units or column words: remembered, as ``read`` asks again for each line it starts from."""
    stripped = text.strip()
    if not stripped or len(stripped) > 200:
        return False
    years = max(len(FY_PATTERN.findall(stripped)), len(_GLUED_YEARS.findall(stripped)))
    return bool(unit_count(stripped)) or header_word_share(stripped) >= 0.5 or years >= 2


_GLUED_YEARS = re.compile(r"(?:19|20)\d{2}[/\-–]\d{2}")
_WORDS = re.compile(r"[A-Z][a-z]+(?=[A-Z])|\S+")  # "AdjustmentsChangesBudget" is three words


def header_labels(text: str, columns: int) -> tuple[str, list[tuple[int, int]]]:
    """Split a header line into the label column's words and ``columns`` column labels (spans in the line).

    Each year starts a column label and takes the words after it
    (``2004/05 Slippage``); where that gives too few labels, trailing words
    after the last year become a column of their own (``Total Scheme Cost``),
    and single words stand for one column each (``Base Technical Policy Total``).
    """
    years = list(FY_PATTERN.finditer(text))
    glued = list(_GLUED_YEARS.finditer(text))
    if len(glued) > len(years):
        years = glued  # "2007/082008/09": years printed without a gap
    if years and not re.sub(r"\W", "", _GLUED_YEARS.sub("", text)) and 1 < len(years) < columns:
        # only years, fewer than the columns: a base year and a budget year bridge the first and last columns
        first, last = years[0], years[-1]
        return "", [(first.start(), first.end())] + [None] * (columns - 2) + [(last.start(), last.end())]
    if years:
        starts = [m.start() for m in years]
        ends = starts[1:] + [len(text.rstrip())]
        spans = [(s, _trim_end(text, s, e)) for s, e in zip(starts, ends)]
        while len(spans) < columns:
            split = _split_trailing_words(text, spans)
            if split is None:
                break
            spans = split
        return text[: starts[0]].strip(), spans[-columns:] if len(spans) > columns else spans
    words = [(m.start(), m.end()) for m in _WORDS.finditer(text)]
    if len(words) >= columns:
        return " ".join(text[s:e] for s, e in words[: len(words) - columns]), words[len(words) - columns:]
    return "", words


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] == " ":
        end -= 1
    return end


def _split_trailing_words(text: str, spans: list[tuple[int, int]]) -> Optional[list[tuple[int, int]]]:
    """Cut the words after the last year off into a column of their own."""
    for k in range(len(spans) - 1, -1, -1):
        s, e = spans[k]
        words = list(re.finditer(r"\S+", text[s:e]))
        if len(words) >= 3:
            cut = s + words[1].start()
            return spans[:k] + [(s, _trim_end(text, s, cut)), (cut, e)] + spans[k + 1:]
    return None


# ---------------------------------------------------------------- placing figures in columns


def place(text: str, row: FigureRow, columns: int) -> list[Optional[tuple[int, int]]]:
    """Each column's figure span (or ``None`` for a blank cell), from the runs of spaces between figures.

    When the spaces do not add up to the column count, the first figure may
    belong to the label (``Shared Use Paths ph 3``): the row is read again
    with it moved into the label; failing that, the figures are right-aligned
    (totals and later years sit at the right).
    """
    figures = list(row.figures)
    if row.glued or len(figures) == columns:
        return [None if _marker(text, f) else f for f in figures]
    if len(figures) > columns:
        row.label = (row.label[0], figures[len(figures) - columns - 1][1])
        return figures[-columns:]
    label_end = row.label[1]
    while figures:
        slots = _by_spaces(text, label_end, figures)
        if len(slots) == columns:
            row.label = (row.label[0], label_end)
            return [None if s is not None and _marker(text, s) else s for s in slots]
        if text[label_end:figures[0][0]] != " ":
            break
        label_end = figures[0][1]
        figures = figures[1:]
    figures = list(row.figures)
    return [None] * (columns - len(figures)) + figures


def _marker(text: str, span: tuple[int, int]) -> bool:
    return _NOTE_MARK.fullmatch(text, span[0], span[1]) is not None


def _by_spaces(text: str, label_end: int, figures: list[tuple[int, int]]) -> list[Optional[tuple[int, int]]]:
    """k blank cells between two figures leave 2k+1 spaces; each trailing blank leaves two more."""
    slots: list[Optional[tuple[int, int]]] = []
    prev_end = label_end
    for s, e in figures:
        slots.extend([None] * max(0, (s - prev_end - 1) // 2))
        slots.append((s, e))
        prev_end = e
    trailing = len(text) - len(text.rstrip(" "))
    slots.extend([None] * (trailing // 2))
    return slots


def split_ref(label: str) -> tuple[Optional[str], int]:
    """A scheme number or ledger code in front of a label: (the ref, where the label's words start)."""
    m = _REF.match(label)
    if not m:
        return None, 0
    ref = (m.group("ref") or m.group("code")).rstrip(".")
    return ref, m.end()


# ---------------------------------------------------------------- the table


@dataclass
class RowsTable:
    header: list[list[Cell]]
    rows: list[list[Cell]]
    next_line: int
    before: list[int]  # header-zone lines that are really captions, read as ordinary lines


def read(lines: Sequence, i: int) -> Optional[RowsTable]:
    """A figure-rows table whose header or first row starts at line ``i``, or ``None``."""
    header_lines, k = _header_lines(lines, i)
    if not header_lines and _prose_line(lines[i]):
        return None  # neither a header nor a row, nor a rule to step over: the loop below would stop at once
    columns = max((unit_count(lines[h].text) for h in header_lines), default=0)
    rows: list[tuple[int, Optional[FigureRow]]] = []
    misses = 0
    n = len(lines)
    while k < n:
        line = lines[k]
        # a prose line (kept on the line) is neither blank nor a rule, and without columns it is no figure row:
        # figure_row needs figures at its end, and a line of figures only ends in them too
        prose = not columns and _prose_line(line)
        if not prose and (line.blank or _rule_line(line.stripped)):
            k += 1
            continue
        if "\t" in line.stripped or "|" in line.text or _BULLETED.match(line.stripped):  # stripped: its tabs are the text's inner ones
            break  # other table forms; a bulleted list is a list even when its items end in amounts
        found = None if prose else figure_row(line.text, columns or None)
        if found is None and not prose and rows and rows[-1][1] is not None and misses == 0 and _FIGURES_ONLY.match(line.text):
            found = FigureRow((0, 0), [(f.start(), f.end()) for f in FIGURE_TOKEN.finditer(line.text)])  # an unlabelled total
        if found is None:
            if len(line.stripped) > 120 or not (rows or header_lines):
                break
            misses += 1
            if misses > S.figure_rows_max_sections:
                break
            rows.append((k, None))
            k += 1
            continue
        misses = 0
        rows.append((k, found))
        k += 1
    while rows and rows[-1][1] is None:
        rows.pop()
    if rows and all(r is None for _, r in rows):
        return None
    figure_rows = [r for _, r in rows if r is not None]
    if len(figure_rows) < S.figure_rows_min:
        return None
    counts = [len(r.figures) for r in figure_rows]
    usual = max(set(counts), key=counts.count)
    if columns and columns < usual:
        return None  # the lines above do not describe these rows; the rows are read from their first line
    if not columns:
        columns = usual if header_lines else max(counts)
        if not header_lines and max(counts) < 2 and len(figure_rows) < 3:
            return None
    if not header_lines and columns < 2 and not _has_money(lines, figure_rows, rows):
        return None
    if columns == 1 and _page_numbers([lines[k].text[slice(*r.figures[-1])] for k, r in rows if r is not None]):
        return None  # a contents page: labels with the page they start on
    end = rows[-1][0] + 1
    first_row = next(k for k, r in rows if r is not None)
    header, used_before = [], []
    if not any(unit_count(lines[h].text) for h in header_lines):
        for count in dict.fromkeys([usual, columns]):  # the usual number of figures, then the most
            header, used_before = _header_above(lines, first_row, count)
            if header:
                columns = count
                break
    if header:
        rows = [(k, r) for k, r in rows if k > used_before[-1]]
    else:
        header = _header_cells(lines, header_lines, columns)
    body = [_row_cells(lines[k], r, columns) for k, r in rows]
    if not header:
        header = _glued_header(body, columns)
    return RowsTable(header=header, rows=body, next_line=end, before=used_before)


_HEAD_UNIT = re.compile(r"£m|£000|£'000|£k|£(?=\s|$)|(?<!\S)%(?=\s|$)", re.I)


def _header_above(lines: Sequence, i: int, columns: int) -> tuple[list[list[Cell]], list[int]]:
    """Column labels printed one to a line above the rows, each ending in its unit (``Capital charges £m``).

    Web tables saved as text put each header cell on its own line with blank
    lines between.  Walking back from the first row over short lines, the
    units cut the text into labels; when that gives as many labels as the rows
    have figures, they are the header (a plain word just above the rows heads
    the label column, a bracketed footnote joins the label before it).
    """
    picked: list[int] = []
    k = i - 1
    while k >= 0 and len(picked) < S.figure_header_lookback:
        line = lines[k]
        if line.blank:
            k -= 1
            continue
        if len(line.stripped) > 120 or figure_row(line.text) is not None or line.stripped.endswith((".", ":")):
            break
        picked.insert(0, k)
        k -= 1
    for start in range(len(picked)):
        chosen = picked[start:]
        labels, label_head = _labels_by_unit(lines, chosen)
        if len(labels) == columns:
            first = lines[chosen[0]]
            head = label_head or Cell("", first.start, first.start)
            return [[head] + labels], chosen
    return [], []


def _labels_by_unit(lines: Sequence, chosen: list[int]) -> tuple[list[Cell], Optional[Cell]]:
    """Cut header lines into column labels at their units; a unit-less last line is the label column's head.

    A unit closes the label before it (``Capital charges £m``); a per-cent
    sign that opens a label (``% change from previous year``) makes it run to
    the end of its line; words with no unit yet carry on to the next line
    (``Band D council tax equivalent`` / ``£``).
    """
    labels: list[Cell] = []
    label_head = None
    pending: Optional[tuple[int, int]] = None  # document offsets of the label being built

    def close(start: int, end: int) -> None:
        labels.append(Cell(_doc_slice(lines, start, end), start, end))

    for n, k in enumerate(chosen):
        line = lines[k]
        text = line.text
        if n == len(chosen) - 1 and not _HEAD_UNIT.search(text) and labels and pending is None:
            s = line.start + len(text) - len(text.lstrip())
            label_head = Cell(text.strip(), s, s + len(text.strip()))
            break
        if re.fullmatch(r"\s*\(\d\)\s*", text) and labels:
            continue  # a footnote marker under a label
        pos = 0
        for m in _HEAD_UNIT.finditer(text):
            before = text[pos:m.start()]
            if m.group() == "%" and not before.strip():
                if pending:
                    close(*pending)
                    pending = None
                start = line.start + m.start()
                close(start, line.start + len(text.rstrip()))
                pos = len(text)
                break
            seg_start = line.start + pos + (len(before) - len(before.lstrip()))
            start = pending[0] if pending else seg_start
            close(start, line.start + m.end())
            pending = None
            pos = m.end()
        rest = text[pos:]
        if rest.strip():
            s = line.start + pos + (len(rest) - len(rest.lstrip()))
            pending = (pending[0] if pending else s, line.start + len(text.rstrip()))
    if pending:
        close(*pending)
    return labels, label_head


def _doc_slice(lines: Sequence, start: int, end: int) -> str:
    """Document text between two offsets, rebuilt from the lines (which know their offsets)."""
    out = []
    for line in lines:
        if line.end >= start and line.start <= end:
            out.append((line.start, line.text))
    text = ""
    for s, chunk in out:
        piece = chunk[max(0, start - s): max(0, end - s)]
        text += ("\n" if text else "") + piece
    return text.strip()


_FIGURES_ONLY = re.compile(rf"^\s*(?:(?:{_FIGURE})\s*)+$", re.I)
_GLUED_UNIT = re.compile(r"\(?£\s*['’]?(?:000|k|m|bn)\)?(?=[A-Z][a-z])")


def _glued_header(body: list[list[Cell]], columns: int) -> list[list[Cell]]:
    """``Items / £mAnti-Social Behaviour …``: a header whose last cell ran into the first row's label.

    The words up to the unit become the header row and the first row keeps the rest.
    """
    first = body[0][0]
    m = _GLUED_UNIT.search(first.text)
    if not m:
        return []
    head = first.text[: m.start()].rstrip(" /|")
    header = [Cell(head, first.start, first.start + len(head))]
    header += [Cell(m.group(0), first.start + m.start(), first.start + m.end())] * columns
    body[0][0] = Cell(first.text[m.end():], first.start + m.end(), first.end)
    return [header]


_BULLETED = re.compile(r"^(?:[•·▪◦●○■□➢►–—*]|\d{1,2}[.)]\s|\(?[a-z]\)\s)")


def _page_numbers(figures: list[str]) -> bool:
    """Small whole numbers that never go down: page numbers of a contents list, not amounts."""
    if not all(re.fullmatch(r"\d{1,3}", f) for f in figures):
        return False
    numbers = [int(f) for f in figures]
    return numbers == sorted(numbers)


_INK = re.compile(r"[A-Za-z0-9£%]")


_INK_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789£%")  # what _INK matches


def _rule_line(stripped: str) -> bool:
    """``______`` or ``¯¯¯¯``: a drawn rule printed as characters (most lines open with ink: no search then)."""
    return bool(stripped) and stripped[0] not in _INK_CHARACTERS and not _INK.search(stripped)


def _prose_line(line) -> bool:
    """A written line that does not end in figures (so ``figure_row`` finds none) and is no drawn rule.
    Kept on the line: the scan's plain-line gate asks it, then ``read`` from the same line."""
    kept = line.prose
    if kept is None:
        kept = line.prose = not line.blank and tail_start(line.text.rstrip()) is None and not _rule_line(line.stripped)
    return kept


def cannot_start(line) -> bool:
    """``read`` finds no table from this written line: it is no header line, does not end in figures, and is
    no drawn rule (so ``_header_lines`` finds none and ``read`` stops at once)."""
    return _prose_line(line) and not is_header_line(line.text)


def _has_money(lines, figure_rows, rows) -> bool:
    """Pound or per-cent signs on the figures, or a unit in the first row or the line before it."""
    texts = [lines[k].text[slice(*r.figures[-1])] for k, r in rows if r is not None and r.figures]
    if sum(1 for t in texts if "£" in t or "%" in t) >= 2:
        return True
    first = rows[0][0]
    around = lines[first].text + " " + (lines[first - 1].text if first > 0 else "")
    return bool(UNIT_PATTERN.search(around) or _GLUED_UNIT.search(around))


def _header_lines(lines: Sequence, i: int) -> tuple[list[int], int]:
    """Consecutive header lines from ``i`` (years, column words, units); returns them and the next line."""
    out, k = [], i
    while k < len(lines) and len(out) < S.figure_header_max_lines:
        line = lines[k]
        if line.blank:
            k += 1
            continue
        # a prose line (kept on the line) ends in no figures, so figure_row finds no row in it
        if (not _prose_line(line) and figure_row(line.text) is not None) or not is_header_line(line.text):
            break
        out.append(k)
        k += 1
    return out, k


def _header_cells(lines: Sequence, header_lines: list[int], columns: int) -> list[list[Cell]]:
    rows = []
    for h in header_lines:
        line = lines[h]
        text = line.text
        if unit_count(text):
            tokens = [(m.start(), m.end()) for m in _UNIT_TOKEN.finditer(text)]
            if re.fullmatch(r"\s*£{2,}\s*", text):
                first = text.index("£")
                tokens = [(first + j, first + j + 1) for j in range(len(text.strip()))]
            label = Cell("", line.start, line.start)
            cells = [label] + [Cell(text[s:e], line.start + s, line.start + e) for s, e in tokens[:columns]]
        else:
            words, spans = header_labels(text, columns)
            first_start = line.start + (text.find(words) if words else 0)
            label = Cell(words, first_start, first_start + len(words))
            cells = [label]
            for span in spans:
                at = cells[-1].end
                cells.append(Cell(text[span[0]:span[1]], line.start + span[0], line.start + span[1]) if span else Cell("", at, at))
        end = cells[-1].end
        rows.append(cells + [Cell("", end, end) for _ in range(columns + 1 - len(cells))])
    return rows


def _row_cells(line, row: Optional[FigureRow], columns: int) -> list[Cell]:
    text = line.text
    if row is None:  # a section line between figure rows
        lead = len(text) - len(text.lstrip())
        stripped = text.strip()
        start = line.start + lead
        return [Cell(stripped, start, start + len(stripped))] + [Cell("", start + len(stripped), start + len(stripped))] * columns
    lead = len(text) - len(text.lstrip())
    slots = place(text, row, columns)  # may move a figure into the label
    label_text = text[lead: max(lead, row.label[1])].rstrip(" /|")  # "Choices Project / 0.144": the slash separated cells
    label = Cell(label_text.rstrip(), line.start + lead, line.start + lead + len(label_text.rstrip()))
    cells = [label]
    for slot in slots:
        if slot is None:
            at = cells[-1].end
            cells.append(Cell("", at, at))
        else:
            cells.append(Cell(text[slot[0]:slot[1]], line.start + slot[0], line.start + slot[1]))
    return cells
