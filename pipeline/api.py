"""The library's front door: what a notebook imports (``import councilplans as cp``) and the CLI calls.

Every function takes the store as ``db`` (a SQLite path or an SQLAlchemy
URL; default ``output/councilplans.db``).  Functions that read the store
never create one: a mistyped path raises ``StoreNotFound``.  Reads apply the
analysts' corrections unless ``raw=True`` asks for what was extracted.
Errors the caller can act on derive from ``CouncilplansError``.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Optional, Sequence, Union

from pipeline.errors import InputError

if TYPE_CHECKING:
    from pipeline.compare import Comparison
    from pipeline.corrections import CorrectionStatus
    from pipeline.evaluate import Report
    from pipeline.oflog.benchmark import BenchmarkResult
    from pipeline.review import ReviewSite
    from pipeline.run import BatchSummary
    from pipeline.store import Store

PathLike = Union[str, os.PathLike]


def _paths(paths: Union[PathLike, Iterable[PathLike]]) -> list[Path]:
    if isinstance(paths, (str, os.PathLike)):
        return [Path(paths)]
    return [Path(p) for p in paths]


@contextmanager
def open_store(db: Optional[str] = None) -> Iterator["Store"]:
    """The existing store at ``db`` (``StoreNotFound`` if there is none)."""
    from pipeline.store import Store

    store = Store(None if db is None else str(db), existing=True)
    try:
        yield store
    finally:
        store.close()


def corrector(store: "Store", raw: bool = False, keep_deleted: bool = False):
    """The corrections to apply when reading ``store`` (None with ``raw``: records as extracted)."""
    from pipeline.corrections import Corrector

    return None if raw else Corrector(store.corrections(), keep_deleted=keep_deleted)


# ---------------------------------------------------------------- extraction

def extract(paths: Union[PathLike, Iterable[PathLike]], db: Optional[str] = None, *, manifest: Optional[PathLike] = None,
            force: bool = False, strict: bool = False, workers: Optional[int] = None, scheduler: Optional[str] = None,
            progress: Optional[Callable[[Any], None]] = None) -> "BatchSummary":
    """Extract files or folders into the store (``pipeline.run.run_batch``); returns the batch summary.

    Unchanged documents are skipped unless ``force``; bad documents are
    reported in the summary and the batch goes on.  A SQLite store gets its
    Datasette metadata file written beside it.
    """
    from pipeline.run import run_batch

    missing = [str(p) for p in _paths(paths) if not p.exists()]
    if missing:
        raise InputError(f"no such file or folder: {', '.join(missing)}")
    summary = run_batch(_paths(paths), db=None if db is None else str(db), manifest=Path(manifest) if manifest else None,
                        strict=strict, force=force, progress=progress, workers=workers, scheduler=scheduler)
    write_datasette_metadata(db)
    return summary


def write_datasette_metadata(db: Optional[str] = None) -> Optional[Path]:
    """``<db>.metadata.json`` beside a SQLite store (labels, facets, descriptions); None for other databases."""
    from pipeline.datasette import write_metadata

    return write_metadata(db)


# ---------------------------------------------------------------- reading

def records(db: Optional[str] = None, type: str = "budget", *, raw: bool = False) -> Any:
    """One record type as a pandas DataFrame, joined to its document's council, codes and year.

    ``type`` is a RECORDS.md type (``budget``, ``target``, ``service``, ...)
    or ``document``.  Corrections are applied (columns ``corrected`` and
    ``correction`` say which rows an analyst changed or added); ``raw=True``
    gives the rows as extracted.
    """
    from schemas import RECORD_TYPES

    if type not in RECORD_TYPES:
        raise InputError(f"type must be one of {', '.join(RECORD_TYPES)} (got {type!r})")
    with open_store(db) as store:
        return store.frame(type, corrector(store, raw) if type != "document" else None)


def documents(db: Optional[str] = None) -> Any:
    """The store's documents (council, year, status, coded issues) as a DataFrame."""
    return records(db, "document")


def stats(db: Optional[str] = None) -> dict:
    """``{"documents": [...], "counts": [{type, council, financial_year, records}, ...]}`` (as extracted)."""
    with open_store(db) as store:
        return {"documents": store.documents(), "counts": store.stats()}


def export(db: Optional[str] = None, format: str = "csv", out: PathLike = "output/export", *, raw: bool = False) -> list[Path]:
    """Write the records as ``jsonl``, ``csv``, ``parquet`` or ``fdp``; returns the files written."""
    from pipeline.export import export as write

    with open_store(db) as store:
        return write(store, format, Path(out), corrector(store, raw))


def compare(db: Optional[str] = None, measure: str = "net_budget", by: str = "council", *, councils: Sequence[str] = (),
            years: Sequence[str] = (), deflator: Union[PathLike, Mapping[str, float], None] = None,
            base_year: Optional[str] = None, taxonomy: Optional[PathLike] = None, raw: bool = False,
            phase: str = "budget") -> "Comparison":
    """Councils × years (or service lines / services × council-years) of one budget measure and phase, in pounds.

    ``deflator``: a ``year,index`` CSV or a ``{year: index}`` mapping, to
    restate amounts in ``base_year`` prices.  ``result.table`` is the pivot.
    """
    from pipeline.compare import compare as pivot, load_deflator
    from pipeline.taxonomy import Taxonomy

    index = dict(deflator) if isinstance(deflator, Mapping) else (load_deflator(Path(deflator)) if deflator else None)
    tax = Taxonomy(Path(taxonomy)) if taxonomy else None
    with open_store(db) as store:
        budgets = store.frame("budget", corrector(store, raw))
    return pivot(budgets, measure, by, list(councils), list(years), index, base_year, tax, phase)


def benchmark(oflog: Union[PathLike, Iterable[PathLike]], db: Optional[str] = None, *, raw: bool = False) -> "BenchmarkResult":
    """The plans' targets against Oflog metric data: ``result.rows`` (matched) and ``result.unmatched``."""
    from pipeline.oflog.benchmark import benchmark as run
    from pipeline.oflog.catalogue import Catalogue
    from pipeline.oflog.data import load

    catalogue = Catalogue()
    data = load(_paths(oflog), catalogue)
    with open_store(db) as store:
        targets = store.frame("target", corrector(store, raw))
    return run(targets, data, catalogue)


# ---------------------------------------------------------------- quality

def evaluate(gold: PathLike, corpus: Optional[PathLike] = None, *, glob: str = "*", exclude: Sequence[str] = (),
             manifest: Optional[PathLike] = None) -> "Report":
    """Extract the corpus files and score them against gold JSONL (RECORDS.md matching rules).

    ``corpus`` defaults to ``text/`` beside the gold folder and ``manifest``
    to ``manifest.csv`` beside the corpus.  ``report.unmatched_gold`` lists
    gold sources no corpus file renders.
    """
    from fnmatch import fnmatch

    from pipeline.evaluate import evaluate as score, load_gold, pair_sources
    from pipeline.extract import process_source
    from pipeline.ingest import find_sources, load_manifest

    gold_dir = Path(gold)
    folder = Path(corpus) if corpus else gold_dir.parent / "text"
    if not folder.is_dir():
        raise InputError(f"no corpus folder {folder}")
    if manifest is None and (folder.parent / "manifest.csv").exists():
        manifest = folder.parent / "manifest.csv"
    rows = load_manifest(Path(manifest)) if manifest else {}
    try:
        gold_records = load_gold(gold_dir)
    except (FileNotFoundError, ValueError) as exc:
        raise InputError(str(exc)) from exc
    sources = {s.name: s for s in find_sources([folder], rows)
               if fnmatch(s.name, glob) and not any(fnmatch(s.name, x) for x in exclude)}
    pairs, unmatched = pair_sources(gold_records, [s.path for s in sources.values()])
    if not pairs:
        raise InputError(f"no file in {folder} matching {glob!r} has gold records in {gold_dir}")

    def extract_one(name: str) -> list[dict]:
        return [r.to_jsonl_dict() for r in process_source(sources[name]).records]

    report = score(gold_records, extract_one, pairs)
    report.unmatched_gold = unmatched if glob == "*" and not exclude else []
    return report


# ---------------------------------------------------------------- checking and correcting

def review(db: Optional[str] = None, out: PathLike = "output/review", *, sources: Sequence[str] = (),
           raw: bool = False, progress: Optional[Callable[[str], None]] = None) -> "ReviewSite":
    """Write the static review site (open ``out/index.html`` in a browser; no server, no network).

    ``sources``: only documents whose file name matches one of these
    (``fnmatch`` patterns).  Corrections are shown applied (deleted records
    struck through); ``raw=True`` shows the extraction alone.
    """
    from pipeline.review import build_site

    with open_store(db) as store:
        return build_site(store, Path(out), sources=list(sources), raw=raw, progress=progress)


@dataclass
class CorrectionLoad:
    """What ``correct`` did: how many corrections were new, and the state of every correction in the store."""

    read: int
    loaded: int
    statuses: list["CorrectionStatus"] = field(default_factory=list)

    @property
    def orphaned(self) -> list["CorrectionStatus"]:
        return [s for s in self.statuses if s.state == "orphaned"]


def correct(file: PathLike, db: Optional[str] = None, *, author: Optional[str] = None,
            reason: Optional[str] = None) -> CorrectionLoad:
    """Load a corrections file (the review site's JSON download, or a CSV) into the store.

    Every row is checked before any is loaded; loading the same file twice
    adds nothing.  ``author`` and ``reason`` fill rows that do not say.
    """
    from pipeline.corrections import read_file, status

    with open_store(db) as store:
        items = read_file(Path(file), store, author=author, reason=reason)
        loaded = store.add_corrections(items)
        return CorrectionLoad(len(items), loaded, status(store))


def corrections(db: Optional[str] = None) -> list["CorrectionStatus"]:
    """Every correction in the store and whether it still finds its record (``applied``, ``orphaned``, ``now_extracted``)."""
    from pipeline.corrections import status

    with open_store(db) as store:
        return status(store)
