"""Find source files, hash them and attach manifest metadata.

Walking a folder never raises and never loops: an unreadable folder or file,
a symlink loop, a dangling link, a FIFO, socket or device, a file that
vanishes mid-walk — each becomes a ``PathIssue`` with a code and the batch
goes on.  Nothing here opens a file that is not a regular file (opening a
FIFO blocks until someone writes to it).

Paths are recorded absolute, in a printable form: a name that is not valid
UTF-8 keeps its bytes as ``\\xff`` escapes, so every database accepts it and
re-running from another directory finds the same document.
"""
from __future__ import annotations

import csv
import errno
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Optional

from pipeline.errors import InputError
from pipeline.readers import SUPPORTED

CHUNK = 1 << 20  # bytes read at a time while hashing: big files never sit whole in the main process


@dataclass(slots=True)  # a batch holds one per document until it is extracted
class Source:
    path: Path  # where the bytes are read from
    sha256: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    label: str = ""  # the path the store records (the first of byte-identical copies); default: this path
    names: tuple[str, ...] = ()  # every path found with these bytes

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        self.label = self.label or display_path(self.path)

    @property
    def name(self) -> str:
        return Path(self.label).name


@dataclass(frozen=True)
class PathIssue:
    """A path that is not a document: what it is and why it was skipped."""

    path: str
    code: str
    message: str


@dataclass
class Found:
    """What a walk found: files to read, paths skipped with a reason, and files of other types."""

    files: list[Path] = field(default_factory=list)
    issues: list[PathIssue] = field(default_factory=list)
    unsupported: int = 0  # regular files whose suffix is not a plan's (.docx, .xls, ...)


class ManifestError(InputError):
    """The manifest CSV is missing or has no ``file`` column."""


class NotARegularFile(OSError):
    """A FIFO, socket, device or folder where a document's bytes were expected."""


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


# ---------------------------------------------------------------- paths as text


def display_path(path: Path | str) -> str:
    """The absolute path as text any database stores: undecodable bytes become ``\\xNN``."""
    return os.fsencode(os.path.abspath(path)).decode("utf-8", "backslashreplace")


def printable(text: str) -> str:
    """A path for one line of terminal output: newlines and other control characters escaped."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


# ---------------------------------------------------------------- walking


def walk(paths: Iterable[Path]) -> Found:
    """Files named directly (any suffix) and supported files under folders, in a stable order; the rest reported."""
    found = Found()
    seen: set[str] = set()
    for path in paths:
        for file in _files_under(Path(path), found, named=True):
            key = os.path.realpath(file)
            if key not in seen:  # the same file reached twice (a link, a folder named twice) is one path
                seen.add(key)
                found.files.append(file)
    return found


def _files_under(path: Path, found: Found, named: bool) -> Iterator[Path]:
    kind, info = _kind(path)
    if kind == "file":
        if named or (path.suffix.lower() in SUPPORTED and not _housekeeping(path)):
            yield path
        else:
            found.unsupported += 1
    elif kind == "dir":
        yield from _walk_folder(path, info, found)
    else:
        found.issues.append(PathIssue(display_path(path), kind, info))


def _walk_folder(top: Path, top_stat: os.stat_result, found: Found) -> Iterator[Path]:
    """Depth-first, names sorted by their bytes, each folder once (a link back up the tree is a loop, reported)."""
    stack: list[tuple[Path, tuple[tuple[int, int], ...]]] = [(top, ((top_stat.st_dev, top_stat.st_ino),))]
    visited = {(top_stat.st_dev, top_stat.st_ino)}
    while stack:
        folder, ancestors = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: os.fsencode(e.name))
        except OSError as exc:
            found.issues.append(PathIssue(display_path(folder), "unreadable_folder", f"cannot list the folder: {_reason(exc)}"))
            continue
        subfolders = []
        for entry in entries:
            path = Path(entry.path)
            kind, info = _kind(path)
            if kind == "dir":
                key = (info.st_dev, info.st_ino)
                if key in ancestors:
                    found.issues.append(PathIssue(display_path(path), "symlink_loop", "a link back to a folder that contains it; not followed"))
                elif key not in visited:  # a second link to a folder already walked adds nothing
                    visited.add(key)
                    subfolders.append((path, ancestors + (key,)))
            elif kind == "file":
                yield from _files_under(path, found, named=False)
            else:
                found.issues.append(PathIssue(display_path(path), kind, info))
        stack.extend(reversed(subfolders))


def _kind(path: Path) -> tuple[str, object]:
    """("file" | "dir", stat) or (issue code, message) for anything else."""
    try:
        st = os.stat(path)  # follows links
    except OSError as exc:
        return _stat_failure(path, exc)
    if stat.S_ISDIR(st.st_mode):
        return "dir", st
    if stat.S_ISREG(st.st_mode):
        return "file", st
    return "not_a_file", f"a {_type_name(st.st_mode)}, not a file; not opened"


def _stat_failure(path: Path, exc: OSError) -> tuple[str, str]:
    if exc.errno == errno.ELOOP:
        return "symlink_loop", "a symbolic link that leads back to itself"
    if exc.errno == errno.ENOENT:
        if os.path.islink(path):
            return "dangling_link", f"a symbolic link to {os.readlink(path)!r}, which does not exist"
        return "missing", "no such file or folder (it vanished while the folder was read?)"
    return "unreadable_path", _reason(exc)


def _type_name(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "FIFO (named pipe)"), (stat.S_ISSOCK, "socket"),
                       (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device")):
        if test(mode):
            return name
    return "special file"


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _housekeeping(path: Path) -> bool:
    """README/LICENSE files inside a corpus folder describe it; they are not plans (name one directly to extract it)."""
    return path.stem.upper() in {"README", "LICENSE", "LICENCE", "CHANGELOG", "NOTES"}


def find_sources(paths: Iterable[Path], manifest: dict[str, dict[str, str]] | None = None) -> list[Source]:
    """Sources for every file a walk finds (paths it skips are dropped; ``walk`` reports them)."""
    manifest = manifest or {}
    return [Source(path=p, meta=manifest.get(p.name, {})) for p in walk(paths).files]


# ---------------------------------------------------------------- reading and hashing


def _open_regular(path: Path) -> int:
    """A descriptor for a regular file; a FIFO is opened non-blocking and refused, never waited on."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise NotARegularFile(errno.EINVAL, f"a {_type_name(st.st_mode)}, not a file", str(path))
    return fd


def read_file(path: Path) -> bytes:
    """All of a regular file's bytes (raises ``OSError``; ``NotARegularFile`` for FIFOs and devices)."""
    fd = _open_regular(path)
    with os.fdopen(fd, "rb") as fh:
        return fh.read()


def hash_file(path: Path) -> str:
    """The file's content key, read in chunks (raises ``OSError`` like ``read_file``)."""
    fd = _open_regular(path)
    digest = hashlib.sha256()
    size = 0
    with os.fdopen(fd, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest() if size else empty_key(path)


def content_key(data: bytes, path: Path) -> str:
    """SHA-256 of the bytes; empty files are keyed by their path (else every empty file would be one document)."""
    return sha256_bytes(data) if data else empty_key(path)


def empty_key(path: Path) -> str:
    return sha256_bytes(b"empty file\0" + os.fsencode(os.path.abspath(path)))


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def unreadable(path: Path, exc: OSError) -> PathIssue:
    """The path issue for a file that could not be opened or read."""
    if isinstance(exc, NotARegularFile):
        return PathIssue(display_path(path), "not_a_file", f"{exc.strerror}; not opened")
    if exc.errno == errno.ENOENT:
        return PathIssue(display_path(path), "missing", "the file vanished before it could be read")
    return PathIssue(display_path(path), "unreadable_file", f"cannot read the file: {_reason(exc)}")
