"""Load Oflog metric data in either published layout (or a user's download with the same columns).

Both layouts are long (one row per council, year and measure) but name their
columns differently (OFLOG.md): ``Year, AreaCode, AreaName, AreaType, Region,
Measure, Value, Units`` and ``Financial year, Local authority code, …,
Entity_Name, Measure, Code, Value, MEDIAN, …, rank_order``.  Header aliases
map both onto one frame; ``-`` and blanks are missing; every row gets the
stable register code, so a council renumbered by the ONS still joins.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from pipeline.councils import register_code
from pipeline.errors import InputError
from pipeline.normalise.years import parse_financial_year
from pipeline.oflog.catalogue import Catalogue, polarity_from

COLUMNS = ("fy", "gss_code", "la_name", "la_type_group", "region", "metric_name", "metric_code", "value", "unit", "polarity")
ALIASES = {
    "fy": ("year", "financial year", "financial_year", "fy", "period", "time period"),
    "gss_code": ("areacode", "area code", "local authority code", "gss code", "gss_code", "ons code", "la code"),
    "la_name": ("areaname", "area name", "local authority name", "local authority", "la name", "council"),
    "la_type_group": ("areatype", "area type", "entity_name", "authority type", "la type"),
    "region": ("region",),
    "metric_name": ("measure", "metric", "indicator", "measure name"),
    "metric_code": ("code", "metric code", "measure code"),
    "value": ("value", "values"),
    "unit": ("units", "unit"),
    "polarity": ("rank_order", "polarity"),
}
REQUIRED = ("fy", "gss_code", "metric_name", "value")


class OflogDataError(InputError):
    """An Oflog data file that cannot be read or lacks the columns a benchmark needs."""


def _canonical(header: str) -> str | None:
    key = re.sub(r"\s+", " ", header.strip().lower())
    return next((name for name, aliases in ALIASES.items() if key in aliases), None)


def load(paths: Iterable[Path], catalogue: Catalogue):
    """One frame of metric values (columns ``COLUMNS`` + ``register_code``, ``metric``) from any number of files."""
    import pandas as pd

    frames = []
    for path in paths:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        rename = {c: _canonical(c) for c in raw.columns if _canonical(c)}
        missing = [c for c in REQUIRED if c not in rename.values()]
        if missing:
            raise OflogDataError(f"{path}: no column for {', '.join(missing)} (columns: {', '.join(raw.columns)}); "
                                 "expected either Oflog layout (see OFLOG.md)")
        frame = raw[list(rename)].rename(columns=rename)
        for column in COLUMNS:
            if column not in frame:
                frame[column] = ""
        frames.append(frame[list(COLUMNS)].assign(file=Path(path).name))
    if not frames:
        raise OflogDataError("no Oflog data files given")
    data = pd.concat(frames, ignore_index=True)
    data["fy"] = data["fy"].map(lambda v: parse_financial_year(v) or v)
    data["value"] = pd.to_numeric(data["value"].str.replace(",", "").str.replace("%", "").str.strip().replace({"-": None, "": None}),
                                  errors="coerce")
    data["gss_code"] = data["gss_code"].str.strip().str.upper()
    codes = {key: register_code(key[0], key[1], financial_year=key[2]) for key in set(zip(data["gss_code"], data["la_name"], data["fy"]))}
    data["register_code"] = [codes[key] for key in zip(data["gss_code"], data["la_name"], data["fy"])]
    data["metric"] = [_metric_code(catalogue, r.metric_code, r.metric_name, r.unit, r.polarity) for r in data.itertuples()]
    return data


def _metric_code(catalogue: Catalogue, code: str, name: str, unit: str, polarity: str) -> str:
    if code and code in catalogue.metrics:
        return code
    known = catalogue.by_name(name)
    if known:
        return known.code
    return catalogue.add_measure(name, unit, polarity_from(polarity)).code
