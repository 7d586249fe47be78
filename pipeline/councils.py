"""The council register (mySociety, CC BY 4.0): names, GSS codes and dates → one council.

A reorganised council's name means different bodies in different years, so
resolution takes the plan's financial year into account; a name that still
means two councils is reported as ambiguous rather than guessed.
"""
from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import Iterator, Optional

from pipeline.errors import CouncilplansError


@dataclass(frozen=True)
class Council:
    code: str  # register code, e.g. HAT
    name: str  # nice-name, e.g. Hart
    official_name: str
    gss: Optional[str]
    type: str
    type_name: str
    region: Optional[str]
    start: Optional[str]
    end: Optional[str]

    def active_in(self, financial_year: Optional[str]) -> bool:
        if not financial_year:
            return True
        day = f"{financial_year[:4]}-04-01"
        return (not self.start or self.start <= day) and (not self.end or self.end > day)


class AmbiguousCouncil(CouncilplansError, LookupError):
    """A council name the register maps to more than one council (reported, never guessed)."""

    def __init__(self, name: str, candidates: list[Council]):
        super().__init__(f"{name!r} could mean {', '.join(c.official_name + ' (' + c.code + ')' for c in candidates)}")
        self.candidates = candidates


def _rows(filename: str) -> list[dict[str, str]]:
    with resources.files("pipeline.data").joinpath(filename).open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


class Register:
    def __init__(self) -> None:
        self.by_code: dict[str, Council] = {}
        for row in _rows("uk_local_authorities.csv"):
            self.by_code[row["local-authority-code"]] = Council(
                code=row["local-authority-code"], name=row["nice-name"], official_name=row["official-name"],
                gss=row["gss-code"] or None, type=row["local-authority-type"],
                type_name=row["local-authority-type-name"], region=row["region"] or None,
                start=row["start-date"] or None, end=row["end-date"] or None,
            )
        self.by_name: dict[str, set[str]] = defaultdict(set)
        self.spellings: set[str] = set()
        for row in _rows("lookup_name_to_registry.csv"):
            self.by_name[_key(row["la-name"])].add(row["local-authority-code"])
            self.spellings.add(row["la-name"])
        for council in self.by_code.values():
            for name in (council.name, council.official_name):
                self.by_name[_key(name)].add(council.code)
        self.by_gss: dict[str, str] = {r["gss-code"]: r["local-authority-code"] for r in _rows("lookup_gss_to_registry.csv") if r["gss-code"]}

    def resolve(self, name_or_code: str, financial_year: Optional[str] = None) -> Optional[Council]:
        """One council for a name variant, register code or GSS code; ``AmbiguousCouncil`` if it stays two."""
        text = name_or_code.strip()
        if text.upper() in self.by_gss:
            return self.by_code[self.by_gss[text.upper()]]
        if text.upper() in self.by_code:
            return self.by_code[text.upper()]
        codes = self.by_name.get(_key(text), set())
        candidates = [self.by_code[c] for c in sorted(codes) if c in self.by_code]
        if len(candidates) > 1:
            dated = [c for c in candidates if c.active_in(financial_year)] if financial_year else candidates
            if len(dated) == 1:
                return dated[0]
            raise AmbiguousCouncil(text, dated or candidates)
        return candidates[0] if candidates else None

    @property
    def name_pattern(self) -> re.Pattern:
        return _name_pattern(tuple(sorted(self.spellings)))

    @cached_property
    def name_index(self) -> "NameIndex":
        return NameIndex.of(_text_names(tuple(self.spellings)))

    def resolve_quietly(self, name: str, financial_year: Optional[str] = None) -> Optional[Council]:
        """``resolve`` for a name found in text: ``None`` when it is unknown or still means two councils.

        Cached: a plan names its own council over and over, and resolving costs
        a normalised lookup and a date check each time.
        """
        return _resolve_quietly(self, name, financial_year)


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower().replace("&", " and ")).strip()


def _text_names(spellings: tuple[str, ...]) -> list[str]:
    """The spellings a plan's text is scanned for, longest first.

    Capitalised spellings only: "reading" the verb is not Reading the council.
    """
    return sorted({s for s in spellings if s[:1].isupper() and len(s) > 3}, key=len, reverse=True)


@lru_cache(maxsize=1)
def _name_pattern(spellings: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in _text_names(spellings)) + r")\b")


_BOUNDARY = re.compile(r"\b")


def _is_word_char(c: str) -> bool:
    """What ``\\w`` matches in a str pattern: a Unicode letter, digit or numeral, or the underscore."""
    return c.isalnum() or c == "_"


_PREFIX = 4  # every scanned spelling is longer than this


@dataclass(frozen=True)
class NameIndex:
    """Council spellings keyed by their first characters, for a scan that is linear in the text.

    ``name_pattern`` (an alternation of a thousand names) finds the same
    matches, but the regex engine tries every name at every capital letter:
    about a microsecond per character, the largest cost of a small plan.
    Here only a word opening with some spelling's first characters costs a
    dict lookup, and only the few names sharing them are compared.
    """

    by_prefix: dict[str, tuple[str, ...]]  # first characters -> spellings, longest first
    # where some spelling's first characters start a word: its first letter, the word boundary before it
    # (``(?<!\w\w)`` after a word character), then the rest of one of those prefixes looked ahead for.
    # Branches that open with a letter let the engine skip ahead in C to a possible first letter (one
    # opening with \b is tried at every character), and only the capitals that start a prefix come to Python
    starts: re.Pattern

    @classmethod
    def of(cls, names: list[str]) -> "NameIndex":
        by_prefix: dict[str, list[str]] = defaultdict(list)
        for name in names:  # already longest first, so each list is too
            by_prefix[name[:_PREFIX]].append(name)
        rests: dict[str, list[str]] = defaultdict(list)
        for prefix in sorted(by_prefix):
            rests[prefix[0]].append(re.escape(prefix[1:]))
        assert all(_is_word_char(c) for c in rests), "a spelling starts with a word character, so \\b before it is a non-word before"
        starts = "|".join(f"{re.escape(first)}(?<!\\w\\w)(?={'|'.join(rest)})" for first, rest in rests.items())
        return cls({k: tuple(v) for k, v in by_prefix.items()}, re.compile(starts))

    def find(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, spelling) of each mention, as ``name_pattern.finditer`` would find them.

        Leftmost first, the longest spelling at a position that ends on a word
        boundary, and the scan resumes after it (mentions never overlap).
        """
        resume = 0
        get = self.by_prefix.get
        for m in self.starts.finditer(text):
            start = m.start()
            if start < resume:
                continue
            for name in get(text[start:start + _PREFIX]):  # ``starts`` found one of these prefixes at a word boundary
                end = start + len(name)
                if text.startswith(name, start) and _BOUNDARY.match(text, end):
                    yield start, end, name
                    resume = end
                    break


@lru_cache(maxsize=4096)
def _resolve_quietly(reg: "Register", name: str, financial_year: Optional[str]) -> Optional[Council]:
    try:
        return reg.resolve(name, financial_year)
    except AmbiguousCouncil:
        return None


@lru_cache(maxsize=1)
def register() -> Register:
    return Register()


def register_code(*keys: Optional[str], financial_year: Optional[str] = None) -> Optional[str]:
    """The register code of the first key (GSS code, register code or name) that resolves to one council."""
    for key in keys:
        if not key or not isinstance(key, str):
            continue
        try:
            council = register().resolve(key, financial_year)
        except AmbiguousCouncil:
            continue
        if council:
            return council.code
    return None


@dataclass
class CouncilGuess:
    council: Council
    mentions: int
    evidence: str


_COUNCIL_AFTER = re.compile(r"\s+(?:(?:District|Borough|County|City|Metropolitan)\s+)*Council\b")
_PARTNER_BEFORE = re.compile(r"\b(with|through|and|alongside|partners?)\s+(the\s+)?$")


def council_in_text(text: str, title: str = "", financial_year: Optional[str] = None) -> Optional[CouncilGuess]:
    """The council a plan is about, when the text says so clearly enough.

    Plans name partner councils too, so one passing mention is not enough:
    the name must be in the title, written as "X Council", or be the most
    frequent council name with at least two mentions.
    """
    reg = register()
    counts: Counter[str] = Counter()
    strong: Counter[str] = Counter()
    for start, end, name in reg.name_index.find(text):
        council = reg.resolve_quietly(name, financial_year)
        if council is None:
            continue
        counts[council.code] += 1
        named = _COUNCIL_AFTER.match(text, end, end + 30) or "Council" in name
        # "with Derby City Council" names a partner, not the plan's own council
        partner = _PARTNER_BEFORE.search(text[max(0, start - 20): start])  # a slice: its \b may fall mid-word
        if named and not partner:
            strong[council.code] += 1
        if title and name in title:
            strong[council.code] += 2
    if not counts:
        return None
    code, mentions = max(counts.items(), key=lambda kv: (strong[kv[0]] * 3 + kv[1], kv[1]))
    if strong[code] == 0 and mentions < 2:
        return None
    return CouncilGuess(reg.by_code[code], mentions, "title or 'X Council'" if strong[code] else "most mentioned")
