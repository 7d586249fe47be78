"""A cache for pure functions of short texts: cells, headings, labels.

Every table reader and extractor parses the same cells and cleans the same
headings again (``classify``, ``clean`` and ``strip_footnote`` are called
tens of thousands of times for a few thousand distinct strings), and plans
repeat cells (``-``, ``0``, ``£000``) throughout.  Only short texts are kept,
so a whole page passed by mistake never sits in memory.
"""
from __future__ import annotations

from functools import lru_cache, wraps
from typing import Callable, TypeVar

T = TypeVar("T")

SHORT_TEXT = 400  # characters: a cell, a heading, a short paragraph


def short_text_cache(maxsize: int = 1 << 15) -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    """Remember ``fn(text)`` for texts of at most ``SHORT_TEXT`` characters; ``fn`` must be pure
    and return something immutable (a str, a number, a frozen dataclass)."""
    def decorate(fn: Callable[[str], T]) -> Callable[[str], T]:
        cached = lru_cache(maxsize=maxsize)(fn)

        @wraps(fn)
        def call(text: str) -> T:
            return cached(text) if len(text) <= SHORT_TEXT else fn(text)

        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return call
    return decorate
