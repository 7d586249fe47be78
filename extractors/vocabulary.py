"""Word lists the service and objective rules read, kept as data so they grow without code.

Each list lives in a CSV under ``pipeline/data`` with columns ``kind`` and
``words`` (alternatives separated by ``|``) and a free ``note``.  A rule asks
for one kind and gets either the words or a ready regex alternation
(longest first, so "Assistant Director" wins over "Director").
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources

from pipeline.tables.vocabulary import alternatives


@lru_cache(maxsize=None)
def _table(name: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    with resources.files("pipeline.data").joinpath(f"{name}.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(row["kind"].strip(), []).extend(w.strip() for w in row["words"].split("|") if w.strip())
    return {k: tuple(v) for k, v in out.items()}


def words(name: str, kind: str) -> tuple[str, ...]:
    """The words of one kind in vocabulary ``name`` (``unit_words``, ``objective_words``)."""
    try:
        return _table(name)[kind]
    except KeyError:
        raise KeyError(f"vocabulary {name}.csv has no kind {kind!r}") from None


@lru_cache(maxsize=None)
def alternation(name: str, kind: str) -> str:
    """``(?:a|b c|...)`` for a regex, longest first; spaces match any run of whitespace."""
    parts = sorted(words(name, kind), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in parts) + ")"


@lru_cache(maxsize=None)
def regex_alternation(name: str, kind: str) -> str:
    """``(?:a|b)`` for kinds whose entries are themselves regexes (``aims?``, ``commit\\w*``)."""
    return "(?:" + "|".join(words(name, kind)) + ")"



_REGEX_SYNTAX = re.compile(r"[\\()\[\]{}?*+|.^$]")


def literal_stems(name: str, kind: str) -> tuple[str, ...]:
    """What each entry of ``regex_alternation(name, kind)`` opens with before any regex syntax, lower case.

    Every match of an entry holds its stem, so a text holding none of a kind's stems
    (``pipeline.normalise.text.may_hold_any``) holds no match.  The entries are the
    alternation's top-level branches (a CSV entry may itself hold ``|`` inside a group); a
    character a quantifier makes optional is not part of the stem, and an entry that opens
    with syntax has the empty stem, which every text holds.
    """
    stems = []
    for entry in alternatives(regex_alternation(name, kind)[3:-1]):
        m = _REGEX_SYNTAX.search(entry)
        end = len(entry) if m is None else m.start() - (m.group() in "?*{")
        stems.append(entry[:max(end, 0)].lower())
    return tuple(dict.fromkeys(stems))
