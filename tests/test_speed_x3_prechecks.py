"""Pre-checks that read text beyond ASCII with ``lower`` (``folds_like_ascii``) must never rule out a match.

Each check is compared with the pattern it guards, on look-alike texts holding the
characters that fold into ASCII under ``re.I`` (where the check must not skip).
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
