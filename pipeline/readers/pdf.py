"""PDF reader (pdfplumber).  Minimal for now: page text as paragraphs with page numbers."""
from __future__ import annotations

import io

from pipeline.document import Document
from pipeline.readers.errors import ReadError
from pipeline.readers.text import blocks_from_lines


def read_pdf(source: str, data: bytes) -> Document:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PDFSyntaxError as exc:
        raise ReadError("pdf_unreadable", f"not a readable PDF ({exc})") from exc
    except Exception as exc:  # pdfminer raises many types for broken files
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in name:
            raise ReadError("pdf_encrypted", "the PDF is encrypted; decrypt it (e.g. qpdf --decrypt) and retry") from exc
        raise ReadError("pdf_unreadable", f"the PDF could not be opened ({name}: {exc})") from exc
    text_parts: list[str] = []
    page_starts: list[tuple[int, int]] = []
    issues: list[tuple[str, str]] = []
    offset = 0
    with pdf:
        if not pdf.pages:
            raise ReadError("pdf_no_pages", "the PDF has no pages")
        for number, page in enumerate(pdf.pages, start=1):
            try:
                page_text = page.extract_text() or ""
            except Exception as exc:  # one bad page must not sink the document
                issues.append(("pdf_page_error", f"page {number}: {type(exc).__name__}: {exc}"))
                page_text = ""
            if not page_text.strip():
                issues.append(("no_text_layer", f"page {number} has no text layer; install the 'ocr' extra to read scans"))
            page_starts.append((offset, number))
            text_parts.append(page_text + "\n\n")
            offset += len(page_text) + 2
    text = "".join(text_parts)
    if not text.strip():
        raise ReadError("no_text_layer", "no page has a text layer (a scan?); OCR support is not installed")
    blocks = blocks_from_lines(text)
    for block in blocks:
        block.page = max((n for s, n in page_starts if s <= block.start), default=1)
    doc = Document(source=source, text=text, blocks=blocks, pages=len(page_starts))
    doc.issues.extend(issues)
    return doc
