"""Helpers the batch tests and the batch benchmarks share: corpora, the CLI as a process, kill trials."""
from __future__ import annotations

import os
import signal
from dataclasses import dataclass
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def plans(folder: Path, n: int) -> list[Path]:
    """``n`` small, distinct text plans made from the text corpus (a distinct last line each)."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = sorted((CORPUS / "text").glob("*.txt"))
    out = []
    for k in range(n):
        src = texts[k % len(texts)]
        path = folder / f"{k:05d}_{src.name}"
        path.write_bytes(src.read_bytes() + f"\n{k}\n".encode())
        out.append(path)
    return out


def pdf_plans(folder: Path, copies: int) -> list[Path]:
    """The born-digital corpus PDFs, ``copies`` times each (a distinct comment after %%EOF per copy)."""
    folder.mkdir(parents=True, exist_ok=True)
    pdfs = sorted(p for p in (CORPUS / "pdf").glob("*.pdf") if "scanned" not in p.name)
    out = []
    for k in range(copies):
        for src in pdfs:
            path = folder / f"{k:03d}_{src.name}"
            path.write_bytes(src.read_bytes() + f"\n% copy {k}\n".encode())
            out.append(path)
    return out


def extract_cli(*args) -> subprocess.Popen:
    """``councilplans extract ARGS`` in its own session (so everything it starts can be found and counted)."""
    return subprocess.Popen([sys.executable, "-m", "pipeline.cli", "extract", *map(str, args)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def session_processes(sid: int) -> list[int]:
    """Processes still alive in session ``sid`` (the CLI and everything it started)."""
    alive = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid and fields[0] != "Z":
                alive.append(int(entry))
    return alive


def worker_pids(sid: int) -> list[int]:
    """The extraction workers of the CLI in session ``sid``: children of its forkserver."""
    forkservers = [p for p in session_processes(sid) if b"forkserver" in Path(f"/proc/{p}/cmdline").read_bytes()
                   and _ppid(p) == sid]
    return [p for p in session_processes(sid) if _ppid(p) in forkservers]


def _ppid(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return -1


def jsonl(db: str, out: Path) -> bytes:
    """The store's JSONL export, as bytes."""
    from pipeline.export import export
    from pipeline.store import Store

    with Store(db) as store:
        export(store, "jsonl", out)
    return out.read_bytes()


def empty_store(url: str) -> None:
    from pipeline.store import Store

    with Store(url) as store, store.engine.begin() as conn:
        for table in reversed(store.table_names()):
            conn.exec_driver_sql(f'DELETE FROM "{table}"')


@dataclass
class Trial:
    export: bytes  # the store's JSONL export after the resumed run
    alive: list[int]  # processes of the killed run still alive ``linger`` s after the kill
    stored_at_kill: int  # documents in the store when the run was killed
    stderr: str  # of the resumed run


def kill_trial(folder: Path, db_url: str, delay: float, out: Path, linger: float = 5.0) -> Trial:
    """kill -9 an extract run after ``delay`` s, then run it again to the end."""
    from pipeline.store import Store

    proc = extract_cli(folder, "--db", db_url, "-q", "-j", "2")
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(linger)
    alive = session_processes(proc.pid)
    try:
        with Store(db_url) as store:
            stored = len(store.documents())
    except Exception:
        stored = 0
    resumed = extract_cli(folder, "--db", db_url, "-q")
    _, err = resumed.communicate(timeout=1800)
    return Trial(jsonl(db_url, out), alive, stored, err)
