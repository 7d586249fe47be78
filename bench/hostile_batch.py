"""The whole hostile corpus (tests/hostile.py) in one extract run: outcomes, tracebacks, time, peak memory.

Builds the corpus (``--size full``: a 2 GB flate bomb, a 2,000-page PDF, a
10,000 pt page at 3,000 px, a 50 MB text), runs ``councilplans extract`` on it
with the default limits (or those given), and prints each case's outcome, the
cases whose outcome is not one the case allows, tracebacks on stderr, and the
peak RSS of the run's whole process tree against the 1 GB budget.

Usage: python bench/hostile_batch.py [--size full|small] [--doc-timeout S] [--doc-memory 1G] [--max-memory 1G] [-j N]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import MB, ROOT, PeakWatcher, load

import hostile
from pipeline.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=["small", "full"], default="full")
    parser.add_argument("--doc-timeout", default=None)
    parser.add_argument("--doc-memory", default=None)
    parser.add_argument("--max-memory", default=None, help="the whole batch's memory budget (e.g. 1G)")
    parser.add_argument("-j", "--workers", default=None)
    args = parser.parse_args()
    options = [f"--{k.replace('_', '-')}={v}" for k, v in vars(args).items() if v is not None and k != "size"]
    print(load())
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name) / "corpus"
        cases = hostile.build(folder, args.size)
        db = Path(name) / "store.db"
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "extract", str(folder), "--db", str(db), "-q", *options],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        with PeakWatcher(proc.pid) as watcher:
            out, err = proc.communicate()
        seconds = time.perf_counter() - started
        with Store(str(db)) as store:
            got = hostile.outcomes(cases, folder, store)
        hostile.remove(folder)
    wrong = [c for c in cases if got[c.name] not in c.expect]
    print(f"{'case':<44} outcome")
    for case in cases:
        miss = f"   <-- expected {', '.join(sorted(case.expect))}" if case in wrong else ""
        print(f"{hostile_name(case.name):<44} {got[case.name]}{miss}")
    print(out.strip().splitlines()[-1])
    for case in wrong:  # what the run itself said about each case that did not end as expected
        said = [line for line in (out + err).splitlines() if hostile_name(case.name) in line]
        print(f"run's words on {hostile_name(case.name)}: {' | '.join(said) or 'nothing'}")
    print(f"cases {len(cases)}: handled {len(cases) - len(wrong)} ({100 * (len(cases) - len(wrong)) / len(cases):.0f}%), "
          f"not as expected {len(wrong)}, missing {sum(v == 'missing' for v in got.values())}")
    print(f"tracebacks on stderr {err.count('Traceback')}; exit status {proc.returncode}; {seconds:.0f} s "
          f"(no hang: the run ended)")
    print(f"peak RSS of the whole run {watcher.peak / MB:.0f} MB = {watcher.peak / (1024 * MB):.2f} x the 1 GB budget "
          f"(summed RSS, shared pages counted in every process); peak PSS {watcher.peak_pss / MB:.0f} MB "
          f"= {watcher.peak_pss / (1024 * MB):.2f} x (shared pages counted once)")
    print(f"at the peak: {watcher.describe_peak()}")
    for block in err.split("Traceback (most recent call last):")[1:4]:
        print("traceback ending:", " | ".join(block.strip().splitlines()[-3:])[:400])
    print(load())


def hostile_name(name: str) -> str:
    return name.encode("unicode_escape", "backslashreplace").decode("ascii")[:43]


if __name__ == "__main__":
    main()
