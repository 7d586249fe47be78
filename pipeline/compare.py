"""Side-by-side tables of councils and years from the store's budgets (pandas pivots).

Plans mix headline totals with the lines that make them up; adding both would
double count.  A total is a line the plan calls a total, or a figure for the
plan's own scope (the directorate a directorate plan is about).  Councils ×
years uses a council-year's totals when the plans give any, else the sum of
its lines; categories and services use the lines only.  A figure with no
scope (a sum quoted in prose) is used only when nothing else is.  When two
plans give the same council, year, scope and line, the later plan wins (it
restates the figure).  Amounts are pounds; with a deflator table they are
restated in the prices of one base year.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

import pandas as pd

from pipeline.errors import InputError
from pipeline.normalise.years import fy_starting, parse_financial_year
from pipeline.taxonomy import Taxonomy, categorise

BY = ("council", "category", "service")
PHASES = ("budget", "revised", "outturn", "forecast", "proposed", "all")
_TOTAL = re.compile(r"\b(?:total|overall)\b", re.I)


@dataclass
class Comparison:
    table: Any  # the pivot (pandas DataFrame)
    long: Any  # the rows it was built from, with category and confidence
    measure: str
    by: str
    real_terms_base: Optional[str] = None


def budget_lines(budgets: Any, measure: str, councils: Sequence[str] = (), years: Sequence[str] = (),
                 taxonomy: Optional[Taxonomy] = None, phase: str = "budget") -> Any:
    """The budget records to compare: one measure and phase, chosen councils and years, totals marked, duplicates resolved.

    Phases are never mixed: a plan's original budget, its revised budget and
    the outturn for the same year are different figures.  ``budget`` keeps
    figures whose phase is budget or not stated (what plans mostly print).
    """
    frame = budgets[budgets["measure"] == measure].copy()
    if phase != "all" and "phase" in frame:
        wanted = frame["phase"].isna() | (frame["phase"] == phase) if phase == "budget" else frame["phase"] == phase
        frame = frame[wanted]
    if councils:
        wanted = {c.lower() for c in councils}
        keys = [frame[c].fillna("").astype(str).str.lower() for c in ("council", "council_code", "register_code") if c in frame]
        frame = frame[pd.concat([k.isin(wanted) for k in keys], axis=1).any(axis=1)]
    if years:
        wanted_years = {parse_financial_year(y) or y for y in years}
        frame = frame[frame["financial_year"].isin(wanted_years)]
    frame["council"] = frame["council"].fillna("(unknown council)")
    frame["scoped"] = frame["scope"].notna()
    frame["label"] = frame["scope"].fillna(frame["description"]).fillna("(unspecified)")
    own_scope = frame.get("document_scope", pd.Series(None, index=frame.index)).fillna("").str.lower()
    frame["is_total"] = (frame["description"].fillna("").str.contains(_TOTAL) | frame["label"].str.contains(_TOTAL)
                         | (frame["label"].str.lower() == own_scope))
    frame["category"], frame["category_confidence"] = categorise(frame["label"], taxonomy)
    frame = frame.sort_values("document_year").drop_duplicates(
        ["council", "financial_year", "label", "description", "is_total"], keep="last")
    keep = []
    for _, group in frame.groupby(["council", "financial_year"], sort=False):
        scoped = group[group["scoped"]]
        keep.append(scoped if not scoped.empty else group)
    return pd.concat(keep) if keep else frame.iloc[0:0]


def _council_year_figures(lines: Any) -> Any:
    """Per council-year: its totals when it has any, else its lines."""
    keep = []
    for _, group in lines.groupby(["council", "financial_year"], sort=False):
        totals = group[group["is_total"]]
        keep.append(totals if not totals.empty else group)
    return pd.concat(keep) if keep else lines


def load_deflator(path: Path) -> dict[str, float]:
    """A CSV of ``year,index`` (financial years such as 2023-24 or 2023/24; calendar years mean the year starting then)."""
    out: dict[str, float] = {}
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = [f.lower() for f in reader.fieldnames or []]
        if "year" not in fields or "index" not in fields:
            raise InputError(f"{path}: a deflator CSV needs 'year' and 'index' columns (found {reader.fieldnames})")
        for n, row in enumerate(reader, start=2):
            row = {k.lower(): v for k, v in row.items()}
            year = parse_financial_year(row["year"]) or _calendar(row["year"])
            if not year:
                raise InputError(f"{path}:{n}: {row['year']!r} is not a year")
            try:
                out[year] = float(row["index"])
            except ValueError as exc:
                raise InputError(f"{path}:{n}: index {row['index']!r} is not a number") from exc
    if not out:
        raise InputError(f"{path}: no rows")
    return out


def _calendar(text: str) -> Optional[str]:
    m = re.fullmatch(r"\s*((?:19|20)\d{2})\s*", text or "")
    return fy_starting(int(m.group(1))) if m else None


def deflate(lines: Any, deflator: dict[str, float], base: Optional[str] = None) -> tuple[Any, str]:
    """Restate amounts in base-year prices: amount × index[base] / index[year]."""
    base = base and (parse_financial_year(base) or base) or max(deflator)
    if base not in deflator:
        raise InputError(f"base year {base} is not in the deflator table ({', '.join(sorted(deflator))})")
    missing = sorted(set(lines["financial_year"]) - set(deflator))
    if missing:
        raise InputError(f"the deflator table has no index for {', '.join(missing)}")
    lines = lines.copy()
    lines["amount_gbp"] = lines["amount_gbp"] * lines["financial_year"].map(lambda y: deflator[base] / deflator[y])
    return lines, base


def compare(budgets: Any, measure: str = "net_budget", by: str = "council", councils: Sequence[str] = (),
            years: Sequence[str] = (), deflator: Optional[dict[str, float]] = None, base_year: Optional[str] = None,
            taxonomy: Optional[Taxonomy] = None, phase: str = "budget") -> Comparison:
    """councils × years (``by='council'``), categories × councils, or services × councils (columns council, year)."""
    if by not in BY:
        raise InputError(f"by must be one of {', '.join(BY)}")
    if phase not in PHASES:
        raise InputError(f"phase must be one of {', '.join(PHASES)}")
    lines = budget_lines(budgets, measure, councils, years, taxonomy, phase)
    base = None
    if deflator is not None and not lines.empty:
        lines, base = deflate(lines, deflator, base_year)
    if by == "council":
        figures, columns, rows = _council_year_figures(lines), "financial_year", "council"
    else:
        figures, columns, rows = lines[~lines["is_total"]], ["council", "financial_year"], "category" if by == "category" else "label"
    if figures.empty:
        return Comparison(pd.DataFrame(), figures, measure, by, base)
    table = figures.pivot_table(index=rows, columns=columns, values="amount_gbp", aggfunc="sum")
    if by == "service":
        table.index.name = "service"
    return Comparison(table.round(2), lines, measure, by, base)


def write(comparison: Comparison, out: Path) -> Path:
    """CSV or Parquet by the file's suffix (Parquet wants flat string column names)."""
    from pipeline.export import write_frame

    table = comparison.table.copy()
    table.columns = [" ".join(str(p) for p in c) if isinstance(c, tuple) else str(c) for c in table.columns]
    return write_frame(table.reset_index() if out.suffix.lower() == ".parquet" else table, out,
                       index=out.suffix.lower() != ".parquet")


def chart(comparison: Comparison, out: Path) -> Path:
    """A PNG: lines over years for councils, grouped bars for categories or services."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = comparison.table
    fig, ax = plt.subplots(figsize=(10, 6))
    scale, unit = (1e6, "£m") if table.abs().max().max() >= 1e6 else (1e3, "£k")
    if comparison.by == "council":
        (table / scale).T.plot(ax=ax, marker="o")
        ax.set_xlabel("financial year")
    else:
        (table / scale).plot.barh(ax=ax)
        ax.invert_yaxis()
    terms = f", {comparison.real_terms_base} prices" if comparison.real_terms_base else ""
    ax.set_title(f"{comparison.measure.replace('_', ' ')} by {comparison.by} ({unit}{terms})")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
