"""Short snippets in the styles councils use, one per extraction rule."""
from pipeline.extract import extract_document
from pipeline.readers.text import read_text


def run(text: str, **meta):
    doc = read_text("snippet.txt", text.encode())
    doc.meta = meta
    records, issues = extract_document(doc, strict=True)
    assert not issues
    return records


def of(records, kind):
    return [r for r in records if r.type == kind]


def test_prose_budget_paragraph_in_millions():
    text = ("Adult Services Plan 2023/24\n\nRevenue budget\n\n"
            "The Adult Services Directorate has a gross expenditure budget of £52.3 million with £-11.2 million of income, "
            "making a planned net spend of £41.1 million.\n\nThe gross budget includes £20.5m for staffing.\n")
    budgets = {b.measure: b for b in of(run(text), "budget")}
    assert budgets["gross_expenditure"].amount_gbp == 52_300_000
    assert budgets["income"].amount_gbp == -11_200_000
    assert budgets["net_budget"].amount_gbp == 41_100_000
    assert budgets["staffing"].amount_gbp == 20_500_000
    assert all(b.financial_year == "2023-24" for b in budgets.values())
    assert budgets["income"].provenance.text.startswith("The Adult Services Directorate has")


def test_thousands_table_with_bracketed_negatives_and_year_columns():
    text = ("Leisure Business Plan 2021/22\n\nNet budget (£'000)\n\n"
            "Service\t2020/21\t2021/22\nLeisure centres\t1,250\t(300)\nParks\t-45\t-\nTotal\t1,205\t(300)\n")
    budgets = of(run(text), "budget")
    got = {(b.scope, b.financial_year): b.amount_gbp for b in budgets}
    assert got[("Leisure centres", "2020-21")] == 1_250_000
    assert got[("Leisure centres", "2021-22")] == -300_000
    assert got[("Parks", "2020-21")] == -45_000
    assert ("Parks", "2021-22") not in got  # "-" is no figure
    assert all(b.measure == "net_budget" for b in budgets)


def test_respectively_pairs_years_with_amounts():
    text = ("Capital budget\n\nThe outline amounts for 2025 to 2026 and 2026 to 2027 are £2.062 million and £0.490 million respectively.\n")
    budgets = of(run(text), "budget")
    assert [(b.financial_year, b.amount_gbp, b.measure) for b in budgets] == [("2025-26", 2_062_000, "capital"), ("2026-27", 490_000, "capital")]


def test_kpi_table():
    text = ("Service Plan 2022/23\n\nKPI\tIndicator\tAnnual target\n"
            "1\tPercentage of calls answered\tAt least 85%\n2\tDays to process claims\tLess than 20 days\n3\tVisitors to the museum\tINFO ONLY\n")
    targets = of(run(text), "target")
    assert [(t.ref, t.comparator, t.value, t.unit, t.info_only) for t in targets] == [
        ("1", ">=", 85, "percent", False), ("2", "<", 20, "days", False), ("3", None, None, None, True)]
    assert targets[0].financial_year == "2022-23"


def test_priorities_with_dates_and_lead_in():
    text = ("Housing Service Plan 2024/25\n\nOur priorities\n\nThe service will:\n\n"
            "- Open the new homelessness hub by March 2025\n- Review the allocations policy\n\n"
            "This includes:\n\n- things that are only examples\n")
    objectives = of(run(text), "objective")
    assert [(o.text, o.due) for o in objectives] == [
        ("Open the new homelessness hub by March 2025", "2025-03"), ("Review the allocations policy", None)]


def test_led_by_sections_give_units_with_leads():
    text = ("Place Directorate service plan for 2024 to 2025\n\nOur services\n\nPlanning\n\nLed by Jo Bloggs - Assistant Director\n\n"
            "  • development management\n  • building control\n\nHighways\n\nLed by Sam Smith - Head of Highways\n\n  • street lighting\n")
    services = {s.name: s for s in of(run(text), "service")}
    assert services["Planning"].lead == "Jo Bloggs" and services["Planning"].lead_role == "Assistant Director"
    assert services["Planning"].parent == "Place Directorate"
    assert services["building control"].parent == "Planning"
    assert services["Highways"].lead_role == "Head of Highways"


def test_flattened_objective_cells_are_split_at_commitments():
    from extractors.objectives import split_flattened

    text = "Deliver quality services and Improve perception of services Help deliver the budget plan Continue shared working in CCTV"
    parts = [text[s:e].strip() for s, e in split_flattened(text)]
    assert parts == ["Deliver quality services and Improve perception of services", "Help deliver the budget plan", "Continue shared working in CCTV"]


def test_workforce_and_rag_counts():
    text = ("Service Plan 2019/20\n\nWorkforce\n\nAs at 1st April 2019, 120 employees and 15 volunteers work in the service.\n\n"
            "Performance (at August 2019)\n\n\tGreen\tAmber\tRed\nLibraries\t3\t-\t1\n")
    records = run(text)
    assert [(w.count, w.basis, w.as_at) for w in of(records, "workforce")] == [(120, "employees", "2019-04-01"), (15, "volunteers", "2019-04-01")]
    [perf] = of(records, "performance")
    assert (perf.scope, perf.green, perf.amber, perf.red, perf.as_at) == ("Libraries", 3, None, 1, "2019-08")


def test_council_from_text_else_manifest():
    named = of(run("Sevenoaks District Council\n\nService Plan 2012/13\n"), "document")[0]
    assert (named.council, named.council_code, named.council_from) == ("Sevenoaks", "E07000111", "text")
    unnamed = of(run("Service plan 2024/25\n", council="Hart"), "document")[0]
    assert (unnamed.council, unnamed.council_code, unnamed.council_from) == ("Hart", "E07000089", "manifest")


# ---------------------------------------------------------------- every amount in a sentence gets its own subject

def _prose_budgets(text: str):
    from pipeline.extract import extract_document
    from pipeline.readers.text import read_text

    records, _ = extract_document(read_text("t.txt", text.encode()))
    return [(r.scope, r.amount_gbp, r.financial_year) for r in records if r.type == "budget"]


def test_amount_subject_from_for_phrase_and_through_phrase():
    found = _prose_budgets(
        "Revenue Estimates 2014/15\n\n"
        "1. That the total amount to be raised through the district rate for 2014/15 of £129,716,358\n\n"
        "2. That the cash limit for the Town Planning Committee of £3,750 for 2014/15.\n")
    assert ("district rate", 129_716_358, "2014-15") in found
    assert ("Town Planning Committee", 3_750, "2014-15") in found


def test_amount_subject_from_a_unit_named_before_the_amount_and_funded_by():
    found = _prose_budgets("Cash limits 2014/15\n\n· Parks and Leisure Department £23,971,115\n\n"
                           "This plus £3.6m funded by Social Care Reform Grant makes the total £22m.\n")
    assert ("Parks and Leisure Department", 23_971_115, "2014-15") in found
    assert ("Social Care Reform Grant", 3_600_000, "2014-15") in found


def test_budget_words_alone_are_not_a_subject():
    found = _prose_budgets("Housing Service Plan 2024/25\n\nThe gross budget includes staffing costs of £9.47 million.\n")
    assert all(scope != "gross budget includes" for scope, _, _ in found)


# ---------------------------------------------------------------- targets written in sentences and lists

def _target_records(text: str):
    from pipeline.extract import extract_document
    from pipeline.readers.text import read_text

    records, _ = extract_document(read_text("t.txt", text.encode()))
    return [r for r in records if r.type == "target"]


def _targets(text: str):
    from pipeline.extract import extract_document
    from pipeline.readers.text import read_text

    records, _ = extract_document(read_text("t.txt", text.encode()))
    return [(r.indicator, r.comparator, r.value, r.unit, r.ref) for r in records if r.type == "target"]


def test_service_standards_in_a_kpi_list_keep_the_whole_statement_as_indicator():
    found = _targets("Plan 2024/25\n\nPerformance Indicators\n\nCC1: Percentage of calls answered within office hours:        tbc\n\n"
                     "CC2: Respond to Email request within 3 working days\n")
    assert ("Respond to Email request within 3 working days", "<=", 3, "days", "CC2") in found
    assert ("Percentage of calls answered within office hours", None, None, None, "CC1") in found


def test_a_driver_statement_names_its_indicator_after_the_figure():
    found = _targets("Strategic Driver A\n\nWe will exceed the target set nationally to achieve 40% household re-use, "
                     "recycling and composting and to generate no more than 684Kg of residual waste per household by 2010\n")
    assert ("household re-use, recycling and composting", ">", 40, "percent", None) in found
    assert ("residual waste per household", "<=", 684, "number", None) in found


def test_figures_in_prose_without_target_words_around_are_not_targets():
    assert _targets("Our year\n\nWe answered 90% of calls and processed claims in 12 days.\n") == []


def test_budget_phase_from_the_column_and_from_the_sentence():
    from pipeline.extract import extract_document
    from pipeline.readers.text import read_text

    text = ("Parks Service Plan 2024/25\n\nBudget (£000)\n\nService\tOriginal 2024/25\tRevised 2024/25\tActual 2023/24\n"
            "Parks\t1,200\t1,250\t1,100\n\nThe revised budget for 2024/25 is £1.25m against an outturn of £1.1m in 2023/24.\n")
    records, _ = extract_document(read_text("t.txt", text.encode()))
    phases = {(r.amount_gbp, r.phase) for r in records if r.type == "budget"}
    assert {(1_200_000, "budget"), (1_250_000, "revised"), (1_100_000, "outturn")} <= phases
    prose = [r for r in records if r.type == "budget" and r.provenance.text.startswith("The revised")]
    assert [(r.amount_gbp, r.phase, r.financial_year) for r in prose] == [(1_250_000, "revised", "2024-25"), (1_100_000, "outturn", "2023-24")]


def test_run_on_kpi_rows_keep_numbers_inside_the_indicator_and_the_year_before_the_target_column():
    text = ("KPIs 2016/17\n\nRef. KPI Name Value Status Value Status 2016/17 Target 1.1 Percentage of calls answered within 30 seconds "
            "(monthly) 68.28% Green 59.34% Red 60% 1.2 Invoices paid within 30 calendar days of receipt 98.04% Green 96.9% Amber 98% "
            "1.3 Late committee reports as a percentage of reports due (quarterly) 15.71% Red 22.31% Red 5% "
            "1.4 Internal customer satisfaction rate 94.44% Green 85% Amber 85% 1.5 External customer satisfaction rate 84% Amber 82% Red 85%\n")
    found = {ind: (value, year) for ind, _, value, _, _ in _targets(text) for year in [None]}
    assert set(found) == {"Percentage of calls answered within 30 seconds (monthly)", "Invoices paid within 30 calendar days of receipt",
                          "Late committee reports as a percentage of reports due (quarterly)", "Internal customer satisfaction rate",
                          "External customer satisfaction rate"}
    assert {t.financial_year for t in _target_records(text)} == {"2016-17"}
