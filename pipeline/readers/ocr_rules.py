"""Ruling lines in a scanned page image → tables."""
from __future__ import annotations

from typing import Any, Sequence

from pipeline.readers.pdf_layout import Word


def ruled_tables(page: Any, words: Sequence[Word]) -> list:
    return []
