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
import re._constants as re_constants
import re._parser as re_parser
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


def alternatives(pattern: str) -> list[str]:
    """Split a pattern at its top-level ``|`` (not inside groups, not escaped)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(pattern):
        escaped = i > 0 and pattern[i - 1] == "\\"
        if ch == "\\" or escaped:
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
    out.append(pattern[start:])
    return out


@lru_cache(maxsize=None)
def _role_pattern(role: str) -> tuple[re.Pattern, tuple[str, ...]]:
    """One regex for a role: every alternative of every term, longest first, each in its own group.

    The alternatives are grouped by the letter they can start with, each group
    behind a look-ahead for it: the regex engine otherwise tries all eighty
    column words at every word of every line.  At any place only the group of
    its letter can match, in the same order, so the first match is the same.
    The groups go in letter order, so the pattern (and its timing) does not
    depend on the hash seed that orders each alternative's set of letters.
    """
    atoms = [(alt, t.value) for t in terms() if t.role == role for alt in alternatives(t.pattern.pattern[len("(?<![\\w£])(?:"):-len(")(?![\\w])")])]
    atoms.sort(key=lambda a: -len(a[0]))
    by_letter: dict[str, list[tuple[str, str]]] = {}
    for alt, value in atoms:
        letters = _first_letters(alt)
        if letters is None:  # a pattern whose start cannot be listed: one plain alternation
            body = "|".join(f"({a})" for a, _ in atoms)
            return re.compile(rf"(?<![\w£])(?:{body})(?![\w])", re.I), tuple(v for _, v in atoms)
        for letter in letters:
            by_letter.setdefault(letter, []).append((alt, value))
    ordered = sorted(by_letter.items())  # letter order, not the set's: the same regex whatever the hash seed
    groups = [f"(?=[{re.escape(letter)}])(?:{'|'.join(f'({a})' for a, _ in part)})" for letter, part in ordered]
    values = tuple(v for _, part in ordered for _, v in part)
    return re.compile(rf"(?<![\w£])(?:{'|'.join(groups)})(?![\w])", re.I), values


def _first_letters(pattern: str) -> Optional[set[str]]:
    """The lower-case characters a match of ``pattern`` can start with, or ``None`` if not a short list."""
    return _first_of(re_parser.parse(pattern, re.I))


def _first_of(items) -> Optional[set[str]]:
    for op, arg in items:
        if op is re_constants.LITERAL:
            return {chr(arg).lower()}
        if op is re_constants.IN:
            return _set_letters(arg)
        if op is re_constants.SUBPATTERN:
            return _first_of(arg[-1])
        if op is re_constants.BRANCH:
            branches = [_first_of(b) for b in arg[1]]
            return None if any(b is None for b in branches) else set().union(*branches)
        if op in (re_constants.MAX_REPEAT, re_constants.MIN_REPEAT) and arg[0] >= 1:
            return _first_of(arg[2])
        return None  # an optional start, a category, an anchor...
    return None


def _set_letters(items) -> Optional[set[str]]:
    out: set[str] = set()
    for op, arg in items:
        if op is re_constants.LITERAL:
            out.add(chr(arg).lower())
        elif op is re_constants.RANGE and arg[1] - arg[0] < 64:
            out.update(chr(c).lower() for c in range(arg[0], arg[1] + 1))
        else:
            return None
    return out


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
