"""Dates → ISO prefixes: ``May 2024`` → ``2024-05``, ``31st May 2019`` → ``2019-05-31``, ``Q1`` → ``2019-20-Q1``."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from pipeline.normalise.memo import SHORT_TEXT
from pipeline.normalise.text import has_digit, may_hold_any

MONTHS = {
    m: i for i, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1)
    for m in names
}
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
DATE_PATTERN = re.compile(
    rf"\b(?:(?P<day>\d{{1,2}})\s?(?:st|nd|rd|th)?\s+)?(?P<month>{_MONTH})\.?,?\s+(?P<year>(?:19|20)\d{{2}})\b"
    rf"|\b(?P<q>Q[1-4])\b"
    rf"|\b(?P<d2>\d{{1,2}})/(?P<m2>\d{{1,2}})/(?P<y2>(?:19|20)?\d{{2}})\b",
    re.I,
)
_DIGIT = re.compile(r"\d")
# what every DATE_PATTERN match holds, lower case: a month's first three letters, "q1".."q4" or a slash
_DATE_STEMS = (*sorted({m[:3] for m in MONTHS}), "q1", "q2", "q3", "q4", "/")
_BARE_YEAR = re.compile(r"\b(?:in|by|during|until|from)\s+(?P<year>(?:19|20)\d{2})\b(?![/\-–]\d)", re.I)


@dataclass(frozen=True)
class DateMention:
    value: str
    start: int
    end: int


def find_dates(text: str, plan_year: Optional[str] = None, bare_years: bool = False) -> list[DateMention]:
    """Dates in text as ISO prefixes.  ``Qn`` needs the plan's financial year to mean anything."""
    out = []
    if not has_digit(text):
        return out  # every date here, a bare year too, is written with digits: the patterns need not try every word
    for m in (DATE_PATTERN.finditer(text) if may_hold_date(text) else ()):
        if m.group("month"):
            month = MONTHS[m.group("month").lower().rstrip(".")[:3] if m.group("month").lower()[:4] != "sept" else "sep"]
            value = f"{m.group('year')}-{month:02d}"
            if m.group("day") and 1 <= int(m.group("day")) <= 31:
                value += f"-{int(m.group('day')):02d}"
        elif m.group("q"):
            if not plan_year:
                continue
            value = f"{plan_year}-{m.group('q').upper()}"
        else:
            day, month, year = int(m.group("d2")), int(m.group("m2")), m.group("y2")
            if not (1 <= day <= 31 and 1 <= month <= 12):
                continue
            year = year if len(year) == 4 else f"20{year}"
            value = f"{year}-{month:02d}-{day:02d}"
        out.append(DateMention(value, m.start(), m.end()))
    if bare_years:
        taken = [(d.start, d.end) for d in out]
        for m in _BARE_YEAR.finditer(text):
            if not any(s <= m.start("year") < e for s, e in taken):
                out.append(DateMention(m.group("year"), m.start("year"), m.end("year")))
        out.sort(key=lambda d: d.start)
    return out


def may_hold_date(text: str) -> bool:
    """False only when ``DATE_PATTERN`` cannot match: a few substring checks before a pattern tried at every word."""
    return may_hold_any(text, _DATE_STEMS)


def search_date(text: str) -> Optional[re.Match]:
    """``DATE_PATTERN.search``, without trying it on a text with no digit, or no month, quarter or slash (every date has both)."""
    return DATE_PATTERN.search(text) if has_digit(text) and may_hold_date(text) else None


def parse_date(text: str, plan_year: Optional[str] = None) -> Optional[str]:
    """The first date in ``text`` (``None`` where none is given).

    Remembered for short texts (a due-date cell, an objective), with the plan year they were read under.
    """
    text = text or ""
    if len(text) > SHORT_TEXT:
        return _first_date(text, plan_year)
    key = (text, plan_year)
    value = _PARSED.get(key, _MISSING)
    if value is _MISSING:
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        value = _PARSED[key] = _first_date(text, plan_year)
    return value


_PARSED: dict[tuple[str, Optional[str]], Optional[str]] = {}
_PARSED_MAX = 1 << 15
_MISSING = object()


def _first_date(text: str, plan_year: Optional[str]) -> Optional[str]:
    found = find_dates(text, plan_year, bare_years=True)
    return found[0].value if found else None
