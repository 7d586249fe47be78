"""The Python API (import councilplans) and its typed errors; the CLI turns them into messages."""
import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

import councilplans as cp
from pipeline.cli import main

from conftest import CORPUS


def test_one_import_gives_the_api():
    for name in ("extract", "records", "compare", "benchmark", "evaluate", "review", "correct", "corrections", "export", "stats"):
        assert callable(getattr(cp, name)), name
    assert cp.__version__


def test_every_error_derives_from_one_base_and_keeps_its_builtin_kind():
    for error in (cp.StoreNotFound, cp.StoreUnreachable, cp.InputError, cp.CorrectionError, cp.ManifestError,
                  cp.OflogDataError, cp.AmbiguousCouncil):
        assert issubclass(error, cp.CouncilplansError)
    assert issubclass(cp.ManifestError, ValueError) and issubclass(cp.OflogDataError, ValueError)
    assert issubclass(cp.AmbiguousCouncil, LookupError)


def test_a_notebook_session(review_store, tmp_path):
    db = tmp_path / "nb.db"
    shutil.copy(review_store, db)
    budgets = cp.records(db, type="budget")
    assert isinstance(budgets, pd.DataFrame) and {"council", "amount_gbp", "snippet", "corrected"} <= set(budgets.columns)
    assert set(cp.documents(db)["source"]) == {"hart_2024-25_community-services.txt", "hart_2024-25_community-services.pdf",
                                               "sevenoaks_2012-13_service-plans-summary.txt"}
    table = cp.compare(db, "net_budget", "council").table
    assert "Sevenoaks" in table.index
    bench = cp.benchmark([CORPUS / "oflog" / "chartData.csv"], db)
    assert list(bench.unmatched.columns)[:3] == ["council", "council_code", "financial_year"] and bench.metrics >= 10
    written = cp.export(db, "csv", tmp_path / "csv")
    assert (tmp_path / "csv" / "budgets.csv") in written
    assert cp.stats(db)["counts"]


def test_extract_through_the_api(tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text("Service Plan 2023/24\n\nThe budget includes savings of £1.2 million.\n", encoding="utf-8")
    summary = cp.extract(plan, db=tmp_path / "x.db", workers=1)
    assert summary.failed == 0 and len(summary.results) == 1
    assert cp.records(tmp_path / "x.db", "budget")["amount_gbp"].tolist() == [1_200_000]
    assert (tmp_path / "metadata.json").is_file()  # ready for Datasette
    with pytest.raises(cp.InputError, match="no such file"):
        cp.extract(tmp_path / "absent.txt", db=tmp_path / "x.db")


def test_evaluate_through_the_api():
    report = cp.evaluate(CORPUS / "gold", CORPUS / "pdf", glob="hart_*")
    assert report.core().f1 > 0.8 and list(report.by_source) == ["hart_2024-25_community-services.pdf"]


def test_reading_a_store_that_does_not_exist_raises_and_creates_nothing(tmp_path):
    for call in (lambda db: cp.records(db), lambda db: cp.stats(db), lambda db: cp.compare(db),
                 lambda db: cp.review(db, tmp_path / "site"), lambda db: cp.corrections(db)):
        with pytest.raises(cp.StoreNotFound, match="no database at"):
            call(tmp_path / "missing" / "typo.db")
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("command", [
    ["stats"], ["export", "--format", "csv", "--out", "{tmp}/out"], ["compare"], ["review", "--out", "{tmp}/site"],
    ["benchmark", "--oflog", str(CORPUS / "oflog" / "chartData.csv")], ["correct", "--list"],
])
def test_cli_read_commands_say_the_store_does_not_exist(command, tmp_path):
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    result = CliRunner().invoke(main, [*args, "--db", str(tmp_path / "typo.db")])
    assert result.exit_code == 1 and "no database at" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "typo.db").exists()


def test_an_unreachable_server_and_an_empty_schema_say_so(pg_url):
    with pytest.raises(cp.StoreUnreachable, match="cannot reach"):
        cp.records("postgresql+psycopg://postgres@127.0.0.1:1/none")
    with pytest.raises(cp.StoreNotFound, match="no documents table"):
        cp.stats(pg_url)


def test_the_cli_prints_library_errors_as_messages(review_store, tmp_path):
    bad = tmp_path / "deflator.csv"
    bad.write_text("when,value\n2020,1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["compare", "--db", str(review_store), "--deflator", str(bad), "--out", str(tmp_path / "c.csv")])
    assert result.exit_code == 1 and "needs 'year' and 'index'" in result.output and "Traceback" not in result.output
    with pytest.raises(cp.InputError, match="type must be one of"):
        cp.records(review_store, type="budgets")
