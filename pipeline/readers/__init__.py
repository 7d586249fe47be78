"""Readers turn bytes into a ``Document``.  They know layout, not meaning."""
from __future__ import annotations

from pathlib import Path

from pipeline.document import Document
from pipeline.readers.errors import ReadError
from pipeline.readers.text import read_text

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".text"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED = TEXT_SUFFIXES | PDF_SUFFIXES


def read_document(path: Path, data: bytes) -> Document:
    """Pick the reader by content first (a PDF named .txt is still a PDF), then by suffix."""
    if data[:5] == b"%PDF-" or path.suffix.lower() in PDF_SUFFIXES:
        from pipeline.readers.pdf import read_pdf  # pdfplumber is only imported when needed

        return read_pdf(path.name, data)
    return read_text(path.name, data)


__all__ = ["ReadError", "read_document", "SUPPORTED"]
