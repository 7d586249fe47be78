"""The ``councilplans`` command line: parse arguments, call ``pipeline.api``, print.

Errors the library raises on purpose (``CouncilplansError``) become one-line
messages; anything else is a bug and keeps its traceback.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from pipeline.errors import CouncilplansError
from pipeline.store import DEFAULT_DB

DB_HELP = f"Database: a SQLite file path or an SQLAlchemy URL (e.g. postgresql+psycopg://user@host/db). Default: {DEFAULT_DB}"
RAW_HELP = "Show the records as extracted, without the analysts' corrections (`councilplans correct`)."
TYPES = ["service", "objective", "budget", "target", "performance", "workforce", "risk"]


class Main(click.Group):
    """Turns the library's typed errors into messages (exit status 1) for every command."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CouncilplansError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="councilplans")
def main() -> None:
    """Turn UK council service plans into services, objectives, budgets and targets.

    \b
    Typical session:
      councilplans extract corpus/text corpus/pdf --manifest corpus/manifest.csv
      councilplans stats
      councilplans review                      # then open output/review/index.html
      councilplans correct corrections.json    # what you marked on the review pages
      councilplans compare --by category --out output/by-category.csv --chart output/by-category.png
      councilplans benchmark --oflog corpus/oflog/chartData.csv --oflog corpus/oflog/ASC_data.csv
      councilplans export --format csv --out output/csv
      councilplans evaluate corpus/gold --corpus corpus/pdf
      councilplans inspect corpus/pdf/hart_2024-25_community-services.pdf --page 4

    The same functions are a Python API: import councilplans.
    """


def _size(text: str) -> int:
    """'1G', '768M', '500000000' → bytes."""
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
    text = text.strip().lower().removesuffix("b").removesuffix("i")
    try:
        return int(float(text[:-1]) * units[text[-1]]) if text and text[-1] in units else int(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a size (e.g. 1G, 768M)") from None


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--db", default=None, help=DB_HELP)
@click.option("--manifest", type=click.Path(path_type=Path), default=None,
              help="Optional CSV (file, council, council_code, financial_year, notes) used when the text does not name council or year.")
@click.option("--force", is_flag=True, help="Re-extract documents already in the store unchanged.")
@click.option("--retry-failed", is_flag=True,
              help="Also retry documents that failed on their content (empty, binary, a broken PDF). Documents that "
                   "failed for a passing reason (a dead worker, a time or memory limit, a store error) are always retried.")
@click.option("--strict", is_flag=True, help="Extract in this process and stop at the first error with a traceback (for debugging).")
@click.option("--quiet", "-q", is_flag=True, help="No progress display (the summary at the end is still printed).")
@click.option("--workers", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: one per core). Each loads spaCy once and takes documents from a queue.")
@click.option("--doc-timeout", type=click.FloatRange(min=1), default=None, show_default="600",
              help="Seconds one document may take; past it its worker is killed and the document fails with time_limit.")
@click.option("--doc-memory", default=None, show_default="512M",
              help="Memory one document may use on top of its worker (e.g. 768M, 2G), never more than its worker's share of "
                   "--max-memory; past it the document fails with memory_limit.")
@click.option("--max-memory", default=None, show_default="half the machine's memory",
              help="Memory the whole batch may hold (e.g. 4G): each worker's document gets an equal share, one share kept "
                   "for the processes themselves; past it the document using the most fails with memory_limit.")
@click.option("--scheduler", default=None, help="Run on a Dask cluster at this address (e.g. tcp://10.0.0.5:8786) instead of local processes.")
def extract(paths: tuple[Path, ...], db: str | None, manifest: Path | None, force: bool, retry_failed: bool, strict: bool,
            quiet: bool, workers: int | None, doc_timeout: float | None, doc_memory: str | None, max_memory: str | None,
            scheduler: str | None) -> None:
    """Extract records from council plans (files or folders) into the store.

    Each document is saved whole or not at all, a few dozen per transaction
    (at most a second after it is read), keyed by content hash: re-running skips unchanged files (and resumes a run that
    was killed), re-extracts when the extraction rules changed, and replaces
    changed files. Byte-identical copies are one document that knows all its
    names. A bad file, a document over its time or memory limit, a FIFO or an
    unreadable folder is reported with a code and the batch goes on.

    Progress goes to stderr (a bar on a terminal, a line every 10 s in a log);
    the summary to stdout. Exit status 1 if any document failed or any path was skipped.

    \b
    Examples:
      councilplans extract corpus/text corpus/pdf --manifest corpus/manifest.csv
      councilplans extract /data/plans -j 4 --doc-timeout 600 --db postgresql+psycopg://me@dbhost/plans
    """
    from pipeline.errors import CouncilplansError
    from pipeline.ingest import ManifestError
    from pipeline.progress import reporter, summary_text
    from pipeline.run import run_batch
    from pipeline.settings import BatchSettings

    missing = [str(p) for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        raise click.UsageError(f"no such file or folder: {', '.join(missing)}")
    settings = BatchSettings().with_options(workers=workers, doc_timeout=doc_timeout,
                                            doc_memory=_size(doc_memory) if doc_memory else None,
                                            max_memory=_size(max_memory) if max_memory else None)
    try:
        summary = run_batch(paths, db=db, manifest=manifest, strict=strict, force=force, retry_failed=retry_failed,
                            progress=reporter(quiet), scheduler=scheduler, settings=settings, keep_results=False)
    except ManifestError as exc:
        raise click.UsageError(str(exc))
    except CouncilplansError as exc:
        raise click.ClickException(str(exc))
    click.echo(summary_text(summary))
    sys.exit(1 if summary.failed or summary.path_issues else 0)


@main.command()
@click.option("--db", default=None, help=DB_HELP)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet", "fdp"]), required=True,
              help="jsonl: one record per line as RECORDS.md; csv/parquet: one file per record type (budgets and "
                   "services with their service-line category); fdp: budgets as a Fiscal Data Package.")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="A file for jsonl, a folder for csv, parquet and fdp.")
@click.option("--raw", is_flag=True, help=RAW_HELP)
def export(db: str | None, fmt: str, out: Path, raw: bool) -> None:
    """Export the store's records (with provenance) for SQL, pandas, CSV or Parquet users.

    Analysts' corrections are applied: deleted records are left out, corrected
    fields changed, added records included; in CSV and Parquet the columns
    `corrected` and `correction` say which rows and why. --raw exports what
    was extracted.
    """
    from pipeline import api

    for path in api.export(db, fmt, out, raw=raw):
        click.echo(f"wrote {path}")
    _warn_orphans(db, raw)


def _warn_orphans(db: str | None, raw: bool) -> None:
    """Corrections that no longer find their record are never dropped silently."""
    from pipeline import api

    if raw:
        return
    orphaned = [s for s in api.corrections(db) if s.state == "orphaned"]
    if orphaned:
        click.echo(f"warning: {len(orphaned)} correction(s) no longer find their record and were not applied; "
                   "see `councilplans correct --list`", err=True)


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
    from pipeline import api
    from pipeline.evaluate import format_report

    report = api.evaluate(gold_dir, corpus, glob=pattern, exclude=excludes, manifest=manifest)
    for name in report.unmatched_gold:
        click.echo(f"warning: no file in {corpus or gold_dir.parent / 'text'} renders gold source {name}", err=True)
    click.echo(json.dumps(report.as_dict(), indent=2) if as_json else format_report(report))


def _split(values: tuple[str, ...]) -> list[str]:
    """Repeated options and comma lists both work: --councils Hart,Kent --councils Sevenoaks."""
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


@main.command()
@click.option("--db", default=None, help=DB_HELP)
@click.option("--measure", default="net_budget", show_default=True,
              type=click.Choice(["net_budget", "gross_expenditure", "income", "staffing", "savings", "pressures", "capital", "other"]),
              help="Which budget figures to compare (RECORDS.md measures).")
@click.option("--phase", type=click.Choice(["budget", "revised", "outturn", "forecast", "proposed", "all"]), default="budget",
              show_default=True, help="Which kind of figure: budget (original/approved, or not stated), revised, outturn (actuals), "
                                      "forecast, proposed; phases are never added together. 'all' ignores the phase.")
@click.option("--by", type=click.Choice(["council", "category", "service"]), default="council", show_default=True,
              help="council: councils x years; category: MHCLG service lines x (council, year); service: the plans' own service names x (council, year).")
@click.option("--councils", multiple=True, help="Councils to include (names, GSS or register codes; comma-separated or repeated). Default: all.")
@click.option("--years", multiple=True, help="Financial years to include (2023-24, 2023/24; comma-separated or repeated). Default: all.")
@click.option("--deflator", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="CSV of year,index (e.g. GDP deflators) to show amounts in real terms.")
@click.option("--base-year", default=None, help="Prices to restate in with --deflator (default: the latest year in the table).")
@click.option("--taxonomy", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="CSV overriding the service-line mapping: columns category and name (exact) or pattern (regex).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("output/comparison.csv"), show_default=True,
              help="The table: .csv or .parquet.")
@click.option("--chart", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Also draw the table as a PNG chart.")
@click.option("--raw", is_flag=True, help=RAW_HELP)
def compare(db, measure, phase, by, councils, years, deflator, base_year, taxonomy, out, chart, raw) -> None:
    """Put councils and years side by side: a pivot of budget figures from the store, in pounds.

    Totals and the lines that make them up are never added together: councils x
    years uses a council-year's totals when its plans give them, else the sum of
    its lines; categories and services use the lines. Analysts' corrections are
    applied unless --raw.

    \b
    Examples:
      councilplans compare                                   # net budgets, councils x years
      councilplans compare --by category --years 2024-25 --out output/by-category.csv --chart output/by-category.png
      councilplans compare --deflator deflators.csv --base-year 2024-25
    """
    from pipeline import api
    from pipeline.compare import chart as draw, write

    result = api.compare(db, measure, by, councils=_split(councils), years=_split(years), deflator=deflator,
                         base_year=base_year, taxonomy=taxonomy, raw=raw, phase=phase)
    if result.table.empty:
        raise click.ClickException(f"no {measure} ({phase}) figures in the store for those councils and years (run `councilplans extract` first?)")
    click.echo(result.table.to_string(float_format=lambda v: f"{v:,.0f}"))
    if result.real_terms_base:
        click.echo(f"(real terms, {result.real_terms_base} prices)")
    click.echo(f"wrote {write(result, out)}")
    if chart:
        click.echo(f"wrote {draw(result, chart)}")
    _warn_orphans(db, raw)


@main.command()
@click.option("--db", default=None, help=DB_HELP)
@click.option("--oflog", "oflog_files", multiple=True, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Oflog metric data (either Oflog layout, or your own download with the same columns). Repeatable.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("output/benchmark.csv"), show_default=True,
              help="One row per matched target (.csv or .parquet); unmatched targets go to FILE with .unmatched before the suffix.")
@click.option("--raw", is_flag=True, help=RAW_HELP)
def benchmark(db, oflog_files, out, raw) -> None:
    """Benchmark the plans' targets against Oflog metrics: actual, peer median, rank.

    Each target whose indicator names an Oflog metric (catalogue: the verified
    metrics in OFLOG.md, with the ways plans name them) gets the council's
    actual value that year (blank if none, with the latest earlier value in
    latest_actual), the median and rank among councils of the same authority
    type, and whether the target is above or below them. Rank 1 is best.
    Analysts' corrections to targets are applied unless --raw.

    \b
    Example:
      councilplans benchmark --oflog corpus/oflog/chartData.csv --oflog corpus/oflog/ASC_data.csv
    """
    from pipeline import api
    from pipeline.export import write_frame

    result = api.benchmark(oflog_files, db, raw=raw)
    unmatched_path = out.with_name(f"{out.stem}.unmatched{out.suffix}")
    write_frame(result.rows, out)
    write_frame(result.unmatched, unmatched_path)
    click.echo(f"{len(result.rows)} target(s) matched an Oflog metric, {len(result.unmatched)} did not "
               f"({result.metric_values} metric values loaded, {result.metrics} metrics)")
    if not result.rows.empty:
        show = ["council", "financial_year", "metric", "comparator", "target", "actual", "latest_actual", "median", "rank", "rank_of", "target_vs_median"]
        click.echo(result.rows[show].to_string(index=False))
    click.echo(f"wrote {out}\nwrote {unmatched_path}")
    _warn_orphans(db, raw)


@main.command()
@click.option("--db", default=None, help=DB_HELP)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("output/review"), show_default=True,
              help="Folder for the site (index.html, a page per document, page images).")
@click.option("--source", "sources", multiple=True,
              help="Only documents whose file name matches (a name or a pattern like 'hart_*'; repeatable).")
@click.option("--raw", is_flag=True, help="Show the records as extracted, without the analysts' corrections.")
@click.option("--quiet", "-q", is_flag=True, help="No progress output.")
def review(db, out, sources, raw, quiet) -> None:
    """Write a review site: every record beside its source, to check and correct.

    Open OUT/index.html in a browser (no server, no network). The index lists
    documents with their status, coded issues, records per type and how many
    records are low-confidence or failed a check. A document's page shows the
    text (or each PDF page's image) with every record highlighted; click a
    record to find it in the source, click a highlight to find its record.
    Mark records wrong, correct a field or add a missing record there, download
    the corrections file and load it with `councilplans correct FILE`.

    \b
    Examples:
      councilplans review && xdg-open output/review/index.html
      councilplans review --source 'hart_*' --out output/review-hart
    """
    from pipeline import api

    def progress(name: str) -> None:
        if not quiet:
            click.echo(f"  {name}", err=True)

    site = api.review(db, out, sources=sources, raw=raw, progress=progress)
    click.echo(f"wrote {site.index} ({site.documents} documents, {site.pages} page images, "
               f"{site.bytes / 1e6:.1f} MB, largest page {site.largest_page / 1e6:.2f} MB) in {site.seconds:.1f}s")
    for warning in site.warnings:
        click.echo(f"warning: {warning}", err=True)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--db", default=None, help=DB_HELP)
@click.option("--author", default=None, help="Who made corrections whose row does not say (default: your login name).")
@click.option("--reason", default=None, help="Why, for rows that do not say (every correction must say why).")
@click.option("--list", "show", is_flag=True, help="List every correction in the store and whether it still finds its record.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="With --list: also write the list as CSV or Parquet.")
def correct(files, db, author, reason, show, out) -> None:
    """Load corrections (the review site's download, or a CSV you edit) into the store.

    Corrections are keyed by the document's content hash, the record type and
    the record's natural key (a budget's scope, year, measure and phase; a
    target's indicator and year), so they survive `extract --force` and new
    versions of the rules. Exports, compare, benchmark and review apply them
    (--raw shows the extraction). A correction whose record no longer appears
    is reported as orphaned, never dropped.

    \b
    CSV columns:
      action      delete (the record is wrong), set (one field), add (a missing record)
      record_id   the record's id from an export (or: document, type and key)
      field,value set: the field and its right value
      value       add: the record's fields as JSON, with document and type
      author, reason, created_at   who, why and when (reason is required)

    \b
    Examples:
      councilplans correct ~/Downloads/corrections-hart.json
      councilplans correct fixes.csv --author "A. Analyst"
      councilplans correct --list
    """
    from pipeline import api

    if not files and not show:
        raise click.UsageError("give a corrections file (or --list to see the corrections in the store)")
    statuses = None
    for path in files:
        loaded = api.correct(path, db, author=author, reason=reason)
        click.echo(f"{path}: {loaded.loaded} correction(s) loaded, {loaded.read - loaded.loaded} already in the store")
        statuses = loaded.statuses
    if statuses is None:
        statuses = api.corrections(db)
    counts = {state: sum(s.state == state for s in statuses) for state in ("applied", "orphaned", "now_extracted")}
    click.echo(f"{len(statuses)} correction(s) in the store: {counts['applied']} applied, {counts['orphaned']} orphaned, "
               f"{counts['now_extracted']} added records now extracted")
    for s in statuses:
        if show or s.state != "applied":
            c = s.correction
            what = c.field if c.action == "set" else ""
            key = json.dumps(c.record_key if c.action != "add" else c.value, ensure_ascii=False)[:70]
            click.echo(f"  {s.state:<13} {c.action:<6} {c.record_type:<10} {what:<14} {c.source}: {key}"
                       + (f"\n                {s.why}" if s.why else ""))
    if out is not None:
        import pandas as pd

        from pipeline.export import write_frame

        click.echo(f"wrote {write_frame(pd.DataFrame([s.as_dict() for s in statuses]), out)}")


@main.command()
@click.option("--db", default=None, help="The SQLite store (Datasette serves SQLite files). Default: " + DEFAULT_DB)
def datasette(db: str | None) -> None:
    """Write Datasette metadata (labels, facets, column descriptions) beside a SQLite store.

    `councilplans extract` through the Python API writes it too. Then browse
    the store with `pip install 'councilplans[datasette]'` and the command
    this prints.
    """
    from pipeline import api

    with api.open_store(db):  # it must exist
        pass
    path = api.write_datasette_metadata(db)
    if path is None:
        raise click.ClickException("Datasette serves SQLite files; this store is not one")
    click.echo(f"wrote {path}\nbrowse with: datasette {db or DEFAULT_DB} --metadata {path}")


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
    """Records in the store by type, council and financial year (as extracted)."""
    from pipeline import api

    found = api.stats(db)
    docs, rows = found["documents"], found["counts"]
    click.echo(f"{len(docs)} documents: " + ", ".join(f"{s} {sum(d['status'] == s for d in docs)}" for s in ("ok", "partial", "failed")))
    click.echo(f"{'type':<13}{'council':<28}{'year':<10}{'records':>8}")
    for r in rows:
        click.echo(f"{r['type']:<13}{(r['council'] or '-')[:27]:<28}{(r['financial_year'] or '-'):<10}{r['records']:>8}")


if __name__ == "__main__":
    main()
