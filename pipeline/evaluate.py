"""Score extracted records against gold JSONL with exactly the matching rules of RECORDS.md."""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

from rapidfuzz import fuzz

from pipeline.normalise.text import normalise_for_match as norm

CORE = ("service", "objective", "budget", "target")
TYPES = ("document", "service", "objective", "budget", "target", "performance", "workforce", "risk")
_SKIP_FIELDS = {"type", "source", "provenance", "optional", "confidence"}


def sim(a: Any, b: Any) -> float:
    return fuzz.ratio(norm(a), norm(b))


def _num_equal(a: Any, b: Any, tol: float) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= tol


def _scopes_agree(extracted: Optional[str], gold: Optional[str], doc_scope: Optional[str]) -> bool:
    e, g = norm(extracted), norm(gold)
    if not e:
        return (not g) or (doc_scope is not None and g == norm(doc_scope))
    if not g:
        return False
    return e in g or g in e or fuzz.ratio(e, g) >= 70


def match_score(kind: str, e: dict, g: dict, doc_scope: Optional[str]) -> Optional[float]:
    """A score when the pair matches under RECORDS.md, else ``None``."""
    if kind == "service":
        s = sim(e.get("name"), g.get("name"))
        return s if s >= 90 else None
    if kind == "objective":
        s = sim(e.get("text"), g.get("text"))
        return s if s >= 85 else None
    if kind == "budget":
        if not _num_equal(e.get("amount_gbp"), g.get("amount_gbp"), 1.0) or e.get("financial_year") != g.get("financial_year"):
            return None
        if not _scopes_agree(e.get("scope"), g.get("scope"), doc_scope):
            return None
        return 100 + sim(e.get("scope"), g.get("scope")) / 100
    if kind == "target":
        s = sim(e.get("indicator"), g.get("indicator"))
        if s < 80:
            return None
        ev, gv = e.get("value"), g.get("value")
        if (ev is None) != (gv is None) or (ev is not None and not _num_equal(ev, gv, 1e-6)):
            return None
        return s
    if kind == "performance":
        s = sim(e.get("scope"), g.get("scope"))
        return s if s >= 90 else None
    if kind == "workforce":
        s = sim(e.get("scope"), g.get("scope"))
        return s if _num_equal(e.get("count"), g.get("count"), 1e-6) and s >= 70 else None
    if kind == "risk":
        s = sim(e.get("description"), g.get("description"))
        return s if s >= 70 else None
    return None


@dataclass
class TypeScore:
    extracted: int = 0
    gold: int = 0  # non-optional gold
    matched: int = 0  # extracted matched to non-optional gold
    matched_optional: int = 0
    field_hits: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    misses: list[dict] = field(default_factory=list)
    false_positives: list[dict] = field(default_factory=list)

    def add(self, other: "TypeScore") -> None:
        self.extracted += other.extracted
        self.gold += other.gold
        self.matched += other.matched
        self.matched_optional += other.matched_optional
        for k, (h, n) in other.field_hits.items():
            self.field_hits[k][0] += h
            self.field_hits[k][1] += n
        self.misses += other.misses
        self.false_positives += other.false_positives

    @property
    def precision(self) -> float:
        denominator = self.extracted - self.matched_optional
        return self.matched / denominator if denominator else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else (1.0 if not self.extracted - self.matched_optional else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def field_accuracy(self) -> dict[str, float]:
        return {k: h / n for k, (h, n) in sorted(self.field_hits.items()) if n}


def _field_equal(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and not isinstance(a, bool) or isinstance(b, (int, float)) and not isinstance(b, bool):
        try:
            return _num_equal(a, b, 1e-6)
        except (TypeError, ValueError):
            return False
    if isinstance(a, bool) or isinstance(b, bool):
        return bool(a) == bool(b)
    return norm(a) == norm(b)


def score_type(kind: str, extracted: list[dict], gold: list[dict], doc_scope: Optional[str]) -> TypeScore:
    score = TypeScore(extracted=len(extracted), gold=sum(1 for g in gold if not g.get("optional")))
    pairs = []
    for i, e in enumerate(extracted):
        for j, g in enumerate(gold):
            s = match_score(kind, e, g, doc_scope)
            if s is not None:
                pairs.append((s, i, j))
    pairs.sort(key=lambda p: -p[0])
    used_e, used_g = set(), set()
    for s, i, j in pairs:
        if i in used_e or j in used_g:
            continue
        used_e.add(i)
        used_g.add(j)
        g, e = gold[j], extracted[i]
        if g.get("optional"):
            score.matched_optional += 1
        else:
            score.matched += 1
        for name in g:
            if name not in _SKIP_FIELDS:
                score.field_hits[name][1] += 1
                score.field_hits[name][0] += _field_equal(e.get(name), g.get(name))
    score.misses = [g for j, g in enumerate(gold) if j not in used_g and not g.get("optional")]
    score.false_positives = [e for i, e in enumerate(extracted) if i not in used_e]
    return score


def score_document(extracted: list[dict], gold: list[dict]) -> dict[str, TypeScore]:
    gold_doc = next((g for g in gold if g["type"] == "document"), {})
    doc_scope = gold_doc.get("scope")
    out = {}
    for kind in TYPES:
        e = [r for r in extracted if r["type"] == kind]
        g = [r for r in gold if r["type"] == kind]
        if kind == "document":
            ts = TypeScore(extracted=min(len(e), 1), gold=len(g))
            if e and g:
                ts.matched = 1
                for name in g[0]:
                    if name not in _SKIP_FIELDS:
                        ts.field_hits[name][1] += 1
                        ts.field_hits[name][0] += _field_equal(e[0].get(name), g[0].get(name))
            out[kind] = ts
        else:
            out[kind] = score_type(kind, e, g, doc_scope)
    return out


@dataclass
class Report:
    by_type: dict[str, TypeScore]
    by_source: dict[str, dict[str, TypeScore]]
    unmatched_gold: list[str] = field(default_factory=list)  # gold sources no scored file renders

    def core(self) -> TypeScore:
        total = TypeScore()
        for kind in CORE:
            total.add(self.by_type[kind])
        return total

    def as_dict(self) -> dict:
        def row(ts: TypeScore) -> dict:
            return {"precision": round(ts.precision, 4), "recall": round(ts.recall, 4), "f1": round(ts.f1, 4),
                    "extracted": ts.extracted, "gold": ts.gold, "matched": ts.matched,
                    "field_accuracy": {k: round(v, 4) for k, v in ts.field_accuracy().items()}}
        return {
            "types": {k: row(v) for k, v in self.by_type.items()},
            "core": row(self.core()),
            "sources": {s: {"core_f1": round(_core(v).f1, 4), **{k: round(t.f1, 4) for k, t in v.items()}} for s, v in self.by_source.items()},
        }


def _core(scores: dict[str, TypeScore]) -> TypeScore:
    total = TypeScore()
    for kind in CORE:
        total.add(scores[kind])
    return total


def load_gold(gold_dir: Path) -> dict[str, list[dict]]:
    """Gold records grouped by their ``source``."""
    out: dict[str, list[dict]] = defaultdict(list)
    files = sorted(gold_dir.glob("*.jsonl")) if gold_dir.is_dir() else [gold_dir]
    if not files:
        raise FileNotFoundError(f"no gold .jsonl files in {gold_dir}")
    for path in files:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: not JSON ({exc})") from exc
                out[record["source"]].append(record)
    return dict(out)


def pair_sources(gold_sources: Iterable[str], files: Iterable[Path]) -> tuple[dict[str, str], list[str]]:
    """Pair corpus files with the gold source they render: ``{file name: gold source}``.

    A file matches the gold source of the same name, else the gold source with
    the same stem (``plan.pdf`` is a rendition of ``plan.txt``), else the
    longest gold stem it extends with ``_``/``-`` (``plan_scanned.pdf``).
    Returns the pairs and the gold sources no file renders.
    """
    gold_sources = list(gold_sources)
    stems = {Path(g).stem: g for g in gold_sources}
    pairs: dict[str, str] = {}
    for path in files:
        if path.name in gold_sources:
            pairs[path.name] = path.name
            continue
        stem = path.stem
        candidates = [s for s in stems if stem == s or (stem.startswith(s) and stem[len(s)] in "_-")]
        if candidates:
            pairs[path.name] = stems[max(candidates, key=len)]
    unmatched = sorted(set(gold_sources) - set(pairs.values()))
    return pairs, unmatched


def evaluate(gold: dict[str, list[dict]], extract: Callable[[str], list[dict]],
             pairs: Optional[dict[str, str]] = None) -> Report:
    """``extract(file name)`` returns that file's records as JSONL dicts.

    ``pairs`` maps each file to score onto its gold source (default: every gold
    source scored against the file of the same name).
    """
    pairs = pairs if pairs is not None else {s: s for s in gold}
    by_type = {k: TypeScore() for k in TYPES}
    by_source = {}
    for name, source in sorted(pairs.items()):
        scores = score_document(extract(name), gold[source])
        by_source[name] = scores
        for kind, ts in scores.items():
            by_type[kind].add(ts)
    return Report(by_type, by_source)


def format_report(report: Report) -> str:
    lines = [f"{'type':<12}{'P':>7}{'R':>7}{'F1':>7}{'extr':>7}{'gold':>7}{'match':>7}  field accuracy"]
    rows = list(report.by_type.items()) + [("CORE", report.core())]
    for kind, ts in rows:
        acc = ", ".join(f"{k} {v:.2f}" for k, v in ts.field_accuracy().items()) if kind != "CORE" else "services+objectives+budgets+targets"
        lines.append(f"{kind:<12}{ts.precision:>7.3f}{ts.recall:>7.3f}{ts.f1:>7.3f}{ts.extracted:>7}{ts.gold:>7}{ts.matched:>7}  {acc}")
    lines.append("")
    lines.append("per source (core F1): " + "; ".join(f"{s} {_core(v).f1:.3f}" for s, v in report.by_source.items()))
    return "\n".join(lines)
