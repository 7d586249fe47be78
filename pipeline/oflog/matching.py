"""Match a plan's target indicator to an Oflog metric.

Plans word indicators their own way ("% of household waste sent for reuse,
recycling and composting (NI 192)"), so each metric is tried under every name
variant in the catalogue with rapidfuzz, and a match must also agree on the
kind of unit (a percentage target cannot benchmark a kg-per-household metric).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from rapidfuzz import fuzz

from pipeline.oflog.catalogue import Catalogue, Metric

THRESHOLD = 85.0


@dataclass
class MetricMatch:
    metric: Optional[Metric]  # None when nothing reached the threshold
    score: float
    nearest: Optional[Metric]  # the best candidate, matched or not
    why: str = ""


def _norm(text: str) -> str:
    text = text.lower().replace("%", " percent ").replace("&", " and ")
    text = re.sub(r"\b(percentage|proportion|per cent|percent|rate of|number of|the|of|a|an)\b", " ", text)
    return re.sub(r"[^a-z0-9 ]+", " ", re.sub(r"\s+", " ", text)).strip()


def coverage(variant: str, text: str) -> float:
    """Share of a metric name's words (by length) that the indicator contains, each matched fuzzily.

    Directional on purpose: "staff turnover" must not match "care staff
    turnover rate" just because its words are a subset of the metric's.
    """
    words = variant.split()
    have = text.split()
    if not words or not have:
        return 0.0
    found = sum(len(w) for w in words if any(w == h or (len(w) > 4 and fuzz.ratio(w, h) >= 85) for h in have))
    return 100.0 * found / sum(len(w) for w in words)


def name_score(indicator: str, metric: Metric) -> tuple[float, float]:
    """How well an indicator names a metric: (coverage 0-100, closeness 0-100), best variant first.

    Coverage decides; closeness (whole-string similarity) breaks ties, so
    "recycling contamination rate" goes to the contamination metric, not to
    the recycling rate whose two words it also contains.
    """
    text = _norm(indicator)
    best = (0.0, 0.0)
    for name in metric.names:
        variant = _norm(name)
        if not variant:
            continue
        if re.fullmatch(r"[a-z]+ \d+[a-z]?", variant):  # a code such as "ni 192" or "ascof 1d"
            score = (100.0 if re.search(rf"\b{re.escape(variant)}\b", text) else 0.0, 100.0)
        else:
            score = (coverage(variant, text), fuzz.token_sort_ratio(variant, text))
        best = max(best, score)
    return best


def units_agree(target_unit: Optional[str], metric: Metric) -> bool:
    """Percent targets go with percent metrics; counts and kg with the rest; no unit agrees with anything."""
    if not target_unit:
        return True
    percent_target = target_unit in ("%", "percent")
    return percent_target == (metric.unit == "%")


def match(indicator: str, unit: Optional[str], catalogue: Catalogue, threshold: float = THRESHOLD) -> MetricMatch:
    scored = sorted(((name_score(indicator, m), m) for m in catalogue), key=lambda sm: (-sm[0][0], -sm[0][1]))
    if not scored:
        return MetricMatch(None, 0.0, None, "empty catalogue")
    (nearest_score, _), nearest = scored[0]
    for (score, _), metric in scored:
        if score < threshold:
            break
        if units_agree(unit, metric):
            return MetricMatch(metric, score, metric)
    why = f"best name score {nearest_score:.0f} < {threshold:.0f}" if nearest_score < threshold else f"unit {unit!r} does not fit {nearest.unit!r}"
    return MetricMatch(None, nearest_score, nearest, why)
