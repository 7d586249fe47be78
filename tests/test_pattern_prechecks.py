"""Pre-checks in front of the extractors' and cell parsers' patterns must never rule out a match.

Each check is compared with the pattern it guards: on the corpus, on look-alike
texts holding the characters that fold into ASCII under ``re.I`` (where a check
that reads text with ``lower`` must not skip), and, for the hand-written stem
and first-character lists, against the words read off the pattern itself.
"""
import re
import sys

import pytest

SPECIAL = "\u0130\u0131\u017f\u212a"  # İ ı ſ K


def test_only_the_listed_characters_fold_into_ascii():
    """Every code point outside ASCII but the listed ones: no ASCII character matches it under ``re.I``,
    its ``lower`` holds no ASCII; whitespace and dashes lower to themselves."""
    from pipeline.normalise.text import _FOLDS_INTO_ASCII

    assert "".join(sorted(_FOLDS_INTO_ASCII.pattern.strip("[]"))) == "".join(sorted(SPECIAL))
    rest = "".join(chr(c) for c in range(128, sys.maxunicode + 1) if chr(c) not in SPECIAL)
    assert not [p for p in map(chr, range(128)) if re.compile(re.escape(p), re.I).search(rest)]
    assert not [c for c in rest if any(x.isascii() for x in c.lower())]
    assert all(c.lower() == c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
    assert all(c.lower() == c for c in "-–—:(,")
    for c in SPECIAL:  # each does fold into ASCII: text holding one is not ruled out
        assert any(re.fullmatch(re.escape(p), c, re.I) for p in map(chr, range(128))) or any(x.isascii() for x in c.lower())


LOOK_ALIKES = [
    "Two SERVICES – Housing and Planning", "Équipes: the two Teams – A and B", "the \u017fervices: x", "UN\u0130TS: a",
    "two \u212aey teams, A and B", "£5m of savings", "the saving\u017f of £1m", "café staff 12", "12 FTE\u017f", "naïve",
    "Fees and Charges – 2024", "THOUSANDS", "in thou\u017fands", "£ millions", "no such words here – at all",
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_may_hold_keeps_every_case_blind_match(text):
    from pipeline.normalise.text import may_hold_any

    for words in [("services",), ("teams", "units"), ("saving", "fees and charges"), ("staff", "fte"), ("thousands",)]:
        if any(re.search(re.escape(w), text, re.I) for w in words):
            assert may_hold_any(text, words)
    assert not may_hold_any("Équipes – 2024", ("teams",))  # beyond ASCII a text is ruled out too
    assert may_hold_any("TEAM\u017f", ("teams",))


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_counted_word_check_keeps_every_count(text):
    from extractors.services import _COUNTED, _counted_word_before_list

    if _COUNTED.search(text) or re.search(r"(?:services|teams|units|sections)\s*[-–—:(,]", text, re.I):
        assert _counted_word_before_list(text)


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_unit_check_keeps_every_unit(text):
    from pipeline.normalise.money import UNIT_PATTERN, might_name_unit

    if UNIT_PATTERN.search(text):
        assert might_name_unit(text)
    assert might_name_unit("in thou\u017fands") and not might_name_unit("Équipes – 2024")


MENTION_TEXTS = [
    "The Housing Service and the Youth Offending Team work with the steam team. Planning Unit", "Sections: a, b",
    "Corporate Services,Finance Team;Legal Services (Democratic Services)", "the ICT service\tteam Unit\nOffice",
    "Waste  Services  Directorate Management Team", "Environmental\u00a0Services", "Dept of Works Dept. Parks Dept",
]


@pytest.mark.parametrize("text", MENTION_TEXTS)
def test_mentions_found_as_the_pattern_finds_them(text):
    from extractors.services import _MENTION, _mention_matches

    assert [m.span() for m in _mention_matches(text)] == [m.span() for m in _MENTION.finditer(text)]


def test_mentions_found_as_the_pattern_finds_them_in_the_corpus():
    from pathlib import Path

    from extractors.services import _MENTION, _mention_matches
    from pipeline.readers import read_document

    for path in sorted(Path(__file__).parent.parent.joinpath("corpus", "text").glob("*.txt")):
        for block in read_document(path, path.read_bytes()).blocks:
            assert [m.span() for m in _mention_matches(block.text)] == [m.span() for m in _MENTION.finditer(block.text)]


LABELS = ["Education (2)", "Defences[1]", "Theatre*", "(2)", "Theatre *** \n", "Parks 2", "Parks2", "parks2 ", "Roads x2\n",
          "Item [12]\n\n", "-  ", " - ", "Total", "Net cost ", "£000", "Fees (£)", "Staff\u00a0(3)\u00a0", "abc\u0663", "a*b", ""]


@pytest.mark.parametrize("label", LABELS)
def test_a_footnote_is_stripped_as_the_pattern_strips_it(label):
    from pipeline.normalise.cells import FOOTNOTE, strip_footnote

    plain = FOOTNOTE.sub("", label).rstrip()
    assert strip_footnote.__wrapped__(label) == (plain if plain.strip(" -–") else label)


MARKED = ["• Item", "  - item", "1. First", "(a) second", "a) third", "(iv) fourth", "12) x", "•• • double", "-no space",
          "Text • inline", "** bold", "- ", "no marker", "", "x\n1. later", "\u2003• wide space"]


@pytest.mark.parametrize("text", MARKED)
def test_a_list_marker_is_stripped_as_the_pattern_strips_it(text):
    from pipeline.normalise.text import LIST_MARKER, _without_list_marker

    assert _without_list_marker(text) == LIST_MARKER.sub("", text, count=1)


UNIT_NAMES = ["Local Tax Shared Service", "Community Safety Team", "Housing * Also reviewed by Finance", "Planning ALSO REVIEWED BY x",
              "ICT Unit", "Legal SECTION", "Parks Division ", "Shared Services", "Sharedservice Team", "Teamwork", "Unit 4",
              "Waste Shared Management Board", "Revenues Shared", "Planning", "Estates – Team", "Café Team", "Éq\u212aipe unit"]


@pytest.mark.parametrize("name", UNIT_NAMES)
def test_a_unit_suffix_is_stripped_as_the_patterns_strip_it(name):
    from extractors.context import _REVIEWED_BY, _SHARED, _TEAM_WORD, strip_unit_suffix
    from pipeline.normalise.text import clean

    plain = _TEAM_WORD.sub("", _SHARED.sub("", _REVIEWED_BY.sub("", clean(name)))).strip(" *-–:")
    assert strip_unit_suffix.__wrapped__(name) == plain


CELLS = ["", " ", "-", "–", "—", "−", "--", "nil", "NIL", "None", "n/a", "N/A", "na", "...", ". .", "£000", "£'000", "(£000)", "£k",
         "£m", "£ millions", "000s", "in thousands", "IN MILLIONS", "%", "£", "££", "£000 %", "2019/20", "2019-2020", "FY 2019/20",
         "2019", "1999", "3000", "1,234", "(1,234)", "-1,234", "1,234 Cr", "-£13,400,133", "£9.5m", "12.5%", "0.9", ".5", "12 [1]",
         "5**", "Green", "amber", "R", "r/a", "A/G", "On Track", "off track", "not met", "Met", "achieved", "Not Achieved",
         "Housing", "Net cost", "\u00a0\u00a0", "n", "m", "g", "Total 2019", "twelve", "no", "on", "12 months", "\u0663\u0664",
         "in thou\u017fands", "\u212a", "£\u212a", "(£\u212a)", "2019/20 £000", "Gross\u00a0£000"]


def _classify_plainly(text):
    from pipeline.normalise.cells import _BARE_YEAR, _NIL, _RAG, _UNITS_ONLY, FY_PATTERN, CellValue, parse_number

    stripped = text.replace("\xa0", " ").strip()
    if not stripped:
        return CellValue("empty")
    if _NIL.match(stripped):
        return CellValue("nil")
    if _UNITS_ONLY.match(stripped):
        return CellValue("unit")
    if FY_PATTERN.fullmatch(stripped) or _BARE_YEAR.fullmatch(stripped):
        return CellValue("year")
    number = parse_number(stripped)
    if number is not None:
        return number
    if _RAG.match(stripped):
        return CellValue("rag")
    return CellValue("text")


@pytest.mark.parametrize("text", CELLS)
def test_a_cell_is_classified_as_the_patterns_classify_it(text):
    from pipeline.normalise.cells import classify

    assert classify.__wrapped__(text) == _classify_plainly(text)


def test_corpus_cells_are_classified_as_the_patterns_classify_them():
    from pathlib import Path

    from pipeline.normalise.cells import classify
    from pipeline.readers import read_document

    for path in sorted(Path(__file__).parent.parent.joinpath("corpus", "text").glob("*.txt")):
        for block in read_document(path, path.read_bytes()).blocks:
            for row in (block.table.rows if block.table is not None else []):
                for cell in row:
                    for text in (cell.text, cell.clean):
                        assert classify.__wrapped__(text) == _classify_plainly(text)


def _unit_texts():
    """Corpus lines and cells, and random strings over the characters the unit pattern reads."""
    import random
    from pathlib import Path

    from pipeline.readers import read_document

    out = []
    for path in sorted(Path(__file__).parent.parent.joinpath("corpus", "text").glob("*.txt")):
        doc = read_document(path, path.read_bytes())
        out += doc.text.splitlines()
        out += [c.text for b in doc.blocks if b.table is not None for r in b.table.rows for c in r]
    rng = random.Random(11)
    alphabet = ["(", ")", "£", "0", "00", "000", "i", "I", "\u0130", "\u0131", "n", "N", " ", "  ", "\n", "'", "’", "`", ",",
                "s", "S", "\u017f", "k", "K", "\u212a", "m", "M", "bn", "BN", "million", "MILLION", "thousand", "Thou",
                "in thousands", "in millions", "x", "_", "9", "é", "-"]
    out += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(20000)]
    return out


def test_the_unit_pattern_finds_what_its_plain_form_finds():
    from pipeline.normalise.money import _UNIT_PLAIN, UNIT_PATTERN

    plain = re.compile(_UNIT_PLAIN, re.I)
    # as the readers and the cell grammar embed it (compiled case-blind, with more after it)
    embeds = [(re.compile(rf"{UNIT_PATTERN.pattern}|£(?=£|\s|$)", re.I), re.compile(rf"{_UNIT_PLAIN}|£(?=£|\s|$)", re.I)),
              (re.compile(rf"^\s*(?:(?:{UNIT_PATTERN.pattern})|£+|%)(?:\s+(?:(?:{UNIT_PATTERN.pattern})|£+|%))*\s*$", re.I),
               re.compile(rf"^\s*(?:(?:{_UNIT_PLAIN})|£+|%)(?:\s+(?:(?:{_UNIT_PLAIN})|£+|%))*\s*$", re.I))]
    for text in _unit_texts():
        assert [(m.span(), m.group()) for m in UNIT_PATTERN.finditer(text)] == [(m.span(), m.group()) for m in plain.finditer(text)], text
        for fast, slow in embeds:
            assert [m.span() for m in fast.finditer(text)] == [m.span() for m in slow.finditer(text)], text


def _corpus_texts():
    from pathlib import Path

    from pipeline.readers import read_document

    out = []
    for path in sorted(Path(__file__).parent.parent.joinpath("corpus", "text").glob("*.txt")):
        doc = read_document(path, path.read_bytes())
        out += [b.text for b in doc.blocks] + [b.clean for b in doc.blocks]
        out += [c.text for b in doc.blocks if b.table is not None for r in b.table.rows for c in r]
    return out


LOOK_ALIKE_PROSE = [
    "by 2025", "Standby in the bin", "in", "within", "xin", "Tintin during", "until_x until", "before.", "2by", "é by",
    "End. Next", "End.  Next", "a  b", "x.\tY", "no break", "!\n\n", "?", " ", "  ", ".",
    "by March 2025 and April 2026", "XMarch 2025", "_May 2020", "May 20201", "June  1999", "éJuly 2010", "December\n2019",
    "1. Increase the pace", "11. Improve x", "111. Improve x", "1.1. Improve x", "a1. Improve x", "/1. Improve x",
    "\u0661. Improve x", "x 2. Make sure", "12.Make x",
    "The service will:", "our aims are", "AIMS", "Priorities", "the areas not on target are:", "areas of work:", "nothing",
    "Risk", "risks", "arisk", "RISKS and issues", "Targets", "KPI", "We Will", "Service Levels", "aim", "claim",
    "Head of Housing: Jane Smith", "Planning – John Doe (Service Manager)", "Housing Jane Smith", "Revenues - Service Manager: Ann Lee",
]
TEXTS_TO_COMPARE = LOOK_ALIKE_PROSE


@pytest.fixture(scope="module")
def prose():
    return LOOK_ALIKE_PROSE + _corpus_texts()


def test_objective_patterns_find_what_their_plain_forms_find(prose):
    from extractors import objectives as O

    plain = {
        O._DUE_WORD: re.compile(r"\b(by|in|before|until|during)\b"),
        O._SENTENCE_BREAK: re.compile(r"(?<=[.!?])\s+|\s{2,}"),
        O._MONTH_YEAR: re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)"
                                  r"\s+(?:19|20)\d{2}\b"),
        O._INLINE_NUMBER: re.compile(r"(?<![\d.,/])(?P<ref>\d{1,2})\.\s+(?=[A-Z][a-z]+\s)"),
    }
    for text in prose:
        for fast, slow in plain.items():
            assert [(m.span(), m.groups()) for m in fast.finditer(text)] == [(m.span(), m.groups()) for m in slow.finditer(text)]


def test_word_checks_answer_as_their_patterns(prose):
    from extractors.objectives import LEAD_IN_CUE, _lead_in_cue
    from extractors.risks import _RISK_WORD, _about_risks
    from extractors.targets import _TARGET_CONTEXT, _target_context

    for text in prose + [t + "\u017f" for t in LOOK_ALIKE_PROSE]:
        assert _lead_in_cue(text) == bool(LEAD_IN_CUE.search(text))
        assert _about_risks(text) == bool(_RISK_WORD.search(text))
        assert _target_context.__wrapped__(text) == bool(_TARGET_CONTEXT.search(text))


def test_lead_in_stems_are_each_entry_s_fixed_start():
    from extractors.vocabulary import literal_stems, regex_alternation

    stems = literal_stems("objective_words", "lead_in")
    assert {"will", "aim", "priorit", "commit", "target", "area", "areas of ", "do this by"} <= set(stems)
    for word in ["will", "aims", "priorities", "commitments", "targets are", "areas behind target", "do this by"]:
        assert re.fullmatch(regex_alternation("objective_words", "lead_in"), word) and any(s in word for s in stems)


def test_lead_lines_need_a_separator(prose):
    from extractors.context import _LEAD_LINES, lead_from_clean
    from pipeline.normalise.text import clean

    for text in prose:
        text = clean(text)
        if any(p.match(text) for p in _LEAD_LINES) and len(text.split()) <= 14:
            assert any(c in text for c in ":–—-")
        if not any(c in text for c in ":–—-"):
            assert lead_from_clean.__wrapped__(text) is None


@pytest.mark.parametrize("text", MARKED + ["A) upper", "\u0661. arabic-indic", "\u00a0• nbsp", "x", "é item"])
def test_a_list_marker_first_character_check_keeps_every_marker(text):
    from pipeline.normalise.text import LIST_MARKER, _without_list_marker

    assert _without_list_marker(text) == LIST_MARKER.sub("", text, count=1)


def test_footnotes_blocked_spans_and_heading_units_answer_as_the_plain_patterns(prose):
    from extractors.context import FY_PATTERN, GENERIC_HEADING, PLAN_WORDS, unit_from_heading
    from pipeline.normalise import targets
    from pipeline.normalise.cells import FOOTNOTE, strip_footnote
    from pipeline.normalise.text import clean

    def plain_unit(text):
        name = clean(text)
        name = FY_PATTERN.sub("", name)
        name = re.sub(r"\b(?:19|20)\d{2}\b", "", name)
        name = PLAN_WORDS.sub(" ", name)
        name = re.sub(r"\s+", " ", name).strip(" :-–,")
        return None if not name or GENERIC_HEADING.search(name) or len(name.split()) > 8 else name

    for text in prose + LABELS + ["Housing 2012/13", "FY 12/13 Parks", "Parks 2019", "Roads x2", "Roads X2", "abc2 "]:
        plain = FOOTNOTE.sub("", text).rstrip()
        assert strip_footnote.__wrapped__(text) == (plain if plain.strip(" -–") else text)
        assert unit_from_heading.__wrapped__(text) == plain_unit(text)
        assert [(m.start(), m.end()) for m in targets._fy_matches(text)] == [m.span() for m in FY_PATTERN.finditer(text)]


def test_whole_word_counts_and_measures_answer_as_the_patterns(prose):
    from extractors.budgets import _MEASURE_RES, measure_from
    from extractors.services import _count_whole

    def plain_measure(text):
        best = None
        for measure, pattern in _MEASURE_RES:
            for m in pattern.finditer(text):
                if best is None or m.end() > best[1]:
                    best = (measure, m.end())
        return best[0] if best else None

    doc = "\n".join(prose[:400])
    names = ["Policy", "a a", "(x)", "Strategic Policy", "Housing", "x", "_", "Ş", ""] + [t[:12] for t in prose[:200]]
    for name in names:
        for text in (doc, "Policy policy Policy_x Policy. xPolicy Policy", "a a a a", "(x)(x) y(x)", ""):
            assert _count_whole(name, text) == len(re.findall(rf"\b{re.escape(name)}\b", text)), name
    extra = ["the gross budget", "GROSS", "staff costs of", "Salaries", "Employee costs", "Fees and Charges", "net spend",
             "savin\u0261s", "\u017favings", "cut\u017f", "growth", "receipts", "capital", "efficiencies", "total expenditure"]
    for text in prose + extra:
        assert measure_from(text) == plain_measure(text), text


def test_lead_in_word_checks_and_digit_cells_answer_as_the_patterns(prose):
    from extractors.objectives import _EXAMPLES, _NOT_COMMITMENT, _examples, _not_commitment
    from pipeline.normalise.cells import NUMBER_CELL, CellValue, _decimal, parse_number

    extra = ["Recommendations:", "the members are asked to", "It was AGREED", "including:", "e.g. :-", "E.G.", "such as:",
             "for example", "Includes", "none here", "\u017fuch as:"]
    for text in prose + extra:
        assert _not_commitment(text) == bool(_NOT_COMMITMENT.search(text))
        assert _examples(text) == bool(_EXAMPLES.search(text))
    for text in ["0", "7", "123", "1234567", "007", "\u0661\u0662", "12a", "1 2", "", "12.5"]:
        m = NUMBER_CELL.match(text)
        if text.isdecimal():
            assert m and parse_number(text) == CellValue(kind="number", value=float(_decimal(m.group("num"))))


def test_digit_and_fold_checks_answer_as_the_patterns(prose):
    from pipeline.normalise.text import _FOLDS_INTO_ASCII, folds_like_ascii, has_digit

    extra = ["", "abc", "a1", "£\u0661", "£x", "x\u00b2", "\u212a", "£\u212a", "–\u0130", "\u0131", "\u017f 1", "\uff11"]
    for text in prose + extra:
        assert has_digit(text) == bool(re.search(r"\d", text))
        assert folds_like_ascii(text) == (text.isascii() or _FOLDS_INTO_ASCII.search(text) is None)


# ---------------------------------------------------------------- hand-written stems and first characters, read off their patterns

def literal_prefixes(items) -> set[str]:
    """The literal text each way through a parsed pattern opens with, up to its first non-literal step, lower case.

    Leading anchors and a leading run of spaces are passed over; a group or an
    alternation multiplies the ways and ends the prefix, as does anything else
    that is not a plain character.
    """
    from re import _constants as c

    out = {""}
    for op, av in items:
        if op is c.AT:
            continue
        if op in (c.MAX_REPEAT, c.MIN_REPEAT) and out == {""} and list(av[2]) == [(c.IN, [(c.CATEGORY, c.CATEGORY_SPACE)])]:
            continue
        if op is c.LITERAL:
            out = {p + chr(av) for p in out}
            continue
        if op is c.IN and all(o is c.LITERAL for o, _ in av):
            out = {p + chr(ch) for p in out for _, ch in av}
            continue
        if op is c.SUBPATTERN:
            inner = literal_prefixes(av[3])
        elif op is c.BRANCH:
            inner = set().union(*(literal_prefixes(b) for b in av[1]))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
            inner = literal_prefixes(av[2])
        else:
            break
        out = {p + q for p in out for q in inner}
        break
    return {p.lower() for p in out}


def pattern_prefixes(pattern: re.Pattern) -> set[str]:
    from re import _parser

    return literal_prefixes(_parser.parse(pattern.pattern, pattern.flags))


def test_literal_prefixes_reads_alternations_groups_and_leading_spaces():
    assert pattern_prefixes(re.compile(r"\b(?:targets?|we will|aims?)\b")) == {"target", "we will", "aim"}
    assert pattern_prefixes(re.compile(r"\s+(?:Team|unit)$")) == {"team", "unit"}
    assert pattern_prefixes(re.compile(r"efficienc(?:y|ies)|cuts?")) == {"efficiency", "efficiencies", "cut"}
    assert pattern_prefixes(re.compile(r"^\s*(?:[-–]+|n/?a|\.{2,})\s*$")) == {"-", "–", "n", "."}


def stems_cover(pattern: re.Pattern, stems) -> list[str]:
    """The ways through ``pattern`` whose opening text holds none of ``stems`` (a stem missing from the list)."""
    return sorted(p for p in pattern_prefixes(pattern) if not any(stem in p for stem in stems))


def test_every_hand_written_stem_list_covers_its_pattern():
    """A word added to one of these patterns without its stem would make the pre-check skip its matches."""
    from extractors.budgets import _CONTEXT_MEASURES, _CONTEXT_STEMS, _MEASURE_RES, _MEASURE_STEMS
    from extractors.context import _TEAM_WORD, _TEAM_WORDS
    from extractors.objectives import _EXAMPLES, _EXAMPLES_STEMS
    from extractors.targets import _TARGET_CONTEXT, _TARGET_STEMS

    assert stems_cover(_TARGET_CONTEXT, _TARGET_STEMS) == []
    assert stems_cover(_EXAMPLES, _EXAMPLES_STEMS) == []
    assert stems_cover(_TEAM_WORD, _TEAM_WORDS) == []
    for measure, pattern in _MEASURE_RES:
        assert stems_cover(pattern, _MEASURE_STEMS[measure]) == [], measure
        if measure in _CONTEXT_MEASURES:
            assert stems_cover(pattern, _CONTEXT_STEMS) == [], measure


def test_a_stem_list_missing_a_word_is_caught():
    assert stems_cover(re.compile(r"\b(?:targets?|goals?)\b", re.I), ("target",)) == ["goal"]


def test_cell_first_characters_cover_their_patterns():
    from pipeline.normalise.cells import _NIL, _NIL_FIRST, _RAG, _RAG_FIRST

    for pattern, first in ((_NIL, _NIL_FIRST), (_RAG, _RAG_FIRST)):
        for prefix in pattern_prefixes(pattern):
            assert prefix and {prefix[0], prefix[0].upper()} <= first, (pattern.pattern, prefix)
