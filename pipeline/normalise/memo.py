"""A cache for pure functions of short texts: cells, headings, labels.

Every table reader and extractor parses the same cells and cleans the same
headings again (``classify``, ``clean`` and ``strip_footnote`` are called
tens of thousands of times for a few thousand distinct strings), and plans
repeat cells (``-``, ``0``, ``£000``) throughout.  Only short texts are kept,
so a whole page passed by mistake never sits in memory.
"""
from __future__ import annotations

from functools import wraps
from typing import Callable, TypeVar

T = TypeVar("T")

SHORT_TEXT = 400  # characters: a cell, a heading, a short paragraph
_MISSING = object()


def short_text_cache(maxsize: int = 1 << 15) -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    """Remember ``fn(text)`` for texts of at most ``SHORT_TEXT`` characters; ``fn`` must be pure
    and return something immutable (a str, a number, a frozen dataclass).

    A plain dict, emptied when full: a hit is one lookup (these functions are
    called a thousand times a document, and ``lru_cache`` behind a length check
    cost more than most of them), and which entries a full cache drops
    changes only the time, never an answer.
    """
    def decorate(fn: Callable[[str], T]) -> Callable[[str], T]:
        cache: dict[str, T] = {}
        get = cache.get

        @wraps(fn)
        def call(text: str) -> T:
            if len(text) > SHORT_TEXT:
                return fn(text)
            value = get(text, _MISSING)
            if value is _MISSING:
                if len(cache) >= maxsize:
                    cache.clear()
                value = cache[text] = fn(text)
            return value

        call.cache_clear = cache.clear  # type: ignore[attr-defined]
        return call
    return decorate
