"""The text pipeline (records in the store) against bare spaCy tokenisation of the same text; time against size.

Throughput: the text corpus, ``--repeat`` copies, extracted in one process
(``workers=0``, like the baseline) into a fresh SQLite store, against
``spacy.blank("en")`` tokenising the same files; the ratio is the share of
bare tokenisation speed the whole pipeline reaches (target >= 0.4).  Each of
``--rounds`` rounds runs in a fresh process (both sides start with cold
caches, as a real run does) and times both sides back to back; the figure is
the median round's ratio, since a single round on a shared machine moved by
+-0.04.

Linearity: one plan repeated to each of ``--sizes`` megabytes, read and
extracted in this process; the ratio of the largest to the smallest cost
against the ratio of their sizes (16 MB should cost at most 2.2x 8 MB).
``--profile`` prints the functions that take the time in the largest document.

Usage: python bench/text_throughput.py [--repeat 20] [--rounds 5] [--sizes 8,16] [--profile] [--workers N]
"""
from __future__ import annotations

import argparse
import cProfile
import multiprocessing
import pstats
import resource
import statistics
import tempfile
import time
from pathlib import Path

from common import ROOT, load

import hostile
from pipeline.run import run_batch
from pipeline.settings import BatchSettings


def corpus(folder: Path, repeat: int) -> list[Path]:
    folder.mkdir()
    out = []
    for k in range(repeat):
        for f in sorted((ROOT / "corpus" / "text").glob("*.txt")):
            path = folder / f"{k:03d}_{f.name}"
            path.write_bytes(f.read_bytes() + f"\n{k}\n".encode())  # distinct bytes: the store keys on content
            out.append(path)
    return out


def bare_tokenise(files: list[Path]) -> float:
    import spacy

    nlp = spacy.blank("en")
    texts = [f.read_text(encoding="utf-8") for f in files]
    started = time.perf_counter()
    for text in texts:
        nlp.make_doc(text)
    return time.perf_counter() - started


def one_document(path: Path, profile: bool) -> float:
    from pipeline.extract import process_source
    from pipeline.ingest import Source

    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    process_source(Source(path))
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(r"pipeline|extractors", 25)
    return time.perf_counter() - started


def throughput_round(folder: Path, db: str, workers: int) -> tuple[float, float, int]:
    """One round in this (fresh) process: seconds of bare tokenisation, of the whole pipeline, and records stored."""
    import pipeline.preload  # noqa: F401  spaCy and the register loaded before either clock starts

    files = sorted(folder.iterdir())
    bare = bare_tokenise(files)
    started = time.perf_counter()
    summary = run_batch([folder], db=db, settings=BatchSettings(workers=workers))
    whole = time.perf_counter() - started
    return bare, whole, sum(sum(o.records.values()) for o in summary.results)


def throughput(tmp: Path, repeat: int, rounds: int, workers: int) -> None:
    files = corpus(tmp / "plans", repeat)
    size = sum(p.stat().st_size for p in files) / 1e6
    ratios = []
    ctx = multiprocessing.get_context("spawn")
    for r in range(rounds):
        with ctx.Pool(1) as fresh:
            bare, whole, records = fresh.apply(throughput_round, (tmp / "plans", str(tmp / f"bench-{r}.db"), workers))
        ratios.append(bare / whole)
        print(f"round {r + 1}: bare {size / bare:.2f} MB/s ({bare:.2f} s)   pipeline {size / whole:.2f} MB/s "
              f"({whole:.2f} s, {len(files) / whole:.0f} documents/s)   ratio {bare / whole:.2f}")
    print(f"documents                  {len(files)} ({size:.2f} MB), {records} records in the store")
    print(f"ratio pipeline/bare        {statistics.median(ratios):.2f} median of {rounds} rounds "
          f"(min {min(ratios):.2f}, max {max(ratios):.2f}; target >= 0.4)")


def linearity(tmp: Path, sizes: list[float], profile: bool) -> None:
    import pipeline.preload  # noqa: F401

    costs = {}
    for mb in sizes:
        path = tmp / f"plan-{mb:g}mb.txt"
        path.write_bytes(hostile.scaled_plan(mb))
        costs[mb] = one_document(path, profile and mb == max(sizes))
        print(f"one {mb:g} MB document        {costs[mb]:.1f} s")
    if len(sizes) > 1:
        small, big = min(sizes), max(sizes)
        print(f"cost {big:g} MB / {small:g} MB        {costs[big] / costs[small]:.2f}   (size ratio {big / small:.1f}; target <= {1.1 * big / small:.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20, help="copies of the text corpus (default 20)")
    parser.add_argument("--rounds", type=int, default=5, help="throughput rounds, each in a fresh process (default 5; 0 to skip)")
    parser.add_argument("--sizes", default="8,16", help="megabytes of the single-document linearity test ('' to skip)")
    parser.add_argument("--workers", type=int, default=0, help="extraction processes (default 0: one process, like the baseline)")
    parser.add_argument("--profile", action="store_true", help="profile the largest single document")
    args = parser.parse_args()
    print(load())
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if args.rounds:
            throughput(tmp, args.repeat, args.rounds, args.workers)
        linearity(tmp, [float(s) for s in args.sizes.split(",") if s], args.profile)
    print(f"peak RSS (MB)              {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
    print(load())


if __name__ == "__main__":
    main()
