"""What a table cell holds: a figure, a percentage, a year, a unit, a nil, a RAG status or words.

Readers use the kind to find where rows start and end in flattened text (a
label is words, a row's figures are numbers); the table-semantics layer uses
it to decide what a column holds.  One grammar for every table style:
``(1,234)``, ``-1,234``, ``1,234 Cr``, ``-£13,400,133``, ``£9.5m``, ``12.5%``,
``-`` or ``Nil`` for nothing, ``2011-12`` for a year, ``£'000`` for a unit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal, Optional

from pipeline.normalise.memo import short_text_cache
from pipeline.normalise.text import has_digit
from pipeline.normalise.money import UNIT_PATTERN, might_name_unit
from pipeline.normalise.years import FY_PATTERN

Kind = Literal["empty", "nil", "number", "percent", "year", "unit", "rag", "text"]

_NUMBER = (
    r"(?P<open>\()?\s*(?P<neg>[-–−])?\s*(?P<gbp>£)?\s*(?P<neg2>[-–−])?\s*"
    r"(?P<num>\d{1,3}(?:,\s?\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"\s*(?P<scale>m|k|bn|million|thousand)?\s*(?P<pct>%)?\s*(?P<close>\))?\s*(?P<cr>cr|dr)?\.?"
)
NUMBER_CELL = re.compile(rf"^\s*{_NUMBER}\s*(?:\[\d\]|\*+)?\s*$", re.I)
_NIL = re.compile(r"^\s*(?:[-–—−]+|nil|none|n/?a|\.{2,})\s*$", re.I)
_RAG = re.compile(r"^\s*(?:green|amber|red|g|a|r|r/a|a/g|on track|off track|on target|not met|met|achieved|not achieved)\s*$", re.I)
_UNITS_ONLY = re.compile(rf"^\s*(?:(?:{UNIT_PATTERN.pattern})|£+|%)(?:\s+(?:(?:{UNIT_PATTERN.pattern})|£+|%))*\s*$", re.I)
_SCALES = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000, "bn": 1_000_000_000}
FOOTNOTE = re.compile(r"\s*(?:\[\d{1,2}\]|\(\d\)|\*+|(?<=[a-z])\d(?=\s*$))\s*$")


@dataclass(frozen=True)
class CellValue:
    """A parsed cell: its kind and, for figures, the signed value as printed (before any table scale)."""

    kind: Kind
    value: Optional[float] = None
    gbp: bool = False  # a £ sign in the cell
    scale: int = 1  # a scale word in the cell itself (£1.5m)
    percent: bool = False
    bracketed: bool = False
    decimals: int = 0

    @property
    def figure(self) -> bool:
        return self.kind in ("number", "percent")


def _decimal(text: str) -> Optional[Decimal]:
    try:
        return Decimal(text.replace(",", "").replace(" ", ""))
    except InvalidOperation:
        return None


def parse_number(text: str) -> Optional[CellValue]:
    """A cell that is one figure: sign from ``-``, brackets or ``Cr``; ``None`` for anything else."""
    if text.isdecimal():  # digits alone (``\\d``): what NUMBER_CELL reads of them, without its dozen optional groups
        value = _decimal(text)
        return None if value is None else CellValue(kind="number", value=float(value))
    m = NUMBER_CELL.match(text)
    if not m or bool(m.group("open")) != bool(m.group("close")):
        return None
    value = _decimal(m.group("num"))
    if value is None:
        return None
    negative = bool(m.group("neg") or m.group("neg2") or m.group("open") or (m.group("cr") or "").lower() == "cr")
    scale = _SCALES.get((m.group("scale") or "").lower(), 1)
    decimals = len(m.group("num").split(".")[1]) if "." in m.group("num") else 0
    return CellValue(
        kind="percent" if m.group("pct") else "number", value=float(-value if negative else value),
        gbp=bool(m.group("gbp")), scale=scale, percent=bool(m.group("pct")), bracketed=bool(m.group("open")),
        decimals=decimals,
    )


_BARE_YEAR = re.compile(r"(?:19|20)\d{2}")


@short_text_cache()
def classify(text: str) -> CellValue:
    """The kind of one cell's text (remembered: every table pass classifies the same cells)."""
    stripped = text.replace("\xa0", " ").strip()
    if not stripped:
        return CellValue("empty")
    # each pattern is asked only of a cell that could match it (the first character of a stripped cell
    # starts the match; a year or a figure holds a digit; a unit a "£", "000", "%" or a scale word)
    if stripped[0] in _NIL_FIRST and _NIL.match(stripped):
        return CellValue("nil")
    if ("%" in stripped or might_name_unit(stripped)) and _UNITS_ONLY.match(stripped):
        return CellValue("unit")
    if has_digit(stripped):
        fy = FY_PATTERN.fullmatch(stripped) or _BARE_YEAR.fullmatch(stripped)
        if fy:
            return CellValue("year")
        number = parse_number(stripped)
        if number is not None:
            return number
    if stripped[0] in _RAG_FIRST and _RAG.match(stripped):
        return CellValue("rag")
    return CellValue("text")


# the characters a stripped cell matching _NIL or _RAG can open with (re.I folds no other character to these letters)
_NIL_FIRST = frozenset("-–—−.nN")
_RAG_FIRST = frozenset("gGaArRoOnNmM")


def is_figure(text: str) -> bool:
    return classify(text).figure


@short_text_cache()
def strip_footnote(label: str) -> str:
    """``Education (2)`` → ``Education``; ``Defences[1]`` → ``Defences``; ``Theatre*`` → ``Theatre``.

    A cell that is nothing but the marker (``(2)``) is a bracketed figure, not a footnote, and stays.
    """
    stripped = (FOOTNOTE.sub("", label) if _may_end_in_footnote(label) else label).rstrip()
    return stripped if stripped.strip(" -–") else label


def _may_end_in_footnote(label: str) -> bool:
    """False only when ``FOOTNOTE`` (tried at every character) cannot match: each of its markers ends in
    ``]``, ``)``, ``*`` or a digit (``\\d``: a decimal digit) after a lower-case letter, with only whitespace after it."""
    stripped = label.rstrip()
    last = stripped[-1:]
    return last in ("]", ")", "*") or (last.isdecimal() and "a" <= stripped[-2:-1] <= "z")
