"""Find source files, hash them and attach manifest metadata."""
from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from pipeline.errors import InputError
from pipeline.readers import SUPPORTED


@dataclass
class Source:
    path: Path
    sha256: str = ""
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name


class ManifestError(InputError):
    """The manifest CSV is missing or has no ``file`` column."""


def load_manifest(path: Optional[Path]) -> dict[str, dict[str, str]]:
    """Manifest rows keyed by file basename (columns: file, council, council_code, financial_year, notes)."""
    if path is None:
        return {}
    if not path.exists():
        raise ManifestError(f"manifest {path} does not exist")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "file" not in reader.fieldnames:
            raise ManifestError(f"manifest {path} needs a 'file' column (found: {reader.fieldnames})")
        return {Path(row["file"]).name: {k: (v or "").strip() for k, v in row.items() if k} for row in reader}


def find_sources(paths: Iterable[Path], manifest: dict[str, dict[str, str]] | None = None) -> list[Source]:
    """Files named directly (any suffix) and supported files found under folders, in a stable order."""
    manifest = manifest or {}
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED and not _housekeeping(p)))
        else:
            found.append(path)
    seen, out = set(), []
    for path in found:
        key = path.resolve()
        if key in seen:
            continue
        seen.add(key)
        out.append(Source(path=path, meta=manifest.get(path.name, {})))
    return out


def _housekeeping(path: Path) -> bool:
    """README/LICENSE files inside a corpus folder describe it; they are not plans (name one directly to extract it)."""
    return path.stem.upper() in {"README", "LICENSE", "LICENCE", "CHANGELOG", "NOTES"}


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
