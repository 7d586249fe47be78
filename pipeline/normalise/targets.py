"""Target grammar: ``Less than 18 Days`` → (<, 18, days); ``At least 80%`` → (>=, 80, percent)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from pipeline.normalise.dates import DATE_PATTERN
from pipeline.normalise.memo import short_text_cache
from pipeline.normalise.years import _fy_matches

_COMPARATORS = [
    (r"no more than|not more than|not exceed(?:ing)?|at most|a maximum of|maximum of|max(?:imum)?\.?|up to|no greater than|or less|or fewer", "<="),
    (r"at least|a minimum of|minimum of|min(?:imum)?\.?|no less than|not less than|or more|or above|or higher|or better", ">="),
    (r"less than|lower than|fewer than|below|under|reduc\w* to", "<"),
    (r"more than|greater than|higher than|above|over|exceeds?|exceeding|in excess of", ">"),
    (r"equal to|exactly|maintain(?:ed)? at", "="),
]
COMPARATOR_PATTERN = re.compile(r"\b(?:" + "|".join(f"(?P<c{i}>{p})" for i, (p, _) in enumerate(_COMPARATORS)) + r")\b", re.I)
_INFO = re.compile(r"\b(info(?:rmation)?\s+only|baseline(?:\s+only|\s+year)?|for information|monitor only|no target|not applicable|n/a|tbc)\b", re.I)
_WORD_NUMBERS = {"zero": 0, "nil": 0, "none": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12}
_NUMBER = re.compile(
    r"(?P<gbp>£\s?)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s?(?P<scale>million|m|k|bn)\b)?"
    r"(?P<pct>\s?(?:%|per\s?cent|percent))?(?:[\s-]?(?:working\s+|calendar\s+)?(?P<days>days?)\b)?"
    r"|\b(?P<word>" + "|".join(_WORD_NUMBERS) + r")\b",
    re.I,
)
_SCALES = {"million": 1e6, "m": 1e6, "k": 1e3, "bn": 1e9}


@dataclass(frozen=True)
class TargetValue:
    comparator: Optional[str]
    value: Optional[float]
    unit: Optional[str]
    info_only: bool
    start: int = 0
    end: int = 0


def _blocked_spans(text: str) -> list[tuple[int, int]]:
    """Numbers that are part of dates, years, times or codes are never targets."""
    spans = [(m.start(), m.end()) for m in DATE_PATTERN.finditer(text) if not m.group("q")]
    spans += [(m.start(), m.end()) for m in _fy_matches(text)]  # FY_PATTERN.finditer, from the first year-like stretch
    spans += [(m.start(), m.end()) for m in re.finditer(r"\b\d+\s?(?:st|nd|rd|th)\b|\b\d+/\d+\b|\bQ[1-4]\b|\b[A-Z]{1,4}\d+\b|\b(?:19|20)\d{2}\b|\b\d+\s?(?:am|pm)\b|\b\d+\s?(?:hours?|hrs?|seconds?|minutes?|weeks?|months?)\b", text, re.I)]
    return spans


def _comparator_before(text: str, pos: int, floor: int) -> Optional[str]:
    found = None
    for m in COMPARATOR_PATTERN.finditer(text, floor, pos):
        found = m
    if not found:
        return None
    # "or less" / "or more" follow the number; a comparator must be before it
    index = next(i for i in range(len(_COMPARATORS)) if found.group(f"c{i}"))
    return _COMPARATORS[index][1]


def _comparator_after(text: str, pos: int) -> Optional[str]:
    m = re.match(r"\s*(or less|or fewer|or more|or above|or higher|or better|or below)\b", text[pos:], re.I)
    if not m:
        return None
    return "<=" if m.group(1).lower() in ("or less", "or fewer", "or below") else ">="


def find_targets(text: str) -> list[TargetValue]:
    """Every numeric target in a target statement: the first one, then any with its own comparator.

    Remembered for short texts: a target cell is read by ``find_targets`` and
    ``parse_target`` both, and KPI tables repeat their cells.
    """
    return list(_targets_in(text or ""))


@short_text_cache()
def _targets_in(text: str) -> tuple[TargetValue, ...]:
    info = bool(_INFO.search(text))
    blocked = _blocked_spans(text)
    out: list[TargetValue] = []
    floor = 0
    for m in _NUMBER.finditer(text):
        if any(s <= m.start() < e for s, e in blocked):
            continue
        if m.group("word"):
            value, unit = float(_WORD_NUMBERS[m.group("word").lower()]), "number"
            if out:
                continue
        else:
            value = float(m.group("num").replace(",", ""))
            if m.group("scale"):
                value *= _SCALES[m.group("scale").lower()]
            unit = "gbp" if m.group("gbp") else "percent" if m.group("pct") else "days" if m.group("days") else "number"
        comparator = _comparator_before(text, m.start(), floor) or _comparator_after(text, m.end())
        if out and comparator is None:
            floor = m.end()
            continue
        out.append(TargetValue(comparator or "=", value, unit, info, m.start(), m.end()))
        floor = m.end()
    return tuple(out)


def parse_target(text: str) -> TargetValue:
    """The main target in a statement; comparator/value/unit are ``None`` if it has no number."""
    found = find_targets(text)
    if found:
        return found[0]
    return TargetValue(None, None, None, bool(_INFO.search(text or "")))


# ---------------------------------------------------------------- cells holding more than one figure

_FIGURES_ONLY = re.compile(r"^[\d\s.,%A-Za-z]*$")
_CELL_FIGURE = re.compile(r"(?P<num>\d[\d,]*(?:\.\d+)*)\s*(?P<unit>%|days?\b)?\s*(?P<amended>A\b)?", re.I)
GLUED_FACTOR = 50  # a figure this many times its row's others is two figures run together


@dataclass(frozen=True)
class CellFigure:
    """One of the figures in a target cell; ``amended`` marks the ``A`` (amended target) suffix."""

    value: float
    unit: str
    amended: bool
    start: int
    end: int


_DAYS = re.compile(r"(?i)days?")
_TWO_LETTERS = re.compile(r"[A-Za-z]{2,}")


def cell_figures(text: str, neighbours: tuple[float, ...] = ()) -> list[CellFigure]:
    """Every figure in a target cell, splitting figures a converter ran together.

    ``99.43%100% A`` → 99.43 and 100 (amended); ``0.270.33A`` → 0.27 and 0.33;
    ``400201.3A`` in a row of figures near 300 → 400 and 201.3.  A cell with
    words other than a unit or the ``A`` marker is not a figures cell: ``[]``.
    """
    if not text or not _FIGURES_ONLY.match(text) or _TWO_LETTERS.search(_DAYS.sub("", text)):
        return []
    out: list[CellFigure] = []
    for m in _CELL_FIGURE.finditer(text):
        unit = "percent" if m.group("unit") == "%" else "days" if m.group("unit") else "number"
        amended = bool(m.group("amended"))
        for value, s, e in _unglue(m.group("num"), m.start("num"), neighbours):
            out.append(CellFigure(value, unit, False, s, e))
        if out and amended:
            last = out[-1]
            out[-1] = CellFigure(last.value, last.unit, True, last.start, m.end())
    return out


def _unglue(num: str, offset: int, neighbours: tuple[float, ...]) -> list[tuple[float, int, int]]:
    plain = num.replace(",", "")
    if num.count(".") >= 2:
        return _split_two_decimals(num, offset)
    value = float(plain)
    typical = sorted(neighbours)[len(neighbours) // 2] if neighbours else None
    if typical and "." in num and value > GLUED_FACTOR * max(typical, 1e-9):
        best = None
        for i in range(1, num.index(".")):
            left, right = num[:i], num[i:]
            if right.startswith("0") and not right.startswith("0."):
                continue
            a, b = float(left.replace(",", "")), float(right.replace(",", ""))
            cost = abs(_log(a) - _log(typical)) + abs(_log(b) - _log(typical))
            if best is None or cost < best[0]:
                best = (cost, a, b, i)
        if best:
            _, a, b, i = best
            return [(a, offset, offset + i), (b, offset + i, offset + len(num))]
    return [(value, offset, offset + len(num))]


def _split_two_decimals(num: str, offset: int) -> list[tuple[float, int, int]]:
    """``1.11.3`` → 1.1 and 1.3; ``0.270.33`` → 0.27 and 0.33: the cut that gives both figures the same decimals."""
    first, second = num.index("."), num.index(".", num.index(".") + 1)
    options = []
    for cut in range(first + 2, second):
        left, right = num[:cut], num[cut:]
        if right.startswith("0") and not right.startswith("0."):
            continue
        decimals = (len(left) - first - 1, len(right) - (second - cut) - 1)
        options.append((abs(decimals[0] - decimals[1]), cut))
    if not options:
        return [(float(num.split(".")[0] + "." + num.split(".")[1]), offset, offset + len(num))]
    _, cut = min(options)
    return [(float(num[:cut]), offset, offset + cut), (float(num[cut:]), offset + cut, offset + len(num))]


def _log(x: float) -> float:
    import math

    return math.log10(max(abs(x), 1e-9))
