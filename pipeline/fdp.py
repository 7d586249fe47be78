"""Budgets as a Fiscal Data Package: a datapackage.json (Frictionless) plus one CSV.

The Fiscal Data Package spec (Open Knowledge / OpenSpending) describes budget
tables so that tools can read amounts without guessing: the currency, the
scale (``factor``: our amounts are already pounds, so 1), the direction
(expenditure or revenue), the phase (proposed, approved, executed) and the
fiscal period.  Each column carries its FDP ``columnType``.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pipeline.normalise.years import first_year
from pipeline.taxonomy import categorise

REVENUE_MEASURES = {"income"}
FIELDS = [
    # name, type, FDP columnType, description
    ("id", "string", "unknown:string", "record id (store key)"),
    ("corrected", "boolean", "unknown:boolean", "an analyst corrected or added this line (see correction)"),
    ("correction", "string", "unknown:string", "who corrected the line, when and why"),
    ("council", "string", "administrative-classification:generic:label", "council name"),
    ("council_code", "string", "administrative-classification:generic:code", "ONS GSS code"),
    ("register_code", "string", "unknown:string", "mySociety register code"),
    ("fiscal_year", "string", "date:fiscal-year", "UK financial year, April to March"),
    ("fiscal_period_start", "date", "unknown:date", "first day of the financial year"),
    ("fiscal_period_end", "date", "unknown:date", "last day of the financial year"),
    ("service", "string", "functional-classification:generic:label", "budget scope as the plan names it"),
    ("category", "string", "functional-classification:generic:code", "MHCLG revenue outturn service line"),
    ("category_confidence", "number", "unknown:number", "confidence of the category mapping, 0-1"),
    ("measure", "string", "economic-classification:generic:label", "what the figure measures (RECORDS.md)"),
    ("description", "string", "unknown:string", "the line's own words"),
    ("direction", "string", "direction", "expenditure or revenue"),
    ("phase", "string", "phase", "proposed, approved, adjusted (revised) or executed (outturn)"),
    ("amount", "number", "value", "amount in pounds (GBP), sign as written"),
    ("as_written", "string", "unknown:string", "the figure as the plan wrote it, scale included"),
    ("source", "string", "unknown:string", "source file"),
    ("page", "integer", "unknown:integer", "page of the source (PDFs)"),
    ("snippet", "string", "unknown:string", "the words the figure came from"),
]
_EXECUTED = re.compile(r"\b(actual|outturn|spent|out-turn)\b", re.I)
_PROPOSED = re.compile(r"\b(forecast|projected|proposed|draft|estimate[ds]?|indicative|outline|provisional)\b", re.I)


# RECORDS.md phase -> Fiscal Data Package phase (proposed, approved, adjusted, executed)
FDP_PHASES = {"budget": "approved", "revised": "adjusted", "outturn": "executed", "forecast": "proposed", "proposed": "proposed"}


def phase(description: str | None, record_phase: str | None = None) -> str:
    """The record's own phase when extraction found one; else approved, unless the line says outturn or forecast."""
    if _text(record_phase) in FDP_PHASES:
        return FDP_PHASES[record_phase]
    text = _text(description) or ""
    if _EXECUTED.search(text):
        return "executed"
    if _PROPOSED.search(text):
        return "proposed"
    return "approved"


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None  # pandas gives NaN for a missing string


def _period(fy: str | None) -> tuple[str | None, str | None]:
    """First and last day of a UK financial year (April to March)."""
    if not isinstance(fy, str) or not re.fullmatch(r"\d{4}-\d{2}", fy):
        return None, None
    start = first_year(fy)
    return f"{start}-04-01", f"{start + 1}-03-31"


def budget_rows(budgets: Any) -> Any:
    frame = budgets.copy()
    categories, confidences = categorise(frame["scope"].where(frame["scope"].notna(), frame["description"]))
    periods = [_period(fy) for fy in frame["financial_year"]]
    out = frame.assign(
        fiscal_year=frame["financial_year"],
        fiscal_period_start=[p[0] for p in periods],
        fiscal_period_end=[p[1] for p in periods],
        service=frame["scope"],
        category=categories,
        category_confidence=confidences,
        direction=["revenue" if m in REVENUE_MEASURES else "expenditure" for m in frame["measure"]],
        phase=[phase(d, p) for d, p in zip(frame["description"], frame.get("phase", [None] * len(frame)))],
        amount=frame["amount_gbp"],
    )
    columns = [f[0] for f in FIELDS]
    for column in columns:
        if column not in out:
            out[column] = None
    out = out[columns]
    out["page"] = out["page"].astype("Int64")
    out["corrected"] = out["corrected"].astype("boolean").fillna(False)
    return out


def descriptor(rows: Any, csv_name: str) -> dict:
    years = sorted(y for y in rows["fiscal_year"].dropna().unique())
    start, _ = _period(years[0]) if years else (None, None)
    _, end = _period(years[-1]) if years else (None, None)
    return {
        "name": "councilplans-budgets",
        "title": "Council service plan budgets (councilplans)",
        "description": "Budget figures extracted from UK council service plans; every row traceable to its source words.",
        "fiscalSpec": "https://specs.frictionlessdata.io/fiscal-data-package/",
        "fiscalPeriod": {"start": start, "end": end},
        "currency": "GBP",
        "resources": [{
            "name": "budgets",
            "path": csv_name,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {
                "fields": [{"name": n, "type": t, "columnType": c, "description": d} for n, t, c, d in FIELDS],
                "primaryKey": ["id"],
            },
            "model": {
                "measures": {"amount": {"source": "amount", "currency": "GBP", "factor": 1}},
                "dimensions": {
                    "administrative": {"dimensionType": "classification", "primaryKey": ["council_code"],
                                       "attributes": {"council_code": {"source": "council_code"}, "council": {"source": "council"}}},
                    "functional": {"dimensionType": "classification", "primaryKey": ["category"],
                                   "attributes": {"category": {"source": "category"}, "service": {"source": "service"}}},
                    "date": {"dimensionType": "datetime", "primaryKey": ["fiscal_year"], "attributes": {"fiscal_year": {"source": "fiscal_year"}}},
                    "direction": {"dimensionType": "other", "primaryKey": ["direction"], "attributes": {"direction": {"source": "direction"}}},
                    "phase": {"dimensionType": "other", "primaryKey": ["phase"], "attributes": {"phase": {"source": "phase"}}},
                },
            },
        }],
    }


def write_fdp(budgets: Any, out: Path) -> list[Path]:
    """``out`` is a folder: datapackage.json and budgets.csv."""
    out.mkdir(parents=True, exist_ok=True)
    rows = budget_rows(budgets)
    csv_path = out / "budgets.csv"
    rows.to_csv(csv_path, index=False)
    package = out / "datapackage.json"
    package.write_text(json.dumps(descriptor(rows, csv_path.name), indent=2), encoding="utf-8")
    return [package, csv_path]
