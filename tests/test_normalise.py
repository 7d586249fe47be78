"""Each normaliser rule from RECORDS.md, one case per form councils write."""
import pytest

from pipeline.normalise.dates import parse_date
from pipeline.normalise.money import find_money, parse_cell_amount, unit_scale
from pipeline.normalise.targets import parse_target, find_targets
from pipeline.normalise.text import clean, normalise_for_match
from pipeline.normalise.years import parse_financial_year


@pytest.mark.parametrize("text,amount,written", [
    ("a budget of £39.147 million", 39_147_000, "£39.147 million"),
    ("savings of £1.5m", 1_500_000, "£1.5m"),
    ("Budgetary - £15k", 15_000, "£15k"),
    ("income of approximately £600,000 per year", 600_000, "£600,000"),
    ("with £-20.707 million of income", -20_707_000, "£-20.707 million"),
    ("with -£0.011 million of income", -11_000, "-£0.011 million"),
    ("exceed cost of the Service (£30,000)", 30_000, "£30,000"),
    ("a programme of £2bn", 2_000_000_000, "£2bn"),
])
def test_prose_money(text, amount, written):
    [money] = find_money(text)
    assert money.amount == amount
    assert money.as_written == written
    assert text[money.start:money.end] == written


@pytest.mark.parametrize("cell,scale,amount", [
    ("3,662", 1000, 3_662_000),
    ("(8,045)", 1000, -8_045_000),
    ("-1,372", 1000, -1_372_000),
    ("0.9", 1000, 900),
    ("0", 1000, 0),
    ("£250", 1, 250),
])
def test_cell_money(cell, scale, amount):
    assert parse_cell_amount(cell, scale).amount == amount


@pytest.mark.parametrize("cell", ["-", "", "n/a", "(12", "12 June"])
def test_cells_that_are_not_money(cell):
    assert parse_cell_amount(cell, 1000) is None


@pytest.mark.parametrize("token,scale", [("£000", 1000), ("£'000", 1000), ("(£,000)", 1000), ("£ 000", 1000), ("£m", 1_000_000), ("£k", 1000), (None, 1)])
def test_unit_scale(token, scale):
    assert unit_scale(token) == scale


@pytest.mark.parametrize("text,fy", [
    ("2024/25", "2024-25"), ("2024-25", "2024-25"), ("2024 to 2025", "2024-25"), ("24/25", "2024-25"),
    ("FY2024/25", "2024-25"), ("Budget 12/13", "2012-13"), ("2008 - 10", "2008-10"), ("2025-28", "2025-28"),
    ("Service Plan 2019/2020", "2019-20"), ("2011/ 12", "2011-12"), ("1999/00", "1999-00"),
])
def test_financial_years(text, fy):
    assert parse_financial_year(text) == fy


@pytest.mark.parametrize("text", ["on 12/05/2019", "2019-05-31", "in 2019", "12/05", "a 24/7 service"])
def test_not_financial_years(text):
    assert parse_financial_year(text) is None


@pytest.mark.parametrize("text,iso", [
    ("May 2024", "2024-05"), ("31st May 2019", "2019-05-31"), ("March 2025 and ongoing", "2025-03"),
    ("by 31 December 2008", "2008-12-31"), ("Q1 Embed revised working", "2019-20-Q1"),
    ("by the meeting on 26 th February 2020", "2020-02-26"), ("Sep 2024 to Feb 2025", "2024-09"),
    ("Open the gallery in 2009", "2009"), ("no date here", None),
])
def test_dates(text, iso):
    assert parse_date(text, "2019-20") == iso


@pytest.mark.parametrize("text,comparator,value,unit,info", [
    ("Less than 18 Days", "<", 18, "days", False),
    ("At least 80%", ">=", 80, "percent", False),
    ("Lower than 8%", "<", 8, "percent", False),
    ("zero", "=", 0, "number", False),
    ("30", "=", 30, "number", False),
    ("Total cashable savings exceed cost of the Service (£30,000)", ">", 30_000, "gbp", False),
    ("2 cuts a year", "=", 2, "number", False),
    ("100 (INFO ONLY)", "=", 100, "number", True),
    ("INFO ONLY", None, None, None, True),
    ("No more than 5 missed a month", "<=", 5, "number", False),
    ("Less than 0.48% of total expenditure", "<", 0.48, "percent", False),
    ("97% of undisputed invoices paid within 30-days", "=", 97, "percent", False),
    ("31st May 2019", None, None, None, False),
    ("a balanced budget for 2020/21 by the meeting on 26 th February 2020", None, None, None, False),
])
def test_target_grammar(text, comparator, value, unit, info):
    t = parse_target(text)
    assert (t.comparator, t.value, t.unit, t.info_only) == (comparator, value, unit, info)


def test_second_target_needs_its_own_comparator():
    found = find_targets("Achieve 90% occupancy of all units and less than 10% of properties with arrears")
    assert [(t.comparator, t.value) for t in found] == [("=", 90), ("<", 10)]


def test_text_cleaning():
    assert clean("  • leading <i>on</i>\n services ") == "leading on services"
    assert clean("<p>12. Manage the risks</p>") == "12. Manage the risks" or clean("<p>12. Manage the risks</p>") == "Manage the risks"
    assert clean("-69") == "-69"
    assert normalise_for_match("Policy & Resources!") == "policy and resources"


def test_target_cells_with_an_earlier_and_an_amended_figure():
    from pipeline.normalise.targets import cell_figures

    def figs(text, neighbours=()):
        return [(f.value, f.unit, f.amended) for f in cell_figures(text, neighbours)]

    assert figs("99.43%100% A") == [(99.43, "percent", False), (100.0, "percent", True)]
    assert figs("45 days\n28 days A") == [(45.0, "days", False), (28.0, "days", True)]
    assert figs("1.11.3A") == [(1.1, "number", False), (1.3, "number", True)]
    assert figs("400201.3A", (166.68, 330, 470)) == [(400.0, "number", False), (201.3, "number", True)]
    assert figs("400201.3") == [(400201.3, "number", False)]  # nothing to judge it against: one figure
    assert figs("To be deleted") == [] and figs("within 5 days") == []


def test_money_in_words():
    from pipeline.normalise.money import find_money

    found = [(m.amount, m.as_written) for m in find_money("Savings of half a million pounds, £2.5 million and two million pounds.")]
    assert found == [(500_000, "half a million pounds"), (2_500_000, "£2.5 million"), (2_000_000, "two million pounds")]


def test_clean_drops_dot_leaders_but_keeps_an_ellipsis():
    from pipeline.normalise.text import clean
    assert clean("Building Control ........................") == "Building Control"
    assert clean("Licensing . . . . . .") == "Licensing"
    assert clean("Items…") == "Items"
    assert clean("More to follow...") == "More to follow..."


def test_cheap_pre_checks_answer_as_the_patterns_do():
    """Each shortcut skips a pattern only where the pattern could not have matched."""
    import re

    from extractors.metadata import _as_written
    from pipeline.normalise.money import UNIT_PATTERN, find_money, might_name_unit
    from pipeline.normalise.text import _SPACE, clean, collapse

    for text in ["Budget (£000)", "in THOUSANDS", "Costs in milLions", "000s", "Service area", "thouſands", "2024/25"]:
        assert might_name_unit(text) or not UNIT_PATTERN.search(text)
    for text in ["a  b", "a\tb", "a\u2009b ", " a b ", "a\xa0b", "plain words"]:
        assert collapse(text) == _SPACE.sub(" ", text.replace("\xa0", " ")).strip()
    assert clean("Contents . . . . .") == "Contents" and clean("* **Waste**  services") == "Waste services"
    assert find_money("no amounts here") == [] and find_money("half a million pounds")[0].amount == 500_000
    assert _as_written("WASTE SERVICES", "the Waste Services team") == "Waste Services"
    assert _as_written("CAFÉ", "our Café") == re.search("CAFÉ", "our Café", re.I).group()


def test_gates_before_block_patterns_let_through_what_the_patterns_match():
    from extractors.services import _UNITS_LEAD_IN, _ends_in_lead_word
    from pipeline.normalise.dates import find_dates
    from pipeline.normalise.text import may_hold_any
    from pipeline.normalise.years import find_years

    assert find_dates("by the end of March") == [] and find_dates("by March 2025")[0].value == "2025-03"
    assert find_years("next year") == [] and find_years("in 2024/25")[0].value == "2024-25"
    for text in ["Our services are as follows :-", "The units include", "Two teams are", "Specific units are listed below:"]:
        assert _UNITS_LEAD_IN.search(text) and _ends_in_lead_word(text)
    assert not _ends_in_lead_word("The plan sets out our aims.")
    assert may_hold_any("Three SERVICES -", ("services",)) and not may_hold_any("no such word", ("teams",))
    assert not may_hold_any("Équipes", ("teams",))  # beyond ASCII too, where lower folds as re.I does
    assert may_hold_any("Team\u017f", ("teams",))  # a long s is an s to re.I: not ruled out


def test_short_text_cache_keeps_short_texts_only_and_empties_when_full():
    from pipeline.normalise.memo import SHORT_TEXT, short_text_cache

    calls = []

    @short_text_cache(maxsize=2)
    def upper(text: str) -> str:
        calls.append(text)
        return text.upper()

    long = "x" * (SHORT_TEXT + 1)
    assert [upper(t) for t in ["a", "a", long, long, "b", "c", "a"]] == ["A", "A", long.upper(), long.upper(), "B", "C", "A"]
    assert calls == ["a", long, long, "b", "c", "a"]  # "a" kept once; the long text never; full at "c", so "a" again


def test_whole_text_searches_tried_only_where_a_match_can_start():
    """``_first_match_at`` is ``search`` when every match starts at one of the given places."""
    from extractors.services import _first_match_at, _line_starts, _occurrences
    from pipeline.nlp import PERSON_ROLE_PATTERNS
    from pipeline.normalise.dates import search_date

    text = "TheThe Director is Bob Ray.\nx\nAmanda Honey\nManaging Director\nThe Director of Care is Jane Doe."
    said, signed = PERSON_ROLE_PATTERNS[1], PERSON_ROLE_PATTERNS[3]
    assert _first_match_at(said, text, _occurrences(text, "The ")).span() == said.search(text).span()
    assert _first_match_at(signed, text, _line_starts(text)).span() == signed.search(text).span()
    assert search_date("by the end of March") is None and search_date("by March 2025").group() == "March 2025"


def test_the_date_precheck_never_hides_a_date_the_pattern_finds():
    """``may_hold_date`` rules a text out before ``DATE_PATTERN`` is tried at every word: it must never rule out a match."""
    from pipeline.normalise.dates import DATE_PATTERN, may_hold_date, search_date

    texts = ["by 31st May 2019", "Sept. 2020", "in Q3", "q4 returns", "on 12/05/19", "DECEMBER 2024", "ſep 2020",
             "in 2024 and 2025", "5 working days", "quality 2023"]
    for text in texts:
        m, expected = search_date(text), DATE_PATTERN.search(text)
        assert (m and m.span()) == (expected and expected.span()), text
        assert may_hold_date(text) or expected is None
    assert not may_hold_date("in 2024 and 2025") and not may_hold_date("quality 2023")
