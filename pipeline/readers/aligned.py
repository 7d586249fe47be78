"""Tables laid out with spaces: columns from the character grid.

``pdftotext -layout``, fixed-width reports and copies from a terminal keep a
table's columns where they were on the page, padded with spaces:

    Part 2b: Resources - 2012/13 Budget (£000)
                           Budget 10/11   Budget 11/12   Budget 12/13
    Building Control       33             -69            -58
    Direct Services        4,311          3,671          3,662

Splitting each line on runs of spaces loses what the positions say: a header
cell with a space inside (``Budget 10/11``), an empty cell (a blank under a
year), a text column beside another. The PDF reader finds columns from
whitespace no word crosses over many lines; this is the same idea on
characters: a gutter is a band of positions blank on every line of the block.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol, Sequence

from pipeline.readers.text_settings import TEXT_SETTINGS

Span = tuple[int, int]


class LineLike(Protocol):
    start: int
    text: str
    ink: int | None  # ``_ink(text)``, kept by ``_ink_of`` (the line's text never changes)
    laid_out: bool | None  # kept by ``_laid_out``

    @property
    def blank(self) -> bool: ...


@dataclass
class Aligned:
    rows: list[list[Span]]  # each row's cells as absolute character spans (empty cells included)
    next_line: int


_GAP = re.compile(rf"\S {{{TEXT_SETTINGS.aligned_min_gutter},}}\S")
# a bullet, list number or section reference padded out to its item ("1.     That…", "1.1    Members…"):
# pdf_layout.LIST_MARK plus section references, which a PDF line keeps as words but text pads like numbers
_PADDED_MARK = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*[.)]?|\(?[a-z0-9]{1,3}\)|[a-z][.)]|[•·▪◦●○■□➢►*–-])$", re.I)


_GUTTER = " " * TEXT_SETTINGS.aligned_min_gutter  # what every _GAP holds: lines without it are not searched
# whether _GAP is anywhere (two words a gutter apart), found from the gutter: a pattern that opens with literal spaces
# is searched for them alone, where _GAP's opening \S was tried at every character
_GAP_FROM_GUTTER = re.compile(rf"{_GUTTER}(?<=\S{_GUTTER}) *\S")


def _laid_out(line: LineLike) -> bool:
    """Two words a gutter apart and no tab: kept on the line, as regions are looked for from every line."""
    kept = line.laid_out
    if kept is None:
        text = line.text
        kept = line.laid_out = _GUTTER in text and "\t" not in text and not line.blank and _GAP_FROM_GUTTER.search(text) is not None
    return kept


def region(lines: Sequence[LineLike], i: int) -> list[int]:
    """The lines from ``i`` that each have a wide gap inside them and still share a gutter. A single blank
    line is crossed (``pdftotext -layout`` leaves one between rows a PDF spaced apart) only when the line
    after it keeps the gutters as they are: a table that a blank line separates from this one is another."""
    found: list[int] = []
    ink = 0  # bit p set: some line so far has a character at position p
    k = i
    while k < len(lines):
        after_blank = bool(found) and lines[k - 1].blank
        if lines[k].blank and found and k + 1 < len(lines) and _laid_out(lines[k + 1]):
            k += 1
            continue
        if not _laid_out(lines[k]):
            break
        widened = ink | _ink_of(lines[k])
        if found and (_bands(widened) != _bands(ink) if after_blank else _bands(widened) < 1):
            break  # this line closes (or, after a blank line, adds to) the gutters so far: another layout starts
        ink = widened
        found.append(k)
        k += 1
    return found


_INKED = re.compile(r"\S")
_BLANK = re.compile(r"\s")


def _blank_run(min_width: int) -> re.Pattern:
    """``0{min_width,}``, compiled once per width (``re.finditer`` looked it up in re's cache on every call)."""
    pattern = _BLANK_RUNS.get(min_width)
    if pattern is None:
        pattern = _BLANK_RUNS[min_width] = re.compile("0{%d,}" % min_width)
    return pattern


_BLANK_RUNS: dict[int, re.Pattern] = {}


_ASCII_INK = bytes(0x30 if chr(b).isspace() else 0x31 for b in range(128)) + b"1" * 128  # "0" for \s, else "1"


def _ink(text: str) -> int:
    """Bit p set where the line has a character at position p: the line spelt in ones and zeros, read as a
    binary number (C passes only; a shift and an or per word cost more on every laid-out line).  An ASCII
    line is spelt by one byte translation, others by two pattern substitutions."""
    if not text:
        return 0
    if text.isascii():
        return int(text.encode("ascii").translate(_ASCII_INK)[::-1], 2)
    return int(_BLANK.sub("0", _INKED.sub("1", text))[::-1], 2)


def _ink_of(line: LineLike) -> int:
    """The line's ink, worked out once: a region is looked for from every line of a table, and again by
    ``within``, so the same lines are inked many times over."""
    ink = line.ink
    if ink is None:
        ink = line.ink = _ink(line.text)
    return ink


def _band_spans(ink: int, min_width: int) -> list[Span]:
    """Runs of blank positions at least ``min_width`` wide between the leftmost and the rightmost ink."""
    if not ink:
        return []
    low = (ink & -ink).bit_length() - 1
    pattern = bin(ink >> low)[2:][::-1]  # position order, from the leftmost ink
    return [(low + m.start(), low + m.end()) for m in _blank_run(min_width).finditer(pattern)]


def _bands(ink: int) -> int:
    """``len(_band_spans(ink, aligned_min_gutter))`` by bit arithmetic on the ink, without spelling it out.

    A region asks it of every line it takes, twice after a blank line.  With
    the margin shifted off, ``blank`` has a bit for each blank position up to
    the rightmost ink; ``starts`` keeps the positions that open ``width``
    blanks in a row, so each band is one unbroken run of ``starts`` bits
    (two bands have ink between them), and the runs are counted by their
    first bits.
    """
    if not ink:
        return 0
    ink >>= (ink & -ink).bit_length() - 1
    blank = ~ink & ((1 << ink.bit_length()) - 1)
    starts = blank
    for shift in range(1, TEXT_SETTINGS.aligned_min_gutter):
        starts &= blank >> shift
    return (starts & ~(starts << 1)).bit_count()


def gutters(texts: Sequence[str], min_width: int) -> list[Span]:
    """Bands of positions blank on every line, between the leftmost text and the rightmost."""
    ink = 0
    for text in texts:
        ink |= _ink(text)
    return _band_spans(ink, min_width)


def _columns(texts: Sequence[str], bands: list[Span]) -> list[Span]:
    width = max(len(t) for t in texts)
    edges = [0] + [p for band in bands for p in band] + [width]
    return [(edges[k], edges[k + 1]) for k in range(0, len(edges), 2)]


def _filled(texts: Sequence[str], column: Span) -> int:
    return sum(bool(t[column[0]:column[1]].strip()) for t in texts)


def read(lines: Sequence[LineLike], i: int) -> Aligned | None:
    """The space-aligned table starting at line ``i``, or None when the lines do not keep columns."""
    settings = TEXT_SETTINGS
    numbers = region(lines, i)
    if len(numbers) < settings.aligned_min_rows:
        return None
    texts = [lines[k].text.rstrip() for k in numbers]
    ink = 0
    for k in numbers:  # ``gutters(texts)`` from the inks the region kept (trailing spaces leave no ink)
        ink |= _ink_of(lines[k])
    bands = _band_spans(ink, settings.aligned_min_gutter)
    if not bands:
        return None
    columns = _columns(texts, bands)
    if any(_filled(texts, c) < settings.aligned_min_column_cells for c in columns):
        return None  # a band that one ragged line opened, not a column
    if len(columns) == 2 and all(_PADDED_MARK.match(t[:columns[0][1]].strip() or "-") for t in texts):
        return None  # numbers or bullets padded out to their items: a list, not a table
    rows = [[(lines[k].start + a, lines[k].start + min(b, len(t))) if a < len(t) else (lines[k].start + len(t),) * 2
             for a, b in columns] for k, t in zip(numbers, texts)]
    return Aligned(rows, numbers[-1] + 1)


def within(lines: Sequence[LineLike], first: int, stop: int) -> bool:
    """A space-aligned table starts somewhere in ``first``..``stop`` (another reading of those lines must wait for it).

    A table's first lines may be headers that keep no columns of their own, so a region is tried from each
    of its first few lines; past them, none of its lines starts a table the earlier ones did not.
    """
    k, tries, end = first, 0, min(stop, len(lines))
    while k < end:
        kept = lines[k].laid_out  # read in place: the walk passes over every line of the stretch
        if not (kept if kept is not None else _laid_out(lines[k])):
            k, tries = k + 1, 0
            continue
        if read(lines, k) is not None:
            return True
        tries += 1
        k = k + 1 if tries < TEXT_SETTINGS.figure_header_max_lines else max(k + 1, region(lines, k)[-1] + 1)
    return False


# ---------------------------------------------------------------- rows of wrapped cells


@dataclass
class _Raw:
    """A raw line of text, for finding regions before the document's lines exist."""
    start: int
    text: str
    ink: int | None = None
    laid_out: bool | None = None

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def _wrapped_region(lines: Sequence[_Raw], i: int) -> list[int]:
    """From a laid-out line, the lines that keep its gutters: rows, their wrapped lines, single blank lines."""
    if not _laid_out(lines[i]):
        return []
    found, ink, k = [i], _ink_of(lines[i]), i + 1
    while k < len(lines):
        if lines[k].blank:
            if k + 1 < len(lines) and not lines[k + 1].blank:
                k += 1
                continue
            break
        widened = ink | _ink_of(lines[k])
        if _bands(widened) < 1:
            break
        ink = widened
        found.append(k)
        k += 1
    return found


def _groups(lines: Sequence[_Raw], numbers: list[int]) -> list[list[int]]:
    """The region's lines in the groups blank lines separate."""
    groups: list[list[int]] = [[numbers[0]]]
    for previous, k in zip(numbers, numbers[1:]):
        if k - previous > 1:
            groups.append([])
        groups[-1].append(k)
    return groups


def _wrapped_rows(lines: Sequence[_Raw], numbers: list[int]) -> list[list[str]] | None:
    """Rows whose cells wrap over several lines, a blank line between rows (``pdftotext -layout`` of a
    table with long cells), each cell's lines joined; None where the region is not such a table."""
    settings = TEXT_SETTINGS
    groups = _groups(lines, numbers)
    if len(groups) < settings.aligned_min_rows or sum(len(g) > 1 for g in groups) * 2 < len(groups):
        return None
    texts = [lines[k].text.rstrip() for k in numbers]
    bands = gutters(texts, settings.aligned_min_gutter)
    columns = _columns(texts, bands) if bands else []
    if not 2 <= len(columns) or any(_filled(texts, c) < settings.aligned_min_rows for c in columns):
        return None
    header = groups[0]
    if len(header) > 1 or any(len(lines[header[0]].text[a:b].strip()) > settings.aligned_header_max_chars for a, b in columns):
        return None  # a table opens with a row of short column labels; two columns of prose do not
    rows = []
    for group in groups:
        rows.append([" ".join(part for k in group if (part := lines[k].text[a:b].strip())) for a, b in columns])
    return rows


def rewrite_wrapped(text: str) -> str:
    """Tables whose cells wrap over several lines, written as tab rows (one line a row) for the reader.

    Only the regions read as such tables change; every other line is kept as it is.
    """
    if _GUTTER not in text or _GAP_FROM_GUTTER.search(text) is None:  # the substring test first: it is cheaper still
        return text  # no two words a gutter apart anywhere: nothing laid out with spaces
    raws, pos = [], 0
    for line in text.split("\n"):
        raws.append(_Raw(pos, line))
        pos += len(line) + 1
    out: list[str] = []
    i = 0  # lines before i are written out
    failed_to, tries = -1, 0  # the end of the last region that did not read, and the starts tried inside it
    for k in [k for k, raw in enumerate(raws) if _laid_out(raw)]:  # only a laid-out line starts a region
        if k < i:
            continue  # inside a region already rewritten
        if k <= failed_to and tries >= TEXT_SETTINGS.figure_header_max_lines:
            continue  # past a region's first lines (headers that keep no columns), no later start reads either
        numbers = _wrapped_region(raws, k)
        rows = _wrapped_rows(raws, numbers) if len(numbers) > 1 else None
        if rows is None:
            if k > failed_to:
                failed_to, tries = numbers[-1] if numbers else k, 0
            tries += 1
            continue
        out.extend(raw.text for raw in raws[i:k])
        out.extend("\t".join(row) for row in rows)
        i = numbers[-1] + 1
    if not i:
        return text  # no region rewritten: the text as it came
    out.extend(raw.text for raw in raws[i:])
    return "\n".join(out)
