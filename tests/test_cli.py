"""Every command through click, on the bundled corpus."""
import json

import pandas as pd
from click.testing import CliRunner

from pipeline.cli import main

from conftest import CORPUS


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_extract_stats_and_exports(tmp_path):
    db = tmp_path / "cp.db"
    result = invoke("extract", CORPUS / "text", "--db", db, "--manifest", CORPUS / "manifest.csv", "-q")
    assert result.exit_code == 0, result.output
    n = len(list((CORPUS / "text").glob("*.txt")))
    assert f"{n} extracted (" in result.output and ", 0 failed)" in result.output
    stats = invoke("stats", "--db", db)
    assert "Sevenoaks" in stats.output and "budget" in stats.output
    out = tmp_path / "all.jsonl"
    assert invoke("export", "--db", db, "--format", "jsonl", "--out", out).exit_code == 0
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert {x["type"] for x in lines} >= {"document", "service", "objective", "budget", "target"}
    assert all(set(x) >= {"type", "source", "provenance"} for x in lines)
    assert invoke("export", "--db", db, "--format", "csv", "--out", tmp_path / "csv").exit_code == 0
    budgets = pd.read_csv(tmp_path / "csv" / "budgets.csv")
    assert {"scope", "measure", "financial_year", "amount_gbp", "council", "char_start", "snippet"} <= set(budgets.columns)
    assert invoke("export", "--db", db, "--format", "parquet", "--out", tmp_path / "pq").exit_code == 0
    assert len(pd.read_parquet(tmp_path / "pq" / "targets.parquet")) > 30


def test_extract_exit_code_is_1_when_a_document_fails(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    result = invoke("extract", bad, "--db", tmp_path / "x.db", "-q")
    assert result.exit_code == 1
    assert "binary" in result.output


def test_extract_reports_missing_paths(tmp_path):
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2 and "no such file" in result.output


def test_evaluate_json():
    result = invoke("evaluate", CORPUS / "gold", "--corpus", CORPUS / "text", "--json")
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["core"]["f1"] >= 0.66  # the whole 30-document corpus (issue #8 raises this)
    assert set(report["types"]) >= {"service", "objective", "budget", "target"}


def test_help_explains_every_command():
    for command in ("extract", "export", "evaluate", "stats", "inspect", "compare", "benchmark", "review", "correct", "datasette"):
        result = invoke(command, "--help")
        assert result.exit_code == 0 and len(result.output) > 200
