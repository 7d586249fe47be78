"""Tables laid out with spaces (pdftotext -layout, fixed-width reports): columns from the character grid."""
from pipeline.readers import aligned
from pipeline.readers.aligned import gutters
from pipeline.readers.text import read_text, split_lines
from snippets import extract, of


def tables_of(text: str):
    doc = read_text("t.txt", text.encode())
    return doc, [b.table for b in doc.tables()]


def values(row):
    return [c.text for c in row]


BUDGET = ("Part 2b: Resources - 2012/13 Budget (£000)\n"
          "\n"
          "                       Budget 10/11   Budget 11/12   Budget 12/13\n"
          "Building Control       33             -69            -58\n"
          "Direct Services        4,311          3,671          3,662\n"
          "Environmental Health   879            706            669\n")


def test_header_cells_with_spaces_inside_stay_whole():
    doc, [t] = tables_of(BUDGET)
    assert t.header == ["", "Budget 10/11", "Budget 11/12", "Budget 12/13"]
    assert values(t.body[1]) == ["Direct Services", "4,311", "3,671", "3,662"]
    cell = t.body[1][1]
    assert doc.text[cell.start:cell.end] == "4,311"


def test_budgets_from_a_space_aligned_table_get_their_year_and_unit():
    budgets = {(b.scope, b.financial_year): b.amount_gbp for b in of(extract(BUDGET), "budget")}
    assert budgets[("Direct Services", "2011-12")] == 3_671_000
    assert budgets[("Building Control", "2011-12")] == -69_000
    assert len(budgets) == 9


def test_blank_cells_keep_their_column():
    text = ("                       2008 - 10   2011/12   2012/13   2013/14\n"
            "Building Control       67          64\n"
            "Direct Services        456         668       16                  \n"
            "Licensing                                    15        15\n"
            "TOTAL                  523         732       31        15\n")
    _, [t] = tables_of(text)
    assert values(t.body[0]) == ["Building Control", "67", "64", "", ""]
    assert values(t.body[2]) == ["Licensing", "", "", "15", "15"]


def test_a_text_matrix_keeps_its_columns():
    text = ("Head of Service          Service                  Environment   Social Affairs\n"
            "Community Development    Community Planning                     ✓\n"
            "                         Health & Leisure                       ✓\n"
            "Development Services     Development Control      ✓\n")
    _, [t] = tables_of(text)
    assert values(t.rows[2]) == ["", "Health & Leisure", "", "✓"]
    assert values(t.rows[3]) == ["Development Services", "Development Control", "✓", ""]


def lines_of(text: str):
    return split_lines(text)


def test_prose_with_two_spaces_after_full_stops_keeps_no_columns():
    text = ("The plan was agreed in May.  It sets out what the service will do.  Each action has a lead\n"
            "officer and a date.  Progress is reported to the panel every quarter.  The panel may ask\n"
            "for more detail.  Where an action slips the reasons are given.  This is the third plan.\n")
    assert aligned.read(lines_of(text), 0) is None


def test_a_band_one_ragged_line_opens_is_not_a_column():
    text = ("Alpha beta gamma delta  one\n"
            "Epsilon zeta eta theta  two\n"
            "Iota kappa lambda mu    three          x\n")
    assert gutters([line.text for line in lines_of(text)][:3], 2) == [(22, 24), (29, 39)]
    assert aligned.read(lines_of(text), 0) is None  # the second band has text right of it on one line only
    assert aligned.read(lines_of(text.replace("          x", "")), 0).rows[1] == [(28, 50), (52, 55)]


def test_numbers_padded_out_to_their_items_are_a_list():
    text = ("1.     That the total amount to be raised through the district rate for 2014/15 of £129,716,358\n"
            "2.     That the cash limit for the Town Planning Committee of £3,750 for 2014/15.\n"
            "3.     That the general reserves will not be enhanced through the district rate in 2014/15\n")
    assert aligned.read(lines_of(text), 0) is None
    bullets = text.replace("1.", "·").replace("2.", "·").replace("3.", "·")
    assert aligned.read(lines_of(bullets), 0) is None
    refs = text.replace("1.  ", "1.1 ").replace("2.  ", "1.2 ").replace("3.  ", "1.3 ")
    assert aligned.read(lines_of(refs), 0) is None


LAYOUT_BUDGET = ("The amounts represent the net revenue cost to the Council of delivering these services, including\n"
                 "staffing, supplies and services, etc.\n"
                 "\n"
                 "Cost Centre / Service                               2018/19       2019/20\n"
                 "                                                      £'000         £'000\n"
                 "\n"
                 "Customer Services                                         315          323\n"
                 "\n"
                 "Revenues and Benefits                                     371          429\n"
                 "\n"
                 "ICT                                                      1,001       1,060\n")


def test_rows_a_pdf_spaced_apart_stay_one_table():
    # pdftotext -layout leaves a blank line between rows; the sentence above must not take the table's lines
    doc, [t] = tables_of(LAYOUT_BUDGET)
    assert [c.text for c in t.rows[0]] == ["Cost Centre / Service", "2018/19", "2019/20"]
    assert values(t.rows[-1]) == ["ICT", "1,001", "1,060"]
    budgets = {(b.scope, b.financial_year): b.amount_gbp for b in of(extract(LAYOUT_BUDGET), "budget")}
    assert budgets[("ICT", "2019-20")] == 1_060_000 and budgets[("Customer Services", "2018-19")] == 315_000


def test_a_blank_line_between_two_tables_with_other_columns_ends_the_first():
    text = ("Service          2023/24   2024/25\n"
            "Waste            2,810     2,950\n"
            "Parks            640       655\n"
            "\n"
            "Measure                              Target    Actual\n"
            "Household waste recycled (%)         50        47.2\n")
    _, tables = tables_of(text)
    assert [len(t.rows) for t in tables] == [3, 2]


WRAPPED = (" Objective                                                Progress\n"
           "\n"
           " 1. Publish and consult on the Communities                Done. Vision published (in July) for\n"
           " Directorate Vision and integrate the commitments         consultation.\n"
           " within it into mainstream business\n"
           "\n"
           " 2. Ensure continuous improvement in all direct           Identified in the POC report in Sept\n"
           " services                                                 2007. Good progress made.\n"
           "\n"
           " 3. Articulate the special contribution that              Good progress is being made on\n"
           " Communities services are making                          commitments in the Plan\n")


def test_rows_whose_cells_wrap_over_lines_become_one_row_each():
    rewritten = aligned.rewrite_wrapped(WRAPPED)
    rows = [line.split("\t") for line in rewritten.split("\n")]
    assert rows[0] == ["Objective", "Progress"]
    assert rows[1] == ["1. Publish and consult on the Communities Directorate Vision and integrate the commitments "
                       "within it into mainstream business", "Done. Vision published (in July) for consultation."]
    assert rows[3][1] == "Good progress is being made on commitments in the Plan"


def test_two_columns_of_prose_are_not_a_table_of_wrapped_cells():
    prose = ("The Council's Corporate Plan 2016-2021 forms        ensure a widespread understanding of core\n"
             "an important part of planning for the future and    values, key aims and performance measures\n"
             "leads the Council's performance management.         and encourage participation.\n"
             "\n"
             "As part of this, Service Plans are created for      All of these contribute to the main themes\n"
             "three directorates.                                 running through the Corporate Plan.\n"
             "\n"
             "Covering the 2019-2020 financial year, the          The importance of service planning is\n"
             "Service Plans align current delivery.               set out below.\n")
    assert aligned.rewrite_wrapped(prose) == prose


def test_a_long_laid_out_region_that_is_no_wrapped_table_is_walked_once(monkeypatch):
    """Every line of a 400-line laid-out stretch started a region to its end (quadratic: 49 s for 2,000 rows);
    past a region's first few lines no later start is tried."""
    from pipeline.readers import aligned

    visited = []
    real = aligned._wrapped_region
    monkeypatch.setattr(aligned, "_wrapped_region", lambda lines, i: visited.append(len(n := real(lines, i))) or n)
    rows = [f"Item ({k}) (a)      ({37 * k})      ({k})      (see note {k})" for k in range(400)]
    text = "Service area      Budget (£000)      Variance (£000)      Comments\n" + "\n".join(rows) + "\n"
    assert aligned.rewrite_wrapped(text) == text  # single-line rows: not a wrapped table, left as it is
    assert sum(visited) < 10 * len(rows)


def test_ink_marks_every_character_that_is_not_whitespace():
    """A line's ink as a bit mask: one bit per non-space character, whatever the whitespace (tabs, no-break spaces)."""
    import re

    from pipeline.readers.aligned import _ink

    for text in ["", "   ", "ab  c", " a\tb\xa0\xa0c  ", "£1,200   (300)\u2003x", "x" * 70]:
        expected = sum(1 << m.start() for m in re.finditer(r"\S", text))
        assert _ink(text) == expected, repr(text)
