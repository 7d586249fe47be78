"""What the batch benchmarks share: corpora built from the bundled plans, and memory of a process tree.

Every figure a bench prints is measured in the same run as its baseline and
given as a ratio, so a loaded machine moves both sides together.
"""
from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the corpus builders live with the tests

import batchtools  # noqa: E402
from batchtools import plans  # noqa: E402

MB = 1024 * 1024


def text_plans(folder: Path, n: int) -> Path:
    """``n`` distinct small text plans (the text corpus, a distinct last line per copy)."""
    plans(folder, n)
    return folder


def pdf_plans(folder: Path, copies: int) -> Path:
    """The born-digital corpus PDFs, ``copies`` times each, each copy distinct."""
    batchtools.pdf_plans(folder, copies)
    return folder


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            kids.setdefault(ppid, []).append(int(entry))
    return kids


def tree(pid: int) -> dict[int, int]:
    """Resident bytes of ``pid`` and each of its descendants (shared pages counted in each: an upper bound)."""
    kids, sizes, stack = _children(), {}, [pid]
    page = os.sysconf("SC_PAGE_SIZE")
    while stack:
        p = stack.pop()
        try:
            sizes[p] = int(Path(f"/proc/{p}/statm").read_text().split()[1]) * page
        except OSError:
            pass
        stack.extend(kids.get(p, []))
    return sizes


def proportional(pid: int) -> int:
    """Proportional set size of ``pid``: its private pages plus its share of pages it shares with others.

    Workers are forks of one server and share its spaCy and register pages; summed
    RSS counts those once per process, summed PSS once in all (what the tree costs the machine).
    """
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_rss(pid: int) -> int:
    return sum(tree(pid).values())


def rss(pid: int) -> int:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class PeakWatcher:
    """Samples a process tree's RSS in a thread; ``peak`` is the highest sum seen, ``peak_pss`` the highest PSS sum."""

    def __init__(self, pid: int, interval: float = 0.2):
        self.pid, self.interval, self.peak, self.peak_pss = pid, interval, 0, 0
        self.at_peak: dict[int, int] = {}  # process -> resident bytes when the peak was seen
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            sizes = tree(self.pid)
            if sum(sizes.values()) > self.peak:
                self.peak, self.at_peak = sum(sizes.values()), sizes
            self.peak_pss = max(self.peak_pss, sum(proportional(p) for p in sizes))
            self._stop.wait(self.interval)

    def describe_peak(self) -> str:
        """The processes at the peak, biggest first: "pid name MB"."""
        parts = []
        for pid, size in sorted(self.at_peak.items(), key=lambda kv: -kv[1]):
            try:
                name = Path(f"/proc/{pid}/comm").read_text().strip()
            except OSError:
                name = "gone"
            parts.append(f"{pid} {name} {size / MB:.0f} MB")
        return "; ".join(parts)

    def __enter__(self) -> "PeakWatcher":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min) {five:.2f} (5 min) on {os.cpu_count()} cores"


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - started, out
