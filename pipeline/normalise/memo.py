"""A cache for pure functions of short texts: cells, headings, labels.

Every table reader and extractor parses the same cells and cleans the same
headings again (``classify``, ``clean`` and ``strip_footnote`` are called
tens of thousands of times for a few thousand distinct strings), and plans
repeat cells (``-``, ``0``, ``£000``) throughout.  Only short texts are kept,
so a whole page passed by mistake never sits in memory.
"""
from __future__ import annotations

from functools import partial, update_wrapper
from typing import Callable, TypeVar

T = TypeVar("T")

SHORT_TEXT = 400  # characters: a cell, a heading, a short paragraph


def short_text_cache(maxsize: int = 1 << 15) -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    """Remember ``fn(text)`` for texts of at most ``SHORT_TEXT`` characters; ``fn`` must be pure
    and return something immutable (a str, a number, a frozen dataclass).

    A plain dict, emptied when full: a hit is one lookup (these functions are
    called a thousand times a document, and ``lru_cache`` behind a length check
    cost more than most of them), and which entries a full cache drops
    changes only the time, never an answer.  The function returned is the
    dict's ``__getitem__`` bound by ``functools.partial`` (both in C), so a hit
    runs no Python line at all; a long text is looked up, missed and not kept.
    """
    def decorate(fn: Callable[[str], T]) -> Callable[[str], T]:
        cache = _ShortTextCache(fn, maxsize)
        # the dict's own look-up is the call: a hit runs no Python code (a wrapper function's
        # frame and length check cost more than the look-up); a miss comes to ``__missing__``
        call = partial(_ShortTextCache.__getitem__, cache)
        update_wrapper(call, fn)
        call.cache_clear = cache.clear  # type: ignore[attr-defined]
        call.__reduce_ex__ = lambda protocol: fn.__qualname__  # pickled by name, as the function it stands for
        return call  # type: ignore[return-value]
    return decorate


class _ShortTextCache(dict):
    """``fn``'s answers by text; a text not yet asked is computed by ``__missing__`` and kept if short."""

    def __init__(self, fn: Callable[[str], T], maxsize: int) -> None:
        super().__init__()
        self.fn, self.maxsize = fn, maxsize

    def __missing__(self, text: str):
        value = self.fn(text)
        if len(text) <= SHORT_TEXT:
            if len(self) >= self.maxsize:
                self.clear()
            self[text] = value
        return value
