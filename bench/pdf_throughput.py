"""PDF pages per second: the whole pipeline (records in the store) against bare pdfplumber.

Both run in this process over the same born-digital PDFs (scans excluded: OCR
time is Tesseract's, not ours).  The bare figure is ``page.extract_text()`` on
every page, the least any pdfplumber-based reader must do; the ratio says
what layout analysis, tables, extraction and the store cost on top.

Usage: python bench/pdf_throughput.py [--repeat N] [--folder DIR]
"""
from __future__ import annotations

import argparse
import logging
import resource
import tempfile
import time
from pathlib import Path

import pdfplumber

from pipeline.run import run_batch
from pipeline.settings import BatchSettings

ROOT = Path(__file__).resolve().parent.parent
logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font-descriptor chatter


def born_digital(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.pdf") if "scanned" not in p.name)


def bare_pages(files: list[Path]) -> tuple[int, float]:
    start = time.perf_counter()
    pages = 0
    for path in files:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                pages += 1
    return pages, time.perf_counter() - start


def pipeline_pages(files: list[Path], tmp: Path) -> tuple[int, int, float]:
    src = tmp / "plans"
    src.mkdir()
    for k, path in enumerate(files):
        # distinct bytes (a comment after %%EOF): byte-identical copies are one document and would be read once
        (src / f"{k:03d}_{path.name}").write_bytes(path.read_bytes() + f"\n% copy {k}\n".encode())
    start = time.perf_counter()
    summary = run_batch([src], db=str(tmp / "bench.db"), force=True, settings=BatchSettings(workers=0))  # this process, as bare pdfplumber
    elapsed = time.perf_counter() - start
    pages = sum(r.pages or 0 for r in summary.results)
    records = sum(sum(r.records.values()) for r in summary.results)
    return pages, records, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the files (default 3)")
    parser.add_argument("--folder", type=Path, default=ROOT / "corpus" / "pdf", help="folder of PDFs (default corpus/pdf)")
    args = parser.parse_args()
    files = born_digital(args.folder) * args.repeat
    if not files:
        raise SystemExit(f"no born-digital PDFs in {args.folder}")
    bare_n, bare_s = bare_pages(files)
    with tempfile.TemporaryDirectory() as tmp:
        pipe_n, records, pipe_s = pipeline_pages(files, Path(tmp))
    bare_rate, pipe_rate = bare_n / bare_s, pipe_n / pipe_s
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"files                      {len(files)} ({len(files) // args.repeat} PDFs x {args.repeat})")
    print(f"pages                      {bare_n}")
    print(f"bare extract_text pages/s  {bare_rate:.1f}   ({bare_s:.2f} s)")
    print(f"pipeline pages/s           {pipe_rate:.1f}   ({pipe_s:.2f} s, {records} records in the store)")
    print(f"ratio pipeline/bare        {pipe_rate / bare_rate:.2f}   (target >= 0.8)")
    print(f"peak RSS (MB)              {peak:.0f}")


if __name__ == "__main__":
    main()
