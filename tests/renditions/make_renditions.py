"""Build the producer renditions of the text corpus in corpus/renditions/ (test set-up, run by hand).

Every text in corpus/text is typeset by each producer in each table style and
written as ``<text stem>_<producer>-<style>.pdf``, which ``evaluate`` pairs
with the text's gold.  The PDFs are committed, so tests and CI need none of
the producers; re-run this only to change the renditions.

Needs (Debian): ``apt-get install libreoffice-writer pandoc texlive-latex-base
texlive-latex-recommended texlive-fonts-recommended lmodern fonts-liberation
fonts-dejavu img2pdf tesseract-ocr`` and ``pip install -e '.[renditions]'``
(python-docx, reportlab, img2pdf).

Usage: python tests/renditions/make_renditions.py [--only STEM] [--combo producer-style ...] [--scan]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
ROOT = HERE.parent.parent

from outline import outline  # noqa: E402
from producers import PRODUCERS  # noqa: E402

# producer x table style; LaTeX's own tables are booktabs (rules at head and foot only) or, with those off, rule-free
COMBOS = [("libreoffice", "ruled"), ("libreoffice", "headrule"), ("libreoffice", "rulefree"),
          ("reportlab", "ruled"), ("reportlab", "headrule"), ("reportlab", "rulefree"),
          ("latex", "headrule"), ("latex", "rulefree")]
OUT = ROOT / "corpus" / "renditions"
FIXTURES = ROOT / "tests" / "fixtures" / "pdf"


def build(texts: list[Path], combos: list[tuple[str, str]]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for path in texts:
        items = outline(path)
        for producer, style in combos:
            out = OUT / f"{path.stem}_{producer}-{style}.pdf"
            PRODUCERS[producer](items, style, out)
            print(f"{out.relative_to(ROOT)}  {out.stat().st_size // 1024} KB", flush=True)


def manifest_rows() -> None:
    """A manifest row for each rendition of a text that has one (same council and year; the notes say which rendition)."""
    import csv

    manifest = ROOT / "corpus" / "manifest.csv"
    with manifest.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_file = {r["file"]: r for r in rows}
    for pdf in sorted(OUT.glob("*.pdf")):
        stem, combo = pdf.stem.rsplit("_", 1)
        text = by_file.get(f"{stem}.txt")
        if text and pdf.name not in by_file:
            producer, style = combo.split("-")
            rows.append({**text, "file": pdf.name, "notes": f"{producer} rendition, {style} tables (tests/renditions)"})
    with manifest.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", action="append", default=[], help="text stems to build (default: all)")
    parser.add_argument("--combo", action="append", default=[], help="producer-style to build (default: all)")
    parser.add_argument("--scan", action="store_true", help="also make the office-scanner page (scan.py)")
    parser.add_argument("--fixtures", action="store_true", help="only make the small layout fixtures in tests/fixtures/pdf")
    args = parser.parse_args()
    if args.fixtures:
        from producers import row_across_pages

        FIXTURES.mkdir(parents=True, exist_ok=True)
        row_across_pages(FIXTURES / "row_across_pages.pdf")
        return
    texts = sorted((ROOT / "corpus" / "text").glob("*.txt"))
    if args.only:
        texts = [t for t in texts if t.stem in args.only]
    combos = [c for c in COMBOS if not args.combo or f"{c[0]}-{c[1]}" in args.combo]
    build(texts, combos)
    manifest_rows()
    if args.scan:
        from scan import office_scan

        office_scan()


if __name__ == "__main__":
    main()
