import os
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
PG_URL = os.environ.get("COUNCILPLANS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def corpus() -> Path:
    return CORPUS


@pytest.fixture
def pg_url():
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    sqlalchemy = pytest.importorskip("sqlalchemy")
    engine = sqlalchemy.create_engine(PG_URL)
    try:
        conn = engine.connect()
    except Exception as exc:  # CI must reach PostgreSQL; a laptop without it skips
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    schema = f"cp_test_{uuid.uuid4().hex[:10]}"
    with conn:
        conn.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
        conn.commit()
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    with engine.connect() as conn:
        conn.execute(sqlalchemy.text(f'DROP SCHEMA "{schema}" CASCADE'))
        conn.commit()
    engine.dispose()


@pytest.fixture(scope="session")
def require_ocr():
    """OCR (Tesseract + pytesseract): CI installs it and must test it; elsewhere its absence skips."""
    from pipeline.readers import ocr

    if not ocr.available():
        if os.environ.get("CI"):
            pytest.fail("CI must test OCR: " + ocr.install_hint())
        pytest.skip("OCR not installed: " + ocr.install_hint())
