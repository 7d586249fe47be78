"""export --format fdp: a Fiscal Data Package that frictionless validates."""
import json

import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.fdp import phase

from conftest import CORPUS

frictionless = pytest.importorskip("frictionless")


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fdp")
    db, out = str(tmp / "store.db"), tmp / "fdp"
    runner = CliRunner()
    assert runner.invoke(main, ["extract", str(CORPUS / "text"), "--manifest", str(CORPUS / "manifest.csv"), "--db", db, "-q"]).exit_code == 0
    result = runner.invoke(main, ["export", "--db", db, "--format", "fdp", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_package_validates_with_frictionless(package):
    report = frictionless.validate(str(package / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:10]


def test_descriptor_says_currency_scale_direction_phase_and_period(package):
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    resource = descriptor["resources"][0]
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    assert fields["amount"]["columnType"] == "value"
    assert fields["direction"]["columnType"] == "direction" and fields["phase"]["columnType"] == "phase"
    assert fields["fiscal_year"]["columnType"] == "date:fiscal-year"
    measure = resource["model"]["measures"]["amount"]
    assert (measure["currency"], measure["factor"]) == ("GBP", 1)
    assert descriptor["fiscalPeriod"]["start"] <= descriptor["fiscalPeriod"]["end"]


def test_rows_are_the_stores_budgets_in_pounds(package):
    rows = pd.read_csv(package / "budgets.csv")
    assert set(rows["direction"]) <= {"expenditure", "revenue"}
    assert set(rows["phase"]) <= {"proposed", "approved", "adjusted", "executed"}
    ict = rows[(rows["service"] == "ICT") & (rows["fiscal_year"] == "2019-20")]
    assert ict["amount"].tolist() == [1_060_000.0]  # "1,060" in a £'000 table
    assert ict["fiscal_period_start"].tolist() == ["2019-04-01"] and ict["fiscal_period_end"].tolist() == ["2020-03-31"]
    assert ict["category"].tolist() == ["central_services"]


@pytest.mark.parametrize("description,expected", [
    ("2022/23 outturn", "executed"), ("actual spend", "executed"), ("forecast", "proposed"),
    ("outline amounts", "proposed"), ("net budget", "approved"), (None, "approved"),
])
def test_phase_from_the_lines_words(description, expected):
    assert phase(description) == expected


def test_the_records_own_phase_wins_over_the_words():
    assert phase("net budget", "outturn") == "executed" and phase(None, "revised") == "adjusted"
    assert phase("2022/23 outturn", float("nan")) == "executed"  # pandas' missing value
