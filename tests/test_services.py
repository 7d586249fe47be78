"""Service (unit) grammar, one snippet per rule, in the styles councils write plans in."""
from extractors.context import read_lead
from extractors.services import unit_like
from snippets import H, L, P, T, document, extract, of


def services(doc_or_text, **meta):
    return {s.name: s for s in of(extract(doc_or_text, **meta), "service")}


def test_title_headings_above_the_plan_kind_name_the_units():
    doc = document(H("Appendix 14a"), H("Call Centre & Distribution"), H("Isle of Wight Tourism"), H("Departmental Business Plan"),
                   P("To facilitate the highest level of customer service possible."))
    got = services(doc)
    assert set(got) == {"Call Centre & Distribution", "Isle of Wight Tourism"}
    assert got["Call Centre & Distribution"].parent == "Isle of Wight Tourism"


def test_a_leading_heading_ending_in_a_unit_word_is_a_unit():
    doc = document(H("Housing & Homelessness Services"), P("Communities Scotland Recommendation: introduce a robust system."))
    assert set(services(doc)) == {"Housing & Homelessness Services"}


def test_a_plan_a_programme_or_the_council_itself_is_not_a_unit():
    assert not unit_like("Council Plan 2022 - 2027")
    assert not unit_like("General Fund Capital Programme")
    assert not unit_like("Council Services")
    assert not unit_like("Capital Charges/Asset Management Acc") and not unit_like("Pensions reserve adj")
    assert unit_like("Capital Programme Team") and unit_like("Regeneration & Leisure") and unit_like("Resources")


def test_budget_book_contents_page_lists_the_departments():
    text = ("2008/09 BUDGET BOOK CONTENTSList of Service Areas 2\nThe Revenue Programme:\n"
            "2008/09 Income & Expenditure Account 5\nRevenue Budget Detail:\n"
            "Chief Executive’s Office 9Corporate Director – Resources 29\nCorporate Director – Community Services 50\n"
            "The Capital Programme Summary & Financing 200\nCalendar 2008/09 203\n\nGeneral Fund Budget Summary\n")
    assert set(services(text)) == {"Chief Executive’s Office", "Corporate Director – Resources", "Corporate Director – Community Services"}


def test_a_service_plan_contents_page_lists_sections_not_units():
    text = "Contents\nOur Vision 3\nKey Achievements 4\nHousing Team 6\nPriorities for 2024/25 8\nService areas:\nLibraries 10\nArchives 12\n"
    assert set(services(text)) == {"Housing Team", "Libraries", "Archives"}


def test_lines_ending_in_numbers_without_a_contents_line_are_not_a_contents_page():
    text = "Staffing\n\nLibraries 12\nArchives 4\nMuseums 7\n"
    assert "Libraries" not in services(text)


def test_heads_of_service_for_a_list_of_units():
    doc = document(P("The Chair's meeting agreed to invite the Heads of Service for Finance, Housing and Environmental Enhancement."))
    got = services(doc)
    assert {(n, s.lead_role) for n, s in got.items()} == {
        ("Finance", "Head of Service"), ("Housing", "Head of Service"), ("Environmental Enhancement", "Head of Service")}


def test_dept_and_office_suffixes_but_not_national_bodies():
    doc = document(P("To work with Membership Dept to increase awareness of the booking system."),
                   P("Heads of Service, with support from the new Programme Management Office (PMO), set up five programmes."),
                   P("Guidance from the Home Office and the National Audit Office was followed."),
                   P("Bookings go through the Box Office."))
    assert set(services(doc)) == {"Membership Dept", "Programme Management Office", "Box Office"}


def test_management_bodies_are_not_units():
    doc = document(P("Key projects are monitored by the Council's Leadership Team and the Senior Management Team."),
                   P("The Customer Services Team answers calls."))
    assert set(services(doc)) == {"Customer Services Team"}


def test_run_on_table_text_does_not_make_units():
    doc = document(P("Ref Improvement Key Milestones Target Dates Responsible Monitoring No. Person Reporting HS1 Service users "
                     "views Senior Management February John SMT Team approve 3 team 2008 plans"))
    assert services(doc) == {}


def test_counted_enumeration_names_exactly_that_many_units():
    doc = document(P("The Council's two central services - Corporate Development and Chief Executive's - are crucially important."),
                   P("The three teams - Planning, Housing - were merged."))
    assert set(services(doc)) == {"Corporate Development", "Chief Executive's"}


def test_a_label_over_a_list_that_is_also_a_heading_is_a_unit():
    doc = document(H("Strategic Policy"), P("Strategic Policy:"), L("the strategic positioning of the Council"),
                   P("Key facts:"), L("ten staff"))
    assert set(services(doc)) == {"Strategic Policy"}


def test_budget_rows_are_units_but_accounting_lines_are_not():
    doc = document(H("Revenue budgets"),
                   T([["Department", "2012-13 £'000", "2013-14 £'000"], ["Chief Executive's", "8,472", "8,026"],
                      ["Regeneration & Leisure", "7,100", "7,050"], ["Departmental Expenditure", "15,572", "15,076"],
                      ["Capital Charges/Asset Management Acc", "-4,701", "-4,102"], ["Pensions reserve adj", "-5,123", "-5,123"]],
                     unit="£'000"))
    assert set(services(doc)) == {"Chief Executive's", "Regeneration & Leisure"}


def test_read_lead():
    assert read_lead("Director, Corporate and Customer Services") == ("Corporate and Customer Services", "Director", None)
    assert read_lead("Jo Bloggs, Head of Housing") == ("Housing", "Head of Housing", "Jo Bloggs")
    assert read_lead("Director of Resources and Deputy Chief Executive")[:2] == ("Resources", "Director of Resources and Deputy Chief Executive")
    assert read_lead("Head of Service") is None and read_lead("Michelle Flynn") is None


def test_rows_of_a_growth_or_savings_table_are_proposals_not_units():
    doc = document(H("Adult Services"), H("Proposals for growth and redeployment 2009/10 to 2011/12"),
                   T([["", "2009/10 £'000", "2010/11 £'000"], ["Growth proposals and unavoidable service pressures", "", ""],
                      ["Dependency & Demographic", "9,895", "8,613"], ["Safe and Secure", "652", "(41)"]], unit="£'000"))
    assert "Safe and Secure" not in services(doc) and "Dependency & Demographic" not in services(doc)


def test_a_unit_beside_its_lead_on_one_line():
    doc = document(H("Service Plan 2024/25"), P("Head of Housing: Jane Smith"), L("Planning: John Doe (Service Manager)"),
                   P("Revenues – Service Manager: Ann Lee"), P("Contact: Bob Green, Director"))
    got = {n: (s.lead, s.lead_role) for n, s in services(doc).items()}
    assert got == {"Housing": ("Jane Smith", "Head of Housing"), "Planning": ("John Doe", "Service Manager"),
                   "Revenues": ("Ann Lee", "Service Manager")}


def test_a_post_a_comma_and_a_unit_in_running_text():
    doc = document(P("Timescale Lead Officer Outcome June 2009 Director, Corporate and Customer Services Improved levels of "
                     "customer satisfaction. The Director, who chairs the board, agreed."))
    assert {(n, s.lead_role) for n, s in services(doc).items()} == {("Corporate and Customer Services", "Director")}


def test_the_council_is_not_part_of_a_units_name():
    text = ("Adur District Council\nEnvironmental Services Service Plan 2022/23\n\nIntroduction\n"
            "This plan sets out how the Environmental Services team will deliver waste collections.\n")
    assert set(services(text)) == {"Environmental Services"}


def test_the_council_itself_is_not_a_unit_and_numbered_contents_entries_are_read():
    text = ("London Borough of Barnet\n\nFamily Services\n\nDelivery Plan 2024/25\n\n"
            "Contents\n1 Introduction 3\n2 Early Help Team 5\n3 Priorities 8\n\nIntroduction\n\nThis plan covers the year.\n")
    assert set(services(text)) == {"Family Services", "Early Help Team"}


def test_a_list_of_names_after_a_units_lead_in():
    doc = document(P("The directorate comprises four services:"), L("Housing Solutions"), L("Private Sector Housing"),
                   L("Community Safety"), P("Our services include:"), L("leading on statutory services such as elections"),
                   L("managing key internal infrastructure"))
    assert set(services(doc)) == {"Housing Solutions", "Private Sector Housing", "Community Safety"}


def test_a_label_over_a_list_named_twice_more_elsewhere_is_a_unit():
    doc = document(P("Strategic Policy:"), P("Leading and supporting:"), L("the strategic positioning of the Council"),
                   P("Staffing: Strategic Policy – 10"), P("Revenue Budget / Strategic Policy - £1.1m"),
                   P("Key facts:"), L("ten staff"), P("Key facts matter."))
    assert set(services(doc)) == {"Strategic Policy"}


def test_units_listed_after_a_unit_that_delivers_the_following_areas():
    doc = document(P("Regulatory Services sits within the Place Directorate and delivers services in the following areas:"),
                   L("Health Protection", "-"), L("Trading Standards", "-"), L("Licensing", "-"))
    got = services(doc)
    assert {n: got[n].parent for n in ("Health Protection", "Trading Standards", "Licensing")} == {
        "Health Protection": "Regulatory Services", "Trading Standards": "Regulatory Services", "Licensing": "Regulatory Services"}
