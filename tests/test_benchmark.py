"""Oflog benchmark: fixture plans for real councils, numbers checked against the Oflog CSVs themselves."""
import csv
import statistics
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.oflog.catalogue import Catalogue, builtin_metrics
from pipeline.oflog.data import OflogDataError, load
from pipeline.oflog.matching import match

from conftest import CORPUS, ROOT

OFLOG = CORPUS / "oflog"
FIXTURES = ROOT / "tests" / "fixtures" / "plans"


def csv_rows(name):
    with (OFLOG / name).open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def expected(rows, *, year, metric, gss, group_column, year_column, code_column, measure_column, measure, higher_better):
    """Actual, median and rank straight from the CSV rows: the test's own arithmetic, not the loader's."""
    def value(r):
        v = r["Value"].strip()
        return None if v in ("", "-") else float(v)

    same = [r for r in rows if r[year_column] == year and r[measure_column] == measure and value(r) is not None]
    own = next(r for r in same if r[code_column] == gss)
    peers = [value(r) for r in same if r[group_column] == own[group_column]]
    mine = value(own)
    better = sum(1 for v in peers if (v > mine if higher_better else v < mine))
    return mine, statistics.median(peers), better + 1, len(peers)


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bench")
    db, out = str(tmp / "store.db"), tmp / "benchmark.csv"
    runner = CliRunner()
    extracted = runner.invoke(main, ["extract", str(FIXTURES), "--db", db, "-q"])
    assert extracted.exit_code == 0, extracted.output
    ran = runner.invoke(main, ["benchmark", "--db", db, "--oflog", str(OFLOG / "chartData.csv"), "--oflog", str(OFLOG / "ASC_data.csv"), "--out", str(out)])
    assert ran.exit_code == 0, ran.output
    return pd.read_csv(out), pd.read_csv(tmp / "benchmark.unmatched.csv"), ran.output


def row(frame, council, year, code):
    hits = frame[(frame.council == council) & (frame.financial_year == year) & (frame.metric_code == code)]
    assert len(hits) == 1, frame[["council", "financial_year", "metric_code"]]
    return hits.iloc[0]


def test_output_has_the_columns_the_issue_asks_for(result):
    rows, _, _ = result
    assert list(rows.columns[:14]) == ["council", "council_code", "financial_year", "indicator", "metric", "comparator",
                                       "target", "unit", "actual", "latest_actual", "latest_actual_year", "median", "rank", "rank_of"][:14]
    assert {"target_vs_actual", "target_vs_median"} <= set(rows.columns)


@pytest.mark.parametrize("code,measure,higher_better", [
    ("WST1", "Household waste recycling rate", True),
    ("WST2", "Residual household waste", False),
    ("WST3", "Recycling contamination rate", False),
])
def test_waste_targets_for_adur_against_the_published_layout(result, code, measure, higher_better):
    rows, _, _ = result
    got = row(rows, "Adur", "2022-23", code)
    actual, median, rank, rank_of = expected(csv_rows("chartData.csv"), year="2022-23", metric=code, gss="E07000223",
                                             group_column="AreaType", year_column="Year", code_column="AreaCode",
                                             measure_column="Measure", measure=measure, higher_better=higher_better)
    assert got.actual == pytest.approx(actual)
    assert got["median"] == pytest.approx(median)
    assert (got["rank"], got.rank_of) == (rank, rank_of)
    assert got.target_vs_median == ("above" if got.target > median else "below")
    assert got.target_vs_actual == ("above" if got.target > actual else "below")


def test_year_without_data_gives_latest_earlier_actual(result):
    rows, _, _ = result
    got = row(rows, "Adur", "2024-25", "WST1")
    assert pd.isna(got.actual)
    adur = [r for r in csv_rows("chartData.csv") if r["AreaCode"] == "E07000223" and r["Measure"] == "Household waste recycling rate" and r["Value"] not in ("", "-")]
    latest = max(adur, key=lambda r: r["Year"])
    assert (got.latest_actual, got.latest_actual_year) == (float(latest["Value"]), latest["Year"])
    assert got.target_vs_actual == ("above" if got.target > float(latest["Value"]) else "below")


@pytest.mark.parametrize("code,higher_better", [("ASC1", True), ("ASC3", True), ("ASC5", True)])
def test_adult_social_care_targets_for_darlington_against_the_analysis_layout(result, code, higher_better):
    rows, _, _ = result
    got = row(rows, "Darlington", "2021-22", code)
    measure = next(m.name for m in builtin_metrics() if m.code == code)
    actual, median, rank, rank_of = expected(csv_rows("ASC_data.csv"), year="2021-22", metric=code, gss="E06000005",
                                             group_column="Entity_Name", year_column="Financial year", code_column="Local authority code",
                                             measure_column="Measure", measure=measure, higher_better=higher_better)
    assert (got.actual, got["median"], got["rank"], got.rank_of) == (pytest.approx(actual), pytest.approx(median), rank, rank_of)


def test_unmatched_targets_are_listed_with_the_nearest_metric(result):
    _, unmatched, output = result
    phone = unmatched[unmatched.indicator.str.contains("telephone calls")]
    assert len(phone) == 1 and phone.iloc[0].nearest_metric
    assert "did not" in output


@pytest.mark.parametrize("indicator,unit,code", [
    ("% of household waste sent for reuse, recycling and composting (NI 192)", "percent", "WST1"),
    ("Residual household waste per household (kg)", "number", "WST2"),
    ("Recycling contamination rate", "percent", "WST3"),
    ("Carer-reported quality of life", None, "ASC1"),
    ("Adult social care workforce turnover", "percent", "ASC7"),
    ("Staff turnover", "percent", None),  # the council's own HR figure, not the care workforce
    ("Call abandonment rate", "percent", None),
    ("Household waste recycling rate", "days", None),  # the unit rules it out
])
def test_matcher(indicator, unit, code):
    found = match(indicator, unit, Catalogue())
    assert (found.metric.code if found.metric else None) == code


def test_loader_reads_a_users_own_download_with_the_same_columns(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("Financial year,ONS code,Local authority name,Area type,Indicator,Value,Unit\n"
                    "2023/24,E07000089,Hart,Districts,Fly-tipping incidents per 1000 people,3.1,per 1000\n"
                    "2023/24,E07000111,Sevenoaks,Districts,Fly-tipping incidents per 1000 people,-,per 1000\n", encoding="utf-8")
    catalogue = Catalogue()
    data = load([path], catalogue)
    assert list(data["fy"]) == ["2023-24", "2023-24"]
    assert list(data["register_code"]) == ["HAT", "SEV"]
    assert data["value"].iloc[0] == 3.1 and pd.isna(data["value"].iloc[1])
    assert "Fly-tipping incidents per 1000 people" in catalogue.metrics  # joins the catalogue under its own name


def test_loader_rejects_a_file_without_the_needed_columns(tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(OflogDataError, match="no column for"):
        load([path], Catalogue())


def test_catalogue_is_the_verified_metrics():
    codes = {m.code for m in builtin_metrics()}
    assert codes == {"ASC1", "ASC2", "ASC3", "ASC4", "ASC5", "ASC6", "ASC7", "WST1", "WST2", "WST3"}
    assert all(m.polarity in ("higher", "lower", "none") and m.unit for m in builtin_metrics())
