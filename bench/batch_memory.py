"""Memory against batch size: peak RSS of 100, 1,000 and 10,000 text plans, and the slope across a batch.

Runs ``councilplans extract`` as a subprocess on each batch and samples the RSS
of its whole process tree (main process, forkserver, workers; shared pages
counted in each process, so an upper bound) and of the main process alone,
with the number of documents already in the store.  The slope is a least-squares
line through (documents done, RSS) over the last 80% of the batch, in MB per
100 documents; workers are replaced every ``recycle_after`` documents, so their
sawtooth averages out.

Usage: python bench/batch_memory.py [--sizes 100,1000,10000] [--slope-size 1000]
"""
from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import MB, ROOT, load, rss, text_plans, tree_rss


def run(folder: Path, db: Path) -> tuple[list[tuple[int, int, int]], float]:
    """(documents stored, tree RSS, main RSS) samples of one extract run, and its wall time."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "extract", str(folder), "--db", str(db), "-q"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    samples = []
    while proc.poll() is None:
        try:
            tree, main = tree_rss(proc.pid), rss(proc.pid)
            done = _stored(db)
        except (OSError, sqlite3.Error):
            time.sleep(0.2)
            continue
        samples.append((done, tree, main))
        time.sleep(0.25)
    return samples, time.perf_counter() - started


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
        try:
            return conn.execute("select count(*) from documents").fetchone()[0]
        except sqlite3.OperationalError:
            return 0


def slope(points: list[tuple[int, int]]) -> float:
    """MB per 100 documents, least squares."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points) or 1
    return sum((x - mx) * (y - my) for x, y in points) / sxx * 100 / MB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--slope-size", type=int, default=1000)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(load())
    peaks = {}
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        for n in sorted(set(sizes) | {args.slope_size}):
            folder = text_plans(tmp / f"plans{n}", n)
            samples, seconds = run(folder, tmp / f"s{n}.db")
            peaks[n] = (max(t for _, t, _ in samples), max(m for _, _, m in samples), seconds)
            if n == args.slope_size:
                body = [s for s in samples if s[0] >= n * 0.2]
                tree_slope = slope([(d, t) for d, t, _ in body])
                main_slope = slope([(d, m) for d, _, m in body])
    base = peaks[min(sizes)]
    print(f"{'documents':>10} {'seconds':>8} {'peak tree RSS MB':>17} {'x smallest':>10} {'peak main RSS MB':>17} {'x smallest':>10}")
    for n in sizes:
        tree, main, seconds = peaks[n]
        print(f"{n:>10} {seconds:8.1f} {tree / MB:17.0f} {tree / base[0]:10.2f} {main / MB:17.0f} {main / base[1]:10.2f}")
    print(f"peak RSS, largest batch / smallest: {peaks[max(sizes)][0] / base[0]:.2f} (target <= 1.2)")
    print(f"RSS slope over {args.slope_size} documents: tree {tree_slope:+.2f} MB/100 docs, main process {main_slope:+.2f} MB/100 docs "
          "(target <= 1)")
    print(load())


if __name__ == "__main__":
    main()
