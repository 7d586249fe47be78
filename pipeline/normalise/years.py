"""Financial years: every way councils write them → ``YYYY-YY`` (or a span ``2008-10``)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Optional

from pipeline.normalise.text import has_digit

_FULL = r"(?:19|20)\d{2}"
_DIGIT = re.compile(r"\d")
FY_PATTERN = re.compile(
    rf"(?:\bFY\s?|\b)(?P<a>{_FULL})\s*(?:[/\-–]|\bto\b)\s*(?P<b>{_FULL}|\d{{2}})(?![\d/\-])"
    rf"|(?:\bFY\s?|\b)(?P<c>\d{{2}})\s?/\s?(?P<d>\d{{2}})\b(?!/)",
    re.I,
)


@dataclass(frozen=True)
class FinancialYear:
    value: str
    start: int
    end: int


def _format(first: int, last: int) -> Optional[str]:
    if not 0 < last - first <= 10:
        return None
    return f"{first}-{last % 100:02d}"


def _from_match(m: re.Match) -> Optional[str]:
    if m.group("a"):
        first = int(m.group("a"))
        b = m.group("b")
        last = int(b) if len(b) == 4 else (first // 100) * 100 + int(b)
        if len(b) == 2 and last < first:
            last += 100
        return _format(first, last)
    c, d = int(m.group("c")), int(m.group("d"))
    if d != (c + 1) % 100:  # 12/05 is a date, 12/13 a year
        return None
    first = 2000 + c if c < 70 else 1900 + c
    return _format(first, first + 1)


# what every FY_PATTERN match holds within five characters of its start: two digits, then a separator
# ("2012/13": "12/"; "FY 12-13": "12-"); a character-set pattern, scanned in C, finds it first
_YEARISH = re.compile(r"\d\d\s*(?:[/\-–]|to)", re.I)
_YEARISH_REACH = 5  # "FY " and two digits of the year before it


def _fy_matches(text: str) -> Iterator[re.Match]:
    """``FY_PATTERN.finditer(text)``, each search started where a year can begin at the earliest.

    A match holds a ``_YEARISH`` stretch at most ``_YEARISH_REACH`` characters after its
    start, so none starts before the first such stretch minus that reach; the pattern
    (which opens with ``\\b`` and is tried at every character) skips the prose between years.
    """
    pos = 0
    while True:
        near = _YEARISH.search(text, pos)
        if near is None:
            return
        m = FY_PATTERN.search(text, max(pos, near.start() - _YEARISH_REACH))
        if m is None:
            return
        yield m
        pos = m.end()


def has_financial_year(text: str) -> bool:
    """Whether ``FY_PATTERN.search(text)`` finds one, searched from the first year-like stretch (``_fy_matches``)."""
    return next(_fy_matches(text), None) is not None


_SPAN_JOIN = re.compile(r"\s*(?:to|[-–—]|until|through)\s*$", re.I)


def find_years(text: str) -> list[FinancialYear]:
    """Financial-year expressions in text, in order; ``2012-13 to 2014-15`` is one span, ``2012-15``."""
    out: list[FinancialYear] = []
    if not has_digit(text):
        return out  # every year is written with digits
    for m in _fy_matches(text):
        if _looks_like_date(text, m):
            continue
        value = _from_match(m)
        if not value:
            continue
        prev = out[-1] if out else None
        if prev is not None and _SPAN_JOIN.fullmatch(text[prev.end:m.start()]) and first_year(value) > first_year(prev.value):
            out[-1] = FinancialYear(_format(first_year(prev.value), int(value[:2] + value[-2:]) if len(value) == 7 else first_year(value) + 1) or prev.value, prev.start, m.end())
            continue
        out.append(FinancialYear(value, m.start(), m.end()))
    return out


_DATE_AFTER = re.compile(r"^[-/]\d")
_DATE_BEFORE = re.compile(r"\d[-/]$")


def _looks_like_date(text: str, m: re.Match) -> bool:
    # 2019-05-31 or 31/05/19: a third numeric part means a date
    before, after = text[max(0, m.start() - 3): m.start()], text[m.end(): m.end() + 3]
    return bool(_DATE_AFTER.match(after) or _DATE_BEFORE.search(before))


def parse_financial_year(text: str) -> Optional[str]:
    """The first financial year written in ``text``, normalised; ``None`` if there is none."""
    found = find_years(text or "")
    return found[0].value if found else None


def first_year(fy: str) -> int:
    return int(fy[:4])


def fy_starting(year: int) -> str:
    """The financial year that starts in April of ``year``: 2023 → ``2023-24``."""
    return f"{year}-{(year + 1) % 100:02d}"


def year_of(fy: Optional[str], offset: int) -> Optional[str]:
    """The financial year ``offset`` years after ``fy``."""
    if not fy:
        return None
    return fy_starting(first_year(fy) + offset)
