"""What extractors share while reading one document: its metadata, the units found so far, heading context."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple, Optional

from pipeline.document import Block, Document, Piece
from pipeline.normalise.memo import short_text_cache
from pipeline.normalise.text import clean, count_words, may_hold, may_hold_any, normalise_for_match
from pipeline.normalise.years import FY_PATTERN, has_financial_year
from extractors.vocabulary import alternation
from schemas import DocumentMeta, Provenance, Service

# section headings that name a kind of content rather than a unit
GENERIC_HEADING = re.compile(
    r"^(?:part|section|appendix|annex|chapter)\b|^\d+[a-z]?[:.]\s|"
    r"\b(?:budgets?|budget position|savings?|pressures?|capital|revenue|income|expenditure|financ\w*|"
    r"risks?|workforce|staff\w*|resources?|resourcing|performance|introduction|overview|context|"
    r"key aims?|aims?|priorities|objectives?|measures?|projects?|targets?|indicators?|actions?|"
    r"outcomes?|summary|contents|structure|our services|what we do|how we work|drivers|climate|"
    r"monitoring|review|partnerships?|considerations?|impact|scene setting|glossary|background)\b",
    re.I,
)
PLAN_WORDS = re.compile(
    r"\b(?:(?:service|business|operating|annual|unit|departmental|corporate|improvement|delivery|action)\s+)*plans?\b(?:\s+summary)?|\bsummary of\b|"
    r"\(continued\)|\bcontinued\b|\bbudget position\b|\bintroduction to\b|\bfor\b\s*$",
    re.I,
)


@dataclass
class Context:
    doc: Document
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    services: list[Service] = field(default_factory=list)
    tables: list = field(default_factory=list)  # pipeline.tables.view.TableView per table, read once before extractors run
    # the plan's own unit as the services extractor read it ("" when it names none): the scope when
    # that names a unit, else the unit its title headings name
    own_unit: Optional[str] = None
    # known_unit's index: matching key -> the first unit name with that key, over the services indexed so far
    _unit_index: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _indexed: tuple = field(default=(None, 0), init=False, repr=False, compare=False)  # (the list indexed, how many)

    @property
    def plan_year(self) -> Optional[str]:
        return self.meta.financial_year

    @property
    def plan_unit(self) -> Optional[str]:
        """The unit a record belongs to when nothing nearer says: the plan's own unit, else its scope."""
        return (self.own_unit or None) if self.own_unit is not None else self.scope

    @property
    def scope(self) -> Optional[str]:
        return self.meta.scope

    def unit_names(self) -> list[str]:
        return [s.name for s in self.services]

    def known_unit(self, text: str) -> Optional[str]:
        """The service name ``text`` refers to, if it is one the document names."""
        key = _unit_keys(text)[1]
        if not key:
            return None
        return self._units_by_key().get(key)

    def _units_by_key(self) -> dict[str, str]:
        """Each unit's exact and suffix-free keys -> the first unit (in ``services`` order) that has it.

        The same answer as trying every unit in turn, in one lookup: extractors ask
        thousands of times a document.  Services are only ever appended (and keep
        their names), so the index grows with the list; a list replaced or cut is indexed anew.
        """
        services = self.services
        listed, count = self._indexed
        if listed is not services or count > len(services):
            self._unit_index, count = {}, 0
        if count < len(services):
            index = self._unit_index
            for service in services[count:]:
                for key in _unit_keys(service.name):
                    index.setdefault(key, service.name)
            self._indexed = (services, len(services))
        return self._unit_index


@lru_cache(maxsize=16384)
def _unit_keys(name: str) -> tuple[str, str]:
    """(exact, suffix-free) matching keys of a unit name; cached because extractors ask often."""
    return normalise_for_match(name), normalise_for_match(strip_unit_suffix(name))


def provenance(piece: Piece, start: Optional[int] = None, end: Optional[int] = None, doc: Optional[Document] = None) -> Provenance:
    """Provenance for a piece (or a sub-span of the document)."""
    if start is None:
        start, end = piece.start, piece.end
    text = doc.text[start:end] if doc is not None else piece.text[start - piece.start: end - piece.start]
    return Provenance(page=piece.page, char_start=start, char_end=end, text=text)


_REVIEWED_BY = re.compile(r"\s*\*?\s*Also reviewed by.*$", re.I)
_SHARED = re.compile(r"\s+(?:Shared (?:Service|Management)|Shared)\b.*$")
_TEAM_WORD = re.compile(r"\s+(?:team|unit|division|section)$", re.I)
_TEAM_WORDS = ("team", "unit", "division", "section")  # one ends every _TEAM_WORD match


@short_text_cache()
def strip_unit_suffix(name: str) -> str:
    """``Local Tax Shared Service`` → ``Local Tax``; ``Community Safety Team`` → ``Community Safety``.

    Remembered: every known-unit lookup strips the same few names again.
    """
    name = clean(name)
    # each pattern is tried at every character: asked only of a name holding its fixed words
    if may_hold(name, "also reviewed by"):
        name = _REVIEWED_BY.sub("", name)
    if "Shared" in name:
        name = _SHARED.sub("", name)
    if may_hold_any(name, _TEAM_WORDS):
        name = _TEAM_WORD.sub("", name)
    return name.strip(" *-–:")


@short_text_cache()
def unit_from_heading(text: str) -> Optional[str]:
    """The unit a section heading names, with plan words and years taken off (``None`` if generic)."""
    name = clean(text)
    if has_financial_year(name):  # each pattern is tried at every character: asked only of a name that may hold it
        name = FY_PATTERN.sub("", name)
    if "19" in name or "20" in name:
        name = re.sub(r"\b(?:19|20)\d{2}\b", "", name)
    name = PLAN_WORDS.sub(" ", name)
    name = re.sub(r"\s+", " ", name).strip(" :-–,")
    if not name or GENERIC_HEADING.search(name) or len(name.split()) > 8:
        return None
    return name


_ROOT_FINANCE = re.compile(r"^(?:budgets?|budget position|finance|financ\w+ (?:information|summary|position)|financial resources|resources)$", re.I)


_FINANCE_WORD = re.compile(r"\bbudget\b|\bfinanc", re.I)
_FINANCE_TAIL = re.compile(r"\b(?:budget|finances?|financial)\b.*$", re.I)


def section_unit(doc: Document, index: int, ctx: Context) -> Optional[str]:
    """The unit a block sits under: the nearest heading that names one.

    Generic sub-headings (Savings, Capital budget) are passed over; a finance
    root heading ("Budget position") or a non-unit topic heading ends the
    search with ``None`` — the plan's own scope.
    """
    for heading in doc.headings_before(index):
        text = heading.clean
        known = ctx.known_unit(text)
        if known:
            return known
        if _FINANCE_WORD.search(text):
            unit = unit_from_heading(_FINANCE_TAIL.sub("", text))
            if unit:
                return unit
        if _ROOT_FINANCE.match(text) or not GENERIC_HEADING.search(text):
            return None
    return None


def heading_words(doc: Document, index: int, depth: int = 3) -> str:
    """The text of the nearest few headings, for cue words."""
    if depth == 1:  # the nearest heading alone (asked of every block)
        nearest = next(doc.headings_before(index), None)
        return nearest.clean if nearest is not None else ""
    out = []
    for heading in doc.headings_before(index):
        out.append(heading.clean)
        if len(out) >= depth:
            break
    return " / ".join(out)


def lead_in(doc: Document, block: Block) -> Optional[Block]:
    """The paragraph that introduces a list item (the last non-list block before it)."""
    blocks = doc.blocks  # walked by index (``blocks_before``'s order): asked of every item of every list
    k = min(block.index, len(blocks)) - 1
    while k >= 0 and blocks[k].kind == "list_item":
        k -= 1
    return blocks[k] if k >= 0 else None


# ---------------------------------------------------------------- who leads which unit

_ROLE = alternation("unit_words", "role")
_PERSON = r"(?:(?:Cllr|Councillor|Mr|Mrs|Ms|Miss|Dr)\.?[ \t\xa0]+)?[A-Z][a-z'’\-]+(?:[ \t\xa0][A-Z][\w'’\-]+){1,2}"
_UNIT_NAME = r"[A-Z][\w'’&/\-]*(?:(?:\s+|\s*,\s*)(?:and\s+|&\s+|of\s+|for\s+)?[A-Z][\w'’&/\-]*)*"
# "Director of Resources and Deputy Chief Executive": the unit stops where a second post begins
_SECOND_POST = re.compile(rf"\s+(?:and|&)\s+(?:{_ROLE})\b.*$")
_ROLE_OF_UNIT = re.compile(rf"^(?P<role>(?P<post>{_ROLE})\s+(?:of|for)\s+(?P<unit>{_UNIT_NAME}))\s*$")
_ROLE_COMMA_UNIT = re.compile(rf"^(?P<role>{_ROLE})\s*[,:–—-]\s*(?P<unit>{_UNIT_NAME})\s*$")
_PERSON_COMMA_ROLE = re.compile(rf"^(?P<person>{_PERSON})\s*[,–—-]\s*(?P<rest>.+)$")


class Lead(NamedTuple):
    """What a lead cell or line says: the unit led, the post as printed and the person, where given."""

    unit: Optional[str]
    role: Optional[str]
    person: Optional[str] = None


@short_text_cache()
def read_lead(text: str) -> Optional[Lead]:
    """``Director, Corporate and Customer Services``, ``Head of Finance``, ``Jo Bloggs, Head of Housing``.

    ``ROLE of X`` keeps the whole post as the role (councils' own wording,
    ``Head of Finance``); ``ROLE, X`` names the post and the unit apart.
    ``Head of Service`` names no unit.
    """
    text = clean(text).strip(" .;")
    person = None
    m = _PERSON_COMMA_ROLE.match(text)
    if m and re.match(_ROLE, m.group("rest")):
        person, text = m.group("person"), m.group("rest")
    for pattern in (_ROLE_OF_UNIT, _ROLE_COMMA_UNIT):
        m = pattern.match(text)
        if m:
            unit = _SECOND_POST.sub("", m.group("unit")).strip(" ,")
            if not unit or unit.lower() in ("service", "services") or re.fullmatch(_ROLE, unit):
                return Lead(None, text, person) if person else None
            return Lead(unit, m.group("role"), person)
    if person and re.fullmatch(_ROLE + r"(?:\s+[A-Z&][\w&'’]*)*", text):
        return Lead(None, text, person)
    return None


# "Head of Housing: Jane Smith"; "Housing Services – Jane Smith, Head of Housing"; "Planning: John Doe (Service Manager)";
# "Revenues – Service Manager: Ann Lee": a unit and its lead on one line
_LEAD_LINES = (
    re.compile(rf"^(?P<role>(?:{_ROLE})\s+(?:of|for)\s+(?P<unit>{_UNIT_NAME}))\s*[:–—-]\s*(?P<person>{_PERSON})\.?$"),
    re.compile(rf"^(?P<unit>{_UNIT_NAME})\s*[:–—-]\s*(?P<person>{_PERSON})\s*(?:,|\()\s*(?P<role>(?:[A-Z][\w&'’]*\s+)*?(?:{_ROLE})\b[^)]*?)\)?\.?$"),
    re.compile(rf"^(?P<unit>{_UNIT_NAME})\s*[:–—-]\s*(?P<role>(?:[A-Z][\w&'’]*\s+)*?(?:{_ROLE}))\s*[:–—-]?\s*(?P<person>{_PERSON})\.?$"),
)


_LEAD_SEPARATORS = ":–—-"


def read_lead_line(text: str) -> Optional[Lead]:
    """A line naming a unit and the person who leads it, in the shapes plans print them."""
    return lead_from_clean(clean(text))


@short_text_cache()
def lead_from_clean(text: str) -> Optional[Lead]:
    """``read_lead_line`` of a text already cleaned (a block's ``clean``, kept with the block)."""
    if count_words(text, 14) > 14:
        return None  # a paragraph is split only as far as its fifteenth word
    if not any(c in text for c in _LEAD_SEPARATORS):
        return None  # each of _LEAD_LINES puts one between the unit or post and the person
    for pattern in _LEAD_LINES:
        m = pattern.match(text)
        if m:
            unit = _SECOND_POST.sub("", m.group("unit")).strip(" ,")
            if unit.lower() in ("service", "services") or re.fullmatch(_ROLE, unit):
                return None
            return Lead(unit, clean(m.group("role")), m.group("person"))
    return None
