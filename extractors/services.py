"""Services: the organisational units a plan names, with parent, lead and role.

Units show up in a handful of shapes, each handled by one small rule:
structure tables (``Head of Service | Service``; ``Head of Finance | • a • b``),
"Led by NAME - ROLE" sections with their bullet lists, an enumerating
sentence ("the teams that provide these services: A, B, including C"),
unit headings after "units are as follows", section headings of the form
"<Unit> Service Plan Summary 2012/13", cost-centre rows of budget tables,
capitalised names ending in Service/Team/Unit/Directorate/Dept/Office,
the title headings above a "Business Plan" heading, the entries of a budget
book's contents page, lead lines and lead columns ("Director, Corporate and
Customer Services"; "Heads of Service for Finance, Housing and …"), and a
label ("Strategic Policy:") that introduces a list and is also a heading.

The word lists (unit suffixes, posts, governing bodies, generic words, what
makes a name a document part or an accounting line) are data:
``pipeline/data/unit_words.csv``.
"""
from __future__ import annotations

import re
from typing import Iterator, Optional

from extractors import register
from extractors.context import GENERIC_HEADING, Context, provenance, lead_from_clean, read_lead, strip_unit_suffix, unit_from_heading
from extractors.vocabulary import alternation, regex_alternation, words
from pipeline.councils import AmbiguousCouncil, register as council_register
from pipeline.normalise.memo import short_text_cache
from pipeline.document import Block, Document, Piece
from pipeline.nlp import PERSON_ROLE_PATTERNS
from pipeline.normalise.text import clean, folds_like_ascii, may_hold, may_hold_any, normalise_for_match
from schemas import Record, Service

_HEAD_ROLE = re.compile(r"^(?P<role>(?:Assistant |Deputy |Executive |Strategic )?(?:Head|Director|Manager|Lead) of (?P<unit>.+))$")
_UNIT_COLUMN = ("service", "team", "unit", "section")
_UNIT_COLUMN_LABEL = re.compile(rf"\b(?:{'|'.join(_UNIT_COLUMN)})")  # a word of _UNIT_COLUMN starts in the label
_PARENT_COLUMN = ("head of", "directorate", "division", "department", "portfolio", "area")
_UNITS_LEAD_IN = re.compile(r"\b(units?|services|teams|sections|divisions)\b[^.]*\b(as follows|are|include|below)\s*:?-?\s*$", re.I)
_ENUMERATION = re.compile(r"\b(?:teams?|services|units|sections|divisions|functions)\b[^:.]*:\s*(?P<list>[^:]+?)(?:\.\s|\.$|$)")
_ENUMERATION_WORDS = ("team", "services", "units", "sections", "divisions", "functions")  # one is in every _ENUMERATION match
_VOCAB = "unit_words"
_SUFFIX = alternation(_VOCAB, "suffix")
_MENTION = re.compile(
    rf"(?P<name>[A-Z][\w'’&\-]*(?:(?:,\s|\s(?:and|&)\s|\s)[A-Z][\w'’&\-]*)*)\s+(?P<suffix>{alternation(_VOCAB, 'mention_suffix')}|service|team|unit|division)\b(?!\s+[A-Z])"
)
# what ends every _MENTION: the unit words in one flat alternation, so the pattern opens with a set of first
# letters and is scanned in C (a nested group first is tried at every character)
_MENTION_SUFFIX = re.compile("(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(
    words(_VOCAB, "mention_suffix"), key=len, reverse=True)) + r"|service|team|unit|division)\b")
# what every _MENTION holds: whitespace, then its unit word (``\s+`` stands before the suffix).  Opening with
# whitespace, the scan stops at each space rather than at each s, t, u or d that could start a lower-case unit word
_SPACE_MENTION_SUFFIX = re.compile(r"\s" + _MENTION_SUFFIX.pattern)
_NOT_A_UNIT_START = {"The", "This", "That", "These", "Our", "A", "An", "Each", "All", "Every", "Shared", "Council", "Service", "Any", "In", "As", "For", "Its", "Their", "New", "Local", "Public"}
_BODY = re.compile(rf"\b{alternation(_VOCAB, 'body')}(?:\s+Team)?$")
_EXTERNAL = re.compile(rf"^{alternation(_VOCAB, 'external')}$", re.I)
_NOT_UNIT = re.compile(rf"\b{alternation(_VOCAB, 'not_unit')}\b", re.I)
_ENDS_IN_SUFFIX = re.compile(rf"\b{_SUFFIX}$", re.I)
_GENERIC = frozenset(words(_VOCAB, "generic"))
_DOCUMENT_KIND = re.compile(rf"\b{alternation(_VOCAB, 'document_kind')}\b", re.I)
_OWNER = re.compile(r"^(?:the\s+)?(?:[A-Z][\w]*\s+)?(?:Council|Authority)['’]s?\s+", re.I)
_MONTH = re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b")


_COUNCIL_PREFIX = re.compile(
    r"^(?:[A-Z][\w'’\-]*\s+){1,4}?(?:Metropolitan\s+)?(?:Borough|District|County|City)\s+Council(?:['’]s)?\s+(?=[A-Z])")


@short_text_cache()
def without_council(name: str) -> str:
    """"Adur District Council Environmental Services" → "Environmental Services": the council is not part of the unit's name."""
    stripped = _COUNCIL_PREFIX.sub("", name)
    return stripped if stripped != name and unit_like(stripped) else name


@short_text_cache()
def unit_like(name: str) -> bool:
    """Could this name a unit rather than a plan, a document part or an accounting line?

    Used where a name comes from a place that also holds other things (the
    plan's scope, contents entries, title headings, budget row labels).
    """
    name = clean(name)
    tokens = [t.lower().strip("’'") for t in re.findall(r"[\w'’]+", name)]
    if not tokens or all(t in _GENERIC or t.isdigit() for t in tokens):
        return False
    if re.search(r"\d", name) or _BODY.search(name) or _is_council(name):
        return False
    return not _NOT_UNIT.search(name) or bool(_ENDS_IN_SUFFIX.search(name))


def _is_council(name: str) -> bool:
    """"London Borough of Barnet", "Isle of Wight": the council itself, not one of its units."""
    try:
        return council_register().resolve(name) is not None
    except AmbiguousCouncil:
        return True


class _Units:
    """Services found so far, one per normalised name; later finds fill gaps."""

    def __init__(self, doc: Document, ctx: Context):
        self.doc, self.ctx, self.by_key = doc, ctx, {}
        self.by_loose: dict[str, Service] = {}  # the suffix-free key of each unit, so a lookup is one dict access

    def add(self, name: str, piece: Piece, parent: Optional[str] = None, lead: Optional[str] = None,
            role: Optional[str] = None, confidence: float = 1.0) -> Optional[Service]:
        name = without_council(clean(name).strip(" *:-–"))
        parent = without_council(parent) if parent else parent
        if not name or len(name) > 90 or len(name.split()) > 10:
            return None
        key = normalise_for_match(name)
        loose = normalise_for_match(_loose(name))
        existing = self.by_key.get(key) or self.by_loose.get(loose)
        if existing is not None:
            existing.parent = existing.parent or parent
            existing.lead = existing.lead or lead
            existing.lead_role = existing.lead_role or role
            return existing
        service = Service(source=self.doc.source, name=name, parent=parent if parent != name else None, lead=lead,
                          lead_role=role, provenance=provenance(piece), confidence=confidence)
        self.by_key[key] = service
        self.by_loose.setdefault(loose, service)
        self.ctx.services.append(service)
        return service


@short_text_cache()
def _loose(name: str) -> str:
    return re.sub(r"\s+(?:services?|directorate|department)$", "", strip_unit_suffix(name), flags=re.I)


@register("services", requires=("metadata",))
def extract_services(doc: Document, ctx: Context) -> list[Record]:
    units = _Units(doc, ctx)
    scope = ctx.scope
    first = doc.blocks[0] if doc.blocks else Piece("", 0, 0)
    if scope and unit_like(scope):
        units.add(scope, first)
    titled = _title_units(doc, ctx, units)
    ctx.own_unit = without_council(scope) if scope and unit_like(scope) else (titled[0] if titled else "")
    _scope_leads(doc, ctx, units)
    _structure_tables(doc, ctx, units)
    _led_by_sections(doc, ctx, units)
    _enumerations(doc, ctx, units)
    _unit_headings(doc, ctx, units)
    _unit_lists(doc, ctx, units)
    _summary_headings(doc, ctx, units)
    _contact_officers(doc, ctx, units)
    _contents_units(doc, ctx, units)
    _lead_columns(doc, ctx, units)
    _lead_lines(doc, ctx, units)
    _role_comma_units(doc, ctx, units)
    _heads_of_service(doc, ctx, units)
    _cost_centres(doc, ctx, units)
    _mentions(doc, ctx, units)
    _counted_units(doc, ctx, units)
    _label_units(doc, ctx, units)
    found = list(units.by_key.values())
    if not ctx.own_unit and len(found) == 1:
        ctx.own_unit = found[0].name  # a plan that names one unit is that unit's plan
    return found


def _scope_leads(doc: Document, ctx: Context, units: _Units) -> None:
    """The plan's own unit: 'The Executive Director for X is NAME', a signature, 'Strategic Director X'."""
    scope = ctx.scope
    if not scope:
        return
    text = doc.text
    # "The ROLE … is NAME" starts at a "The "; a signature at the start of a line, with a capital
    for pattern, starts in ((PERSON_ROLE_PATTERNS[1], _occurrences(text, "The ")),
                            (PERSON_ROLE_PATTERNS[3], (k for k in _line_starts(text) if "A" <= text[k:k + 1] <= "Z"))):
        m = _first_match_at(pattern, text, starts)
        if m:
            units.add(scope, doc.piece(m.start(), m.end()), lead=m.group("person"), role=clean(m.group("role")))
    found = _scope_post(text, scope) if scope in text else None
    if found:
        start, end, role = found
        units.add(scope, doc.piece(start, end), role=role)


_SCOPE_POSTS = ("Director", "Head", "Manager")
# "[Word ]Director|Head|Manager" and the space and "(" before the scope, one pattern with the prefix word, one without
_POST_HEADS = tuple(re.compile(rf"\b(?P<role>{prefix}(?:{'|'.join(_SCOPE_POSTS)}))\s*\(?") for prefix in (r"[A-Z]\w+ ", ""))


def _scope_post(text: str, scope: str) -> Optional[tuple[int, int, str]]:
    """Where "[Word ]Director|Head|Manager (SCOPE)" first stands: start, end and the role.

    The same as the pattern with the scope written into it, without compiling a
    pattern for every plan's own scope (a plan's scope is its own title, so
    ``re``'s cache never holds it on a real corpus).  A scope opening with space
    or "(" could match inside the gap, so it still gets its own pattern.
    """
    if scope[:1] == "(" or re.match(r"\s", scope):
        tail = re.compile(rf"\b(?P<role>(?:[A-Z]\w+ )?(?:{'|'.join(_SCOPE_POSTS)}))\s*\(?{re.escape(scope)}\)?")
        m = _first_match_at(tail, text, _post_starts(text))
        return (m.start(), m.end(), m.group("role")) if m else None
    for k in _post_starts(text):
        for head in _POST_HEADS:
            m = head.match(text, k)
            if m and text.startswith(scope, m.end()):
                end = m.end() + len(scope)
                return k, end + text.startswith(")", end), m.group("role")
    return None


_WORD_CHAR = re.compile(r"\w")


def _post_starts(text: str) -> list[int]:
    """Where a "[Word ]Director|Head|Manager …" match can start, ascending: at each post word, and at the
    start of the word and space right before it (found with ``str.find``, not a pattern tried at every character)."""
    starts = set()
    for post in _SCOPE_POSTS:
        for k in _occurrences(text, post):
            starts.add(k)
            if k >= 2 and text[k - 1] == " ":
                j = k - 1
                while j and _WORD_CHAR.match(text[j - 1]):
                    j -= 1
                starts.add(j)
    return sorted(starts)


def _first_match_at(pattern: re.Pattern, text: str, starts: Iterator[int]) -> Optional[re.Match]:
    """``pattern.search(text)`` when every match starts at one of ``starts`` (ascending): the pattern is
    tried only there, not at every character of a whole document."""
    for k in starts:
        m = pattern.match(text, k)
        if m:
            return m
    return None


def _occurrences(text: str, literal: str) -> Iterator[int]:
    k = text.find(literal)
    while k >= 0:
        yield k
        k = text.find(literal, k + 1)


def _line_starts(text: str) -> Iterator[int]:
    yield 0
    yield from (k + 1 for k in _occurrences(text, "\n"))


def _structure_tables(doc: Document, ctx: Context, units: _Units) -> None:
    for block in doc.tables():
        table = block.table
        rows = table.body
        heads = [r for r in rows if r and _HEAD_ROLE.match(r[0].clean)]
        if len(heads) >= 2 and len(rows[0]) >= 2:  # Head of X | • a • b
            for row in heads:
                m = _HEAD_ROLE.match(row[0].clean)
                role, parent = m.group("role"), m.group("unit")
                units.add(parent, row[0], parent=ctx.scope, role=role)
                for item in row[1].items():
                    units.add(item.clean, item, parent=parent, role=role)
            continue
        parent_col = table.column(*_PARENT_COLUMN)
        if parent_col is None:
            continue  # no parent column: no unit column is looked for
        child = next((i for i, label in enumerate(table.header) if i != parent_col
                      and _UNIT_COLUMN_LABEL.search(label.lower())), None)
        if child is None:
            continue
        current = None
        for row in rows:
            if row[parent_col].clean:
                current = row[parent_col].clean
                units.add(current, row[parent_col], parent=ctx.scope)
            if row[child].clean:
                units.add(row[child].clean, row[child], parent=current)


def _led_by_sections(doc: Document, ctx: Context, units: _Units) -> None:
    led = []
    for block in doc.blocks:
        m = _first_match_at(PERSON_ROLE_PATTERNS[0], block.text, _led_by_starts(block.text)) if " by" in block.text else None
        if m and block.kind != "table":
            heading = next(doc.headings_before(block.index), None)
            if heading is not None:
                led.append((heading, m))
    if not led:
        return
    first, last = led[0][0].index, led[-1][0].index
    run = [b for b in doc.blocks[first: last + 1] if b.kind == "heading"]
    leads = {h.index: m for h, m in led}
    for heading in run:
        items = _items_after(doc, heading)
        m = leads.get(heading.index)
        if m is None and not items:
            continue
        name = heading.clean
        units.add(name, heading, parent=ctx.scope, lead=m and m.group("person"), role=m and clean(m.group("role")))
        for item in items:
            units.add(item.clean, item, parent=name)


_LED_WORDS = ("Led", "Headed", "Managed", "Run")  # what PERSON_ROLE_PATTERNS[0] opens with, before " by"


def _led_by_starts(text: str) -> list[int]:
    """Where a "Led by NAME - ROLE" match can start, ascending: a lead word right before each " by"."""
    return sorted({k - len(w) for k in _occurrences(text, " by") for w in _LED_WORDS if text.startswith(w, k - len(w)) and k >= len(w)})


def _items_after(doc: Document, heading: Block) -> list[Block]:
    items = []
    for block in doc.blocks_after(heading.index):
        if block.kind == "list_item":
            items.append(block)
        elif block.kind == "heading" or items:
            break
    return items


def _enumerations(doc: Document, ctx: Context, units: _Units) -> None:
    """'… the teams that provide these services: A, B, including C, and D.'"""
    for block in doc.blocks:
        if block.kind != "paragraph" or ":" not in block.text or not any(w in block.text for w in _ENUMERATION_WORDS):
            continue  # every enumeration has a colon and one of these words
        for m in _ENUMERATION.finditer(block.text):
            names = _split_enumeration(m.group("list"))
            if len(names) < 3:
                continue
            parent = None
            base = block.start + m.start("list")
            for name, including in names:
                pos = block.text.find(name, m.start("list"))
                piece = doc.piece(block.start + pos, block.start + pos + len(name)) if pos >= 0 else doc.piece(base, base)
                piece.page = block.page
                if including and parent:
                    units.add(name, piece, parent=parent)
                else:
                    units.add(name, piece, parent=ctx.scope)
                    parent = name


def _split_enumeration(text: str) -> list[tuple[str, bool]]:
    out = []
    for part in re.split(r",\s*(?:and\s+)?", text):
        part = part.strip()
        including = bool(re.match(r"including\s+", part, re.I))
        part = re.sub(r"^(?:including|and)\s+", "", part, flags=re.I).strip()
        if not part or not part[0].isupper() or len(part.split()) > 6:
            return []
        out.append((part, including))
    return out


def _ends_in_colon(text: str) -> bool:
    """What ``_UNIT_LIST_LEAD_IN`` needs at the end, asked before its look-aheads read the whole paragraph."""
    return text[-24:].rstrip().endswith((":", ":-"))


def _ends_in_lead_word(clean_text: str) -> bool:
    """Whether a cleaned text (single spaces) ends in a word ``_UNITS_LEAD_IN`` ends on, before an optional " :-"."""
    return may_hold_any(clean_text[-24:].rstrip()[-16:], _LEAD_WORDS)


_LEAD_WORDS = ("follows", "are", "include", "below")


def _unit_headings(doc: Document, ctx: Context, units: _Units) -> None:
    """Headings after 'Specific units are as follows:' are units, until a generic heading."""
    for block in doc.blocks:
        if block.kind != "paragraph" or not _ends_in_lead_word(block.clean) or not _UNITS_LEAD_IN.search(block.clean):
            continue
        following = doc.blocks[block.index + 1:]
        if not following or following[0].kind != "heading":
            continue
        for nxt in following:
            if nxt.kind != "heading":
                continue
            named_unit = ctx.known_unit(nxt.clean) or re.search(r"\b(?:Services?|Unit|Team|Office|Division)$", nxt.clean)
            if GENERIC_HEADING.search(nxt.clean) and not named_unit or len(nxt.clean.split()) > 7:
                break
            units.add(nxt.clean, nxt, parent=ctx.scope)


_UNIT_LIST_LEAD_IN = re.compile(
    r"^(?=.*\b(?:units?|services|teams|sections|divisions|departments|directorates|service areas)\b)"
    r"(?=.*\b(?:as follows|are|include|includes|including|comprises?|consists? of|made up of|covers|delivers|provides|"
    r"(?:in|across) the following)\b)[^:]*:-?\s*$", re.I)
_LEAD_SUBJECT = re.compile(r"^(?:The\s+)?(?P<unit>[A-Z][\w&'’,\- ]*?\b(?:Services?|Directorate|Department|Division|Team|Unit|Office))\s+"
                           r"(?:sits|is|are|has|have|delivers|provides|comprises|includes|covers|consists|brings)\b")


def _unit_lists(doc: Document, ctx: Context, units: _Units) -> None:
    """"The directorate comprises four services:" over a list of names: each name is a unit of the plan's scope."""
    for block in doc.blocks:
        if block.kind != "paragraph" or not _ends_in_colon(block.clean) or not _UNIT_LIST_LEAD_IN.search(block.clean):
            continue
        items = []
        for nxt in doc.blocks_after(block.index):
            if nxt.kind != "list_item":
                break
            items.append(nxt)
        names = [i for i in items if _a_name(i.clean)]
        if len(items) >= 2 and len(names) == len(items):
            subject = _LEAD_SUBJECT.match(block.clean)  # "Regulatory Services … delivers services in the following areas:"
            parent = subject.group("unit") if subject else ctx.scope
            if subject:
                units.add(parent, block, parent=None)
            for item in items:
                units.add(item.clean.rstrip(";,."), item, parent=parent)


def _a_name(text: str) -> bool:
    """A list item that is a name ("Private Sector Housing"), not a description ("leading on statutory services")."""
    text = text.rstrip(";,.")
    tokens = text.split()
    return (0 < len(tokens) <= 6 and text[:1].isupper() and unit_like(text)
            and all(t[:1].isupper() or t.lower() in ("and", "&", "of", "for", "the") for t in tokens))


_PLAN = re.compile(r"\bplan\b", re.I)


def _summary_headings(doc: Document, ctx: Context, units: _Units) -> None:
    """'Housing and Communications Service Plan Summary 2012/13' names a unit."""
    for block in doc.blocks:
        if block.kind == "heading" and block.index > 2 and may_hold(block.text, "plan") and _PLAN.search(block.text):
            unit = unit_from_heading(block.text)
            if unit:
                units.add(unit, block, parent=ctx.scope if ctx.scope != unit else None)


_OFFICER_WORDS = ("Contact", "Lead", "Responsible")  # what PERSON_ROLE_PATTERNS[2] opens with, before " Officer"


def _officer_starts(text: str) -> list[int]:
    """Where a "Contact Officer: NAME, ROLE" match can start, ascending: an officer word before each " [Oo]fficer"."""
    out = set()
    for k in _occurrences(text, "fficer"):
        if k >= 2 and text[k - 1] in "Oo" and text[k - 2] == " ":
            out.update(k - 2 - len(w) for w in _OFFICER_WORDS if k - 2 >= len(w) and text.startswith(w, k - 2 - len(w)))
    return sorted(out)


def _matches_at(pattern: re.Pattern, text: str, starts: list[int]) -> Iterator[re.Match]:
    """``pattern.finditer(text)`` when every match starts at one of ``starts`` (ascending): the pattern is
    tried only there, each search going on after the last match as ``finditer`` does."""
    end = 0
    for k in starts:
        if k < end:
            continue
        m = pattern.match(text, k)
        if m:
            yield m
            end = max(m.end(), k + 1)


def _contact_officers(doc: Document, ctx: Context, units: _Units) -> None:
    """'Contact Officer: NAME, Director of X' — the person leads unit X."""
    if "fficer" not in doc.text:  # "Contact Officer:", "Lead officer:": the pattern's one fixed stretch
        return
    for m in _matches_at(PERSON_ROLE_PATTERNS[2], doc.text, _officer_starts(doc.text)):
        role = clean(m.group("role"))
        unit = _HEAD_ROLE.match(role)
        if unit:
            units.add(unit.group("unit"), doc.piece(m.start(), m.end()), parent=ctx.scope, lead=m.group("person"), role=role)


_ARITHMETIC_LABEL = re.compile(r"\b(?:sub-?)?totals?\b|^(?:net|gross)\b|\b(?:departmental|directorate) (?:expenditure|budget|total)\b", re.I)
_TITLE_SKIP = re.compile(r"^(?:appendix|annexe?|agenda|item|minutes|part)\b|\b(?:council|committee|cabinet)$", re.I)


def _title_units(doc: Document, ctx: Context, units: _Units) -> list[str]:
    """The headings that open a plan name its units: "Call Centre & Distribution / Isle of Wight Tourism / Departmental Business Plan".

    Only the run of headings before the first body text counts.  A heading
    there is a unit when it ends in a unit word ("Housing & Homelessness
    Services") or stands right above the heading that names the kind of plan;
    the heading below a unit in that stack is its parent.
    """
    stack: list[Block] = []
    for block in doc.blocks[:8]:
        if block.kind != "heading":
            break
        stack.append(block)
    kind_at = next((i for i, b in enumerate(stack) if _DOCUMENT_KIND.search(b.clean)), None)
    names = []
    for i, block in enumerate(stack[: kind_at if kind_at is not None else len(stack)]):
        text = block.clean
        if _TITLE_SKIP.search(text) or GENERIC_HEADING.search(text) or not unit_like(text) or len(text.split()) > 6:
            continue
        if _ENDS_IN_SUFFIX.search(text) or kind_at is not None:
            names.append((text, block))
    for k, (name, block) in enumerate(names):
        parent = names[k + 1][0] if k + 1 < len(names) else None
        units.add(name, block, parent=parent)
    return [name for name, _ in names]


_POST = re.compile(rf"\b{alternation(_VOCAB, 'role')}\b")
_CONTENTS = re.compile(r"\b(?:CONTENTS|[Cc]ontents)(?![a-z])")  # "CONTENTSList of …" when the PDF lost a line break
_UNIT_GROUP = re.compile(r"\b(?:service areas?|departments?|directorates?|divisions?|services|cost centres?|portfolios?)\b", re.I)
_CONTENTS_ENTRY = re.compile(r"(?P<title>\S.*?)\s*(?<![\d/])(?P<page>\d{1,3})(?=[A-Z]|\s*$)")


def _contents_units(doc: Document, ctx: Context, units: _Units) -> None:
    """A budget book's contents page lists its departments: "Chief Executive's Office 9Corporate Director – Resources 29".

    The contents run from a line naming "Contents" while lines end in page
    numbers (or introduce a group with a colon).  An entry is a unit when it
    ends in a unit word or names a post ("Corporate Director – Resources"),
    or sits under a group line naming departments or service areas and is
    not a document part ("Budget Summary", "Calendar", "Our Vision").
    """
    for start, block in enumerate(doc.blocks):
        if block.kind == "table" or not ("ontents" in block.text or "ONTENTS" in block.text) or not _CONTENTS.search(block.text):
            continue
        entries, group = [], None
        first = block.text[_CONTENTS.search(block.text).end():]
        for piece_text, offset in [(first, block.start + len(block.text) - len(first))] + [(b.text, b.start) for b in doc.blocks[start + 1:]]:
            found = list(_CONTENTS_ENTRY.finditer(piece_text))
            if not found:
                if clean(piece_text).endswith(":") or not clean(piece_text):
                    group = clean(piece_text) or group
                    continue
                break
            entries.extend((m, offset, group) for m in found)
        pages = [int(m.group("page")) for m, _, _ in entries]
        if len(entries) < 3 or pages != sorted(pages):
            continue
        for m, offset, group in entries:
            title = re.sub(r"^(?:\d{1,2}(?:\.\d{1,2})*|[A-Z]|[ivx]+)[.)]?\s+(?=[A-Z])", "", clean(m.group("title"))).strip(" .:-–")  # "2 Housing Services"
            named = _ENDS_IN_SUFFIX.search(title) or _POST.search(title)  # "Corporate Director – Resources"
            listed = group and _UNIT_GROUP.search(group) and not GENERIC_HEADING.search(title)  # under "Service areas:"
            if unit_like(title) and (named or listed) and len(title.split()) <= 6:
                units.add(title, doc.piece(offset + m.start("title"), offset + m.start("title") + len(m.group("title")), block.page), confidence=0.8)
        return


def _lead_columns(doc: Document, ctx: Context, units: _Units) -> None:
    """A lead column (the table view's ``lead`` role) names the unit beside its post: "Director, Corporate and Customer Services"."""
    for view in ctx.tables:
        col = next((c.index for c in view.columns if c.role == "lead"), None)
        if col is None:
            continue
        for row in view.data_rows("data"):
            lead = read_lead(row.cells[col].text) if col < len(row.cells) else None
            if lead and lead.unit and unit_like(lead.unit):
                units.add(lead.unit, row.cells[col], parent=None, lead=lead.person, role=lead.role)


_FIELD_LABEL = re.compile(rf"^{alternation(_VOCAB, 'field_label')}$", re.I)


def _lead_lines(doc: Document, ctx: Context, units: _Units) -> None:
    """A unit named beside its lead on one line: "Head of Housing: Jane Smith", "Planning: John Doe (Service Manager)"."""
    for block in doc.blocks:
        if block.kind == "table":
            continue
        lead = lead_from_clean(block.clean)
        if lead and unit_like(lead.unit) and not _FIELD_LABEL.match(lead.unit):
            units.add(lead.unit, block, parent=ctx.scope if ctx.scope != lead.unit else None, lead=lead.person, role=lead.role)


_ROLE_COMMA_UNIT = re.compile(
    rf"\b(?P<role>{alternation(_VOCAB, 'role')}),\s+(?P<unit>(?:[A-Z][\w&'’]*\s+(?:(?:and|&)\s+)?)*?{alternation(_VOCAB, 'suffix')})\b")


# what every _ROLE_COMMA_UNIT match holds: a post's last word right before the comma (a pattern opening with a
# set of first letters is scanned in C; one opening with \b is tried at every character)
_POST_COMMA = re.compile("(?:" + "|".join(sorted({re.escape(w.split()[-1]) for w in words(_VOCAB, "role")})) + r"),\s")


def _role_comma_units(doc: Document, ctx: Context, units: _Units) -> None:
    """"Lead Officer … Director, Corporate and Customer Services": a post, a comma and a unit name ending in a unit word."""
    for block in doc.blocks:
        if block.kind == "table":
            continue
        if "," not in block.text or not _POST_COMMA.search(block.text):
            continue  # no post right before a comma: no match
        for m in _ROLE_COMMA_UNIT.finditer(block.text):
            unit = m.group("unit")
            if unit_like(unit) and not _implausible_mention(unit):
                start = block.start + m.start()
                units.add(unit, doc.piece(start, block.start + m.end(), block.page), role=m.group("role"))


_HEADS_FOR = re.compile(rf"\b(?P<role>Heads\s+of\s+Service|{alternation(_VOCAB, 'role')}s)\s+for\s+(?P<list>[A-Z][\w'’&]*(?:(?:\s*,\s*|\s+and\s+|\s+&\s+|\s+)[A-Z][\w'’&]*)*)")


# what every _HEADS_FOR match holds: the end of its plural post ("…s") or of "Heads of Service", "for" and a capital
_HEADS_FOR_TAIL = re.compile(r"(?:s|Service)\s+for\s+[A-Z]")


def _heads_of_service(doc: Document, ctx: Context, units: _Units) -> None:
    """"the Heads of Service for Finance, Housing and Environmental Enhancement": one unit per name."""
    for block in doc.blocks:
        if block.kind == "table":
            continue
        if "for" not in block.text or not _HEADS_FOR_TAIL.search(block.text):
            continue  # no plural post before "for" and a name: no match
        for m in _HEADS_FOR.finditer(block.text):
            names = [n.strip() for n in re.split(r"\s*,\s*|\s+and\s+(?=[A-Z])", m.group("list")) if n.strip()]
            role = re.sub(r"^Heads\b", "Head", re.sub(r"s$", "", m.group("role")) if not m.group("role").startswith("Head") else m.group("role"))
            for name in names:
                if unit_like(name):
                    start = block.start + m.start("list") + m.group("list").find(name)
                    units.add(name, doc.piece(start, start + len(name), block.page), role=role)


_COUNT = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_COUNTED = re.compile(
    rf"\b(?P<count>{'|'.join(_COUNT)}|\d)\s+(?:[a-z]+\s+){{0,2}}(?:services|teams|units|departments|directorates|divisions|sections)"
    r"\s*(?:[-–—:(]|,)\s*(?P<list>[A-Z][^-–—:()]*?)\s*(?:[-–—)]|\.\s|\.$|$)", re.I)


_COUNTED_WORDS = ("services", "teams", "units", "departments", "directorates", "divisions", "sections")  # one ends each count


_LIST_OPENERS = "-–—:(,"  # what _COUNTED reads between its unit word and the list


def _counted_word_before_list(text: str) -> bool:
    """False only when no ``_COUNTED_WORDS`` word (any case) is followed by optional whitespace and a list opener,
    as every ``_COUNTED`` match has; text that ``lower`` folds as ``re.I`` does (``folds_like_ascii``: whitespace
    and the openers lower to themselves) is read with ``str.find``."""
    if not folds_like_ascii(text):
        return True
    low = text.lower()
    for word in _COUNTED_WORDS:
        k = low.find(word)
        while k >= 0:
            j = k + len(word)
            while j < len(low) and low[j].isspace():
                j += 1
            if j < len(low) and low[j] in _LIST_OPENERS:
                return True
            k = low.find(word, k + 1)
    return False


def _counted_units(doc: Document, ctx: Context, units: _Units) -> None:
    """"The Council's two central services - Corporate Development and Chief Executive's - are …": as many names as counted."""
    for block in doc.blocks:
        if block.kind not in ("paragraph", "list_item"):
            continue
        if not _counted_word_before_list(block.text):
            continue  # no unit word before a list opener (nor any unit word): no count
        for m in _COUNTED.finditer(block.text):
            names = [n.strip() for n in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+(?=[A-Z])", m.group("list")) if n.strip()]
            count = _COUNT.get(m.group("count").lower()) or int(m.group("count"))
            if len(names) != count or not all(n[:1].isupper() and len(n.split()) <= 6 for n in names):
                continue
            for name in names:
                if ctx.known_unit(name):
                    continue
                start = block.start + m.start("list") + m.group("list").find(name)
                units.add(name, doc.piece(start, start + len(name), block.page))


def _is_word_char(c: str) -> bool:
    """What ``\\w`` matches in a str pattern (the empty string, past either end, is not one)."""
    return c.isalnum() or c == "_"


def _count_whole(name: str, text: str) -> int:
    """``len(re.findall(rf"\\b{re.escape(name)}\\b", text))`` with ``str.find``: the pattern opens with ``\\b``, so it
    is tried at every character of the whole document (and compiled anew for each plan's labels).

    As ``findall`` does, each occurrence is tried in order, and after a match the search goes on past it.
    """
    if not name:
        return len(re.findall(r"\b\b", text))
    count, size, k = 0, len(name), text.find(name)
    while k >= 0:
        end = k + size
        if (_is_word_char(text[k - 1:k]) != _is_word_char(name[:1])) and (_is_word_char(name[-1:]) != _is_word_char(text[end:end + 1])):
            count += 1
            k = text.find(name, end)
        else:
            k = text.find(name, k + 1)
    return count


def _label_units(doc: Document, ctx: Context, units: _Units) -> None:
    """"Strategic Policy:" over a list (or a lead-in and a list) names a unit when the plan names it elsewhere too.

    Elsewhere: a heading of that name, or two more mentions of it (a staffing
    row, a budget line); a one-off label ("Key facts:") is not a unit.
    """
    headings: Optional[set[str]] = None  # made when a label first needs them
    mentions: dict[str, int] = {}  # a label repeated through a long plan is counted in its text once
    for block in doc.blocks:
        if block.kind != "paragraph":
            continue  # before its clean text: a table's whole text is not cleaned for this
        text = block.clean
        if not text.endswith(":") or len(text.split()) > 5:
            continue
        name = text.rstrip(":").strip()
        following = doc.blocks[block.index + 1: block.index + 3]
        introduces_list = any(b.kind == "list_item" for b in following)
        if not introduces_list or not unit_like(name) or GENERIC_HEADING.search(name):
            continue
        if name not in mentions:  # a name the text does not hold as written is not searched for
            mentions[name] = _count_whole(name, doc.text)
        elsewhere = mentions[name] - 1
        if headings is None:
            headings = {normalise_for_match(b.clean) for b in doc.blocks if b.kind == "heading"}
        if normalise_for_match(name) in headings or elsewhere >= 2:
            units.add(name, block, parent=ctx.scope)


_NOT_COST_CENTRES = re.compile(rf"\b{regex_alternation(_VOCAB, 'not_cost_centres')}\b", re.I)


_UNITS_HEAD = re.compile(r"^(?:services?|departments?|directorates?|portfolios?|divisions?|cost cent(?:re|er)s?(?:\s*/\s*services?)?)$", re.I)


def _cost_centres(doc: Document, ctx: Context, units: _Units) -> None:
    """Row labels of a money table are cost centres: units the plan budgets for."""
    for view in ctx.tables:
        year_columns = [c for c in view.columns if c.money and c.year]
        about = " ".join([view.context, ctx.meta.title or ""] + [r.label for r in view.rows if r.role == "section"])
        units_column = bool(_UNITS_HEAD.search(view.columns[view.label_column].label)) and any(c.money for c in view.columns)
        if not units_column and (len(year_columns) < 2 or _NOT_COST_CENTRES.search(about)):
            continue  # a year-by-year revenue table's lines are units, as are rows headed Service; a capital programme's are schemes
        for row in view.data_rows("data"):
            label = row.label
            if row.ref or not label:
                continue  # a ledger line (00101 Salaries) is an account, not a unit
            if unit_like(label) and not _ARITHMETIC_LABEL.search(label):
                units.add(label, row.cells[view.label_column], parent=ctx.scope, confidence=0.7)


_TWO_UNITS = re.compile(r"\s+(?:and|&)\s+(?=[A-Z])")  # "Youth Service and Youth Offending Service"
_UNIT_END = re.compile(r"\b(?:Services?|Team|Unit)$")


# characters no _MENTION holds (its name is words of [\w'’&-] joined by spaces, commas, "and", "&"; its unit
# word is letters), and none a space or a capital, so its closing look-ahead reads the same with the text cut there
_NAME_BREAK = re.compile(r'[.;:()!?"]')


def _mention_matches(text: str) -> Iterator[re.Match]:
    """``_MENTION.finditer(text)``, searched only in the stretches between ``_NAME_BREAK`` characters that hold a unit word.

    A match runs unbroken from its start to past its unit word, so it lies in the stretch
    round a ``_SPACE_MENTION_SUFFIX`` hit (the space before its unit word); the name part,
    tried at every capital otherwise, skips the sentences that name no unit.
    """
    pos, size = 0, len(text)
    while True:
        hit = _SPACE_MENTION_SUFFIX.search(text, pos)
        if hit is None:
            return  # every match ends in a unit word
        near = hit.start()
        start = max(pos, text.rfind(".", pos, near) + 1)  # a full stop, the commonest break, is enough
        stop = _NAME_BREAK.search(text, hit.end())
        end = stop.start() if stop else size
        m = _MENTION.search(text, start, end)
        if m is None:
            pos = end
            continue
        yield m
        pos = m.end()


def _mentions(doc: Document, ctx: Context, units: _Units) -> None:
    """Capitalised names ending in Service/Team/Unit/Directorate/Dept/Office in running text."""
    for block in doc.blocks:
        # a heading of seven words or more is a line of text the reader took for a heading
        if block.kind == "table" or block.kind == "heading" and len(block.clean.split()) < 7:
            continue
        for m in _mention_matches(block.text):
            suffix = m.group("suffix")
            tokens = m.group("name").replace(",", "").split()
            while tokens and tokens[0] in _NOT_A_UNIT_START:
                tokens = tokens[1:]
            if not tokens or (tokens[0] in ("and", "&")):
                continue
            name = _OWNER.sub("", " ".join(tokens))
            if suffix.islower() and suffix != "team":
                if len(tokens) < 2 or " and " in f" {name} " or name.isupper():
                    continue
                full = name
            else:
                full = f"{name} {suffix}"
            if _implausible_mention(full):
                continue
            # "Youth Service and Youth Offending Service" is two units
            parts = _TWO_UNITS.split(full)
            if len(parts) > 1 and _UNIT_END.search(parts[0]):
                names = parts
            else:
                names = [full]
            for unit in names:
                if ctx.known_unit(unit) or ctx.known_unit(strip_unit_suffix(unit)):
                    continue
                pos = block.text.find(unit)
                start = block.start + (pos if pos >= 0 else m.start())
                units.add(unit, doc.piece(start, start + len(unit)), parent=ctx.scope, confidence=0.6)


@short_text_cache()
def _implausible_mention(name: str) -> bool:
    """Run-on table text throws up "Person Reporting HS1 Service"; governing bodies are not units."""
    return bool(re.search(r"\d", name) or _MONTH.search(name) or _BODY.search(name) or _EXTERNAL.match(name))
