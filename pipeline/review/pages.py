"""PDF page images for the review site, rendered with pypdfium2 (pdfplumber's own renderer, without its overhead).

One WebP per page, named by page number inside a folder named by the
document's content hash, so an unchanged document's images are kept when the
site is rebuilt.  The page HTML loads them lazily: a few-hundred-page plan
costs only the pages looked at.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.review.settings import ReviewSettings


@dataclass
class PageImage:
    number: int
    file: Path
    width: int  # pixels
    height: int


def image_name(number: int) -> str:
    return f"p{number:04d}.webp"


def render_pages(data: bytes, folder: Path, settings: ReviewSettings) -> list[PageImage]:
    """Every page as an image in ``folder`` (pages already rendered there are kept)."""
    import pypdfium2 as pdfium

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    pdf = pdfium.PdfDocument(data)
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            width, height = page.get_size()
            size = (round(width * settings.image_scale), round(height * settings.image_scale))
            target = folder / image_name(index + 1)
            if not target.is_file():
                image = page.render(scale=settings.image_scale).to_pil()
                image.save(target, "WEBP", quality=settings.image_quality, method=2)
                size = image.size
            page.close()
            out.append(PageImage(index + 1, target, *size))
    finally:
        pdf.close()
    return out
