"""The document record: council, title, financial year and scope."""
from __future__ import annotations

import re
from typing import Optional

from extractors import register
from extractors.context import PLAN_WORDS, Context, provenance
from pipeline.councils import AmbiguousCouncil, council_in_text, register as council_register
from pipeline.document import Document
from pipeline.normalise.text import clean
from pipeline.normalise.years import FY_PATTERN, find_years, has_financial_year
from schemas import DocumentMeta, Record


def _title_blocks(doc: Document) -> list:
    """The opening heading lines: consecutive lines with no blank between them are one title."""
    first = next((b for b in doc.blocks if b.clean), None)
    if first is None:
        return []
    blocks = [first]
    for b in doc.blocks[first.index + 1:]:
        if has_financial_year(" ".join(x.text for x in blocks)):
            break  # a title ends with its year
        gap = doc.text[blocks[-1].end: b.start]
        if b.kind == "heading" and gap.count("\n") == 1 and b.clean.isupper() == blocks[-1].clean.isupper():
            blocks.append(b)
        else:
            break
    return blocks


_SCOPE_WORDS = 6  # a scope is at most this many words
# every word the steps below can take out of a title: plan words, year words, the small words at its ends
_REMOVABLE = frozenset("service business operating annual unit departmental corporate improvement delivery action plan plans "
                       "summary of continued budget position introduction to for the and fy".split())
_LETTERS = re.compile(r"[A-Za-z]+")


def _too_many_words(title: str) -> bool:
    """More than ``_SCOPE_WORDS`` words of the title must survive the steps of ``_scope_from_title``.

    A word with a run of ASCII letters that no step removes (each removes whole words
    from ``_REMOVABLE``, digits and punctuation, and replaces what it takes with a space)
    keeps a word of its own; a title with more such words than a scope has is not read
    with the patterns (a plan flattened into one paragraph, read as its title).
    """
    durable = 0
    for token in title.split():
        if token.isascii() and any(run.lower() not in _REMOVABLE for run in _LETTERS.findall(token)):
            durable += 1
            if durable > _SCOPE_WORDS:
                return True
    return False


def _scope_from_title(title: str, doc: Document) -> Optional[str]:
    if _too_many_words(title):
        return None  # what the checks below come to, without their whole-title scans
    if not (PLAN_WORDS.search(title) or has_financial_year(title)):
        return None  # not a plan title, so it names no scope
    rest = FY_PATTERN.sub(" ", title)
    rest = re.sub(r"\b(?:19|20)\d{2}\b", " ", rest)
    rest = PLAN_WORDS.sub(" ", rest)
    rest = re.sub(r"\b(?:for|of|to|the|and)\b\s*$|^\s*(?:for|of|to|the)\b", " ", rest.strip(" :-–"), flags=re.I)
    rest = re.sub(r"\s+", " ", rest).strip(" :-–,")
    if not rest or len(rest.split()) > _SCOPE_WORDS or re.fullmatch(r"(?i)(services?|council|select committee)", rest):
        return None
    if rest.isupper():  # find the same words as the text writes them elsewhere
        found = _as_written(rest, doc.text[len(title):])
        rest = found if found and not found.isupper() else rest.title()
    return rest


def _as_written(words: str, text: str) -> Optional[str]:
    """``words`` as ``text`` first writes them, whatever their case.

    In ASCII, ``lower`` folds case as ``re.I`` does, and ``str.find`` is far
    quicker than a case-blind search through a whole document.
    """
    if words.isascii() and text.isascii():
        at = text.lower().find(words.lower())
        return text[at:at + len(words)] if at >= 0 else None
    m = re.search(re.escape(words), text, re.I)
    return m.group() if m else None


def _scope_line(doc: Document, title_blocks: list, title_scope: Optional[str]) -> Optional[str]:
    """A short heading right after a bare "Service Plan 2019/2020" title (one naming no scope: ``title_scope``
    is ``_scope_from_title`` of it) names the scope."""
    if not title_blocks:
        return None
    after = [b for b in doc.blocks[title_blocks[-1].index + 1: title_blocks[-1].index + 2] if b.kind == "heading"]
    title = " ".join(b.clean for b in title_blocks)
    bare = not title_scope and re.search(r"\bplan\b", title, re.I) and "summary" not in title.lower()
    return after[0] if bare and after and len(after[0].clean.split()) <= 5 else None


@register("metadata", requires=())
def extract_metadata(doc: Document, ctx: Context) -> list[Record]:
    blocks = _title_blocks(doc)
    title_scope = _scope_from_title(" ".join(b.clean for b in blocks), doc) if blocks else None  # read once, used twice
    extra = _scope_line(doc, blocks, title_scope)
    if extra is not None:
        blocks = blocks + [extra]
    title = " ".join(b.clean for b in blocks) or None
    meta = DocumentMeta(source=doc.source, title=title)
    if blocks:
        meta.provenance = provenance(blocks[0], blocks[0].start, blocks[-1].end, doc)
    years = find_years(title or "") or find_years(doc.text[:3000])
    if years:
        meta.financial_year, meta.year_from = years[0].value, "text"
    elif doc.meta.get("financial_year"):
        meta.financial_year, meta.year_from = doc.meta["financial_year"], "manifest"
    scope = clean(extra.text) if extra is not None else title_scope  # without extra blocks the title is the one read
    meta.scope = scope
    guess = council_in_text(doc.text, title or "", meta.financial_year)
    if guess:
        meta.council, meta.council_code, meta.council_from = guess.council.name, guess.council.gss, "text"
    else:
        _council_from_manifest(doc, meta)
    ctx.meta = meta
    return [meta]


def _council_from_manifest(doc: Document, meta: DocumentMeta) -> None:
    name = doc.meta.get("council_code") or doc.meta.get("council")
    if not name:
        return
    try:
        council = council_register().resolve(name, meta.financial_year)
    except AmbiguousCouncil as exc:
        doc.issues.append(("council_ambiguous", str(exc)))
        return
    if council is None:
        doc.issues.append(("council_unknown", f"manifest council {name!r} is not in the register"))
        meta.council = doc.meta.get("council")
        meta.council_code = doc.meta.get("council_code")
    else:
        meta.council, meta.council_code = council.name, council.gss
    meta.council_from = "manifest"
