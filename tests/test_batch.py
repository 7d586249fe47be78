"""The batch runs unattended: limits per document, dead workers replaced, kill -9 and resume, two writers, copies.

Workers load ``tests/misbehaving.py`` (``preload_modules``) where a test needs a
document that kills, hangs or starves its worker; the marker words are in
that module.
"""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.export import export
from pipeline.run import run_batch
from pipeline.settings import MB, BatchSettings
from pipeline.store import Store

from batchtools import empty_store, extract_cli, jsonl, kill_trial, plans, session_processes
from conftest import ROOT
from misbehaving_words import EAT, HANG, HOLD, KILL  # importing misbehaving itself would register it here

MISBEHAVING = BatchSettings(preload_modules=("misbehaving",), workers=2)


def statuses(db: str) -> dict[str, tuple[str, list[str]]]:
    with Store(db) as store:
        return {d["source"]: (d["status"], [i["code"] for i in d["issues"]]) for d in store.documents()}


# ---------------------------------------------------------------- one document cannot stop the batch


def test_a_killed_worker_fails_only_its_document_and_the_next_run_retries_it(tmp_path):
    plans(tmp_path / "in", 8)
    (tmp_path / "in" / "zz_dies.txt").write_text(f"Service Plan 2024/25\n\n{KILL}\n")
    db = str(tmp_path / "s.db")
    summary = run_batch([tmp_path / "in"], db=db, settings=MISBEHAVING)
    got = statuses(db)
    assert got["zz_dies.txt"][0] == "failed" and got["zz_dies.txt"][1] == ["worker_died"]
    assert len(got) == 9  # what the dead worker had extracted but not yet saved was extracted again
    assert all(status in ("ok", "partial") for name, (status, _) in got.items() if name != "zz_dies.txt")
    assert summary.failed == 1 and summary.extracted == 9
    with Store(db) as store:
        message = next(d for d in store.documents() if d["source"] == "zz_dies.txt")["issues"][0]["message"]
    assert "SIGKILL" in message
    again = run_batch([tmp_path / "in"], db=db, settings=MISBEHAVING)
    assert again.extracted == 1 and again.unchanged == 8  # only the document the dead worker held


def test_documents_a_dead_worker_held_unsaved_are_extracted_again_once(tmp_path):
    from types import SimpleNamespace

    from pipeline.ingest import Source
    from pipeline.results import Job
    from pipeline.workers import WorkerPool, _Worker

    pool = WorkerPool(BatchSettings(), "sqlite:///unused.db")
    jobs = [Job(k, Source(tmp_path / f"p{k}.txt")) for k in range(2)]
    dead = _Worker(SimpleNamespace(pid=None, exitcode=-9), None, unsaved={j.index: j for j in jobs})
    finished: list = []
    pool._requeue(dead, finished)
    assert pool._requeued == jobs and finished == [] and dead.unsaved == {}
    dead.unsaved = {jobs[1].index: jobs[1]}
    pool._requeue(dead, finished)  # lost a second time: it fails, so a document that kills every worker cannot loop
    assert [job for job, _, _ in finished] == [jobs[1]] and finished[0][1].issues[0].code == "worker_died"


def test_workers_save_what_they_hold_when_the_queue_runs_dry(tmp_path):
    """A group that can never fill, nor come due by age, is saved because the main process asks for it."""
    import threading

    from pipeline.settings import SaveGroup

    plans(tmp_path / "in", 6)
    db = str(tmp_path / "s.db")
    never = BatchSettings(workers=2, save_group=SaveGroup(documents=10_000, records=10**9, seconds=3600))
    done: list = []
    run = threading.Thread(target=lambda: done.append(run_batch([tmp_path / "in"], db=db, settings=never)), daemon=True)
    run.start()
    run.join(120)  # without the request the run would wait an hour for its groups
    assert done and done[0].extracted == 6 and len(statuses(db)) == 6


def one_bad_among_good(tmp_path, good: int, name: str, body: str, **limits) -> tuple[str, dict, float]:
    """``good`` plans and one misbehaving document extracted under ``limits``: the store, statuses, seconds taken."""
    plans(tmp_path / "in", good)
    (tmp_path / "in" / name).write_text(f"Service Plan 2024/25\n\n{body}\n")
    db = str(tmp_path / "s.db")
    started = time.monotonic()
    run_batch([tmp_path / "in"], db=db, settings=MISBEHAVING.with_options(**limits))
    return db, statuses(db), time.monotonic() - started


def test_a_document_past_its_time_limit_is_stopped_and_the_batch_goes_on(tmp_path):
    _, got, seconds = one_bad_among_good(tmp_path, 4, "a_hangs.txt", HANG, doc_timeout=3)
    assert seconds < 60
    assert got["a_hangs.txt"] == ("failed", ["time_limit"])
    assert sum(status != "failed" for status, _ in got.values()) == 4


def test_a_document_over_its_memory_limit_fails_with_memory_limit(tmp_path):
    _, got, _ = one_bad_among_good(tmp_path, 3, "a_eats.txt", EAT, doc_memory=256 * MB)
    assert got["a_eats.txt"] == ("failed", ["memory_limit"])
    assert sum(status != "failed" for status, _ in got.values()) == 3


def test_the_batch_keeps_to_its_memory_budget(tmp_path):
    own = int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    budget = own + 500 * MB  # the forkserver and two idle workers fit; 300 MB more does not
    db, got, seconds = one_bad_among_good(tmp_path, 3, "a_holds.txt", HOLD, max_memory=budget)
    assert seconds < 50  # stopped, not waited for
    assert got["a_holds.txt"] == ("failed", ["memory_limit"])
    assert sum(status != "failed" for status, _ in got.values()) == 3
    with Store(db) as store:
        message = next(d for d in store.documents() if d["source"] == "a_holds.txt")["issues"][0]["message"]
    assert "budget" in message


def test_content_failures_are_not_retried_unless_asked(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    db = str(tmp_path / "s.db")
    assert run_batch([tmp_path / "in"], db=db).failed == 1
    assert run_batch([tmp_path / "in"], db=db).unchanged == 1
    assert run_batch([tmp_path / "in"], db=db, retry_failed=True).extracted == 1


def test_new_extraction_rules_re_extract_without_force(tmp_path):
    plans(tmp_path / "in", 3)
    db = str(tmp_path / "s.db")
    run_batch([tmp_path / "in"], db=db, workers=1)
    assert run_batch([tmp_path / "in"], db=db, workers=1).unchanged == 3
    changed = run_batch([tmp_path / "in"], db=db, settings=MISBEHAVING.with_options(workers=1))  # one more extractor
    assert changed.extracted == 3 and changed.unchanged == 0


def test_workers_die_with_the_main_process(tmp_path):
    plans(tmp_path / "in", 2)
    (tmp_path / "in" / "a_hangs.txt").write_text(f"Service Plan 2024/25\n\n{HANG}\n")
    (tmp_path / "run.py").write_text(
        "import sys\nfrom pipeline.run import run_batch\nfrom pipeline.settings import BatchSettings\n"
        "if __name__ == '__main__':\n"
        f"    run_batch([{str(tmp_path / 'in')!r}], db={str(tmp_path / 's.db')!r},"
        " settings=BatchSettings(preload_modules=('misbehaving',), workers=2))\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "tests"), str(ROOT)])}
    proc = subprocess.Popen([sys.executable, str(tmp_path / "run.py")], cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(session_processes(proc.pid)) < 4 and time.monotonic() < deadline:  # main, forkserver, workers
        time.sleep(0.2)
    time.sleep(2)  # a worker is now spinning on the hanging document
    assert len(session_processes(proc.pid)) >= 4
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(5)
    assert session_processes(proc.pid) == []


# ---------------------------------------------------------------- kill -9 and resume


def _clean_export(folder: Path, db_url: str, out: Path) -> bytes:
    run_batch([folder], db=db_url, keep_results=False)
    return jsonl(db_url, out)


@pytest.mark.parametrize("backend,trials", [("sqlite", 3), ("postgresql", 2)])
def test_kill_9_then_resume_gives_the_clean_run(backend, trials, tmp_path, request):
    folder = tmp_path / "in"
    plans(folder, 40)
    clean_url = str(tmp_path / "clean.db") if backend == "sqlite" else request.getfixturevalue("pg_url")
    clean = _clean_export(folder, clean_url, tmp_path / "clean.jsonl")
    rng = random.Random(11)
    for trial in range(trials):
        if backend == "sqlite":
            url = str(tmp_path / f"trial{trial}.db")
        else:
            url = clean_url  # the same schema, emptied
            empty_store(url)
        result = kill_trial(folder, url, rng.uniform(0.5, 4.0), tmp_path / f"trial{trial}.jsonl")
        assert result.alive == [], "workers outlived the killed batch"
        assert "Traceback" not in result.stderr and result.export == clean
        if backend == "sqlite":
            assert sqlite3.connect(url).execute("PRAGMA integrity_check").fetchone() == ("ok",)


# ---------------------------------------------------------------- two writers at once, copies, resumability


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_writers_at_once_store_what_one_would(backend, tmp_path, request):
    folder = tmp_path / "in"
    plans(folder, 24)
    one = str(tmp_path / "one.db")
    expected = _clean_export(folder, one, tmp_path / "one.jsonl")
    url = str(tmp_path / "two.db") if backend == "sqlite" else request.getfixturevalue("pg_url")
    runs = [extract_cli(folder, "--db", url, "-q", "-j", "1") for _ in range(2)]
    for run in runs:
        _, err = run.communicate(timeout=600)
        assert run.returncode == 0 and "Traceback" not in err, err
    assert jsonl(url, tmp_path / "two.jsonl") == expected


def test_byte_identical_copies_are_one_document_and_exports_never_change(tmp_path):
    folder = tmp_path / "in"
    files = plans(folder, 6)
    (folder / "zz-copy.txt").write_bytes(files[2].read_bytes())
    (folder / "sub").mkdir()
    (folder / "sub" / "aa-copy.txt").write_bytes(files[2].read_bytes())
    db = str(tmp_path / "s.db")
    exports = []
    for k in range(3):
        run_batch([folder], db=db)
        exports.append(jsonl(db, tmp_path / f"run{k}.jsonl"))
        with Store(db) as store:
            csv = export(store, "csv", tmp_path / f"csv{k}")
        exports[-1] += b"".join(p.read_bytes() for p in csv if p.name != "documents.csv")  # documents.csv has extracted_at
    assert exports[0] == exports[1] == exports[2]
    with Store(db) as store:
        assert len(store.documents()) == 6
        sha = next(d["sha256"] for d in store.documents() if d["source"] == files[2].name)
        names = sorted(n["path"] for n in store.names() if n["sha256"] == sha)
    assert [Path(n).name for n in names] == [files[2].name, "aa-copy.txt", "zz-copy.txt"]


def test_a_changed_copy_keeps_the_other_name(tmp_path):
    folder = tmp_path / "in"
    a, b = plans(folder, 2)
    b.write_bytes(a.read_bytes())
    db = str(tmp_path / "s.db")
    run_batch([folder], db=db)
    a.write_bytes(a.read_bytes() + b"\nchanged\n")  # a's name moves to the new content; b still holds the old
    run_batch([folder], db=db)
    with Store(db) as store:
        docs = {d["source"]: d for d in store.documents()}
    assert set(docs) == {a.name, b.name}


def test_relative_paths_are_stored_absolute(tmp_path, monkeypatch):
    plans(tmp_path / "in", 2)
    monkeypatch.chdir(tmp_path)
    run_batch([Path("in")], db="s.db", workers=1)
    with Store("s.db") as store:
        assert all(Path(d["path"]).is_absolute() for d in store.documents())
    monkeypatch.chdir(tmp_path / "in")
    assert run_batch([Path(".")], db=str(tmp_path / "s.db"), workers=1).unchanged == 2


# ---------------------------------------------------------------- progress and summary


def test_progress_lines_in_a_log_and_a_summary(tmp_path):
    plans(tmp_path / "in", 3)
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    os.mkfifo(tmp_path / "in" / "pipe.txt")
    proc = extract_cli(tmp_path / "in", "--db", tmp_path / "s.db")
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 1
    assert "4 document(s) to extract" in err and "[4/4] 100%" in err and "docs/s" in err
    assert "4 extracted (" in out and "1 failed" in out and "1 path(s) skipped" in out
    assert "failed: " in out and "empty" in out and "not_a_file" in out and "slow:" in out
    quiet = extract_cli(tmp_path / "in", "--db", tmp_path / "s.db", "-q")
    out, err = quiet.communicate(timeout=300)
    assert err == "" and "4 unchanged" in out


# ---------------------------------------------------------------- Dask


@pytest.mark.parametrize("workers_here", [True, False])
def test_dask_local_cluster_with_relative_paths(workers_here, tmp_path, monkeypatch):
    distributed = pytest.importorskip("dask.distributed")
    import pipeline.distributed

    plans(tmp_path / "in", 6)
    monkeypatch.chdir(tmp_path)
    # workers on this machine save what they extract; a remote cluster's results are saved here
    monkeypatch.setattr(pipeline.distributed, "_on_this_host", lambda address: workers_here)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        # tasks of 3, so both workers take a share
        summary = run_batch([Path("in")], db="s.db", scheduler=cluster.scheduler_address,
                            settings=BatchSettings(dask_batch=3))
    assert summary.extracted == 6 and summary.failed == 0
    one = _clean_export(tmp_path / "in", str(tmp_path / "one.db"), tmp_path / "one.jsonl")
    assert jsonl("s.db", tmp_path / "dask.jsonl") == one


def test_a_dask_task_holds_up_to_n_documents_or_max_bytes_of_them(tmp_path):
    from pipeline.distributed import _take
    from pipeline.ingest import Source
    from pipeline.results import Job

    sizes = [10, 10, 10, 10, 100, 5, 5]
    for k, size in enumerate(sizes):
        (tmp_path / f"{k}.txt").write_bytes(b"x" * size)
    jobs = iter([Job(k, Source(tmp_path / f"{k}.txt")) for k in range(len(sizes))] + [Job(7, Source(tmp_path / "gone.txt"))])
    tasks = [[j.index for j in _take(jobs, 3, 50)] for _ in range(5)]
    # three small files fill a task by count; a big one ends its task at once; a vanished file weighs nothing
    assert tasks == [[0, 1, 2], [3, 4], [5, 6, 7], [], []]


def test_a_document_gets_no_more_than_its_workers_share_of_the_batch_budget():
    """What --max-memory leaves after the processes' own memory, divided among the workers, caps --doc-memory."""
    settings = BatchSettings(max_memory=1000 * MB, doc_memory=512 * MB)
    assert settings.doc_allowance(baseline=600 * MB, workers=2) == 200 * MB
    assert settings.doc_allowance(baseline=0, workers=1) == 512 * MB  # a roomy budget: doc_memory
    assert settings.doc_allowance(baseline=990 * MB, workers=2) == settings.min_doc_memory  # never starved to nothing
