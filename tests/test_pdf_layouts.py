"""One focused test per layout other producers make (renditions in corpus/renditions, built by
tests/renditions/make_renditions.py from the text corpus, so the source says what the PDF must give back)."""
import re
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


@pytest.mark.parametrize("producer", ["libreoffice", "reportlab", "latex"])
def test_wide_table_on_a_landscape_page_keeps_its_figures_whole(producer):
    """A 13-column budget table does not fit a portrait page: it is set on a landscape page of its own in
    smaller type (as Word users do), and every figure comes back whole in its own column."""
    doc = read(f"carmarthenshire_2012-15_budget-digest_{producer}-ruled.pdf" if producer != "latex"
               else "carmarthenshire_2012-15_budget-digest_latex-headrule.pdf")
    row = next(r for r in rows_of(table_with(doc, "Resources")) if r[0] == "Resources")
    assert row == ("Resources", "85,269", "-70,033", "15,236", "86,664", "-71,741", "14,924",
                   "88,090", "-71,770", "16,320", "90,602", "-72,728", "17,874"), row


@pytest.mark.parametrize("producer", ["libreoffice", "reportlab", "latex"])
def test_two_booktabs_tables_one_under_the_other(producer):
    """Two header-rule tables as wide as each other, one under the other: the first's foot rule and the
    second's top rule have no text between them, so they are two tables, and the second, whose figure columns
    are only reportlab's 9 pt apart, keeps its seven columns."""
    doc = read(f"angus_2018-19_council-tax-spend_{producer}-headrule.pdf")
    assert ("Gross expenditure", "339.568") in rows_of(table_with(doc, "Gross expenditure"))
    rows = rows_of(table_with(doc, "People (2)"))
    assert ("People (2)", "134.575", "11.129", "145.704", "3.598", "2.7%", "3161.84") in rows, rows


@pytest.mark.parametrize("producer", ["reportlab", "latex"])
def test_two_columns_an_em_apart(producer):
    """reportlab and LaTeX leave about an em between prose columns (LibreOffice a centimetre): the columns
    are still read one after the other, and a numbered item is read whole, not as two table cells."""
    doc = read(f"kent_2008-09_communities-directorate_{producer}-rulefree.pdf")
    items = {b.text.split(" ", 1)[0].rstrip("."): re.sub(r"^\d+\.? ", "", clean(b.text))  # LaTeX prints "60."
             for b in doc.blocks if b.kind == "list_item"}
    assert items.get("60") == "Support young people to reduce the risk of them offending", items.get("60")
    assert items.get("63") == "Promote the Kent Volunteers Programme and work with other partners to attract more volunteers"


def test_list_item_going_on_in_the_next_column():
    """An item the left column's foot cuts goes on at the head of the right column, at the item's text indent."""
    texts = [clean(b.text) for b in read("kent_2008-09_communities-directorate_libreoffice-ruled.pdf").blocks]
    assert any(t.endswith("through systematic use of intelligence and feedback; and further develop and demonstrate "
                          "cross-unit working") for t in texts)


def test_heading_under_the_columns_is_not_the_left_columns_last_line():
    """A heading below a two-column stretch that ends short of the gutter comes after the right column."""
    texts = [clean(b.text) for b in read("kent_2008-09_communities-directorate_libreoffice-ruled.pdf").blocks]
    heading = texts.index("PERFORMANCE IN 2007/08")
    assert "cross-unit working" in texts[heading - 1], texts[heading - 2:heading + 1]


def test_labels_beside_long_descriptions_are_a_table():
    """A rule-free table of short labels beside paragraphs of objectives is a table, not two-column prose."""
    doc = read("sevenoaks_2012-13_service-plans-summary_libreoffice-rulefree.pdf")
    row = next(r for r in rows_of(table_with(doc, "Democratic Services")) if r[0] == "Democratic Services")
    assert row[1].startswith("Ensuring that the Council's decision making processes are lawful"), row


@pytest.mark.parametrize("producer", ["libreoffice", "reportlab"])
def test_rows_spaced_further_apart_than_wrapped_lines(producer):
    """One-line rows under a head of service, in a table without rules: LibreOffice and reportlab set rows
    further apart than a cell's wrapped lines, so each service is its own row, not a wrapped cell."""
    rows = rows_of(table_with(read(f"sevenoaks_2012-13_service-plans-summary_{producer}-rulefree.pdf"), "Development Services"))
    services = [r[1] for r in rows]
    assert "Development Control" in services and "Planning Policy" in services, services


def test_booktabs_table_continued_without_its_foot_rule():
    """On the pages a booktabs table continues onto there is a top and header rule but no foot rule: its two
    columns of text are a table (stitched to the first page's), not two-column prose."""
    table = table_with(read("kent_2008-09_communities-directorate_libreoffice-headrule.pdf"), "Objective")
    objectives = [r[0] for r in rows_of(table)]
    assert any(o.startswith("Articulate and implement the special contribution") for o in objectives), objectives
    assert any(o.startswith("Build on the considerable experience") for o in objectives), objectives


def test_heading_wrapped_before_a_year():
    """A bold heading whose second line is only figures ('2009/10') is one heading."""
    texts = [clean(b.text) for b in read("lancaster_2005-10_capital-programme_reportlab-ruled.pdf").blocks]
    assert "GENERAL FUND CAPITAL PROGRAMME 2005/06 TO 2009/10" in texts, texts[:3]


def test_bottom_aligned_header_over_a_blank_number_column():
    """LaTeX bottom-aligns a header; the row-number column has no header: the header is one row."""
    table = table_with(read("hart_2024-25_community-services_latex-rulefree.pdf"), "1")
    assert table.header_rows == 1 and rows_of(table)[0][1:3] == ("Service Priority", "Link to Corporate Plan"), rows_of(table)[:2]
