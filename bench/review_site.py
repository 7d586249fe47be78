"""The review site: how long it takes to write for a corpus, how heavy it is, how a big document behaves.

Runs pinned to one core.  Three timings over the same store, side by side:

* baseline: the least any review site must do (render every PDF page to WebP with pypdfium2,
  read every text file through the reader);
* cold: ``councilplans review`` into an empty folder (PDF layouts read, scans located by OCR);
* warm: the same again (page images and layouts kept: what a rebuild after corrections costs).

CPU includes child processes (Tesseract).  With ``--big N`` it also builds an N-page PDF from the
born-digital corpus plans, extracts it, writes its page and measures it in headless chromium: load time,
and the time from clicking the last record to its box being drawn, selected and scrolled into view.

Usage: python bench/review_site.py [--db STORE] [--big 300] [--keep DIR]
       (without --db the bundled corpus, text and PDF, is extracted first; that time is not counted)
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


class Timer:
    """Wall and CPU seconds (this process and the children it waited for)."""

    def __enter__(self) -> "Timer":
        self.wall, self.cpu = time.perf_counter(), _cpu()
        return self

    def __exit__(self, *exc) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, _cpu() - self.cpu


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def baseline(store_db: str, out: Path) -> Timer:
    """Render every PDF page and read every text document: the floor under any review site."""
    from pipeline.readers import read_document
    from pipeline.review.pages import render_pages
    from pipeline.review.settings import ReviewSettings
    from pipeline.store import Store

    with Store(store_db, existing=True) as store:
        paths = [Path(d["path"]) for d in store.documents() if d.get("path")]
    with Timer() as t:
        for n, path in enumerate(paths):
            data = path.read_bytes()
            if data[:5] == b"%PDF-":
                render_pages(data, out / str(n), ReviewSettings())
            else:
                read_document(path, data)
    return t


def site_size(out: Path) -> tuple[float, float, float, int]:
    files = [p for p in out.rglob("*") if p.is_file() and "_cache" not in p.parts]
    pages = [p for p in files if p.suffix == ".html"]
    images = [p for p in files if p.suffix == ".webp"]
    return (sum(p.stat().st_size for p in files) / 1e6, max(p.stat().st_size for p in pages) / 1e6,
            max((p.stat().st_size for p in images), default=0) / 1e6, len(images))


def corpus_store(tmp: Path) -> str:
    from pipeline.run import run_batch

    db = str(tmp / "corpus.db")
    print("extracting corpus/text and corpus/pdf (not timed) ...", flush=True)
    run_batch([ROOT / "corpus" / "text", ROOT / "corpus" / "pdf"], db=db, manifest=ROOT / "corpus" / "manifest.csv", workers=1)
    return db


def big_document(tmp: Path, pages: int) -> str:
    """An N-page plan made of the born-digital corpus PDFs, repeated; extracted into its own store."""
    import pypdfium2 as pdfium

    from pipeline.run import run_batch

    sources = sorted(p for p in (ROOT / "corpus" / "pdf").glob("*.pdf") if "scanned" not in p.name)
    big = pdfium.PdfDocument.new()
    while len(big) < pages:
        for path in sources:
            part = pdfium.PdfDocument(str(path))
            take = list(range(min(len(part), pages - len(big))))
            big.import_pages(part, take)
            if len(big) >= pages:
                break
    folder = tmp / "big"
    folder.mkdir()
    big.save(str(folder / f"big-plan-{pages}-pages.pdf"))
    db = str(tmp / "big.db")
    with Timer() as t:
        run_batch([folder], db=db, workers=1)
    print(f"  extracted the {pages}-page plan in {t.wall:.1f}s (not part of the review figures)")
    return db


def browser_figures(page_html: Path) -> dict:
    """Load time and click-to-visible time for the last record, in headless chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        start = time.perf_counter()
        page.goto(page_html.as_uri(), wait_until="load")
        page.wait_for_selector("#recs li")
        loaded = time.perf_counter() - start
        n = page.evaluate("window.councilplansReview.records.length")
        last = page.evaluate("window.councilplansReview.records.filter(r => r.r && r.r.length).pop().i")
        took = page.evaluate("""(i) => new Promise(done => {
            const t0 = performance.now();
            document.querySelector(`#recs li[data-i='${i}']`).click();
            requestAnimationFrame(() => requestAnimationFrame(() => {
                const box = document.querySelector(`.box.sel[data-r='${i}']`);
                const r = box && box.getBoundingClientRect();
                done({ms: performance.now() - t0, visible: !!r && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight});
            }));
        })""", last)
        browser.close()
    return {"records": n, "load_s": loaded, "click_ms": took["ms"], "visible": took["visible"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="an extracted store (default: extract the bundled corpus into a temporary one)")
    parser.add_argument("--big", type=int, default=0, help="also measure an N-page document (e.g. 300)")
    parser.add_argument("--keep", type=Path, help="write the sites here instead of a temporary folder")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core, as the figure is quoted
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")

    import councilplans as cp

    tmp = Path(tempfile.mkdtemp(prefix="cp-review-bench-"))
    out_root = args.keep or tmp
    try:
        db = args.db or corpus_store(tmp)
        base = baseline(db, tmp / "baseline")
        site_dir = out_root / "site"
        shutil.rmtree(site_dir, ignore_errors=True)
        with Timer() as cold:
            site = cp.review(db, site_dir)
        with Timer() as warm:
            cp.review(db, site_dir)
        total, largest, largest_image, images = site_size(site_dir)
        print(f"\nreview site for {site.documents} documents ({images} page images), one core")
        print(f"{'':<44}{'wall s':>9}{'cpu s':>9}{'x baseline (cpu)':>18}")
        for name, t in [("baseline: render pages + read texts", base), ("review, cold (empty folder)", cold),
                        ("review, warm (images and layouts kept)", warm)]:
            print(f"{name:<44}{t.wall:>9.1f}{t.cpu:>9.1f}{t.cpu / base.cpu:>18.2f}")
        print(f"size {total:.1f} MB; largest HTML page {largest:.2f} MB; largest page image {largest_image:.2f} MB")
        if args.big:
            big_db = big_document(tmp, args.big)
            big_dir = out_root / "big-site"
            shutil.rmtree(big_dir, ignore_errors=True)
            with Timer() as t:
                cp.review(big_db, big_dir)
            page = next((big_dir / "docs").glob("*.html"))
            figures = browser_figures(page)
            print(f"\n{args.big}-page document: {figures['records']} records; review written in {t.wall:.1f}s wall, "
                  f"{t.cpu:.1f}s cpu; its page {page.stat().st_size / 1e6:.2f} MB (images load lazily)")
            print(f"  chromium: page ready in {figures['load_s']:.2f}s; click on the last record -> box drawn and in view "
                  f"in {figures['click_ms']:.0f} ms (visible: {figures['visible']})")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
