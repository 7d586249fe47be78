"""Bytes → clean text, before any reader looks at it; and a test for text that is not words.

Council text arrives in every encoding a desktop ever saved: UTF-8, UTF-8 with
a stray Windows byte, Windows-1252, UTF-16 from a "Save as Unicode text", HTML
copied with its entities, terminal logs with colour codes, web copy full of
zero-width spaces.  ``decode`` picks the encoding (BOM, then the NUL pattern of
UTF-16, then UTF-8, then Windows-1252) and replaces what does not decode
instead of refusing the file; ``clean`` decodes entities and drops characters
that are not text (NULs, control codes, ANSI sequences, zero-width and
direction marks), which otherwise split words so that patterns miss them.
Both report what they changed as warning issues, so a damaged file is visible
in the store rather than silently altered.

``garbled`` finds text a font without a Unicode map turned into glyph soup
(``(cid:12)`` runs, private-use characters, symbol strings, vowel-less letter
strings): such a page reads as text but holds no words.
"""
from __future__ import annotations

import codecs
import html
import re
from dataclasses import dataclass

from pipeline.normalise.memo import SHORT_TEXT

SAMPLE = 4096  # bytes looked at to guess an encoding
BINARY_NUL_SHARE = 0.01  # more NULs than this (and not UTF-16) means a binary file...
BINARY_NUL_MIN = 4  # ...and more than this many: a stray NUL or two in a short text is dropped, not fatal
UTF16_NUL_SHARE = 0.3  # NULs on one byte parity in UTF-16 text of mostly Latin script
CONTROL_SHARE = 0.05  # control characters beyond this share mean binary data, not text

_BOMS = (  # UTF-32 first: its little-endian BOM begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# no-break, figure and narrow no-break spaces (web copy puts them between a figure and its unit or inside phrases):
# the grammar's patterns match plain spaces, and one space for another keeps every offset
_SPACES = ("\u00a0", "\u2007", "\u202f")  # become plain spaces
_BREAKS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")  # vertical tab, form feed, separators: line breaks
_ODD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")  # _BREAKS or _CONTROL
_ODD_OR_INVISIBLE = re.compile(_ODD_CHARACTER.pattern[:-1] + _INVISIBLE.pattern[1:])  # one class: either kind


class Undecodable(ValueError):
    """Bytes that are not text in any encoding we read; ``code`` says why (``binary``)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Cleaned:
    text: str
    issues: list[tuple[str, str]]  # (code, message) warnings


# ---------------------------------------------------------------- bytes → text


def decode(data: bytes) -> Cleaned:
    """The text in ``data`` and what had to be replaced to get it (raises ``Undecodable``)."""
    encoding = _bom_encoding(data) or _utf16_without_bom(data[:SAMPLE])
    nuls = data[:SAMPLE].count(0)
    if encoding is None and nuls > max(BINARY_NUL_MIN, len(data[:SAMPLE]) * BINARY_NUL_SHARE):
        raise Undecodable("binary", "the file looks binary (NUL bytes), not text or PDF")
    issues: list[tuple[str, str]] = []
    if encoding:
        text = data.decode(encoding, errors="replace")
    else:
        encoding, text = _utf8_or_cp1252(data)
    replaced = text.count("\ufffd")
    if replaced:
        issues.append(("replaced_bytes", f"{replaced} byte sequence(s) that are not {encoding} were replaced with "
                                         f"U+FFFD (first near character {text.index(chr(0xfffd))})"))
    if mostly_control(text):
        raise Undecodable("binary", "the file looks binary: too many control characters to be text")
    return Cleaned(text, issues)


def _bom_encoding(data: bytes) -> str | None:
    return next((name for bom, name in _BOMS if data.startswith(bom)), None)


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 saved without a BOM: Latin text puts a NUL in every other byte."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul > UTF16_NUL_SHARE and even_nul < BINARY_NUL_SHARE:
        return "utf-16-le"
    if even_nul > UTF16_NUL_SHARE and odd_nul < BINARY_NUL_SHARE:
        return "utf-16-be"
    return None


def _utf8_or_cp1252(data: bytes) -> tuple[str, str]:
    """UTF-8 when it decodes, or nearly (a stray byte in a UTF-8 file); else Windows-1252.

    "Nearly" means at least as many valid multi-byte sequences as invalid bytes:
    Windows-1252 text almost never holds a valid UTF-8 sequence (it would read as ``Ã©``).
    """
    try:
        return "UTF-8", data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    bad = text.count("\ufffd")
    if non_ascii - bad >= bad:
        return "UTF-8", text
    return "cp1252", data.decode("cp1252", errors="replace")


_CONTROL_BUT_SPACING = re.compile("[\x01-\x08\x0e-\x1f]")  # below 32, but not \t \n \v \f \r or NUL


_CONTROL_BUT_SPACING_BYTES = bytes(range(0x01, 0x09)) + bytes(range(0x0e, 0x20))  # _CONTROL_BUT_SPACING's


def mostly_control(text: str) -> bool:
    """More ``_CONTROL_BUT_SPACING`` characters in the sample than text holds.

    Counted in the sample's UTF-8 bytes, which spell each of them as the one
    byte of its own value and every other character without those bytes:
    deleting them in one C pass cost a fraction of the pattern's ``findall``.
    """
    sample = text[:SAMPLE]
    spelt = sample.encode("utf-8", "surrogatepass")
    bad = len(spelt) - len(spelt.translate(None, _CONTROL_BUT_SPACING_BYTES))
    return bad > len(sample) * CONTROL_SHARE


# ---------------------------------------------------------------- text → clean text


def clean(text: str) -> Cleaned:
    """Line ends unified, entities decoded, invisible and control characters dropped; removals reported."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group()), text)
    removed: dict[str, int] = {}
    if "\x1b" in text:  # every escape sequence starts with ESC
        text = _count_sub(_ANSI, "", text, removed, "terminal escape sequences")
    odd, invisible = _odd_or_invisible(text)
    text = _same_spaces(_count_sub(_BREAKS, "\n", text, removed, None) if odd else text)
    if invisible:
        text = _count_sub(_INVISIBLE, "", text, removed, None)  # zero-width spaces are routine in web copy
    nul = text.count("\x00")
    if odd:
        text = _count_sub(_CONTROL, "", text, removed, "control characters")
    return _reported(text, removed, nul)


def _reported(text: str, removed: dict[str, int], nul: int) -> Cleaned:
    """The cleaned text with one issue naming what was removed; NULs counted apart from other control characters."""
    if nul:
        removed["NUL characters"] = nul
        removed["control characters"] -= nul
        if not removed["control characters"]:
            del removed["control characters"]
    issues = []
    if removed:
        issues.append(("control_characters", "removed " + ", ".join(f"{n} {what}" for what, n in removed.items())))
    return Cleaned(text, issues)


def _odd_or_invisible(text: str) -> tuple[bool, bool]:
    """Whether the text holds an ``_ODD_CHARACTER`` (a break or control character for ``_BREAKS`` and
    ``_CONTROL``), and whether it may hold an ``_INVISIBLE`` one: every invisible character is beyond
    ASCII, and one search for both kinds clears the usual text in one pass instead of two."""
    if text.isascii():
        return _ODD_CHARACTER.search(text) is not None, False
    if _ODD_OR_INVISIBLE.search(text) is None:
        return False, False
    return _ODD_CHARACTER.search(text) is not None, True


def _same_spaces(text: str) -> str:
    """No-break and figure spaces as plain spaces: ``str.replace`` per kind, as ``translate`` walks every
    character through a dict (it took as long as all the other clean-up together)."""
    for space in _SPACES:
        if space in text:
            text = text.replace(space, " ")
    return text


def _count_sub(pattern: re.Pattern, repl: str, text: str, counts: dict[str, int], label: str | None) -> str:
    text, n = pattern.subn(repl, text)
    if n and label:
        counts[label] = counts.get(label, 0) + n
    return text


def text_from_bytes(data: bytes) -> Cleaned:
    """``decode`` then ``clean``: what every text reader starts from."""
    decoded = decode(data)
    cleaned = clean(decoded.text)
    return Cleaned(cleaned.text, decoded.issues + cleaned.issues)


# ---------------------------------------------------------------- words or not

GARBLED_MIN_TOKENS = 30  # below this a page says too little to judge by its words...
GARBLED_SAMPLE = 20_000  # tokens judged at most (evenly spaced): a share needs no more, and a 50 MB text stays cheap
GARBLED_CHECK_EVERY = 64  # tokens judged between asking whether the verdict is already sure
GARBLED_MIN_CHARS = 100  # ...but this many characters can be judged by their kind
GLYPH_SOUP_SHARE = 0.3  # private-use, replacement or unmapped-glyph characters beyond this share: no text
GARBLED_SHARE = 0.5  # more tokens than this that are not words, numbers or acronyms: glyph soup
STOPWORD_MIN_WORDS = 80  # enough words to expect some of the commonest ones
STOPWORD_SHARE = 0.01  # English (or Welsh) prose and table labels stay far above this
_VOWELS = set("aeiouyAEIOUYàáâäèéêëìíîïòóôöùúûüŵŷÀÁÂÄÈÉÊËÌÍÎÏÒÓÔÖÙÚÛÜŴŶ")
_WORD = re.compile(r"[^\W\d_]+(?:['’.\-][^\W\d_]+)*")
_FIGURE = re.compile(r"[A-Za-z]{0,4}[-/]?\d[\d,./:\-–]*[A-Za-z]{0,3}")  # 1,234.5  2023/24  NI192  Q1  £1.2m  2nd
_PRIVATE_USE = re.compile("[\ue000-\uf8ff\ufffd]")
_DIGIT = re.compile(r"\d")
_CID = re.compile(r"\(cid:\d+\)")
STOPWORDS = frozenset(
    "the and of to for in a an is are be will with on by at as from or this that our we it its".split()
    + "y yr a ac ar yn i o am gan mae ei eu ein ond neu wedi bod gyda".split()  # Welsh plans
)


def _judge_token(token: str) -> tuple[int, int, int]:
    """(bad, word, stopword) counts of one token, each 0 or 1."""
    core = token.strip("()[]{}\"'‘’“”.,;:!?*•·-–—|/%£$€")
    if not core:
        return 0, 0, 0  # punctuation
    if _DIGIT.search(core):
        return int(not _FIGURE.fullmatch(core)), 0, 0  # figures are fine in a budget table; digit-symbol soup is not
    if _PRIVATE_USE.search(core) or not _WORD.fullmatch(core):
        return 1, 0, 0
    stop = int(core.lower() in STOPWORDS)
    vowelless = len(core) > 4 and not core.isupper() and not _VOWELS.intersection(core)
    return int(vowelless), 1, stop


def garbled(text: str) -> bool:
    """True when the text is mostly not words: broken font maps, glyph soup, a scrambled encoding."""
    if "(cid:" in text:
        text = _CID.sub("\ufffd", text)
    if not text.isascii():  # glyph soup is private-use or replacement characters, none of them ASCII
        visible = len(text) - sum(map(text.count, " \n\t"))
        if visible >= GARBLED_MIN_CHARS and len(_PRIVATE_USE.findall(text)) > visible * GLYPH_SOUP_SHARE:
            return True
    tokens = text.split()
    if len(tokens) < GARBLED_MIN_TOKENS:
        return False
    if len(tokens) >= 2 * GARBLED_SAMPLE:
        tokens = tokens[:: len(tokens) // GARBLED_SAMPLE]
    bad = words = stop = 0
    # judged a stretch at a time until the verdict is sure (prose is sure a little past half way); a stretch's
    # verdicts are looked up and summed in C, with no Python call per token
    for begin in range(0, len(tokens), GARBLED_CHECK_EVERY):
        tally = sum(_verdicts(tokens[begin:begin + GARBLED_CHECK_EVERY]))
        bad, words, stop = bad + (tally & _FIELD), words + (tally >> _WORD_SHIFT & _FIELD), stop + (tally >> _STOP_SHIFT)
        left = len(tokens) - begin - GARBLED_CHECK_EVERY
        if left > 0 and _surely_words(len(tokens), left, bad, words, stop):
            return False
    if bad > len(tokens) * GARBLED_SHARE:
        return True
    return words >= STOPWORD_MIN_WORDS and stop < words * STOPWORD_SHARE


def _surely_words(total: int, left: int, bad: int, words: int, stop: int) -> bool:
    """Whether ``garbled`` says False whatever the ``left`` tokens not yet judged turn out to be.

    Too many bad tokens needs more than ``bad + left``; too few stopwords needs
    ``words + left`` words at least and fewer stopwords than their share
    (the stopwords already counted stay).
    """
    if bad + left > total * GARBLED_SHARE:
        return False
    most_words = words + left
    return most_words < STOPWORD_MIN_WORDS or stop >= most_words * STOPWORD_SHARE


# a token's verdict as one number, so that a stretch's verdicts add up in C: the bad count in the low bits, the
# word count and the stopword count in fields above it (each field wider than the most tokens in a stretch)
_WORD_SHIFT, _STOP_SHIFT = 20, 40
_FIELD = (1 << _WORD_SHIFT) - 1
GARBLED_VERDICTS_KEPT = 1 << 15  # distinct tokens whose verdicts are remembered (the store is emptied when full)
_KEPT_VERDICTS: dict[str, int] = {}


def _verdicts(tokens: list[str]) -> list[int]:
    """Each token's verdict number: remembered ones looked up in C (``map``), the others judged and remembered.

    Plans repeat their words, and a document's second reading repeats all of
    them: judging token by token, even behind a cache, was most of the cost.
    """
    codes = list(map(_KEPT_VERDICTS.get, tokens))
    if None in codes:
        for k, code in enumerate(codes):
            if code is None:
                codes[k] = _verdict(tokens[k])
    return codes


def _verdict(token: str) -> int:
    b, w, s = _judge_token(token)
    code = b + (w << _WORD_SHIFT) + (s << _STOP_SHIFT)
    if len(token) <= SHORT_TEXT:
        if len(_KEPT_VERDICTS) >= GARBLED_VERDICTS_KEPT:
            _KEPT_VERDICTS.clear()
        _KEPT_VERDICTS[token] = code
    return code
