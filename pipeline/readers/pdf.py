"""PDF reader on pdfplumber: pages → the same ``Document`` the text reader makes.

Per page: words (with size and weight) → tables (``pdf_tables``) → the words
outside tables as lines in reading order (``pdf_layout``).  Across pages:
running headers, footers and page numbers are dropped, tables continued on
the next page are stitched (repeated header rows dropped).  Flowing text is
written one paragraph per line and parsed with the text reader's line grammar,
so extractors see one kind of ``Document`` whatever the source.  A page with
no text layer is OCR-ed when the ``ocr`` extra is installed.
"""
from __future__ import annotations

import bisect
import io
import logging
import re
from dataclasses import dataclass, field
from typing import Any, Collection, Optional

from pipeline.document import Block, Cell, Document, Table
from pipeline.readers import ocr, pdf_guard
from pipeline.readers.errors import ReadError
from pipeline.readers.pdf_layout import (BBox, Line, Unit, Word, attach_bullets, body_size, continues_on_next_page, find_gutter,
                                         group_lines, join_units, paragraphs, reading_order, settle_hyphens, union,
                                         vocabulary)
from pipeline.readers.pdf_settings import LAYOUT
from pipeline.readers.pdf_tables import PageTable, find_tables, same_columns
from pipeline.readers.pdf_unruled import numeric
from pipeline.readers.text import finish_blocks, scan_lines

_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^[-–]\s*\d{1,4}\s*[-–]$", re.I)
MARGIN = 0.08  # running headers and footers live in the top and bottom 8% of a page


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)  # outside tables, top to bottom
    tables: list[PageTable] = field(default_factory=list)
    marks: list[BBox] = field(default_factory=list)  # drawn bullets
    ocr: bool = False


# ---------------------------------------------------------------- opening

logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font-descriptor chatter, not the user's problem


def open_pdf(data: bytes) -> Any:
    """pdfplumber's PDF, or a coded ``ReadError`` that says what is wrong with the file."""
    import pdfplumber

    if not data.lstrip()[:5] == b"%PDF-":
        raise ReadError("pdf_unreadable", "not a PDF: the file does not start with %PDF-")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except Exception as exc:  # pdfplumber wraps pdfminer's many exception types
        raise _open_error(exc, data) from exc
    if not pages:
        pdf.close()
        raise ReadError("pdf_no_pages", "the PDF has no pages (an empty export or a broken page tree)")
    return pdf


def _open_error(exc: Exception, data: bytes) -> ReadError:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    causes = [exc, *getattr(exc, "args", ())]
    if any(isinstance(c, (PDFPasswordIncorrect, PDFEncryptionError)) or "Password" in type(c).__name__ for c in causes):
        return ReadError("pdf_encrypted", "the PDF is password-protected; decrypt it (e.g. qpdf --decrypt --password=… in.pdf out.pdf) and retry")
    truncated = b"%%EOF" not in data[-2048:] and b" obj" in data  # a PDF body that stops short
    hint = "the file looks truncated (no %EOF marker at its end: an interrupted download?)" if truncated else "its structure cannot be parsed"
    detail = next((repr(c) for c in causes if not isinstance(c, str)), str(exc))
    return ReadError("pdf_truncated" if truncated else "pdf_unreadable", f"the PDF could not be opened: {hint} ({detail})")


# ---------------------------------------------------------------- one page

def page_words(page: Any) -> list[Word]:
    raw = page.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False, use_text_flow=False,
                             x_tolerance=LAYOUT.word_x_tolerance, x_tolerance_ratio=LAYOUT.word_x_tolerance_ratio)
    return [
        Word(glyphs(w["text"]), w["x0"], w["x1"], w["top"], w["bottom"], float(w["size"]), _is_bold(w["fontname"]))
        for w in raw
        if w["text"].strip()
    ]


_SYMBOL_FONT = re.compile("^[\uf000-\uf0ff]$")  # Symbol/Wingdings glyphs Word and LibreOffice draw list bullets with


def glyphs(text: str) -> str:
    """A list bullet drawn from a symbol font (a private-use code point) is a bullet (pdfplumber expands ligatures itself)."""
    return "•" if _SYMBOL_FONT.match(text) else text


def _is_bold(fontname: str) -> bool:
    name = fontname.split("+")[-1].lower()
    return any(k in name for k in ("bold", "black", "heavy", "semibold", "demi"))


def bullet_marks(page: Any) -> list[BBox]:
    """Small drawn shapes (list bullets rendered as graphics rather than glyphs)."""
    marks = []
    for obj in list(page.curves) + list(page.rects):
        w, h = obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]
        if 1.2 <= w <= 8 and 1.2 <= h <= 8 and abs(w - h) < 2:
            marks.append((obj["x0"], obj["top"], obj["x1"], obj["bottom"]))
    return marks


def side_page_number(word: Word, width: float) -> bool:
    """A page number in the left or right margin: a landscape page rotated on a portrait sheet (LaTeX's
    pdflscape, a page turned in Acrobat) keeps its footer on the sheet's foot, which is the page's side.
    Left in, it cuts the rows of the table beside it."""
    side = width * LAYOUT.margin
    return (word.x1 < side or word.x0 > width - side) and bool(_PAGE_NUMBER.match(word.text))


def read_page(page: Any, number: int, use_ocr: bool) -> tuple[Page, list[tuple[str, str]]]:
    issues: list[tuple[str, str]] = []
    out = Page(number, float(page.width), float(page.height))
    pdf_guard.check_page(page, number)
    words = page_words(page)
    scan = None
    if not words and page.images and use_ocr and ocr.available():
        words, scan = ocr.page_words(page)
        out.ocr = True
    if not words:
        if not page.images:
            return out, issues  # a blank page
        issues.append(("no_text_layer", f"page {number} has no text layer (a scan?); {ocr.install_hint()}"
                       if not ocr.available() else f"page {number}: OCR found no text"))
        return out, issues
    words = [w for w in words if not side_page_number(w, out.width)]
    if scan is None:
        out.marks = bullet_marks(page)
        out.tables = find_tables(page, words, out.marks)
    else:
        out.marks = ocr.bullet_marks(scan, words)
        out.tables = ocr.find_tables(page, words, scan, out.marks)
    free = [w for w in words if not any(w.inside(t.bbox) for t in out.tables)]
    out.lines = group_lines(free)
    return out, issues


# ---------------------------------------------------------------- across pages

def running_key(line: Line) -> str:
    return re.sub(r"\d+", "#", line.text.lower()).strip()


def drop_running_lines(pages: list[Page]) -> None:
    """Remove running headers/footers (repeated in the page margins) and page numbers.

    A margin line is running when a near-identical line (digits ignored, fuzzy
    so OCR's misreadings still match) sits in the margin of half the pages.
    """
    from rapidfuzz import fuzz

    def marginal(page: Page, line: Line) -> bool:
        return line.bottom < page.height * MARGIN + 12 or line.top > page.height * (1 - MARGIN) - 12

    keys = [{running_key(l) for l in page.lines if marginal(page, l)} for page in pages]
    texted = sum(1 for p in pages if p.lines or p.tables)
    needed = max(2, texted // 2)

    def running(key: str) -> bool:
        return sum(1 for page_keys in keys if any(fuzz.ratio(key, k) >= 85 for k in page_keys)) >= needed

    verdict: dict[str, bool] = {}
    for page in pages:
        kept = []
        for line in page.lines:
            if marginal(page, line):
                key = running_key(line)
                if key not in verdict:
                    verdict[key] = running(key)
                if verdict[key] or _PAGE_NUMBER.match(line.text.strip()):
                    continue
            kept.append(line)
        page.lines = kept


@dataclass
class Writer:
    """Appends units and tables to the document text, keeping spans, pages and boxes."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    blocks: list[Block] = field(default_factory=list)
    spans: list[tuple[int, int, int, tuple]] = field(default_factory=list)  # unit start, end, page, bbox
    headings: dict[int, float] = field(default_factory=dict)  # unit start -> font size
    last_flow: Optional[tuple[list[Unit], int, float, tuple[int, int, int, int]]] = None  # units, page, body, state before

    def undo_last_flow(self) -> tuple[list[Unit], int, float]:
        """Take back the last ``flow`` and everything written after it, to write its units again changed."""
        assert self.last_flow is not None
        units, page, body, (parts, length, blocks, spans) = self.last_flow
        del self.parts[parts:], self.blocks[blocks:], self.spans[spans:]
        self.length = length
        self.headings = {k: v for k, v in self.headings.items() if k < length}
        self.last_flow = None
        return units, page, body

    def write(self, text: str) -> int:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def flow(self, units: list[Unit], page: int, body: float) -> None:
        if not units:
            return
        self.last_flow = (units, page, body, (len(self.parts), self.length, len(self.blocks), len(self.spans)))
        base = self.length
        chunk = ""
        for unit in units:
            start = base + len(chunk)
            self.spans.append((start, start + len(unit.text), page, unit.bbox))
            if is_heading(unit, body):
                self.headings[start] = unit.size
            chunk += unit.text + "\n"
        self.write(chunk)
        self.blocks.extend(scan_lines(chunk, base))

    def table(self, table: PageTable, page: int) -> None:
        """Rows as tab-separated lines; a covered cell of a row-spanning cell is the same Cell (same span) again."""
        rows: list[list[Cell]] = []
        written: dict[int, Cell] = {}  # id(CellBox) -> its Cell
        for row in table.rows:
            cells = []
            for i, box in enumerate(row):
                if i:
                    self.write("\t")
                source = written.get(id(box.span_of)) if box.span_of is not None else None
                if source is not None:
                    cells.append(source)
                    continue
                start = self.write(box.text)
                cell = Cell(box.text, start, start + len(box.text), page, bbox=box.bbox if box.bbox[2] > box.bbox[0] else None)
                written[id(box)] = cell
                cells.append(cell)
            self.write("\n")
            rows.append(cells)
        start, end = rows[0][0].start, max(c.end for c in rows[-1])
        self.blocks.append(Block("", start, end, kind="table", page=page, bbox=table.bbox,
                                 table=Table(rows=rows, header_rows=table.header_rows)))


def is_heading(unit: Unit, body: float) -> bool:
    """Set larger than body text, or bold on a short line of its own."""
    words = unit.text.split()
    if not words or len(words) > 14 or unit.text.rstrip()[-1:] in ".,;":
        return False
    return unit.size >= body * 1.15 or (unit.bold and len(unit.lines) <= 2)


def stitch(table: PageTable, prev_table: PageTable) -> PageTable:
    """Drop the header rows a continued table repeats on its new page.

    Matched fuzzily (OCR misreads); when type gave no header, the first row is
    the candidate, since a data row repeated word for word at the top of the
    next page is far rarer than a repeated header.
    """
    from rapidfuzz import fuzz

    head = [" | ".join(c.text for c in row) for row in prev_table.rows[: max(prev_table.header_rows, 1)]]
    rows = list(table.rows)
    while rows and head and any(fuzz.ratio(" | ".join(c.text for c in rows[0]), h) >= 85 for h in head):
        rows.pop(0)
    return PageTable(table.bbox, rows, 0, table.columns)


def broken_row(last: list[Cell], first: list[Cell]) -> bool:
    """The first row on the new page is the rest of a row the page break cut (Word and LibreOffice let rows
    break): its first cell is empty, the row above has one, and it carries text in some other cell; or, first
    cell filled or not, each of its filled cells goes on with the cell above it -- opens in lower case (a
    sentence cut mid-way) or with the next number of the list the cell above was numbering (items 5 to 9 of a
    list whose items 1 to 4 fill the cell above).  A new record fills a cell of its own (its reference, its
    label) that goes on with nothing."""
    if len(last) != len(first) or not last:
        return False
    if not first[0].text.strip() and last[0].text.strip() and any(c.text.strip() for c in first[1:]):
        return True
    return all(a.text.strip() and (_cut_sentence(a.text, b.text) or _next_item(a.text, b.text))
               for a, b in zip(last, first) if b.text.strip())


def _cut_sentence(above: str, below: str) -> bool:
    """``above`` stops mid-sentence and ``below`` goes on with it in lower case (not a figure such as "n/a")."""
    return (not re.search(r"[.:;!?]\W*$", above.strip()) and bool(_LOWER_START.match(below.strip()))
            and not numeric(below.split()[0]))


_LOWER_START = re.compile(r"^\(?[a-z]")
_ITEM_NUMBER = re.compile(r"^(\d{1,2})[.)]\s")


def _next_item(above: str, below: str) -> bool:
    """``below`` opens with the number after the last item number opening a line of ``above``."""
    numbers = [int(m.group(1)) for line in above.split("\n") if (m := _ITEM_NUMBER.match(line.strip()))]
    start = _ITEM_NUMBER.match(below.strip())
    return bool(numbers and start and int(start.group(1)) == numbers[-1] + 1)


def join_rows(top: list[Cell], rest: list[Cell]) -> list[Cell]:
    """A cut row put back together: each cell's two parts as one cell (its span runs over the page break); a
    part opening in lower case goes on with the line it was cut from."""
    out = []
    for a, b in zip(top, rest):
        if not b.text.strip():
            out.append(a)
        elif not a.text.strip():
            out.append(b)
        else:
            glue = " " if _LOWER_START.match(b.text.strip()) else "\n"
            out.append(Cell(f"{a.text}{glue}{b.text}", a.start, b.end, a.page, bbox=a.bbox))
    return out


@dataclass
class OpenTable:
    """The table last written, for stitching: its block, its first page's layout and the page it reached."""

    block: Block
    layout: PageTable
    last_page: int


def add_table(writer: Writer, table: PageTable, page: int, open_table: Optional[OpenTable]) -> Optional[OpenTable]:
    """Write a table, or append it to the previous one when it continues that table on the next page.

    It continues when nothing came between them (running lines are gone by
    now), it is on the following page and its columns line up.
    """
    continuing = (
        open_table is not None and writer.blocks and open_table.block is writer.blocks[-1]
        and open_table.last_page == page - 1 and same_columns(open_table.layout, table)
    )
    if not continuing:
        writer.table(table, page)
        return OpenTable(writer.blocks[-1], table, page)
    rest = stitch(table, open_table.layout)
    if rest.rows:
        writer.table(rest, page)
        new = writer.blocks.pop()
        rows = new.table.rows
        if rows and broken_row(open_table.block.table.rows[-1], rows[0]):
            open_table.block.table.rows[-1] = join_rows(open_table.block.table.rows[-1], rows.pop(0))
        open_table.block.table.rows.extend(rows)
        open_table.block.end = new.end
    open_table.last_page = page
    return open_table


def assemble(source: str, pages: list[Page]) -> Document:
    writer = Writer()
    all_lines = [l for p in pages for l in p.lines]
    body = body_size(all_lines) if all_lines else 10.0
    laid = [_lay_out(page) for page in pages]
    words = vocabulary([l for items in laid for _, item in items if not isinstance(item, PageTable) for l in item[1]]
                       + [l for p in pages for t in p.tables for r in t.rows for c in r for l in group_lines(c.words)])
    open_table: Optional[OpenTable] = None
    page_starts = []
    for page, items in zip(pages, laid):
        page_starts.append(writer.length)
        for i, (_, item) in enumerate(items):
            if isinstance(item, PageTable):
                for box in (c for row in item.rows for c in row):
                    box.text = settle_hyphens(box.text, words)
                open_table = add_table(writer, item, page.number, open_table)
                writer.last_flow = None
                continue
            gutter, ordered = item
            units = paragraphs(ordered, body, gutter, words)
            if i == 0 and units and writer.last_flow is not None and continues_on_next_page(writer.last_flow[0][-1], units[0]):
                units = _carry_over(writer, units, words)
                page_starts[-1] = writer.length
            writer.flow(units, page.number, body)
        writer.write("\n")
    text = writer.text
    blocks = writer.blocks
    _place(blocks, writer)
    for block in blocks:
        block.text = text[block.start:block.end]
    blocks = finish_blocks(blocks, text)
    _place(blocks, writer)  # again: rejoining a heading broken over two lines must not demote it
    return Document(source=source, text=text, blocks=blocks, pages=len(pages), page_starts=page_starts)


def _lay_out(page: Page) -> list[tuple[float, Any]]:
    """The page's tables and its bands of free lines top to bottom, each band as (gutter, lines in reading order)."""
    items: list[tuple[float, Any]] = [(t.bbox[1], t) for t in page.tables]
    for top, band in _bands(page):
        gutter = find_gutter(band, page.width)
        ordered = reading_order(band, gutter)
        attach_bullets(ordered, page.marks)
        items.append((top, (gutter, ordered)))
    return sorted(items, key=lambda it: it[0])


def _carry_over(writer: Writer, units: list[Unit], words: Collection[str]) -> list[Unit]:
    """Write the last page's paragraphs again with this page's first one joined to its last (a paragraph
    cut by the page break); returns this page's other units."""
    before, page, body = writer.undo_last_flow()
    writer.flow(before[:-1] + [join_units(before[-1], units[0], words)], page, body)
    writer.write("\n")
    writer.last_flow = None
    return units[1:]


def _bands(page: Page) -> list[tuple[float, list[Line]]]:
    """The page's free lines cut into bands at each table (each band gets its own column analysis)."""
    cuts = sorted(t.bbox[1] for t in page.tables)
    bands: list[list[Line]] = [[] for _ in range(len(cuts) + 1)]
    for line in page.lines:
        bands[sum(1 for c in cuts if line.top >= c)].append(line)
    return [(band[0].top, band) for band in bands if band]


def _place(blocks: list[Block], writer: Writer) -> None:
    """Give flow blocks their page and box, and the heading level their type size says."""
    sizes = sorted(set(writer.headings.values()), reverse=True)
    starts = [s[0] for s in writer.spans]  # units are written in order, so their starts ascend
    for block in blocks:
        if block.kind == "table":
            continue
        first = max(0, bisect.bisect_right(starts, block.start) - 1)
        hits = []
        for span in writer.spans[first:]:
            if span[0] >= block.end:
                break
            if block.start < span[1]:
                hits.append(span)
        if hits:
            block.page = hits[0][2]
            block.bbox = union(s[3] for s in hits if s[2] == block.page)
        if block.start in writer.headings and block.kind in ("paragraph", "heading"):
            block.kind = "heading"
            block.level = 1 + sizes.index(writer.headings[block.start])


# ---------------------------------------------------------------- entry point

def read_pdf(source: str, data: bytes, use_ocr: bool = True) -> Document:
    pdf = open_pdf(data)
    pages: list[Page] = []
    issues: list[tuple[str, str]] = []
    with pdf:
        for number, page in enumerate(pdf.pages, start=1):
            try:
                content, page_issues = read_page(page, number, use_ocr)
            except ReadError as exc:  # a page refused for a stated reason
                content, page_issues = Page(number, 0, 0), [(exc.code, exc.message)]
            except Exception as exc:  # one bad page must not sink the document
                content, page_issues = Page(number, 0, 0), [("pdf_page_error", f"page {number} could not be read: {type(exc).__name__}: {exc}")]
            pages.append(content)
            issues.extend(page_issues)
            page.flush_cache()
    if not any(p.lines or p.tables for p in pages):
        codes = {code for code, _ in issues}
        if "no_text_layer" in codes:
            raise ReadError("no_text_layer", f"no page has a text layer (a scanned PDF?); {ocr.install_hint()}"
                            if not ocr.available() else "OCR found no text on any page")
        if "pdf_page_error" in codes:
            raise ReadError("pdf_page_error", "; ".join(m for c, m in issues if c == "pdf_page_error"))
        raise ReadError("pdf_empty", "the PDF's pages carry no text")
    drop_running_lines(pages)
    doc = assemble(source, pages)
    doc.issues.extend(issues)
    if any(p.ocr for p in pages):
        doc.issues.append(("ocr_used", f"{sum(p.ocr for p in pages)} page(s) read by OCR; check numbers against the page image"))
    return doc
