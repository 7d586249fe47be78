"""Where each record sits in its source: a character span in the text, or boxes on PDF pages.

Records carry ``char_start``/``char_end`` into the reader's ``Document.text``,
which the reader builds (and may clean), so the review re-reads the stored
path through the reader rather than trusting the raw file:

* **text documents**: ``read_document`` (fast); each record's span is checked
  against its stored snippet, and found again by its words if the reader has
  changed since extraction;
* **PDFs read from their text layer**: ``read_pdf`` without OCR gives the
  same blocks and table cells extraction saw; a record's box is the union of
  the cells (or blocks) its span covers on its page;
* **PDFs that needed OCR**: re-running the reader's OCR costs seconds a page
  (more than the whole corpus's review budget), so the record is *located*
  instead: its snippet's words are matched against the words on its page
  (the text layer, or one plain Tesseract pass over the page image).  Boxes
  found this way are marked ``located`` in the page.

PDF layouts are cached per document (content hash + rules version) in the
site's ``_cache`` folder, so rebuilding a site after corrections is quick.
"""
from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from pipeline.review.settings import ReviewSettings

BBox = tuple[float, float, float, float]
_TOKEN = re.compile(r"[a-z0-9]+")
_DIGIT_LOOKALIKES = str.maketrans("oilsz", "01152")  # OCR's usual misreads inside a figure


def tokens(text: str) -> list[str]:
    """Lower-case letter/digit runs: "£1,000" and "1000" are the same token, punctuation never matters.

    In a token holding a digit, letters OCR confuses with digits are read as
    digits ("1,2O0" is 1200).
    """
    found = _TOKEN.findall((text or "").lower().replace(",", ""))
    return [t.translate(_DIGIT_LOOKALIKES) if any(c.isdigit() for c in t) else t for t in found]


def same_words(a: str, b: str) -> bool:
    return tokens(a) == tokens(b)


@dataclass
class Placement:
    """Where one record was found: ``span`` in the text, ``rects`` (page, x0, top, x1, bottom) on PDF pages."""

    how: str  # exact | moved (the span shifted, found by its words) | located (by words on the page) | unplaced
    span: Optional[tuple[int, int]] = None
    rects: list[tuple[int, float, float, float, float]] = field(default_factory=list)


# ---------------------------------------------------------------- text

def place_in_text(text: str, start: Optional[int], end: Optional[int], snippet: Optional[str]) -> Placement:
    """The record's span, checked against its snippet; if the text moved, the snippet's nearest occurrence."""
    if start is None or end is None:
        return Placement("unplaced")
    if not snippet or same_words(text[start:end], snippet):
        return Placement("exact", (start, end))
    found = [m.start() for m in re.finditer(re.escape(snippet), text)]
    if found:
        best = min(found, key=lambda k: abs(k - start))
        return Placement("moved", (best, best + len(snippet)))
    return Placement("unplaced")


# ---------------------------------------------------------------- PDF: the reader's pieces

@dataclass
class Piece:
    start: int
    end: int
    page: int
    bbox: BBox


def reader_pieces(doc: Any) -> list[Piece]:
    """Every block and table cell with a page and a box, in text order (table blocks give their cells instead)."""
    pieces, seen = [], set()
    for block in doc.blocks:
        if block.table is not None:
            for row in block.table.rows:
                for cell in row:
                    if id(cell) in seen:
                        continue  # a spanning cell repeated into the rows it covers
                    seen.add(id(cell))
                    box = cell.bbox or block.bbox
                    if box and (cell.page or block.page):
                        pieces.append(Piece(cell.start, cell.end, cell.page or block.page, tuple(box)))
        elif block.bbox and block.page:
            pieces.append(Piece(block.start, block.end, block.page, tuple(block.bbox)))
    return sorted(pieces, key=lambda p: (p.start, p.end))


class PieceIndex:
    """Finds the pieces a character span overlaps (bisect on starts; pieces are short and ordered)."""

    def __init__(self, pieces: list[Piece]):
        self.pieces = pieces
        self.starts = [p.start for p in pieces]
        self.longest = max((p.end - p.start for p in pieces), default=0)

    def overlapping(self, start: int, end: int) -> list[Piece]:
        hi = bisect.bisect_left(self.starts, max(end, start + 1))
        lo = bisect.bisect_left(self.starts, start - self.longest)
        return [p for p in self.pieces[lo:hi] if p.start < max(end, start + 1) and p.end > start]

    def rects(self, start: int, end: int, page: Optional[int]) -> list[tuple[int, float, float, float, float]]:
        """One box per page: the union of the pieces the span covers (on the record's page when it has one)."""
        hits = [p for p in self.overlapping(start, end) if page is None or p.page == page] or self.overlapping(start, end)
        by_page: dict[int, list[BBox]] = {}
        for p in hits:
            by_page.setdefault(p.page, []).append(p.bbox)
        return [(n, *union(boxes)) for n, boxes in sorted(by_page.items())]


def union(boxes: list[BBox]) -> BBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


# ---------------------------------------------------------------- PDF: words on a page

Word = tuple[str, float, float, float, float]  # text, x0, top, x1, bottom


def locate(snippet: str, words: list[Word], after: int = 0, settings: ReviewSettings = ReviewSettings()) -> Optional[tuple[int, list[BBox]]]:
    """Find a snippet's words among a page's words: (index of the first word, one box per line), or None.

    Windows of the page's words are scored by the share of the snippet's
    tokens they hold in order (OCR misreads forgiven by a fuzzy ratio); a
    short snippet that is not found in order (a table row OCR read column by
    column) is scored by the share found anywhere in a window twice its
    length.  The best window wins, ties going to the first at or after
    ``after`` (a page's records are placed in their text order).
    """
    want = tokens(snippet)
    flat: list[tuple[str, int]] = [(t, i) for i, w in enumerate(words) for t in tokens(w[0])]
    if not want or not flat:
        return None
    n = min(len(want), settings.locate_max_tokens)
    head = want[:n]
    found = _best_window(flat, head, after, settings, ordered=True)
    if (found is None or found[0] < settings.locate_min_share) and n <= settings.locate_unordered_tokens:
        found = _best_window(flat, head, after, settings, ordered=False)
    if found is None or found[0] < settings.locate_min_share:
        return None
    used = sorted({flat[j][1] for j in found[1]})
    return used[0], line_boxes([words[i] for i in used])


def _best_window(flat: list[tuple[str, int]], head: list[str], after: int, settings: ReviewSettings,
                 ordered: bool) -> Optional[tuple[float, list[int]]]:
    """(share of ``head`` found, positions in ``flat`` that matched) for the best window, or None."""
    from rapidfuzz import fuzz

    def same(a: str, b: str) -> bool:
        return a == b or fuzz.ratio(a, b) >= settings.locate_token_ratio

    n = len(head)
    starts = head[:2] if ordered else head
    best: Optional[tuple[tuple, list[int]]] = None
    for k, (token, index) in enumerate(flat):
        if not any(same(token, t) for t in starts):
            continue
        if ordered:
            hits = [k + j for j, t in enumerate(head) if k + j < len(flat) and same(flat[k + j][0], t)]
        else:
            window, hits = list(range(k, min(len(flat), k + 2 * n))), []
            for t in head:
                match = next((j for j in window if j not in hits and same(flat[j][0], t)), None)
                if match is not None:
                    hits.append(match)
        rank = (len(hits) / n, index >= after, -k)
        if hits and (best is None or rank > best[0]):
            best = (rank, hits)
    return (best[0][0], best[1]) if best else None


def line_boxes(words: list[Word]) -> list[BBox]:
    """Words grouped into lines (by vertical overlap), one box per line."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w[2], w[1])):
        if lines and w[2] < (lines[-1][0][2] + lines[-1][0][4]) / 2:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [union([(w[1], w[2], w[3], w[4]) for w in line]) for line in lines]


# ---------------------------------------------------------------- PDF: layouts, cached

@dataclass
class PdfLayout:
    """A PDF's page sizes, the reader's pieces (text-layer documents) and words per page (for locating)."""

    sizes: list[tuple[float, float]]
    pieces: list[Piece] = field(default_factory=list)
    text: Optional[str] = None  # the reader's Document.text, to check spans against snippets
    words: dict[int, list[Word]] = field(default_factory=dict)
    ocr: bool = False  # some page's words came from OCR

    def to_json(self) -> dict:
        return {"sizes": self.sizes, "pieces": [[p.start, p.end, p.page, list(p.bbox)] for p in self.pieces],
                "text": self.text, "words": {str(k): v for k, v in self.words.items()}, "ocr": self.ocr}

    @classmethod
    def from_json(cls, data: dict) -> "PdfLayout":
        return cls([tuple(s) for s in data["sizes"]], [Piece(s, e, p, tuple(b)) for s, e, p, b in data["pieces"]],
                   data.get("text"), {int(k): [tuple(w) for w in v] for k, v in data.get("words", {}).items()},
                   data.get("ocr", False))


def load_layout(path: Path, data: bytes, needs_ocr: bool, settings: ReviewSettings, cache: Optional[Path]) -> PdfLayout:
    """The layout of a PDF, from the cache when this content was laid out by these rules before."""
    if cache is not None and cache.is_file():
        try:
            return PdfLayout.from_json(json.loads(cache.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError):
            pass  # a cache from another version: lay out again
    layout = _read_layout(path, data, needs_ocr, settings)
    save_layout(layout, cache)
    return layout


def save_layout(layout: PdfLayout, cache: Optional[Path]) -> None:
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(layout.to_json()), encoding="utf-8")


def _read_layout(path: Path, data: bytes, needs_ocr: bool, settings: ReviewSettings) -> PdfLayout:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        sizes = [tuple(float(v) for v in pdf[i].get_size()) for i in range(len(pdf))]
    finally:
        pdf.close()
    layout = PdfLayout(sizes)
    if not needs_ocr:
        from pipeline.readers.errors import ReadError
        from pipeline.readers.pdf import read_pdf

        try:
            doc = read_pdf(path.name, data, use_ocr=False)
        except ReadError:
            needs_ocr = True
        else:
            layout.pieces, layout.text = reader_pieces(doc), doc.text
    # words box a figure inside a sentence or cell (text layer), or find records on OCR'd pages
    layout.words, layout.ocr = page_words(data, settings, allow_ocr=needs_ocr)
    return layout


def page_words(data: bytes, settings: ReviewSettings, allow_ocr: bool) -> tuple[dict[int, list[Word]], bool]:
    """Each page's words: its text layer, or one Tesseract pass over the page image when it has none."""
    import io

    import pdfplumber

    from pipeline.readers import ocr

    out: dict[int, list[Word]] = {}
    used_ocr = False
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            words = [(w["text"], w["x0"], w["top"], w["x1"], w["bottom"]) for w in page.extract_words()]
            if not words and allow_ocr and page.images and ocr.available():
                image = page.to_image(resolution=settings.ocr_resolution).original.convert("L")
                scale = float(page.width) / image.width
                words = [(w.text, w.x0, w.top, w.x1, w.bottom)
                         for w in ocr.tesseract_words(image, scale, psm=3, min_confidence=settings.ocr_min_confidence)]
                used_ocr = True
            out[number] = [(t, round(a, 1), round(b, 1), round(c, 1), round(d, 1)) for t, a, b, c, d in words]
            page.flush_cache()
    return out, used_ocr


def place_on_pages(layout: PdfLayout, records: list[dict], settings: ReviewSettings) -> list[Placement]:
    """A placement per record (rows with page, char_start, char_end, snippet), in the order given."""
    index = PieceIndex(layout.pieces) if layout.pieces else None
    cursor: dict[int, int] = {}
    out = []
    for row in records:
        start, end, page, snippet = row.get("char_start"), row.get("char_end"), row.get("page"), row.get("snippet") or ""
        if index is not None and start is not None and end is not None and (
                not snippet or layout.text is None or same_words(layout.text[start:end], snippet)):
            rects = _within_piece(layout, index, start, end, page, snippet, settings) or index.rects(start, end, page)
            if rects:
                out.append(Placement("exact", (start, end), rects))
                continue
        out.append(_located(layout, page, snippet, cursor, settings))
    return out


def _within_piece(layout: PdfLayout, index: PieceIndex, start: int, end: int, page: Optional[int], snippet: str,
                  settings: ReviewSettings) -> list[tuple[int, float, float, float, float]]:
    """A record that is a small part of one cell or paragraph (a figure in a sentence): boxed at its own words."""
    pieces = [p for p in index.overlapping(start, end) if page is None or p.page == page]
    if len(pieces) != 1 or not snippet:
        return []
    piece = pieces[0]
    if end - start >= settings.refine_below * (piece.end - piece.start) or piece.page not in layout.words:
        return []
    x0, top, x1, bottom = piece.bbox
    inside = [w for w in layout.words[piece.page] if x0 - 1 <= (w[1] + w[3]) / 2 <= x1 + 1 and top - 1 <= (w[2] + w[4]) / 2 <= bottom + 1]
    found = locate(snippet, inside, 0, settings)
    return [(piece.page, *box) for box in found[1]] if found else []


def _located(layout: PdfLayout, page: Optional[int], snippet: str, cursor: dict[int, int], settings: ReviewSettings) -> Placement:
    if not page or not snippet:
        return Placement("unplaced")
    if page not in layout.words:
        return Placement("unplaced")
    found = locate(snippet, layout.words[page], cursor.get(page, 0), settings)
    if found is None:
        return Placement("unplaced")
    first, boxes = found
    cursor[page] = first
    return Placement("located", None, [(page, *b) for b in boxes])


