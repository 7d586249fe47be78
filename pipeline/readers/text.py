"""Text reader: plain text, markdown and HTML fragments → ``Document``.

Council plans saved as text carry their tables in many shapes; every one of
them comes out as ``Table`` rows of ``Cell``s with document offsets:

* tab-separated rows (``a\\tb\\tc``), rows split by a blank line joined back;
* one cell per line (a line starting with a tab opens a cell, following lines
  continue it, a blank line ends the row);
* markdown pipes, including rows that wrap over two lines;
* space-aligned columns (two or more spaces between cells);
* a unit-anchored row (``Commercial property (8,045) Increased voids …``)
  under a header naming the unit (``Budget (£000)``).
"""
from __future__ import annotations

import re
from operator import sub
from dataclasses import dataclass, field
from typing import Optional

from pipeline.document import Block, Cell, Document, Table
from pipeline.normalise.money import UNIT_PATTERN, might_name_unit
from pipeline.readers import aligned, cleaning, delimited, html_page, rows, runon, streams
from pipeline.readers.errors import ReadError
from pipeline.readers.text_settings import TEXT_SETTINGS


@dataclass(slots=True, init=False)
class Line:
    """One line of the text; its text never changes once split, so what every table shape the scan tries asks
    of each line (is it blank, its stripped text) is worked out once, when it is made."""

    start: int
    end: int
    text: str
    blank: bool = field(repr=False, compare=False)
    stripped: str = field(repr=False, compare=False)
    # what the readers ask of the line, worked out when first asked (None until then): aligned._ink_of,
    # aligned._laid_out, streams.stream_line, rows._prose_line; the scan asks each again from other lines
    ink: Optional[int] = field(repr=False, compare=False)
    laid_out: Optional[bool] = field(repr=False, compare=False)
    stream: Optional[bool] = field(repr=False, compare=False)
    prose: Optional[bool] = field(repr=False, compare=False)

    def __init__(self, start: int, end: int, text: str) -> None:  # by hand: the generated one calls __post_init__
        self.start, self.end, self.text = start, end, text
        self.ink = self.laid_out = self.stream = self.prose = None
        if "\xa0" in text:
            text = text.replace("\xa0", " ")
        self.stripped = stripped = text.strip()
        # a lone tab is an empty cell in one-cell-per-line tables, not a blank line
        self.blank = not stripped and not text.strip(" \r")


def decode(data: bytes) -> str:
    """The file's text, cleaned (``pipeline.readers.cleaning``): any BOM, UTF-16, UTF-8 or Windows-1252."""
    return _cleaned(data).text


def _mostly_control(text: str) -> bool:
    return cleaning.mostly_control(text)


def _cleaned(data: bytes) -> cleaning.Cleaned:
    if not data.strip():
        raise ReadError("empty", "the file is empty")
    try:
        cleaned = cleaning.text_from_bytes(data)
    except cleaning.Undecodable as exc:
        raise ReadError(exc.code, exc.message) from exc
    if not cleaned.text.strip():
        raise ReadError("empty", "the file holds no text (only control or invisible characters)")
    return cleaned


def read_text(source: str, data: bytes) -> Document:
    cleaned = _cleaned(data)
    text = aligned.rewrite_wrapped(html_page.as_text(cleaned.text, source))
    doc = Document(source=source, text=text, blocks=blocks_from_lines(text))
    doc.issues.extend(cleaned.issues)
    return doc


def split_lines(text: str) -> list[Line]:
    """The text's lines with their offsets, less the left margin every line shares (``pdftotext -layout``
    and fixed-width reports indent the whole page; a line's own indentation beyond it still counts)."""
    raws = text.split("\n")
    margin, padding = _common_margins(raws)
    lines, pos = [], 0
    if not margin and not padding:  # the usual text: every line as it is
        for raw in raws:
            end = pos + len(raw)
            lines.append(Line(pos, end, raw))
            pos = end + 1
        return _single_spaced(lines)
    for raw in raws:
        cut, pad = (margin, padding) if raw.strip() else (0, 0)
        lines.append(Line(pos + cut, pos + len(raw) - pad, raw[cut:len(raw) - pad]))
        pos += len(raw) + 1
    return _single_spaced(lines)


def _single_spaced(lines: list[Line]) -> list[Line]:
    """A double-spaced text (a blank line after every line, as some converters write) read as single-spaced:
    one blank line is the spacing, two or more are a paragraph break."""
    written = [k for k, line in enumerate(lines) if not line.blank]
    if len(written) < TEXT_SETTINGS.double_spaced_min_lines:
        return lines
    gaps = list(map(sub, written[1:], written))  # each written line's distance from the one before
    if gaps.count(1) > TEXT_SETTINGS.double_spaced_max_adjacent * len(gaps) or gaps.count(2) < len(gaps) / 4:
        return lines  # lines follow each other often enough: the blank lines mean something
    kept: list[Line] = []
    for k, line in enumerate(lines):
        lone_blank = line.blank and 0 < k < len(lines) - 1 and not lines[k - 1].blank and not lines[k + 1].blank
        if not lone_blank and not (line.blank and kept and kept[-1].blank):
            kept.append(line)
    return kept


_MARGIN_PEEK = 8  # lines at the top looked at first for one that starts, and one that ends, with ink


def _common_margins(raws: list[str]) -> tuple[int, int]:
    """Spaces every non-blank line starts with, and spaces every one ends with (padding, not blank cells:
    the figure-row grammar reads two trailing spaces as an empty last cell)."""
    top = raws[:_MARGIN_PEEK]
    if any(raw and not raw[0].isspace() for raw in top) and any(raw and not raw[-1].isspace() for raw in top):
        return 0, 0  # a line near the top starts with ink, and one ends with it: neither margin can be wider
    written = [raw for raw in raws if raw.strip()]
    left = min((len(raw) - len(raw.lstrip(" ")) for raw in written), default=0)
    right = min((len(raw) - len(raw.rstrip(" ")) for raw in written), default=0)
    return left, right


# ---------------------------------------------------------------- line kinds

_BULLET_ITEM = re.compile(r"^(?P<m>(?:[•·▪◦●○■□➢►–—]|[-*](?=\s))(?:\s*[*•·-](?=\s))*|\d{1,3}[.)]|\([a-z0-9]{1,3}\)|[a-z][.)])\s+\S")
_NUMBER_PARA = re.compile(r"^(?P<m>\d{1,3})\s+(?=[A-Z])")
_NOT_DIGIT = re.compile(r"\D")
_NO_LETTER = re.compile(r"[\W\d_]+")
_ATTRIBUTION = re.compile(r"^(Led|Headed|Managed|Chaired|Run|Overseen) by\b", re.I)
_ATTRIBUTION_OPENERS = frozenset("CHLMORchlmor")  # what the first letter of an _ATTRIBUTION word matches
_MD_ROW = re.compile(r"^\s*(?:[-*]\s*)?\|")
_MD_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$")
_SPACED = re.compile(r"\S(?: {2,}|\t)\S")
_NUMBER_TOKEN = r"\(?[-–]?£?\d[\d,]*(?:\.\d+)?\)?"
_ANCHORED_ROW = re.compile(rf"^(?P<label>\D.*?)\s+(?P<num>{_NUMBER_TOKEN})\s+(?P<rest>\S.*)$")


def _is_cell_line(line: Line) -> bool:
    return line.text.startswith("\t") and "\t" not in line.text[1:]


def _is_tsv(line: Line) -> bool:
    return "\t" in line.text.strip("\t ") or (line.text.startswith("\t") and line.text.count("\t") > 1)


def _is_md(line: Line) -> bool:
    return bool(_MD_ROW.match(line.text)) and line.text.count("|") >= 2


_BULLET_OPENERS = frozenset("•·▪◦●○■□➢►–—-*(")  # what a _BULLET_ITEM opens with, besides a digit or a-z


def _list_marker(stripped: str) -> Optional[str]:
    first = stripped[:1]
    if not (first in _BULLET_OPENERS or first.isdigit() or "a" <= first <= "z"):
        return None  # most lines open with a capital: no _BULLET_ITEM can match them
    m = _BULLET_ITEM.match(stripped)
    if not m:
        return None
    marker = m.group("m")
    digits = _NOT_DIGIT.sub("", marker)
    return digits if digits and marker[0].isdigit() else marker.strip()[:1]


def looks_like_heading(stripped: str) -> bool:
    """A short line without closing punctuation that starts in capitals."""
    if not stripped or len(stripped) > 90 or stripped[0].islower():
        return False
    if (stripped[-1] in ".,;:!?" or stripped.endswith(":-")) and not stripped.endswith("..."):
        return False
    if (len(stripped) > 2 * 12 and len(stripped.split()) > 12) or (  # 13 words take 25 characters at least
            stripped[0] in _ATTRIBUTION_OPENERS and _ATTRIBUTION.match(stripped)):
        return False
    if not stripped[0].isalpha() and _NO_LETTER.fullmatch(stripped):  # a letter is no _NO_LETTER character
        return False
    return True


# ---------------------------------------------------------------- the reader


def blocks_from_lines(text: str) -> list[Block]:
    return finish_blocks(scan_lines(text), text)


def scan_lines(text: str, offset: int = 0) -> list[Block]:
    """Blocks found line by line in ``text``; spans are shifted by ``offset``.

    The PDF reader runs this over the flowing text of each page (written at
    ``offset`` in its document text) so both readers share one line grammar.
    """
    lines = split_lines(text)
    blocks: list[Block] = []
    i, n = 0, len(lines)
    no_stream_before = 0  # lines already found not to start a one-cell-per-line table
    while i < n:
        line = lines[i]
        if line.blank or (not line.stripped and not (_is_cell_line(line) and _cell_table_ahead(lines, i))):
            i += 1
            continue
        if _plain_line(lines, i, no_stream_before):  # no table can start here: skip asking each reader
            blocks.append(_line_block(line, text))
            i += 1
            continue
        # each shape below is asked only of a line holding what its reader cannot do without (a pipe, a tab,
        # a slash, a gutter, a run-on length: see _plain_line), the test written here rather than in a call
        text_of_line = line.text
        tab = "\t" in text_of_line
        if "|" in text_of_line and _is_md(line):
            i = _read_markdown(lines, i, blocks, text)
        elif tab and _is_cell_line(line) and _cell_table_ahead(lines, i):
            i = _read_cell_table(lines, i, blocks, text)
        elif tab and _is_tsv(line):
            i = _read_tsv(lines, i, blocks, text)
        elif _slash_near(lines, i) and (stop := delimited.region(lines, i)) > i and (
                slashed := delimited.read(lines, i, stop, text)) is not None:
            grid = delimited.square(slashed.header, slashed.rows)
            blocks.append(_table_block(grid, text, len(slashed.header)))
            i = stop
        elif not tab and _GUTTER in text_of_line and (laid_out := aligned.read(lines, i)) is not None:
            blocks.append(_table_block([[_cell(text, a, b) for a, b in row] for row in laid_out.rows], text))
            i = laid_out.next_line
        elif not rows.cannot_start(line) and (found := rows.read(lines, i)) is not None and not _aligned_within(
                lines, i + 1, found.next_line, text):
            if found.before:  # header lines already read as headings: they belong to the table
                first = lines[found.before[0]].start
                while blocks and blocks[-1].start >= first:
                    blocks.pop()
            blocks.append(_table_block(found.header + found.rows, text, len(found.header)))
            i = found.next_line
        elif not tab and _anchored_header(lines, i):
            i = _read_anchored(lines, i, blocks, text)
        elif (tab or "  " in line.stripped) and _spaced_table_ahead(lines, i):
            i = _read_spaced(lines, i, blocks, text)
        elif len(text_of_line) >= TEXT_SETTINGS.runon_min_chars and (flat := runon.read(text_of_line, line.start)) is not None:
            blocks.extend(runon.blocks(flat, text_of_line, line.start))
            i += 1
        elif i >= no_stream_before and streams.stream_line(line):
            end = streams.stream_end(lines, i)
            # an aligned table inside those lines is read when the scan reaches it, not swallowed as cells
            held_back = _aligned_within(lines, i + 1, end, text)
            j = None if held_back or not _stream_may_hold_table(text, lines, i, end) else _read_stream(
                lines, blocks, text, streams.cells_between(lines, i, end), end)
            if j is None:
                no_stream_before = no_stream_before if held_back else end
                blocks.append(_line_block(line, text))
                i += 1
            else:
                i = j
        else:
            blocks.append(_line_block(line, text))
            i += 1
    if offset:
        for block in blocks:
            shift(block, offset)
    return blocks


_GUTTER = " " * TEXT_SETTINGS.aligned_min_gutter


def _plain_line(lines: list[Line], i: int, no_stream_before: int) -> bool:
    """Whether no table shape can start at written line ``i``, from the cheapest thing each reader needs.

    Most lines of a plan are sentences and headings, and asking each reader
    in turn cost more than reading them.  Each test below is a condition the
    reader named cannot do without, so when all fail the scan's chain would
    end in a plain line block too (``test_plain_lines_read_as_the_readers_would``
    checks the two agree on the corpus).
    """
    line = lines[i]
    text = line.text
    if "|" in text or "\t" in text or "/" in text or _GUTTER in text or len(text) >= TEXT_SETTINGS.runon_min_chars:
        return False  # markdown; tab rows and cells; slash cells; columns kept by spaces, spaced rows; run-on tables
    if i + 1 < len(lines) and lines[i + 1].stripped.startswith("/"):
        return False  # slash cells whose separator opens the next line
    if might_name_unit(text):
        return False  # a header naming a unit, over label-figure-comment rows
    if i >= no_stream_before and streams.stream_line(line):
        return False  # a one-cell-per-line table
    return rows.cannot_start(line)


def _slash_near(lines: list[Line], i: int) -> bool:
    """A slash in the line, or opening the next one: ``delimited.region`` finds no table from ``i`` without."""
    return "/" in lines[i].text or (i + 1 < len(lines) and lines[i + 1].stripped.startswith("/"))


def _aligned_within(lines: list[Line], first: int, stop: int, text: str) -> bool:
    """``aligned.within``, not asked when no line of ``first``..``stop`` holds a gutter: every laid-out line
    does, and a line's text is the document's ``text[line.start:line.end]``, so one search of the
    document's text between them rules all of them out (walking the lines cost more than the rest of a
    failed one-cell-per-line stream)."""
    last = min(stop, len(lines)) - 1
    if last < first or text.find(_GUTTER, lines[first].start, lines[last].end) == -1:
        return False
    return aligned.within(lines, first, stop)


# a line opening as a figure does (a digit, or a bracket, sign, pound or point before one) or as a reference number
# (up to four capitals, then a digit): every figure cell and every reference cell is such a line's stripped text
_FIGURE_OR_REF_OPENING = re.compile(r"^\s*(?:[\d(\-–−£.]|[A-Z]{1,4}\s?\d)", re.M)


def _stream_may_hold_table(text: str, lines: list[Line], first: int, stop: int) -> bool:
    """Whether one of lines ``first``..``stop`` opens as a figure or a reference number: ``streams.rebuild``
    finds no table without a figure cell or two reference cells, so without such a line the cells need not
    be collected.  One search of the document's text from the first line's start (a ``^`` there, margin
    included) to the last line's end; ``\\s*`` may run on over a line break, which only lets more through."""
    if stop <= first:
        return False
    line_start = text.rfind("\n", 0, lines[first].start) + 1
    return _FIGURE_OR_REF_OPENING.search(text, line_start, lines[stop - 1].end) is not None


def shift(block: Block, offset: int) -> None:
    block.start += offset
    block.end += offset
    if block.table is not None:
        for row in block.table.rows:
            for cell in row:
                cell.start += offset
                cell.end += offset


def finish_blocks(blocks: list[Block], text: str) -> list[Block]:
    """Whole-document passes: rejoin split tables and broken sentences, number runs, table headers and units."""
    blocks = _merge_split_tables(blocks, text)
    blocks = _repair_broken_lines(blocks, text)
    _numbered_paragraph_runs(blocks)
    for i, block in enumerate(blocks):
        if block.table is not None:
            _finish_table(blocks, i)
    return blocks


def _line_block(line: Line, text: str) -> Block:
    stripped = line.stripped
    if len(stripped) == len(line.text):  # nothing at either end to trim (most lines): the block is the line
        lead, start, end, body = 0, line.start, line.end, line.text
    else:
        lead = len(line.text) - len(line.text.lstrip(" \t\xa0"))
        start, end = line.start + lead, line.start + len(line.text.rstrip(" \t\xa0"))
        body = text[start:end]
    marker = _list_marker(stripped)
    if marker is not None:
        return Block(body, start, end, marker=marker, kind="list_item", level=1 if lead else 0)
    if looks_like_heading(stripped):
        level = 1 if stripped.isupper() else 2
        return Block(body, start, end, kind="heading", level=level)
    return Block(body, start, end, kind="paragraph")


def _cell(text: str, start: int, end: int) -> Cell:
    """The cell ``text[start:end]`` holds, its spaces trimmed (by ``str.strip``, not walked character by character)."""
    part = text[start:end]
    core = part.lstrip(" \t\xa0")
    start += len(part) - len(core)
    core = core.rstrip(" \t\xa0\n")
    return Cell(core, start, start + len(core))


def _table_block(rows: list[list[Cell]], text: str, header_rows: Optional[int] = None) -> Block:
    first = [c for row in rows for c in row]
    start = min(c.start for c in first) if first else 0
    end = max(c.end for c in first) if first else 0
    table = Table(rows=rows, header_rows=-1 if header_rows is None else header_rows)
    return Block(text[start:end], start, end, kind="table", table=table)


def _cell_table_ahead(lines: list[Line], i: int) -> bool:
    """One-cell-per-line needs at least two cell lines before the first blank line.

    Asked from every line: it stops at the second cell line and never copies
    the lines ahead (a slice per line made a long text quadratic).
    """
    count = 0
    for k in range(i, len(lines)):
        if lines[k].blank:
            break
        count += _is_cell_line(lines[k])
        if count >= 2:
            return True
    return False


def _read_cell_table(lines: list[Line], i: int, blocks: list[Block], text: str) -> int:
    rows: list[list[Cell]] = []
    row: list[Cell] = []
    n = len(lines)
    while i < n:
        line = lines[i]
        if line.blank:
            if row:
                rows.append(row)
                row = []
            j = i
            while j < n and lines[j].blank:
                j += 1
            if j < n and _is_cell_line(lines[j]):
                i = j
                continue
            break
        if line.text.startswith("\t"):
            row.append(_cell(text, line.start + 1, line.end))
        elif row:
            last = row[-1]
            row[-1] = _cell(text, last.start, line.end)
        i += 1
    if row:
        rows.append(row)
    blocks.append(_table_block(rows, text))
    return i


def _split_tabs(line: Line, text: str) -> list[Cell]:
    """The line's cells between its tabs."""
    cells, pos = [], line.start
    for part in line.text.split("\t"):  # the line's text is the document's from line.start: no slice of it again
        core = part.lstrip(" \xa0")  # as _cell trims: a part holds no tab or line break
        start = pos + len(part) - len(core)
        core = core.rstrip(" \xa0")
        cells.append(Cell(core, start, start + len(core)))
        pos += len(part) + 1
    return cells


def _read_tsv(lines: list[Line], i: int, blocks: list[Block], text: str) -> int:
    rows: list[list[Cell]] = []
    n = len(lines)
    while i < n and not lines[i].blank:
        line = lines[i]
        if "\t" in line.text:
            rows.append(_split_tabs(line, text))
        elif rows and _wraps_last_cell(lines, i):
            last = rows[-1][-1]
            rows[-1][-1] = _cell(text, last.start, line.end)
        else:
            break
        i += 1
    blocks.append(_table_block(rows, text))
    return i


def _wraps_last_cell(lines: list[Line], i: int) -> bool:
    """Lines without tabs after a tab row continue its last cell when another tab row follows them, or when
    they are the table's last few lines before a blank line. Text that runs on to a heading or prose with
    no blank line between (extractors that drop blank lines) is not the table's."""
    k, most = i, i + TEXT_SETTINGS.tsv_wrap_max_lines
    while k < len(lines) and not lines[k].blank and "\t" not in lines[k].text:
        if looks_like_heading(lines[k].stripped) or k >= most:
            return False  # a heading starts what follows the table; a longer run is not a wrapped cell
        k += 1
    more_rows = k < len(lines) and not lines[k].blank
    return k - i <= (TEXT_SETTINGS.tsv_wrap_max_lines if more_rows else TEXT_SETTINGS.tsv_tail_wrap_max_lines)


def _read_markdown(lines: list[Line], i: int, blocks: list[Block], text: str) -> int:
    rows: list[list[Cell]] = []
    header_rows: Optional[int] = None  # without a |---| line the header is inferred, as for tab rows
    n = len(lines)
    while i < n and not lines[i].blank and (_MD_ROW.match(lines[i].text) or _MD_SEPARATOR.match(lines[i].text)):
        start = lines[i].start
        end = lines[i].end
        # a row whose closing pipe is on a later line
        while not lines[i].text.rstrip().endswith("|") and i + 1 < n and not lines[i + 1].blank:
            i += 1
            end = lines[i].end
        if _MD_SEPARATOR.match(text[start:end]):
            header_rows = len(rows)
        else:
            raw = text[start:end]
            first = raw.index("|")
            parts, pos = [], start + first + 1
            for part in raw[first + 1:].split("|"):
                parts.append(_cell(text, pos, pos + len(part)))
                pos += len(part) + 1
            if parts and not parts[-1].text:
                parts.pop()
            rows.append(parts)
        i += 1
    blocks.append(_table_block(rows, text, header_rows))
    return i


def _anchored_header(lines: list[Line], i: int) -> bool:
    """A header naming a money unit, followed by rows of label, number, comment."""
    line = lines[i].text
    if "\t" in line or not might_name_unit(line):
        return False
    j = i + 1  # the row below first: the unit pattern is the dearer test on a long line
    if not (j < len(lines) and not lines[j].blank and _ANCHORED_ROW.match(lines[j].stripped)):
        return False
    return UNIT_PATTERN.search(line) is not None


def _read_anchored(lines: list[Line], i: int, blocks: list[Block], text: str) -> int:
    head = lines[i]
    unit = UNIT_PATTERN.search(head.text)
    # the header splits around the word(s) carrying the unit: "Service area | Budget (£000) | Comments"
    before = head.text[: unit.start()].rstrip()
    word = re.search(r"(\S+\s*)$", before)
    split_at = word.start() if word else unit.start()
    header = [
        _cell(text, head.start, head.start + split_at),
        _cell(text, head.start + split_at, head.start + unit.end()),
        _cell(text, head.start + unit.end(), head.end),
    ]
    rows = [header]
    i += 1
    while i < len(lines) and not lines[i].blank:
        line = lines[i]
        m = _ANCHORED_ROW.match(line.stripped)
        if not m:
            break
        lead = len(line.text) - len(line.text.lstrip())
        base = line.start + lead
        rows.append([_cell(text, base + m.start(g), base + m.end(g)) for g in ("label", "num", "rest")])
        i += 1
    blocks.append(_table_block(rows, text, 1))
    return i


def _read_stream(lines: list[Line], blocks: list[Block], text: str, cells: list, end: int) -> Optional[int]:
    """The one-cell-per-line table in ``cells`` (collected up to line ``end``): blocks for its captions, the
    table; the next line to read."""
    found = streams.rebuild(cells)
    if found is None:
        return None
    for cell in found.before:
        blocks.append(_line_block(lines[cell.line], text))
    blocks.append(_table_block(found.header + found.rows, text, len(found.header)))
    return found.after[0].line if found.after else end


def _spaced(stripped: str) -> bool:
    """Two cells spaced apart (``_SPACED``), the regex asked only of lines holding a double space or a tab."""
    return ("  " in stripped or "\t" in stripped) and _SPACED.search(stripped) is not None


def _spaced_table_ahead(lines: list[Line], i: int) -> bool:
    """Two spaced-out lines in a row from ``i`` (checked without copying the lines ahead)."""
    for k in range(i, min(i + 2, len(lines))):
        line = lines[k]
        if line.blank or not _spaced(line.stripped) or _list_marker(line.stripped):
            return False
    return i + 2 <= len(lines)


def _read_spaced(lines: list[Line], i: int, blocks: list[Block], text: str) -> int:
    rows = []
    first = i
    while i < len(lines) and not lines[i].blank and _spaced(lines[i].stripped):
        line = lines[i]
        cells, pos = [], line.start
        for m in re.finditer(r"\S+(?: \S+)*", line.text):
            cells.append(_cell(text, pos + m.start(), pos + m.end()))
        rows.append(cells)
        i += 1
    header = _single_spaced_header(lines, first, blocks, text, max(len(r) for r in rows))
    if header is not None:
        rows.insert(0, header)
    blocks.append(_table_block(rows, text, 1 if header is not None else None))
    return i


def _single_spaced_header(lines: list[Line], first: int, blocks: list[Block], text: str, width: int) -> Optional[list[Cell]]:
    """``We will... Success measure Baseline Target`` just above double-spaced rows: column words, one per column."""
    if first == 0 or lines[first - 1].blank or not blocks or blocks[-1].start != lines[first - 1].start + (
            len(lines[first - 1].text) - len(lines[first - 1].text.lstrip(" \t\xa0"))):
        return None
    line = lines[first - 1]
    spans = runon.header_columns(line.text)
    if len(spans) != width:
        return None
    blocks.pop()
    return [_cell(text, line.start + s, line.start + e) for s, e in spans]


# ---------------------------------------------------------------- repairs


def _merge_split_tables(blocks: list[Block], text: str) -> list[Block]:
    """Join a table that a blank line split in two (same number of columns, nothing between)."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (
            prev is not None and block.table is not None and prev.table is not None
            and block.table.header_rows <= 0
            and _width(prev.table) == _width(block.table)
            and not _own_header(prev.table, block.table)
        ):
            prev.table.rows.extend(block.table.rows)
            prev.end = block.end
            prev.text = text[prev.start:prev.end]
            continue
        out.append(block)
    return out


def _own_header(first: Table, second: Table) -> bool:
    """The second table starts with a header row of its own (not the first one's, repeated after a page break)."""
    if not _looks_like_header(second):
        return False
    return [c.clean for c in second.rows[0]] != [c.clean for c in first.rows[0]]


def _width(table: Table) -> int:
    return max((len(r) for r in table.rows), default=0)


_DANGLING = re.compile(r"\b(to|and|or|of|the|a|an|with|for|in|on|by|from|as|that)$", re.I)
_DANGLING_WIDEST = 8  # characters before a text's end that hold any _DANGLING word (and the boundary before it)
# what the last letter of a _DANGLING word matches, case folded as the pattern folds it (the long s is an s)
_DANGLING_LAST = frozenset("ADEFHMNORSTYadefhmnorstyſ")


def _ink_end(text: str) -> int:
    """``len(text.rstrip())`` without copying the text."""
    end = len(text)
    while end and text[end - 1].isspace():
        end -= 1
    return end


def _first_ink(text: str) -> str:
    """``text.lstrip()[:1]`` without copying the text."""
    for ch in text:
        if not ch.isspace():
            return ch
    return ""


def _repair_broken_lines(blocks: list[Block], text: str) -> list[Block]:
    """Rejoin a sentence broken over a blank line (page breaks, copy-paste)."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if prev is not None and prev.kind in ("paragraph", "list_item", "heading") and block.kind in ("paragraph", "heading"):
            end = _ink_end(prev.text)  # the ends of the two texts only: stripping copied whole paragraphs
            first = _first_ink(block.text)
            last = prev.text[end - 1] if end else ""
            broken = end and last not in ".:;!?" and (first.islower() or (  # no dangling word ends in another letter
                last in _DANGLING_LAST and _DANGLING.search(prev.text, max(0, end - _DANGLING_WIDEST), end)))
            if broken and prev.kind != "heading" or (prev.kind == "heading" and first.islower()):
                prev.end = block.end
                prev.text = text[prev.start:prev.end]
                if prev.kind == "heading":
                    prev.kind = "paragraph"
                continue
        out.append(block)
    return out


def _numbered_paragraph_runs(blocks: list[Block]) -> None:
    """Paragraphs opening with a bare number (``22 Establish …``) in a run are a numbered list."""
    # _NUMBER_PARA opens with a digit (``\\d`` is what ``str.isdecimal`` holds): only such texts are tried
    candidates = {i for i, b in enumerate(blocks)
                  if b.text[:1].isdecimal() and b.kind in ("paragraph", "heading") and _NUMBER_PARA.match(b.text)}

    def numbered(j: int) -> bool:
        b = blocks[j]
        return j in candidates or (b.kind == "list_item" and bool(b.marker) and b.marker.isdigit())

    for i in sorted(candidates):
        if any(numbered(j) for j in (i - 1, i + 1) if 0 <= j < len(blocks)):
            blocks[i].kind = "list_item"
            blocks[i].marker = _NUMBER_PARA.match(blocks[i].text).group("m")


_NUMERIC_CELL = re.compile(rf"^\s*{_NUMBER_TOKEN}\s*%?\s*$")


def _finish_table(blocks: list[Block], index: int) -> None:
    block = blocks[index]
    table = block.table
    # square the rows
    width = _width(table)
    for row in table.rows:
        while len(row) < width:
            row.append(Cell("", row[-1].end if row else block.end, row[-1].end if row else block.end))
    if table.header_rows < 0:
        table.header_rows = 1 if _looks_like_header(table) else 0
    # the block before the table is its caption when it is a heading or a short line
    for b in (blocks[k] for k in range(index - 1, -1, -1)):  # no copy of the blocks above: one table after another
        if b.kind in ("heading", "paragraph"):
            table.caption = b.clean
            break
        if b.kind == "table":
            break
    sources = [" ".join(table.header)] + ([table.caption] if table.caption else [])
    for source in sources:
        m = UNIT_PATTERN.search(source) if source and might_name_unit(source) else None
        if m:
            table.unit = m.group(0)
            break
    block.kind = "table"


def _looks_like_header(table: Table) -> bool:
    if len(table.rows) < 2:
        return False
    first = table.rows[0]
    texts = [c.text for c in first]
    cleaned = [c.clean for c in first]  # kept with each cell, which the extractors ask for again
    if any("<" in t for t in texts) or any(len(c) > 60 for c in cleaned):
        return False
    if any(_list_marker(t.strip()) or len(c.split()) > 6 for t, c in zip(texts, cleaned)):
        return False  # a list item or a sentence is content, not a column label
    if not cleaned[0] and any(cleaned[1:]):
        return True
    if any(_NUMERIC_CELL.match(t) for t in texts if t.strip()):
        return False
    return sum(1 for c in cleaned if c) >= max(2, len(texts) // 2)
