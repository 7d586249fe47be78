"""Build documents with tables from row literals, for tests of the table-semantics layer and extractors."""
from __future__ import annotations

from pipeline.document import Block, Cell, Document, Table


def document_with_table(rows: list[list[str]], header_rows: int = 1, caption: str | None = None,
                        before: str = "", unit: str | None = None) -> Document:
    """A document whose text is ``before`` then the rows tab-separated; cells carry their real spans."""
    text = before + ("\n\n" if before else "")
    cells_rows = []
    for row in rows:
        cells = []
        for k, value in enumerate(row):
            start = len(text)
            text += value
            cells.append(Cell(value, start, len(text)))
            text += "\t" if k + 1 < len(row) else "\n"
        cells_rows.append(cells)
    table = Table(rows=cells_rows, header_rows=header_rows, unit=unit, caption=caption)
    blocks = []
    if before:
        blocks.append(Block(before, 0, len(before), kind="paragraph"))
    start = cells_rows[0][0].start
    blocks.append(Block(text[start:], start, len(text), kind="table", table=table))
    return Document(source="t.txt", text=text, blocks=blocks)
