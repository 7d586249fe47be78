"""Rows of a label and figures separated by spaces (budget tables as text extraction prints them)."""
from pipeline.readers.rows import header_labels, split_glued
from pipeline.readers.text import read_text


def table_of(text: str):
    doc = read_text("t.txt", text.encode())
    [table] = [b.table for b in doc.tables()]
    return doc, table


def values(row):
    return [c.text for c in row]


def test_header_over_two_lines_and_blank_cells_as_runs_of_spaces():
    # one space between cells; a blank cell is printed as one space, so k blanks leave 2k+1 spaces
    text = ("CAPITAL SCHEMES 2004/05 Slippage 2005/06 Bids 2005/06 Total  2006/07 Total Scheme Cost\n"
            "£000 £000 £000 £000 £000\n"
            "COSTS\n"
            "1 Flood Alleviation Schemes 22 20 42 20 122\n"
            "4 Hornby Institute Renewal 40   40   40\n"
            "12 Ryelands Park Paths ph 3   115 115   115\n"
            "Parks and Open Spaces 62 135 197 20  \n")
    doc, t = table_of(text)
    assert t.header == ["CAPITAL SCHEMES", "2004/05 Slippage £000", "2005/06 Bids £000", "2005/06 Total £000",
                        "2006/07 £000", "Total Scheme Cost £000"]
    assert values(t.body[0]) == ["COSTS", "", "", "", "", ""]
    assert values(t.body[1]) == ["1 Flood Alleviation Schemes", "22", "20", "42", "20", "122"]
    assert values(t.body[2]) == ["4 Hornby Institute Renewal", "40", "", "40", "", "40"]
    assert values(t.body[3]) == ["12 Ryelands Park Paths ph 3", "", "115", "115", "", "115"]  # "3" stays in the label
    assert values(t.body[4]) == ["Parks and Open Spaces", "62", "135", "197", "20", ""]  # a trailing blank
    cell = t.body[3][2]
    assert doc.text[cell.start:cell.end] == "115"


def test_figures_run_together_are_split_by_row_arithmetic():
    text = ("Base Technical Policy Total\nBudget AdjustmentsChangesBudget\n2007/082008/09\n££££\n"
            "Employees\n00101Salaries142,1504,300(470) 145,980\n33040Telephones760200780\n34010Subsistence700070\n")
    _, t = table_of(text)
    assert t.header == ["", "Base Budget 2007/08 £", "Technical Adjustments £", "Policy Changes £", "Total Budget 2008/09 £"]
    assert [values(r) for r in t.body[1:]] == [
        ["00101Salaries", "142,150", "4,300", "(470)", "145,980"],
        ["33040Telephones", "760", "20", "0", "780"],
        ["34010Subsistence", "70", "0", "0", "70"],
    ]


def test_header_labels_take_the_words_after_each_year():
    line = "GENERAL FUND 2004/05 Slippage 2005/06 Bids 2006/07 Total Scheme Cost"
    words, spans = header_labels(line, 4)
    assert words == "GENERAL FUND"
    assert [line[s:e] for s, e in spans] == ["2004/05 Slippage", "2005/06 Bids", "2006/07", "Total Scheme Cost"]


def test_split_glued_refuses_ambiguous_or_impossible_runs():
    assert split_glued("11", 4) is None
    assert split_glued("5,5102,78008,290", 4) == ["5,510", "2,780", "0", "8,290"]


def test_prose_ending_in_a_number_is_not_a_table():
    doc = read_text("t.txt", b"We will open 3 new libraries by 2025\nThe service employs 45\n")
    assert not list(doc.tables())


def test_slash_delimited_cells_two_line_header_and_right_aligned_short_rows():
    text = ("Ref\n/Sub Pledge/PI\n/ BVPI No. / 2001/02 / 2002/03 / Targets / Benchmark / Are we on target?Actual / Actual / "
            "2004/05 Target / 2005/06 Target / Top Quartile\n1\n/2\n/ 3 / 4 / 5 / 6 / 7 / 8/\n"
            "Building communities\n/The number of benefit claimants visited per 1, 000 caseload. \n/ 76a / 166.68 / 330 / 400201.3A / 470\n"
            "201.3A / N/A\n/\nThe average time for processing new benefit claims. \n/ 78a / 65 days / 52 days / 45 days\n28 days A / 41.5 days / 36 days\n/\n")
    doc = read_text("t.txt", text.encode())
    [t] = [b.table for b in doc.tables()]
    assert t.header == ["", "", "Actual", "Actual", "2004/05 Target", "2005/06 Target", "Top Quartile"]
    assert [c.text for c in t.body[0]][:2] == ["Building communities", ""]
    assert [c.text for c in t.body[1]] == ["The number of benefit claimants visited per 1, 000 caseload.", "76a",
                                           "166.68", "330", "400201.3A", "470\n201.3A", "N/A"]
    assert [c.text for c in t.body[2]][1:] == ["78a", "65 days", "52 days", "45 days\n28 days A", "41.5 days", "36 days"]


def test_a_contents_page_with_page_numbers_is_not_a_table():
    doc = read_text("t.txt", b"Service Plan 2019/2020\n\nKey aims\n\nScene setting 4\n\nOverview 6\n\nService performance 10\n")
    assert not list(doc.tables())
    assert doc.blocks[0].clean == "Service Plan 2019/2020"


def test_header_cells_one_per_line_above_the_rows_cut_at_their_units():
    text = ("Net expenditure £m\n\nCapital charges £m\n\n(1)\n\nChange from previous year £m % change from previous year\n\n"
            "Band D equivalent\n\n£\n\nService\n"
            "People (2) 134.575 11.129 3.598 2.7% 3161.84\nPlace 52.024 14.480 3.436 7.1% 1443.17\n")
    doc, t = table_of(text)
    assert t.header == ["Service", "Net expenditure £m", "Capital charges £m", "Change from previous year £m",
                        "% change from previous year", "Band D equivalent £"]
    assert values(t.body[0]) == ["People (2)", "134.575", "11.129", "3.598", "2.7%", "3161.84"]
    assert [b.kind for b in doc.blocks] == ["table"]  # the header lines are not left behind as headings


def test_a_label_and_amount_list_with_the_unit_glued_to_its_first_row():
    text = ("Requests - Revenue Items / £mVictim Support Officer / 0.054\nChoices Project / 0.144\nYouth Rent / 0.046\n0.244\n")
    _, t = table_of(text)
    assert t.header == ["Requests - Revenue Items", "£m"]
    assert [values(r) for r in t.body] == [["Victim Support Officer", "0.054"], ["Choices Project", "0.144"],
                                           ["Youth Rent", "0.046"], ["", "0.244"]]


def test_dot_leaders_between_a_label_and_its_figures():
    from snippets import extract, of
    text = ("Revenue Budget (£000)\n\n"
            "                                   2023/24     2024/25\n"
            "Waste Collection ................   2,810       2,950\n"
            "Street Cleansing ................   1,110       1,205\n"
            "Parks and Open Spaces ...........     640         655\n")
    budgets = {(b.scope, b.financial_year): b.amount_gbp for b in of(extract(text), "budget")}
    assert budgets == {("Waste Collection", "2023-24"): 2_810_000, ("Waste Collection", "2024-25"): 2_950_000,
                       ("Street Cleansing", "2023-24"): 1_110_000, ("Street Cleansing", "2024-25"): 1_205_000,
                       ("Parks and Open Spaces", "2023-24"): 640_000, ("Parks and Open Spaces", "2024-25"): 655_000}
