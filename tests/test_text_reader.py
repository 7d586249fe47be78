"""The text reader recovers every table form the corpus shows, with spans into the text."""
from pipeline.readers.text import read_text


def tables(text: str):
    doc = read_text("t.txt", text.encode())
    return doc, [b.table for b in doc.tables()]


def test_tab_separated_rows_with_header_and_unit_in_caption():
    doc, [t] = tables("Part 2b: Budget (£,000)\n\n\tBudget 10/11\tBudget 11/12\nDirect Services\t4,311\t-69\n")
    assert t.header == ["", "Budget 10/11", "Budget 11/12"]
    assert t.unit == "(£,000)"
    assert [c.clean for c in t.body[0]] == ["Direct Services", "4,311", "-69"]
    cell = t.body[0][1]
    assert doc.text[cell.start:cell.end] == "4,311"


def test_tab_rows_split_by_a_blank_line_stay_one_table():
    _, [t] = tables("Aim\tMeasure\tTarget\nA\tB\t1\n\nC\tD\t2\n")
    assert len(t.body) == 2


def test_one_cell_per_line_with_multiline_cells():
    text = "Intro\n\t\n\tKPI\n\tTarget\n\n\t1\n\tInfo line\n· sub bullet\n\t\nINFO ONLY\n\n\t2\n\tZero\n\tzero\n"
    _, [t] = tables(text)
    assert t.header == ["", "KPI", "Target"]
    assert [c.clean for c in t.body[0]] == ["1", "Info line sub bullet", "INFO ONLY"]
    assert len(t.body) == 2


def test_markdown_pipes_with_a_row_wrapped_over_two_lines():
    text = "- | | |\n|---|--|\n| IT | Do things |\n| Facilities Management\nShared Service | More things |\n"
    _, [t] = tables(text)
    assert [r[0].clean for r in t.body] == ["IT", "Facilities Management Shared Service"]


def test_space_aligned_columns():
    _, [t] = tables("Service        2023/24     2024/25\nLibraries      1,200       1,250\nParks          800         820\n")
    assert [c.clean for c in t.rows[1]] == ["Libraries", "1,200", "1,250"]


def test_unit_anchored_rows():
    _, [t] = tables("Service area Budget (£000) Comments\nCommercial property (8,045) Increased voids, reduced income.\n")
    assert t.header == ["Service area", "Budget (£000)", "Comments"]
    assert [c.clean for c in t.body[0]] == ["Commercial property", "(8,045)", "Increased voids, reduced income."]


def test_html_list_cells_split_into_items():
    _, [t] = tables('Head\tUnits\nHead of Finance\t<ul style="x"> • Accountancy • Payroll •\n')
    assert [p.clean for p in t.body[0][1].items()] == ["Accountancy", "Payroll"]


def test_numbered_run_in_a_cell_drops_trailing_notes():
    _, [t] = tables("Objective\tActions\nTo act, through sub-objectives as follows: 1. To plan. 2. To do.\t<ol> 1. Act. 2. Check. <p>Notes: x</p>\n")
    assert [p.clean for p in t.body[0][1].items()] == ["Act.", "Check."]
    assert [p.marker for p in t.body[0][0].items()] == [None, "1", "2"]


def test_headings_lists_and_broken_sentences():
    doc = read_text("t.txt", "Key aims\n\nThe Directorate will:\n\n- do one thing and contribute to\n\nother things\n\nA sentence that runs\n\non here.\n".encode())
    kinds = [(b.kind, b.clean) for b in doc.blocks]
    assert kinds[0] == ("heading", "Key aims")
    assert kinds[2] == ("list_item", "do one thing and contribute to other things")
    assert kinds[3] == ("paragraph", "A sentence that runs on here.")


def test_numbered_paragraphs_become_a_list():
    doc = read_text("t.txt", b"Targets are:-\n\n22 Establish games\n\n23 Facilitate theatre\n")
    assert [(b.kind, b.marker) for b in doc.blocks[1:]] == [("list_item", "22"), ("list_item", "23")]


def test_a_pipe_table_without_a_separator_line_has_its_header_inferred():
    doc = read_text("t.txt", "| Objective | Progress |\n| 1. Publish the vision | Done |\n| 2. Review fees | On track |\n".encode())
    [table] = [b.table for b in doc.tables()]
    assert table.header == ["Objective", "Progress"]
    assert [c.text for c in table.body[0]] == ["1. Publish the vision", "Done"]


def test_a_tab_table_ends_at_a_heading_or_prose_with_no_blank_line_between():
    text = ("Team\tStaff\nCustomer Services\t39\nFinance\t11\nWorkforce Development\n"
            "In terms of workforce development, an annual training plan is produced for every team member.\n"
            "Budgets\nCost Centre\t2019/20 £'000\nICT\t1,060\n")
    doc = read_text("t.txt", text.encode())
    tables = [b.table for b in doc.tables()]
    assert len(tables) == 2
    assert [c.text for c in tables[0].rows[-1]] == ["Finance", "11"]
    assert [c.text for c in tables[1].rows[-1]] == ["ICT", "1,060"]


def test_a_wrapped_cell_between_two_tab_rows_stays_in_its_row():
    text = "Objective\tProgress\n1. Publish the vision\tDone; feedback being\ncollated for version 2\n2. Review fees\tOn track\n"
    [table] = [b.table for b in read_text("t.txt", text.encode()).tables()]
    assert [c.text for c in table.rows[1]] == ["1. Publish the vision", "Done; feedback being\ncollated for version 2"]


def test_a_margin_every_line_shares_is_not_indentation_and_spans_still_index_the_text():
    text = "  Budget 2024/25\n\n  Item\t£000\n  Waste\t2,810\n"
    doc = read_text("t.txt", text.encode())
    [table] = [b.table for b in doc.tables()]
    cell = table.rows[1][1]
    assert cell.text == "2,810" and doc.text[cell.start:cell.end] == "2,810"


def test_trailing_spaces_on_every_line_are_padding_not_blank_cells():
    rows = ("CAPITAL SCHEMES 2004/05 Slippage 2005/06 Bids 2005/06 Total  2006/07 Total Scheme Cost\n"
            "£000 £000 £000 £000 £000\n"
            "1 Flood Alleviation Schemes 22 20 42 20 122\n"
            "4 Hornby Institute Renewal 40   40   40\n")
    plain = [b.table for b in read_text("t.txt", rows.encode()).tables()][0]
    padded = "\n".join(line + "  " for line in rows.split("\n") if line) + "\n"
    table = [b.table for b in read_text("t.txt", padded.encode()).tables()][0]
    assert [[c.text for c in r] for r in table.rows] == [[c.text for c in r] for r in plain.rows]
    assert [c.text for c in table.rows[-1]] == ["4 Hornby Institute Renewal", "40", "", "40", "", "40"]


def test_double_spacing_is_spacing_and_two_blank_lines_a_break():
    from pipeline.readers.text import split_lines
    single = "Team\tStaff\nCustomer Services\t39\nFinance\t11\n\nWorkforce\n" * 3
    doubled = "\n\n".join(single.split("\n"))
    assert [line.text for line in split_lines(doubled)] == [line.text for line in split_lines(single)]
    lines = split_lines(doubled)
    assert all(doubled[line.start:line.end] == line.text for line in lines)  # offsets still index the text
    prose = "One paragraph.\nIts second line.\n\nAnother paragraph.\n" * 4
    assert [line.text for line in split_lines(prose)] == prose.split("\n")  # single-spaced text is left alone
