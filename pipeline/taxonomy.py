"""Service taxonomy: a budget scope or service name → an MHCLG revenue-outturn service line.

Councils name the same service a hundred ways ("Street Scene", "Direct
Services", "Waste & Recycling"); comparing them needs the standard lines the
Revenue Outturn returns use (education, highways and transport, children's and
adult social care, public health, housing, cultural, environmental and
regulatory, planning and development, central services, fire).  The keyword
table ships as package data (``data/service_taxonomy.csv``); a user's CSV of
``name``/``pattern`` → ``category`` overrides it for their own councils' names.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Optional

from pipeline.errors import InputError

UNCLASSIFIED = "unclassified"


@dataclass(frozen=True)
class Category:
    name: str
    label: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Mapping:
    category: str
    confidence: float
    matched: str  # the words (or override) that decided it


@lru_cache(maxsize=1)
def categories() -> tuple[Category, ...]:
    with resources.files("pipeline.data").joinpath("service_taxonomy.csv").open(encoding="utf-8") as fh:
        return tuple(Category(r["category"], r["label"], tuple(k.strip() for k in r["keywords"].split("|") if k.strip()))
                     for r in csv.DictReader(fh))


@lru_cache(maxsize=None)
def _keyword_pattern(keyword: str) -> re.Pattern:
    # a keyword matches at a word start; a stem like "disabilit" also matches its endings
    # an all-capitals keyword (IT, ICT) is an acronym: case counts, or "it" the pronoun would match
    tail = r"\w*" if not keyword.endswith(("s", "y", "e")) and len(keyword) > 6 else r"\b"
    flags = 0 if keyword.isupper() else re.I
    return re.compile(r"\b" + re.escape(keyword).replace(r"\ ", r"\s+") + tail, flags)


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("&", " and ").replace("’", "'")).strip()


class Taxonomy:
    """Keyword mapping plus user overrides (exact names first, then patterns)."""

    def __init__(self, overrides: Optional[Path] = None) -> None:
        self.exact: dict[str, str] = {}
        self.patterns: list[tuple[re.Pattern, str]] = []
        if overrides is not None:
            self.load_overrides(overrides)

    def load_overrides(self, path: Path) -> None:
        """CSV with ``category`` and ``name`` (exact, any case) or ``pattern`` (a regular expression)."""
        with Path(path).open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            fields = set(reader.fieldnames or [])
            if "category" not in fields or not ({"name", "pattern"} & fields):
                raise InputError(f"{path}: an override CSV needs a 'category' column and a 'name' or 'pattern' column (found {sorted(fields)})")
            for n, row in enumerate(reader, start=2):
                category = (row.get("category") or "").strip()
                if not category:
                    raise InputError(f"{path}:{n}: empty category")
                if (row.get("name") or "").strip():
                    self.exact[_norm(row["name"]).lower()] = category
                if (row.get("pattern") or "").strip():
                    try:
                        self.patterns.append((re.compile(row["pattern"], re.I), category))
                    except re.error as exc:
                        raise InputError(f"{path}:{n}: bad pattern {row['pattern']!r}: {exc}") from exc

    def classify(self, name: Optional[str]) -> Mapping:
        """The service line a name belongs to, with a confidence in [0, 1]."""
        if not name or not name.strip():
            return Mapping(UNCLASSIFIED, 0.0, "")
        text = _norm(name)
        if text.lower() in self.exact:
            return Mapping(self.exact[text.lower()], 1.0, "override")
        for pattern, category in self.patterns:
            if pattern.search(text):
                return Mapping(category, 1.0, f"override /{pattern.pattern}/")
        return _by_keywords(text)


def _by_keywords(text: str) -> Mapping:
    """Score each category by the length of the keyword phrases found; specific phrases outweigh generic words."""
    scores: dict[str, tuple[int, list[str]]] = {}
    for category in categories():
        found = [k for k in category.keywords if _keyword_pattern(k).search(text)]
        # a phrase already inside a longer found phrase does not count twice ("children" in "children's services")
        found = [k for k in found if not any(k != o and k in o for o in found)]
        if found:
            scores[category.name] = (sum(len(k) for k in found), found)
    if not scores:
        return Mapping(UNCLASSIFIED, 0.0, "")
    ranked = sorted(scores.items(), key=lambda kv: -kv[1][0])
    best, (score, words) = ranked[0]
    second = ranked[1][1][0] if len(ranked) > 1 else 0
    letters = len(re.sub(r"[^a-z]", "", text.lower())) or 1
    coverage = min(1.0, sum(len(re.sub(r"[^a-z]", "", w.lower())) for w in words) / letters)
    margin = (score - second) / score
    return Mapping(best, round(0.3 + 0.35 * coverage + 0.35 * margin, 2), ", ".join(words))


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    return Taxonomy()


def classify(name: Optional[str], taxonomy: Optional[Taxonomy] = None) -> Mapping:
    return (taxonomy or default_taxonomy()).classify(name)


def categorise(names: Iterable[Any], taxonomy: Optional[Taxonomy] = None) -> tuple[list[str], list[float]]:
    """Categories and confidences for a column of names (pandas' NaN and other non-strings count as no name)."""
    mapped = [classify(n if isinstance(n, str) else None, taxonomy) for n in names]
    return [m.category for m in mapped], [m.confidence for m in mapped]
