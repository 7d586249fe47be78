"""Objectives: the priorities, aims, actions and projects a plan commits to.

Sources, each a general shape of council plans:
* list items introduced by a commitment lead-in ("The directorate will:",
  "the aims of the Directorate are to:") or under an objectives heading;
* numbered paragraphs and "Priority 9: …" lines after such a lead-in;
* table columns headed Objective / Priority / Project / Key actions, with
  ref, progress (status), target date and theme from sibling columns;
* two-column objective tables under an objectives heading (unit | objectives),
  including cells whose bullets were flattened into one run of sentences.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

from extractors import register
from extractors.context import Context, heading_words, lead_in, provenance, strip_unit_suffix
from pipeline.document import Block, Document, Piece
from pipeline.normalise.dates import parse_date
from pipeline.normalise.money import find_money
from pipeline.normalise.text import clean
from pipeline.normalise.years import find_years
from schemas import Objective, Record

LEAD_IN_CUE = re.compile(r"\b(will|aims?|objectives?|priorit(?:y|ies)|focus|commit\w*|do this by|targets? (?:are|is)|actions?|pledges?|goals?)\b", re.I)
HEADING_CUE = re.compile(r"\b(objectives?|priorit(?:y|ies)|aims?|actions?|commitments?|how we work|goals?|pledges?)\b", re.I)
_EXAMPLES = re.compile(r"\b(includ\w*|such as|for example|e\.g\.)\s*:?-?\s*$", re.I)
_OBJECTIVE_COLUMN = ("objective", "priorit", "project", "key action", "action", "deliverable", "commitment", "goal")
_NOT_OBJECTIVE_COLUMN = re.compile(r"\b(outcomes?|lead|officer|resources?|progress|status|measure|indicator|target|date|link|aim)\b", re.I)
_AS_FOLLOWS = re.compile(r",?\s*(?:(?:through|via|with|by|in)\s+[\w\s-]*?)?\bas follows\s*:?-?\s*$", re.I)
_LABELLED = re.compile(r"^(?P<kind>Priority|Objective|Aim|Action|Project|Commitment|Outcome)\s+(?P<ref>[\w.]+)\s*[:.\-–]\s*(?P<text>\S.*)$")
_SKIP_CELL = re.compile(r"^(reviewed by|as above|not applicable|n/?a|none|tbc|-)\b", re.I)

VERBS = set("""
accelerate achieve actively agree align assess assist attract build carry champion co-ordinate commission complete comply
conduct consult continue contribute coordinate create deliver design develop drive embed enable encourage engage enhance
ensure establish expand explore extend facilitate focus have help identify implement improve increase influence introduce
invest launch lead maintain make manage maximise minimise modernise monitor move offer open optimise oversee plan positively
prepare prevent print produce progress promote protect provide publish pursue raise reduce refresh renew respond review
seek set share streamline strengthen submit support sustain take target tackle transform undertake update upgrade use widen work
""".split())
_FUNCTION = {"and", "or", "to", "the", "a", "an", "of", "&", "in", "on", "for", "with", "by", "at", "from", "as", "its", "their", "our"}


def _verbish(word: str, nxt: str) -> bool:
    low = word.lower()
    if low in VERBS:
        return True
    if word.endswith("ing") and len(word) > 5:
        return True
    if low == "to" and nxt[:1].islower():
        return True
    if low.endswith("ly") and nxt.lower() in VERBS | {"and"}:
        return True
    return False


def split_flattened(text: str, units: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Cut a run of objectives whose bullets were lost (``… savings Comply fully …``).

    A new objective starts at a capitalised word that opens a commitment (an
    imperative or -ing verb, "To do", a nominalisation + "of", a unit's
    name) right after a word that cannot end a noun phrase mid-sentence.
    """
    tokens = list(re.finditer(r"\S+", text))
    unit_starts = {u.split()[0] for u in units if u}
    cuts = [tokens[0].start()] if tokens else []
    for i in range(1, len(tokens)):
        word = tokens[i].group()
        prev = tokens[i - 1].group()
        nxt = tokens[i + 1].group() if i + 1 < len(tokens) else ""
        if not word[:1].isupper() or prev.lower() in _FUNCTION or prev.endswith((",", ";", ":", "(", "/", "-")):
            continue
        if prev.endswith((".", "!", "?")) and not re.search(r"\b(?:e\.g|i\.e|etc|inc|incl|no)\.$", prev, re.I):
            cuts.append(tokens[i].start())
        elif _verbish(word, nxt) and not word.isupper():
            cuts.append(tokens[i].start())
        elif prev[:1].islower() and nxt == "of" and re.search(r"(tion|ment|ery|ance|ence|al)$", word):
            cuts.append(tokens[i].start())
        elif prev[:1].islower() and word in unit_starts and any(text[tokens[i].start():].startswith(u) for u in units):
            cuts.append(tokens[i].start())
    return [(s, cuts[k + 1] if k + 1 < len(cuts) else len(text)) for k, s in enumerate(cuts)]


def _objective(doc: Document, ctx: Context, piece: Piece, text: Optional[str] = None, **fields) -> Optional[Objective]:
    text = clean(text if text is not None else piece.text)
    text = _AS_FOLLOWS.sub("", text).strip()
    if len(text.split()) < 2 or _SKIP_CELL.match(text):
        return None
    fields.setdefault("service", ctx.scope)
    if fields.get("due") is None:
        fields["due"] = parse_date(text, ctx.plan_year) if re.search(r"\b(by|in|before|until|during)\b", text) else None
    return Objective(source=doc.source, text=text, provenance=provenance(piece), **fields)


# ---------------------------------------------------------------- lists and paragraphs


def _list_objectives(doc: Document, ctx: Context) -> list[Objective]:
    out = []
    service = None
    for block in doc.blocks:
        if block.kind == "heading":
            service = ctx.known_unit(block.clean) or None
            continue
        if block.kind not in ("list_item", "paragraph"):
            continue
        intro = lead_in(doc, block) if block.kind == "list_item" else None
        if block.kind == "paragraph":
            m = _LABELLED.match(block.clean)
            prev = doc.blocks[block.index - 1] if block.index else None
            if m and prev is not None and (prev.text.rstrip().endswith((":", ":-")) or _LABELLED.match(prev.clean)):
                obj = _objective(doc, ctx, block, m.group("text"), ref=m.group("ref"), service=service or ctx.scope)
                out.extend([obj] if obj else [])
            continue
        if block.text.rstrip().endswith("**") or (ctx.known_unit(block.clean) and len(block.clean.split()) <= 6):
            service = ctx.known_unit(block.clean) or clean(block.text)
            continue
        if not _is_commitment_list(doc, block, intro) or find_money(block.text):
            continue
        ref = block.marker if block.marker and block.marker.isdigit() else None
        obj = _objective(doc, ctx, block, ref=ref, service=service or ctx.scope)
        out.extend([obj] if obj else [])
    return out


def _is_commitment_list(doc: Document, block: Block, intro: Optional[Block]) -> bool:
    if intro is None:
        return False
    text = intro.clean
    if intro.kind != "heading" and re.search(r":-?\s*$", intro.text.strip()):
        return bool(LEAD_IN_CUE.search(text)) and not _EXAMPLES.search(text)
    return bool(HEADING_CUE.search(heading_words(doc, block.index, 3)))


# ---------------------------------------------------------------- tables


def _objective_columns(header: list[str]) -> list[int]:
    cols = []
    for i, label in enumerate(header):
        low = label.lower()
        if any(w in low for w in _OBJECTIVE_COLUMN) and not (_NOT_OBJECTIVE_COLUMN.search(low) and not re.search(r"objective|priorit|project|action", low)):
            cols.append(i)
    return cols


def _table_objectives(doc: Document, ctx: Context, block: Block) -> list[Objective]:
    table = block.table
    header = table.header
    if not any(header):
        return _unit_objective_table(doc, ctx, block)
    cols = _objective_columns(header)
    if not cols:
        return []
    ref_col = 0 if 0 not in cols and all(re.fullmatch(r"[\w.]{1,6}", r[0].clean or "x") for r in table.body) else None
    status_col = table.column("progress", "status", "update", "comment")
    due_col = table.column("date", "deadline", "timescale", "due", "when")
    theme_col = table.column("link to", "theme", "corporate plan", "priority area")
    caption_year = find_years(table.caption or "")
    theme = _caption_theme(table.caption or "")
    out = []
    for row in table.body:
        for col in cols:
            if col == theme_col:
                continue
            cell = row[col]
            items = cell.items() if cell.text else []
            for k, item in enumerate(items):
                ref = item.marker if item.marker and item.marker.isdigit() else None
                text = item.text
                if ref is None and k == 0 and len(items) == 1:
                    m = re.match(r"^\s*(?:<[^>]+>\s*)*(\d{1,3})[.)]\s+", text)
                    if m:
                        ref, text = m.group(1), text[m.end():]
                if ref is None and ref_col is not None and len(items) == 1:
                    ref = row[ref_col].clean or None
                due = parse_date(row[due_col].text, ctx.plan_year) if due_col is not None else None
                fields = dict(ref=ref, due=due,
                              status=clean(row[status_col].text) or None if status_col is not None else None,
                              theme=", ".join(_lines(row[theme_col].text)) or None if theme_col is not None else theme)
                obj = _objective(doc, ctx, item, text, **fields)
                if obj is None:
                    continue
                if caption_year and caption_year[0].value != ctx.plan_year:
                    obj.financial_year = caption_year[0].value  # an extra field: objectives set for another year
                out.append(obj)
    return out


def _lines(text: str) -> list[str]:
    return [clean(x) for x in re.split(r"\n|,", text) if clean(x)]


def _caption_theme(caption: str) -> Optional[str]:
    m = re.match(r"^(\w+)\s+(?:projects?|priorities|actions|objectives)$", caption.strip(), re.I)
    return m.group(1) if m else None


def _unit_objective_table(doc: Document, ctx: Context, block: Block) -> list[Objective]:
    """unit | objectives — a header-less table under an objectives heading."""
    table = block.table
    if not HEADING_CUE.search(heading_words(doc, block.index, 1)) or len(table.rows[0]) != 2:
        return []
    out = []
    units = ctx.unit_names()
    for row in table.body:
        label, cell = row
        service = ctx.known_unit(label.clean) or strip_unit_suffix(label.clean) or ctx.scope
        for item in cell.items():
            body = re.sub(r"^(?:\s*<[^>]+>)+", "", item.text)
            offset = item.start + (len(item.text) - len(body))
            for s, e in split_flattened(body, units):
                piece = doc.piece(offset + s, offset + e, item.page)
                obj = _objective(doc, ctx, piece, service=service)
                out.extend([obj] if obj else [])
    return out


@register("objectives", requires=("metadata", "services"))
def extract_objectives(doc: Document, ctx: Context) -> list[Record]:
    out: list[Objective] = _list_objectives(doc, ctx)
    for block in doc.tables():
        out.extend(_table_objectives(doc, ctx, block))
    seen, unique = set(), []
    for obj in out:
        key = (clean(obj.text).lower(), obj.ref)
        if key not in seen:
            seen.add(key)
            unique.append(obj)
    return unique
