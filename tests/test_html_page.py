"""HTML pages (councils' web pages and committee systems) read as the text forms the reader knows."""
from pipeline.readers.html_page import as_text, is_page, page_text
from pipeline.readers.text import read_text
from snippets import extract, of

PAGE = """<!DOCTYPE html>
<html><head><title>Service plan</title><style>td { padding: 2px }</style>
<script>var rows = "<table><tr><td>9</td></tr></table>";</script></head>
<body>
<h1>Environmental Services Service Plan 2024/25</h1>
<p>The service is led by the
   Head of Environmental Services.</p>
<h2>Budget 2024/25 (&pound;000)</h2>
<table>
  <thead><tr><th>Service</th><th>Gross expenditure</th><th>Income</th><th>Net</th></tr></thead>
  <tbody>
  <tr><td>Waste Collection</td><td>4,120</td><td>(1,310)</td><td>2,810</td></tr>
  <tr><td>Street Cleansing</td><td>1,205</td><td>(95)</td><td>1,110</td></tr>
  </tbody>
</table>
<h2>Priorities</h2>
<ul><li>We will increase recycling to 50% by March 2025.</li><li>We will review the garden waste service.</li></ul>
</body></html>
"""


def test_a_page_is_written_as_lines_and_tab_rows():
    text = page_text(PAGE)
    lines = text.split("\n")
    assert "Environmental Services Service Plan 2024/25" in lines
    assert "The service is led by the Head of Environmental Services." in lines  # wrapped source lines joined
    assert "Service\tGross expenditure\tIncome\tNet" in lines
    assert "Waste Collection\t4,120\t(1,310)\t2,810" in lines
    assert "• We will increase recycling to 50% by March 2025." in lines
    assert "var rows" not in text and "9" not in text.split("Priorities")[0].split("Street")[0]  # script dropped


def test_budgets_from_an_html_table():
    budgets = {(b.scope, b.measure): b.amount_gbp for b in of(extract(as_text(PAGE)), "budget")}
    assert budgets[("Waste Collection", "net_budget")] == 2_810_000
    assert budgets[("Street Cleansing", "net_budget")] == 1_110_000


def test_a_list_inside_a_cell_stays_in_its_cell():
    html = ("<html><body><table><tr><th>Objective</th><th>Actions</th></tr>"
            "<tr><td>Cleaner streets</td><td><ul><li>Fly-tipping patrols</li><li>New bins</li></ul></td></tr>"
            "</table></body></html>")
    assert "Cleaner streets\tFly-tipping patrols • New bins" in page_text(html).split("\n")


def test_a_table_inside_a_cell_is_part_of_that_cell():
    html = ("<html><body><table><tr><td>Outer</td><td><table><tr><td>a</td><td>b</td></tr></table></td></tr>"
            "<tr><td>Next</td><td>c</td></tr></table></body></html>")
    lines = page_text(html).split("\n")
    assert lines[0].split("\t") == ["Outer", "a b"]
    assert lines[1].split("\t") == ["Next", "c"]


def test_plain_text_named_html_stays_plain_text():
    text = "Budget 2024/25\nWaste Collection £2.8m\n"
    assert not is_page(text, "plan.html")
    assert as_text(text, "plan.html") == text


def test_fragments_inside_tab_rows_are_left_to_the_text_reader():
    text = "Objective\tProgress\n<p>1. Publish the vision</p>\t<p>Done</p>\n<table>\n"
    assert as_text(text, "plan.txt") == text


def test_tables_pasted_into_plain_text_become_tab_rows_and_the_rest_stays():
    text = ("Part 2b: Resources\n\nBudget (£000)\n<table>\n<tr><td></td><td>2023/24</td><td>2024/25</td></tr>\n"
            "<tr><td>Licensing</td><td>35</td><td>15</td></tr>\n</table>\nNotes follow.\n")
    out = as_text(text, "plan.txt")
    assert out.startswith("Part 2b: Resources\n\nBudget (£000)\n")
    assert "Licensing\t35\t15" in out.split("\n") and out.rstrip().endswith("Notes follow.")


def test_provenance_indexes_the_written_text():
    doc = read_text("page.html", PAGE.encode())
    [record] = [b for b in of(extract(doc), "budget") if b.scope == "Street Cleansing" and b.measure == "net_budget"]
    start, end = record.provenance.char_start, record.provenance.char_end
    assert doc.text[start:end] == record.provenance.text
    assert "1,110" in record.provenance.text and "<td>" not in record.provenance.text
