"""CORE F1 of the PDF renditions against the same documents as text, measured in one run on the same code.

For each producer x table style (from the file name ``<text stem>_<producer>-<style>.pdf``;
the Chromium PDFs in corpus/pdf are ``chromium-as-built``, the scans ``chromium-scanned``)
it prints the number of documents, the text CORE F1 of those documents, the PDF CORE F1
and the difference.  Scores pool records over the documents, as ``evaluate`` does.

Usage: python bench/renditions_score.py [--folder DIR ...] [--only STEM ...] [--per-doc] [--no-scans]
"""
from __future__ import annotations

import argparse
import logging
import re
from collections import defaultdict
from pathlib import Path

from pipeline.evaluate import CORE, TypeScore, load_gold, pair_sources, score_document
from pipeline.extract import process_source
from pipeline.ingest import Source, load_manifest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def core(scores: dict[str, TypeScore]) -> TypeScore:
    total = TypeScore()
    for kind in CORE:
        total.add(scores[kind])
    return total


def combo_of(pdf: Path, gold_source: str) -> str:
    """producer-style from the name's suffix after the text's stem."""
    rest = pdf.stem[len(Path(gold_source).stem):].lstrip("_-")
    if not rest:
        return "chromium-as-built"
    if rest == "scanned":
        return "chromium-scanned"
    return rest if re.fullmatch(r"[a-z]+-[a-z0-9]+", rest) else rest


def records(path: Path, manifest: dict) -> list[dict]:
    meta = manifest.get(path.name) or manifest.get(re.sub(r"_[a-z]+-[a-z0-9]+\.pdf$", ".txt", path.name), {})
    return [r.to_jsonl_dict() for r in process_source(Source(path, meta=meta)).records]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folder", type=Path, action="append", default=[],
                        help="folders of PDFs (default: corpus/pdf and corpus/renditions)")
    parser.add_argument("--only", action="append", default=[], help="score only files whose name contains this")
    parser.add_argument("--per-doc", action="store_true", help="also print each document's text and PDF F1")
    parser.add_argument("--no-scans", action="store_true", help="skip the scanned PDFs (OCR is slow)")
    args = parser.parse_args()
    folders = args.folder or [CORPUS / "pdf", CORPUS / "renditions"]
    gold = load_gold(CORPUS / "gold")
    manifest = load_manifest(CORPUS / "manifest.csv")
    pdfs = sorted(p for f in folders for p in f.glob("*.pdf"))
    if args.only:
        pdfs = [p for p in pdfs if any(o in p.name for o in args.only)]
    if args.no_scans:
        pdfs = [p for p in pdfs if "scan" not in p.name]
    pairs, _ = pair_sources(gold, pdfs)
    by_name = {p.name: p for p in pdfs}
    text_scores: dict[str, dict[str, TypeScore]] = {}
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name, source in pairs.items():
        groups[combo_of(by_name[name], source)].append((name, source))
    print(f"{'producer-style':<24}{'docs':>5}{'text F1':>9}{'PDF F1':>9}{'diff':>8}")
    for combo in sorted(groups):
        text_total, pdf_total = TypeScore(), TypeScore()
        rows = []
        for name, source in sorted(groups[combo]):
            if source not in text_scores:
                text_scores[source] = score_document(records(CORPUS / "text" / source, manifest), gold[source])
            pdf_scores = score_document(records(by_name[name], manifest), gold[source])
            text_total.add(core(text_scores[source]))
            pdf_total.add(core(pdf_scores))
            rows.append((name, core(text_scores[source]).f1, core(pdf_scores).f1))
        print(f"{combo:<24}{len(rows):>5}{text_total.f1:>9.3f}{pdf_total.f1:>9.3f}{pdf_total.f1 - text_total.f1:>+8.3f}", flush=True)
        if args.per_doc:
            for name, t, p in rows:
                flag = "  <--" if p < t - 0.03 else ""
                print(f"    {name:<90}{t:>7.3f}{p:>7.3f}{flag}")


if __name__ == "__main__":
    main()
