"""OCR for pages with no text layer (the ``ocr`` extra: pytesseract + Debian's tesseract-ocr).

Tesseract's word boxes are turned into the same ``Word`` objects the PDF
reader gets from a text layer, in PDF points, so layout and table code run
unchanged on scans.  Ruling lines are found in the page image (long runs of
dark pixels), which lets scanned tables be read as tables too.
"""
from __future__ import annotations

import functools
import shutil
from typing import Any, Sequence

from pipeline.readers.pdf_layout import Word

RESOLUTION = 300  # dpi for rendering a page before OCR; scans are rarely sharper than this
INSTALL = "install OCR with: apt-get install tesseract-ocr && pip install 'councilplans[ocr]'"


@functools.lru_cache(maxsize=1)
def available() -> bool:
    try:
        import pytesseract  # noqa: F401
    except ImportError:
        return False
    return shutil.which("tesseract") is not None


def install_hint() -> str:
    return INSTALL


def page_image(page: Any, resolution: int = RESOLUTION) -> Any:
    """The page as a greyscale PIL image."""
    return page.to_image(resolution=resolution).original.convert("L")


def page_words(page: Any) -> list[Word]:
    """Tesseract's words on a page, in PDF coordinates; low-confidence noise dropped."""
    import pytesseract

    image = page_image(page)
    scale = float(page.width) / image.width
    data = pytesseract.image_to_data(image, config="--psm 3", output_type=pytesseract.Output.DICT)
    line_height = {}
    for i, level in enumerate(data["level"]):
        if level == 4:  # a text line: its height is a steadier size measure than a word's
            line_height[(data["block_num"][i], data["par_num"][i], data["line_num"][i])] = data["height"][i] * scale
    words: list[Word] = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        if not text or float(data["conf"][i]) < 20:
            continue
        x, y, w, h = (data[k][i] * scale for k in ("left", "top", "width", "height"))
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        words.append(Word(text, x, x + w, y, y + h, size=round(line_height.get(key, h) / 1.15 * 2) / 2))
    return words


def find_tables(page: Any, words: Sequence[Word]) -> list:
    """Tables on a scanned page (ruled ones, from rules found in the image)."""
    from pipeline.readers.ocr_rules import ruled_tables

    return ruled_tables(page, words)
