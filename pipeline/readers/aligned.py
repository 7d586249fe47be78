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

    @property
    def blank(self) -> bool: ...


@dataclass
class Aligned:
    rows: list[list[Span]]  # each row's cells as absolute character spans (empty cells included)
    next_line: int


def _gap(min_width: int) -> re.Pattern:
    return re.compile(rf"\S {{{min_width},}}\S")


_GAP = _gap(TEXT_SETTINGS.aligned_min_gutter)
_LIST_MARK = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*[.)]?|\(?[a-z0-9]{1,3}\)|[a-z][.)]|[•·▪◦●○■□➢►*–-])$", re.I)


def region(lines: Sequence[LineLike], i: int) -> int:
    """The end of the run of non-blank lines from ``i`` that each have a wide gap inside them."""
    k = i
    while k < len(lines) and not lines[k].blank and "\t" not in lines[k].text and _GAP.search(lines[k].text):
        k += 1
    return k


def gutters(texts: Sequence[str], min_width: int) -> list[Span]:
    """Bands of positions blank on every line, between the leftmost text and the rightmost."""
    width = max(len(t) for t in texts)
    left = min(len(t) - len(t.lstrip(" ")) for t in texts)
    inked = [False] * width
    for t in texts:
        for m in re.finditer(r"\S+", t):
            inked[m.start():m.end()] = [True] * (m.end() - m.start())
    bands, start = [], None
    for p in range(left, width):
        if not inked[p] and start is None:
            start = p
        elif inked[p] and start is not None:
            if p - start >= min_width:
                bands.append((start, p))
            start = None
    return bands


def _columns(texts: Sequence[str], bands: list[Span]) -> list[Span]:
    width = max(len(t) for t in texts)
    edges = [0] + [p for band in bands for p in band] + [width]
    return [(edges[k], edges[k + 1]) for k in range(0, len(edges), 2)]


def _filled(texts: Sequence[str], column: Span) -> int:
    return sum(bool(t[column[0]:column[1]].strip()) for t in texts)


def read(lines: Sequence[LineLike], i: int) -> Aligned | None:
    """The space-aligned table starting at line ``i``, or None when the lines do not keep columns."""
    settings = TEXT_SETTINGS
    stop = region(lines, i)
    if stop - i < settings.aligned_min_rows:
        return None
    texts = [lines[k].text.rstrip() for k in range(i, stop)]
    bands = gutters(texts, settings.aligned_min_gutter)
    if not bands:
        return None
    columns = _columns(texts, bands)
    if any(_filled(texts, c) < settings.aligned_min_column_cells for c in columns):
        return None  # a band that one ragged line opened, not a column
    if len(columns) == 2 and all(_LIST_MARK.match(t[:columns[0][1]].strip() or "-") for t in texts):
        return None  # numbers or bullets padded out to their items: a list, not a table
    rows = [[(lines[k].start + a, lines[k].start + min(b, len(t))) if a < len(t) else (lines[k].start + len(t),) * 2
             for a, b in columns] for k, t in zip(range(i, stop), texts)]
    return Aligned(rows, stop)


def within(lines: Sequence[LineLike], first: int, stop: int) -> bool:
    """A space-aligned table starts somewhere in ``first``..``stop`` (another reading of those lines must wait for it)."""
    return any(read(lines, k) is not None for k in range(first, min(stop, len(lines))) if not lines[k].blank)
