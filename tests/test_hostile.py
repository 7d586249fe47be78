"""The hostile corpus (tests/hostile.py, small set) through the CLI: every input ends as a coded outcome.

100% of cases end as a document status or a path issue the case allows; no
traceback reaches the terminal; the run ends.  The long version (2 GB bomb,
2,000 pages, peak memory) is ``bench/hostile_batch.py``.
"""
from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

import hostile
from pipeline.ingest import display_path, walk
from pipeline.store import Store

from conftest import ROOT


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "corpus"
    cases = hostile.build(folder, "small")
    db = folder.parent / "store.db"
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", str(folder), "--db", str(db), "-q", "-j", "2",
                           "--doc-timeout", "60", "--doc-memory", "512M"], cwd=ROOT, capture_output=True, text=True, timeout=1200)
    with Store(str(db)) as store:
        got = hostile.outcomes(cases, folder, store)
    yield cases, got, proc
    hostile.remove(folder)


def test_every_hostile_input_ends_as_a_coded_outcome(hostile_run):
    cases, got, _ = hostile_run
    wrong = {c.name: (got[c.name], sorted(c.expect)) for c in cases if got[c.name] not in c.expect}
    assert wrong == {}


def test_no_traceback_and_a_summary(hostile_run):
    _, _, proc = hostile_run
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    assert proc.returncode == 1  # documents failed and paths were skipped
    assert "path(s) skipped" in proc.stdout.splitlines()[-1]


def test_copies_are_one_document_and_empty_files_are_not(hostile_run, tmp_path):
    cases, got, _ = hostile_run
    assert got["copy-a.txt"] == got["copy-b.txt"] in ("ok", "partial")
    assert got["empty-1.txt"] == got["empty-2.txt"] == "failed:empty"


def test_glyph_soup_pdfs_are_partial_with_garbled_text(hostile_run):
    _, got, _ = hostile_run
    assert got["gibberish-font.pdf"] == "partial"


# ---------------------------------------------------------------- walking what root can read anyway


def test_unreadable_folder_and_file_are_path_issues(tmp_path, monkeypatch):
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "a.txt").write_text("x")
    (tmp_path / "plan.txt").write_text("Service Plan")
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = walk([tmp_path])
    assert [(Path(i.path).name, i.code) for i in found.issues] == [("locked", "unreadable_folder")]
    assert [p.name for p in found.files] == ["plan.txt"]


def test_a_file_that_cannot_be_read_is_a_path_issue_in_the_store(tmp_path, monkeypatch):
    from pipeline import ingest, run

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "secret.txt").write_text("Service Plan")
    (tmp_path / "in" / "plan.txt").write_text("Service Plan 2024/25\n\nBudget £1.2m\n")
    real = ingest.hash_file

    def hash_file(path):
        if path.name == "secret.txt":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(run, "hash_file", hash_file)
    summary = run.run_batch([tmp_path / "in"], db=str(tmp_path / "s.db"), workers=1)
    assert [(Path(i.path).name, i.code) for i in summary.path_issues] == [("secret.txt", "unreadable_file")]
    with Store(str(tmp_path / "s.db")) as store:
        assert [(i["path"], i["code"]) for i in store.path_issues()] == [(display_path(tmp_path / "in" / "secret.txt"), "unreadable_file")]


def test_names_with_newlines_and_undecodable_bytes_are_extracted(tmp_path):
    weird = [tmp_path / "new\nline.txt", tmp_path / os.fsdecode(b"bad-\xff.txt")]
    for k, path in enumerate(weird):
        path.write_text(f"Service Plan 2024/25\n\nThe budget includes savings of £1.{k} million.\n")
    from pipeline.run import run_batch

    summary = run_batch([tmp_path], db=str(tmp_path / "s.db"), workers=1)
    assert summary.extracted == 2 and summary.failed == 0
    with Store(str(tmp_path / "s.db")) as store:
        assert sorted(d["source"] for d in store.documents()) == ["bad-\\xff.txt", "new\nline.txt"]


def test_a_flate_bomb_page_is_refused_before_it_is_inflated(monkeypatch):
    """The page is measured in bounded steps: refused with its reason, and the check never holds the whole stream."""
    from pipeline.readers import pdf_guard
    from pipeline.readers.errors import ReadError
    from pipeline.readers.pdf import read_pdf

    monkeypatch.setattr(pdf_guard, "MAX_CONTENT_BYTES", 4 << 20)
    monkeypatch.setattr(pdf_guard, "CHUNK_BYTES", 1 << 20)
    with pytest.raises(ReadError) as err:
        read_pdf("bomb.pdf", hostile.flate_bomb(64 << 20))
    assert err.value.code == "pdf_page_error" and "decompression bomb" in err.value.message
    assert read_pdf("fine.pdf", hostile.text_pdf(1)).text.strip()  # ordinary content streams pass the check
