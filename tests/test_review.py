"""The review site as files: index, one page per document, highlights and boxes where the records are, no network."""
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import councilplans as cp
from pipeline.cli import main
from pipeline.review.layout import locate, place_in_text, same_words
from pipeline.store import Store

from conftest import CORPUS


def page_data(path: Path) -> dict:
    found = re.search(r'<script id="cp-data" type="application/json">(.*?)</script>', path.read_text(encoding="utf-8"), re.S)
    return json.loads(found.group(1).replace("<\\/", "</"))


@pytest.fixture(scope="module")
def site(review_store, tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    result = CliRunner().invoke(main, ["review", "--db", str(review_store), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


def doc_page(site: Path, source: str) -> Path:
    index = (site / "index.html").read_text(encoding="utf-8")
    href = re.search(rf'<a href="(docs/[^"]+)">{re.escape(source)}</a>', index).group(1)
    return site / href


def test_index_lists_every_document_with_its_counts(site, review_store):
    index = (site / "index.html").read_text(encoding="utf-8")
    with Store(str(review_store)) as store:
        docs = store.documents()
        budgets = store.frame("budget")
    assert len(re.findall(r"<tr data-status=", index)) == len(docs) == 3
    data = page_data(site / "index.html")
    assert data["summary"]["documents"] == 3
    row = re.search(r'hart_2024-25_community-services\.pdf</a>.*?</tr>', index, re.S).group(0)
    cells = re.findall(r'<td class="num[^"]*">(\d*)</td>', row)
    n_budgets = int((budgets["source"] == "hart_2024-25_community-services.pdf").sum())
    assert cells[2] == str(n_budgets)  # service, objective, budget, ...
    for href in re.findall(r'href="(docs/[^"]+)"', index):
        assert (site / href).is_file()


def test_nothing_is_fetched_from_the_network(site):
    for path in site.rglob("*"):
        if path.suffix in (".html", ".css", ".js"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r'(?:src|href)\s*=\s*["\']?(?:https?:)?//', text), path
            assert "@import" not in text and "url(http" not in text
    assert (site / "assets" / "review.js").is_file() and (site / "assets" / "review.css").is_file()


def test_a_text_page_highlights_every_record_at_its_words(site):
    page = doc_page(site, "hart_2024-25_community-services.txt")
    data = page_data(page)
    assert data["mode"] == "text"
    html = page.read_text(encoding="utf-8")
    text_html = re.search(r'<pre class="text">(.*?)</pre>', html, re.S).group(1)
    covered: dict[int, list[str]] = {}
    for ids, inner in re.findall(r'<span class="hl [^"]*" data-r="([^"]+)">(.*?)</span>', text_html, re.S):
        for i in ids.split():
            covered.setdefault(int(i), []).append(inner)
    import html as htmllib
    for rec in data["records"]:
        assert rec.get("how") is None, rec  # every span still matches its snippet
        assert same_words(htmllib.unescape("".join(covered[rec["i"]])), rec["sn"]), rec
    types = {rec["t"] for rec in data["records"]}
    assert {"service", "objective", "budget", "target"} <= types
    for kind in types:
        assert f"hl t-{kind}" in text_html  # coloured by type


def test_a_pdf_page_boxes_every_record_on_its_page(site):
    page = doc_page(site, "hart_2024-25_community-services.pdf")
    data = page_data(page)
    assert data["mode"] == "pdf" and len(data["pages"]) == 4
    for im in data["pages"]:
        assert (page.parent / im["src"]).is_file()
    html = page.read_text(encoding="utf-8")
    assert html.count('loading="lazy"') == 4
    for rec in data["records"]:
        assert rec.get("how") is None and rec["r"], rec
        for n, left, top, width, height in rec["r"]:
            assert n == rec["p"] and 0 <= left < 1 and 0 <= top < 1 and 0 < width <= 1 and 0 < height <= 1


def test_pdf_boxes_are_the_cells_the_figures_came_from(site):
    data = page_data(doc_page(site, "hart_2024-25_community-services.pdf"))
    budgets = [r for r in data["records"] if r["t"] == "budget"]
    assert budgets
    for rec in budgets:
        (_, _, _, width, height), = rec["r"]
        assert width < 0.5 and height < 0.3  # a table cell or a paragraph, not the page


def test_pages_stay_light(site):
    assert max(p.stat().st_size for p in site.rglob("*.html")) < 3_000_000
    assert max(p.stat().st_size for p in site.rglob("*.webp")) < 600_000


def test_corrections_show_applied_and_raw_does_not(review_store, tmp_path):
    db = tmp_path / "c.db"
    shutil.copy(review_store, db)
    budget = cp.records(db, "budget").query("source == 'hart_2024-25_community-services.txt'").iloc[0]
    (tmp_path / "f.csv").write_text(f"action,record_id,reason\ndelete,{budget['id']},not a budget\n", encoding="utf-8")
    cp.correct(tmp_path / "f.csv", db)
    corrected = cp.review(db, tmp_path / "site")
    rec = next(r for r in page_data(doc_page(tmp_path / "site", budget["source"]))["records"] if r["id"] == budget["id"])
    assert rec["del"] and "not a budget" in rec["note"]
    raw = cp.review(db, tmp_path / "raw", raw=True)
    rec = next(r for r in page_data(doc_page(tmp_path / "raw", budget["source"]))["records"] if r["id"] == budget["id"])
    assert "del" not in rec and "note" not in rec
    assert corrected.documents == raw.documents == 3


def test_orphaned_corrections_are_listed_on_the_index(review_store, tmp_path):
    db = tmp_path / "o.db"
    shutil.copy(review_store, db)
    budget = cp.records(db, "budget").iloc[0]
    (tmp_path / "f.csv").write_text(f"action,record_id,reason\ndelete,{budget['id']},a reason to find\n", encoding="utf-8")
    cp.correct(tmp_path / "f.csv", db)
    with Store(str(db)) as store, store.engine.begin() as conn:  # as if re-extraction no longer found it
        from sqlalchemy import delete

        from schemas.tables import RECORD_TABLES
        conn.execute(delete(RECORD_TABLES["budget"]).where(RECORD_TABLES["budget"].c.id == budget["id"]))
    cp.review(db, tmp_path / "site")
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "1 correction(s) no longer find their record" in index and "a reason to find" in index


def test_a_missing_source_file_still_gives_a_page(review_store, tmp_path):
    db = tmp_path / "m.db"
    shutil.copy(review_store, db)
    with Store(str(db)) as store, store.engine.begin() as conn:
        from sqlalchemy import update

        from schemas.tables import documents
        conn.execute(update(documents).where(documents.c.source.like("sevenoaks%")).values(path="/nowhere/plan.txt"))
    site = cp.review(db, tmp_path / "site", sources=["sevenoaks_*"])
    assert site.documents == 1
    data = page_data(doc_page(tmp_path / "site", "sevenoaks_2012-13_service-plans-summary.txt"))
    assert data["mode"] == "missing" and "not at /nowhere/plan.txt" in data["warnings"][0] and data["records"]


def test_review_of_a_missing_store_says_so(tmp_path):
    result = CliRunner().invoke(main, ["review", "--db", str(tmp_path / "typo.db"), "--out", str(tmp_path / "s")])
    assert result.exit_code == 1 and "no database at" in result.output
    assert not (tmp_path / "typo.db").exists()


def test_scanned_pages_are_boxed_by_their_words(require_ocr, tmp_path):
    """A page of the scanned plan: extracted with OCR, then each record located on the page image."""
    import pypdfium2 as pdfium

    scan = pdfium.PdfDocument(str(CORPUS / "pdf" / "bracknell-forest_2024-25_communities-directorate_scanned.pdf"))
    one = pdfium.PdfDocument.new()
    one.import_pages(scan, [1])
    path = tmp_path / "plans" / "scanned_page.pdf"
    path.parent.mkdir()
    one.save(str(path))
    db = tmp_path / "s.db"
    cp.extract(path.parent, db=db, workers=1)
    cp.review(db, tmp_path / "site")
    data = page_data(next((tmp_path / "site" / "docs").glob("*.html")))
    placed = [r for r in data["records"] if r.get("r")]
    assert data["records"] and len(placed) >= 0.8 * len(data["records"])
    assert all(r["how"] == "located" for r in placed)
    assert any("OCR" in w for w in data["warnings"])


def test_locate_finds_words_despite_ocr_misreads_and_column_order():
    words = [("Net", 10, 100, 30, 110), ("budget", 32, 100, 60, 110), ("£1,2O0", 62, 100, 90, 110),
             ("Libraries", 10, 120, 50, 130), ("Parks", 10, 140, 40, 150), ("3,662", 200, 120, 230, 130)]
    first, boxes = locate("Net budget £1,200", words)
    assert first == 0 and boxes == [(10, 100, 90, 110)]
    first, boxes = locate("Libraries\t3,662", words)  # a table row OCR read column by column
    assert boxes == [(10, 120, 230, 130)]
    assert locate("Cemeteries and crematoria", words) is None


def test_a_moved_span_is_found_again_by_its_words():
    text = "Intro line\nSavings of £1.2m are planned.\n"
    assert place_in_text(text, 11, 19, "Savings ").how == "exact"
    moved = place_in_text(text, 0, 8, "Savings of")
    assert moved.how == "moved" and text[moved.span[0]:moved.span[1]] == "Savings of"
    assert place_in_text(text, 0, 5, "not there").how == "unplaced"
