"""Every corpus document against its hand-checked gold (RECORDS.md matching rules)."""
import json

import pytest

from pipeline.evaluate import CORE, TypeScore, evaluate, load_gold, pair_sources, score_document
from pipeline.extract import process_source
from pipeline.ingest import Source, load_manifest

from conftest import CORPUS

GOLD = load_gold(CORPUS / "gold")
MANIFEST = load_manifest(CORPUS / "manifest.csv")
# per-document floors, a little under what the pipeline measures today: a drop is a regression
FLOORS = {
    "bracknell-forest_2024-25_communities-directorate.txt": 0.95,
    "hart_2024-25_community-services.txt": 0.85,
    "kent_2008-09_communities-directorate.txt": 0.83,
    "sevenoaks_2012-13_service-plans-summary.txt": 0.90,
    "south-derbyshire_2019-20_corporate-resources.txt": 0.90,
}


def extract(name: str) -> list[dict]:
    result = process_source(Source(CORPUS / "text" / name, meta=MANIFEST.get(name, {})))
    assert result.status == "ok", result.issues
    return [r.to_jsonl_dict() for r in result.records]


@pytest.fixture(scope="module")
def report():
    return evaluate(GOLD, extract)


@pytest.mark.parametrize("source", sorted(GOLD))
def test_document_core_f1(report, source):
    scores = report.by_source[source]
    core = TypeScore()
    for kind in CORE:
        core.add(scores[kind])
    assert core.f1 >= FLOORS[source], {k: round(scores[k].f1, 3) for k in CORE}


@pytest.mark.parametrize("source", sorted(GOLD))
def test_document_record_is_right(report, source):
    gold_doc = next(g for g in GOLD[source] if g["type"] == "document")
    doc = next(r for r in extract(source) if r["type"] == "document")
    assert (doc["council"], doc["council_code"], doc["financial_year"]) == (gold_doc["council"], gold_doc["council_code"], gold_doc["financial_year"])


def test_issue_figures(report):
    """The figures issue #2 asks for: core, budget and target F1 all at least 0.90."""
    assert report.core().f1 >= 0.90
    assert report.by_type["budget"].f1 >= 0.90
    assert report.by_type["target"].f1 >= 0.90


def test_every_record_carries_provenance_that_points_at_its_words():
    for source in GOLD:
        text = (CORPUS / "text" / source).read_text(encoding="utf-8")
        for record in extract(source):
            prov = record["provenance"]
            assert prov is not None, record
            assert text[prov["char_start"]:prov["char_end"]] == prov["text"], record


def test_scoring_matches_gold_against_itself():
    for source, gold in GOLD.items():
        extracted = [g for g in gold if not g.get("optional")]
        scores = score_document(extracted, gold)
        for kind in CORE:
            assert scores[kind].f1 == pytest.approx(1.0) or scores[kind].gold == 0


# ---------------------------------------------------------------- PDF renditions (same gold)

PDF_DIR = CORPUS / "pdf"
PDF_PAIRS, _ = pair_sources(GOLD, sorted(PDF_DIR.glob("*.pdf")))
BORN_DIGITAL = {f: g for f, g in PDF_PAIRS.items() if "scanned" not in f}
SCANNED = {f: g for f, g in PDF_PAIRS.items() if "scanned" in f}
# born-digital floors sit a little under today's figures; the issue asks for within 0.03 of text
PDF_FLOORS = {
    "bracknell-forest_2024-25_communities-directorate.pdf": 0.95,
    "hart_2024-25_community-services.pdf": 0.90,
    "kent_2008-09_communities-directorate.pdf": 0.90,
    "sevenoaks_2012-13_service-plans-summary.pdf": 0.90,
    "south-derbyshire_2019-20_corporate-resources.pdf": 0.90,
    "bracknell-forest_2024-25_communities-directorate_scanned.pdf": 0.85,
    "sevenoaks_2012-13_service-plans-summary_scanned.pdf": 0.80,
}


def extract_pdf(name: str) -> list[dict]:
    result = process_source(Source(PDF_DIR / name, meta=MANIFEST.get(name, {})))
    assert result.status == "ok", result.issues
    return [r.to_jsonl_dict() for r in result.records]


def core_of(scores) -> TypeScore:
    core = TypeScore()
    for kind in CORE:
        core.add(scores[kind])
    return core


@pytest.fixture(scope="module")
def pdf_report():
    return evaluate(GOLD, extract_pdf, BORN_DIGITAL)


@pytest.fixture(scope="module")
def scanned_report(require_ocr):
    return evaluate(GOLD, extract_pdf, SCANNED)


def test_every_corpus_pdf_has_gold():
    assert set(PDF_PAIRS) == {p.name for p in PDF_DIR.glob("*.pdf")}
    assert len(BORN_DIGITAL) == 5 and len(SCANNED) == 2


@pytest.mark.parametrize("name", sorted(BORN_DIGITAL))
def test_born_digital_pdf_core_f1(pdf_report, name):
    scores = pdf_report.by_source[name]
    assert core_of(scores).f1 >= PDF_FLOORS[name], {k: round(scores[k].f1, 3) for k in CORE}


def test_born_digital_pdfs_reach_the_issue_figures(pdf_report, report):
    """Issue #3: core F1 within 0.03 of the same documents' text F1, budgets at least 0.90."""
    assert pdf_report.core().f1 >= report.core().f1 - 0.03
    assert pdf_report.by_type["budget"].f1 >= 0.90


@pytest.mark.parametrize("name", sorted(SCANNED))
def test_scanned_pdf_core_f1(scanned_report, name):
    scores = scanned_report.by_source[name]
    assert core_of(scores).f1 >= PDF_FLOORS[name], {k: round(scores[k].f1, 3) for k in CORE}


def test_scanned_pdfs_reach_the_issue_figure(scanned_report):
    assert scanned_report.core().f1 >= 0.75


def test_pdf_records_carry_the_page_their_words_are_on():
    import pdfplumber

    from pipeline.normalise.text import clean

    name = "south-derbyshire_2019-20_corporate-resources.pdf"
    with pdfplumber.open(PDF_DIR / name) as pdf:
        pages = [clean(p.extract_text() or "") for p in pdf.pages]
    records = [r for r in extract_pdf(name) if r["type"] in ("budget", "target")]
    assert records
    for record in records:
        prov = record["provenance"]
        assert prov["page"] is not None, record
        assert clean(record["as_written"] if record["type"] == "budget" else prov["text"].split()[0]) in pages[prov["page"] - 1]
