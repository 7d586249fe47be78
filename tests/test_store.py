"""The store on SQLite and on PostgreSQL: transactional, idempotent, replaces changed documents."""
import shutil

import pytest
from sqlalchemy import func, select

from pipeline.run import run_batch
from pipeline.store import SQLITE_WAL_CHECKPOINT_PAGES, Store
from schemas.tables import RECORD_TABLES, documents

from conftest import CORPUS


def snapshot(url):
    with Store(url) as store, store.engine.connect() as conn:
        out = {"documents": sorted(tuple(sorted((k, str(v)) for k, v in r._mapping.items() if k != "extracted_at"))
                                   for r in conn.execute(select(documents)))}
        for kind, table in RECORD_TABLES.items():
            out[kind] = sorted(tuple(str(v) for v in r) for r in conn.execute(select(table)))
        return out


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return request.getfixturevalue("pg_url")


def test_extract_twice_changes_nothing(db_url, tmp_path):
    src = tmp_path / "plans"
    shutil.copytree(CORPUS / "text", src)
    n = len(list(src.glob("*.txt")))
    first = run_batch([src], db=db_url, manifest=CORPUS / "manifest.csv")
    assert first.failed == 0 and len(first.results) == n
    before = snapshot(db_url)
    second = run_batch([src], db=db_url, manifest=CORPUS / "manifest.csv")
    assert second.unchanged == n and second.extracted == 0
    forced = run_batch([src], db=db_url, manifest=CORPUS / "manifest.csv", force=True)
    assert len(forced.results) == n
    assert snapshot(db_url) == before
    assert len(before["budget"]) > 100


def test_changed_document_replaces_its_records(db_url, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("Service Plan 2023/24\n\nSavings\n\nThe budget includes savings of £1.2 million.\n", encoding="utf-8")
    run_batch([path], db=db_url)
    path.write_text("Service Plan 2023/24\n\nSavings\n\nThe budget includes savings of £2.5 million.\n", encoding="utf-8")
    run_batch([path], db=db_url)
    with Store(db_url) as store:
        budgets = list(store.records("budget"))
        assert [b.amount_gbp for b in budgets] == [2_500_000]
        assert len(store.documents()) == 1


def test_bad_document_is_failed_and_the_batch_goes_on(db_url, tmp_path):
    (tmp_path / "a_empty.txt").write_bytes(b"")
    (tmp_path / "b_plan.txt").write_text("Service Plan 2023/24\n\nThe budget includes savings of £1.2 million.\n", encoding="utf-8")
    summary = run_batch([tmp_path], db=db_url)
    status = {r.source: r.status for r in summary.results}
    assert status["a_empty.txt"] == "failed"
    assert status["b_plan.txt"] in ("ok", "partial")
    with Store(db_url) as store:
        stored = {d["source"]: d for d in store.documents()}
        assert stored["a_empty.txt"]["status"] == "failed"
        assert stored["a_empty.txt"]["issues"][0]["code"] == "empty"


def test_a_failing_save_rolls_back_only_that_document(tmp_path, monkeypatch):
    db = str(tmp_path / "store.db")
    good = tmp_path / "good.txt"
    good.write_text("Service Plan 2023/24\n\nThe budget includes savings of £1.2 million.\n", encoding="utf-8")
    run_batch([good], db=db)
    with Store(db) as store:
        count = len(list(store.records()))
    import pipeline.store as store_module

    original = store_module._record_values  # what SQLite's save builds each record's row with

    def explode(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store_module, "_record_values", explode)
    good.write_text("Service Plan 2023/24\n\nThe budget includes savings of £9.9 million.\n", encoding="utf-8")
    summary = run_batch([good], db=db, workers=0)  # in this process, where the store is broken
    assert summary.results[0].status == "failed"
    monkeypatch.setattr(store_module, "_record_values", original)
    with Store(db) as store:
        assert len([r for r in store.records() if r.type != "document"]) == count - 1  # the old version is still there, whole
        assert [b.amount_gbp for b in store.records("budget")] == [1_200_000]
        failed = [d for d in store.documents() if d["status"] == "failed"]
        assert [i["code"] for i in failed[0]["issues"]][-1] == "store_failed"  # and the failure is on record
    again = run_batch([good], db=db)  # a store failure is transient: the next run retries and replaces
    assert again.extracted == 1 and again.failed == 0
    with Store(db) as store:
        assert [b.amount_gbp for b in store.records("budget")] == [9_900_000]
        assert [d["status"] for d in store.documents()] == ["ok"]


def _plan_file(folder, name, millions):
    path = folder / name
    path.write_text(f"Service Plan 2023/24\n\nThe budget includes savings of £{millions} million.\n", encoding="utf-8")
    return path


def _results(paths):
    from pipeline.extract import process_source
    from pipeline.ingest import Source
    from pipeline.results import Job

    return [(Job(k, Source(p)), process_source(Source(p))) for k, p in enumerate(paths)]


def test_a_save_group_is_one_commit_and_nothing_is_stored_before_it(tmp_path):
    from pipeline.saver import Saver
    from pipeline.settings import SaveGroup

    paths = [_plan_file(tmp_path, f"p{k}.txt", k + 1) for k in range(5)]
    with Store(str(tmp_path / "s.db")) as store:
        saver = Saver(store, group=SaveGroup(documents=3, seconds=60))
        items = _results(paths)
        assert saver.add(*items[0], 0.1) == [] and saver.add(*items[1], 0.1) == []
        assert store.documents() == []  # held back: a kill now loses them, and the next run extracts them again
        third = saver.add(*items[2], 0.1)
        assert [o.index for o in third] == [0, 1, 2] and all(o.status == "ok" for o in third)
        assert len(store.documents()) == 3
        assert saver.add(*items[3], 0.1) == []
        assert [o.index for o in saver.flush()] == [3] and saver.flush() == []
        assert len(store.documents()) == 4


def test_held_back_results_are_saved_when_due_by_age_or_records(tmp_path):
    from pipeline.saver import Saver
    from pipeline.settings import SaveGroup

    items = _results([_plan_file(tmp_path, f"p{k}.txt", k + 1) for k in range(2)])
    with Store(str(tmp_path / "s.db")) as store:
        assert len(Saver(store, group=SaveGroup(documents=99, seconds=0)).add(*items[0], 0.1)) == 1
        by_records = Saver(store, group=SaveGroup(documents=99, seconds=60, records=len(items[1][1].records)))
        assert len(by_records.add(*items[1], 0.1)) == 1


def test_results_held_back_are_saved_when_the_caller_stops_early(tmp_path):
    from pipeline.saver import Saver
    from pipeline.settings import SaveGroup

    items = _results([_plan_file(tmp_path, f"p{k}.txt", k + 1) for k in range(3)])
    with Store(str(tmp_path / "s.db")) as store:
        saver = Saver(store, group=SaveGroup(documents=99, seconds=60))

        def interrupted():
            for job, result in items[:2]:
                yield from saver.add(job, result, 0.1)
            raise KeyboardInterrupt  # Ctrl-C while the third document is read

        with pytest.raises(KeyboardInterrupt):
            list(saver.through(interrupted()))
        assert saver.pending == [] and len(store.documents()) == 2  # the two extracted are stored all the same
        assert [o.index for o in saver.through(iter([]))] == [] and len(store.documents()) == 2


def test_a_document_that_fails_in_a_save_group_fails_alone(tmp_path, monkeypatch):
    import pipeline.store as store_module
    from pipeline.saver import Saver
    from pipeline.settings import SaveGroup

    items = _results([_plan_file(tmp_path, f"p{k}.txt", k + 1) for k in range(3)])
    bad = items[1][1].sha256
    original = store_module._insert_records

    def explode(conn, table, sha256, records):
        if table.name == "budgets" and sha256 == bad:
            raise RuntimeError("disk full")
        return original(conn, table, sha256, records)

    monkeypatch.setattr(store_module, "_insert_records", explode)
    with Store(str(tmp_path / "s.db")) as store:
        saver = Saver(store, group=SaveGroup(documents=3, seconds=60))
        outcomes = [o for job, result in items for o in saver.add(job, result, 0.1)]
        assert [o.status for o in outcomes] == ["ok", "failed", "ok"]
        assert outcomes[1].issues[-1].code == "store_failed"
        stored = {d["sha256"]: d for d in store.documents()}
        assert stored[bad]["status"] == "failed" and not list(store.rows("budget", bad))  # none of its rows half-saved
        assert all(len(store.rows("budget", result.sha256)) == 1 for _, result in (items[0], items[2]))


def test_parallel_extraction_stores_what_one_process_stores(tmp_path):
    from pipeline.run import run_batch
    from pipeline.store import Store

    from conftest import CORPUS

    def snapshot(db):
        with Store(db) as store:
            return sorted((r.type, r.source, r.provenance.char_start if r.provenance else -1) for r in store.records())

    one, two = str(tmp_path / "one.db"), str(tmp_path / "two.db")
    serial = run_batch([CORPUS / "text"], db=one, manifest=CORPUS / "manifest.csv", workers=1)
    parallel = run_batch([CORPUS / "text"], db=two, manifest=CORPUS / "manifest.csv", workers=2)
    assert [r.source for r in parallel.results] == [r.source for r in serial.results]  # reported in input order
    assert snapshot(one) == snapshot(two)


# ---------------------------------------------------------------- errors a user can act on, and hostile text


def test_a_postgresql_url_that_cannot_connect_names_host_and_reason():
    from pipeline.errors import StoreUnreachable

    with pytest.raises(StoreUnreachable) as exc:
        Store("postgresql+psycopg://postgres:secret@127.0.0.1:1/test")
    message = str(exc.value)
    assert "127.0.0.1:1" in message and "refused" in message.lower() and "secret" not in message


def test_sqlite_runs_in_wal_with_normal_sync_and_waits_for_a_busy_writer(tmp_path):
    with Store(str(tmp_path / "s.db")) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 60_000
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == SQLITE_WAL_CHECKPOINT_PAGES > 1000


def _odd_result(sha: str, path: str):
    from pipeline.results import DocumentResult, Issue
    from schemas import Budget, DocumentMeta, Provenance

    name = path.rsplit("/", 1)[-1]
    prov = Provenance(char_start=0, char_end=5, text="Bud\x00get")
    return DocumentResult(source=path.rsplit("/", 1)[-1], path=path, sha256=sha, issues=[Issue("x", "nul \x00 here", "warning")],
                          records=[DocumentMeta(source=name, title="T\x00itle " + "long " * 120_000, provenance=prov),
                                   Budget(source=name, scope="Waste\x00", amount_gbp=5.0, provenance=prov)])


def test_nul_characters_surrogates_and_huge_titles_are_stored(db_url):
    with Store(db_url) as store:
        store.save(_odd_result("a" * 64, "/plans/bad-\udcff-name.txt"))
        doc = store.documents()[0]
        assert doc["path"] == "/plans/bad-\\udcff-name.txt" and doc["title"].startswith("Title long")
        assert [b.scope for b in store.records("budget")] == ["Waste"]


def test_runs_starting_together_on_a_fresh_postgresql_database_both_create_the_tables(pg_url):
    from concurrent.futures import ThreadPoolExecutor

    def open_store(_):
        with Store(pg_url) as store:
            return len(store.table_names())

    with ThreadPoolExecutor(4) as pool:
        counts = list(pool.map(open_store, range(4)))
    assert len(set(counts)) == 1 and counts[0] >= 10


def test_a_path_whose_content_changed_drops_the_old_document_only_when_no_name_is_left(db_url):
    with Store(db_url) as store:
        store.save(_odd_result("a" * 64, "/p/one.txt"), names=["/p/one.txt", "/p/two.txt"])
        store.save(_odd_result("b" * 64, "/p/one.txt"))  # one.txt changed; two.txt still holds the old bytes
        docs = {d["sha256"][0]: d["path"] for d in store.documents()}
        assert docs == {"a": "/p/two.txt", "b": "/p/one.txt"}
        assert {r.source for r in store.records("budget")} == {"one.txt", "two.txt"}
        store.save(_odd_result("c" * 64, "/p/two.txt"))  # and now two.txt changed too: the old content has no name
        assert sorted(d["sha256"][0] for d in store.documents()) == ["b", "c"]


def test_sqlite_rows_written_through_the_driver_match_sqlalchemys(tmp_path):
    """``_insert`` hands SQLite's driver the values SQLAlchemy would: JSON serialised (None as 'null'), text cleaned."""
    from pipeline.store import _clean, _insert

    table = RECORD_TABLES["target"]
    rows = [{"id": f"t-{k}", "document_sha256": "a" * 64, "source": "p\x00lan.txt", "ordinal": k, "indicator": "Rëcycling",
             "info_only": bool(k), "value": 1.5 * k, "extra": extra, "confidence": 0.9}
            for k, extra in enumerate([None, {"note": "x\x00y", "n": [1, 2]}])]
    with Store(str(tmp_path / "a.db")) as a, Store(str(tmp_path / "b.db")) as b:
        a.save(_odd_result("a" * 64, "/plans/p.txt"))
        b.save(_odd_result("a" * 64, "/plans/p.txt"))
        with a.engine.begin() as conn:
            _insert(conn, table, rows)
        with b.engine.begin() as conn:
            conn.execute(table.insert(), _clean(rows))
        read = "SELECT * FROM targets ORDER BY id"
        with a.engine.connect() as ca, b.engine.connect() as cb:
            assert [tuple(r) for r in ca.exec_driver_sql(read)] == [tuple(r) for r in cb.exec_driver_sql(read)]
