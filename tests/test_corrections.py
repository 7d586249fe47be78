"""Corrections: loaded from a CSV or the review site's JSON, applied on read, kept across re-extraction, orphans reported."""
import csv
import dataclasses
import json
import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

import councilplans as cp
from extractors import EXTRACTORS, load_builtin
from pipeline.cli import main
from pipeline.corrections import key_of, key_text, keyed
from pipeline.store import Store

from conftest import CORPUS

PLANS = ["hart_2024-25_community-services.txt", "sevenoaks_2012-13_service-plans-summary.txt"]


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def plans(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    for name in PLANS:
        shutil.copy(CORPUS / "text" / name, folder / name)
    return folder


def extracted(folder, db, *extra):
    result = invoke("extract", folder, "--db", db, "--manifest", CORPUS / "manifest.csv", "-q", "-j", "1", *extra)
    assert result.exit_code == 0, result.output
    return result


def write_csv(path, rows):
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["action", "record_id", "document", "type", "field", "value", "author", "reason"])
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_corrections_survive_force_reextraction_and_orphans_are_reported(plans, tmp_path, monkeypatch):
    db = tmp_path / "cp.db"
    extracted(plans, db)
    budgets = cp.records(db, "budget", raw=True)
    targets = cp.records(db, "target", raw=True)
    hart = budgets[budgets["source"] == PLANS[0]].reset_index(drop=True)
    wrong, fixed, vanishing = hart.iloc[0], hart.iloc[1], hart.iloc[2]
    target = targets[(targets["source"] == PLANS[0]) & targets["value"].notna()].iloc[0]
    fixes = write_csv(tmp_path / "fixes.csv", [
        {"action": "delete", "record_id": wrong["id"], "reason": "a project cost, not a budget line"},
        {"action": "set", "record_id": fixed["id"], "field": "amount_gbp", "value": "123456", "reason": "misread figure"},
        {"action": "set", "record_id": target["id"], "field": "value", "value": str(target["value"] + 1), "author": "T. Tester",
         "reason": "target restated in the plan's annex"},
        {"action": "add", "document": PLANS[0], "type": "budget",
         "value": json.dumps({"scope": "Analyst Added Line", "financial_year": "2024-25", "measure": "net_budget",
                              "amount_gbp": 4242, "as_written": "£4,242", "page": None, "snippet": "Analyst Added Line £4,242"}),
         "reason": "missed by the extraction"},
        {"action": "set", "record_id": vanishing["id"], "field": "description", "value": "about to vanish", "reason": "test"},
    ])
    result = invoke("correct", fixes, "--db", db, "--author", "A. Analyst")
    assert result.exit_code == 0, result.output
    assert "5 correction(s) loaded" in result.output and "5 applied, 0 orphaned" in result.output
    assert "0 correction(s) loaded, 5 already" in invoke("correct", fixes, "--db", db).output  # loading twice adds nothing

    # a new version of the rules no longer finds one record: every extractor's output loses it
    vanished_key = key_text(key_of("budget", vanishing.to_dict()))

    def dropping(fn):
        def run(doc, ctx):
            return [r for r in fn(doc, ctx) if not (r.type == "budget" and key_text(key_of("budget", r.model_dump())) == vanished_key)]
        return run

    for name, ex in list(load_builtin().items()):
        monkeypatch.setitem(EXTRACTORS, name, dataclasses.replace(ex, fn=dropping(ex.fn), version=ex.version + "-test"))
    from pipeline import api

    # in this process (workers=0): worker processes import the registered extractors afresh, without this test's patch
    api.extract(plans, db=str(db), manifest=CORPUS / "manifest.csv", force=True, workers=0)

    listing = invoke("correct", "--list", "--db", db, "--out", tmp_path / "status.csv")
    assert "4 applied, 1 orphaned" in listing.output
    status = pd.read_csv(tmp_path / "status.csv")
    orphan = status[status["state"] == "orphaned"]
    assert orphan["value"].tolist() == ['"about to vanish"'] and orphan["reason"].tolist() == ["test"]
    assert set(status["author"]) == {"A. Analyst", "T. Tester"}  # who, kept per correction

    exported = invoke("export", "--db", db, "--format", "csv", "--out", tmp_path / "csv")
    assert exported.exit_code == 0 and "1 correction(s) no longer find their record" in exported.stderr
    out = pd.read_csv(tmp_path / "csv" / "budgets.csv")
    mine = out[out["source"] == PLANS[0]]
    assert wrong["id"] not in set(mine["id"])
    assert mine.loc[mine["id"] == fixed["id"], "amount_gbp"].tolist() == [123456.0]
    added = mine[mine["scope"] == "Analyst Added Line"]
    assert added["amount_gbp"].tolist() == [4242.0] and added["council"].tolist() == ["Hart"] and added["corrected"].all()
    assert "misread figure" in mine.loc[mine["id"] == fixed["id"], "correction"].item()
    new_targets = pd.read_csv(tmp_path / "csv" / "targets.csv")
    assert new_targets.loc[new_targets["id"] == target["id"], "value"].tolist() == [target["value"] + 1]

    assert invoke("export", "--db", db, "--format", "jsonl", "--out", tmp_path / "all.jsonl").exit_code == 0
    lines = [json.loads(x) for x in (tmp_path / "all.jsonl").read_text().splitlines()]
    amounts = [x["amount_gbp"] for x in lines if x["type"] == "budget" and x["source"] == PLANS[0]]
    assert 123456 in amounts and 4242 in amounts and len(amounts) == len(mine)

    assert invoke("export", "--db", db, "--format", "csv", "--out", tmp_path / "raw", "--raw").exit_code == 0
    raw = pd.read_csv(tmp_path / "raw" / "budgets.csv")
    raw_mine = raw[raw["source"] == PLANS[0]]
    assert wrong["id"] in set(raw_mine["id"]) and "Analyst Added Line" not in set(raw_mine["scope"])
    assert raw_mine.loc[raw_mine["id"] == fixed["id"], "amount_gbp"].tolist() == [fixed["amount_gbp"]]
    assert "corrected" not in raw.columns and len(raw_mine) == len(mine)  # one deleted, one added

    by_service = cp.compare(db, "net_budget", "service").table
    assert by_service.loc["Analyst Added Line"].dropna().tolist() == [4242.0]
    assert "Analyst Added Line" not in cp.compare(db, "net_budget", "service", raw=True).table.index


def test_a_changed_document_orphans_its_corrections(plans, tmp_path):
    db = tmp_path / "cp.db"
    extracted(plans, db)
    first = cp.records(db, "budget").iloc[0]
    cp.correct(write_csv(tmp_path / "f.csv", [{"action": "delete", "record_id": first["id"], "reason": "wrong"}]), db)
    path = plans / first["source"]
    path.write_text(path.read_text(encoding="utf-8") + "\nA new closing paragraph.\n", encoding="utf-8")
    extracted(plans, db)
    states = cp.corrections(db)
    assert [(s.state, s.correction.reason) for s in states] == [("orphaned", "wrong")]
    assert "no longer in the store" in states[0].why


def test_records_sharing_a_key_are_told_apart_by_occurrence():
    rows = [{"scope": "ICT", "financial_year": "2024-25", "measure": "net_budget", "phase": None},
            {"scope": " ict ", "financial_year": "2024-25", "measure": "net_budget", "phase": None},
            {"scope": "ICT", "financial_year": "2025-26", "measure": "net_budget", "phase": None}]
    keys = keyed("budget", rows)
    assert [k[1] for k in keys] == [0, 1, 0]  # whitespace and case do not make a different record
    assert keys[0][0] == keys[1][0] != keys[2][0]


def test_a_bad_file_loads_nothing_and_says_where(plans, tmp_path):
    db = tmp_path / "cp.db"
    extracted(plans, db)
    some = cp.records(db, "budget").iloc[0]["id"]
    bad = write_csv(tmp_path / "bad.csv", [
        {"action": "set", "record_id": some, "field": "amount_gbp", "value": "lots", "reason": "x"},
        {"action": "set", "record_id": some, "field": "colour", "value": "red", "reason": "x"},
        {"action": "delete", "record_id": some},
        {"action": "frobnicate", "record_id": some, "reason": "x"},
        {"action": "delete", "record_id": "nope-budget-1", "reason": "x"},
        {"action": "set", "record_id": some, "field": "measure", "value": "spending", "reason": "x"},
    ])
    with pytest.raises(cp.CorrectionError) as err:
        cp.correct(bad, db)
    message = str(err.value)
    for line, words in [(2, "amount_gbp"), (3, "no field 'colour'"), (4, "reason"), (5, "action"), (6, "no record"), (7, "measure")]:
        assert f"line {line}:" in message and words in message.split(f"line {line}:")[1].splitlines()[0]
    assert cp.corrections(db) == []
    result = invoke("correct", bad, "--db", db)
    assert result.exit_code == 1 and "nothing was loaded" in result.output and "Traceback" not in result.output


def test_the_review_sites_download_loads(plans, tmp_path):
    db = tmp_path / "cp.db"
    extracted(plans, db)
    target = cp.records(db, "target").iloc[0]
    with Store(str(db)) as store:
        rows = store.rows("target", target["document_sha256"])
        occurrence = dict(zip([r["id"] for r in rows], keyed("target", rows)))[target["id"]][1]
    download = {"format": "councilplans-corrections", "version": 1, "corrections": [{
        "document_sha256": target["document_sha256"], "source": target["source"], "record_type": "target",
        "record_key": {"indicator": target["indicator"], "financial_year": target["financial_year"]},
        "occurrence": occurrence, "record_id": "stale-id-from-an-old-site", "action": "set", "field": "target_text",
        "value": "At least 90%", "author": "browser user", "reason": "typo", "created_at": "2025-01-02T03:04:05Z"}]}
    (tmp_path / "c.json").write_text(json.dumps(download), encoding="utf-8")
    loaded = cp.correct(tmp_path / "c.json", db)
    assert loaded.loaded == 1 and loaded.statuses[0].state == "applied"
    after = cp.records(db, "target")
    assert after.loc[after["id"] == target["id"], "target_text"].tolist() == ["At least 90%"]
    assert cp.corrections(db)[0].correction.created_at == "2025-01-02T03:04:05Z"


def test_corrections_on_postgresql(pg_url, plans):
    extracted(plans, pg_url)
    first = cp.records(pg_url, "budget").iloc[0]
    rows = [{"action": "set", "record_id": first["id"], "field": "amount_gbp", "value": "7", "reason": "pg"}]
    assert cp.correct(write_csv(plans.parent / "pg.csv", rows), pg_url).loaded == 1
    after = cp.records(pg_url, "budget")
    assert after.loc[after["id"] == first["id"], "amount_gbp"].tolist() == [7.0]
