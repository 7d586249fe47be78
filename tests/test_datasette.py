"""The SQLite store in Datasette: metadata written beside it; a real server on 127.0.0.1 answers queries with it."""
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.datasette import COLUMNS, TABLES, write_metadata
from schemas.tables import metadata as table_metadata

pytest.importorskip("datasette")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture
def served(review_store, tmp_path):
    db = tmp_path / "plans.db"
    shutil.copy(review_store, db)
    result = CliRunner().invoke(main, ["datasette", "--db", str(db)])
    assert result.exit_code == 0, result.output
    meta = tmp_path / "metadata.json"
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "datasette", "serve", str(db), "--metadata", str(meta),
                               "--host", "127.0.0.1", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                get(f"{base}/-/versions.json")
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(server.stdout.read().decode())
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_datasette_serves_the_store_with_labels_and_facets(served):
    budgets = get(f"{served}/plans/budgets.json?_labels=on&_size=5")
    assert budgets["filtered_table_rows_count"] > 0
    assert {"measure", "phase", "financial_year"} <= set(budgets["facet_results"])
    row = budgets["rows"][0]
    assert row["document_sha256"]["label"].endswith((".txt", ".pdf"))  # the file name, not the hash
    meta = get(f"{served}/-/metadata.json")
    table = meta["databases"]["plans"]["tables"]["budgets"]
    assert "pounds" in table["columns"]["amount_gbp"] and table["label_column"] == "scope"
    query = get(f"{served}/plans/budgets_by_council.json?_shape=array&_size=3")
    assert query and {"council", "amount_gbp", "snippet"} <= set(query[0])


def test_every_column_of_every_table_is_described():
    for table in table_metadata.tables.values():
        assert table.name in TABLES
        missing = [c.name for c in table.columns if c.name not in COLUMNS]
        assert not missing, f"{table.name}: describe {missing} in pipeline/datasette.py"


def test_metadata_keeps_other_databases_and_skips_servers(tmp_path):
    (tmp_path / "metadata.json").write_text(json.dumps({"databases": {"other": {"title": "keep me"}}}))
    from pipeline.store import Store

    Store(str(tmp_path / "mine.db")).close()
    written = json.loads(write_metadata(str(tmp_path / "mine.db")).read_text())
    assert written["databases"]["other"] == {"title": "keep me"} and "mine" in written["databases"]
    assert write_metadata("postgresql+psycopg://someone@db.example/plans") is None
    assert write_metadata(str(tmp_path / "absent.db")) is None and not Path(tmp_path / "absent.db").exists()
