"""The store's SQLite fast path for records stores exactly what the dict rows through ``_insert`` store."""
import pytest

from schemas import RECORD_TYPES, Provenance
from schemas.tables import RECORD_TABLES


def _records():
    """Records of every type, with and without provenance and extra fields, text that needs cleaning and not."""
    from schemas.records import Budget, Objective, Target

    from schemas.records import Performance

    prov = Provenance(page=3, char_start=10, char_end=20, text="Savings £1.2m")
    whole = Target(source="pl\udcffan.txt", indicator="Recycling", value=3, info_only=True, unit="percent")
    whole.__dict__["value"] = 3  # an int in a Float column: the bind processor makes it a float
    return [
        Budget(source="plan.txt", provenance=prov, scope="Housing", measure="savings", financial_year="2023-24",
               amount_gbp=1_200_000, description="d\x00x", as_written="£1.2m", confidence=0.8, note={"k": "v\x00"}),
        Budget(source="plan.txt", scope="Parks", amount_gbp=-0.0),
        whole,
        Target(source="plan.txt", provenance=prov, indicator="Rëcycling", value=2.5, info_only=False),
        Objective(source="plan.txt", text="Build homes", extra_list=[1, "a\x00"]),
        Objective(source="plan.txt", text="Plain", ref=None),
        Performance(source="plan.txt", scope="All", green=3, red=None, overall="good"),
    ]


@pytest.mark.parametrize("record", _records(), ids=lambda r: r.type)
def test_record_values_are_the_record_rows_values(record):
    from pipeline.store import _record_keys, _record_row, _record_values

    row = _record_row("ab" * 32, 7, record)
    keys, fields = _record_keys(type(record))
    assert keys == tuple(row)
    assert _record_values(f"{'ab' * 8}-{record.type}-", "ab" * 32, 7, record, fields) == tuple(row.values())


def test_records_saved_through_the_driver_match_sqlalchemys(tmp_path):
    """Each type's records, saved by the SQLite fast path, are the rows SQLAlchemy's insert of ``_record_row`` stores."""
    from pipeline.store import Store, _clean, _insert_records, _record_row

    sha = "c" * 64
    by_kind = {}
    for record in _records():
        by_kind.setdefault(record.type, []).append(record)
    with Store(str(tmp_path / "a.db")) as a, Store(str(tmp_path / "b.db")) as b:
        for kind, records in by_kind.items():
            table = RECORD_TABLES[kind]
            with a.engine.begin() as conn:
                _insert_records(conn, table, sha, records)
            with b.engine.begin() as conn:
                conn.execute(table.insert(), _clean([_record_row(sha, k, r) for k, r in enumerate(records)]))
            read = f"SELECT * FROM {table.name} ORDER BY id"
            with a.engine.connect() as ca, b.engine.connect() as cb:
                fast = [tuple(r) for r in ca.exec_driver_sql(read)]
                assert fast == [tuple(r) for r in cb.exec_driver_sql(read)] and len(fast) == len(records)
                typed = f"SELECT {', '.join(f'typeof({c.name})' for c in table.columns)} FROM {table.name} ORDER BY id"
                assert [tuple(r) for r in ca.exec_driver_sql(typed)] == [tuple(r) for r in cb.exec_driver_sql(typed)]


def test_mixed_record_classes_take_the_dict_path(tmp_path, monkeypatch):
    import pipeline.store as store_module
    from pipeline.store import Store

    class Other(RECORD_TYPES["budget"]):
        pass

    seen = []
    monkeypatch.setattr(store_module, "_insert", lambda conn, table, rows: seen.append(rows))
    with Store(str(tmp_path / "a.db")) as store, store.engine.begin() as conn:
        store_module._insert_records(conn, RECORD_TABLES["budget"], "d" * 64,
                                     [RECORD_TYPES["budget"](scope="a", amount_gbp=1), Other(scope="b", amount_gbp=2)])
    assert [r["scope"] for r in seen[0]] == ["a", "b"]
