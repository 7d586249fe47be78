"""Throughput of the whole text pipeline (records in the store) over the bundled corpus.

Prints documents/s, MB/s and peak memory. Usage: python bench/text_throughput.py [--repeat N]
"""
from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from pipeline.run import run_batch

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20, help="copies of the corpus to process (default 20)")
    parser.add_argument("--workers", type=int, default=1, help="extraction processes (default 1; extract uses one per core)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "plans"
        src.mkdir()
        for k in range(args.repeat):
            for f in (ROOT / "corpus" / "text").glob("*.txt"):
                # a distinct byte per copy so the store does not skip duplicates
                (src / f"{k:03d}_{f.name}").write_text(f.read_text(encoding="utf-8") + f"\n{k}\n", encoding="utf-8")
        size = sum(p.stat().st_size for p in src.iterdir())
        start = time.perf_counter()
        summary = run_batch([src], db=str(Path(tmp) / "bench.db"), workers=args.workers)
        elapsed = time.perf_counter() - start
    n = len(summary.results)
    records = sum(len(r.records) for r in summary.results)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents      {n}")
    print(f"records        {records}")
    print(f"seconds        {elapsed:.2f}")
    print(f"documents/s    {n / elapsed:.1f}")
    print(f"MB/s           {size / 1e6 / elapsed:.2f}")
    print(f"peak RSS (MB)  {peak:.0f}")


if __name__ == "__main__":
    main()
