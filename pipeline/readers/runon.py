"""Tables and lists flattened into one run-on line (a web table or PDF page pasted as one paragraph).

What survives of the structure is the row numbering (``1. … 2. … 3. …``,
``A1 … A2 …``, ``1.1 … 1.2 …``) and, for tables, a header line of column
words before the first row.  This module finds a run of consecutive numbers
inside a long line and cuts there:

* with column words before the first row (``Name | Actual Q4 2018/19 |
  Status | Target Q4 2019/20``) the rows become a ``Table``: each row's
  figures and value words (``Better``, ``Not met``) are taken from the right,
  one per column, and what is left at the left is the row's label — the
  last column is the last value of the row, whatever went missing in between;
* without a header the numbered pieces become list items.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from pipeline.document import Block, Cell
from pipeline.normalise.cells import classify
from pipeline.readers.text_settings import TEXT_SETTINGS
from pipeline.normalise.years import FY_PATTERN
from pipeline.tables import vocabulary

S = TEXT_SETTINGS

# (?<!\S)(?=[A-Z\d]): after a space or at the start, a capital or digit next (the same places as
# "(?:(?<=\s)|^)" alone, which the engine took longer to rule out at every character of a long line)
_MARKER = re.compile(r"(?<!\S)(?=[A-Z\d])(?P<m>(?P<prefix>[A-Z]{1,3})?(?P<num>\d{1,2})(?:\.(?P<sub>\d{1,2}))?)(?P<dot>[.)])?\s+(?=[A-Z%£(“\"‘'])")
_FIGURE = re.compile(r"(?<!\S)(?:£\s?)?\(?-?\d[\d,]*(?:\.\d+)?\)?\s?%?(?!\S)|(?<!\S)n/a(?!\S)", re.I)
_WORD_AFTER = re.compile(r"\s+[a-z]")  # a figure followed by a word ("30 seconds")


@dataclass
class Marker:
    ref: str
    start: int  # where the marker starts (row boundary)
    text_start: int  # where the row's words start


def numbered_run(text: str) -> list[Marker]:
    """The longest run of consecutively numbered markers in ``text`` (at least ``runon_min_rows``).

    A run starts at each ``1`` (or ``x.1``) and takes, in order, every later
    marker that follows its last one (``_follows``); the longest wins, the
    earliest of equals.  Trying every start against every later marker made
    a long line quadratic, so the runs grow together in one pass: each waits
    for the keys that can follow its last marker (``_next_keys``).  Runs a
    marker extends together go on identically from there, so only the one
    that is longest (earliest of equals) then can win; the others are dropped.
    """
    waiting: dict[tuple, dict[int, list[re.Match]]] = {}  # key -> {run start index: run}
    runs: dict[int, list[re.Match]] = {}  # run start index -> run (the runs still in the race)
    for i, m in enumerate(_MARKER.finditer(text)):
        extended = waiting.pop(_key(m), None)
        if extended:
            keep = min(extended, key=lambda start: (-len(extended[start]), start))
            for start, run in extended.items():
                for key in _next_keys(run[-1]):
                    waiting.get(key, {}).pop(start, None)
                if start != keep:
                    del runs[start]
            run = runs[keep]
            run.append(m)
            _wait(waiting, keep, run)
        if m.group("num") == "1" or m.group("sub") == "1":
            runs[i] = [m]
            _wait(waiting, i, runs[i])
    best = min(runs.items(), key=lambda item: (-len(item[1]), item[0]))[1] if runs else []
    if len(best) < S.runon_min_rows:
        return []
    return [Marker(m.group("m"), m.start(), m.end()) for m in best]


def _key(m: re.Match) -> tuple:
    """What ``_follows`` compares of a marker: prefix, whether dotted, number, sub-number."""
    sub = m.group("sub")
    return m.group("prefix") or "", bool(m.group("dot")), int(m.group("num")), None if sub is None else int(sub)


def _next_keys(m: re.Match) -> list[tuple]:
    """The keys of the markers ``_follows`` accepts after ``m``."""
    prefix, dot, num, sub = _key(m)
    if sub is None:
        return [(prefix, dot, num + 1, None)] if prefix or dot else []
    return [(prefix, dot, num, sub + 1), (prefix, dot, num + 1, 1)]


def _wait(waiting: dict[tuple, dict[int, list[re.Match]]], start: int, run: list[re.Match]) -> None:
    for key in _next_keys(run[-1]):
        waiting.setdefault(key, {})[start] = run


def _follows(prev: re.Match, m: re.Match) -> bool:
    """``2.`` after ``1.``; ``A2`` after ``A1``; ``1.2`` after ``1.1`` or ``2.1`` after ``1.x``."""
    if (prev.group("prefix") or "") != (m.group("prefix") or "") or bool(prev.group("dot")) != bool(m.group("dot")):
        return False
    pn, mn = int(prev.group("num")), int(m.group("num"))
    if prev.group("sub") is None and m.group("sub") is None:
        if not (prev.group("prefix") or prev.group("dot")):
            return False  # bare numbers in prose are not a numbering
        return mn == pn + 1
    if prev.group("sub") is None or m.group("sub") is None:
        return False
    ps, ms = int(prev.group("sub")), int(m.group("sub"))
    return (mn == pn and ms == ps + 1) or (mn == pn + 1 and ms == 1)


# ---------------------------------------------------------------- header


def header_columns(text: str) -> list[tuple[int, int]]:
    """Column labels in a header run together: each column word starts a label that runs to the next."""
    hits = vocabulary.hits("column", text)
    if len(hits) < 2:
        return []
    # the header is the stretch of column words just before the first row, not words scattered through prose
    while hits and (len(text[hits[0].start:].split()) > S.runon_header_max_words
                    or vocabulary.header_word_share(text[hits[0].start:]) < S.runon_header_word_share):
        hits = hits[1:]
    if len(hits) < 2:
        return []
    starts = [h.start for h in hits]
    for k in range(1, len(hits)):
        # "… Status 2016/17 Target": a year just before a target column that names none is the target's
        if hits[k].value == "target" and not FY_PATTERN.search(text[hits[k].start:starts[k + 1] if k + 1 < len(starts) else len(text)]):
            year = list(FY_PATTERN.finditer(text, starts[k - 1], hits[k].start))
            if year and not text[year[-1].end():hits[k].start].strip():
                starts[k] = year[-1].start()
    out = []
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else len(text)
        out.append((s, len(text[:e].rstrip())))
    return out


# ---------------------------------------------------------------- row values from the right


def _tokens_from_right(text: str, slots: int) -> tuple[int, list[tuple[int, int]]]:
    """Take up to ``slots`` value tokens from the right of a row; return where the label ends and the tokens.

    A token is a figure, a value word (``Better``, ``Not met``) or a run of
    other words between them; the leftmost run of words is always the label.
    """
    marks = sorted([(m.start(), m.end()) for m in _FIGURE.finditer(text)
                    if classify(m.group()).kind != "year" and not _WORD_AFTER.match(text, m.end())]  # "30 seconds" is words
                   + [(h.start, h.end) for role in ("value",) for h in vocabulary.hits(role, text)])
    marks = _drop_overlaps(marks)
    tokens: list[tuple[int, int]] = []
    end = len(text.rstrip())
    k = len(marks) - 1
    while len(tokens) < slots and end > 0:
        if k >= 0 and marks[k][1] >= end - 1 and text[marks[k][1]:end].strip(" .;,") == "":
            tokens.append(marks[k])
            end = marks[k][0]
            k -= 1
        else:
            start = marks[k][1] if k >= 0 else 0
            if k < 0 or not text[start:end].strip():
                break  # what is left is the label
            if len(tokens) + 1 >= slots or k < 0:
                break
            tokens.append((_skip_space(text, start), end))
            end = start
        while end > 0 and text[end - 1] in " ":
            end -= 1
    if tokens and tokens[-1][0] <= 0:
        tokens.pop()
    label_end = tokens[-1][0] if tokens else len(text)
    return len(text[:label_end].rstrip()), list(reversed(tokens))


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] == " ":
        i += 1
    return i


def _drop_overlaps(marks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in marks:
        if out and s < out[-1][1]:
            if e - s > out[-1][1] - out[-1][0]:
                out[-1] = (s, e)
            continue
        out.append((s, e))
    return out


# ---------------------------------------------------------------- reading a line


@dataclass
class RunOn:
    lead: Optional[tuple[int, int]]  # the words before the header or first item (a paragraph)
    header: list[Cell]
    rows: list[list[Cell]]
    items: list[tuple[str, int, int]]  # (ref, start, end) when there is no header


def read(text: str, offset: int) -> Optional[RunOn]:
    """A flattened table or numbered list inside one long line (``offset`` is where the line starts)."""
    if len(text) < S.runon_min_chars:
        return None
    run = numbered_run(text)
    if not run:
        return None
    before = text[: run[0].start]
    spans = header_columns(before)
    ends = [m.start for m in run[1:]] + [len(text.rstrip())]
    if len(spans) >= 2:
        lead_end = spans[0][0]
        labels = [Cell(text[s:e], offset + s, offset + e) for s, e in spans]
        if vocabulary.first("column", labels[0].text) == "ref":
            header = labels  # "Ref. KPI Name …": the numbering column has its own header
            spans = spans[1:]
        else:
            header = [Cell("", offset + lead_end, offset + lead_end)] + labels
        rows = [_row(text, offset, m, end, len(spans)) for m, end in zip(run, ends)]
        lead = (0, len(before[:lead_end].rstrip())) if before[:lead_end].strip() else None
        return RunOn(lead, header, rows, [])
    items = [(m.ref, m.text_start, len(text[:end].rstrip())) for m, end in zip(run, ends)]
    lead = (0, len(before.rstrip())) if before.strip() else None
    return RunOn(lead, [], [], items)


def _row(text: str, offset: int, marker: Marker, end: int, columns: int) -> list[Cell]:
    body = text[marker.text_start:end]
    label_end, tokens = _tokens_from_right(body, columns - 1)
    base = offset + marker.text_start
    ref = Cell(marker.ref, offset + marker.start, offset + marker.start + len(marker.ref))
    label = Cell(body[:label_end], base, base + label_end)
    cells = [ref, label]
    blanks = columns - 1 - len(tokens)
    cells += [Cell("", label.end, label.end) for _ in range(blanks)]
    cells += [Cell(body[s:e], base + s, base + e) for s, e in tokens]
    return cells


def blocks(found: RunOn, text: str, offset: int) -> list[Block]:
    """The blocks a run-on line stands for: its lead-in paragraph, then the table or the list items."""
    from pipeline.document import Table

    out: list[Block] = []
    if found.lead:
        s, e = found.lead
        out.append(Block(text[s:e], offset + s, offset + e, kind="paragraph"))
    if found.header:
        rows = [found.header] + found.rows
        start, stop = rows[0][0].start, rows[-1][-1].end
        table = Table(rows=rows, header_rows=1)
        out.append(Block(text[start - offset: stop - offset], start, stop, kind="table", table=table))
    for ref, s, e in found.items:
        out.append(Block(text[s:e], offset + s, offset + e, kind="list_item", marker=ref))
    return out
