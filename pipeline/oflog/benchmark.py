"""Benchmark a plan's targets against Oflog metric data: actual, peer median, rank.

For each extracted target that names an Oflog metric: the council's actual
value in the target's year (or, when that year has no value, the latest
earlier one), the median and rank among councils of the same authority type
that year (Oflog compared like with like: districts with districts), and
whether the target sits above or below them.  Targets naming no metric are
listed with the nearest candidate so a user can extend the catalogue.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from pipeline.councils import register_code
from pipeline.oflog.catalogue import Catalogue, Metric
from pipeline.oflog.matching import match

COLUMNS = ["council", "council_code", "financial_year", "indicator", "metric", "comparator", "target", "unit",
           "actual", "latest_actual", "latest_actual_year", "median", "rank", "rank_of", "target_vs_actual",
           "target_vs_median", "metric_code", "polarity", "peer_group", "data_year", "match_score", "source", "page",
           "snippet"]
UNMATCHED_COLUMNS = ["council", "council_code", "financial_year", "indicator", "target", "unit",
                     "nearest_metric", "nearest_score", "why", "source", "page"]


@dataclass
class BenchmarkResult:
    rows: Any  # pandas DataFrame, COLUMNS
    unmatched: Any  # pandas DataFrame, UNMATCHED_COLUMNS
    metric_values: int = 0  # Oflog values loaded
    metrics: int = 0  # metrics in the catalogue


def compare(target: Optional[float], other: Optional[float]) -> Optional[str]:
    if target is None or other is None or other != other or target != target:
        return None
    if abs(target - other) < 1e-9:
        return "equal"
    return "above" if target > other else "below"


def peer_standing(data: Any, metric: Metric, council: str, year: str) -> dict:
    """Median and rank of the council's value among its authority type in one year.

    Rank 1 is the best: highest value when higher is better, lowest when lower
    is better; a metric with no polarity is ranked highest first.
    """
    rows = data[(data["metric"] == metric.code) & (data["fy"] == year) & data["value"].notna()]
    own = rows[rows["register_code"] == council]
    if own.empty:
        return {}
    group = own.iloc[0]["la_type_group"]
    peers = rows[rows["la_type_group"] == group] if group else rows
    peers = peers.drop_duplicates("register_code")
    value = float(own.iloc[0]["value"])
    ascending = metric.polarity == "lower"
    better = (peers["value"] < value) if ascending else (peers["value"] > value)
    return {"median": round(float(peers["value"].median()), 6), "rank": int(better.sum()) + 1, "rank_of": int(len(peers)),
            "peer_group": group or "all councils", "data_year": year}


def actual_values(data: Any, metric: Metric, council: str, year: Optional[str]) -> tuple[Optional[float], Optional[float], Optional[str]]:
    """(actual that year, latest earlier value, its year)."""
    rows = data[(data["metric"] == metric.code) & (data["register_code"] == council) & data["value"].notna()]
    if rows.empty:
        return None, None, None
    same = rows[rows["fy"] == year] if year else rows.iloc[0:0]
    actual = float(same.iloc[0]["value"]) if not same.empty else None
    earlier = rows[rows["fy"] < year] if year else rows
    if earlier.empty:
        return actual, None, None
    latest = earlier.sort_values("fy").iloc[-1]
    return actual, float(latest["value"]), latest["fy"]


def benchmark(targets: Any, data: Any, catalogue: Catalogue) -> BenchmarkResult:
    """``targets``: the store's target frame (with council and council_code); ``data``: ``oflog.data.load``."""
    import pandas as pd

    rows, unmatched = [], []
    for t in targets.to_dict("records"):
        if t.get("value") is None or t.get("value") != t.get("value"):
            continue  # no numeric target, nothing to benchmark
        year = t.get("financial_year") or t.get("document_year")
        base = {"council": t.get("council"), "council_code": t.get("council_code"), "financial_year": year,
                "indicator": t["indicator"], "target": t["value"], "unit": t.get("unit"), "source": t.get("source"),
                "page": t.get("page")}
        found = match(t["indicator"], t.get("unit"), catalogue)
        if found.metric is None:
            unmatched.append({**base, "nearest_metric": found.nearest.name if found.nearest else None,
                              "nearest_score": round(found.score, 1), "why": found.why})
            continue
        metric = found.metric
        code = register_code(t.get("council_code"), t.get("council"), financial_year=year)
        actual, latest, latest_year = actual_values(data, metric, code, year) if code else (None, None, None)
        standing = peer_standing(data, metric, code, year if actual is not None else latest_year) if code and (actual is not None or latest_year) else {}
        reference = actual if actual is not None else latest
        rows.append({**base, "metric": metric.name, "metric_code": metric.code, "polarity": metric.polarity,
                     "comparator": t.get("comparator"), "actual": actual, "latest_actual": latest if actual is None else None,
                     "latest_actual_year": latest_year if actual is None else None,
                     "median": standing.get("median"), "rank": standing.get("rank"), "rank_of": standing.get("rank_of"),
                     "peer_group": standing.get("peer_group"), "data_year": standing.get("data_year"),
                     "target_vs_actual": compare(t["value"], reference), "target_vs_median": compare(t["value"], standing.get("median")),
                     "match_score": round(found.score, 1), "snippet": t.get("snippet")})
    return BenchmarkResult(pd.DataFrame(rows, columns=COLUMNS), pd.DataFrame(unmatched, columns=UNMATCHED_COLUMNS),
                           metric_values=len(data), metrics=len(catalogue))
