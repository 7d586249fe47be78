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
