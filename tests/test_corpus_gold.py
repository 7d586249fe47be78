"""Every corpus document against its hand-checked gold (RECORDS.md matching rules)."""
import json

import pytest

from pipeline.evaluate import CORE, TypeScore, evaluate, load_gold, pair_sources, score_document
from pipeline.extract import process_source
from pipeline.ingest import Source, load_manifest

from conftest import CORPUS

GOLD = load_gold(CORPUS / "gold")
MANIFEST = load_manifest(CORPUS / "manifest.csv")
# the five plans the pipeline was first built on (issue #2); the other 25 came with issue #8
ORIGINAL = {
    "bracknell-forest_2024-25_communities-directorate.txt", "hart_2024-25_community-services.txt",
    "kent_2008-09_communities-directorate.txt", "sevenoaks_2012-13_service-plans-summary.txt",
    "south-derbyshire_2019-20_corporate-resources.txt",
}
# per-document floors, a little under what the pipeline measures today: a drop is a regression
FLOORS = {
    "aberdeen-city_2016-17_corporate-governance-kpis.txt": 0.97,
    "angus_2018-19_council-tax-spend.txt": 0.95,
    "bath-north-east-somerset_2004-05_library-position-statement.txt": 0.97,
    "belfast_2014-15_district-rate-cash-limits.txt": 0.87,
    "belfast_2015-16_revenue-estimates.txt": 0.97,
    "bracknell-forest_2024-25_communities-directorate.txt": 0.97,
    "carmarthenshire_2012-15_budget-digest.txt": 0.97,
    "chelmsford_2009-10_waste-improvement-plan-driver-a.txt": 0.97,
    "clackmannanshire_2007-10_chief-executives-service-plan.txt": 0.89,
    "clackmannanshire_2008-10_housing-improvement-plan.txt": 0.08,
    "east-dunbartonshire_2009-10_best-value-action-plan.txt": 0.87,
    "falkirk_2022-27_council-plan-success-measures.txt": 0.87,
    "hampshire_2009-12_adult-services-growth.txt": 0.90,
    "harborough_undated_customer-care-standards.txt": 0.97,
    "hart_2024-25_community-services.txt": 0.95,
    "hastings_2019-20_council-services-kpis.txt": 0.97,
    "isle-of-wight_2002-03_tourism-call-centre-business-plan.txt": 0.97,
    "isle-of-wight_2003-04_housing-renewal-action-plan.txt": 0.97,
    "kent_2008-09_communities-directorate.txt": 0.96,
    "knowsley_2007-08_revenue-budget.txt": 0.77,
    "lancaster_2005-10_capital-programme.txt": 0.97,
    "maidstone_2023-24_planning-q1-performance.txt": 0.97,
    "north-devon_2024-25_service-plans-programmes.txt": 0.97,
    "salford_2004-05_bvpp-pledge5-performance-matrix.txt": 0.91,
    "salford_2005-06_corporate-improvement-plan-monitoring.txt": 0.17,
    "sevenoaks_2012-13_service-plans-summary.txt": 0.96,
    "south-derbyshire_2019-20_corporate-resources.txt": 0.95,
    "tamworth_2008-09_budget-book.txt": 0.97,
    "torfaen_2025-26_delivery-plan.txt": 0.78,
    "west-northamptonshire_2024-25_health-protection-service-plan.txt": 0.89,
}


def extract(name: str) -> list[dict]:
    result = process_source(Source(CORPUS / "text" / name, meta=MANIFEST.get(name, {})))
    assert result.status != "failed", result.issues
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


@pytest.mark.parametrize("source", sorted(ORIGINAL))
def test_document_record_is_right(report, source):
    gold_doc = next(g for g in GOLD[source] if g["type"] == "document")
    doc = next(r for r in extract(source) if r["type"] == "document")
    assert (doc["council"], doc["council_code"], doc["financial_year"]) == (gold_doc["council"], gold_doc["council_code"], gold_doc["financial_year"])


def test_issue_figures():
    """The figures issue #2 asks for on its five plans: core, budget and target F1 all at least 0.90."""
    original = evaluate(GOLD, extract, {s: s for s in ORIGINAL})
    assert original.core().f1 >= 0.90
    assert original.by_type["budget"].f1 >= 0.90
    assert original.by_type["target"].f1 >= 0.90


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
    # an office scanner's page (300 dpi CCITT G4, skewed) of a LibreOffice rendition; its text scores 0.75:
    # OCR drops the word processor's list numbers ("1.") set apart from their items, so four objectives go
    "clackmannanshire_2007-10_chief-executives-service-plan_scanned-office.pdf": 0.45,
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
    assert len(BORN_DIGITAL) == 5 and len(SCANNED) == 3


@pytest.mark.parametrize("name", sorted(BORN_DIGITAL))
def test_born_digital_pdf_core_f1(pdf_report, name):
    scores = pdf_report.by_source[name]
    assert core_of(scores).f1 >= PDF_FLOORS[name], {k: round(scores[k].f1, 3) for k in CORE}


def test_born_digital_pdfs_reach_the_issue_figures(pdf_report):
    """Issue #3: core F1 within 0.03 of the same documents' text F1, budgets at least 0.90."""
    text = evaluate(GOLD, extract, {s: s for s in ORIGINAL})
    assert pdf_report.core().f1 >= text.core().f1 - 0.03
    assert pdf_report.by_type["budget"].f1 >= 0.90


@pytest.mark.parametrize("name", sorted(SCANNED))
def test_scanned_pdf_core_f1(scanned_report, name):
    scores = scanned_report.by_source[name]
    assert core_of(scores).f1 >= PDF_FLOORS[name], {k: round(scores[k].f1, 3) for k in CORE}


def test_scanned_pdfs_reach_the_issue_figure(scanned_report):
    chromium = evaluate(GOLD, extract_pdf, {f: g for f, g in SCANNED.items() if "office" not in f})
    assert chromium.core().f1 >= 0.75


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


def test_issue_8_figures_on_the_whole_text_corpus(report):
    """Issue #8: pooled CORE, budget and target F1 over all 30 documents (floors a little under today's)."""
    assert report.core().f1 >= 0.95
    assert report.by_type["budget"].f1 >= 0.93
    assert report.by_type["target"].f1 >= 0.95
    per_document = [core_of(scores).f1 for scores in report.by_source.values()]
    assert sum(per_document) / len(per_document) >= 0.88
    for source in ORIGINAL:  # the five plans it was built on stay where they were
        assert core_of(report.by_source[source]).f1 >= 0.95, source


def test_matched_records_carry_the_right_fields(report):
    """Relabelling every budget (measure, year, phase) or mis-reading every target must go red here."""
    budget = report.by_type["budget"].field_accuracy()
    target = report.by_type["target"].field_accuracy()
    assert budget["financial_year"] == 1.0 and budget["amount_gbp"] == 1.0
    assert budget["measure"] >= 0.8
    assert target["value"] == 1.0 and target["comparator"] >= 0.95 and target["unit"] >= 0.95


# ---------------------------------------------------------------- producer renditions (issue #9)

RENDITIONS = CORPUS / "renditions"
# the plans whose text scores today say something (the others' text F1 is 0), small enough for every CI run;
# bench/renditions_score.py measures all 30 plans x 8 producer-styles
RENDITION_PLANS = [
    "bath-north-east-somerset_2004-05_library-position-statement", "bracknell-forest_2024-25_communities-directorate",
    "clackmannanshire_2007-10_chief-executives-service-plan", "hart_2024-25_community-services",
    "south-derbyshire_2019-20_corporate-resources", "west-northamptonshire_2024-25_health-protection-service-plan",
    # one page each: a 13-column budget table set on a landscape page, two booktabs tables one under the other
    "carmarthenshire_2012-15_budget-digest", "angus_2018-19_council-tax-spend",
]
# text CORE F1 minus PDF CORE F1 allowed per producer-style, pooled over RENDITION_PLANS: the issue asks for
# 0.03; each pin is the measured gap plus 0.01, so a drop goes red (measured gaps: libreoffice ruled 0.000,
# headrule 0.001, rulefree 0.000; reportlab ruled 0.004, headrule 0.010, rulefree 0.004; latex headrule 0.013,
# rulefree 0.008 -- still lost: LaTeX's unspaced rows where a wrapped cell line and a new row's first line look
# alike in title case (Angus' "Financed by:"), and a booktabs body whose cells hold several paragraphs, kept as
# one band (South Derbyshire), now read under its header)
RENDITION_GAPS = {
    "libreoffice-ruled": 0.01, "libreoffice-headrule": 0.011, "libreoffice-rulefree": 0.01,
    "reportlab-ruled": 0.014, "reportlab-headrule": 0.02, "reportlab-rulefree": 0.014,
    "latex-headrule": 0.023, "latex-rulefree": 0.018,
}


def extract_rendition(name: str) -> list[dict]:
    text = name.rsplit("_", 1)[0] + ".txt"
    result = process_source(Source(RENDITIONS / name, meta=MANIFEST.get(name) or MANIFEST.get(text, {})))
    assert result.status != "failed", result.issues
    return [r.to_jsonl_dict() for r in result.records]


@pytest.fixture(scope="module")
def rendition_text_report():
    return evaluate(GOLD, extract, {f"{p}.txt": f"{p}.txt" for p in RENDITION_PLANS})


@pytest.mark.parametrize("combo", sorted(RENDITION_GAPS))
def test_rendition_core_f1_near_text(rendition_text_report, combo):
    """Each producer and table style reads back what the same plans' text gives (issue #9)."""
    pairs = {f"{p}_{combo}.pdf": f"{p}.txt" for p in RENDITION_PLANS}
    pdf = evaluate(GOLD, extract_rendition, pairs)
    text = rendition_text_report.core().f1
    per_doc = {n: round(core_of(s).f1, 3) for n, s in pdf.by_source.items()}
    assert pdf.core().f1 >= text - RENDITION_GAPS[combo], (round(pdf.core().f1, 3), round(text, 3), per_doc)
