"""The ``councilplans`` command line: argument parsing only; the work is in the library."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from pipeline.store import DEFAULT_DB

DB_HELP = f"Database: a SQLite file path or an SQLAlchemy URL (e.g. postgresql+psycopg://user@host/db). Default: {DEFAULT_DB}"
TYPES = ["service", "objective", "budget", "target", "performance", "workforce", "risk"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="councilplans")
def main() -> None:
    """Turn UK council service plans into services, objectives, budgets and targets.

    \b
    Typical session:
      councilplans extract corpus/ --manifest corpus/manifest.csv
      councilplans stats
      councilplans export --format csv --out output/csv
      councilplans evaluate corpus/gold --corpus corpus/text
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--db", default=None, help=DB_HELP)
@click.option("--manifest", type=click.Path(path_type=Path), default=None,
              help="Optional CSV (file, council, council_code, financial_year, notes) used when the text does not name council or year.")
@click.option("--force", is_flag=True, help="Re-extract documents already in the store unchanged.")
@click.option("--strict", is_flag=True, help="Stop at the first error with a traceback (for debugging).")
@click.option("--quiet", "-q", is_flag=True, help="No progress output.")
def extract(paths: tuple[Path, ...], db: str | None, manifest: Path | None, force: bool, strict: bool, quiet: bool) -> None:
    """Extract records from council plans (files or folders) into the store.

    Each document is loaded in its own transaction and keyed by content hash:
    re-running skips unchanged files and replaces changed ones. Bad files are
    reported as failed and the batch goes on. Exit status 1 if any document failed.
    """
    from pipeline.ingest import ManifestError
    from pipeline.run import run_batch

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise click.UsageError(f"no such file or folder: {', '.join(missing)}")

    def progress(source) -> None:
        if not quiet:
            click.echo(f"  reading {source.path}", err=True)

    try:
        summary = run_batch(paths, db=db, manifest=manifest, strict=strict, force=force, progress=progress)
    except ManifestError as exc:
        raise click.UsageError(str(exc))
    _print_summary(summary)
    sys.exit(1 if summary.failed else 0)


def _print_summary(summary) -> None:
    header = f"{'document':<58}{'status':<9}" + "".join(f"{t[:5]:>7}" for t in TYPES)
    click.echo(header)
    click.echo("-" * len(header))
    for r in summary.results:
        counts = r.counts()
        click.echo(f"{r.source[:57]:<58}{r.status:<9}" + "".join(f"{counts.get(t, 0):>7}" for t in TYPES))
        for issue in r.issues:
            if issue.severity == "error" or r.status != "ok":
                click.echo(f"    {issue.severity}: {issue.code}: {issue.message.splitlines()[0]}")
    for name in summary.skipped:
        click.echo(f"{name[:57]:<58}{'unchanged':<9}")
    ok = sum(r.status == "ok" for r in summary.results)
    partial = sum(r.status == "partial" for r in summary.results)
    click.echo(f"\n{len(summary.results)} extracted ({ok} ok, {partial} partial, {summary.failed} failed), {len(summary.skipped)} unchanged")


@main.command()
@click.option("--db", default=None, help=DB_HELP)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), required=True, help="jsonl: one record per line as RECORDS.md; csv/parquet: one file per record type.")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="A file for jsonl, a folder for csv and parquet.")
def export(db: str | None, fmt: str, out: Path) -> None:
    """Export the store's records (with provenance) for SQL, pandas, CSV or Parquet users."""
    from pipeline.export import export as do_export
    from pipeline.store import Store

    with Store(db) as store:
        written = do_export(store, fmt, out)
    for path in written:
        click.echo(f"wrote {path}")


@main.command()
@click.argument("gold_dir", type=click.Path(exists=True, path_type=Path))
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Folder of documents to score (default: corpus/text beside the gold folder). A file is scored "
                   "against the gold source of the same name or stem, so plan.pdf and plan_scanned.pdf use plan.txt's gold.")
@click.option("--glob", "pattern", default="*", show_default=True, help="Only score corpus files whose name matches, e.g. '*_scanned.pdf'.")
@click.option("--exclude", "excludes", multiple=True, help="Skip corpus files whose name matches (repeatable).")
@click.option("--manifest", type=click.Path(path_type=Path), default=None,
              help="Manifest CSV for council/year fallbacks (default: manifest.csv beside the corpus folder, if any).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate(gold_dir: Path, corpus: Path | None, pattern: str, excludes: tuple[str, ...], manifest: Path | None, as_json: bool) -> None:
    """Score extraction against gold JSONL: precision, recall and F1 per record type, field accuracy.

    Uses the matching rules of RECORDS.md. CORE pools services, objectives, budgets and targets.

    \b
    Examples:
      councilplans evaluate corpus/gold                                  # text corpus
      councilplans evaluate corpus/gold --corpus corpus/pdf --exclude '*_scanned.pdf'
      councilplans evaluate corpus/gold --corpus corpus/pdf --glob '*_scanned.pdf'
    """
    from fnmatch import fnmatch

    from pipeline.evaluate import evaluate as run_eval, format_report, load_gold, pair_sources
    from pipeline.extract import process_source
    from pipeline.ingest import find_sources, load_manifest

    corpus = corpus or (gold_dir.parent / "text")
    if manifest is None and (corpus.parent / "manifest.csv").exists():
        manifest = corpus.parent / "manifest.csv"
    rows = load_manifest(manifest) if manifest else {}
    gold = load_gold(gold_dir)
    sources = {s.name: s for s in find_sources([corpus], rows)
               if fnmatch(s.name, pattern) and not any(fnmatch(s.name, x) for x in excludes)}
    pairs, unmatched = pair_sources(gold, [s.path for s in sources.values()])
    if not pairs:
        raise click.ClickException(f"no file in {corpus} matching {pattern!r} has gold records in {gold_dir}")
    if pattern == "*" and not excludes:
        for name in unmatched:
            click.echo(f"warning: no file in {corpus} renders gold source {name}", err=True)

    def extract_one(name: str) -> list[dict]:
        return [r.to_jsonl_dict() for r in process_source(sources[name]).records]

    report = run_eval(gold, extract_one, pairs)
    click.echo(json.dumps(report.as_dict(), indent=2) if as_json else format_report(report))


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--page", type=int, default=None, help="Only this page (1-based). Required with --png.")
@click.option("--png", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the page image with block boxes (red headings, blue paragraphs, green list items, "
                   "orange tables and their cells) to this PNG file.")
@click.option("--width", type=int, default=100, show_default=True, help="Characters of text shown per block.")
def inspect(file: Path, page: int | None, png: Path | None, width: int) -> None:
    """Show what the reader saw in FILE: blocks and tables in reading order, with page, box and span.

    Use it when a figure or table comes out wrong: the table rows and header
    rows printed here are exactly what the extractors get.

    \b
    Examples:
      councilplans inspect corpus/pdf/hart_2024-25_community-services.pdf --page 4
      councilplans inspect plan.pdf --page 2 --png page2.png
    """
    from pipeline.inspection import describe, draw_page, read
    from pipeline.readers import ReadError

    try:
        doc = read(file)
    except ReadError as exc:
        raise click.ClickException(f"{file}: {exc.code}: {exc.message}")
    click.echo(describe(doc, page, width))
    if png is not None:
        if doc.pages is None:
            raise click.UsageError("--png needs a PDF (text files have no page image)")
        try:
            written = draw_page(file, doc, page or 1, png)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--page")
        click.echo(f"wrote {written}")


@main.command()
@click.option("--db", default=None, help=DB_HELP)
def stats(db: str | None) -> None:
    """Records in the store by type, council and financial year."""
    from pipeline.store import Store

    with Store(db) as store:
        docs = store.documents()
        rows = store.stats()
    click.echo(f"{len(docs)} documents: " + ", ".join(f"{s} {sum(d['status'] == s for d in docs)}" for s in ("ok", "partial", "failed")))
    click.echo(f"{'type':<13}{'council':<28}{'year':<10}{'records':>8}")
    for r in rows:
        click.echo(f"{r['type']:<13}{(r['council'] or '-')[:27]:<28}{(r['financial_year'] or '-'):<10}{r['records']:>8}")


if __name__ == "__main__":
    main()
