"""The Oflog metric catalogue: the metrics verified from Oflog's own files (see corpus/oflog/README.md).

Oflog closed in December 2024 and published no metric IDs, so the catalogue is
a fixed table (``data/oflog_metrics.csv``): a code (``ASC1``…``ASC7`` as in
Oflog's file; ``WST1``…``WST3`` ours for the waste measures), the name as
Oflog wrote it, the unit, the polarity and the ways plans name the same
measure (``NI 192``, "household waste sent for reuse, recycling and
composting", …).  Measures found in a user's data but not here join the
catalogue under their own name, so a user's own download works too.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Iterable, Optional

POLARITIES = ("higher", "lower", "none")


@dataclass(frozen=True)
class Metric:
    code: str
    name: str
    area: str
    unit: str
    polarity: str  # higher | lower | none  (which direction is better)
    variants: tuple[str, ...] = field(default=())
    upstream: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.variants)


@lru_cache(maxsize=1)
def builtin_metrics() -> tuple[Metric, ...]:
    with resources.files("pipeline.data").joinpath("oflog_metrics.csv").open(encoding="utf-8") as fh:
        return tuple(
            Metric(r["code"], r["name"], r["area"], r["unit"], r["polarity"],
                   tuple(v.strip() for v in r["variants"].split("|") if v.strip()), r["upstream"])
            for r in csv.DictReader(fh)
        )


def polarity_from(text: Optional[str]) -> str:
    """Oflog's ``rank_order`` (``desc`` = higher is better) and plain words → higher | lower | none."""
    low = (text or "").strip().lower()
    if low in ("desc", "higher", "higher is better", "high"):
        return "higher"
    if low in ("asc", "lower", "lower is better", "low"):
        return "lower"
    return "none"


class Catalogue:
    def __init__(self, metrics: Iterable[Metric] = ()) -> None:
        self.metrics: dict[str, Metric] = {m.code: m for m in (metrics or builtin_metrics())}

    def by_name(self, name: str) -> Optional[Metric]:
        key = name.strip().lower()
        return next((m for m in self.metrics.values() if key in (n.lower() for n in m.names) or key == m.code.lower()), None)

    def add_measure(self, name: str, unit: str = "", polarity: str = "none") -> Metric:
        """A measure from a user's data that the catalogue does not know: it joins under its own name."""
        known = self.by_name(name)
        if known:
            return known
        metric = Metric(code=name, name=name, area="user data", unit=unit, polarity=polarity)
        self.metrics[metric.code] = metric
        return metric

    def __iter__(self):
        return iter(self.metrics.values())

    def __len__(self) -> int:
        return len(self.metrics)
