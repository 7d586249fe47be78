"""The spaCy pipeline: a blank English tokenizer plus registered rule components.

No statistical model is loaded (nothing is downloaded); each component wraps
one of the shared normalisers and writes typed spans to ``doc.spans`` with
the normalised value on ``span._.value``.  Users can add their own
components by name with ``build_nlp(extra=[...])``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import MutableMapping
from typing import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.normalise.dates import find_dates
from pipeline.normalise.money import find_money
from pipeline.normalise.years import find_years

if not Span.has_extension("value"):
    Span.set_extension("value", default=None)

COMPONENTS = ["cp_money", "cp_financial_years", "cp_percentages", "cp_dates", "cp_person_role", "cp_target_phrases", "sentencizer"]
_PERCENT = re.compile(r"\b\d+(?:\.\d+)?\s?(?:%|per\s?cent\b|percent\b)", re.I)
_NAME = r"[A-Z][a-z'’\-]+(?:[ \t\xa0][A-Z][a-z'’\-]+){1,2}"
_ROLE_WORDS = r"(?:Director|Head|Manager|Officer|Solicitor|Executive|Chief|Lead|Leader|Controller|Clerk|Treasurer|Secretary|Monitoring Officer|Assistant|Deputy)"
_ROLE = rf"(?:[A-Z][\w&'’]*[ \t\xa0])*?{_ROLE_WORDS}(?:[ \t\xa0](?:of|for|and|&)?[ \t\xa0]?[A-Z][\w&'’]*)*"
PERSON_ROLE_PATTERNS = [
    # Led by Abby Thomas - Assistant Director
    re.compile(rf"\b(?:Led|Headed|Managed|Run) by\s+(?P<person>{_NAME})\s*[-–—,:]\s*(?P<role>{_ROLE})"),
    # The Executive Director for Communities is Kevin Gibbs
    re.compile(rf"\bThe (?P<role>{_ROLE_WORDS}(?:\s{_ROLE_WORDS})?)(?: (?:for|of) [A-Z][\w ]+?)? is\s+(?P<person>{_NAME})\b"),
    # Contact Officer: Judy Edwards, Director of Policy & Resources
    re.compile(rf"\b(?:Contact|Lead|Responsible) [Oo]fficer\s*:\s*(?P<person>{_NAME}),\s*(?P<role>{_ROLE})"),
    # a signature: Amanda Honey \n Managing Director
    re.compile(rf"^(?P<person>{_NAME})\s*\n\s*(?P<role>{_ROLE})\s*$", re.M),
]


def _add(doc: Doc, key: str, start: int, end: int, label: str, value) -> None:
    _add_all(doc, key, [(start, end, label, value)])


def _add_all(doc: Doc, key: str, found: Iterable[tuple[int, int, str, object]]) -> None:
    """Spans (start, end, label, value) appended to ``doc.spans[key]`` in order, the group set once
    (rebuilding it for each span cost more than finding them); a key without spans stays unset."""
    new = []
    for start, end, label, value in found:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None:
            span._.value = value
            new.append(span)
    if not new:
        return
    if key not in doc.spans:
        doc.spans[key] = new
    else:
        doc.spans[key].extend(new)  # in place: a group rebuilt per call made a long paragraph quadratic


_TEXT_KEY = "cp_text"


def _text(doc: Doc) -> str:
    """The text the Doc was made from: ``annotate`` keeps it, as ``Doc.text`` rebuilds it token by token in Python."""
    text = doc.user_data.get(_TEXT_KEY)
    return text if text is not None else doc.text


def _make_doc(nlp: Language, text: str, plan_year: str | None) -> Doc:
    """A tokenised Doc carrying what the components read besides its tokens: its text and the plan year."""
    doc = nlp.make_doc(text)
    doc.user_data[_TEXT_KEY] = text
    doc.user_data["plan_year"] = plan_year
    return doc


@Language.component("cp_money")
def money_component(doc: Doc) -> Doc:
    _add_all(doc, "money", ((m.start, m.end, "MONEY", m) for m in find_money(_text(doc))))
    return doc


def money_of(doc: Doc) -> list:
    """The amounts ``cp_money`` gives this Doc: its spans where it ran, else the ``find_money`` amounts it
    would keep (those the tokens can cover, as ``_add_all`` keeps them) — without making the spans."""
    if "money" in doc.spans:
        return [s._.value for s in doc.spans["money"]]
    return [m for m in find_money(_text(doc)) if doc.char_span(m.start, m.end, alignment_mode="expand") is not None]


@Language.component("cp_financial_years")
def years_component(doc: Doc) -> Doc:
    _add_all(doc, "fy", ((y.start, y.end, "FY", y.value) for y in find_years(_text(doc))))
    return doc


@Language.component("cp_percentages")
def percent_component(doc: Doc) -> Doc:
    _add_all(doc, "percent", ((m.start(), m.end(), "PERCENT", float(re.match(r"[\d.]+", m.group()).group()))
                              for m in _PERCENT.finditer(_text(doc))))
    return doc


@Language.component("cp_dates")
def dates_component(doc: Doc) -> Doc:
    _add_all(doc, "date", ((d.start, d.end, "DATE", d.value) for d in find_dates(_text(doc), doc.user_data.get("plan_year"))))
    return doc


@Language.component("cp_person_role")
def person_role_component(doc: Doc) -> Doc:
    text = _text(doc)
    found = [m for pattern in PERSON_ROLE_PATTERNS for m in pattern.finditer(text)]
    _add_all(doc, "person", ((m.start("person"), m.end("person"), "PERSON", m.group("person")) for m in found))
    _add_all(doc, "role", ((m.start("role"), m.end("role"), "ROLE", m.group("role").strip()) for m in found))
    return doc


# target phrasing as token patterns: "within 5 working days", "no more than 684kg", "at least 80%", "achieve 40%"
_FIGURE = {"TEXT": {"REGEX": r"(?i)^£?\d[\d,]*(?:\.\d+)?(?:%|kg|k|m|t)?$"}}
_PER_CENT = {"TEXT": {"IN": ["%", "per", "percent"]}, "OP": "?"}
# a set rather than a regex (the Matcher runs a REGEX in Python at each token; tokens hold no line break, so they agree)
_TIME = {"LOWER": {"IN": [w + s for w in ("day", "hour", "minute", "min", "week", "month", "ring", "second", "sec") for s in ("", "s")]}}
TARGET_PATTERNS: dict[str, list[list[dict]]] = {
    "within": [[{"LOWER": {"IN": ["within", "with", "in", "under"]}}, _FIGURE,
                {"LOWER": {"IN": ["working", "calendar", "business", "clear"]}, "OP": "?"}, _TIME]],
    "bound": [
        [{"LOWER": {"IN": ["no", "not"]}}, {"LOWER": {"IN": ["more", "less", "fewer", "greater", "lower", "higher"]}},
         {"LOWER": "than"}, _FIGURE, _PER_CENT],
        [{"LOWER": "at"}, {"LOWER": {"IN": ["least", "most"]}}, _FIGURE, _PER_CENT],
        [{"LOWER": {"IN": ["less", "more", "fewer", "greater", "lower", "higher"]}}, {"LOWER": "than"}, _FIGURE, _PER_CENT],
        [{"LOWER": {"IN": ["minimum", "maximum"]}}, {"LOWER": "of", "OP": "?"}, _FIGURE, _PER_CENT],
        [{"LOWER": {"IN": ["exceed", "exceeding", "above", "below"]}}, _FIGURE, _PER_CENT],
    ],
    "achieve": [[{"LOWER": {"IN": ["achieve", "achieving", "reach", "attain", "maintain", "deliver"]}}, _FIGURE, _PER_CENT]],
}


_DIGIT = re.compile(r"\d")


def _stretches(count: int) -> re.Pattern:
    """From inside a whitespace-free stretch: the rest of it and up to ``count`` more (each after its whitespace)."""
    return re.compile(rf"\S*(?:\s+\S+){{0,{count}}}")


class _WordBeforeFigure:
    """Whether a text has one of the patterns' words right before a figure (``in 5``, ``than £3``): text
    without one holds no match, and is never walked token by token.

    Every pattern has a figure token (``_FIGURE``: ``£`` or a digit first) just
    after a token with a ``LOWER`` word; adjacent tokens have only whitespace
    between them, and a token's lower case ends the lower case of the text
    before it.  Each digit looks back over its own whitespace only, so a
    long paragraph stays linear.
    """

    def __init__(self, patterns: dict[str, list[list[dict]]]) -> None:
        for kind in patterns.values():
            for pattern in kind:
                k = pattern.index(_FIGURE)
                assert k > 0 and "LOWER" in pattern[k - 1], "every pattern has a LOWER word before its figure"
        assert _FIGURE["TEXT"]["REGEX"].startswith("(?i)^£?\\d"), "a figure starts with £ or a digit"
        named = {w for kind in patterns.values() for pattern in kind for token in pattern if "LOWER" in token
                 for w in ([token["LOWER"]] if isinstance(token["LOWER"], str) else token["LOWER"]["IN"])}
        self.words = tuple(sorted(named))
        self.longest = max(map(len, named))
        # tokens a match can have before and after its figure token (each pattern has one figure token)
        self.before = max(pattern.index(_FIGURE) for kind in patterns.values() for pattern in kind)
        self.after = max(len(pattern) - pattern.index(_FIGURE) - 1 for kind in patterns.values() for pattern in kind)
        self._back, self._ahead = _stretches(self.before), _stretches(self.after)

    def text_windows(self, text: str) -> list[tuple[int, int]]:
        """Character ranges of whole whitespace-free stretches round each digit ``figures`` gives: ``before``
        stretches before its own and ``after`` after it, overlapping ranges joined.  A token lies inside one
        stretch, and each token of a match before or after its figure token is in the figure's stretch, a
        whitespace token or a stretch of its own: so the window holds every token of every match."""
        out: list[tuple[int, int]] = []
        reverse = None  # the text backwards, made once, where the stretches before a digit are read forwards
        for offset in self.figures(text):
            reverse = text[::-1] if reverse is None else reverse
            start = len(text) - self._back.match(reverse, len(text) - 1 - offset).end()
            end = self._ahead.match(text, offset).end()
            if out and start <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], end))
            else:
                out.append((start, end))
        return out

    def windows(self, doc: Doc) -> list[tuple[int, int]]:
        """Token ranges (start, end) of ``doc`` holding every match the patterns have there, few and short.

        A match holds one figure token, at most ``before`` tokens after its start
        and ``after`` tokens before its end; the figure token holds one of the
        digits ``figures`` gives.  So each such digit's token with that many tokens
        either side holds every match through it; overlapping ranges are joined.
        """
        out: list[tuple[int, int]] = []
        for offset in self.figures(_text(doc)):
            token = doc.char_span(offset, offset + 1, alignment_mode="expand")
            if token is None:
                continue  # not a digit of any token (a Doc not made from this text): no figure token there
            start, end = max(0, token.start - self.before), min(len(doc), token.start + self.after + 1)
            if out and start <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], end))
            else:
                out.append((start, end))
        return out

    def __call__(self, text: str) -> bool:
        return next(self.figures(text), None) is not None

    def figures(self, text: str) -> Iterator[int]:
        """The offset of each digit with one of the words right before it: the first digit of every
        matched figure token is one of these (a figure token holds its first digit at its start or after ``£``)."""
        for m in _DIGIT.finditer(text):
            j = m.start()
            if j and text[j - 1] == "£":
                j -= 1
            while j and text[j - 1].isspace():
                j -= 1
            if text[max(0, j - self.longest):j].lower().endswith(self.words):
                yield m.start()


may_hold_target_phrase = _WordBeforeFigure(TARGET_PATTERNS)
"""False only when ``cp_target_phrases`` finds no span in a text: asked before a block is annotated just for its targets."""


def _check_first_words(patterns: dict[str, list[list[dict]]]) -> None:
    """What ``component`` relies on to read the Matcher in windows: each pattern opens with a required set
    of words, and no word opens patterns of two kinds (so two matches over the same tokens are one kind)."""
    kinds: dict[str, str] = {}
    for kind, listed in patterns.items():
        for pattern in listed:
            first = pattern[0]
            if "OP" in first or "LOWER" not in first:
                raise ValueError(f"a {kind!r} pattern opens without a required word: {first}")
            for word in [first["LOWER"]] if isinstance(first["LOWER"], str) else first["LOWER"]["IN"]:
                if kinds.setdefault(word, kind) != kind:
                    raise ValueError(f"{word!r} opens patterns of two kinds ({kinds[word]!r}, {kind!r})")


@lru_cache(maxsize=4)
def _target_matcher(nlp: Language):
    """The ``TARGET_PATTERNS`` Matcher over ``nlp``'s vocabulary: one per pipeline, shared by the component and
    ``may_hold_target_span``."""
    from spacy.matcher import Matcher

    _check_first_words(TARGET_PATTERNS)
    matcher = Matcher(nlp.vocab)
    for kind, patterns in TARGET_PATTERNS.items():
        matcher.add(kind, patterns)
    return matcher


def may_hold_target_span(text: str) -> bool:
    """False only when ``cp_target_phrases`` finds no span in ``text``, known without tokenising all of it.

    The tokeniser cuts a text at whitespace first and reads each stretch
    between on its own, so a window of whole stretches (``text_windows``)
    gives the same tokens as the whole text gives there; the Matcher run over
    each window finds every match the whole text has (each lies inside its
    figure's window), and a block with none is never tokenised whole.
    """
    windows = may_hold_target_phrase.text_windows(text)
    if not windows:
        return False
    nlp = build_nlp()
    # the windows in one Doc, apart: a line break between them is a token of its own, which no pattern token matches
    return bool(_target_matcher(nlp)(nlp.make_doc("\n\n".join(text[start:end] for start, end in windows))))


@Language.factory("cp_target_phrases")
def target_phrases_component(nlp: Language, name: str):
    """Target phrasing found with spaCy's ``Matcher``: spans in ``doc.spans["target"]`` labelled by kind."""
    matcher = _target_matcher(nlp)
    may_match = may_hold_target_phrase

    def component(doc: Doc) -> Doc:
        # the Matcher walks only the token ranges round a figure after a pattern word (``windows``): it
        # finds the same matches as over the whole Doc (a pattern reads no token outside its match), and
        # ``filter_spans`` keeps the same spans whatever their order (two matches over the same tokens
        # have the same label: the kinds' first words differ)
        found = []
        for start, end in may_match.windows(doc):
            for match_id, first, last in matcher(doc[start:end]):
                found.append(Span(doc, start + first, start + last, label=nlp.vocab.strings[match_id]))
        doc.spans["target"] = spacy.util.filter_spans(found)
        return doc

    return component


@lru_cache(maxsize=4)
def build_nlp(extra: tuple[str, ...] = ()) -> Language:
    """A blank English pipeline assembled from the registered rule components."""
    nlp = spacy.blank("en")
    # spaCy's 1,000,000-character cap guards the parser and NER (about 1 GB per 100,000 characters); these
    # rule components hold only tokens and spans, so one long block (a plan flattened into one paragraph) is read
    nlp.max_length = MAX_BLOCK_CHARS
    for name in COMPONENTS + list(extra):
        nlp.add_pipe(name)
    return nlp


MAX_BLOCK_CHARS = 20_000_000
"""The longest block annotated (a blank pipeline's tokens cost about 100 bytes a character; the document's memory limit bounds it too)."""

ANNOTATED_KINDS = ("paragraph", "list_item", "heading")  # the prose blocks the components are run over


class Annotations(MutableMapping):
    """Block index -> the block's spaCy ``Doc``, annotated the first time an extractor asks for it.

    Running every component over every prose block cost more than all the
    extractors together, while the built-in extractors read only the blocks
    where a figure or an amount could be; a block nobody asks about is never
    tokenised.  A block's ``Doc`` is the same as ``annotate`` makes (the
    components read only the block's text and the plan year, fixed here).
    """

    def __init__(self, texts: dict[int, str], plan_year: str | None = None) -> None:
        self._texts = texts
        self._docs: dict[int, Doc] = {}
        self.plan_year = plan_year

    def __getitem__(self, index: int) -> Doc:
        doc = self._docs.get(index)
        if doc is None:
            doc = self._docs[index] = annotate_one(self._texts[index], self.plan_year)
        return doc

    def partial(self, index: int, components: tuple[str, ...] = ()) -> Doc | None:
        """The block's ``Doc`` if it is made, else its text tokenised and run through ``components`` only
        (``annotate_partly``); ``None`` for a block that is not annotated.

        For a caller that reads a few span groups, or only tokens and sentences: the other
        components cost more than the tokeniser, and what these write is the same (each
        component reads only the text and the tokens, and adds spans).  The partial Doc is not kept.
        """
        doc = self._docs.get(index)
        if doc is not None:
            return doc
        text = self._texts.get(index)
        return annotate_partly(text, components, self.plan_year) if text is not None else None

    def made(self, index: int) -> bool:
        """Whether the block's ``Doc`` is already made (asking for it again costs nothing)."""
        return index in self._docs

    def __setitem__(self, index: int, doc: Doc) -> None:
        self._docs[index] = doc
        self._texts.setdefault(index, doc.text)

    def __delitem__(self, index: int) -> None:
        del self._texts[index]
        self._docs.pop(index, None)

    def __iter__(self) -> Iterator[int]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)


def annotate_partly(text: str, components: tuple[str, ...] = (), plan_year: str | None = None) -> Doc:
    """``text`` through the tokeniser, the named components (in pipeline order) and the sentencizer only:
    their spans and sentences are what the whole pipeline gives, the other components' spans are missing."""
    nlp = build_nlp()
    doc = _make_doc(nlp, text, plan_year)
    wanted = set(components) | {"sentencizer"}
    for name, component in nlp.pipeline:
        if name in wanted:
            doc = component(doc)
    return doc


def annotate_one(text: str, plan_year: str | None = None) -> Doc:
    """One text through the whole pipeline, with the plan year the date component needs."""
    nlp = build_nlp()
    return nlp(_make_doc(nlp, text, plan_year))


def annotate(texts: Iterable[str], plan_year: str | None = None, batch_size: int = 64) -> list[Doc]:
    nlp = build_nlp()
    docs = []
    for text in texts:
        docs.append(_make_doc(nlp, text, plan_year))
    # nlp.pipe over pre-made Docs keeps user_data (the plan year Qn dates need)
    return list(nlp.pipe(docs, batch_size=batch_size))


def made(annotations: MutableMapping[int, Doc], index: int) -> bool:
    """Whether ``annotations`` already holds block ``index``'s ``Doc`` (a plain mapping holds what it holds)."""
    return annotations.made(index) if isinstance(annotations, Annotations) else index in annotations


def partial(annotations: MutableMapping[int, Doc], index: int, components: tuple[str, ...] = ()) -> Doc | None:
    """``Annotations.partial`` of block ``index``; a plain mapping gives the Doc it holds, if any."""
    if isinstance(annotations, Annotations):
        return annotations.partial(index, components)
    return annotations.get(index)


def spans(doc: Doc, key: str) -> list[Span]:
    return list(doc.spans.get(key, [])) if doc is not None else []

