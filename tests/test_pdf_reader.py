"""The PDF reader on real corpus PDFs: layout, tables, running lines, bad files, OCR."""
from __future__ import annotations

import re

import pdfplumber
import pytest

from pipeline.extract import process_source
from pipeline.ingest import Source
from pipeline.readers import ReadError, read_document
from pipeline.readers.pdf import read_pdf, running_key
from pipeline.readers.pdf_layout import Line, Word, fits_on, find_gutter, group_lines, paragraphs
from pipeline.readers.pdf_tables import find_tables

from conftest import CORPUS, ROOT

PDF = CORPUS / "pdf"
SD = PDF / "south-derbyshire_2019-20_corporate-resources.pdf"
SEVENOAKS = PDF / "sevenoaks_2012-13_service-plans-summary.pdf"
BRACKNELL = PDF / "bracknell-forest_2024-25_communities-directorate.pdf"
HART = PDF / "hart_2024-25_community-services.pdf"


def read(path):
    return read_document(path, path.read_bytes())


@pytest.fixture(scope="module")
def sd():
    return read(SD)


@pytest.fixture(scope="module")
def sevenoaks():
    return read(SEVENOAKS)


# ---------------------------------------------------------------- reading order

def test_two_column_page_is_read_column_by_column(sd):
    """South Derbyshire p.3 sets its introduction in two columns: the left column's paragraph comes out whole."""
    page3 = [b for b in sd.blocks if b.page == 3 and b.kind != "table"]
    texts = [" ".join(b.text.split()) for b in page3]
    left = next(i for i, t in enumerate(texts) if t.startswith("The Council's Corporate Plan 2016-2021 forms an important part of planning"))
    assert "leads the Council's performance management" in texts[left]
    right = next(i for i, t in enumerate(texts) if t.startswith("Delivery of public services occurs in an increasingly dynamic environment"))
    assert left < right
    assert not any("forms ensure" in t for t in texts)  # words from both columns never share a line


def test_gutter_needs_text_on_both_sides():
    one_column = [Line([Word("word " * 3, 50, 500, 100 + 14 * i, 110 + 14 * i)]) for i in range(10)]
    assert find_gutter(one_column, 595) is None
    two = [Line([Word("left", 50, 280, 100 + 14 * i, 110 + 14 * i), Word("right", 310, 540, 100 + 14 * i, 110 + 14 * i)]) for i in range(10)]
    gutter = find_gutter(two, 595)
    assert gutter is not None and 280 < gutter < 310


def test_hard_break_versus_wrap():
    """A line that ended with room for the next word ended on purpose (a new paragraph or item)."""
    prev = Line([Word("short", 50, 120, 100, 110)])
    nxt = Line([Word("Next", 50, 80, 114, 124)])
    assert fits_on(prev, nxt, right=500)
    full = Line([Word("long", 50, 495, 100, 110)])
    assert not fits_on(full, nxt, right=500)


def test_wrapped_lines_become_one_paragraph_and_headings_come_from_type():
    words = [
        Word("Budget", 50, 110, 80, 96, size=16, bold=True),
        Word("The", 50, 70, 110, 120), Word("budget", 72, 490, 110, 120),
        Word("continues", 50, 120, 122, 132), Word("here.", 122, 150, 122, 132),
    ]
    units = paragraphs(group_lines(words), body=10)
    assert [u.text for u in units] == ["Budget", "The budget continues here."]


# ---------------------------------------------------------------- running headers and footers

def test_running_headers_footers_and_page_numbers_are_dropped(sd):
    with pdfplumber.open(SD) as pdf:
        header = pdf.pages[7].extract_text().splitlines()[0]
    assert header.startswith("South Derbyshire District Council")
    assert header not in sd.text
    assert not re.search(r"^\s*\d{1,2}\s*$", sd.text, re.M)  # no bare page numbers left


def test_web_print_footer_is_dropped():
    doc = read(BRACKNELL)
    assert not re.search(r"^\s*\d/7\s*$", doc.text, re.M)
    assert "| Bracknell Forest Council" not in doc.text


def test_running_key_ignores_page_numbers():
    a = Line([Word("Page", 0, 20, 0, 10), Word("3", 22, 26, 0, 10)])
    b = Line([Word("Page", 0, 20, 0, 10), Word("14", 22, 30, 0, 10)])
    assert running_key(a) == running_key(b)


# ---------------------------------------------------------------- tables

def test_pdfplumber_alone_misses_rule_only_tables():
    """Why the reader has its own geometry: horizontal rules only, no vertical edges."""
    with pdfplumber.open(SD) as pdf:
        page = pdf.pages[7]
        assert page.find_tables() == []  # the lines strategy needs vertical edges
        text_strategy = page.find_tables({"vertical_strategy": "text", "horizontal_strategy": "lines"})
        cells = [c for t in text_strategy for row in t.extract() for c in row if c]
        assert any(c.startswith("Organisational Devel") and not c.startswith("Organisational Development") for c in cells)


def test_rule_only_table_is_read_with_its_columns(sd):
    budget = next(b for b in sd.blocks if b.table is not None and b.page == 8 and "Cost Centre" in b.text)
    table = budget.table
    assert table.header == ["Cost Centre / Service", "2018/19 £'000", "2019/20 £'000"]
    assert table.unit == "£'000"
    assert [c.clean for c in table.rows[3]] == ["ICT", "1,001", "1,060"]


def test_table_continued_on_next_page_is_stitched_once(sd):
    """The budget table runs from p.8 to p.9 with its header repeated: one table, one header."""
    tables = [b for b in sd.blocks if b.table is not None and "Cost Centre" in b.text]
    assert len(tables) == 1
    table = tables[0].table
    assert {c.page for row in table.rows for c in row} == {8, 9}
    assert sum(1 for row in table.rows if row[0].clean == "Cost Centre / Service") == 1
    assert table.rows[-1][0].clean == "Total" and table.rows[-1][2].clean == "3,451"


def test_ruled_table_with_merged_cells_and_header(sevenoaks):
    guidance = next(b for b in sevenoaks.blocks if b.table is not None and "Head of Service" in b.text)
    table = guidance.table
    assert table.header_rows == 1
    # a row-spanning "Head of Service" cell is repeated into the rows it covers
    services = {row[1].clean: row[0].clean for row in table.body}
    assert services["Planning Policy"] == "Development Services"


def test_multi_line_cells_stay_one_cell_with_their_items(sevenoaks):
    objectives = next(b for b in sevenoaks.blocks if b.table is not None and "Kent Waste Strategy" in b.text)
    cell = next(row[1] for row in objectives.table.rows if "Kent Waste Strategy" in row[1].text)
    items = [i.clean for i in cell.items()]
    assert "Implement the agreed work streams of the Kent Waste Strategy" in items
    assert len(items) == 4


def test_landscape_page_table(tmp_path):
    doc = read(HART)
    wide = [b for b in doc.blocks if b.table is not None and b.page in (2, 3)]
    assert wide and max(len(r) for b in wide for r in b.table.rows) == 6


def test_every_block_has_page_box_and_span(sd):
    for block in sd.blocks:
        assert block.page is not None and block.bbox is not None, block
        assert sd.text[block.start:block.end] == block.text


# ---------------------------------------------------------------- bad PDFs

def minimal_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A hand-built PDF (objects numbered from 1) with a correct cross-reference table."""
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Root %d 0 R /Size %d >>\nstartxref\n%d\n%%%%EOF\n" % (root, len(objects) + 1, xref)
    return out


def two_page_pdf(first_page_stream: bytes) -> bytes:
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    good = b"BT /F1 12 Tf 72 700 Td (The Parks Service budget for 2024/25 is 1,000,000 pounds.) Tj ET"
    return minimal_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        first_page_stream,
        font,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 7 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(good), good),
    ])


@pytest.mark.parametrize("name,make,code", [
    ("encrypted.pdf", lambda: (ROOT / "tests" / "fixtures" / "pdf" / "encrypted.pdf").read_bytes(), "pdf_encrypted"),
    ("truncated.pdf", lambda: HART.read_bytes()[: HART.stat().st_size // 2], "pdf_truncated"),
    ("zero-pages.pdf", lambda: minimal_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]), "pdf_no_pages"),
    ("not-a-pdf.pdf", lambda: b"<html><body>Service plan</body></html>", "pdf_unreadable"),
])
def test_bad_pdf_fails_that_document_with_a_coded_issue(tmp_path, name, make, code):
    path = tmp_path / name
    path.write_bytes(make())
    result = process_source(Source(path))
    assert result.status == "failed"
    assert result.issues[0].code == code
    assert len(result.issues[0].message) > 20


def test_a_page_that_throws_loses_that_page_only(tmp_path):
    garbage = b"<< /Length 10 /Filter /LZWDecode >>\nstream\nxxxxxxxxxx\nendstream"
    path = tmp_path / "one-bad-page.pdf"
    path.write_bytes(two_page_pdf(garbage))
    doc = read_pdf(path.name, path.read_bytes())
    assert [code for code, _ in doc.issues] == ["pdf_page_error"]
    assert "page 1" in doc.issues[0][1]
    assert "The Parks Service budget for 2024/25 is 1,000,000 pounds." in doc.text
    result = process_source(Source(path))
    assert result.status == "ok" and any(i.code == "pdf_page_error" for i in result.issues)


def test_batch_goes_on_past_bad_pdfs(tmp_path):
    from pipeline.run import run_batch

    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "a-truncated.pdf").write_bytes(HART.read_bytes()[:5000])
    (folder / "b-good.pdf").write_bytes(BRACKNELL.read_bytes())
    summary = run_batch([folder], db=str(tmp_path / "store.db"))
    status = {r.source: r.status for r in summary.results}
    assert status == {"a-truncated.pdf": "failed", "b-good.pdf": "ok"}


# ---------------------------------------------------------------- scans

SCAN = PDF / "bracknell-forest_2024-25_communities-directorate_scanned.pdf"


def test_scan_without_ocr_says_how_to_install_it(tmp_path, monkeypatch):
    from pipeline.readers import ocr

    monkeypatch.setattr(ocr, "available", lambda: False)
    result = process_source(Source(SCAN))
    assert result.status == "failed"
    assert result.issues[0].code == "no_text_layer"
    assert "tesseract-ocr" in result.issues[0].message


def test_scan_is_ocred_deskewed_and_read_like_text(require_ocr):
    doc = read(SCAN)
    assert any(code == "ocr_used" for code, _ in doc.issues)
    headings = [" ".join(b.text.split()) for b in doc.blocks if b.kind == "heading"]
    assert "Communities Directorate service plan for 2024 to 2025" in headings
    items = [b.text for b in doc.blocks if b.kind == "list_item"]
    assert any("elections and waste collection" in t for t in items)


def test_skew_angle_is_measured():
    from PIL import Image, ImageDraw

    from pipeline.readers.ocr import skew_angle

    image = Image.new("L", (800, 1000), 255)
    draw = ImageDraw.Draw(image)
    for y in range(100, 900, 40):
        draw.rectangle([100, y, 700, y + 12], fill=0)
    tilted = image.rotate(-0.8, fillcolor=255)
    assert skew_angle(tilted) == pytest.approx(0.8, abs=0.11)
    assert skew_angle(image) == pytest.approx(0.0, abs=0.06)


def test_image_rules_find_a_ruled_grid():
    from PIL import Image, ImageDraw

    from pipeline.readers.ocr import Scan, image_rules

    image = Image.new("L", (1000, 600), 235)
    draw = ImageDraw.Draw(image)
    for y in (100, 200, 300):
        draw.line([(100, y), (900, y)], fill=20, width=2)
    for x in (100, 500, 900):
        draw.line([(x, 100), (x, 300)], fill=20, width=2)
    draw.text((120, 150), "Building Control", fill=0)
    horizontal, vertical = image_rules(Scan(image, 0.5, 0.0))
    assert len(horizontal) == 3 and len(vertical) == 3
    assert horizontal[0][0] == pytest.approx(50, abs=2) and horizontal[0][2] == pytest.approx(450, abs=2)


# ---------------------------------------------------------------- inspect

def test_inspect_prints_blocks_and_draws_the_page(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import main

    out = tmp_path / "page8.png"
    result = CliRunner().invoke(main, ["inspect", str(SD), "--page", "8", "--png", str(out)])
    assert result.exit_code == 0, result.output
    assert "table: 12 rows x 3 columns, 1 header row(s), unit £'000" in result.output
    assert out.exists() and out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_inspect_rejects_a_page_out_of_range(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import main

    result = CliRunner().invoke(main, ["inspect", str(BRACKNELL), "--page", "99", "--png", str(tmp_path / "x.png")])
    assert result.exit_code != 0 and "out of range" in result.output


def test_bullet_dots_are_found_in_a_scan_image():
    from PIL import Image, ImageDraw

    from pipeline.readers.ocr import Scan, bullet_marks

    image = Image.new("L", (800, 300), 235)
    draw = ImageDraw.Draw(image)
    draw.ellipse([100, 96, 108, 104], fill=10)  # a bullet dot left of the first line
    draw.line([(100, 170), (100, 200)], fill=10, width=2)  # a ruling line left of the second: not a bullet
    scale = 0.5  # points per pixel
    words = [Word("Deliver", 120 * scale, 200 * scale, 90 * scale, 110 * scale, size=10, line=1),
             Word("Review", 120 * scale, 190 * scale, 175 * scale, 195 * scale, size=10, line=2)]
    marks = bullet_marks(Scan(image, scale, 0.0), words)
    assert len(marks) == 1 and marks[0][1] < 60


def test_a_first_row_of_list_items_or_sentences_is_not_a_header():
    from pipeline.readers.text import read_text

    doc = read_text("t.txt", "Key objectives\n\nBuilding Control\t• Reviewed by the committee\nLicensing\t• Manage the partnership\n".encode())
    table = next(b.table for b in doc.blocks if b.table is not None)
    assert table.header_rows == 0


def test_a_table_running_over_three_pages_becomes_one_with_one_header():
    from pipeline.readers.pdf import Writer, add_table
    from pipeline.readers.pdf_tables import CellBox, PageTable

    def table(*rows, header=0):
        return PageTable((50, 100, 500, 300), [[CellBox((0, 0, 1, 1), t) for t in row] for row in rows], header, [50.0, 300.0])

    writer, open_table = Writer(), None
    open_table = add_table(writer, table(("Service", "Budget"), ("Finance", "425"), header=1), 8, open_table)
    open_table = add_table(writer, table(("Service", "Budget"), ("Audit", "30")), 9, open_table)
    open_table = add_table(writer, table(("Service", "Budget"), ("Total", "455")), 10, open_table)
    assert len(writer.blocks) == 1
    rows = [[c.text for c in row] for row in writer.blocks[0].table.rows]
    assert rows == [["Service", "Budget"], ["Finance", "425"], ["Audit", "30"], ["Total", "455"]]
    assert [row[0].page for row in writer.blocks[0].table.rows] == [8, 8, 9, 10]
    # a table two pages on, or with other columns, is a new table
    add_table(writer, table(("A", "B"), ("1", "2")), 12, open_table)
    assert len(writer.blocks) == 2
