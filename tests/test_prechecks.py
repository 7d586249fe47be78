"""Cheap checks and narrowed scans that stand before a pattern must never change what the pattern finds.

Each speed-up here answers exactly as the plain pattern does; these snippets go red if a
check rules out a text the pattern would match, or a narrowed scan finds something else.
"""
import re

import pytest

TEXTS = [
    "Budget 2012/13 to 2014-15", "FY 12/13 and FY2019-20", "in 2024 to 2025", "12/05/2019", "the 2019 plan", "20 / 21",
    "Revenue 2018 TO 2019....", "Savings of £1.2m in 2023–24.", "x2012/13", "2012/13/14", "no years here", "",
    "Contents ....... 4", "A leader … …", "Ends with dots. . . . .\n", "text...  \t", "Just a sentence.",
]


@pytest.mark.parametrize("text", TEXTS)
def test_financial_years_found_as_the_pattern_finds_them(text):
    from pipeline.normalise.years import FY_PATTERN, _fy_matches

    assert [m.span() for m in _fy_matches(text)] == [m.span() for m in FY_PATTERN.finditer(text)]


@pytest.mark.parametrize("text", TEXTS)
def test_a_leader_is_stripped_as_the_pattern_strips_it(text):
    from pipeline.normalise.text import _LEADER, _strip_leader

    assert _strip_leader(text) == _LEADER.sub("", text)


@pytest.mark.parametrize("text", [
    "The teams that provide these services: Housing, Planning, including Building Control, and Parks.",
    "Our functions: A, B, C.", "Sections: a, b", "The team: Jo, Al, Mo",
])
def test_enumeration_and_mention_prechecks_keep_every_match(text):
    from extractors.services import _ENUMERATION, _ENUMERATION_WORDS, _MENTION, _MENTION_SUFFIX
    from extractors.vocabulary import alternation

    if _ENUMERATION.search(text):
        assert ":" in text and any(w in text for w in _ENUMERATION_WORDS)
    if _MENTION.search(text):
        assert _MENTION_SUFFIX.search(text)
    nested = re.compile(rf"(?:{alternation('unit_words', 'mention_suffix')}|service|team|unit|division)\b")
    assert bool(nested.search(text)) == bool(_MENTION_SUFFIX.search(text))


@pytest.mark.parametrize("text", ["  a  b ", "a\xa0\xa0b\n\nc", "x\x1c\x1dy\u2003z", "tab\tsep\r\n", "", "   ", "one"])
def test_collapse_joins_words_as_the_whitespace_pattern_does(text):
    from pipeline.normalise.text import _SPACE, collapse

    assert collapse(text) == _SPACE.sub(" ", text.replace("\xa0", " ")).strip()


@pytest.mark.parametrize("text", ["the budget of ", "savings amounting to  ", "a total:", "it is", "cost  = ", "", "  ",
                                  "the revenue budget for 2023/24 of around", "x" * 30 + " of about \n", "was"])
def test_a_connector_is_stripped_as_the_pattern_strips_it(text):
    from extractors.budgets import _CONNECTOR, _CONNECTOR_LONGEST, _strip_connector

    assert _strip_connector(text) == _CONNECTOR.sub("", text)
    words = re.findall(r"\(\?:(.*?)\)\?", _CONNECTOR.pattern)[0].split("|")
    assert max(map(len, words)) == _CONNECTOR_LONGEST


@pytest.mark.parametrize("text", ["We employ 1,234 staff and 56.5 FTEs", "£100 staff", "12.5 full-time equivalents", "3,45 posts",
                                  "1234,567 employees", "7 volunteers; x9 staff", "50% staff", "0 people employed", "v2 staff"])
def test_the_workforce_count_pattern_finds_what_the_look_behind_first_form_found(text):
    from extractors.workforce import _COUNT

    plain = re.compile(
        r"(?<![\d.£%])(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s+(?:\w+\s+)?(?P<basis>employees|members of staff|staff|FTEs?|"
        r"full[- ]time equivalents?|volunteers|sessional(?: staff| workers)?|posts|people employed)\b", re.I)
    assert [(m.span(), m.group("n"), m.group("basis")) for m in _COUNT.finditer(text)] == \
           [(m.span(), m.group("n"), m.group("basis")) for m in plain.finditer(text)]


@pytest.mark.parametrize("title", [
    "Housing Services Business Plan 2012/13", "SERVICE PLAN 2019/2020", "Plan for the Annual Service Delivery Action Plans for",
    "Service Plan Summary of Corporate Improvement Plan for the Unit and Action Plan 2012-13 to 2014-15 for",
    "Part 1 (Open to the public) ITEM NO. REPORT OF THE LEADER OF THE COUNCIL TO THE CABINET ON Tuesday, 11th October, 2005 "
    "TITLE : CPA. CORPORATE IMPROVEMENT PLAN MONITORING plan", "Libraries Museums Parks Leisure Culture Tourism Sport plan",
    "Libraries Museums Parks Leisure Culture Tourism plan", "ſervice ſervice ſervice ſervice ſervice ſervice ſervice plan 2019/20",
])
def test_a_title_with_too_many_words_for_a_scope_reads_as_the_patterns_read_it(title, monkeypatch):
    from extractors import metadata
    from pipeline.document import Document

    doc = Document(source="x.txt", text=title + "\n\nBody text.")
    quick = metadata._scope_from_title(title, doc)
    monkeypatch.setattr(metadata, "_too_many_words", lambda _title: False)
    assert quick == metadata._scope_from_title(title, doc)


def test_every_word_the_plan_pattern_takes_out_of_a_title_is_removable_for_the_title_precheck():
    """``_too_many_words`` restates what the title steps remove: a word added to ``PLAN_WORDS`` alone would
    make the pre-check refuse titles the patterns read."""
    from extractors.context import PLAN_WORDS
    from extractors.metadata import _REMOVABLE

    words = set(re.findall(r"[a-z]{2,}", re.sub(r"\\[a-zA-Z]", " ", PLAN_WORDS.pattern)))
    assert words and words <= _REMOVABLE, words - _REMOVABLE


@pytest.mark.parametrize("before", ["the total net budget of ", "x" * 60 + " savings totals  ", "a budget is", "Is ", "",
                                    "the gross expenditure\n  includes\t", "spend-to-save   of", "ABC of ", "the cost of\n"])
def test_budget_descriptions_read_over_the_tail_as_over_the_whole(before):
    from extractors.budgets import _DESCRIBED, _DESCRIBED_BEFORE, _DESCRIBED_LONGEST, _ITEM_TAIL, _ITEM_TAIL_LONGEST, _tail_start

    whole = _DESCRIBED.search(before)
    tail = _DESCRIBED.search(before, _tail_start(before, _DESCRIBED_LONGEST, _DESCRIBED_BEFORE))
    assert (whole and (whole.span(), whole.group(1))) == (tail and (tail.span(), tail.group(1)))
    w = _tail_start(before, _ITEM_TAIL_LONGEST)
    assert before[:w] + _ITEM_TAIL.sub("", before[w:]) == _ITEM_TAIL.sub("", before)


@pytest.mark.parametrize("text", [
    "The Strategic Director (Housing Services) leads.", "Head Housing Services", "Assistant Director Housing Services and "
    "Director Housing Services", "x_Director Housing Services", "Our Service Manager  (Housing Services)", "Managers Housing Services",
    "SubDirector Housing Services", "A Director Housing Services", "no post here Housing Services",
    "Head (Housing) and Director ((Housing Services)", "Head HousingServices)", "Director\n  (Housing Services)) more",
    "Head ( Housing Services", "Manager Housing",
])
@pytest.mark.parametrize("scope", ["Housing Services", "(Housing Services", " Housing Services", "Housing"])
def test_the_scope_post_is_found_from_the_post_words_as_by_a_whole_text_search(text, scope):
    """Found at the post words only, and without a pattern compiled for the scope: as the whole-text pattern finds it."""
    from extractors.services import _SCOPE_POSTS, _scope_post

    pattern = re.compile(rf"\b(?P<role>(?:[A-Z]\w+ )?(?:{'|'.join(_SCOPE_POSTS)}))\s*\(?{re.escape(scope)}\)?")
    whole = pattern.search(text)
    assert _scope_post(text, scope) == (whole and (whole.start(), whole.end(), whole.group("role")))


@pytest.mark.parametrize("text", ["Led by Abby Thomas - Assistant Director", "The team is Run by Jo Bloggs, Head of Service",
                                  "Misled by Abby Thomas - Director", "led by Abby Thomas - Director", "Headed by  Ann Lee: Chief Executive",
                                  "Managed by nobody", "Run by Al Smith - Manager and Led by Bo Jones - Director"])
def test_led_by_is_found_from_the_lead_words_as_by_a_whole_text_search(text):
    from extractors.services import _first_match_at, _led_by_starts
    from pipeline.nlp import PERSON_ROLE_PATTERNS

    quick, whole = _first_match_at(PERSON_ROLE_PATTERNS[0], text, iter(_led_by_starts(text))), PERSON_ROLE_PATTERNS[0].search(text)
    assert (quick and quick.span()) == (whole and whole.span())


@pytest.mark.parametrize("text", [
    "Contact Officer: Judy Edwards, Director of Policy & Resources. Lead officer: Al Smith, Head of Housing",
    "Responsible Officer :  Ann Lee, Chief Executive", "NonContact Officer: Bo Jones, Director of X", "Contact  Officer: X Y, Head",
    "Lead Officer: Jo Bloggs, Head of Finance and Lead Officer: Jo Bloggs, Head of Finance",
])
def test_contact_officers_are_found_from_the_officer_words_as_by_a_whole_text_scan(text):
    from extractors.services import _matches_at, _officer_starts
    from pipeline.nlp import PERSON_ROLE_PATTERNS

    pattern = PERSON_ROLE_PATTERNS[2]
    assert [m.span() for m in _matches_at(pattern, text, _officer_starts(text))] == [m.span() for m in pattern.finditer(text)]


def test_short_text_cache_stands_for_its_function():
    """The C-level memo (a dict's ``__getitem__`` bound by ``partial``) answers, names and pickles as the function."""
    import pickle

    from pipeline.normalise.text import clean

    assert clean("a  b") == "a b" and clean("a  b") == "a b"
    assert clean.__name__ == "clean" and clean.__wrapped__("a  b") == "a b"
    assert pickle.loads(pickle.dumps(clean)) is clean


TARGET_TEXTS = [
    "within 5 working days", "no more than 684kg of residual waste and at least 80% recycled", "at least £5 and at most 7 %",
    "in 5 in 6 days", "within 3 within 4 calendar days", "Achieve 40% by 2025; reach 12 per cent; maintain 99.5 %",
    "minimum of 3 hours then more than 2 weeks", "exceed 10 and above 20 below 30 with 2 days under 1 month",
    "We will respond within\n5 days. Then no  more than  3.", "not less than 10,000 and fewer than £2,000", "95% of calls in five days",
    "1 2 3 within 4 5 6 at least 7 8 9 no more than 10 11", "", "(within 5 days)", "at\n\nleast 5%", "no more\tthan £3",
    "reach\n 40 %", "within 10 \n working days", "We aim to achieve 40%.", "under 3 weeks of no more than 5 hours",
]


@pytest.mark.parametrize("text", TARGET_TEXTS)
def test_target_matcher_windows_find_what_the_whole_doc_finds(text):
    """``cp_target_phrases`` runs the Matcher only round a figure after a pattern word: the same spans as over every token."""
    import spacy
    from spacy.matcher import Matcher
    from spacy.tokens import Span

    from pipeline.nlp import TARGET_PATTERNS, annotate_partly, build_nlp

    nlp = build_nlp()
    matcher = Matcher(nlp.vocab)
    for kind, patterns in TARGET_PATTERNS.items():
        matcher.add(kind, patterns)
    doc = annotate_partly(text, ("cp_target_phrases",))
    whole = spacy.util.filter_spans([Span(doc, s, e, label=nlp.vocab.strings[k]) for k, s, e in matcher(doc)])
    assert [(s.start, s.end, s.label_) for s in doc.spans["target"]] == [(s.start, s.end, s.label_) for s in whole]


@pytest.mark.parametrize("text", TARGET_TEXTS)
def test_a_target_span_is_found_in_windows_exactly_when_the_whole_text_has_one(text):
    """``may_hold_target_span`` tokenises only whole stretches round each figure: it must agree with the whole Doc."""
    from pipeline.nlp import annotate_partly, may_hold_target_span

    assert may_hold_target_span(text) == bool(annotate_partly(text, ("cp_target_phrases",)).spans["target"])


@pytest.mark.parametrize("text", [
    "the Heads of Service for Finance, Housing and Environmental Enhancement", "Directors for Adults and Children",
    "Heads of Service\nfor Finance", "Service Managers for  Housing", "heads of service for finance", "Head for Finance",
    "Lead Officer … Director, Corporate and Customer Services", "Chief Executive,\nPolicy Unit", "Director ,Finance Team",
    "The Council's two central services - Corporate Development and Chief Executive's - are", "three teams: A, B and C.",
    "2 Services ( Housing, Planning )", "two TEAMS\t- Alpha and Beta -", "Two services:Finance and Legal", "services",
])
def test_service_rule_prechecks_keep_every_match(text):
    """``_HEADS_FOR_TAIL``, ``_POST_COMMA`` and ``_counted_word_before_list`` let through every block their pattern matches."""
    from extractors.services import (_COUNTED, _HEADS_FOR, _HEADS_FOR_TAIL, _POST_COMMA, _ROLE_COMMA_UNIT,
                                     _counted_word_before_list)

    if _HEADS_FOR.search(text):
        assert _HEADS_FOR_TAIL.search(text)
    if _ROLE_COMMA_UNIT.search(text):
        assert _POST_COMMA.search(text)
    if _COUNTED.search(text):
        assert _counted_word_before_list(text)
    assert any(p.search(text) for p in (_HEADS_FOR, _ROLE_COMMA_UNIT, _COUNTED)) or text in (
        "heads of service for finance", "Head for Finance", "Director ,Finance Team", "services")


@pytest.mark.parametrize("text", TEXTS)
def test_has_financial_year_answers_as_the_pattern_searches(text):
    from pipeline.normalise.years import FY_PATTERN, has_financial_year

    assert has_financial_year(text) == bool(FY_PATTERN.search(text))


@pytest.mark.parametrize("text", TEXTS + [
    "Efficiencies and cuts", "Fees and Charges", "capital receipts", "Growth PRESSURES", "Income", "Saving", "Revenue budget",
])
def test_context_measure_stems_keep_every_measure_word(text):
    from extractors.budgets import _CONTEXT_MEASURES, _CONTEXT_STEMS, _MEASURE_RES
    from pipeline.normalise.text import may_hold_any

    if any(pattern.search(text) for measure, pattern in _MEASURE_RES if measure in _CONTEXT_MEASURES):
        assert may_hold_any(text, _CONTEXT_STEMS)


@pytest.mark.parametrize("text", TEXTS + [
    "The Housing Service and Youth Offending Service. Then Adult Social Care Team (ASC): Finance Dept",
    "Contact Customer Services; the Planning, Building Control and Parks Service works with the team.",
    "Our Legal Services Team (see Strategy Office) and \"Waste Unit\" staff!", "People Directorate? Estates Division",
    "Blue Badge service, Library service and Youth team", "(Children's Services)", "A. B. C Service",
    "Housing Service  .", "Housing Service  Leader said", "Housing Service\n(HS)", "the service. Housing Service", "Housing Service",
])
def test_mentions_found_as_the_pattern_finds_them(text):
    from extractors.services import _MENTION, _mention_matches

    assert [m.span() for m in _mention_matches(text)] == [m.span() for m in _MENTION.finditer(text)]


@pytest.mark.parametrize("text", TEXTS + [
    "savings for 2023/24 of", "in the financial year 2019-20 ", "during FY2020", "of 1999", "for the 20 items", "in 2024",
])
def test_a_year_phrase_is_removed_as_the_pattern_removes_it(text):
    from extractors.budgets import _YEAR_PHRASE, _without_year_phrase

    assert _without_year_phrase(text) == _YEAR_PHRASE.sub("", text)


@pytest.mark.parametrize("text", ["", "one", "one two", "  one   two three  ", "a b c d e f g h"])
@pytest.mark.parametrize("cap", [0, 1, 2, 6])
def test_count_words_counts_as_split_up_to_one_past_its_cap(text, cap):
    from pipeline.normalise.text import count_words

    assert count_words(text, cap) == min(len(text.split()), cap + 1)


def test_target_windows_rely_on_each_first_word_opening_one_kind():
    from pipeline.nlp import TARGET_PATTERNS, _check_first_words

    _check_first_words(TARGET_PATTERNS)  # the shipped patterns keep the rule the windowed Matcher relies on
    with pytest.raises(ValueError, match="two kinds"):
        _check_first_words({"a": [[{"LOWER": "within"}, {"LIKE_NUM": True}]], "b": [[{"LOWER": {"IN": ["within"]}}]]})
    with pytest.raises(ValueError, match="required word"):
        _check_first_words({"a": [[{"LOWER": "at", "OP": "?"}, {"LIKE_NUM": True}]]})
