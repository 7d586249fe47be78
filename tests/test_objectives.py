"""Objective grammar, one snippet per rule, in the styles councils write plans in."""
from extractors.objectives import opens_commitment, split_flattened
from snippets import H, L, P, T, document, extract, of


def objectives(doc_or_text, **meta):
    return of(extract(doc_or_text, **meta), "objective")


# ---------------------------------------------------------------- lists


def test_programmes_lead_in_and_lead_attribution_is_not_part_of_the_text():
    doc = document(P("There were five programmes established each with a Senior Responsible Owner (SRO):"),
                   L("Customer Focus / Digital by Design – SRO Sarah Higgins.", "1"),
                   L("Environmental Enhancement – SRO Mark Kentell.", "2"),
                   L("Organisational Development - Lead Officer Nikki Gordon", "3"))
    assert [(o.ref, o.text) for o in objectives(doc)] == [
        ("1", "Customer Focus / Digital by Design"), ("2", "Environmental Enhancement"), ("3", "Organisational Development")]


def test_committee_resolutions_are_not_commitments():
    doc = document(P("At the meeting of the Strategic Policy and Resources Committee, Members approved the following recommendations:"),
                   L("That the general reserves will not be enhanced through the district rate", "1"),
                   L("That the following departmental cash limits should apply:", "2"))
    assert objectives(doc) == []


def test_resolutions_are_not_commitments_whatever_the_lead_in():
    doc = document(P("Cabinet will consider the following:"), L("That the budget be approved", "1"),
                   L("Review the fees and charges", "2"))
    assert [o.text for o in objectives(doc)] == ["Review the fees and charges"]


def test_a_committee_is_not_a_commitment_cue():
    doc = document(P("The report went to the Housing Committee in March:"), L("Rents rise by 2%", "1"), L("Service charges are frozen", "2"))
    assert objectives(doc) == []


def test_a_bare_label_lead_in_after_a_list_of_commitments_continues_it_and_names_the_unit():
    doc = document(H("Administration & Legal Services"), H("Strategic Policy"),
                   P("Service objectives / Administration & Legal Services:"),
                   L("Ensuring that the Council acts lawfully, openly and accountably;"), L("Supporting local democracy; and"),
                   P("Strategic Policy:"), P("Leading and supporting:"),
                   L("the strategic positioning of the Council"), L("an effective community planning partnership"),
                   P("Key facts:"), P("Examples include:"), L("a list of examples"))
    got = [(o.text, o.service) for o in objectives(doc)]
    assert got == [("Ensuring that the Council acts lawfully, openly and accountably", "Administration & Legal Services"),
                   ("Supporting local democracy", "Administration & Legal Services"),
                   ("the strategic positioning of the Council", "Strategic Policy"),
                   ("an effective community planning partnership", "Strategic Policy")]


def test_numbered_paragraphs_that_report_are_not_actions_under_an_action_plan_heading():
    doc = document(H("Action Plan"),
                   L("In preparing the strategy the council undertook a review of its services.", "1"),
                   L("Items for Action have been collected under various headings.", "2"),
                   L("Publish the new housing renewal policy", "3"))
    assert [o.text for o in objectives(doc)] == ["Publish the new housing renewal policy"]


def test_three_imperative_lines_in_a_row_are_a_list_that_lost_its_bullets():
    text = ("Call Centre & Distribution\n\nDepartmental Business Plan\n\n"
            "To work with Membership Dept to increase awareness of booking system\n\n"
            "Re-locate reception area into Call Centre\n\nImprove appearance of the reception area\n\n"
            "Team Structure\n\nRAG Rating\n\nTarget not achieved\n\nTarget slightly missed (within 10%)\n\nTarget met\n")
    got = objectives(text)
    assert [o.text for o in got] == ["To work with Membership Dept to increase awareness of booking system",
                                     "Re-locate reception area into Call Centre", "Improve appearance of the reception area"]
    assert {o.service for o in got} == {"Call Centre & Distribution"}


def test_opens_commitment():
    assert opens_commitment("Promote home composting") and opens_commitment("To increase participation")
    assert not opens_commitment("Target met") and not opens_commitment("Target slightly missed")
    assert not opens_commitment("The council undertook a review")


# ---------------------------------------------------------------- run-on paragraphs


def test_labelled_statement_runs_to_the_next_field_label():
    doc = document(P("Strategic Driver A A continuing emphasis on preventing waste to generate no more than 684Kg of "
                     "residual waste per household by 2010 Rationale: Emphasis needs to be placed on preventing waste"))
    [obj] = objectives(doc)
    assert (obj.ref, obj.due) == ("A", "2010")
    assert obj.text.endswith("per household by 2010")


def test_refs_after_a_lead_in_split_a_flattened_list():
    doc = document(P("These measures should be achieved with modest investment Improvement plan priorities for implementation: "
                     "A1 Lobby for changes in packaging A2 Support Eco Schools programme A3 Promote home composting of garden "
                     "waste A10 Reduce the size of wheeled bins 1"))
    assert [(o.ref, o.text) for o in objectives(doc)] == [
        ("A1", "Lobby for changes in packaging"), ("A2", "Support Eco Schools programme"),
        ("A3", "Promote home composting of garden waste A10 Reduce the size of wheeled bins")]


def test_dotted_refs_and_a_status_lead_in():
    doc = document(P("Of the 91 targets in the plan 77 are on target. Those areas behind target are: 2.1 2.7 performance "
                     "management business continuity The activity not on target/not achieved is: "
                     "6.3 Schools in special measures for over two years Some of the above are small parts of a whole."))
    [obj] = objectives(doc)
    assert (obj.ref, obj.text, obj.status) == ("6.3", "Schools in special measures for over two years", "not on target/not achieved")


def test_a_run_of_refs_without_a_lead_in_is_not_a_list():
    doc = document(P("The scheme numbers are A1 Town centre A2 Harbour A3 Parks and were agreed in March."),
                   P("Our priorities: see the table, where A1 Town centre A2 Harbour A3 Parks are listed."))
    assert objectives(doc) == []


# ---------------------------------------------------------------- tables


def test_action_plan_table_number_action_deadline_progress():
    doc = document(H("Data Collection and Monitoring"),
                   T([["Number", "Action", "Deadline", "Progress"],
                      ["2.1", "Investment in software to identify unfit properties,", "01 October 2004", ""],
                      ["2.2", "Annual survey of empty homes", "01 April 2005 and as they arise", "On track"]]))
    got = [(o.ref, o.text, o.due, o.status) for o in objectives(doc)]
    assert got == [("2.1", "Investment in software to identify unfit properties,", "2004-10-01", None),
                   ("2.2", "Annual survey of empty homes", "2005-04-01", "On track")]


def test_improvement_and_milestone_columns_ref_belongs_to_the_improvement():
    doc = document(T([["Ref No.", "Improvement", "Key Milestones", "Target Dates", "Responsible Person"],
                      ["HS1", "Service users views will be used to inform service improvements",
                       "Gather service views for all areas of service delivery", "August 2008", "Francine Abercrombie"],
                      ["", "", "Standardise customer satisfaction cards.", "June 2008", "Michelle Flynn"]]))
    got = {o.text: (o.ref, o.due) for o in objectives(doc)}
    assert got["Service users views will be used to inform service improvements"][0] == "HS1"
    assert got["Gather service views for all areas of service delivery"] == (None, "2008-08")
    assert got["Standardise customer satisfaction cards."] == (None, "2008-06")


def test_lead_officer_column_gives_the_unit():
    doc = document(T([["Additional Plans/Actions", "Timescale", "Lead Officer", "Outcome"],
                      ["Roll out of customer service training", "June 2009", "Director, Corporate and Customer Services",
                       "Improved levels of customer satisfaction"]]))
    records = extract(doc)
    [obj] = of(records, "objective")
    assert (obj.text, obj.due, obj.service) == ("Roll out of customer service training", "2009-06", "Corporate and Customer Services")
    assert ("Corporate and Customer Services", "Director") in {(s.name, s.lead_role) for s in of(records, "service")}


def test_priority_heading_is_an_objective_and_the_theme_of_a_we_will_table():
    doc = document(H("Our Priority - Supporting stronger and healthier communities"),
                   P("Communities that are empowered, inclusive, resilient, and safe."),
                   T([["We will...", "Success measure", "Baseline", "Target"],
                      ["Encourage the development of a strong third sector.", "Anchor organisations increase.", "", "1"],
                      ["Provide support to community projects.", "Number of interventions.", "402", "500 p.a."]]))
    got = [(o.text, o.theme) for o in objectives(doc)]
    assert got == [("Supporting stronger and healthier communities", None),
                   ("Encourage the development of a strong third sector.", "Supporting stronger and healthier communities"),
                   ("Provide support to community projects.", "Supporting stronger and healthier communities")]


def test_cell_list_beside_note_paragraphs_keeps_the_list_and_drops_the_notes():
    cell = ('<ol style="list-style-type: none"> 1. Reduce the usage of paper. 2. Conserve energy and water. '
            '<p><i>Notes:</i> * Targets will be set once base lines have been established.</p> '
            '<p>** All objectives are derived from the Environmental Policy.</p>')
    doc = document(T([["Key actions / deliverables", "Target date"], [cell, "31 March 2009"]]))
    assert [(o.ref, o.text, o.due) for o in objectives(doc)] == [
        ("1", "Reduce the usage of paper.", "2009-03-31"), ("2", "Conserve energy and water.", "2009-03-31")]


def test_flattened_cell_keeps_title_case_names_whole():
    text = ("Ensure the successful implementation of Council Tax Support scheme Ensure performance is maintained "
            "Maintain a fit for purpose infrastructure Progress Shared Working")
    parts = [text[s:e].strip() for s, e in split_flattened(text)]
    assert parts == ["Ensure the successful implementation of Council Tax Support scheme", "Ensure performance is maintained",
                     "Maintain a fit for purpose infrastructure", "Progress Shared Working"]


def test_section_rows_under_a_pledge_column_are_objectives_but_its_indicators_are_not():
    doc = document(T([["Sub Pledge/PI", "BVPI No.", "2003/04 Actual", "2004/05 Target"],
                      ["Building strong, confident communities", "", "", ""],
                      ["The number of interactions enabled for electronic delivery.", "157", "76.4%", "100%"],
                      ["Improving access to services for vulnerable members of our community", "", "", ""],
                      ["The average time for processing new benefit claims.", "78a", "31.02 days", "45 days"]]))
    assert [o.text for o in objectives(doc)] == ["Building strong, confident communities",
                                                 "Improving access to services for vulnerable members of our community"]


def test_the_councils_own_objectives_belong_to_no_unit():
    doc = document(H("Housing Renewal Team"), P("The Corporate objectives are:"), L("High education standards"), L("Good transport"),
                   P("The Team's key objectives are:"), L("To deliver the renewal strategy", "1"))
    got = [(o.text, o.service) for o in objectives(doc)]
    assert got == [("High education standards", None), ("Good transport", None), ("To deliver the renewal strategy", "Housing Renewal Team")]


def test_we_will_statements_are_commitments_wherever_they_stand():
    doc = document(H("Our year ahead"), P("Last year went well."),
                   L("We will open the new homelessness hub by March 2025"), L("We will review the allocations policy"),
                   L("Residents told us they value the service"))
    assert [(o.text, o.due) for o in objectives(doc)] == [
        ("We will open the new homelessness hub by March 2025", "2025-03"), ("We will review the allocations policy", None)]
    text = "Plan\n\nWe will deliver 100 new homes\n\nWe will cut waste\n\nWe will support local business\n"
    assert len(objectives(text)) == 3


RUN_ON = ("Appendix One Strategic Action Plan May 2009 BV Improvement Agenda 1. Increase the pace of development in relation "
          "to customer services including simplifying access to the council Current Improvement Plans/Actions in Place The "
          "Council approved a new Customer Service Strategy in March 2009. The Strategy was informed through the findings of a "
          "scrutiny review of customer services reported in December 2008. Implement a single system for recording and "
          "monitoring customer feedback August 2009 Develop three year programme to improve the number of electronic services "
          "available to customers October 2009 Gather service views for August 2008 Julie Barr")


def test_flattened_action_plan_actions_run_into_their_target_month():
    got = [(o.text, o.due) for o in objectives(document(P(RUN_ON))) if o.due]
    assert got == [("Implement a single system for recording and monitoring customer feedback", "2009-08"),
                   ("Develop three year programme to improve the number of electronic services available to customers", "2009-10")]


def test_numbered_commitment_in_run_on_text_ends_at_the_next_header_words():
    got = [(o.ref, o.text) for o in objectives(document(P(RUN_ON))) if o.ref]
    assert got == [("1", "Increase the pace of development in relation to customer services including simplifying access to the council")]


def test_a_dated_imperative_in_ordinary_prose_is_not_an_action():
    doc = document(P("The review started in January 2025 and will then Publish the new charging policy June 2025 as agreed."))
    assert objectives(doc) == []


def test_a_direction_column_is_not_a_column_of_improvements():
    doc = document(T([["Ref", "Name", "Improvement Direction", "Actual Q4 2019/20", "Target Q4 2019/20"],
                      ["1", "Percentage of household waste recycled", "Bigger is better", "32.3%", "30%"],
                      ["2", "Failed bin collections per 100,000", "Smaller is better", "142", "100"]]))
    assert objectives(doc) == []


def test_section_rows_of_an_indicator_table_that_state_an_aim_are_objectives():
    doc = document(T([["", "BVPI No.", "2003/04 Actual", "2004/05 Target"],
                      ["Building strong, confident communities", "", "", ""],
                      ["The number of interactions enabled for electronic delivery.", "157", "76.4%", "100%"],
                      ["Planning Enforcement", "", "", ""],
                      ["Enforcement cases closed within 8 weeks.", "E1", "70%", "80%"],
                      ["Housing and Homelessness Services", "", "", ""],
                      ["Households in temporary accommodation.", "H1", "40", "35"]]))
    assert [o.text for o in objectives(doc)] == ["Building strong, confident communities"]


def test_labelled_bullets_with_qualified_labels_give_ref_and_statement():
    doc = document(H("Delivery Plan 2025/2026"),
                   L("Well-being Objective 1 - We will raise educational attainment for young people and adults"),
                   L("Well-being Objective 2 - We will encourage and champion children and families so they can thrive"))
    assert [(o.ref, o.text) for o in objectives(doc)] == [
        ("1", "We will raise educational attainment for young people and adults"),
        ("2", "We will encourage and champion children and families so they can thrive")]


def test_a_list_of_service_standards_is_targets_not_objectives():
    doc = document(H("Customer Care Standards"), P("We will aim to:"), L("Respond to emails within 5 working days"),
                   L("Answer telephone calls within 10 rings"), L("Have any complaint dealt with promptly"))
    assert objectives(doc) == []
    targets = of(extract(doc), "target")
    assert [(t.indicator, t.comparator, t.value) for t in targets] == [
        ("Respond to emails within 5 working days", "<=", 5), ("Answer telephone calls within 10 rings", "<=", 10)]
