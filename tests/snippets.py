"""Build small documents for extractor tests: text through the text reader, or blocks and tables from literals.

Table-shaped rules are tested on ``Table`` objects made from row literals, so
a test pins the extractor's reading of a table, not the reader's recovery of it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Union

from pipeline.document import Block, Cell, Document, Table
from pipeline.extract import extract_document
from pipeline.readers.text import read_text


@dataclass
class H:
    text: str
    level: int = 2


@dataclass
class P:
    text: str


@dataclass
class L:
    text: str
    marker: Optional[str] = "•"


@dataclass
class T:
    rows: list[list[str]]
    header_rows: int = 1
    unit: Optional[str] = None
    caption: Optional[str] = None


Part = Union[H, P, L, T]


def document(*parts: Part, source: str = "snippet.txt") -> Document:
    """A document whose text is the parts joined by blank lines, each block and cell spanning its own words."""
    text, blocks = "", []
    for part in parts:
        if text:
            text += "\n\n"
        start = len(text)
        if isinstance(part, T):
            rows = []
            for r, row in enumerate(part.rows):
                if r:
                    text += "\n"
                cells = []
                for c, value in enumerate(row):
                    if c:
                        text += "\t"
                    cells.append(Cell(value, len(text), len(text) + len(value)))
                    text += value
                rows.append(cells)
            table = Table(rows, header_rows=part.header_rows, unit=part.unit, caption=part.caption)
            blocks.append(Block(text[start:], start, len(text), kind="table", table=table))
            continue
        text += part.text
        if isinstance(part, H):
            blocks.append(Block(part.text, start, len(text), kind="heading", level=part.level))
        elif isinstance(part, L):
            blocks.append(Block(part.text, start, len(text), kind="list_item", marker=part.marker, level=1))
        else:
            blocks.append(Block(part.text, start, len(text), kind="paragraph"))
    return Document(source=source, text=text, blocks=blocks)


def extract(doc_or_text: Union[Document, str], **meta) -> list:
    """Every record the registered extractors find (strict: an extractor error fails the test)."""
    doc = read_text("snippet.txt", doc_or_text.encode()) if isinstance(doc_or_text, str) else doc_or_text
    doc.meta = meta
    records, issues = extract_document(doc, strict=True)
    assert not issues
    return records


def of(records: list, kind: str) -> list:
    return [r for r in records if r.type == kind]


def block_spans(blocks) -> list:
    """Everything a reader decided about its blocks (kind, span, text, marker, level, cells), for comparing two readings."""
    out = []
    for b in blocks:
        cells = [[(c.start, c.end, c.text) for c in row] for row in b.table.rows] if b.table else None
        out.append((b.kind, b.start, b.end, b.text, b.marker, b.level, cells))
    return out
