"""An office scanner's page: 300 dpi black and white, CCITT Group 4, a slight skew.

Office multifunction scanners file paper as bilevel G4 images (a fraction
of the size of greyscale) placed on the page by img2pdf-like tools with no
text layer.  The page here is a one-page rendition rendered at 300 dpi,
turned by ``ANGLE`` degrees, thresholded to black and white and stored G4,
so the OCR path sees what such a scanner makes.
"""
from __future__ import annotations

import io
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SOURCE = ROOT / "corpus" / "renditions" / "clackmannanshire_2007-10_chief-executives-service-plan_libreoffice-rulefree.pdf"
OUT = ROOT / "corpus" / "pdf" / "clackmannanshire_2007-10_chief-executives-service-plan_scanned-office.pdf"
ANGLE = 0.7  # degrees: a sheet fed a little crooked
DPI = 300
THRESHOLD = 160  # grey level below which a pixel is ink


def office_scan(source: Path = SOURCE, out: Path = OUT) -> None:
    import img2pdf
    import pdfplumber
    from PIL import Image

    with pdfplumber.open(source) as pdf:
        if len(pdf.pages) != 1:
            raise ValueError(f"{source.name} has {len(pdf.pages)} pages; the office scan is of a one-page rendition")
        grey = pdf.pages[0].to_image(resolution=DPI).original.convert("L")
    grey = grey.rotate(ANGLE, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    bilevel = grey.point(lambda v: 255 if v >= THRESHOLD else 0, mode="1")
    tiff = io.BytesIO()
    bilevel.save(tiff, format="TIFF", compression="group4", dpi=(DPI, DPI))
    out.write_bytes(img2pdf.convert(tiff.getvalue()))
    print(f"{out.relative_to(ROOT)}  {out.stat().st_size // 1024} KB")


if __name__ == "__main__":
    office_scan()
