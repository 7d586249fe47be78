"""Progress for people running a long batch, and the summary at its end.

On a terminal: a rich progress bar (documents done/total, documents per
second, time left, failures so far).  rich rather than tqdm because it draws
extra live fields (the failure count) as columns of the same bar and writes
to stderr without garbling the summary on stdout; it is already installed
with spaCy (through typer), so it costs no new download.  When stderr is not
a terminal (a log file, cron, CI): one plain line every ``interval`` seconds.
``--quiet``: no progress, only the summary.
"""
from __future__ import annotations

import sys
import time
from typing import Optional, TextIO

from pipeline.ingest import printable
from pipeline.results import Outcome
from pipeline.run import BatchSummary

PLAIN_INTERVAL_S = 10.0  # seconds between progress lines in a log


def reporter(quiet: bool, stream: Optional[TextIO] = None, interval: float = PLAIN_INTERVAL_S):
    """The right progress display for where output goes."""
    stream = stream or sys.stderr
    if quiet:
        return None
    if stream.isatty():
        return RichProgress(stream)
    return PlainProgress(stream, interval)


class PlainProgress:
    """A line every ``interval`` seconds: done/total, rate, time left, failures."""

    def __init__(self, stream: TextIO, interval: float):
        self.stream, self.interval = stream, interval
        self.total = self.done = self.failed = 0
        self.started = self.last = time.monotonic()

    def start(self, total: int, unchanged: int) -> None:
        self.total, self.started = total, time.monotonic()
        self.last = self.started
        self._line(f"{total} document(s) to extract, {unchanged} unchanged since the last run")

    def advance(self, outcome: Outcome) -> None:
        self.done += 1
        self.failed += outcome.status == "failed"
        now = time.monotonic()
        if now - self.last >= self.interval or self.done == self.total:
            self.last = now
            rate = self.done / max(now - self.started, 1e-9)
            left = (self.total - self.done) / rate if rate else 0.0
            self._line(f"[{self.done}/{self.total}] {100 * self.done / max(self.total, 1):.0f}%  {rate:.1f} docs/s  "
                       f"ETA {_duration(left)}  failed {self.failed}")

    def finish(self, summary: BatchSummary) -> None:
        pass

    def _line(self, text: str) -> None:
        print(text, file=self.stream, flush=True)


class RichProgress:
    """A live bar on the terminal."""

    def __init__(self, stream: TextIO):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
            TextColumn("{task.fields[rate]} docs/s"), TextColumn("ETA"), TimeRemainingColumn(),
            TextColumn("[red]{task.fields[failed]} failed"), console=Console(file=stream), transient=False)
        self.task = None
        self.failed = 0
        self.started = time.monotonic()

    def start(self, total: int, unchanged: int) -> None:
        self.started = time.monotonic()
        self.progress.start()
        if unchanged:
            self.progress.console.print(f"{unchanged} document(s) unchanged since the last run")
        self.task = self.progress.add_task("extract", total=total, failed=0, rate="-")

    def advance(self, outcome: Outcome) -> None:
        self.failed += outcome.status == "failed"
        done = self.progress.tasks[0].completed + 1
        rate = done / max(time.monotonic() - self.started, 1e-9)
        self.progress.update(self.task, advance=1, failed=self.failed, rate=f"{rate:.1f}")

    def finish(self, summary: BatchSummary) -> None:
        self.progress.stop()


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"


# ---------------------------------------------------------------- the summary


def summary_text(summary: BatchSummary, failures_shown: int = 20) -> str:
    """What happened: counts by status and issue code, slowest documents, failures and where all of them are."""
    ok, partial = summary.statuses["ok"], summary.statuses["partial"]
    lines = []
    if summary.codes:
        lines.append("issues: " + ", ".join(f"{code} {n}" for code, n in sorted(summary.codes.items(), key=lambda kv: (-kv[1], kv[0]))))
    for seconds, path in sorted(summary.slowest, reverse=True):
        lines.append(f"slow: {seconds:6.1f} s  {printable(path)}")
    for outcome in summary.failures[:failures_shown]:
        issue = next((i for i in outcome.issues if i.severity == "error"), outcome.issues[0] if outcome.issues else None)
        why = f"{issue.code}: {issue.message.splitlines()[0][:160]}" if issue else ""
        lines.append(f"failed: {printable(outcome.path)}: {why}")
    for issue in summary.path_issues[:failures_shown]:
        lines.append(f"skipped: {printable(issue.path)}: {issue.code}: {issue.message}")
    hidden = max(0, summary.failed - failures_shown) + max(0, len(summary.path_issues) - failures_shown)
    if summary.failed or summary.path_issues:
        more = f"{hidden} more not shown; " if hidden else ""
        lines.append(f"({more}every failure is in the store: documents with status 'failed', and table path_issues)")
    if summary.unsupported:
        lines.append(f"{summary.unsupported} file(s) in the folders are not plans (.txt .md .html .pdf) and were left alone")
    lines.append(f"{summary.extracted} extracted ({ok} ok, {partial} partial, {summary.failed} failed), "
                 f"{summary.unchanged} unchanged, {len(summary.path_issues)} path(s) skipped, in {_duration(summary.elapsed)}")
    return "\n".join(lines)

