"""The review site's tuning knobs, in one place."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReviewSettings:
    # records below this confidence are flagged "low confidence" (extractors give 0.6-0.8 to guesses)
    low_confidence: float = 0.75
    # keys in a record's ``extra`` that list the consistency checks it failed (e.g. ["total_mismatch"])
    check_keys: tuple[str, ...] = ("checks_failed", "check_failed", "checks")
    # page images: pixels per PDF point (1.5 = 108 dpi, readable, ~50-120 KB a page as WebP)
    image_scale: float = 1.5
    image_quality: int = 60
    # a record covering less than this share of its table cell or paragraph is boxed at its own words
    refine_below: float = 0.8
    # locating a record's words on an OCR'd page (see layout.locate)
    ocr_resolution: int = 150
    ocr_min_confidence: float = 30
    locate_token_ratio: float = 80  # rapidfuzz ratio at which two tokens count as the same word
    locate_min_share: float = 0.6  # share of the snippet's tokens that must be found in order
    locate_max_tokens: int = 40  # long snippets are matched on their first words
    locate_unordered_tokens: int = 8  # snippets this short may be found out of order (table rows OCR read by column)
