"""kill -9 at random moments, then resume: nothing lost, duplicated or half-loaded; no worker left alive.

Batch trials: ``extract`` on N text plans and a few PDFs is killed with SIGKILL
after a random delay (anywhere in a whole run's duration, measured first), then
run again to completion; its export is compared
with a clean run's (byte for byte), SQLite's ``PRAGMA integrity_check`` is run,
and the processes of the killed run still alive 5 s later are counted.
Worker trials: one worker is killed mid-batch; at most the document it held
may fail (``worker_died``), every other document must end as in the clean run,
and the next run must retry exactly the failed one.

Usage: python bench/kill_resume.py [--sqlite 10] [--postgres 5] [--workers 3] [--plans 200]
       [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]
"""
from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import tempfile
import time
import uuid
from pathlib import Path

from common import load
from batchtools import empty_store, extract_cli, jsonl, kill_trial, pdf_plans, plans, worker_pids

from pipeline.run import run_batch
from pipeline.store import Store


def records_by_document(export: bytes) -> dict[str, int]:
    import json

    out: dict[str, int] = {}
    for line in export.splitlines():
        source = json.loads(line)["source"]
        out[source] = out.get(source, 0) + 1
    return out


def compare(clean: bytes, got: bytes) -> tuple[int, int, int]:
    """(lost, duplicated, half-loaded) documents against the clean export."""
    want, have = records_by_document(clean), records_by_document(got)
    lost = sum(1 for s in want if s not in have)
    duplicated = sum(1 for s in have if have[s] > want.get(s, 0))
    half = sum(1 for s in want if 0 < have.get(s, 0) < want[s])
    return lost, duplicated, half


def batch_trials(folder: Path, url: str, trials: int, tmp: Path, rng: random.Random, fresh) -> list[str]:
    clean = jsonl_of_clean_run(folder, fresh(), tmp / "clean.jsonl")
    total = len(list(folder.iterdir()))
    whole = cli_seconds(folder, fresh())  # kills land anywhere from start-up to the last documents
    rows = []
    for k in range(trials):
        db = fresh()
        delay = rng.uniform(0.3, 0.95 * whole)
        trial = kill_trial(folder, db, delay, tmp / f"t{k}.jsonl")
        lost, dup, half = compare(clean, trial.export)
        integrity = sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0] if "://" not in db else "-"
        rows.append(f"{url:<10} {k:>3} killed at {delay:5.2f} s with {trial.stored_at_kill:>3}/{total} stored  lost {lost}  "
                    f"duplicated {dup}  half-loaded {half}  export identical {trial.export == clean}  integrity {integrity}  "
                    f"alive after 5 s {len(trial.alive)}{'  TRACEBACK' if 'Traceback' in trial.stderr else ''}")
    return rows


def cli_seconds(folder: Path, db: str) -> float:
    started = time.perf_counter()
    extract_cli(folder, "--db", db, "-q", "-j", "2").communicate()
    return time.perf_counter() - started


def jsonl_of_clean_run(folder: Path, db: str, out: Path) -> bytes:
    run_batch([folder], db=db, keep_results=False)
    return jsonl(db, out)


def worker_trials(folder: Path, trials: int, tmp: Path, rng: random.Random) -> list[str]:
    clean_db = str(tmp / "wclean.db")
    clean = jsonl_of_clean_run(folder, clean_db, tmp / "wclean.jsonl")
    rows = []
    for k in range(trials):
        db = str(tmp / f"w{k}.db")
        proc = extract_cli(folder, "--db", db, "-q", "-j", "2")
        deadline = time.monotonic() + 60
        while len(worker_pids(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(rng.uniform(1.0, 4.0))
        victim = rng.choice(worker_pids(proc.pid))
        os.kill(victim, signal.SIGKILL)
        _, err = proc.communicate(timeout=1800)
        with Store(db) as store:
            failed = [d for d in store.documents() if d["status"] == "failed"]
        died = [d["source"] for d in failed if d["issues"][0]["code"] == "worker_died"]
        others_equal = _without(jsonl(db, tmp / f"w{k}.jsonl"), died) == _without(clean, died)
        retry = run_batch([folder], db=db, keep_results=False)
        rows.append(f"worker {k:>3}  failed {len(failed)} (worker_died {len(died)})  others as clean run {others_equal}  "
                    f"next run re-extracted {retry.extracted}, now identical {jsonl(db, tmp / f'w{k}b.jsonl') == clean}"
                    f"{'  TRACEBACK' if 'Traceback' in err else ''}")
    return rows


def _without(export: bytes, sources: list[str]) -> list[bytes]:
    import json

    return [line for line in export.splitlines() if json.loads(line)["source"] not in sources]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sqlite", type=int, default=10)
    parser.add_argument("--postgres", type=int, default=5)
    parser.add_argument("--workers", type=int, default=3, help="trials killing one worker")
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--pg", default=os.environ.get("COUNCILPLANS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()
    print(load())
    rng = random.Random(2024)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        folder = tmp / "in"
        plans(folder, args.plans)
        pdf_plans(folder, 1)
        counter = iter(range(10_000))
        rows = batch_trials(folder, "sqlite", args.sqlite, tmp, rng, lambda: str(tmp / f"s{next(counter)}.db"))
        if args.postgres:
            url, drop = _pg_schema(args.pg)
            try:
                rows += batch_trials(folder, "postgresql", args.postgres, tmp, rng, lambda: (empty_store(url), url)[1])
            finally:
                drop()
        rows += worker_trials(folder, args.workers, tmp, rng)
    print("\n".join(rows))
    print(load())


def _pg_schema(base: str):
    from sqlalchemy import create_engine, text

    schema = f"cp_bench_{uuid.uuid4().hex[:8]}"
    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"

    def drop() -> None:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()

    url = f"{base}{sep}options=-csearch_path%3D{schema}"
    Store(url).close()
    return url, drop


if __name__ == "__main__":
    main()
