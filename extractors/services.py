"""Services: the organisational units a plan names, with parent, lead and role.

Units show up in a handful of shapes, each handled by one small rule:
structure tables (``Head of Service | Service``; ``Head of Finance | • a • b``),
"Led by NAME - ROLE" sections with their bullet lists, an enumerating
sentence ("the teams that provide these services: A, B, including C"),
unit headings after "units are as follows", section headings of the form
"<Unit> Service Plan Summary 2012/13", cost-centre rows of budget tables,
and capitalised names ending in Service/Team/Unit/Directorate.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

from extractors import register
from extractors.context import GENERIC_HEADING, Context, provenance, strip_unit_suffix, unit_from_heading
from pipeline.document import Block, Document, Piece
from pipeline.nlp import PERSON_ROLE_PATTERNS
from pipeline.normalise.text import clean, normalise_for_match
from schemas import Record, Service

_HEAD_ROLE = re.compile(r"^(?P<role>(?:Assistant |Deputy |Executive |Strategic )?(?:Head|Director|Manager|Lead) of (?P<unit>.+))$")
_UNIT_COLUMN = ("service", "team", "unit", "section")
_PARENT_COLUMN = ("head of", "directorate", "division", "department", "portfolio", "area")
_UNITS_LEAD_IN = re.compile(r"\b(units?|services|teams|sections|divisions)\b[^.]*\b(as follows|are|include|below)\s*:?-?\s*$", re.I)
_ENUMERATION = re.compile(r"\b(?:teams?|services|units|sections|divisions|functions)\b[^:.]*:\s*(?P<list>[^:]+?)(?:\.\s|\.$|$)")
_MENTION = re.compile(
    r"(?P<name>[A-Z][\w'’&\-]*(?:(?:,\s|\s(?:and|&)\s|\s)[A-Z][\w'’&\-]*)*)\s+(?P<suffix>Services?|Team|Unit|Directorate|Division|Department|service|team|unit|division)\b(?!\s+[A-Z])"
)
_NOT_A_UNIT_START = {"The", "This", "That", "These", "Our", "A", "An", "Each", "All", "Every", "Shared", "Council", "Service", "Any", "In", "As", "For", "Its", "Their", "New", "Local", "Public"}


class _Units:
    """Services found so far, one per normalised name; later finds fill gaps."""

    def __init__(self, doc: Document, ctx: Context):
        self.doc, self.ctx, self.by_key = doc, ctx, {}

    def add(self, name: str, piece: Piece, parent: Optional[str] = None, lead: Optional[str] = None,
            role: Optional[str] = None, confidence: float = 1.0) -> Optional[Service]:
        name = clean(name).strip(" *:-–")
        if not name or len(name) > 90 or len(name.split()) > 10:
            return None
        key = normalise_for_match(name)
        loose = normalise_for_match(_loose(name))
        for existing_key, existing in self.by_key.items():
            if existing_key == key or normalise_for_match(_loose(existing.name)) == loose:
                existing.parent = existing.parent or parent
                existing.lead = existing.lead or lead
                existing.lead_role = existing.lead_role or role
                return existing
        service = Service(source=self.doc.source, name=name, parent=parent if parent != name else None, lead=lead,
                          lead_role=role, provenance=provenance(piece), confidence=confidence)
        self.by_key[key] = service
        self.ctx.services.append(service)
        return service


def _loose(name: str) -> str:
    return re.sub(r"\s+(?:services?|directorate|department)$", "", strip_unit_suffix(name), flags=re.I)


@register("services", requires=("metadata",))
def extract_services(doc: Document, ctx: Context) -> list[Record]:
    units = _Units(doc, ctx)
    scope = ctx.scope
    first = doc.blocks[0] if doc.blocks else Piece("", 0, 0)
    if scope:
        units.add(scope, first)
    _scope_leads(doc, ctx, units)
    _structure_tables(doc, ctx, units)
    _led_by_sections(doc, ctx, units)
    _enumerations(doc, ctx, units)
    _unit_headings(doc, ctx, units)
    _summary_headings(doc, ctx, units)
    _contact_officers(doc, ctx, units)
    _cost_centres(doc, ctx, units)
    _mentions(doc, ctx, units)
    return list(units.by_key.values())


def _scope_leads(doc: Document, ctx: Context, units: _Units) -> None:
    """The plan's own unit: 'The Executive Director for X is NAME', a signature, 'Strategic Director X'."""
    scope = ctx.scope
    if not scope:
        return
    for pattern in PERSON_ROLE_PATTERNS[1:4:2]:  # "The ROLE … is NAME" and signatures
        for m in pattern.finditer(doc.text):
            units.add(scope, doc.piece(m.start(), m.end()), lead=m.group("person"), role=clean(m.group("role")))
            break
    m = re.search(rf"\b(?P<role>(?:[A-Z]\w+ )?(?:Director|Head|Manager))\s*\(?{re.escape(scope)}\)?", doc.text)
    if m:
        units.add(scope, doc.piece(m.start(), m.end()), role=m.group("role"))


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
        child = next((i for i, label in enumerate(table.header) if i != parent_col
                      and any(re.search(rf"\b{w}", label.lower()) for w in _UNIT_COLUMN)), None)
        if child is None or parent_col is None:
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
        m = PERSON_ROLE_PATTERNS[0].search(block.text)
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


def _items_after(doc: Document, heading: Block) -> list[Block]:
    items = []
    for block in doc.blocks[heading.index + 1:]:
        if block.kind == "list_item":
            items.append(block)
        elif block.kind == "heading" or items:
            break
    return items


def _enumerations(doc: Document, ctx: Context, units: _Units) -> None:
    """'… the teams that provide these services: A, B, including C, and D.'"""
    for block in doc.blocks:
        if block.kind != "paragraph":
            continue
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


def _unit_headings(doc: Document, ctx: Context, units: _Units) -> None:
    """Headings after 'Specific units are as follows:' are units, until a generic heading."""
    for block in doc.blocks:
        if block.kind != "paragraph" or not _UNITS_LEAD_IN.search(block.clean):
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


def _summary_headings(doc: Document, ctx: Context, units: _Units) -> None:
    """'Housing and Communications Service Plan Summary 2012/13' names a unit."""
    for block in doc.blocks:
        if block.kind == "heading" and re.search(r"\bplan\b", block.text, re.I) and block.index > 2:
            unit = unit_from_heading(block.text)
            if unit:
                units.add(unit, block, parent=ctx.scope if ctx.scope != unit else None)


def _contact_officers(doc: Document, ctx: Context, units: _Units) -> None:
    """'Contact Officer: NAME, Director of X' — the person leads unit X."""
    for m in PERSON_ROLE_PATTERNS[2].finditer(doc.text):
        role = clean(m.group("role"))
        unit = _HEAD_ROLE.match(role)
        if unit:
            units.add(unit.group("unit"), doc.piece(m.start(), m.end()), parent=ctx.scope, lead=m.group("person"), role=role)


def _cost_centres(doc: Document, ctx: Context, units: _Units) -> None:
    """Row labels of a money table are cost centres: units the plan budgets for."""
    for view in ctx.tables:
        year_columns = [c for c in view.columns if c.money and c.year]
        if len(year_columns) < 2 or re.search(r"\bcapital\b", view.context + " " + (ctx.meta.title or ""), re.I):
            continue  # a year-by-year revenue table's lines are units; a capital programme's are schemes
        for row in view.data_rows("data"):
            label = row.label
            if row.ref or not label:
                continue  # a ledger line (00101 Salaries) is an account, not a unit
            if not re.search(r"\btotal\b", label, re.I) and not re.search(r"\d", label):
                units.add(label, row.cells[view.label_column], parent=ctx.scope, confidence=0.7)


def _mentions(doc: Document, ctx: Context, units: _Units) -> None:
    """Capitalised names ending in Service/Team/Unit/Directorate in running text."""
    for block in doc.blocks:
        if block.kind not in ("paragraph", "list_item"):
            continue
        for m in _MENTION.finditer(block.text):
            name, suffix = m.group("name"), m.group("suffix")
            words = name.replace(",", "").split()
            while words and words[0] in _NOT_A_UNIT_START:
                words = words[1:]
            if not words or (words[0] in ("and", "&")):
                continue
            name = " ".join(words)
            if suffix.islower() and suffix != "team":
                if len(words) < 2 or " and " in f" {name} " or name.isupper():
                    continue
                full = name
            else:
                full = f"{name} {suffix}"
            # "Youth Service and Youth Offending Service" is two units
            parts = re.split(r"\s+(?:and|&)\s+(?=[A-Z])", full)
            if len(parts) > 1 and re.search(r"\b(?:Services?|Team|Unit)$", parts[0]):
                names = parts
            else:
                names = [full]
            for unit in names:
                if ctx.known_unit(unit) or ctx.known_unit(strip_unit_suffix(unit)):
                    continue
                pos = block.text.find(unit)
                start = block.start + (pos if pos >= 0 else m.start())
                units.add(unit, doc.piece(start, start + len(unit)), parent=ctx.scope, confidence=0.6)
