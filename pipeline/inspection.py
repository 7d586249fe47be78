"""What a reader saw in a document: blocks and tables as text, and drawn on the page image.

When a figure comes out wrong the question is nearly always "what did the
reader make of that page?"; this answers it without a debugger, in the manner
of pdfplumber's own visual debugging.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from pipeline.document import Block, Document
from pipeline.errors import InputError
from pipeline.readers import read_document

COLOURS = {"heading": (200, 30, 30), "paragraph": (30, 90, 200), "list_item": (20, 150, 60), "table": (230, 140, 0)}


def read(path: Path) -> Document:
    return read_document(path, path.read_bytes())


def describe(doc: Document, page: Optional[int] = None, width: int = 100) -> str:
    """One line per block (page, kind, box, span, text); tables with their rows."""
    lines = [f"{doc.source}: {doc.pages or 1} page(s), {len(doc.blocks)} blocks, {len(doc.text)} characters"]
    lines += [f"  reader issue {code}: {message}" for code, message in doc.issues]
    for block in doc.blocks:
        if page is not None and block.page != page:
            continue
        lines.append(_block_line(block, width))
        if block.table is not None:
            lines += _table_lines(block, width)
    return "\n".join(lines)


def _block_line(block: Block, width: int) -> str:
    where = f"p{block.page}" if block.page else "  "
    box = "(" + ",".join(f"{v:.0f}" for v in block.bbox) + ")" if block.bbox else ""
    kind = block.kind + (f" h{block.level}" if block.kind == "heading" else "") + (f" [{block.marker}]" if block.marker else "")
    text = " ".join(block.text.split()) if block.table is None else ""
    return f"{where:<4} {kind:<16} {block.start:>6}-{block.end:<6} {box:<22} {text[:width]}"


def _table_lines(block: Block, width: int) -> list[str]:
    table = block.table
    ncols = max((len(r) for r in table.rows), default=0)
    out = [f"     table: {len(table.rows)} rows x {ncols} columns, {table.header_rows} header row(s)"
           + (f", unit {table.unit}" if table.unit else "") + (f", caption {table.caption!r}" if table.caption else "")]
    cell_width = max(8, width // max(ncols, 1))
    for i, row in enumerate(table.rows):
        mark = "H" if i < table.header_rows else " "
        cells = " | ".join(" ".join(c.text.split())[:cell_width] for c in row)
        out.append(f"     {mark} {cells}")
    return out


def draw_page(path: Path, doc: Document, page: int, out: Path, resolution: int = 110) -> Path:
    """The page image with block boxes (by kind) and table cells drawn on it."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        if not 1 <= page <= len(pdf.pages):
            raise InputError(f"page {page} is out of range: the PDF has {len(pdf.pages)} page(s)")
        image = pdf.pages[page - 1].to_image(resolution=resolution)
        for block in doc.blocks:
            if block.page != page:
                continue
            if block.bbox:
                image.draw_rect(block.bbox, fill=COLOURS[block.kind] + (25,), stroke=COLOURS[block.kind], stroke_width=2)
            if block.table is not None:
                boxes = [c.bbox for row in block.table.rows for c in row if c.bbox and c.page == page]
                image.draw_rects(boxes, fill=(0, 0, 0, 0), stroke=COLOURS["table"], stroke_width=1)
        out.parent.mkdir(parents=True, exist_ok=True)
        image.save(out)
    return out
