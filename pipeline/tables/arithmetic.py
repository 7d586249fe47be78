"""Arithmetic as evidence: totals that should add up, rows that are sums, figures split by their sums.

A budget table carries its own check digits: lines add up to sub-totals,
sub-totals to totals, and across a row a base plus changes gives the new
budget.  This module uses them three ways:

* ``find_subtotals``: a row equal to the sum of the rows above it (since the
  last total or section) is a sub-total, whether or not it says so;
* ``check_totals``: a stated total that its lines do not reach (beyond
  rounding) is reported, and lowers the confidence of its figures;
* ``split_glued``: figures whose column gaps were lost in extraction
  (``760200780``) are split where one figure is the sum of the others.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator, Optional

if TYPE_CHECKING:  # pragma: no cover
    from pipeline.tables.view import Row, TableView

ROUNDING_PER_LINE = 0.5  # each printed line may be rounded by half its last digit
MIN_LINES = 2


def _tolerance(lines: int, decimals: int) -> float:
    return max(1, lines) * ROUNDING_PER_LINE * 10 ** -decimals + 1e-9


def _figure_columns(view: "TableView") -> list:
    return [c for c in view.columns if c.kind in ("money", "count") and c.index not in (view.label_column, view.ref_column)]


def _values(view: "TableView", row: "Row", columns) -> dict[int, tuple[float, int]]:
    out = {}
    for column in columns:
        parsed = view.value(row, column)
        if parsed is not None:
            out[column.index] = (parsed.value, parsed.decimals)
    return out


class _Figures:
    """Each row's figures in the table's figure columns, read once.

    Finding sub-totals reads every data row, and checking each total reads
    its lines again (twice where the lines since the section and since the
    last total are the same rows); the figures do not change in between.
    """

    def __init__(self, view: "TableView") -> None:
        self.view = view
        self.columns = _figure_columns(view)
        self._rows: dict[int, dict[int, tuple[float, int]]] = {}

    def of(self, row: "Row") -> dict[int, tuple[float, int]]:
        found = self._rows.get(row.index)
        if found is None:
            found = self._rows[row.index] = _values(self.view, row, self.columns)
        return found


def _groups(view: "TableView") -> Iterator[tuple[list[list["Row"]], "Row"]]:
    """For every total or sub-total row: the ways its lines may run (since the last section; since the last total)."""
    in_section: list[Row] = []
    since_total: list[Row] = []
    for row in view.rows:
        if row.role == "section":
            in_section = []
        elif row.role in ("total", "subtotal"):
            yield [in_section, since_total], row
            in_section, since_total = [], []
        elif row.role == "data":
            in_section.append(row)
            since_total.append(row)


def _sums_to(figures: _Figures, lines: list["Row"], total: "Row") -> Optional[bool]:
    """True when the lines add up to the total in every column both have; None when nothing to compare."""
    target = figures.of(total)
    if not target or len(lines) < MIN_LINES:
        return None
    compared = False
    line_values = [figures.of(r) for r in lines]
    for index, (value, decimals) in target.items():
        present = [v[index] for v in line_values if index in v]
        if len(present) < MIN_LINES:
            continue
        compared = True
        places = max([decimals] + [d for _, d in present])
        if abs(sum(v for v, _ in present) - value) > _tolerance(len(present), places):
            return False
    return compared or None


class _RunningSums:
    """Per column, the sum, count and most decimals of the figures of the lines so far, added in line order.

    ``find_subtotals`` asks whether each row is the sum of the rows above it;
    summing those rows again for every row made a long table quadratic.  The
    sums are the same floats ``_sums_to`` makes (same additions, same order).
    """

    def __init__(self) -> None:
        self.lines = 0
        self.columns: dict[int, tuple[float, int, int]] = {}

    def add(self, values: dict[int, tuple[float, int]]) -> None:
        self.lines += 1
        for index, (value, decimals) in values.items():
            total, count, places = self.columns.get(index, (0, 0, 0))
            self.columns[index] = (total + value, count + 1, max(places, decimals))

    def reached_by(self, target: dict[int, tuple[float, int]]) -> Optional[bool]:
        """``_sums_to`` for these lines: True when they add up to ``target`` in every column both have."""
        compared = False
        for index, (value, decimals) in target.items():
            total, count, places = self.columns.get(index, (0, 0, 0))
            if count < MIN_LINES:
                continue
            compared = True
            if abs(total - value) > _tolerance(count, max(decimals, places)):
                return False
        return compared or None


def find_subtotals(view: "TableView", figures: Optional[_Figures] = None) -> None:
    """Mark data rows that equal the sum of the data rows above them (since the last total or section)."""
    figures = figures or _Figures(view)
    if not figures.columns:
        return
    lines = _RunningSums()
    for row in view.rows:
        if row.role in ("section", "total", "subtotal"):
            lines = _RunningSums()
            continue
        if row.role != "data":
            continue
        values = figures.of(row)
        if lines.lines >= MIN_LINES and len(values) >= 1 and lines.reached_by(values):
            row.role = "subtotal"
            lines = _RunningSums()
            continue
        lines.add(values)


def check_totals(view: "TableView", figures: Optional[_Figures] = None) -> list[tuple[str, str]]:
    """Issues for stated totals their lines do not reach; those rows' confidence drops."""
    issues = []
    figures = figures or _Figures(view)
    for candidates, total in _groups(view):
        verdicts = [_sums_to(figures, lines, total) for lines in candidates]
        lines = candidates[-1]
        if False in verdicts and True not in verdicts:
            total.confidence = 0.6
            total.checks_failed.append("total_mismatch")
            for line in lines:
                line.confidence = min(line.confidence, 0.8)
                line.checks_failed.append("total_mismatch")
            issues.append(("total_mismatch", f"table at {view.block.start}: the lines above '{total.label}' do not add up to it"))
    issues.extend(_scale_suspect(view))
    return issues


def _scale_suspect(view: "TableView") -> list[tuple[str, str]]:
    """A £000 (or £m) table whose figures look like pounds: the worst error a budget dataset can have."""
    out = []
    for column in view.columns:
        if column.kind != "money" or column.scale == 1:
            continue
        figures = [abs(v.value) for r in view.data_rows() if (v := view.value(r, column)) is not None and not v.gbp]
        if len(figures) < 2:
            continue
        limit = 1_000_000 if column.scale == 1_000 else 100_000
        if sum(1 for f in figures if f >= limit) >= 0.5 * len(figures):
            column.checks_failed.append("scale_suspect")
            out.append(("scale_suspect", f"table at {view.block.start}: column '{column.label}' is headed {column.unit} "
                                         f"but its figures look like pounds"))
    return out


# ---------------------------------------------------------------- figures run together

_GROUPED = re.compile(r"\(?-?\d{1,3}(?:,\d{3})+(?:\.\d+)?\)?|\(?-?\d+(?:\.\d+)?\)?")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")
_GLUED_TOKEN = re.compile(r"\(\d[\d,]*\)|[\d,]+")


def _pieces(digits: str, count: int, limit: int = 2000) -> Iterator[list[str]]:
    """Ways to cut a run of digits and commas into ``count`` well-formed figures (no leading zeros)."""
    def ok(piece: str) -> bool:
        bare = piece.strip("()")
        if not bare or bare.startswith(",") or bare.endswith(","):
            return False
        if "," in bare:
            return _THOUSANDS.fullmatch(bare) is not None
        return bare == "0" or not bare.startswith("0")

    def cut(rest: str, k: int) -> Iterator[list[str]]:
        if k == 1:
            if ok(rest):
                yield [rest]
            return
        for i in range(1, len(rest)):
            head = rest[:i]
            if ok(head) and not rest[i] == ",":
                for tail in cut(rest[i:], k - 1):
                    yield [head] + tail

    produced = 0
    for option in cut(digits, count):
        yield option
        produced += 1
        if produced >= limit:
            return


def _number(piece: str) -> float:
    negative = piece.startswith("(") or piece.startswith("-")
    return -float(piece.strip("()-").replace(",", "")) if negative else float(piece.replace(",", ""))


def split_glued(run: str, count: int) -> Optional[list[str]]:
    """Split ``run`` (figures without gaps; brackets kept) into ``count`` figures where the last is the sum of the rest.

    Bracketed figures are already delimited, so only the unbracketed stretches
    are cut.  Returns ``None`` when no split, or more than one, balances.
    """
    tokens = _GLUED_TOKEN.findall(run)
    if not tokens:
        return None
    answers = []
    for layout in _layouts(tokens, count):
        values = [_number(p) for p in layout]
        if abs(sum(values[:-1]) - values[-1]) < 1e-6:
            answers.append(layout)
            if len(answers) > 1 and answers[0] != answers[1]:
                return None
    return answers[0] if answers else None


def _layouts(tokens: list[str], count: int) -> Iterator[list[str]]:
    """Every way to split the unbracketed tokens so the total number of figures is ``count``."""
    bracketed = [t.startswith("(") for t in tokens]
    fixed = sum(bracketed)
    free = [t for t, b in zip(tokens, bracketed) if not b]
    if not free:
        if len(tokens) == count:
            yield tokens
        return
    need = count - fixed
    if need < len(free):
        return
    for shares in _compositions(need, len(free)):
        options = [list(_pieces(t, n)) for t, n in zip(free, shares)]
        if any(not o for o in options):
            continue
        yield from _combine(tokens, bracketed, options)


def _compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    if parts == 1:
        yield (total,)
        return
    for first in range(1, total - parts + 2):
        for rest in _compositions(total - first, parts - 1):
            yield (first,) + rest


def _combine(tokens, bracketed, options) -> Iterator[list[str]]:
    def walk(k: int, free_k: int, acc: list[str]) -> Iterator[list[str]]:
        if k == len(tokens):
            yield acc
            return
        if bracketed[k]:
            yield from walk(k + 1, free_k, acc + [tokens[k]])
            return
        for choice in options[free_k]:
            yield from walk(k + 1, free_k + 1, acc + choice)
    yield from walk(0, 0, [])


def check_arithmetic(view: "TableView") -> list[tuple[str, str]]:
    """``find_subtotals`` then ``check_totals``, reading each row's figures once for both."""
    figures = _Figures(view)
    find_subtotals(view, figures)
    return check_totals(view, figures)


__all__ = ["find_subtotals", "check_totals", "check_arithmetic", "split_glued"]
