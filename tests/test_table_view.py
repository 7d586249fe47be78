"""The table-semantics layer: what each column and row of a table means, and arithmetic as evidence."""
from pipeline.tables.arithmetic import split_glued
from pipeline.tables.view import read_tables

from tablebuild import document_with_table


def view_of(rows, **kw):
    [view] = read_tables(document_with_table(rows, **kw))
    return view


def test_years_phases_measures_and_units_per_column():
    v = view_of([["Service", "Original 2023/24 £000", "Revised 2023/24 £000", "Actual 2022/23 £m", "Net Expenditure 2024/25"],
                 ["Libraries", "1,200", "1,250", "1.1", "1,300"]], caption="Budget (£000)", unit="£000")
    c = v.columns
    assert [x.year for x in c[1:]] == ["2023-24", "2023-24", "2022-23", "2024-25"]
    assert [x.phase for x in c[1:4]] == ["budget", "revised", "outturn"]
    assert c[4].measure == "net_budget"
    assert [x.scale for x in c[1:]] == [1000, 1000, 1_000_000, 1000]  # the table's unit where a column states none
    assert all(x.money for x in c[1:])
    assert v.amount(v.rows[0], c[3]) == 1_100_000


def test_gross_income_net_columns_and_brackets():
    v = view_of([["", "Gross", "Income", "Net"], ["Parks", "900", "(300)", "600"]], before="Figures are in £'000.")
    assert [c.measure for c in v.columns[1:]] == ["gross_expenditure", "income", "net_budget"]
    assert v.amount(v.rows[0], v.columns[2]) == -300_000  # unit from the sentence before the table


def test_target_actual_baseline_and_status_columns():
    v = view_of([["KPI", "Measure", "Baseline", "Actual 2018/19", "Target 2019/20", "Status"],
                 ["1", "Calls answered within 20 seconds", "70%", "78%", "80%", "Green"]])
    roles = [c.role for c in v.columns]
    assert roles[0] == "ref" and v.indicator_column == 1
    assert roles[2:] == ["baseline", "actual", "target", "status"]
    assert v.columns[4].year == "2019-20"
    assert not any(c.money for c in v.columns)


def test_rows_total_section_repeated_header_and_unlabelled_subtotal():
    v = view_of([["", "2024/25 £000"], ["Employees", ""], ["Salaries", "100"], ["Pensions", "20"], ["", "120"],
                 ["", "2024/25 £000"], ["Income", ""], ["Fees", "(50)"], ["Grants", "(10)"], ["Total Income", "(60)"]])
    roles = [(r.role, r.label) for r in v.rows]
    assert roles == [("section", "Employees"), ("data", "Salaries"), ("data", "Pensions"), ("subtotal", ""),
                     ("header", ""), ("section", "Income"), ("data", "Fees"), ("data", "Grants"), ("total", "Total Income")]
    assert v.rows[1].section == "Employees" and v.rows[6].section == "Income"
    assert not v.issues


def test_a_total_its_lines_do_not_reach_is_reported_and_trusted_less():
    v = view_of([["", "£000"], ["A", "10"], ["B", "20"], ["Total", "35"]])
    assert [code for code, _ in v.issues] == ["total_mismatch"]
    assert v.rows[2].confidence < 1 and v.rows[0].confidence < 1


def test_totals_within_rounding_are_fine():
    v = view_of([["", "£m"], ["A", "1.24"], ["B", "2.24"], ["Total", "3.49"]])
    assert not v.issues


def test_thousands_table_whose_figures_look_like_pounds_is_flagged():
    v = view_of([["", "Budget £000"], ["A", "12,500,000"], ["B", "3,400,000"]])
    assert [code for code, _ in v.issues] == ["scale_suspect"]


def test_percent_and_fte_columns_are_not_money():
    v = view_of([["", "FTEs 2024/25", "Budget 2024/25", "Share"], ["Parks", "12", "400", "5%"]], before="Budget £000")
    assert [c.kind for c in v.columns[1:]] == ["count", "money", "percent"]


def test_glued_figures_split_where_the_last_is_the_sum_of_the_rest():
    assert split_glued("142,1504,300(470)145,980", 4) == ["142,150", "4,300", "(470)", "145,980"]
    assert split_glued("760200780", 4) == ["760", "20", "0", "780"]
    assert split_glued("700070", 4) == ["70", "0", "0", "70"]
    assert split_glued("123", 4) is None


def test_workforce_and_rag_count_columns_feed_their_extractors():
    from pipeline.extract import extract_document

    doc = document_with_table([["", "Green", "Amber", "Red", "Staffing (FTEs) 2024/25"], ["Parks", "4", "1", "-", "12.5"],
                               ["Waste", "2", "0", "3", "30"]])
    records, _ = extract_document(doc)
    perf = [(r.scope, r.green, r.amber, r.red) for r in records if r.type == "performance"]
    staff = [(r.scope, r.count, r.basis) for r in records if r.type == "workforce"]
    assert perf == [("Parks", 4, 1, None), ("Waste", 2, 0, 3)]
    assert staff == [("Parks", 12.5, "fte"), ("Waste", 30.0, "fte")]


def test_records_from_rows_that_fail_a_check_say_so():
    from pipeline.extract import extract_document

    doc = document_with_table([["", "Budget 2024/25 £000"], ["A", "10"], ["B", "20"], ["Total", "35"]])
    records, issues = extract_document(doc)
    budgets = {r.scope: r for r in records if r.type == "budget"}
    assert budgets["A"].checks_failed == ["total_mismatch"] and budgets["A"].confidence < 0.95
    assert "total_mismatch" in [i.code for i in issues]


def test_a_column_headed_plain_pounds_is_in_pounds_in_a_millions_table():
    v = view_of([["Service", "Net expenditure £m", "Band D equivalent £"], ["People", "134.575", "3161.84"]], unit="£m")
    assert [c.scale for c in v.columns[1:]] == [1_000_000, 1]


def test_an_unlabelled_total_takes_the_tables_subject_and_rows_headed_service_are_units():
    from pipeline.extract import extract_document

    doc = document_with_table([["Service", "Net budget £000"], ["Parks Team", "60"], ["Libraries Service", "40"], ["", "100"]])
    records, _ = extract_document(doc)
    assert ("Service", 100_000) in {(r.scope, r.amount_gbp) for r in records if r.type == "budget"}
    assert {"Parks Team", "Libraries Service"} <= {r.name for r in records if r.type == "service"}


def test_leading_rows_of_years_words_and_units_are_the_header_when_the_reader_found_none():
    v = view_of([["", "2011-12", "2011-12", "2012-13"], ["", "Expenditure", "Net", "Net"], ["", "£'000", "£'000", "£'000"],
                 ["Resources", "85,269", "15,236", "14,924"]], header_rows=0)
    assert v.table.header_rows == 3
    assert [(c.year, c.measure, c.scale) for c in v.columns[1:]] == [
        ("2011-12", "gross_expenditure", 1000), ("2011-12", "net_budget", 1000), ("2012-13", "net_budget", 1000)]
