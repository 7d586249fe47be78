"""The version of the extraction rules, for the store's "already extracted" check.

A document is skipped on a re-run only when its bytes *and* the rules that
read them are unchanged.  The rules are the reader, normaliser and extractor
sources, the vocabularies under ``pipeline/data`` and every registered
extractor's name and declared version (so a user's own extractor counts too).
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import pipeline

_ROOT = Path(__file__).resolve().parent.parent
_RULE_SOURCES = ("extractors", "schemas", "pipeline/readers", "pipeline/normalise", "pipeline/data")
_RULE_FILES = ("pipeline/document.py", "pipeline/extract.py", "pipeline/nlp.py", "pipeline/councils.py")


@lru_cache(maxsize=1)
def _sources_digest() -> str:
    digest = hashlib.sha256()
    paths = [p for d in _RULE_SOURCES for p in sorted((_ROOT / d).rglob("*")) if p.suffix in (".py", ".csv")]
    paths += [_ROOT / f for f in _RULE_FILES]
    for path in paths:
        if path.is_file():
            digest.update(str(path.relative_to(_ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def rules_version() -> str:
    """``0.1.0+<12 hex>``: the package version plus a hash of the rules and the registered extractors."""
    from extractors import EXTRACTORS, load_builtin

    load_builtin()
    digest = hashlib.sha256(_sources_digest().encode())
    for ex in sorted(EXTRACTORS.values(), key=lambda e: e.name):
        digest.update(f"{ex.name}={ex.version};".encode())
    return f"{pipeline.__version__}+{digest.hexdigest()[:12]}"
