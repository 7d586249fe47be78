"""Objectives: the priorities, aims, actions and projects a plan commits to.

Sources, each a general shape of council plans:
* list items introduced by a commitment lead-in ("The directorate will:",
  "the aims of the Directorate are to:", "five programmes …:") or under an
  objectives heading; a bare label lead-in ("Leading and supporting:") after
  such a list continues it; committee resolutions ("That …") are not commitments;
* labelled statements ("Priority 9: …", "Strategic Driver A …"), also at the
  start of a run-on paragraph, ending where a field label ("Rationale:") starts;
* runs of refs inside one paragraph ("priorities: A1 Lobby … A2 Support …");
* unmarked action lines: three or more short lines in a row that each open
  with an imperative ("Improve …", "To work with …");
* priority headings ("Our Priority - Stronger communities"), which are
  objectives and the theme of the objectives under them;
* table columns headed Objective / Priority / Project / Key actions / We will…,
  with ref, progress (status), target date, theme and lead from sibling columns;
* two-column objective tables under an objectives heading (unit | objectives),
  including cells whose bullets were flattened into one run of sentences.
"""
from __future__ import annotations

import bisect
import re
from typing import Iterable, Optional

from extractors import register
from extractors.context import Context, heading_words, lead_in, provenance, read_lead, strip_unit_suffix
from extractors.vocabulary import alternation, literal_stems, regex_alternation, words
from pipeline.document import Block, Document, Piece, split_items
from pipeline.normalise.dates import parse_date, search_date
from pipeline.normalise.memo import short_text_cache
from pipeline.normalise.money import find_money
from pipeline.normalise.text import clean, count_words, may_hold, may_hold_any
from pipeline.normalise.years import find_years
from pipeline.tables.view import TableView
from schemas import Objective, Record

_VOCAB = "objective_words"
LEAD_IN_CUE = re.compile(rf"\b{regex_alternation(_VOCAB, 'lead_in')}\b", re.I)
_LEAD_IN_STEMS = literal_stems(_VOCAB, "lead_in")  # one is in every LEAD_IN_CUE match (lower case)
HEADING_CUE = re.compile(rf"\b{regex_alternation(_VOCAB, 'heading')}\b", re.I)
_NOT_COMMITMENT = re.compile(rf"\b{regex_alternation(_VOCAB, 'not_commitment')}\b", re.I)
_EXAMPLES = re.compile(r"\b(includ\w*|such as|for example|e\.g\.)\s*:?-?\s*$", re.I)
_NOT_OBJECTIVE_COLUMN = re.compile(r"\b(outcomes?|lead|officer|resources?|progress|status|measure|indicator|target|date|link|aim)\b", re.I)
_AS_FOLLOWS = re.compile(r",?\s*(?:(?:through|via|with|by|in)\s+[\w\s-]*?)?\bas follows\s*:?-?\s*$", re.I)
_REF = r"[A-Z]{1,3}\d{1,2}[a-z]?|\d{1,2}(?:\.\d{1,2})?[a-z]?|[A-Z]\b"
# "Priority 9: …" after a lead-in; the listed kinds need one, the standalone kinds start a statement anywhere
_LABELLED = re.compile(rf"^(?:Our\s+)?(?:[A-Z][\w'’]*(?:-[a-z]+)?\s+){{0,2}}?(?P<kind>{alternation(_VOCAB, 'label')}|{alternation(_VOCAB, 'label_listed')})\s+(?P<ref>{_REF})\s*[:.\-–]?\s*(?P<text>\S.*)$", re.S)
_STANDALONE = re.compile(rf"^(?:Our\s+)?{alternation(_VOCAB, 'label')}$", re.I)
# "Our Priority - Supporting stronger communities" names a priority without a number
_PRIORITY_HEADING = re.compile(rf"^(?:Our\s+)?(?:{alternation(_VOCAB, 'label')})\s*[:\-–—]\s*(?P<text>[A-Z].+)$")
_STANDARDS = re.compile(r"\b(?:service|customer(?: care)?|performance)\s+standards?\b|\bstandards\b", re.I)
_FIELD_LABEL = re.compile(rf"\s+{alternation(_VOCAB, 'field')}\s*:", re.I)
_SKIP_CELL = re.compile(r"^(reviewed by|as above|not applicable|n/?a|none|tbc|-|notes?\s*:|\*)", re.I)
_FOOTNOTE = re.compile(r"^\s*(?:<[^>]+>\s*)*(?:\*|(?:<[^>]+>\s*)*notes?\s*(?:<[^>]+>\s*)*:)", re.I)
_RESOLUTION = re.compile(r"^That\s", re.I)
_TRAILING_JOINER = re.compile(r"\s*(?:[;,]\s*(?:and|or)|;)\s*$")
_ATTRIBUTION = re.compile(rf"\s+[–—-]\s+(?:{alternation('unit_words', 'role')}|[A-Z]{{2,5}})\s*:?\s+[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){{0,2}}\.?\s*$")
_WE_WILL = re.compile(r"^(?:we|the (?:council|service|team|directorate|department)|our (?:service|team))\s+(?:will|shall|are going to|aim to|commit to)\s+(?:continue to\s+)?", re.I)
_NOT_AN_OBJECT = re.compile(r"^(?:not|met|\w+ly)$")
# "The Corporate objectives are", "the Council's priorities:": council-wide, not the plan's unit's
_COUNCIL_WIDE = re.compile(r"\b(?:corporate|council(?:'s|’s|-wide)?|authority(?:'s|’s)?)\s+(?:\w+\s+)?(?:objectives|priorities|aims|ambitions|themes|outcomes|pledges)\b", re.I)
_DESCRIPTIVE = re.compile(r"\b(?:was|were|been|had|undertook|undertaken|may)\b", re.I)

VERBS = frozenset(words(_VOCAB, "verb"))
_NOUN_TOO = frozenset(words(_VOCAB, "verb_noun"))
_OBJECT_OPENERS = {"a", "an", "the", "our", "all", "its", "their", "to", "that", "this", "these", "and", "with", "for", "on", "in", "up", "out", "new", "more", "better"}
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


@short_text_cache()
def opens_commitment(text: str) -> bool:
    """Does the text open like a commitment: an imperative ("Improve …"), "To <verb> …" or "We will <verb> …"?"""
    pledge = _WE_WILL.match(text)
    if pledge:
        text = text[pledge.end():]
    found = re.findall(r"[\w'’\-]+", text[:80])
    if not found:
        return False
    if pledge:
        return found[0][:1].islower()
    first = found[0].lower()
    if first == "to" and len(found) > 1:
        return found[1][:1].islower()
    if len(found) > 1 and _NOT_AN_OBJECT.match(found[1]):  # "Target met", "Target slightly missed": a noun, not an order
        return False
    return first in VERBS and found[0][:1].isupper()


def split_flattened(text: str, units: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Cut a run of objectives whose bullets were lost (``… savings Comply fully …``).

    A new objective starts at a capitalised word that opens a commitment (an
    imperative or -ing verb, "To do", a nominalisation + "of", a unit's
    name) right after a word that cannot end a noun phrase mid-sentence.
    """
    tokens = list(_WORD.finditer(text))
    token_texts = [t.group() for t in tokens]  # each read three times below (as the word, the one before, the one after)
    unit_starts = {u.split()[0] for u in units if u}
    cuts = [tokens[0].start()] if tokens else []
    for i in range(1, len(tokens)):
        word = token_texts[i]
        if not word[:1].isupper():
            continue  # only a capital opens an objective
        prev = token_texts[i - 1]
        nxt = token_texts[i + 1] if i + 1 < len(tokens) else ""
        if prev.lower() in _FUNCTION or prev.endswith((",", ";", ":", "(", "/", "-")):
            continue
        if prev.endswith((".", "!", "?")) and not re.search(r"\b(?:e\.g|i\.e|etc|inc|incl|no)\.$", prev, re.I):
            cuts.append(tokens[i].start())
        elif _verbish(word, nxt) and not word.isupper():
            # after a Title Case word a word that is noun and verb may be part of the name ("Council Tax
            # Support scheme", "Shared Working"); it opens a commitment only when what follows reads like its object
            noun_too = word.lower() in _NOUN_TOO or (word.endswith("ing") and word.lower() not in VERBS)
            if noun_too and prev[:1].isupper() and not prev.isupper() and nxt.lower() not in _OBJECT_OPENERS:
                continue
            cuts.append(tokens[i].start())
        elif prev[:1].islower() and nxt == "of" and re.search(r"(tion|ment|ery|ance|ence|al)$", word):
            cuts.append(tokens[i].start())
        elif prev[:1].islower() and word in unit_starts and any(text[tokens[i].start():].startswith(u) for u in units):
            cuts.append(tokens[i].start())
    return [(s, cuts[k + 1] if k + 1 < len(cuts) else len(text)) for k, s in enumerate(cuts)]


# a text without one names no due date; ``\b(by|in|before|until|during)\b`` with each word's opening ``\b`` checked
# after it, so the pattern opens with its words' first letters and is scanned in C, not tried at every character
_DUE_WORD = re.compile("(" + "|".join(rf"{w}(?<!\w{w})" for w in ("by", "in", "before", "until", "during")) + r")\b")


def _objective(doc: Document, ctx: Context, piece: Piece, text: Optional[str] = None, **fields) -> Optional[Objective]:
    raw = text if text is not None else piece.text
    if _FOOTNOTE.match(raw):
        return None
    text = clean(raw) if text is not None else piece.clean  # a piece keeps its cleaned text
    if may_hold(text, "as follows"):
        text = _AS_FOLLOWS.sub("", text)
    text = text.strip()
    if "-" in text or "–" in text or "—" in text:  # an attribution follows a dash
        text = _ATTRIBUTION.sub("", text)
    if text.rstrip().endswith((";", "and", "or")):  # where every trailing joiner ends
        text = _TRAILING_JOINER.sub("", text)
    text = text.strip()
    if count_words(text, 1) < 2 or _SKIP_CELL.match(text) or _RESOLUTION.match(text) or _only_a_date(text):
        return None
    fields.setdefault("service", ctx.plan_unit)
    if fields.get("due") is None:
        fields["due"] = parse_date(text, ctx.plan_year) if _DUE_WORD.search(text) else None
    return Objective(source=doc.source, text=text, provenance=provenance(piece), **fields)


def _only_a_date(text: str) -> bool:
    m = search_date(text)
    return bool(m) and not clean(text[: m.start()] + text[m.end():]).strip(" ,.-")


def _unit_named_in(ctx: Context, text: str) -> Optional[str]:
    """The longest known unit a lead-in names ("So far as the Chief Executive's Service is concerned")."""
    named = [u for u in ctx.unit_names() if len(u) > 3 and u in text]
    return max(named, key=len) if named else None


# ---------------------------------------------------------------- lists and paragraphs


class _ListState:
    """What the blocks read so far say about the next ones: their unit and theme, and which lists were commitments."""

    def __init__(self) -> None:
        self.service: Optional[str] = None
        self.theme: Optional[str] = None
        self.committed: set[int] = set()  # indexes of lead-ins whose lists were commitments
        self.cues: dict[int, tuple[bool, bool, bool]] = {}  # _lead_in_cues of each lead-in read, by its index
        self.standards: dict[int, bool] = {}  # _under_standards by nearest heading index (-1: none)
        self.council_wide: dict[int, bool] = {}  # _council_wide by lead-in index
        self.heading_cues: dict[int, bool] = {}  # _heading_cue by nearest heading index (-1: none)


def _list_objectives(doc: Document, ctx: Context) -> list[Objective]:
    out: list[Objective] = []
    state = _ListState()
    for block in doc.blocks:
        if block.kind == "heading":
            out.extend(_heading(doc, ctx, block, state))
        elif block.kind == "paragraph":
            out.extend(_paragraph(doc, ctx, block, state))
        elif block.kind == "list_item":
            out.extend(_list_item(doc, ctx, block, state))
    out.extend(_action_lines(doc, ctx))
    out.extend(_dated_actions(doc, ctx))
    out.extend(_numbered_run_on(doc, ctx))
    return out


def _heading(doc: Document, ctx: Context, block: Block, state: _ListState) -> list[Objective]:
    text = block.clean
    state.service = ctx.known_unit(text) or None
    m = _PRIORITY_HEADING.match(text)
    if m:
        state.theme = clean(m.group("text"))
        obj = _objective(doc, ctx, block, m.group("text"), service=state.service or ctx.plan_unit)
        return [obj] if obj else []
    state.theme = None
    labelled = _labelled(doc, ctx, block, state, standalone_only=True)
    return labelled


def _paragraph(doc: Document, ctx: Context, block: Block, state: _ListState) -> list[Objective]:
    text = block.clean
    if text.endswith(":") and len(text.split()) <= 6:
        unit = ctx.known_unit(text.rstrip(":"))
        if unit:  # "Strategic Policy:" labels the unit of what follows
            state.service = unit
    out = _labelled(doc, ctx, block, state)
    out.extend(_ref_run(doc, ctx, block, state))
    return out


def _labelled(doc: Document, ctx: Context, block: Block, state: _ListState, standalone_only: bool = False) -> list[Objective]:
    """'Priority 9: …' after a lead-in or another such line; 'Strategic Driver A …', 'Well-being Objective 1 - …' anywhere."""
    m = _LABELLED.match(block.clean)
    if not m:
        return []
    prev = doc.blocks[block.index - 1] if block.index else None
    after_lead_in = prev is not None and (prev.text.rstrip().endswith((":", ":-")) or bool(_LABELLED.match(prev.clean)))
    standalone = bool(_STANDALONE.match(m.group("kind"))) and m.group("text")[:1].isupper()
    if not (standalone or (after_lead_in and not standalone_only)):
        return []
    start = block.start + block.text.find(m.group("text"))
    end = start + len(m.group("text"))
    cut = _FIELD_LABEL.search(doc.text, start, end)
    run = _REF_CANDIDATE.search(doc.text, start, end)  # a run of refs after the statement starts a new list
    end = min(x.start() for x in (cut, run) if x) if (cut or run) else end
    piece = doc.piece(start, end, block.page)
    obj = _objective(doc, ctx, piece, ref=m.group("ref"), service=state.service or ctx.plan_unit, theme=state.theme)
    return [obj] if obj else []


# ``(?<=[.!?])\s+|\s{2,}`` opened with the whitespace both branches start with (a look-behind first is tried at every character)
_SENTENCE_BREAK = re.compile(r"\s(?:(?<=[.!?]\s)\s*|\s+)")
_REF_CANDIDATE = re.compile(r"(?<![\w.])(?:(?P<pre>[A-Z]{1,3})(?P<num>\d{1,2})|(?P<major>\d{1,2})\.(?P<minor>\d{1,2}))(?=\s+[A-Za-z(])")


_COLON = re.compile(r":-?")


def _ref_run(doc: Document, ctx: Context, block: Block, state: _ListState) -> list[Objective]:
    """'… priorities for implementation: A1 Lobby for … A2 Support … A3 …' — a list flattened into a paragraph.

    Right after a commitment lead-in ending in a colon, refs that run in
    order (A1, A2, …; 1.1, 1.2, 2.1, …) each open an item; the last item
    ends at a field label, a new run-on sentence or a stray page number.
    A lead-in that says how the items stand ("Those areas behind target
    are:") gives their status.
    """
    if ":" not in block.text:
        return []  # every run follows a lead-in's colon
    found = list(_REF_CANDIDATE.finditer(block.text))
    breaks = [m.end() for m in _SENTENCE_BREAK.finditer(block.text)]  # once: splitting each colon's prefix was quadratic
    out: list[Objective] = []
    for colon in _COLON.finditer(block.text):
        k = bisect.bisect_right(breaks, colon.start())
        sentence = block.text[breaks[k - 1] if k else 0: colon.start()]
        if not _lead_in_cue(sentence) or _not_commitment(sentence) or _examples(sentence + ":"):
            continue
        first = next((m for m in found if m.start() >= colon.end()), None)
        if first is None or block.text[colon.end(): first.start()].strip():
            continue
        run = [first]
        for m in found[found.index(first) + 1:]:
            if _follows(run[-1], m):
                run.append(m)
        status = ([None] + list(_STATUS_LEAD_IN.finditer(sentence)))[-1]  # the one nearest the colon
        for k, m in enumerate(run):
            start = m.end()
            end = run[k + 1].start() if k + 1 < len(run) else len(block.text)
            body = block.text[start:end]
            if k + 1 == len(run):
                body = _last_item(body)
            lead = len(body) - len(body.lstrip())
            piece = doc.piece(block.start + start + lead, block.start + start + len(body.rstrip()), block.page)
            obj = _objective(doc, ctx, piece, ref=m.group(0), service=state.service or ctx.plan_unit, theme=state.theme,
                             status=clean(status.group("status")) if status else None)
            out.extend([obj] if obj else [])
    return out


_RUN_ON_SENTENCE = re.compile(r"(?<=[a-z0-9)])\s+(?=(?:The|This|These|Those|Some|It|We|Our|All|There|Work|Further)\s)")
_STATUS_LEAD_IN = re.compile(
    r"\b(?:areas?|activit(?:y|ies)|actions?|projects?|items?|objectives?|targets?)\s+(?:which\s+(?:are|is)\s+)?"
    r"(?P<status>(?:not\s*)?(?:on\s*target|behind\s+target|ahead\s+of\s+target|achieved|completed?|delayed|at\s+risk|off\s+track|on\s+track)"
    r"(?:\s*/\s*not\s+\w+)?)\s+(?:is|are)\b", re.I)


def _last_item(body: str) -> str:
    """The last item of a flattened list ends at a field label, a new run-on sentence or a stray page number."""
    body = re.sub(r"\s+\d{1,3}\s*$", "", body)
    for pattern in (_FIELD_LABEL, _RUN_ON_SENTENCE):
        cut = pattern.search(body)
        body = body[: cut.start()] if cut else body
    sentence_end = re.search(r"[.!?](?=\s+[A-Z])", body)
    return body[: sentence_end.end()] if sentence_end else body


def _longest_run(found: list[re.Match]) -> list[re.Match]:
    best: list[re.Match] = []
    for i, first in enumerate(found):
        run = [first]
        for m in found[i + 1:]:
            if _follows(run[-1], m):
                run.append(m)
        if len(run) > len(best):
            best = run
    return best


def _follows(a: re.Match, b: re.Match) -> bool:
    if a.group("pre") and b.group("pre"):
        return a.group("pre") == b.group("pre") and int(b.group("num")) == int(a.group("num")) + 1
    if a.group("major") and b.group("major"):
        ma, na = int(a.group("major")), int(a.group("minor"))
        mb, nb = int(b.group("major")), int(b.group("minor"))
        return (mb == ma and nb == na + 1) or (mb == ma + 1 and nb == 1)
    return False


def _list_item(doc: Document, ctx: Context, block: Block, state: _ListState) -> list[Objective]:
    text = block.clean  # read once (a property), asked of every list item
    if block.text.rstrip().endswith("**") or (ctx.known_unit(text) and count_words(text, 6) <= 6):
        state.service = ctx.known_unit(text) or text
        return []
    labelled = _labelled(doc, ctx, block, state, standalone_only=True)
    if labelled:  # "• Well-being Objective 1 - We will …": the label's number is the ref, the statement the text
        return labelled
    intro = lead_in(doc, block)
    if _under_standards(doc, block, state):
        return []  # a list of service standards is a list of targets (read by the targets extractor), not objectives
    pledged = bool(_WE_WILL.match(text))  # "We will …" bullets commit whatever introduces them
    if not (pledged or _is_commitment_list(doc, block, intro, state)) or find_money(block.text):
        return []
    service = state.service
    if intro is not None and intro.kind != "heading":
        service = _unit_named_in(ctx, intro.clean) or service
    if intro is not None and _council_wide(intro, state):
        return _one(_objective(doc, ctx, block, ref=_numbered(block), service=None, theme=state.theme))
    return _one(_objective(doc, ctx, block, ref=_numbered(block), service=service or ctx.plan_unit, theme=state.theme))


def _under_standards(doc: Document, block: Block, state: "_ListState") -> bool:
    """Whether the nearest headings name service standards: asked once per heading, not per list item under it."""
    heading = next(doc.headings_before(block.index), None)
    key = heading.index if heading is not None else -1
    found = state.standards.get(key)
    if found is None:
        words_ = heading_words(doc, block.index, 3)
        found = state.standards[key] = may_hold(words_, "standard") and bool(_STANDARDS.search(words_))
    return found


def _heading_cue(doc: Document, block: Block, state: "_ListState") -> bool:
    """Whether the nearest headings cue commitments: asked once per heading, not per list item under it."""
    heading = next(doc.headings_before(block.index), None)
    key = heading.index if heading is not None else -1
    found = state.heading_cues.get(key)
    if found is None:
        found = state.heading_cues[key] = bool(HEADING_CUE.search(heading_words(doc, block.index, 3)))
    return found


def _council_wide(intro: Block, state: "_ListState") -> bool:
    """Whether a lead-in introduces the council's own objectives: asked once per lead-in, not per list item."""
    found = state.council_wide.get(intro.index)
    if found is None:
        text = intro.clean
        found = state.council_wide[intro.index] = (may_hold_any(text, ("corporate", "council", "authority"))
                                                   and bool(_COUNCIL_WIDE.search(text)))
    return found


def _numbered(block: Block) -> Optional[str]:
    return block.marker if block.marker and block.marker.isdigit() else None


def _one(obj: Optional[Objective]) -> list[Objective]:
    return [obj] if obj else []


def _is_commitment_list(doc: Document, block: Block, intro: Optional[Block], state: _ListState) -> bool:
    if intro is None:
        return False
    text = intro.clean
    cues = state.cues.get(intro.index)
    if cues is None:  # every item of a list asks of the same lead-in, too long for _lead_in_cues' own memory
        cues = state.cues[intro.index] = _lead_in_cues(text)
    not_commitment, examples, cue = cues
    if not_commitment:
        return False
    if intro.kind != "heading" and intro.text.rstrip().endswith((":", ":-")):  # ``:-?\s*$`` of the stripped text
        if examples:
            return False
        if cue:
            state.committed.add(intro.index)
            return True
        if len(text.split()) <= 6 and _continues_commitments(doc, intro, state):
            state.committed.add(intro.index)
            return True
        return False
    if not _heading_cue(doc, block, state):
        return False
    return _reads_as_commitment(block.clean)


@short_text_cache()
def _lead_in_cues(text: str) -> tuple[bool, bool, bool]:
    """(not commitments, examples, a commitment cue) read off a lead-in's words: every item of its list asks."""
    return _not_commitment(text), _examples(text), _lead_in_cue(text)


_NOT_COMMITMENT_STEMS = literal_stems(_VOCAB, "not_commitment")  # one is in every _NOT_COMMITMENT match
_EXAMPLES_STEMS = ("includ", "such as", "for example", "e.g.")  # one is in every _EXAMPLES match


def _not_commitment(text: str) -> bool:
    """``_NOT_COMMITMENT.search``, asked only of a text holding one of its stems (case-blind, tried at every character)."""
    return may_hold_any(text, _NOT_COMMITMENT_STEMS) and bool(_NOT_COMMITMENT.search(text))


def _examples(text: str) -> bool:
    """``_EXAMPLES.search``, asked only of a text holding one of its stems (case-blind, tried at every character)."""
    return may_hold_any(text, _EXAMPLES_STEMS) and bool(_EXAMPLES.search(text))


def _lead_in_cue(text: str) -> bool:
    """``LEAD_IN_CUE.search``, asked only of a text holding one of its words' fixed stems (the pattern is
    case-blind and opens with ``\\b``, so it is tried at every character)."""
    return may_hold_any(text, _LEAD_IN_STEMS) and bool(LEAD_IN_CUE.search(text))


def _continues_commitments(doc: Document, intro: Block, state: _ListState) -> bool:
    """'Strategic Policy:' / 'Leading and supporting:' after a list of commitments: the same kind of list."""
    for prev in doc.blocks_before(intro.index):
        if prev.kind == "paragraph" and prev.clean.endswith(":") and len(prev.clean.split()) <= 6:
            continue
        if prev.kind == "list_item":
            return lead_in(doc, prev) is not None and lead_in(doc, prev).index in state.committed
        return False
    return False


_FIRST_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_WILL = re.compile(r"\bwill\b")


def _reads_as_commitment(text: str) -> bool:
    """Under a mere heading cue, a numbered paragraph that reports ("the council undertook …") is context."""
    first = _FIRST_SENTENCE_END.split(text, maxsplit=1)[0]
    return not (_DESCRIPTIVE.search(first) and not _WILL.search(first))


_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")


def _action_lines(doc: Document, ctx: Context, least: int = 3, longest: int = 25) -> list[Objective]:
    """Three or more short lines in a row, each opening with an imperative: a list that lost its bullets."""
    out: list[Objective] = []
    run: list[Block] = []
    for block in doc.blocks + [None]:
        text = block.clean if block is not None and block.kind in ("heading", "paragraph") else None  # read once
        ok = (text is not None and 3 <= count_words(text, longest) <= longest
              and "\n" not in block.text.strip() and len(_SENTENCE_END.findall(text)) <= 1
              and opens_commitment(text) and not find_money(block.text))
        if ok:
            run.append(block)
            continue
        if len(run) >= least:
            for line in run:
                service = next((ctx.known_unit(h.clean) for h in doc.headings_before(line.index) if ctx.known_unit(h.clean)), None)
                obj = _objective(doc, ctx, line, service=service or ctx.plan_unit)
                out.extend([obj] if obj else [])
        run = []
    return out


_WORD = re.compile(r"\S+")


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
# ``\b(?:January|…)\s+(?:19|20)\d{2}\b`` with the opening ``\b`` checked after each month (a look-behind), so the
# pattern opens with the months' first letters and is scanned in C
_MONTH_YEAR = re.compile("(?:" + "|".join(rf"{m}(?<!\w{m})" for m in _MONTHS) + r")\s+(?:19|20)\d{2}\b")


def _dated_actions(doc: Document, ctx: Context, shortest: int = 4, longest: int = 30) -> list[Objective]:
    """In a flattened action plan, an action runs straight into its target month: "Implement a single system … August 2009".

    Only in run-on paragraphs (long, with two or more month-year dates):
    the action opens with a capitalised verb that is only a verb, right
    after a sentence end, a date or a lower-case word, has no sentence
    punctuation or comma before the date, and does not end on a word that
    needs more after it.
    """
    out: list[Objective] = []
    for block in doc.blocks:
        if not _run_on(block) or len(_MONTH_YEAR.findall(block.text)) < 2:
            continue
        previous_end = 0
        for date in _MONTH_YEAR.finditer(block.text):
            before = block.text[: date.start()].rstrip()
            # only the words since the last date (scanning the whole prefix per date was quadratic)
            # a word starting right where the last date ends is the rest of the date's own word ("2009," -> ",")
            tokens = [t for t in _WORD.finditer(before, previous_end) if not 0 < previous_end == t.start()][-longest:]
            previous_end = date.end()
            for k, token in enumerate(tokens):
                word = token.group()
                prev = tokens[k - 1].group() if k else ""
                span_words = len(tokens) - k
                if span_words < shortest or word.lower() not in VERBS or word.lower() in _NOUN_TOO or not word[:1].isupper():
                    continue
                if k and not (prev.endswith((".", "!", "?")) or prev[:1].islower() or prev[:1].isdigit()):
                    continue
                body = before[token.start():]
                last = body.split()[-1]
                if re.search(r"[.;:!?,]", body[:-1]) or last.lower() in _FUNCTION or last.endswith(","):
                    continue
                piece = doc.piece(block.start + token.start(), block.start + len(before), block.page)
                obj = _objective(doc, ctx, piece, due=parse_date(date.group(), ctx.plan_year), service=ctx.plan_unit)
                out.extend([obj] if obj else [])
                break
    return out


def _run_on(block: Block) -> bool:
    """A paragraph that is really a flattened table or page (sixty words or more on one line)."""
    # sixty words take at least 119 characters: a shorter text is not split to count them
    return block.kind == "paragraph" and len(block.text) >= 119 and count_words(block.text, 60) >= 60


# ``(?<![\d.,/])(?P<ref>\d{1,2})\.…``: the look-behind checked after the first digit, so the pattern opens with a digit
_INLINE_NUMBER = re.compile(r"(?P<ref>\d(?<![\d.,/]\d)\d?)\.\s+(?=[A-Z][a-z]+\s)")
_TITLE_RUN = re.compile(r"\s(?=(?:[A-Z][\w/&'’\-]*\s+){2}[A-Z][\w/&'’\-]*)")


def _numbered_run_on(doc: Document, ctx: Context, longest: int = 50) -> list[Objective]:
    """"BV Improvement Agenda 1. Increase the pace of … strategy Current Improvement Plans …": a numbered commitment in run-on text.

    It opens with an imperative and ends at a sentence end, the next number
    or a run of three capitalised words (the next column's header).
    """
    out: list[Objective] = []
    for block in doc.blocks:
        if not _run_on(block):
            continue
        for m in _INLINE_NUMBER.finditer(block.text):
            rest = block.text[m.end():]
            if not opens_commitment(rest):
                continue
            ends = [x.start() for x in (re.search(r"[.!?](?=\s+[A-Z])", rest), _INLINE_NUMBER.search(rest), _TITLE_RUN.search(rest, 1)) if x]
            end = min(ends) if ends else len(rest)
            body = rest[:end].rstrip()
            if len(body.split()) > longest or len(body.split()) < 3:
                continue
            piece = doc.piece(block.start + m.end(), block.start + m.end() + len(body), block.page)
            obj = _objective(doc, ctx, piece, ref=m.group("ref"), service=ctx.plan_unit)
            out.extend([obj] if obj else [])
    return out


# ---------------------------------------------------------------- tables


_WORDS_ROLES = ("text", "label", "item")  # the table view's roles for columns of words (not direction, status, dates, figures)


def _objective_columns(header: list[str], view: Optional[TableView] = None) -> list[int]:
    cols = []
    for i, label in enumerate(header):
        low = label.lower()
        if view is not None and i < len(view.columns) and view.columns[i].role not in _WORDS_ROLES:
            continue  # "Improvement Direction" holds "Bigger is better", not improvements
        if any(w in low for w in words(_VOCAB, "column")) and not (_NOT_OBJECTIVE_COLUMN.search(low) and not re.search(r"objective|priorit|project|action", low)):
            cols.append(i)
    return cols


def _cell_items(cell: Piece) -> list[Piece]:
    """A cell's items, keeping text that sits between ``<p>`` paragraphs (an ``<ol>`` run beside notes)."""
    if "<p" not in cell.text:
        return cell.items()  # no paragraph markup: what the checks below come to
    paras = list(re.finditer(r"<p[^>]*>.*?</p>", cell.text, re.S))
    outside = re.sub(r"<[^>]+>", " ", re.sub(r"<p[^>]*>.*?</p>", " ", cell.text, flags=re.S))
    if not paras or not clean(outside):
        return cell.items()
    out, pos = [], 0
    for m in paras + [None]:
        end = m.start() if m else len(cell.text)
        for s, e in ((pos, end), (m.start(), m.end()) if m else (end, end)):
            if clean(re.sub(r"<[^>]+>", " ", cell.text[s:e])):
                out.extend(split_items(cell.text[s:e], cell.start + s, cell.page))
        pos = m.end() if m else end
    return out


def _table_objectives(doc: Document, ctx: Context, view: TableView, theme: Optional[str] = None) -> list[Objective]:
    """Objectives from the commitment columns of a table, read through the shared table view.

    The view says which column holds refs, dates, progress and leads, and
    which rows are data, sections, totals, notes or repeated headers; this
    rule decides which columns hold commitments.  A ref belongs to the first
    commitment column (an Improvement, not its Milestones); a section row
    under a column of pledges or priorities names one.
    """
    block, table = view.block, view.table
    header = table.header
    if not any(header):
        return _unit_objective_table(doc, ctx, block)
    cols = _objective_columns(header, view)
    if not cols:
        return _aim_sections(doc, ctx, view, theme)
    ref_col = view.ref_column if view.ref_column not in cols else None
    status_col = _role_column(view, "status") if _role_column(view, "status") is not None else table.column("update", "comment")
    due_col = _role_column(view, "date")
    lead_col = _role_column(view, "lead")
    theme_col = table.column("link to", "theme", "corporate plan", "priority area")
    caption_year = find_years(table.caption or "")
    theme = _caption_theme(table.caption or "") or theme
    out = []
    for row in view.rows:
        if row.role == "section" and any(_names_commitments(header[c]) for c in cols):
            obj = _objective(doc, ctx, row.first, row.label, theme=theme)
            out.extend([obj] if obj else [])
            continue
        if row.role not in ("data", "subtotal"):
            continue
        cells = row.cells
        for col in cols:
            if col == theme_col or col >= len(cells) or _MIXED_WITH_INDICATORS.search(header[col]):
                continue
            items = _cell_items(cells[col]) if cells[col].text else []
            for k, item in enumerate(items):
                ref = item.marker if item.marker and item.marker.isdigit() else None
                text = item.text
                if ref is None and k == 0 and len(items) == 1:
                    m = re.match(r"^\s*(?:<[^>]+>\s*)*(\d{1,3})[.)]\s+", text)
                    if m:
                        ref, text = m.group(1), text[m.end():]
                if ref is None and ref_col is not None and len(items) == 1 and col == cols[0]:
                    ref = _cell_text(cells, ref_col) or None
                lead = read_lead(_cell_text(cells, lead_col)) if lead_col is not None else None
                fields = dict(ref=ref, due=parse_date(_cell_text(cells, due_col), ctx.plan_year) if due_col is not None else None,
                              status=_cell_text(cells, status_col) or None if status_col is not None else None,
                              theme=", ".join(_lines(cells[theme_col].text)) or None if theme_col is not None and theme_col < len(cells) else theme)
                if lead and lead.unit:
                    fields["service"] = ctx.known_unit(lead.unit) or lead.unit
                obj = _objective(doc, ctx, item, text, **fields)
                if obj is None:
                    continue
                if caption_year and caption_year[0].value != ctx.plan_year:
                    obj.financial_year = caption_year[0].value  # an extra field: objectives set for another year
                out.append(obj)
    return out


def _aim_sections(doc: Document, ctx: Context, view: TableView, theme: Optional[str]) -> list[Objective]:
    """Section rows of an indicator table that state an aim ("Building strong, confident communities") are objectives.

    A section row that only names a unit or topic ("Planning Enforcement",
    "Housing and Homelessness Services") is not: the aim opens with a verb
    (imperative, or -ing taking an object: "Improving access …") and runs
    to three words or more.
    """
    if not any(c.role in ("target", "actual", "figure", "baseline") for c in view.columns):
        return []
    out = []
    for row in view.rows:
        words_ = row.label.split()
        if row.role == "section" and len(words_) >= 3 and (opens_commitment(row.label) or _gerund_aim(words_)):
            out.extend(_one(_objective(doc, ctx, row.first, row.label, theme=theme)))
    return out


def _gerund_aim(tokens: list[str]) -> bool:
    """"Building strong, confident communities", not "Housing and Homelessness Services": the -ing word takes a lower-case object."""
    return (bool(re.match(r"[A-Z][a-z]+ing$", tokens[0])) and tokens[1][:1].islower()
            and tokens[1].lower().strip(",") not in ("and", "&", "of", "for", "services", "service", "team"))


_MIXED_WITH_INDICATORS = re.compile(r"/\s*(?:PIs?|KPIs?|indicators?|measures?)\b", re.I)


def _names_commitments(label: str) -> bool:
    """A column of pledges, priorities or objectives (its section rows name them)."""
    return bool(re.search(r"\b(?:(?:sub[- ]?)?pledges?|priorit(?:y|ies)|objectives?|aims?|themes?|outcomes?)\b", label, re.I))


def _role_column(view: TableView, role: str) -> Optional[int]:
    return next((c.index for c in view.columns if c.role == role), None)


def _cell_text(cells: list, col: Optional[int]) -> str:
    return clean(cells[col].text) if col is not None and col < len(cells) else ""


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
        service = ctx.known_unit(label.clean) or strip_unit_suffix(label.clean) or ctx.plan_unit
        for item in cell.items():
            body = re.sub(r"^(?:\s*<[^>]+>)+", "", item.text)
            offset = item.start + (len(item.text) - len(body))
            for s, e in split_flattened(body, units):
                piece = doc.piece(offset + s, offset + e, item.page)
                obj = _objective(doc, ctx, piece, service=service)
                out.extend([obj] if obj else [])
    return out


def _priority_theme(doc: Document, block: Block) -> Optional[str]:
    """The priority heading a table sits under ("Our Priority - X"), if its nearest heading is one."""
    heading = next(doc.headings_before(block.index), None)
    m = _PRIORITY_HEADING.match(heading.clean) if heading is not None else None
    return clean(m.group("text")) if m else None


@register("objectives", requires=("metadata", "services"), version="2")
def extract_objectives(doc: Document, ctx: Context) -> list[Record]:
    out: list[Objective] = _list_objectives(doc, ctx)
    for view in ctx.tables:
        out.extend(_table_objectives(doc, ctx, view, _priority_theme(doc, view.block)))
    seen, unique = set(), []
    for obj in out:
        key = (clean(obj.text).lower(), obj.ref)
        if key not in seen:
            seen.add(key)
            unique.append(obj)
    return unique
