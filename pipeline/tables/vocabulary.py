"""The words that say what a table column or row holds, loaded from ``pipeline/data/table_vocabulary.csv``.

Vocabulary is data, not code: a council that writes ``Probable Outturn`` or
``Tgt 19/20`` is handled by a row in the CSV.  Each row gives a role
(``phase``, ``measure``, ``column``, ``row``), the value it stands for and a
regular expression matched on word boundaries, case-insensitively.  Within a
role, a longer match wins over a shorter one (``Net Expenditure`` is
``net_budget`` although ``Expenditure`` alone is gross).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Optional

from pipeline.normalise.memo import short_text_cache
from pipeline.normalise.money import UNIT_PATTERN
from pipeline.normalise.years import FY_PATTERN

ROLES = ("phase", "measure", "column", "row")


@dataclass(frozen=True)
class Term:
    role: str
    value: str
    pattern: re.Pattern


@dataclass(frozen=True)
class Hit:
    value: str
    start: int
    end: int


@lru_cache(maxsize=1)
def terms() -> tuple[Term, ...]:
    with resources.files("pipeline.data").joinpath("table_vocabulary.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return tuple(Term(r["role"], r["value"], re.compile(rf"(?<![\w£])(?:{r['pattern']})(?![\w])", re.I)) for r in rows)


def _alternatives(pattern: str) -> list[str]:
    """Split a pattern at its top-level ``|`` (not inside groups)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(pattern):
        if ch == "\\":
            continue
        if ch == "(" and (i == 0 or pattern[i - 1] != "\\"):
            depth += 1
        elif ch == ")" and (i == 0 or pattern[i - 1] != "\\"):
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
    out.append(pattern[start:])
    return out


@lru_cache(maxsize=None)
def _role_pattern(role: str) -> tuple[re.Pattern, tuple[str, ...]]:
    """One regex for a role: every alternative of every term, longest first, each in its own group."""
    atoms = [(alt, t.value) for t in terms() if t.role == role for alt in _alternatives(t.pattern.pattern[len("(?<![\\w£])(?:"):-len(")(?![\\w])")])]
    atoms.sort(key=lambda a: -len(a[0]))
    body = "|".join(f"({alt})" for alt, _ in atoms)
    return re.compile(rf"(?<![\w£])(?:{body})(?![\w])", re.I), tuple(v for _, v in atoms)


@lru_cache(maxsize=8192)
def _hits_cached(role: str, text: str) -> tuple[Hit, ...]:
    pattern, values = _role_pattern(role)
    out = []
    for m in pattern.finditer(text):
        group = next(i for i in range(1, len(values) + 1) if m.start(i) != -1)
        out.append(Hit(values[group - 1], m.start(), m.end()))
    return tuple(out)


def hits(role: str, text: str) -> list[Hit]:
    """Every match of the role's terms in ``text``, in text order; where terms overlap the longer wins."""
    return list(_hits_cached(role, text or ""))


def first(role: str, text: str) -> Optional[str]:
    """The value of the first (leftmost) term of ``role`` in ``text``."""
    found = hits(role, text)
    return found[0].value if found else None


def last(role: str, text: str) -> Optional[str]:
    found = hits(role, text)
    return found[-1].value if found else None


def values(role: str, text: str) -> list[str]:
    return [h.value for h in hits(role, text)]


_WORD = re.compile(r"[A-Za-z£%'’]+|\d[\d,./\-]*")


_HEADER_FILLER = re.compile(r"\b(?:Q[1-4]|£+|%|of|and|&|the|to|in|for|per|year|years|name|no\.?)\b|£+", re.I)


@short_text_cache()
def header_word_share(text: str) -> float:
    """How much of a cell is column vocabulary, years or units (1.0 for ``Approved Budget 2024/25``).

    Remembered: the text reader asks it of the same lines from each line a table could start at.
    """
    words = list(_WORD.finditer(text))
    if not words:
        return 0.0
    spans = [(h.start, h.end) for role in ROLES for h in hits(role, text)]
    spans += [(m.start(), m.end()) for m in FY_PATTERN.finditer(text)]
    spans += [(m.start(), m.end()) for m in UNIT_PATTERN.finditer(text)]
    spans += [(m.start(), m.end()) for m in _HEADER_FILLER.finditer(text)]
    covered = sum(1 for w in words if any(s <= w.start() and w.end() <= e for s, e in spans))
    return covered / len(words)
