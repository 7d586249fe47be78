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


REVIEW_PLANS = [CORPUS / "text" / "hart_2024-25_community-services.txt", CORPUS / "pdf" / "hart_2024-25_community-services.pdf",
                CORPUS / "text" / "sevenoaks_2012-13_service-plans-summary.txt"]


@pytest.fixture(scope="session")
def review_store(tmp_path_factory) -> Path:
    """A store with a text plan, a born-digital PDF plan and a second text plan, extracted in this process."""
    import shutil

    from pipeline.run import run_batch

    folder = tmp_path_factory.mktemp("review_plans")
    for path in REVIEW_PLANS:
        shutil.copy(path, folder / path.name)
    db = folder.parent / "review.db"
    summary = run_batch([folder], db=str(db), manifest=CORPUS / "manifest.csv", workers=1)
    assert summary.failed == 0
    return db
