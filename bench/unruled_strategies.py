"""Rule-free table rows: pdfplumber's ``text`` strategy against the reader's whitespace geometry, measured.

For each rule-free (and header-rule-only) rendition, the rows of the source's
tables (from the text reader's outline, which typeset them) are looked for
among the rows each method reads from the PDF; a row counts when every cell
matches after clean-up.  Printed per method: rows found / rows in the sources.

Methods:
  text          pdfplumber, vertical and horizontal ``text`` strategy on the page, its defaults
  text-cropped  the same on each table's own region (found by this reader), min_words_vertical=2,
                text_x_tolerance=1.5: the text strategy given the table's place
  text+edges    the table's region and our column edges as explicit vertical lines, rows from pdfplumber's
                ``text`` strategy: our columns, its rows
  geometry      this reader (pdf_unruled): column gaps no word crosses, rows from wrapping

Usage: python bench/unruled_strategies.py [--combo latex-rulefree ...] [--only STEM ...]
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Callable, Iterable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "renditions"))
logging.getLogger("pdfminer").setLevel(logging.ERROR)

from outline import outline  # noqa: E402

from pipeline.normalise.text import clean  # noqa: E402

Row = tuple[str, ...]
TEXT = {"vertical_strategy": "text", "horizontal_strategy": "text"}
TUNED = {**TEXT, "min_words_vertical": 2, "text_x_tolerance": 1.5, "snap_tolerance": 2}


def _row(cells: Iterable) -> Row:
    out = [clean(c or "") for c in cells]
    while out and not out[-1]:
        out.pop()
    return tuple(out)


def source_rows(text: Path) -> list[Row]:
    """The rows of the text's tables with two cells or more (what a reader must give back)."""
    return [r for item in outline(text) if item.kind == "table" for r in map(_row, item.rows) if sum(1 for c in r if c) >= 2]


def pdfplumber_rows(pdf_path: Path, settings: dict) -> list[Row]:
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        return [_row(r) for page in pdf.pages for t in page.extract_tables(settings) for r in t]


def region_rows(pdf_path: Path, edges: bool) -> list[Row]:
    """pdfplumber's text strategy on each region this reader calls a table; with ``edges``, our column edges too."""
    import pdfplumber

    from pipeline.readers.pdf import page_words
    from pipeline.readers.pdf_tables import find_tables

    out: list[Row] = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            for table in find_tables(page, page_words(page)):
                xs = sorted({round(c.bbox[0], 1) for c in table.rows[0]} | {round(table.rows[0][-1].bbox[2], 1)})
                cropped = page.crop((max(0, table.bbox[0] - 2), max(0, table.bbox[1] - 2),
                                     min(page.width, table.bbox[2] + 2), min(page.height, table.bbox[3] + 2)))
                settings = ({"vertical_strategy": "explicit", "explicit_vertical_lines": xs, "horizontal_strategy": "text"}
                            if edges else TUNED)
                out += [_row(r) for t in cropped.extract_tables(settings) for r in t]
    return out


def geometry_rows(pdf_path: Path) -> list[Row]:
    from pipeline.readers.pdf import read_pdf

    doc = read_pdf(pdf_path.name, pdf_path.read_bytes(), use_ocr=False)
    return [_row(c.text for c in row) for block in doc.tables() for row in block.table.rows]


METHODS: dict[str, Callable[[Path], list[Row]]] = {
    "text": lambda p: pdfplumber_rows(p, TEXT),
    "text-cropped": lambda p: region_rows(p, edges=False),
    "text+edges": lambda p: region_rows(p, edges=True),
    "geometry": geometry_rows,
}


def found(expected: list[Row], got: list[Row]) -> int:
    pool = list(got)
    hits = 0
    for row in expected:
        if row in pool:
            pool.remove(row)
            hits += 1
    return hits


def measure(pdfs: list[Path]) -> dict[str, tuple[int, int]]:
    """Rows found per method over the PDFs, and the rows their sources hold."""
    totals = {name: [0, 0] for name in METHODS}
    for pdf in pdfs:
        stem = pdf.stem.rsplit("_", 1)[0]
        expected = source_rows(ROOT / "corpus" / "text" / f"{stem}.txt")
        if not expected:
            continue
        for name, method in METHODS.items():
            totals[name][0] += found(expected, method(pdf))
            totals[name][1] += len(expected)
    return {k: (v[0], v[1]) for k, v in totals.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--combo", action="append", default=[], help="producer-style (default: the rule-free and header-rule ones)")
    parser.add_argument("--only", action="append", default=[], help="text stems (default: all with tables)")
    args = parser.parse_args()
    combos = args.combo or ["libreoffice-rulefree", "reportlab-rulefree", "latex-rulefree",
                            "libreoffice-headrule", "reportlab-headrule", "latex-headrule"]
    print(f"{'producer-style':<24}" + "".join(f"{m:>16}" for m in METHODS))
    for combo in combos:
        pdfs = sorted((ROOT / "corpus" / "renditions").glob(f"*_{combo}.pdf"))
        if args.only:
            pdfs = [p for p in pdfs if any(p.name.startswith(o) for o in args.only)]
        result = measure(pdfs)
        print(f"{combo:<24}" + "".join(f"{f'{h}/{n} {h / max(n, 1):.2f}':>16}" for h, n in result.values()), flush=True)


if __name__ == "__main__":
    main()
