"""The parsed-document model every reader produces and every extractor reads.

Readers know layout, not meaning: they hand over blocks (headings, paragraphs,
list items, tables) with character spans into ``Document.text`` and, for PDFs,
page numbers and boxes.  Extractors never see files.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any, Iterator, Literal, Optional

from pipeline.normalise.text import clean

BlockKind = Literal["heading", "paragraph", "list_item", "table"]


@dataclass
class Piece:
    """A stretch of document text: the unit of provenance."""

    text: str
    start: int
    end: int
    page: Optional[int] = None
    marker: Optional[str] = None  # list marker / number when the piece is a list item
    # (text, value) kept by ``clean``; a class default (not a field), so the first read of a piece finds None
    # rather than raising AttributeError, which cost more than the look-up itself
    _kept_clean = None

    @property
    def clean(self) -> str:
        """The text cleaned (``normalise.text.clean``), kept with the piece while its text stays the same.

        Extractors ask every block for it several times, and a long
        paragraph is too long for ``clean``'s own cache.
        """
        kept = self._kept_clean
        if kept is not None and kept[0] is self.text:
            return kept[1]
        value = clean(self.text)
        self._kept_clean = (self.text, value)
        return value


@dataclass
class Cell(Piece):
    """One table cell; multi-line cells stay one cell."""

    bbox: Optional[tuple[float, float, float, float]] = None  # on its page, for PDFs
    _kept_parse = None  # (text, parsed value) kept by ``pipeline.tables.view.parsed``; a class default, not a field

    def items(self) -> list[Piece]:
        """The list items inside a cell (HTML lists, bullets, numbered runs, <p> paragraphs)."""
        return split_items(self.text, self.start, self.page)


@dataclass
class Table:
    rows: list[list[Cell]]
    header_rows: int = 0
    unit: Optional[str] = None  # money scale token found in the header or caption, e.g. "£000"
    caption: Optional[str] = None
    # (header_rows, width, the header cells' texts, labels) kept by ``header``; a class default, not a field
    _kept_header = None

    @property
    def header(self) -> list[str]:
        """Header labels per column (header rows joined), a fresh list each time.

        Kept with the table while what they are made of stays the same (the
        number of header rows, the widest row's width, the header cells' texts:
        a cell's clean text depends on its text alone): the reader, the table
        view and several extractors each ask for them.
        """
        if not self.header_rows or not self.rows:
            return []
        width = max(map(len, self.rows))
        texts = [c.text for row in self.rows[: self.header_rows] for c in row]
        kept = self._kept_header
        if kept is not None and kept[0] == self.header_rows and kept[1] == width and kept[2] == texts:
            return list(kept[3])
        labels = [""] * width
        for row in self.rows[: self.header_rows]:
            for i, cell in enumerate(row):
                labels[i] = (labels[i] + " " + cell.clean).strip()
        self._kept_header = (self.header_rows, width, texts, labels)
        return list(labels)

    @property
    def body(self) -> list[list[Cell]]:
        return self.rows[self.header_rows:]

    def column(self, *words: str) -> Optional[int]:
        """Index of the first header column whose label contains one of the words."""
        for i, label in enumerate(self.header):
            if _names_any(label, words):
                return i
        return None


@lru_cache(maxsize=1 << 14)
def _names_any(label: str, words: tuple[str, ...]) -> bool:
    """Whether one of the words starts a word of the label, case folded: remembered, as plans head table after
    table with the same labels and extractors ask ``Table.column`` the same few words of each."""
    low = label.lower()
    return any(_word_start(w).search(low) for w in words)


@cache
def _word_start(word: str) -> re.Pattern:
    """``\\b`` + ``word``, compiled once (``Table.column`` asks for the same few words of every header label)."""
    return re.compile(rf"\b{word}")


@dataclass
class Block(Piece):
    kind: BlockKind = "paragraph"
    level: int = 0
    bbox: Optional[tuple[float, float, float, float]] = None
    table: Optional[Table] = None
    index: int = 0


@dataclass
class Document:
    source: str
    text: str
    blocks: list[Block] = field(default_factory=list)
    sha256: str = ""
    path: Optional[str] = None
    pages: Optional[int] = None
    meta: dict[str, Any] = field(default_factory=dict)  # manifest row, if any
    issues: list[tuple[str, str]] = field(default_factory=list)  # (code, message) from the reader
    nlp: MutableMapping[int, Any] = field(default_factory=dict)  # block index -> spaCy Doc (pipeline.nlp.Annotations)
    page_starts: list[int] = field(default_factory=list)  # offset in ``text`` where each page begins (PDFs)

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        """Number the blocks and link each to the nearest heading above it (extractors ask constantly)."""
        self._heading_above: list[int] = []
        last = -1
        for i, block in enumerate(self.blocks):
            block.index = i
            self._heading_above.append(last)
            if block.kind == "heading":
                last = i

    def page_at(self, offset: int) -> Optional[int]:
        """The page (1-based) holding a character offset, for PDFs; ``None`` for text."""
        if not self.page_starts:
            return None
        return max(1, bisect.bisect_right(self.page_starts, offset))

    def piece(self, start: int, end: int, page: Optional[int] = None) -> Piece:
        return Piece(self.text[start:end], start, end, page)

    def headings_before(self, index: int) -> Iterator[Block]:
        """Headings above a block, nearest first."""
        if len(self._heading_above) != len(self.blocks):
            self.reindex()
        if index >= len(self.blocks):  # "after the last block"
            index = len(self.blocks) - 1
            i = index if index >= 0 and self.blocks[index].kind == "heading" else (self._heading_above[index] if index >= 0 else -1)
        else:
            i = self._heading_above[index]
        while i >= 0:
            yield self.blocks[i]
            i = self._heading_above[i]

    def previous(self, index: int, kinds: tuple[str, ...] = ("paragraph", "heading", "list_item", "table")) -> Optional[Block]:
        for block in self.blocks_before(index):
            if block.kind in kinds:
                return block
        return None

    def blocks_before(self, index: int) -> Iterator[Block]:
        """The blocks above ``index``, nearest first, without copying the list.

        Extractors ask this of every list item; ``reversed(blocks[:index])``
        copied all the blocks above each time, quadratic in a long document.
        """
        for k in range(min(index, len(self.blocks)) - 1, -1, -1):
            yield self.blocks[k]

    def blocks_after(self, index: int) -> Iterator[Block]:
        """The blocks below ``index``, nearest first, without copying the list."""
        for k in range(index + 1, len(self.blocks)):
            yield self.blocks[k]

    def tables(self) -> Iterator[Block]:
        return (b for b in self.blocks if b.kind == "table" and b.table is not None)


_ITEM_SPLITTERS = [
    re.compile(r"<li[^>]*>(.*?)(?=<li|</ul|</ol|$)", re.S),
    re.compile(r"<p[^>]*>(.*?)</p>", re.S),
]
_BULLET = re.compile(r"(?:^|\s)[•·▪]\s*")
_NUMBERED = re.compile(r"(?:(?<=\s)|^|(?<=>))(\d{1,2})\.\s+(?=[A-Z(])")


def split_items(text: str, offset: int = 0, page: Optional[int] = None) -> list[Piece]:
    """Split a cell's text into its list items, keeping document offsets.

    Councils flatten lists into cells in several ways: ``<li>``, ``<p>``
    paragraphs, inline bullets (``•``, ``·``) and numbered runs (``1. … 2. …``).
    A cell with none of these is one item.
    """
    for pattern in _ITEM_SPLITTERS:
        found = [m for m in pattern.finditer(text) if clean(m.group(1))]
        if len(found) > 1:
            out = []
            for m in found:
                out.extend(split_items(m.group(1), offset + m.start(1), page) or [])
            return out
    numbered = _numbered_run(text)
    if numbered:
        out = [_piece(text, 0, _run_start(text), offset, page)]
        for k, (num, s, e) in enumerate(numbered):
            out.append(_piece(text, s, e, offset, page, marker=num))
        return [p for p in out if p.clean]
    bullets = list(_BULLET.finditer(text))
    if bullets and (len(bullets) > 1 or bullets[0].start() == 0 or "\n" in text):
        cuts = [m.end() for m in bullets]
        ends = [m.start() for m in bullets[1:]] + [len(text)]
        pieces = []
        head = text[: bullets[0].start()]
        if clean(head):
            pieces.append(_piece(text, 0, bullets[0].start(), offset, page))
        for s, e in zip(cuts, ends):
            pieces.append(_piece(text, s, e, offset, page, marker="•"))
        return [p for p in pieces if p.clean]
    if clean(text):
        return [_piece(text, 0, len(text), offset, page)]
    return []


def _run_start(text: str) -> int:
    return _NUMBERED.search(text).start()


def _numbered_run(text: str) -> list[tuple[str, int, int]]:
    """Find a 1., 2., 3. … run (consecutive numbers) and cut the text at it."""
    found = list(_NUMBERED.finditer(text))
    run, expect = [], 1
    for m in found:
        if int(m.group(1)) == expect:
            run.append(m)
            expect += 1
    if len(run) < 2:
        return []
    out = []
    for i, m in enumerate(run):
        end = run[i + 1].start() if i + 1 < len(run) else len(text)
        # a trailing <p> after the last item is a note, not part of the item
        if i + 1 == len(run):
            p = text.find("<p", m.end())
            close = text.find("</ol", m.end())
            cut = [x for x in (p, close) if x != -1]
            if cut:
                end = min(cut)
        out.append((m.group(1), m.end(), end))
    return out


def _piece(text: str, s: int, e: int, offset: int, page: Optional[int], marker: Optional[str] = None) -> Piece:
    # trim whitespace so spans point at words
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return Piece(text[s:e], offset + s, offset + e, page, marker)
