"""HTML pages → the text forms the text reader already reads.

Councils publish many plans as web pages (committee systems, service-plan pages). Rather
than a second grammar, a page is written out as the text the reader knows: headings,
paragraphs and list items on lines of their own (items as bullets), each table row as
tab-separated cells (a list or paragraphs inside a cell kept as bullets in that cell), and
script, style and the document head dropped. Every extractor then reads an HTML table
exactly as it reads a tab table, and provenance spans index the written text, as they
index a PDF's assembled text.

A file is read this way when it is HTML by content (a document element or block tags),
whatever its suffix; a ``.html`` file that is really plain text stays plain text.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Optional

_SKIPPED = {"script", "style", "head", "template", "noscript", "svg", "math", "iframe", "object"}
_BLOCKS = {"p", "div", "section", "article", "header", "footer", "main", "nav", "aside", "blockquote", "pre",
           "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt", "dd", "table", "caption", "thead", "tbody",
           "tfoot", "form", "fieldset", "figure", "figcaption", "hr", "address", "body", "html"}
_PARAGRAPHS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "caption", "figure", "ul", "ol", "dl", "hr"}
_CELLS = {"td", "th"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col", "area", "base", "source", "track", "embed", "param"}
_SPACE = re.compile(r"\s+")
_BLOCK_TAG = re.compile(r"<(?:table|tr|td|th|p|div|h[1-6]|ul|ol|li|br)\b[^>]*>", re.I)
_TABLE_TAG = re.compile(r"<table\b[^>]*>", re.I)
HTML_MIN_TAGS = 3  # block tags a .html file needs before it is read as a page, not as plain text


def is_page(text: str, source: str = "") -> bool:
    """A whole HTML page: a document element, or a ``.html`` name and block tags (else it is plain text)."""
    head = text.lstrip()[:200].lower()
    if head.startswith("<!doctype html") or head.startswith("<html"):
        return True
    if source.lower().endswith((".html", ".htm")):
        return sum(1 for _ in zip(range(HTML_MIN_TAGS), _BLOCK_TAG.finditer(text))) >= HTML_MIN_TAGS
    return False


def has_tables(text: str) -> bool:
    """Table markup pasted into plain text. Text copied from web pages often keeps stray ``<p>`` or ``<ul>``
    inside tab-separated cells: those are fragments the text reader reads itself, so only text without
    tab rows has its tables rewritten."""
    return "\t" not in text and _TABLE_TAG.search(text) is not None


class _Writer(HTMLParser):
    """Collects a page's text as lines; table cells are gathered per row and written tab-separated."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []  # words of the line being written
        self.skipping = 0
        self.row: Optional[list[str]] = None  # cells of the open table row
        self.cell: Optional[list[str]] = None  # parts of the open cell (outermost table only)
        self.depth = 0  # tables open inside the cell being read

    # -- lines outside tables

    def _end_line(self) -> None:
        text = _SPACE.sub(" ", "".join(self.current)).strip()
        if text:
            self.lines.append(text)
        self.current = []

    def _end_block(self) -> None:
        """A paragraph, heading or table ends: a blank line, as plain text separates blocks."""
        self._end_line()
        if self.lines and self.lines[-1]:
            self.lines.append("")

    # -- cells

    def _cell_break(self, marker: str = "") -> None:
        if self.cell is not None and "".join(self.cell).strip():
            self.cell.append(f" {marker} " if marker else " ")

    def _end_cell(self) -> None:
        if self.cell is not None and self.row is not None:
            self.row.append(_SPACE.sub(" ", "".join(self.cell)).strip())
        self.cell = None

    def _end_row(self) -> None:
        self._end_cell()
        if self.row and any(self.row):
            self.lines.append("\t".join(self.row))
        self.row = None

    # -- parser callbacks

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIPPED:
            self.skipping += tag not in _VOID
            return
        if self.skipping:
            return
        if self.cell is not None:  # inside a cell: nested blocks and tables become parts of the cell
            self.depth += tag == "table"
            if tag == "li":
                self._cell_break("•")
            elif tag in _BLOCKS or tag in ("br", "tr") or (tag in _CELLS and self.depth):
                self._cell_break()
            return
        if tag == "tr":
            self._end_line()
            self._end_row()
            self.row = []
        elif tag in _CELLS:
            self._end_cell()
            if self.row is None:
                self.row = []
            self.cell = []
        elif tag == "li":
            self._end_line()
            self.current.append("• ")
        elif tag in _PARAGRAPHS or tag == "table":
            self._end_block()
        elif tag in _BLOCKS or tag == "br":
            self._end_line()

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        if self.skipping:
            return
        if self.cell is not None and self.depth:
            if tag == "table":
                self.depth -= 1
            self._cell_break()
            return
        if tag in _CELLS:
            self._end_cell()
        elif tag == "tr":
            self._end_row()
        elif tag == "table":
            self._end_row()
            self._end_block()
        elif self.cell is not None:
            if tag in _BLOCKS or tag == "li":
                self._cell_break()
        elif tag in _PARAGRAPHS:
            self._end_block()
        elif tag in _BLOCKS or tag == "li":
            self._end_line()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        (self.cell if self.cell is not None else self.current).append(data.replace("\t", " "))

    def text(self) -> str:
        self._end_line()
        self._end_row()
        return "\n".join(self.lines).strip("\n") + "\n"


def page_text(html: str) -> str:
    """The page written as lines of text, tables as tab-separated rows."""
    writer = _Writer()
    writer.feed(html)
    writer.close()
    return writer.text()


_TABLE_REGION = re.compile(r"<table\b.*?</table\s*>", re.I | re.S)


def tables_as_rows(text: str) -> str:
    """Plain text with HTML tables pasted in: each table rewritten as tab rows, the lines around it kept as they are."""
    return _TABLE_REGION.sub(lambda m: "\n" + page_text(m.group()), text)


def as_text(text: str, source: str = "") -> str:
    """What the text reader should read: a page written out, pasted tables rewritten, or the text itself."""
    if is_page(text, source):
        return page_text(text)
    if has_tables(text):
        return tables_as_rows(text)
    return text
