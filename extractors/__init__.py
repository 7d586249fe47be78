"""Extractors: one registered function per record type, ``fn(document, context) -> records``.

Register your own with ``@register("name", requires=(...))``.  ``requires``
names the extractors whose output yours reads (``"metadata"`` for the plan's
council and year, ``"services"`` for the units it names); ``pipeline.extract``
runs extractors in an order that honours every declaration, so a user's
extractor registered before the built-ins still sees what it asked for.  The
table reading (``ctx.tables``) is made before any extractor runs; the spaCy
annotations (``doc.nlp``) are ready for every extractor that requires another,
each block's made the first time it is asked for.

Each extractor carries a ``version``; the store's "already extracted" check
includes a hash of every registered extractor's name and version together with
the rule sources (``pipeline.version.rules_version``), so upgrading the rules
re-extracts.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from extractors.context import Context
from pipeline.errors import CouncilplansError
from pipeline.document import Document
from schemas import Record

ExtractorFn = Callable[[Document, Context], list[Record]]


@dataclass(frozen=True)
class Extractor:
    """A registered extractor: what it is called, what it reads, which version of its rules."""

    name: str
    fn: ExtractorFn
    requires: tuple[str, ...] = ()
    version: str = "1"

    def __call__(self, doc: Document, ctx: Context) -> list[Record]:
        return self.fn(doc, ctx)


EXTRACTORS: dict[str, Extractor] = {}


class ExtractorOrderError(CouncilplansError, ValueError):
    """Registered extractors require something missing, or each other in a cycle."""


def register(name: str, requires: tuple[str, ...] | list[str] = (), version: str = "1") -> Callable[[ExtractorFn], ExtractorFn]:
    """Register ``fn`` as extractor ``name``; it runs after every extractor named in ``requires``."""
    def decorate(fn: ExtractorFn) -> ExtractorFn:
        EXTRACTORS[name] = Extractor(name, fn, tuple(requires), str(version))
        return fn
    return decorate


def run_order(extractors: dict[str, Extractor] | None = None) -> list[Extractor]:
    """Extractors sorted so each comes after what it requires (registration order breaks ties)."""
    extractors = EXTRACTORS if extractors is None else extractors
    for ex in extractors.values():
        missing = [r for r in ex.requires if r not in extractors]
        if missing:
            raise ExtractorOrderError(f"extractor {ex.name!r} requires {', '.join(missing)}, which is not registered")
    done: list[Extractor] = []
    placed: set[str] = set()
    pending = list(extractors.values())
    while pending:
        ready = next((ex for ex in pending if all(r in placed for r in ex.requires)), None)
        if ready is None:
            raise ExtractorOrderError("extractors require each other in a cycle: " + ", ".join(ex.name for ex in pending))
        done.append(ready)
        placed.add(ready.name)
        pending.remove(ready)
    return done


_BUILTIN_LOADED = False


def load_builtin() -> dict[str, Extractor]:
    """Import the built-in extractors (each module registers itself); the import machinery runs once, not per document."""
    global _BUILTIN_LOADED
    if not _BUILTIN_LOADED:
        from extractors import metadata, services, objectives, budgets, targets, performance, workforce, risks  # noqa: F401

        _BUILTIN_LOADED = True
    return EXTRACTORS


__all__ = ["Context", "EXTRACTORS", "Extractor", "ExtractorOrderError", "register", "run_order", "load_builtin"]
