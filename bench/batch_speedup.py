"""Parallel speed-up: -j 2 against -j 1 on 250 small text plans and on the PDFs, and Dask against -j 1.

Each configuration extracts the same files into a fresh SQLite store, wall
clock from the call to the summary (worker start-up included), in alternating
rounds so load from other processes hits both sides; the best round of each
is compared.  Dask runs on a 2-worker ``LocalCluster`` started before the
clock (a cluster is long-lived; Dask's own start-up is not ours).

Usage: python bench/batch_speedup.py [--texts 250] [--pdf-copies 4] [--rounds 3] [--no-dask]
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from common import load, pdf_plans, text_plans, timed

from pipeline.run import run_batch
from pipeline.settings import BatchSettings


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
        pdf = best(pdfs, tmp, args.rounds, {"j1": one, "j2": two})
        print(f"{args.texts} text plans   -j 1 {text['j1']:6.2f} s   -j 2 {text['j2']:6.2f} s   speed-up {text['j1'] / text['j2']:.2f}  (target >= 1.6)")
        print(f"{len(list(pdfs.iterdir()))} PDFs          -j 1 {pdf['j1']:6.2f} s   -j 2 {pdf['j2']:6.2f} s   speed-up {pdf['j1'] / pdf['j2']:.2f}  (target >= 1.6)")
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
