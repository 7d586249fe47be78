"""Extractors: one registered function per record type, ``fn(document, context) -> records``.

Register your own with ``@register("name")``; ``pipeline.extract`` runs every
registered extractor in registration order, so later extractors can read
what earlier ones found (services first: budgets and objectives use them
for scope).
"""
from __future__ import annotations

from typing import Callable

from extractors.context import Context
from pipeline.document import Document
from schemas import Record

ExtractorFn = Callable[[Document, Context], list[Record]]
EXTRACTORS: dict[str, ExtractorFn] = {}


def register(name: str) -> Callable[[ExtractorFn], ExtractorFn]:
    def decorate(fn: ExtractorFn) -> ExtractorFn:
        EXTRACTORS[name] = fn
        return fn
    return decorate


def load_builtin() -> dict[str, ExtractorFn]:
    """Import the built-in extractors (each module registers itself)."""
    from extractors import metadata, services, objectives, budgets, targets, performance, workforce, risks  # noqa: F401

    return EXTRACTORS


__all__ = ["Context", "EXTRACTORS", "register", "load_builtin"]
