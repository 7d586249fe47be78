"""One focused test per layout other producers make (renditions in corpus/renditions, built by
tests/renditions/make_renditions.py from the text corpus, so the source says what the PDF must give back)."""
import sys
from pathlib import Path

import pytest

from pipeline.normalise.text import clean
from pipeline.readers.pdf import read_pdf

from conftest import CORPUS, ROOT

sys.path.insert(0, str(ROOT / "tests" / "renditions"))
sys.path.insert(0, str(ROOT / "bench"))

from outline import outline, prose_runs  # noqa: E402

RENDITIONS = CORPUS / "renditions"
PLAN = "south-derbyshire_2019-20_corporate-resources"


def read(name: str):
    path = RENDITIONS / name if (RENDITIONS / name).exists() else ROOT / "tests" / "fixtures" / "pdf" / name
    return read_pdf(path.name, path.read_bytes(), use_ocr=False)


def table_with(doc, label: str):
    for block in doc.tables():
        if any(row and clean(row[0].text) == label for row in block.table.rows):
            return block.table
    raise AssertionError(f"no table has a row labelled {label!r}")


def rows_of(table) -> list[tuple[str, ...]]:
    return [tuple(clean(c.text) for c in row) for row in table.rows]


BUDGET_ROWS = [("Customer Services", "315", "323"), ("ICT", "1,001", "1,060"), ("Policy and Communications", "175", "150")]


@pytest.mark.parametrize("producer", ["libreoffice", "reportlab", "latex"])
def test_rule_free_table_columns_from_whitespace(producer):
    """No rules at all: the budget table's three columns (right-aligned figures) and its header come from
    whitespace and from what the cells parse as (words over figures)."""
    table = table_with(read(f"{PLAN}_{producer}-rulefree.pdf"), "ICT")
    rows = rows_of(table)
    for row in BUDGET_ROWS:
        assert row in rows, rows
    assert table.header_rows == 1 and "2019/20" in table.header[-1], rows[:2]


@pytest.mark.parametrize("producer", ["libreoffice", "reportlab", "latex"])
def test_header_rule_only_table_one_row_per_line(producer):
    """Rules above and below the header and at the foot only (booktabs): the body between two rules is
    many rows, cut by its lines, and the header is what lies above the rule under it."""
    table = table_with(read(f"{PLAN}_{producer}-headrule.pdf"), "ICT")
    rows = rows_of(table)
    for row in BUDGET_ROWS:
        assert row in rows, rows
    assert table.header_rows == 1 and "2018/19" in table.header[1], rows[:2]


def test_wrapped_label_stays_one_row():
    """A first-column label wrapped over two lines in a rule-free table is one cell of one row."""
    table = table_with(read(f"{PLAN}_latex-rulefree.pdf"), "Maintain financial health")
    labels = [r[0] for r in rows_of(table)]
    assert "health" not in labels and "Maintain financial" not in labels, labels


def test_one_two_one_columns_on_a_page():
    """A full-width paragraph, then two columns, then full width again: every paragraph of the
    two-column stretch is read whole and in order (left column, then right)."""
    items = outline(CORPUS / "text" / f"{PLAN}.txt")
    lo, hi = prose_runs(items)[0]
    wanted = [clean(i.text) for i in items[lo:hi]]
    doc = read(f"{PLAN}_libreoffice-rulefree.pdf")
    texts = [clean(b.text) for b in doc.blocks if b.kind != "table"]
    found = [texts.index(w) for w in wanted if w in texts]
    assert len(found) == len(wanted) and found == sorted(found), (len(found), len(wanted))
    before = clean(items[lo - 1].text)
    assert before in texts and texts.index(before) < found[0]  # the full-width paragraph above comes first


def test_latex_ligatures_kerning_and_curly_quotes():
    """pdflatex sets ligatures (fi, ffi), kerns inside words and turns ' into ’: the words come back whole."""
    from pipeline.readers.pdf import open_pdf, page_words

    source = (CORPUS / "text" / f"{PLAN}.txt").read_text(encoding="utf-8")
    vocabulary = {w.strip(".,;:()'\"’").lower() for w in source.replace("’", "'").split()}
    with open_pdf((RENDITIONS / f"{PLAN}_latex-rulefree.pdf").read_bytes()) as pdf:
        words = [w.text for page in pdf.pages for w in page_words(page)]
    tokens = [w.replace("’", "'").strip(".,;:()'\"").lower() for w in words]
    tokens = [t for t in tokens if t.replace("'", "").isalpha()]
    unknown = [t for t in tokens if t not in vocabulary]
    assert len(unknown) <= 0.01 * len(tokens), unknown[:20]  # no word cut at a kern, none run into the next
    assert not any("\ufb00" <= ch <= "\ufb06" for w in words for ch in w)  # ligature glyphs are letters again
    ligatured = {t for t in vocabulary if any(l in t for l in ("fi", "fl", "ff")) and t.isalpha()}
    assert ligatured and not ligatured - set(tokens)  # "financial", "office", "efficient" whole
    assert "council's" in tokens and "’" in "".join(words)  # the curly apostrophe stays inside its word
    with open_pdf((RENDITIONS / f"{PLAN}_latex-rulefree.pdf").read_bytes()) as pdf:  # pdfplumber's fixed 3 pt
        default = [w["text"].lower() for page in pdf.pages for w in page.extract_words()]
    assert any(w.isalpha() and len(w) > 12 and w not in vocabulary for w in default)  # ... runs "thisincludes" together


def test_table_row_broken_across_pages_is_one_row():
    """Word and LibreOffice let a row break at the page foot: the part on the next page (under the repeated
    header) is put back into its row, not read as a row with no label."""
    table = table_with(read("row_across_pages.pdf"), "Customer Services")
    rows = rows_of(table)
    assert [r[0] for r in rows].count("") == 0, rows
    assert rows.count(rows[0]) == 1  # the repeated header row is dropped
    customer = next(r for r in rows if r[0] == "Customer Services")
    assert "Action 1:" in customer[1] and "Action 18:" in customer[1] and customer[2] == "1,234"


def test_whitespace_geometry_beats_pdfplumber_text_strategy():
    """Why rule-free columns are ours: over the same renditions, the rows of the source's tables that each
    method gives back whole.  pdfplumber's text strategy on the page turns prose into columns; on the table's
    own region it still cuts cells at wrapped labels and right-aligned figures; given our column edges, its
    one-row-per-line rows split wrapped cells.  (bench/unruled_strategies.py prints all renditions.)"""
    from unruled_strategies import measure

    result = measure([RENDITIONS / f"{PLAN}_latex-rulefree.pdf", RENDITIONS / f"{PLAN}_reportlab-headrule.pdf"])
    share = {name: hits / total for name, (hits, total) in result.items()}
    assert share["geometry"] >= 0.6
    for other in ("text", "text-cropped", "text+edges"):
        assert share["geometry"] >= share[other] + 0.2, share
