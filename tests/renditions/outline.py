"""A corpus text as a neutral outline (headings, paragraphs, list items, tables) for the producers to typeset.

The outline is the text reader's own reading of the file, so a rendition
shows the same structure the text pipeline extracts from: a PDF reader that
gives extractors back that structure scores what the text scores.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from pipeline.document import split_items
from pipeline.normalise.text import clean, collapse, strip_markup
from pipeline.readers.text import read_text


@dataclass
class Item:
    kind: str  # heading | paragraph | bullet | numbered | table
    text: str = ""
    level: int = 1
    number: Optional[str] = None  # a numbered item's own number as printed ("22", "2.")
    rows: list[list[str]] = field(default_factory=list)  # table cells; a cell's lines are its items
    header_rows: int = 0


def outline(path: Path) -> list[Item]:
    doc = read_text(path.name, path.read_bytes())
    items: list[Item] = []
    for block in doc.blocks:
        if block.kind == "table" and block.table is not None:
            rows = [[cell_text(c) for c in row] for row in block.table.rows]
            width = max(len(r) for r in rows)
            rows = [r + [""] * (width - len(r)) for r in rows]
            items.append(Item("table", rows=rows, header_rows=max(0, block.table.header_rows)))
            continue
        text = clean(block.text)
        if not text:
            continue
        if block.kind == "heading":
            items.append(Item("heading", text, level=min(max(block.level, 1), 3)))
        elif block.kind == "list_item":
            number = re.match(r"\s*(\d{1,3}[.)]?)\s", block.text)  # the number as printed: "2." or "22"
            if number:
                items.append(Item("numbered", re.sub(r"^\d{1,3}[.)]?\s+", "", text), number=number.group(1)))
            else:
                items.append(Item("bullet", text))
        else:
            items.append(Item("paragraph", text))
    return items


def cell_text(cell) -> str:
    """A cell's items one per line (a cell that is a list keeps its items apart).

    A cell of one item is set as printed, markup aside: ``clean`` would take a
    leading "c)" or "✓" for a list marker and drop it, and the cell then reads
    as another value ("c) 1.1", a strategy reference, as the figure 1.1).
    """
    pieces = cell_pieces(cell.text)
    if len(pieces) > 1:
        return "\n".join(("• " if p.marker == "•" else f"{p.marker}. " if p.marker else "") + p.clean for p in pieces)
    return collapse(strip_markup(cell.text))


_PARAGRAPH = re.compile(r"<p[^>]*>(.*?)</p>", re.S)


def cell_pieces(text: str) -> list:
    """A cell's items, none of its text left out.

    ``split_items`` takes a cell's ``<p>`` paragraphs as its items and drops
    what lies between them (a numbered ``<ol>`` run before two note
    paragraphs), so a cell of paragraphs is cut at them and each stretch,
    paragraph or not, is split on its own.
    """
    if "<li" in text or not _PARAGRAPH.search(text):
        return split_items(text)
    pieces, pos = [], 0
    for m in _PARAGRAPH.finditer(text):
        pieces += split_items(text[pos:m.start()]) + split_items(m.group(1))
        pos = m.end()
    return pieces + split_items(text[pos:])


def prose_runs(items: list[Item], min_items: int = 4, min_chars: int = 700) -> list[tuple[int, int]]:
    """Stretches of consecutive prose (paragraphs and list items) long enough to set in two columns.

    The producers set these in two columns and the rest in one, so a page goes
    from one column to two and back (an introduction, then two-column text,
    then a full-width table or heading).
    """
    runs, start = [], None
    for i, item in enumerate(items + [Item("heading")]):
        prose = item.kind in ("paragraph", "bullet", "numbered")
        if prose and start is None:
            start = i
        elif not prose and start is not None:
            # leave the first paragraph of a stretch full width: the 1 -> 2 change happens mid-page
            lo = start + 1
            if i - lo >= min_items and sum(len(x.text) for x in items[lo:i]) >= min_chars:
                runs.append((lo, i))
            start = None
    return runs
