"""Refuse a page whose content would inflate past a sane size, before pdfminer inflates it all.

pdfminer inflates a FlateDecode content stream in one ``zlib.decompress``
call: a 2 MB "decompression bomb" becomes 2 GB in memory before a single
operator is read, and the worker dies at its memory limit with nothing said
about the page.  Here each content stream a page draws (its ``/Contents`` and
the form XObjects its resources name) is inflated in bounded steps first and
the page is refused with a coded ``pdf_page_error`` when one passes
``MAX_CONTENT_BYTES``.  Real pages are far below it: the heaviest vector map
in a council budget book is a few MB of operators.
"""
from __future__ import annotations

import zlib
from typing import Any, Iterator

from pipeline.readers.errors import ReadError

MAX_CONTENT_BYTES = 128 * 1024 * 1024
"""Bytes one content stream may inflate to (a flate bomb is refused past this)."""

CHUNK_BYTES = 8 * 1024 * 1024
"""Bytes inflated at a time while measuring a stream: the most the check itself holds."""


def check_page(page: Any, number: int) -> None:
    """Raise ``pdf_page_error`` when one of the page's content streams inflates past ``MAX_CONTENT_BYTES``."""
    for stream in _content_streams(page.page_obj):
        size = inflated_size(stream, MAX_CONTENT_BYTES)
        if size > MAX_CONTENT_BYTES:
            raise ReadError("pdf_page_error",
                            f"page {number}: a content stream inflates to more than {MAX_CONTENT_BYTES >> 20} MB "
                            "(a decompression bomb?); the page was not read")


def inflated_size(stream: Any, cap: int) -> int:
    """Bytes a Flate stream inflates to, counted up to just past ``cap`` (0 for other or undecodable streams)."""
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE

    raw = getattr(stream, "rawdata", None)
    if raw is None or not _first_filter_is(stream, LITERALS_FLATE_DECODE):
        return len(getattr(stream, "data", None) or b"")
    if stream.decipher:
        raw = stream.decipher(stream.objid, stream.genno, raw, stream.attrs)
    inflater, total = zlib.decompressobj(), 0
    try:
        chunk = inflater.decompress(raw, CHUNK_BYTES)
        while chunk and total <= cap:
            total += len(chunk)
            chunk = inflater.decompress(inflater.unconsumed_tail, CHUNK_BYTES)
    except zlib.error:
        return total  # pdfminer has its own answer for a corrupt stream
    return total


def _first_filter_is(stream: Any, names: Any) -> bool:
    try:
        filters = stream.get_filters()
    except Exception:  # a broken filter array: pdfminer reports it when it reads the page
        return False
    return bool(filters) and filters[0][0] in names


def _content_streams(page_obj: Any) -> Iterator[Any]:
    """The page's content streams and the form XObjects its resources name (one level: forms drawing forms are rare)."""
    from pdfminer.pdftypes import PDFStream, resolve1

    yield from (s for s in getattr(page_obj, "contents", []) or [] if isinstance(s, PDFStream))
    resources = resolve1(getattr(page_obj, "resources", None) or {})
    xobjects = resolve1(resources.get("XObject", {})) if isinstance(resources, dict) else {}
    for value in (xobjects.values() if isinstance(xobjects, dict) else []):
        obj = resolve1(value)
        if isinstance(obj, PDFStream) and _name(obj.attrs.get("Subtype")) == "Form":
            yield obj


def _name(value: Any) -> str:
    return getattr(value, "name", str(value))
