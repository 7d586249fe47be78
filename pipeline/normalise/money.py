"""Money: prose amounts (``£39.147 million``), table cells under a unit (``(8,045)`` in £000)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Optional

from pipeline.normalise.memo import short_text_cache
from pipeline.normalise.text import folds_like_ascii

# the scale a table or column declares: £000, £'000, (£,000), £ 000, £k, £m, £ millions; case-blind.
# As written it would be tried at every character (its branches open with "\(?" and "\b", and re.I rules out a
# scan for first characters); UNIT_PATTERN is the same pattern opened with the set of characters a match can
# start with (what re.I folds to "i" included), the branch for each first character picked by a look-behind,
# so the engine skips in C to a "(", "£", "0" or "i" (tests/test_speed_x3_prechecks.py compares the two)
_UNIT_PLAIN = (r"\(?£\s*['’`,]?\s*000'?s?\)?|\(?£\s*(?:k|m|bn|millions?|thousands?)\)?(?![\w])|\(?\b000s\)?"
               r"|\bin thousands\b|\bin millions\b")
_I = "[iI\u0130\u0131]"  # what re.I reads as "i": i, I, dotted capital I, dotless i
UNIT_PATTERN = re.compile(
    rf"[(£0{_I[1:-1]}](?:"
    r"(?<=\()(?i:£\s*['’`,]?\s*000'?s?\)?)|(?<=\()(?i:£\s*(?:k|m|bn|millions?|thousands?)\)?(?![\w]))|(?<=\()(?i:000s\)?)"
    r"|(?<=£)(?i:\s*['’`,]?\s*000'?s?\)?)|(?<=£)(?i:\s*(?:k|m|bn|millions?|thousands?)\)?(?![\w]))"
    r"|(?<=0)(?<!\w0)(?i:00s\)?)"
    rf"|(?<={_I})(?<!\w{_I})(?i:n thousands\b)|(?<={_I})(?<!\w{_I})(?i:n millions\b))"
)
# every UNIT_PATTERN match holds "£", "000" or one of these words (same flags, so the same case folding)
_UNIT_WORDS = re.compile(r"thousands|millions", re.I)


def might_name_unit(text: str) -> bool:
    """False only when ``UNIT_PATTERN`` cannot match ``text``: a check of a few substrings before trying
    the pattern's branches at every character of every line."""
    if "£" in text or "000" in text:
        return True
    if folds_like_ascii(text):  # ``lower`` folds the words as ``re.I`` does
        low = text.lower()
        return "thousands" in low or "millions" in low
    return _UNIT_WORDS.search(text) is not None


_SCALE_WORDS = {
    "k": 1_000, "thousand": 1_000, "thousands": 1_000, "000": 1_000, "000s": 1_000,
    "m": 1_000_000, "million": 1_000_000, "millions": 1_000_000, "mn": 1_000_000,
    "bn": 1_000_000_000, "billion": 1_000_000_000,
}
MONEY_PATTERN = re.compile(
    r"(?P<open>\()?(?P<neg>[-–−])?£\s?(?P<neg2>[-–−])?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>million|mn|m|bn|billion|k|thousand)\b)?(?P<close>\))?",
    re.I,
)
_CELL = re.compile(r"^\s*(?P<open>\()?\s*(?P<neg>[-–−])?\s*£?\s*(?P<neg2>[-–−])?\s*(?P<num>\d[\d,]*(?:\.\d+)?|\.\d+)\s*(?P<close>\))?\s*$")


@dataclass(frozen=True)
class Money:
    amount: float
    as_written: str
    start: int = 0
    end: int = 0


def unit_scale(token: Optional[str]) -> int:
    """Multiplier a unit token stands for: ``£000`` → 1000, ``£m`` → 1e6, none → 1."""
    if not token:
        return 1
    low = token.lower()
    if "000" in low or "thousand" in low or re.search(r"£\s*k\b", low):
        return 1_000
    if re.search(r"£\s*(m|millions?)\b|in millions", low):
        return 1_000_000
    if "bn" in low:
        return 1_000_000_000
    return 1


def _number(text: str) -> Optional[Decimal]:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


_WORD_VALUES = {"half a": 0.5, "a quarter of a": 0.25, "three quarters of a": 0.75, "a": 1, "one": 1, "two": 2,
                "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                "twenty": 20, "fifty": 50, "a hundred": 100, "one hundred": 100}
WORD_MONEY = re.compile(
    r"\b(?P<num>\d+(?:\.\d+)?|" + "|".join(sorted((re.escape(k) for k in _WORD_VALUES), key=len, reverse=True)) + r")"
    r"\s+(?P<scale>million|billion|thousand)\s+pounds\b|\b(?P<num2>\d{1,3}(?:,\d{3})+|\d+)\s+pounds\b",
    re.I,
)


def _word_money(text: str) -> list[Money]:
    """Amounts written in words: ``half a million pounds``, ``two million pounds``, ``250,000 pounds``."""
    out = []
    for m in WORD_MONEY.finditer(text):
        if m.group("num2"):
            amount = float(m.group("num2").replace(",", ""))
        else:
            num = m.group("num").lower()
            value = _WORD_VALUES.get(num) if num in _WORD_VALUES else float(num)
            amount = value * _SCALE_WORDS[m.group("scale").lower()]
        out.append(Money(amount, m.group(0), m.start(), m.end()))
    return out


def find_money(text: str) -> list[Money]:
    """Every £ amount in prose, scaled and signed as printed; amounts in words (``half a million pounds``) too.

    Several extractors ask about the same blocks and cells, so short texts are answered once.
    """
    return list(_money_in(text))


@short_text_cache()
def _money_in(text: str) -> tuple[Money, ...]:
    in_words = "pounds" in text.lower()
    if not in_words and "£" not in text:
        return ()  # every amount holds one or the other: no scan at all
    out = _word_money(text) if in_words else []
    for m in MONEY_PATTERN.finditer(text):
        value = _number(m.group("num"))
        if value is None:
            continue
        scale = _SCALE_WORDS.get((m.group("scale") or "").lower(), 1)
        # in prose "(£30,000)" is an aside, not a negative; brackets mean minus only in tables
        negative = bool(m.group("neg") or m.group("neg2"))
        start = m.start("neg") if m.group("neg") else text.index("£", m.start())
        end = m.end("scale") if m.group("scale") else m.end("num")
        amount = float(value * scale) * (-1 if negative else 1)
        out.append(Money(amount, text[start:end].strip(), start, end))
    return tuple(sorted(out, key=lambda m: m.start))


def parse_cell_amount(text: str, scale: int = 1) -> Optional[Money]:
    """A number standing alone in a table cell: ``3,662``, ``(8,045)``, ``-1,372``, ``0.9``."""
    m = _CELL.match(text)
    if not m or bool(m.group("open")) != bool(m.group("close")):
        return None
    value = _number(m.group("num"))
    if value is None:
        return None
    negative = bool(m.group("neg") or m.group("neg2") or m.group("open"))
    amount = float(value * scale) * (-1 if negative else 1)
    return Money(amount, text.strip(), 0, len(text))
