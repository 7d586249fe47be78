"""OCR for pages with no text layer (the ``ocr`` extra: pytesseract + Debian's tesseract-ocr).

A scanned page is rendered, straightened (scans are rarely square to the
glass, and a 1° tilt moves a line's last word a whole line height), read by
Tesseract, and handed on as the same ``Word`` boxes a text layer gives, in PDF
points, so layout and table code run unchanged.  Ruling lines are found in the
straightened image (long runs of dark pixels) so scanned tables are read as
tables too.

pytesseract was chosen over OCRmyPDF by measurement: OCRmyPDF writes a new
PDF (Ghostscript, qpdf, a second parse) for the same Tesseract call, and its
text layer loses the line grouping that Tesseract reports directly.
"""
from __future__ import annotations

import functools
import os
import re
import shutil
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Optional, Sequence

from pipeline.readers.pdf_layout import Word

RESOLUTION = 300  # dpi when the scan's own resolution is unknown; Tesseract reads body text well at 200-300
MAX_PIXELS = 40_000_000  # a page image is never rendered bigger (A4 at 300 dpi is 8.7 Mpx, A1 at 150 dpi 19 Mpx)
MIN_RESOLUTION = 100  # dpi below which body text is unreadable: a page that would need less is refused, not OCR-ed
INSTALL = "install OCR with: apt-get install tesseract-ocr && pip install 'councilplans[ocr]'"
MIN_CONFIDENCE = 20
SUSPECT_NUMBER = re.compile(r"^[^\w\s]?\s?\d[\d,.]*\s?\S{0,3}$|^.{0,3}\d.{0,3}$")  # a short figure the page pass may have garbled
RULE_GLYPHS = {"|", "||", "|.", ".|", "[", "]", "!", "l|", "|l"}  # a ruling line read as text
# glyphs Tesseract reads a list bullet as, when alone at the start of a line
BULLET_MISREADS = {"¢", "©", "°", "«", "»", "*", "e", "o", "®", "•", "·", "-", "—", "=", "+", "¬"}


@functools.lru_cache(maxsize=1)
def available() -> bool:
    try:
        import pytesseract  # noqa: F401
    except ImportError:
        return False
    return shutil.which("tesseract") is not None


def install_hint() -> str:
    return INSTALL


@dataclass
class Scan:
    """A page image straightened for OCR, with the scale back to PDF points."""

    image: Any  # PIL greyscale image
    scale: float  # PDF points per pixel
    angle: float  # degrees the scan was turned back by

    @cached_property
    def pixels(self) -> Any:
        import numpy as np

        return np.asarray(self.image, dtype=np.uint8)

    @cached_property
    def paper(self) -> float:
        """The paper's grey level: scans are rarely white, so ink is judged against this."""
        import numpy as np

        return float(np.percentile(self.pixels, 75))

    def ink(self, contrast: float) -> Any:
        """Pixels at least ``contrast`` darker than the paper (a mask, made once per contrast)."""
        masks = self.__dict__.setdefault("_ink", {})
        if contrast not in masks:
            masks[contrast] = self.pixels < self.paper - contrast
        return masks[contrast]


def scan_resolution(page: Any) -> int:
    """The resolution the page was scanned at (rendering finer only costs OCR time), within 150-300 dpi."""
    widths = [img["srcsize"][0] / (float(img["x1"] - img["x0"]) / 72) for img in page.images if img.get("srcsize")]
    return int(min(300, max(150, max(widths)))) if widths else RESOLUTION


class PageTooLarge(ValueError):
    """A page whose image at a readable resolution would exceed ``MAX_PIXELS``."""


def capped_resolution(width_pt: float, height_pt: float, wanted: float) -> float:
    """``wanted`` dpi, lowered so the rendered page holds at most ``MAX_PIXELS`` pixels.

    Render size is capped by pixels, not by page points: a 10,000 pt poster page
    at 150 dpi would be 434 Mpx (1.3 GB as RGB) before OCR even starts.
    """
    pixels = (width_pt / 72 * wanted) * (height_pt / 72 * wanted)
    if pixels <= MAX_PIXELS:
        return wanted
    capped = wanted * (MAX_PIXELS / pixels) ** 0.5
    if capped < MIN_RESOLUTION:
        raise PageTooLarge(f"the page is {width_pt:.0f} x {height_pt:.0f} pt: at {wanted:.0f} dpi its image would be "
                           f"{pixels / 1e6:.0f} Mpx, and within the {MAX_PIXELS / 1e6:.0f} Mpx cap text would be too "
                           f"small to read ({capped:.0f} dpi); not OCR-ed")
    return capped


def page_scan(page: Any, resolution: Optional[int] = None) -> Scan:
    dpi = capped_resolution(float(page.width), float(page.height), resolution or scan_resolution(page))
    image = page.to_image(resolution=dpi).original.convert("L")
    angle = skew_angle(image)
    if abs(angle) >= 0.05:
        image = image.rotate(angle, resample=_bilinear(), fillcolor=255)
    return Scan(image, float(page.width) / image.width, angle)


def _bilinear() -> Any:
    from PIL import Image

    return Image.Resampling.BILINEAR


def skew_angle(image: Any, limit: float = 3.0, step: float = 0.05) -> float:
    """The rotation that makes text rows horizontal: the angle whose row profile is sharpest.

    Rows of text and blank leading alternate; turned square, the sum of ink per
    pixel row swings most (highest variance).  Done on a quarter-size image.
    """
    import numpy as np
    from PIL import Image

    small = image.resize((max(1, image.width // 4), max(1, image.height // 4)))
    ink = Image.fromarray(255 - np.asarray(small, dtype=np.uint8))
    best, best_angle = -1.0, 0.0
    for angle in np.arange(-limit, limit + step / 2, step):
        profile = np.asarray(ink.rotate(float(angle), resample=_bilinear()), dtype=np.float32).sum(axis=1)
        score = float(profile.var())
        if score > best:
            best, best_angle = score, float(angle)
    return round(best_angle, 2)


def scan_words(scan: Scan) -> list[Word]:
    """Tesseract's words on the whole page, in PDF points, grouped into Tesseract's own lines."""
    return tesseract_words(scan.image, scan.scale, psm=3, min_confidence=MIN_CONFIDENCE, mark_bullets=True)


def tesseract_words(image: Any, scale: float, psm: int, min_confidence: float, offset: tuple[int, int] = (0, 0),
                    mark_bullets: bool = False) -> list[Word]:
    """Tesseract's words in an image (placed at ``offset`` pixels in the page), as ``Word`` boxes in PDF points.

    Sizes come from the line's box (steadier than a word's); words under the
    confidence floor and ruling lines read as text are dropped; with
    ``mark_bullets`` a bullet misread at a line's start becomes "•".
    """
    import pytesseract

    # Tesseract's OpenMP threads fight each other (and a batch's workers): one thread is ~3x faster here
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    data = pytesseract.image_to_data(image, config=f"--psm {psm}", output_type=pytesseract.Output.DICT)
    line_height = {_line_key(data, i): data["height"][i] * scale for i, level in enumerate(data["level"]) if level == 4}
    words: list[Word] = []
    first_in_line: set[tuple] = set()
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        if not text or float(data["conf"][i]) < min_confidence or text in RULE_GLYPHS:
            continue
        key = _line_key(data, i)
        if mark_bullets and key not in first_in_line and text in BULLET_MISREADS and _more_in_line(data, i, key):
            text = "•"
        first_in_line.add(key)
        x, y = (offset[0] + data["left"][i]) * scale, (offset[1] + data["top"][i]) * scale
        w, h = data["width"][i] * scale, data["height"][i] * scale
        size = round(line_height.get(key, h) / 1.2 * 2) / 2
        words.append(Word(text, x, x + w, y, y + h, size=size, line=hash(key)))
    return words


def _line_key(data: dict, i: int) -> tuple:
    return (data["block_num"][i], data["par_num"][i], data["line_num"][i])


def _more_in_line(data: dict, i: int, key: tuple) -> bool:
    return any(_line_key(data, j) == key and (data["text"][j] or "").strip() for j in range(i + 1, min(i + 4, len(data["text"]))))


def page_words(page: Any) -> tuple[list[Word], Scan]:
    scan = page_scan(page)
    return scan_words(scan), scan


# ---------------------------------------------------------------- ruling lines in the image

def image_rules(scan: Scan, min_length_pt: float = 30.0) -> tuple[list[tuple], list[tuple]]:
    """Horizontal and vertical ruling lines, as (x0, top, x1, bottom) boxes in PDF points.

    A rule is a run of dark pixels at least ``min_length_pt`` long, one to a
    few pixels thick; text strokes are far shorter.
    """
    dark = scan.ink(50)
    min_run = int(min_length_pt / scan.scale)
    horizontal = _runs(dark, min_run)
    vertical = [(x0, y0, x1, y1) for (y0, x0, y1, x1) in _runs(dark.T, min_run)]
    s = scan.scale
    return ([(a * s, b * s, c * s, d * s) for a, b, c, d in _merge(horizontal)],
            [(a * s, b * s, c * s, d * s) for a, b, c, d in _merge_v(vertical)])


def _runs(mask: Any, min_run: int) -> list[tuple[int, int, int, int]]:
    """Runs of True along each row at least ``min_run`` long: (x0, y, x1, y+1)."""
    import numpy as np

    out = []
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    diff = np.diff(padded, axis=1)
    rows_with_ink = np.where(mask.sum(axis=1) >= min_run)[0]
    for y in rows_with_ink:
        starts = np.where(diff[y] == 1)[0]
        ends = np.where(diff[y] == -1)[0]
        for a, b in zip(starts, ends):
            if b - a >= min_run:
                out.append((int(a), int(y), int(b), int(y) + 1))
    return out


def _merge(runs: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Stack runs on neighbouring rows (a rule a few pixels thick) into one box."""
    boxes: list[list[int]] = []
    for x0, y0, x1, y1 in sorted(runs, key=lambda r: (r[1], r[0])):
        for box in reversed(boxes[-8:]):
            if y0 - box[3] <= 1 and x0 < box[2] and x1 > box[0]:
                box[0], box[2], box[3] = min(box[0], x0), max(box[2], x1), y1
                break
        else:
            boxes.append([x0, y0, x1, y1])
    out = []
    for b in boxes:
        if b[3] - b[1] <= 8:
            out.append(tuple(b))
        else:  # a filled band (a shaded header row): its edges are the rules
            out += [(b[0], b[1], b[2], b[1] + 1), (b[0], b[3] - 1, b[2], b[3])]
    return out


def _merge_v(runs: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    swapped = [(y0, x0, y1, x1) for (x0, y0, x1, y1) in runs]
    return [(x0, y0, x1, y1) for (y0, x0, y1, x1) in _merge(swapped)]


def bullet_marks(scan: Scan, words: list[Word]) -> list[tuple]:
    """Bullet dots left of where text starts: Tesseract drops small dots, the image still has them.

    Looks just left of each line or segment start for one small, roughly
    square, solid blob; a ruling line or a letter is too tall, too thin or too
    hollow to pass.  Returns boxes in PDF points, the form drawn bullets take.
    """
    import numpy as np

    from pipeline.readers.pdf_layout import group_lines, split_segments

    ink = scan.ink(60)
    s = scan.scale
    marks = []
    for line in group_lines(words):
        for seg in split_segments(line):
            size = seg.size
            middle = (seg.top + seg.bottom) / 2
            left, right = int((seg.x0 - 2.2 * size) / s), int((seg.x0 - 1) / s)
            top, bottom = int((middle - 0.45 * size) / s), int((middle + 0.45 * size) / s)
            if left < 0 or top < 0 or right <= left or bottom <= top:
                continue
            window = ink[top:bottom, left:right]
            ys, xs = np.nonzero(window)
            if len(xs) < 4:
                continue
            w, h = (xs.max() - xs.min() + 1) * s, (ys.max() - ys.min() + 1) * s
            fill = len(xs) / ((xs.max() - xs.min() + 1) * (ys.max() - ys.min() + 1))
            if 0.12 * size <= w <= 0.6 * size and 0.12 * size <= h <= 0.6 * size and max(w, h) / min(w, h) < 1.8 and fill > 0.45:
                x0, y0 = (left + xs.min()) * s, (top + ys.min()) * s
                marks.append((x0, y0, x0 + w, y0 + h))
    return marks


def find_tables(page: Any, words: list[Word], scan: Scan, marks: Sequence[tuple] = ()) -> list:
    """Tables on a scanned page, from the ruling lines found in its image."""
    from pipeline.readers.pdf_tables import find_tables as find

    horizontal, vertical = image_rules(scan)
    tables = find(page, words, marks, rules=(horizontal, vertical + frame_edges(horizontal, vertical)))
    for table in tables:
        table.header_rows = -1  # OCR words carry no weight or fill: let the shared header test decide
        for row in table.rows:
            for cell in row:
                if cell.span_of is None and (not cell.text or SUSPECT_NUMBER.match(cell.text)):
                    reread_cell(cell, scan)
                cell.text = fix_number(cell.text)
    return tables


def reread_cell(cell: Any, scan: Scan) -> None:
    """OCR one cell on its own: a page pass misses or garbles short figures alone in a ruled box."""
    from pipeline.readers.pdf_tables import cell_text

    inset = 4
    box = [v / scan.scale for v in cell.bbox]
    left, top, right, bottom = int(box[0]) + inset, int(box[1]) + inset, int(box[2]) - inset, int(box[3]) - inset
    if right - left < 8 or bottom - top < 8:
        return
    if int(scan.ink(80)[top:bottom, left:right].sum()) < 40:
        return  # no ink: the cell is empty
    words = tesseract_words(scan.image.crop((left, top, right, bottom)), scan.scale, psm=6, min_confidence=60, offset=(left, top))
    if words:
        cell.words = words
        cell.text = fix_number(cell_text(words, cell.bbox))


def fix_number(text: str) -> str:
    """A minus sign OCR read as a quote, equals or tilde in front of a figure."""
    return re.sub(r"^[“”\"=~—_]\s?(?=\d)", "-", text)


def frame_edges(horizontal: list[tuple], vertical: list[tuple]) -> list[tuple]:
    """A table border the scan lost, mirrored from the one it kept.

    A faint outer border is the first thing a scan loses.  Where horizontal
    rules start at a surviving vertical border and all end at the same x, the
    other border ran there over the same height.
    """
    out = []
    for v in vertical:
        x, top, bottom = (v[0] + v[2]) / 2, v[1], v[3]
        spanned = [h for h in horizontal if top - 3 <= h[1] <= bottom + 3]
        for side in (0, 2):
            starts = [h for h in spanned if abs(h[side] - x) <= 4]
            if len(starts) < 2:
                continue
            other = 2 - side
            ends = sorted(h[other] for h in starts)
            far = ends[-1] if side == 0 else ends[0]
            if sum(1 for e in ends if abs(e - far) <= 4) >= 2 and not any(
                abs((w[0] + w[2]) / 2 - far) <= 4 and w[1] <= top + 6 and w[3] >= bottom - 6 for w in vertical
            ):
                out.append((far - 0.5, top, far + 0.5, bottom))
    return out
