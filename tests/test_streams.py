"""One-cell-per-line tables (HTML/PDF tables saved as text without tabs) come back as ordinary tables."""
from pipeline.readers.text import read_text


def table_of(text: str):
    doc = read_text("t.txt", text.encode())
    tables = [b.table for b in doc.tables()]
    assert len(tables) == 1, [b.kind for b in doc.blocks]
    return doc, tables[0]


def texts(row):
    return [c.text.strip() for c in row]


def test_label_then_figures_with_years_and_units_in_the_header():
    doc, t = table_of("Budget summary\n\nService\n\n2023/24\n\n2024/25\n\n£000\n\n£000\n\nLibraries\n\n1,200\n\n1,250\n\n"
                      "Parks\n\n800\n\n(20)\n\nTotal\n\n2,000\n\n1,230\n")
    assert t.header_rows == 2
    assert t.header == ["Service", "2023/24 £000", "2024/25 £000"]
    assert [texts(r) for r in t.body] == [["Libraries", "1,200", "1,250"], ["Parks", "800", "(20)"], ["Total", "2,000", "1,230"]]
    cell = t.body[1][2]
    assert doc.text[cell.start:cell.end] == "(20)"


def test_figures_printed_before_their_label_and_bands_that_multiply_out():
    # every row prints its first year's triple before the label (a flattened HTML table)
    text = ("2011-12\n\n \n\n2012-13\n\nExpenditure\n\nIncome\n\nNet\n\nExpenditure\n\nIncome\n\nNet\n\n"
            "10\n\n-4\n\n6\n\nAdults\n\n11\n\n-4\n\n7\n\n20\n\n-5\n\n15\n\nChildren\n\n22\n\n-5\n\n17\n\n"
            "1\n\nPensions adj\n\n2\n")
    _, t = table_of(text)
    assert t.header == ["", "2011-12 Expenditure", "2011-12 Income", "2011-12 Net", "2012-13 Expenditure", "2012-13 Income", "2012-13 Net"]
    assert texts(t.body[0]) == ["Adults", "10", "-4", "6", "11", "-4", "7"]
    assert texts(t.body[1]) == ["Children", "20", "-5", "15", "22", "-5", "17"]
    # a row with one figure per year sits under each year's last column
    assert texts(t.body[2]) == ["Pensions adj", "", "", "1", "", "", "2"]


def test_section_rows_trailing_words_column_and_nil_dashes():
    text = ("2024/25\n\n2025/26\n\nLink to Strategy\n\n£'000\n\n£'000\n\nGrowth and pressures:\n\n"
            "Demography\n\n900\n\n850\n\nc) 1.1\n\nInflation\n\n300\n\n-\n\na) 2.1\n")
    _, t = table_of(text)
    assert t.header[-1] == "Link to Strategy"
    assert texts(t.body[0])[0] == "Growth and pressures:" and all(not c for c in texts(t.body[0])[1:])
    assert texts(t.body[1]) == ["Demography", "900", "850", "c) 1.1"]
    assert texts(t.body[2]) == ["Inflation", "300", "-", "a) 2.1"]


def test_title_lines_and_captions_stay_outside_the_table():
    text = ("BUDGET DIGEST\n\n2012-13 to 2013-14\n\n2012-13\n\n2013-14\n\nAdults\n\n5\n\n6\n\nChildren\n\n7\n\n8\n")
    doc, t = table_of(text)
    assert t.header == ["", "2012-13", "2013-14"]
    assert [b.clean for b in doc.blocks if b.kind != "table"] == ["BUDGET DIGEST", "2012-13 to 2013-14"]


def test_label_and_amount_pairs_without_a_header():
    _, t = table_of("Table 1\n\nCost Increases\n\n  Pay award\n\n£9,266,997\n\nEnergy\n\n£448,895\n\nFinanced By:\n\n"
                    "Rates Income\n\n-£13,400,133\n\nBalance\n\nNil\n")
    assert t.header_rows == 0
    assert [texts(r) for r in t.body] == [["Pay award", "£9,266,997"], ["Energy", "£448,895"], ["Financed By:", ""],
                                          ["Rates Income", "-£13,400,133"], ["Balance", "Nil"]]


def test_a_list_of_short_lines_without_figures_is_not_a_table():
    doc = read_text("t.txt", b"Our services\n\nLibraries\n\nParks\n\nLeisure\n\nWaste\n")
    assert not list(doc.tables())


def test_action_plan_rows_cut_at_each_reference_with_repeated_headers_and_group_headings():
    text = ("Action Plan\n\n1.    Publication of Policies\n\nNumber\n\nAction\n\nDeadline\n\n Progress\n\n"
            "1.1\n\nPublish new policies and application forms for assistance,\n\n18 July 2003\n\n"
            "1.2\n\nPublicity in the media\n\n18 July 2003\n\n2.    Data Collection\n\nNumber\n\nAction\n\nDeadline\n\n Progress\n\n"
            "2.1\n\nInvest in a software package to identify unfit properties, enquiries and assistance given, action taken and time recording,\n\n"
            "01 October 2004\n")
    _, t = table_of(text)
    assert t.header == ["Number", "Action", "Deadline", "Progress"]
    assert [texts(r)[:3] for r in t.body] == [
        ["1.1", "Publish new policies and application forms for assistance,", "18 July 2003"],
        ["1.2", "Publicity in the media", "18 July 2003"],
        ["2.    Data Collection", "", ""],
        ["2.1", "Invest in a software package to identify unfit properties, enquiries and assistance given, action taken and time recording,", "01 October 2004"],
    ]
