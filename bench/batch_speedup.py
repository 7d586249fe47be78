"""Parallel speed-up: -j 2 against -j 1 on 250 small text plans and on the PDFs, and Dask against -j 1.

Each configuration extracts the same files into a fresh SQLite store, wall
clock from the call to the summary (worker start-up included), in alternating
rounds so load from other processes hits both sides; the best round of each
is compared.  Dask runs on a 2-worker ``LocalCluster`` started before the
clock (a cluster is long-lived; Dask's own start-up is not ours).

The machine's own ceiling is measured in the same rounds: the same documents
read by ``process_source`` in one plain process, then the same work twice over
in two independent processes.  On a shared or SMT machine two processes rarely
get twice the throughput; ``speed-up / ceiling`` is the batch's parallel
efficiency, whatever the machine gives.

Usage: python bench/batch_speedup.py [--texts 250] [--pdf-copies 4] [--rounds 3] [--no-dask]
"""
from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import time
from pathlib import Path

from common import load, pdf_plans, text_plans, timed

from pipeline.run import run_batch
from pipeline.settings import BatchSettings


def _read_all(files: list[str]) -> float:
    import pipeline.preload  # noqa: F401  loaded before the clock, like the pool's workers
    from pipeline.extract import process_source
    from pipeline.ingest import Source

    started = time.perf_counter()
    for path in files:
        process_source(Source(path))
    return time.perf_counter() - started


def ceiling(folder: Path, rounds: int) -> float:
    """Throughput of two independent processes over one, on this machine, now (best of ``rounds``)."""
    files = sorted(str(p) for p in folder.iterdir())
    ctx = multiprocessing.get_context("spawn")
    ratios = []
    with ctx.Pool(1) as one, ctx.Pool(2) as two:
        for _ in range(rounds):
            alone = one.apply(_read_all, (files,))
            pair = max(two.map(_read_all, [files, files]))
            ratios.append(2 * alone / pair)
    return max(ratios)


def best(folder: Path, tmp: Path, rounds: int, configs: dict[str, dict]) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in configs}
    for r in range(rounds):
        for name, kwargs in configs.items():
            seconds, summary = timed(run_batch, [folder], db=str(tmp / f"{folder.name}-{'-'.join(configs)}-{name}-{r}.db"), keep_results=False, **kwargs)
            assert summary.failed == 0, summary.codes
            times[name].append(seconds)
    return {name: min(ts) for name, ts in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=int, default=250)
    parser.add_argument("--pdf-copies", type=int, default=4, help="copies of the 5 born-digital PDFs (default 4: 20 PDFs)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args()
    print(load())
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        texts, pdfs = text_plans(tmp / "texts", args.texts), pdf_plans(tmp / "pdfs", args.pdf_copies)
        one, two = {"settings": BatchSettings(workers=1)}, {"settings": BatchSettings(workers=2)}
        text = best(texts, tmp, args.rounds, {"j1": one, "j2": two})
        text_ceiling = ceiling(texts, args.rounds)
        pdf = best(pdfs, tmp, args.rounds, {"j1": one, "j2": two})
        pdf_ceiling = ceiling(pdfs, 1)
        for label, got, roof in ((f"{args.texts} text plans", text, text_ceiling), (f"{len(list(pdfs.iterdir()))} PDFs", pdf, pdf_ceiling)):
            speedup = got["j1"] / got["j2"]
            print(f"{label:<16} -j 1 {got['j1']:6.2f} s   -j 2 {got['j2']:6.2f} s   speed-up {speedup:.2f} (target >= 1.6)   "
                  f"machine ceiling {roof:.2f}   efficiency {speedup / roof:.0%}")
        if not args.no_dask:
            from dask.distributed import Client, LocalCluster

            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                    Client(cluster) as client:
                client.run(lambda: __import__("pipeline.preload"))  # load spaCy in the workers, as our pool does before its clock
                dask = best(texts, tmp, args.rounds, {"j1": one, "dask": {"scheduler": client}})
            print(f"{args.texts} text plans   -j 1 {dask['j1']:6.2f} s   Dask x2 {dask['dask']:6.2f} s   speed-up {dask['j1'] / dask['dask']:.2f}  (target >= 1.5)")
    print(load())


if __name__ == "__main__":
    main()
