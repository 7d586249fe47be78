"""Page geometry → text in reading order: words → lines → columns → paragraphs.

PDFs keep no paragraphs, only glyphs at positions.  This module rebuilds what
the text reader gets for free: one line per paragraph, list items with their
marker, headings on their own line, and cells of unruled rows separated by a
tab.  Everything here works on plain ``Word`` boxes, so OCR output (which has
no PDF objects behind it) goes through the same code.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from statistics import median
from typing import Collection, Iterable, Optional, Sequence

from pipeline.readers.pdf_settings import LAYOUT

BULLET_GLYPHS = "•·▪◦●○■□➢►✓✔"
_MARKER = re.compile(rf"^(?:[{BULLET_GLYPHS}]|[-–*](?=\s)|\d{{1,3}}[.)]|\([a-z0-9]{{1,3}}\)|[a-z][.)])$")
BBox = tuple[float, float, float, float]
# a word that is only a list marker: bullets, "1." / "1)" / a bare "22" (word processors set numbers apart), "(a)", "a)"
LIST_MARK = re.compile(rf"^(?:[{BULLET_GLYPHS}]|[-–*]|\(?\d{{1,3}}[.)]?|\([a-z]{{1,3}}\)|[a-z][.)])$")


@dataclass(slots=True)
class Word:
    """One word and its box; slotted, since a long PDF holds hundreds of thousands of them until it is assembled."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float = 10.0
    bold: bool = False
    line: Optional[int] = None  # OCR's own line id: a tilted scan's line is not level

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    def inside(self, bbox: BBox, slack: float = 1.0) -> bool:
        """The word's centre lies in the box (the test for "this word belongs to that cell/table")."""
        return bbox[0] - slack <= (self.x0 + self.x1) / 2 <= bbox[2] + slack and bbox[1] - slack <= self.middle <= bbox[3] + slack


@dataclass
class Line:
    """Words on one line.  Its words never change after grouping, so its geometry is computed once."""

    words: list[Word]
    marker: Optional[str] = None  # a bullet drawn as a graphic left of the line

    @cached_property
    def bbox(self) -> BBox:
        return (min(w.x0 for w in self.words), min(w.top for w in self.words),
                max(w.x1 for w in self.words), max(w.bottom for w in self.words))

    @property
    def x0(self) -> float:
        return self.bbox[0]

    @property
    def top(self) -> float:
        return self.bbox[1]

    @property
    def x1(self) -> float:
        return self.bbox[2]

    @property
    def bottom(self) -> float:
        return self.bbox[3]

    @cached_property
    def size(self) -> float:
        return median(w.size for w in self.words)

    @cached_property
    def bold(self) -> bool:
        """Its words with letters are bold; a line of figures only ("2009/10") is bold when all its words are."""
        letters = [w for w in self.words if any(c.isalpha() for c in w.text)]
        return all(w.bold for w in letters or self.words)

    @cached_property
    def text(self) -> str:
        return join_words(self.words)

    @cached_property
    def starts(self) -> list[float]:
        return [w.x0 for w in self.words]

    @cached_property
    def segments(self) -> list["Line"]:
        """The line cut at column-wide gaps (computed once: the gutter search asks for every x it tries)."""
        return split_segments(self)


@dataclass
class Unit:
    """One line of reconstructed text: a paragraph, heading, list item or unruled row."""

    text: str
    bbox: BBox
    size: float
    bold: bool
    lines: list[Line] = field(default_factory=list)


def join_words(words: Sequence[Word]) -> str:
    """Words of one line: a wide gap inside a line becomes a tab (a column break)."""
    out: list[str] = []
    for i, (word, wide) in enumerate(zip(words, [False, *column_breaks(words)])):
        if i:
            out.append("\t" if wide else " ")
        out.append(word.text)
    return "".join(out)


def column_breaks(words: Sequence[Word]) -> list[bool]:
    """For each gap between words of a line, whether it parts columns or cells: wider than ``column_gap``,
    unless every gap of the line is that wide and as wide as the others (a justified line in a narrow column
    stretches its spaces evenly; cells are never spaced that evenly), a list marker's gap aside."""
    gaps = [b.x0 - a.x1 for a, b in zip(words, words[1:])]
    wide = [g > column_gap(min(a.size, b.size)) for g, a, b in zip(gaps, words, words[1:])]
    body = gaps[1:] if words and LIST_MARK.match(words[0].text) else gaps
    if len(body) >= LAYOUT.justified_min_gaps and max(body) - min(body) <= LAYOUT.justified_gap_spread:
        return [False] * len(gaps)
    return wide


def column_gap(size: float) -> float:
    """A gap wider than this between two words on a line separates columns or cells, not words."""
    return max(2.2 * size, 14.0)


def group_lines(words: Iterable[Word]) -> list[Line]:
    """Words sharing a baseline band, left to right; lines top to bottom."""
    words = list(words)
    if words and all(w.line is not None for w in words):
        by_id: dict[int, list[Word]] = {}
        for w in words:
            by_id.setdefault(w.line, []).append(w)
        return sorted((Line(sorted(ws, key=lambda w: w.x0)) for ws in by_id.values()), key=lambda l: (median(w.top for w in l.words), l.x0))
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (round(w.top, 1), w.x0)):
        for line in reversed(lines[-4:]):
            ref = line[0]
            if abs(word.middle - ref.middle) <= 0.45 * min(word.bottom - word.top, ref.bottom - ref.top):
                line.append(word)
                break
        else:
            lines.append([word])
    out = [Line(sorted(ws, key=lambda w: w.x0)) for ws in lines]
    return sorted(out, key=lambda line: (line.top, line.x0))


def split_segments(line: Line) -> list[Line]:
    """Cut a line at column-wide gaps (two-column prose, unruled table rows)."""
    parts: list[list[Word]] = [[line.words[0]]]
    for word, wide in zip(line.words[1:], column_breaks(line.words)):
        if wide:
            parts.append([word])
        else:
            parts[-1].append(word)
    return [Line(p) for p in parts]


def find_gutter(lines: Sequence[Line], page_width: float) -> Optional[float]:
    """The x of an empty vertical band in the middle of the page that splits prose into two columns.

    No word may cross it on the lines of the two-column stretch, several lines
    must have text on both sides of it, set apart by more than a word space
    (``gutter_gap_em``: reportlab and LaTeX leave only about an em between
    columns, far less than the gap that separates table cells), and each side
    must read as prose (segments many ems wide, not a column of figures or page
    numbers).  Lines a word crosses it on are full-width lines (a heading or
    paragraph above or below the columns: one to two and back on a page); among
    the two-column lines there may be only a few.  A line cut at a column-wide
    gap (a table row) may not have a word across it.  Tables are cut out
    before this, so their rows do not count.
    """
    s = LAYOUT
    if len(lines) < s.gutter_min_lines:
        return None
    split = {id(line) for line in lines if len(line.segments) > 1}
    lo, hi = page_width * s.gutter_lo, page_width * s.gutter_hi
    best: Optional[tuple[int, float, float]] = None  # (lines both sides, first x, last x) of the best band
    x = lo
    while x <= hi:
        found = _gutter_at(lines, x, s) if _may_be_gutter(lines, split, x, s) else None
        if found is not None and (best is None or found > best[0]):
            best = (found, x, x)
        elif found is not None and found == best[0] and best[2] == x - s.gutter_step:
            best = (found, best[1], x)  # the same band, wider
        x += s.gutter_step
    return (best[1] + best[2]) / 2 if best else None


def _may_be_gutter(lines: Sequence[Line], split: set[int], x: float, s=LAYOUT) -> bool:
    """The counts ``_gutter_at`` asks for, found cheaply (a binary search per line): it runs for every x tried.
    ``split``: ids of the lines cut at column-wide gaps, none of whose words may lie across ``x``."""
    n_left = n_right = 0
    for line in lines:
        i = bisect.bisect_left(line.starts, x)
        if i and line.words[i - 1].x1 > x:
            if id(line) in split:
                return False  # a word of a table row or cut line across it
            continue
        n_left += i > 0
        n_right += i < len(line.words)
    return n_left >= s.gutter_one_side and n_right >= s.gutter_one_side


def side_of(line: Line, x: float) -> tuple[list[Word], list[Word], bool]:
    """The line's words left and right of ``x``, and whether the line runs across it (a word over it,
    or only a word space between its words either side)."""
    left = [w for w in line.words if w.x1 <= x]
    right = [w for w in line.words if w.x0 >= x]
    if len(left) + len(right) < len(line.words):
        return left, right, True
    narrow = bool(left and right) and _gap_at(left[-1], right[0], line.size) < LAYOUT.gutter_gap_em * line.size
    return left, right, narrow


def _gap_at(left: Word, right: Word, size: float) -> float:
    """The space between two words either side of a gutter, as set: a hyphen ending the left column's line hangs
    into the gutter (typesetters' margin kerning, e.g. LaTeX's microtype), so it is measured from before it."""
    hang = LAYOUT.hyphen_hang_em * size if left.text.endswith("-") and len(left.text) > 1 else 0.0
    return right.x0 - left.x1 + hang


def _gutter_at(lines: Sequence[Line], x: float, s=LAYOUT) -> Optional[int]:
    """How many lines have prose both sides of a gutter at ``x``, or None when ``x`` is no gutter."""
    sides = [side_of(line, x) for line in lines]
    across = [line for line, (_, _, crosses) in zip(lines, sides) if crosses]
    kept = [(lw, rw) for lw, rw, crosses in sides if not crosses]
    if sum(1 for lw, rw in kept if lw and rw) < s.gutter_both_sides and len(kept) < 2 * s.gutter_both_sides:
        return None  # (cheap tests first: this runs for every x tried)
    left: list[Line] = []
    right: list[Line] = []
    for line, (_, _, crosses) in zip(lines, sides):
        if crosses:
            continue
        for seg in line.segments:
            if seg.x1 <= x:
                left.append(seg)
            elif seg.x0 >= x:
                right.append(seg)
            else:  # a segment a gutter narrower than a column gap runs through
                left.append(Line([w for w in seg.words if w.x1 <= x]))
                right.append(Line([w for w in seg.words if w.x0 >= x]))
    left = [seg for seg in left if not _marker_only(seg)]
    right = [seg for seg in right if not _marker_only(seg)]
    if len(left) < s.gutter_one_side or len(right) < s.gutter_one_side:
        return None
    # text both sides at one height (one line cut in two, or, from OCR, two lines side by side)
    paired = [a for a in left if any(b.top < a.bottom and a.top < b.bottom for b in right)]
    if len(paired) < s.gutter_both_sides:
        return None
    top, bottom = min(a.top for a in paired), max(a.bottom for a in paired)
    if sum(1 for line in across if top < line.top < bottom) * s.gutter_across_share > len(paired):
        return None  # lines run across it among the two-column lines: word spaces that happen to line up
    if not all(sum(seg.x1 - seg.x0 for seg in side) / len(side) >= s.gutter_side_em * seg_size(side) for side in (left, right)):
        return None
    return len(paired)


def seg_size(segments: Sequence[Line]) -> float:
    return median(seg.size for seg in segments)


def _marker_only(segment: Line) -> bool:
    return len(segment.words) == 1 and bool(LIST_MARK.match(segment.words[0].text))


def reading_order(lines: list[Line], gutter: Optional[float]) -> list[Line]:
    """Lines in reading order: a two-column stretch (either side of ``gutter``) is read left column first, then right."""
    if gutter is None:
        return lines
    out: list[Line] = []
    zone: list[Line] = []

    def flush() -> None:
        sides = [side_of(line, gutter) for line in zone]
        left = [Line(lw, line.marker) for line, (lw, _, _) in zip(zone, sides) if lw]
        right = [Line(rw) for lw, rw, _ in sides if rw]
        cut = _below_columns(left, right)
        out.extend(left[:cut] + right + left[cut:])
        zone.clear()

    for line in lines:
        if side_of(line, gutter)[2]:
            flush()  # a full-width line (title, heading across both columns) ends the zone
            out.append(line)
        else:
            zone.append(line)
    flush()
    return out


def _below_columns(left: list[Line], right: list[Line]) -> int:
    """Where the left-hand lines stop being the left column: the first one below the right column's foot and
    well apart from the line above it, or a paragraph apart and in another style (a heading or paragraph
    under the columns that happens not to reach across the gutter).  Paragraphs and list items in the body
    style less than ``column_foot_gap_em`` apart still belong to a longer left column."""
    if not right:
        return len(left)
    foot = max(l.bottom for l in right)
    for i in range(1, len(left)):
        gap = left[i].top - left[i - 1].bottom
        heading = not same_style(left[i], left[i - 1]) and gap > LAYOUT.paragraph_gap_em * left[i].size
        if left[i].top > foot and (heading or gap > LAYOUT.column_foot_gap_em * left[i].size):
            return i
    return len(left)


def body_size(lines: Iterable[Line]) -> float:
    """The most common font size by characters: what plain paragraphs are set in."""
    weights: dict[float, int] = {}
    for line in lines:
        for w in line.words:
            weights[round(w.size, 1)] = weights.get(round(w.size, 1), 0) + len(w.text)
    return max(weights, key=weights.get) if weights else 10.0


def attach_bullets(lines: list[Line], marks: Sequence[BBox]) -> None:
    """A small graphic just left of a line's first word is its list bullet."""
    for line in lines:
        for x0, top, x1, bottom in marks:
            if x1 <= line.x0 and line.x0 - x1 < 3 * line.size and top >= line.top - 2 and bottom <= line.bottom + 2:
                line.marker = "•"
                break


def starts_item(line: Line) -> bool:
    first = line.words[0].text
    return line.marker is not None or bool(_MARKER.match(first)) or (first[:1] in BULLET_GLYPHS and first[:1] != "·")


def fits_on(prev: Line, nxt: Line, right: float) -> bool:
    """Would the next line's first word have fitted at the end of the previous one?

    If it would, the previous line ended by choice (a hard break), not because
    the text wrapped.  This is the test that tells paragraphs apart in prose and
    items apart in a multi-line table cell.
    """
    first = nxt.words[0]
    room = right - prev.x1
    return room > (first.x1 - first.x0) + 0.6 * first.size


LINE_END_HYPHEN = "\u00ad"  # a soft hyphen: a word hyphenated at a line's end, to settle once the document's words are known


def append_wrapped(out: str, text: str, vocabulary: Optional[Collection[str]] = ()) -> str:
    """Add a wrapped line's text: after a hyphen or slash it runs on ("2011/" "12"), else after a space.
    A word hyphenated at the line's end (typesetters break words by syllable) loses its hyphen when the
    document spells the joined word elsewhere (``vocabulary``: its words in lower case); a compound
    ("door-to-" "door") keeps it.  With ``vocabulary`` None (not known yet) the hyphen is marked for
    ``settle_hyphens``."""
    if not out:
        return text
    if out.endswith(("/", "-")) and not out.endswith((" -", " /")):
        if vocabulary is None:
            return out[:-1] + LINE_END_HYPHEN + text if _hyphenated(out, text, None) else out + text
        return out[:-1] + text if _hyphenated(out, text, vocabulary) else out + text
    return out + " " + text


def settle_hyphens(text: str, vocabulary: Collection[str]) -> str:
    """Marked line-end hyphens dropped where the word was broken by syllable, kept in compounds."""
    if LINE_END_HYPHEN not in text:
        return text
    if not vocabulary:
        return text.replace(LINE_END_HYPHEN, "-")
    return _MARKED.sub(lambda m: m.group(1) + ("" if _syllable_break(m.group(1), m.group(2), vocabulary) else "-") + m.group(2), text)


def _syllable_break(head: str, tail: str, vocabulary: Collection[str]) -> bool:
    """The document spells the joined word, or its tail is no word of the document ("mak-" "ing"); the
    parts of a compound ("well-" "being") are words of their own.  A tail seen once may be a fragment
    of two columns not told apart, so a word of the document is one seen twice (``vocabulary`` counts)."""
    counts = vocabulary if isinstance(vocabulary, Counter) else Counter(vocabulary)
    return counts[(head + tail).lower()] > 0 or counts[tail.lower()] < 2


_WORD_END = re.compile(r"([^\W\d_]+)-$")
_WORD_START = re.compile(r"[^\W\d_]+")


_MARKED = re.compile(rf"([^\W\d_]+){LINE_END_HYPHEN}([^\W\d_]+)")


def _hyphenated(out: str, text: str, vocabulary: Optional[Collection[str]]) -> bool:
    """A word broken by a hyphen at the line's end by syllable, judged by ``vocabulary`` (None: any such word,
    to be judged later; empty: none)."""
    head, tail = _WORD_END.search(out), _WORD_START.match(text)
    if not (head and tail and tail.group(0).islower()):
        return False
    return vocabulary is None or bool(vocabulary) and _syllable_break(head.group(1), tail.group(0), vocabulary)


def vocabulary(lines: Iterable[Line]) -> Counter[str]:
    """The document's words in lower case, letters only, counted (what a line-end hyphen is checked against),
    from inside its lines: a line's first and last words may be the halves of a word broken at its end."""
    return Counter(w for line in lines for word in line.words[1:-1] for w in _WORD_START.findall(word.text.lower()))


def join_lines(lines: Sequence[Line], vocabulary: Collection[str] = ()) -> str:
    """Lines of one paragraph as one line."""
    out = ""
    for line in lines:
        out = append_wrapped(out, line.text.replace("\t", " "), vocabulary)
    return out


def same_style(a: Line, b: Line) -> bool:
    """Same weight and about the same size (OCR sizes come from line boxes and wobble)."""
    return a.bold == b.bold and abs(a.size - b.size) <= 0.12 * max(a.size, b.size)


def paragraphs(lines: list[Line], body: float, gutter: Optional[float] = None, vocabulary: Collection[str] = ()) -> list[Unit]:
    """Group lines into paragraphs, headings and list items (``gutter``: where two columns part, if they do;
    ``vocabulary``: the document's words, to rejoin words hyphenated at a line's end)."""
    units: list[Unit] = []
    current: list[Line] = []

    def flush() -> None:
        if current:
            first = current[0]
            text = join_lines(current, vocabulary)
            if first.marker and not starts_with_marker(text):
                text = f"{first.marker} {text}"
            units.append(Unit(text, union(l.bbox for l in current), first.size, all(l.bold for l in current), list(current)))
            current.clear()

    item_x = {round(l.words[0].x0 if l.marker else l.words[1].x0) for l in lines if starts_item(l) and (l.marker or len(l.words) > 1)}
    item_x = {x for x in item_x if x > min((l.x0 for l in lines), default=0) + 6}
    for line in lines:
        if "\t" in line.text:  # an unruled row: keep its cells apart, one unit per line
            flush()
            current.append(line)
            flush()
            continue
        spaced = True  # set off from the line above by space or style, not just by where it starts
        if current and continues_in_next_column(current, line, lines, gutter):
            current.append(line)
            continue
        if current:
            prev = current[-1]
            gap = line.top - prev.bottom
            spaced = not same_style(line, prev) or gap > 0.7 * max(prev.size, line.size) or gap < -1
            new = (
                spaced
                or starts_item(line)
                or fits_on(prev, line, right_edge(prev, lines, gutter))
                or (line.x0 < prev.x0 - 4 and prev.marker is not None)
                or abs(line.x0 - current[0].x0) > 4 * body and not _continues_item(current, line)
            )
            if new:
                flush()
        if spaced and not starts_item(line) and any(abs(line.x0 - x) < 3 for x in item_x):
            line.marker = "•"  # at the text indent of the list around it: an item whose bullet was lost (OCR)
        current.append(line)
    flush()
    return units


def continues_in_next_column(current: list[Line], line: Line, lines: Sequence[Line], gutter: Optional[float]) -> bool:
    """The first line of the next column goes on with the paragraph or list item the last column ended:
    the column's last line ran to its edge, the style is the same and the line sits where that text's
    wrapped lines sit (indented to an item's text, or at the column's edge for a paragraph)."""
    prev = current[-1]
    if gutter is None or line.top >= prev.top or line.x0 < gutter or prev.x1 > gutter:
        return False  # not a jump from the left column's foot to the right column's head
    if not same_style(line, prev) or starts_item(line) or fits_on(prev, line, right_edge(prev, lines, gutter)):
        return False
    indent = line.x0 - min(l.x0 for l in lines if l.x0 > gutter)
    item = starts_item(current[0])
    text_indent = (current[0].words[1].x0 if len(current[0].words) > 1 else current[0].x0) - current[0].x0 if item else 0.0
    return abs(indent - text_indent) < 4 if item else indent < 4


def right_edge(line: Line, lines: Sequence[Line], gutter: Optional[float] = None) -> float:
    """Where lines of this line's column end: the furthest x1 that at least two overlapping lines reach
    (in a two-column stretch, lines on its side of the gutter; full-width lines end further out)."""
    side = [l for l in lines if gutter is None or (l.x1 < gutter) == (line.x1 < gutter)]
    ends = sorted((l.x1 for l in side if l.x0 < line.x1 and l.x1 > line.x0), reverse=True)
    for x in ends:
        if sum(1 for e in ends if e >= x - 3) >= 2:
            return x
    return ends[0] if ends else line.x1


def continues_on_next_page(last: Unit, first: Unit) -> bool:
    """The first paragraph of a page goes on with the last one of the page before: that one ran to its
    column's edge without closing its sentence, and this one opens in lower case, in the same type (a list
    item or paragraph cut at the page foot; a new paragraph or item never opens in lower case)."""
    if len(last.lines) < 2 or last.text.rstrip()[-1:] in ".!?:;":
        return False
    head = first.lines[0]
    word = head.words[0].text
    if not word[:1].islower() or LIST_MARK.match(word) or not same_style(last.lines[-1], head):
        return False
    return not fits_on(last.lines[-1], head, max(l.x1 for l in last.lines))


def join_units(last: Unit, first: Unit, vocabulary: Collection[str] = ()) -> Unit:
    """A paragraph cut at a page break as one (a marker guessed for the second part from its indent is dropped)."""
    return Unit(append_wrapped(last.text, join_lines(first.lines, vocabulary), vocabulary), last.bbox, last.size,
                last.bold and first.bold, last.lines + first.lines)


def starts_with_marker(text: str) -> bool:
    return bool(text) and (text[0] in BULLET_GLYPHS or bool(_MARKER.match(text.split(" ", 1)[0])))


def _continues_item(current: list[Line], line: Line) -> bool:
    """A wrapped list-item line is indented to the item's text, not its marker."""
    first = current[0]
    return starts_item(first) and len(first.words) > 1 and abs(line.x0 - first.words[1].x0) < 4


def union(boxes: Iterable[BBox]) -> BBox:
    boxes = list(boxes)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
