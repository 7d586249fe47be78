"""Risks: named budget or service risks from risk tables, risk lists and risk-register summaries."""
from __future__ import annotations

import re

from extractors import register
from extractors.context import Context, heading_words, provenance
from pipeline.document import Document
from pipeline.normalise.money import parse_cell_amount, unit_scale
from pipeline.normalise.text import clean, may_hold
from schemas import Record, Risk

_NO_RISK = re.compile(r"\b(no|not any)\b[^.]*\brisks?\b|\bno budgets?\b", re.I)
_RISK_WORD = re.compile(r"\brisks?\b", re.I)
_CUE = re.compile(r"\b(risks?|challenges?|crucial|reliant|dependen\w*|vulnerab\w*|threat|uncertain\w*|vigilance|paramount)\b", re.I)


def _about_risks(text: str) -> bool:
    """``_RISK_WORD.search``, asked only of a text holding "risk" (the pattern is tried at every character)."""
    return may_hold(text, "risk") and bool(_RISK_WORD.search(text))


@register("risks", requires=("metadata", "services"))
def extract_risks(doc: Document, ctx: Context) -> list[Record]:
    out: list[Record] = []
    about_risks: dict[str, bool] = {}  # by heading text: the blocks under one heading share it
    nearest = ""  # the nearest heading above the block (``heading_words(doc, index, 1)``), kept as the blocks go by
    for block in doc.blocks:
        context = nearest
        if block.kind == "heading":
            nearest = block.clean
        if block.kind == "table":
            out.extend(_table_risks(doc, ctx, block))
            continue
        risky = about_risks.get(context)
        if risky is None:
            risky = about_risks[context] = _about_risks(context)
        if not risky or _NO_RISK.search(block.text):
            continue
        if block.kind == "list_item":
            nxt = doc.blocks[block.index + 1] if block.index + 1 < len(doc.blocks) else None
            if nxt is not None and nxt.kind == "paragraph":
                out.append(Risk(source=doc.source, scope=block.clean, description=nxt.clean,
                                provenance=provenance(block, block.start, nxt.end, doc)))
        elif block.kind == "paragraph" and not block.text.rstrip().endswith((":", ":-")):
            prev = doc.blocks[block.index - 1] if block.index else None
            if prev is not None and prev.kind == "list_item":
                continue  # the description of a listed risk, taken above
            for m in re.finditer(r"[^.]+\.", block.text):
                sentence = clean(m.group())
                if _CUE.search(sentence) and not re.search(r"£|\bregister\b|\bcontrols\b", sentence, re.I):
                    out.append(Risk(source=doc.source, scope=ctx.scope, description=sentence,
                                    provenance=provenance(block, block.start + m.start(), block.start + m.end(), doc)))
    return out


def _table_risks(doc: Document, ctx: Context, block) -> list[Risk]:
    table = block.table
    if not _about_risks((table.caption or "") + " " + heading_words(doc, block.index, 1)):
        return []
    desc = table.column("comment", "description", "risk", "detail", "reason")
    money = table.column("budget", "£", "amount", "value")
    if desc is None:
        return []
    out = []
    scale = unit_scale(table.unit)
    for row in table.body:
        amount = parse_cell_amount(row[money].text, scale) if money is not None else None
        out.append(Risk(source=doc.source, scope=row[0].clean or ctx.scope, description=row[desc].clean,
                        amount_gbp=amount.amount if amount else None, provenance=provenance(row[0], row[0].start, row[-1].end, doc)))
    return out
