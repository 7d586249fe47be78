"""Text clean-up as RECORDS.md defines it: markup and list markers out, whitespace collapsed."""
from __future__ import annotations

import re
import unicodedata

from pipeline.normalise.memo import short_text_cache

_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_BOLD = re.compile(r"\*\*|__")
_SPACE = re.compile(r"\s+")
# a list marker at the start of a string: bullets, dashes, "1.", "1)", "(a)", "a)"
LIST_MARKER = re.compile(
    r"^\s*(?:[•·▪◦●○■□➢►✓]\s*|[-–—*]+\s+)+|^\s*(?:\(?\d{1,3}[.)]|\(?[a-z][.)]|\([ivx]+\))\s+"
)


def strip_markup(text: str) -> str:
    """Remove HTML tags and markdown emphasis, keep the words."""
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "**" in text or "__" in text:
        text = _BOLD.sub("", text)
    return text


def collapse(text: str) -> str:
    """Collapse all whitespace (including no-break spaces) to single spaces."""
    if "  " not in text and text.isprintable():  # whitespace is C* or Z*, so only single ASCII spaces here
        return text.strip()
    # str.split() cuts at runs of what str.isspace() calls whitespace, exactly what \s matches (no-break spaces
    # too): the same as _SPACE.sub(" ", text).strip(), without the pattern's per-character scan
    return " ".join(text.split())


_INLINE_BULLET = re.compile(r"\s*[•·▪]\s*")
_LEADER = re.compile(r"\s*(?:\.\s?){4,}$|\s*…+$")  # dot leaders a label runs into its figures with (contents, budget lines)
_LEADING_STAR = re.compile(r"^\*\s*")


def _strip_leader(text: str) -> str:
    """``_LEADER.sub("", text)`` run over the text's trailing dots, ellipses and whitespace only.

    Every leader is made of those characters and ends the text, so nothing before them
    can be part of one; the pattern is not tried at every character of a long paragraph.
    """
    k = len(text)
    while k and (text[k - 1] in ".…" or text[k - 1].isspace()):  # isspace is what \s matches
        k -= 1
    return text[:k] + _LEADER.sub("", text[k:])


def _without_list_marker(text: str) -> str:
    """``LIST_MARKER.sub("", text, count=1)``: each of its branches opens with ``^``, so its one match starts
    the text; ``match`` tries only there, where ``sub`` tried both branches at every character of a paragraph."""
    first = text[:1]
    if not (first in _MARKER_FIRST or first.isdecimal() or first.isspace()):
        return text  # no branch can open with it (a cleaned text opens with neither whitespace nor a marker)
    m = LIST_MARKER.match(text)
    return text[m.end():] if m else text


# what a LIST_MARKER match can open with besides whitespace and a digit: a bullet, a dash, "(" or a lower-case letter
_MARKER_FIRST = frozenset("•·▪◦●○■□➢►✓-–—*(abcdefghijklmnopqrstuvwxyz")


@short_text_cache()
def clean(text: str) -> str:
    """Markup and leading list markers removed, whitespace collapsed; wording untouched.

    Every extractor cleans the same blocks and cells (``Piece.clean`` is a
    property), so short texts are cleaned once and remembered.
    """
    text = collapse(strip_markup(text))
    text = _without_list_marker(text)
    if "•" in text or "·" in text or "▪" in text:
        text = _INLINE_BULLET.sub(" ", text)  # inline bullets of flattened lists
    if text.startswith("*"):
        text = _LEADING_STAR.sub("", text)
    if text.rstrip()[-1:] in (".", "…"):  # where every leader ends (each pass is a whole-text scan)
        text = _strip_leader(text)
    return collapse(text.strip(" |"))


# the characters beyond ASCII that ``re.I`` folds to or from an ASCII character, or whose ``lower`` holds one:
# dotted capital I, dotless i, long s, Kelvin sign (tests/test_prechecks.py checks every code point)
_FOLDS_INTO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")


_DIGIT = re.compile(r"\d")
_ASCII_DIGITS = "0123456789"


def has_digit(text: str) -> bool:
    """``re.search(r"\\d", text)``: in ASCII text (a flag, read at once) ten ``in`` scans, each in C at memory speed,
    where the pattern checks each character's Unicode category in turn; other text asks the pattern."""
    if text.isascii():
        for digit in _ASCII_DIGITS:
            if digit in text:
                return True
        return False
    return _DIGIT.search(text) is not None


def folds_like_ascii(text: str) -> bool:
    """Whether ``lower`` folds ``text`` as ``re.I`` reads it, as far as ASCII goes.

    True when no character outside ASCII folds to or from an ASCII one: then every
    stretch a case-blind pattern matches to ASCII words, spaces and punctuation is
    ASCII itself, and ``text.lower()`` holds it lowered in one piece (every other
    character lowers to characters outside ASCII, whitespace and dashes to themselves).
    """
    # four ``in`` scans in C (none at all in text of one-byte characters, which cannot hold them)
    return text.isascii() or not ("\u0130" in text or "\u0131" in text or "\u017f" in text or "\u212a" in text)


def may_hold(text: str, word: str) -> bool:
    """False only when ``text`` cannot hold the lower-case ASCII ``word`` as a case-blind (``re.I``) pattern reads it.

    Where ``lower`` folds case as ``re.I`` does (``folds_like_ascii``: nearly all
    text, not only ASCII) a substring check of the lowered text answers; other
    text is not ruled out.  A pattern with a fixed word but no fixed start is tried
    at every character, so this is asked first of every block.
    """
    return may_hold_any(text, (word,))


def may_hold_any(text: str, words: tuple[str, ...]) -> bool:
    """``may_hold`` for several words: False only when ``text`` can hold none of them."""
    if not folds_like_ascii(text):
        return True
    low = text.lower()
    for word in words:
        if word in low:
            return True
    return False


def count_words(text: str, cap: int) -> int:
    """``len(text.split())``, but at most ``cap + 1``: enough to compare with a bound up to ``cap``, and a long
    paragraph asked whether it is short is split only as far as its first ``cap`` words."""
    return len(text.split(None, cap))


def normalise_for_match(text: str | None) -> str:
    """Matching form from RECORDS.md: lower case, markup/markers gone, & → and, no punctuation."""
    if not text:
        return ""
    return _for_match(text)


_PUNCTUATION = re.compile(r"[^\w\s]")


@short_text_cache()
def _for_match(text: str) -> str:
    """``normalise_for_match`` of a non-empty text, remembered: units and headings are matched again and again."""
    text = clean(text).lower().replace("&", " and ")
    text = unicodedata.normalize("NFKD", text)
    text = _PUNCTUATION.sub("", text)
    return collapse(text)
