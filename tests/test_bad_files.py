"""Bad input becomes a coded issue on that document, never a crash."""
import pytest

from pipeline.extract import process_source
from pipeline.ingest import Source


@pytest.mark.parametrize("name,data,code", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"   \n\n  ", "empty"),
    ("binary.txt", b"\x00\x01\x02\x03" * 50, "binary"),
    ("fake.pdf", b"%PDF-1.4 this is not really a pdf", "pdf_unreadable"),
    ("truncated.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog", "pdf_truncated"),
])
def test_bad_files_fail_with_a_clear_code(tmp_path, name, data, code):
    path = tmp_path / name
    path.write_bytes(data)
    result = process_source(Source(path))
    assert result.status == "failed"
    assert result.issues[0].code == code
    assert result.issues[0].message


def test_missing_file(tmp_path):
    result = process_source(Source(tmp_path / "gone.txt"))
    assert result.status == "failed" and result.issues[0].code == "unreadable_file"


def test_windows_1252_text_is_read(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes("Service Plan 2005/06\n\nThe budget includes savings of \xa31.2 million.\n".encode("cp1252"))
    result = process_source(Source(path))
    assert result.status == "ok"
    assert [r.amount_gbp for r in result.records if r.type == "budget"] == [1_200_000]


def test_text_with_nothing_to_extract_is_partial(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("Just a note.\n", encoding="utf-8")
    result = process_source(Source(path))
    assert result.status == "partial"
    assert any(i.code == "no_records" for i in result.issues)


@pytest.mark.parametrize("limited, code", [(True, "memory_limit"), (False, "reader_crashed")])
def test_a_c_library_starved_under_the_memory_limit_is_memory_limit(tmp_path, monkeypatch, limited, code):
    """SystemError ('error return without exception set') is how a C extension reports a failed allocation under
    RLIMIT_AS: under a limit it is the memory limit (retried by the next run), without one a reader crash."""
    from pipeline import extract

    def starve(path, data):
        raise SystemError("error return without exception set")

    monkeypatch.setattr(extract, "read_document", starve)
    monkeypatch.setattr(extract, "memory_limited", lambda: limited)
    path = tmp_path / "plan.txt"
    path.write_text("Service Plan 2024/25\n")
    result = extract.process_source(Source(path))
    assert (result.status, [i.code for i in result.issues]) == ("failed", [code])
