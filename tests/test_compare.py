"""compare: councils x years and categories x councils from the store, totals never double counted."""
import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.compare import compare, load_deflator

from conftest import CORPUS


def budgets(rows):
    columns = ["council", "council_code", "register_code", "document_scope", "document_year", "financial_year",
               "scope", "measure", "description", "amount_gbp"]
    return pd.DataFrame([dict(zip(columns, r)) for r in rows], columns=columns)


FRAME = budgets([
    # a directorate plan: two lines and their total, plus a prose restatement with no scope
    ("Hart", "E07000089", "HAT", "Community Services", "2024-25", "2024-25", "Housing Solutions", "net_budget", None, 1_000_000),
    ("Hart", "E07000089", "HAT", "Community Services", "2024-25", "2024-25", "Parking", "net_budget", None, -200_000),
    ("Hart", "E07000089", "HAT", "Community Services", "2024-25", "2024-25", "Community Services", "net_budget", "total", 800_000),
    ("Hart", "E07000089", "HAT", "Community Services", "2024-25", "2024-25", None, "net_budget", None, 800_000),
    # a council-wide summary with lines only, over two years
    ("Sevenoaks", "E07000111", "SEV", None, "2012-13", "2011-12", "Licensing", "net_budget", None, -11_000),
    ("Sevenoaks", "E07000111", "SEV", None, "2012-13", "2012-13", "Licensing", "net_budget", None, -25_000),
    ("Sevenoaks", "E07000111", "SEV", None, "2012-13", "2012-13", "Environmental Health", "net_budget", None, 669_000),
    ("Sevenoaks", "E07000111", "SEV", None, "2012-13", "2012-13", "Direct Services", "savings", None, 16_000),
])


def test_councils_by_years_use_totals_when_given_and_lines_otherwise():
    table = compare(FRAME).table
    assert table.loc["Hart", "2024-25"] == 800_000  # the total, not total + lines + prose
    assert table.loc["Sevenoaks", "2012-13"] == 644_000  # -25,000 + 669,000
    assert table.loc["Sevenoaks", "2011-12"] == -11_000


def test_categories_by_council_use_lines_only():
    table = compare(FRAME, by="category").table
    assert table.loc["housing", ("Hart", "2024-25")] == 1_000_000
    assert table.loc["highways_and_transport", ("Hart", "2024-25")] == -200_000
    assert table.loc["environmental_and_regulatory", ("Sevenoaks", "2012-13")] == 644_000
    assert table.sum().sum() == pytest.approx(1_000_000 - 200_000 - 11_000 - 25_000 + 669_000)


def test_filters_by_council_code_and_year_and_measure():
    table = compare(FRAME, councils=["SEV"], years=["2012/13"]).table
    assert list(table.index) == ["Sevenoaks"] and list(table.columns) == ["2012-13"]
    assert compare(FRAME, measure="savings").table.loc["Sevenoaks", "2012-13"] == 16_000


def test_real_terms_with_a_deflator(tmp_path):
    path = tmp_path / "deflator.csv"
    path.write_text("year,index\n2011-12,80\n2012/13,90\n2024,100\n", encoding="utf-8")
    index = load_deflator(path)
    assert index == {"2011-12": 80.0, "2012-13": 90.0, "2024-25": 100.0}
    result = compare(FRAME, deflator=index)
    assert result.real_terms_base == "2024-25"
    assert result.table.loc["Sevenoaks", "2011-12"] == pytest.approx(-11_000 * 100 / 80)
    assert compare(FRAME, deflator=index, base_year="2012-13").table.loc["Hart", "2024-25"] == pytest.approx(800_000 * 90 / 100)


def test_deflator_missing_a_year_is_an_error():
    with pytest.raises(ValueError, match="no index for 2011-12"):
        compare(FRAME, deflator={"2012-13": 90.0, "2024-25": 100.0})


def test_cli_compare_on_the_corpus_writes_csv_parquet_and_chart(tmp_path):
    db = str(tmp_path / "store.db")
    runner = CliRunner()
    assert runner.invoke(main, ["extract", str(CORPUS / "text"), "--manifest", str(CORPUS / "manifest.csv"), "--db", db, "-q"]).exit_code == 0
    out, png = tmp_path / "cmp.csv", tmp_path / "cmp.png"
    result = runner.invoke(main, ["compare", "--db", db, "--out", str(out), "--chart", str(png)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, index_col=0)
    # South Derbyshire's budget table totals: 3,261 and 3,451 (£'000)
    assert table.loc["South Derbyshire", "2018-19"] == 3_261_000
    assert table.loc["South Derbyshire", "2019-20"] == 3_451_000
    assert png.read_bytes()[:4] == b"\x89PNG"
    parquet = tmp_path / "cat.parquet"
    result = runner.invoke(main, ["compare", "--db", db, "--by", "category", "--councils", "Sevenoaks", "--out", str(parquet)])
    assert result.exit_code == 0, result.output
    frame = pd.read_parquet(parquet).set_index("category")
    assert frame.loc["environmental_and_regulatory", "Sevenoaks 2012-13"] > 0


def test_cli_compare_with_nothing_to_show_says_so(tmp_path):
    from pipeline.store import Store

    Store(str(tmp_path / "empty.db")).close()  # a store with no records yet
    result = CliRunner().invoke(main, ["compare", "--db", str(tmp_path / "empty.db"), "--out", str(tmp_path / "x.csv")])
    assert result.exit_code != 0 and "no net_budget (budget) figures" in result.output


def test_phases_are_never_added_together():
    import pandas as pd

    from pipeline.compare import compare

    rows = [dict(council="Kent", council_code=None, register_code=None, financial_year="2024-25", scope=s, measure="net_budget",
                 amount_gbp=a, description=None, phase=p, document_scope=None, document_year="2024-25")
            for s, a, p in [("Libraries", 100, "budget"), ("Libraries", 120, "revised"), ("Libraries", 130, "outturn"), ("Parks", 5, None)]]
    budgets = pd.DataFrame(rows)
    assert compare(budgets, phase="budget").table.loc["Kent", "2024-25"] == 105  # budget and unstated phase
    assert compare(budgets, phase="outturn").table.loc["Kent", "2024-25"] == 130
