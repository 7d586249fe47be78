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


def hits(role: str, text: str) -> list[Hit]:
    """Every match of the role's terms in ``text``, longest first where they overlap, in text order."""
    found = [Hit(t.value, m.start(), m.end()) for t in terms() if t.role == role for m in t.pattern.finditer(text or "")]
    found.sort(key=lambda h: (-(h.end - h.start), h.start))
    kept: list[Hit] = []
    for h in found:
        if all(h.end <= k.start or h.start >= k.end for k in kept):
            kept.append(h)
    return sorted(kept, key=lambda h: h.start)


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


def header_word_share(text: str) -> float:
    """How much of a cell is column vocabulary, years or units (1.0 for ``Approved Budget 2024/25``)."""
    words = list(_WORD.finditer(text))
    if not words:
        return 0.0
    spans = [(h.start, h.end) for role in ROLES for h in hits(role, text)]
    spans += [(m.start(), m.end()) for m in FY_PATTERN.finditer(text)]
    spans += [(m.start(), m.end()) for m in UNIT_PATTERN.finditer(text)]
    spans += [(m.start(), m.end()) for m in re.finditer(r"\b(?:Q[1-4]|£+|%|of|and|&|the|to|in|for|per|year|years)\b|£+", text, re.I)]
    covered = sum(1 for w in words if any(s <= w.start() and w.end() <= e for s, e in spans))
    return covered / len(words)
