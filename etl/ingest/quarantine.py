"""Keeping a copy of the bytes that could not be read, named by their hash so that keeping them twice is harmless."""

from __future__ import annotations

import hashlib
import os
import re
import threading
from pathlib import Path

_UNSAFE_RE = re.compile(r"[^A-Za-z0-9._-]")
_CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in chunks (files may be larger than memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def safe_name(name: str) -> str:
    """A landing file's name made safe as part of a file name: [A-Za-z0-9._-] only, at most 100 characters."""
    return _UNSAFE_RE.sub("_", name)[:100]


def kept_name(name: str, sha256: str, line: int | None = None) -> str:
    """Where the bytes of a file (line None) or of one of its lines/list items are kept, relative to the folder."""
    kept = f"{sha256[:16]}-{safe_name(name)}"
    return kept if line is None else f"{kept}.line{line}"


def _temporary(target: Path) -> Path:
    # Hidden, and unique per process and thread, so concurrent writers never share a half-written file.
    return target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")


def keep_bytes(folder: Path, relative: str, data: bytes) -> None:
    """Write data to folder/relative unless the same bytes are already there; atomic, so never half-written."""
    target = folder / relative
    if target.is_file() and target.stat().st_size == len(data):
        return  # the name holds the bytes' hash: same name and size means the same bytes
    folder.mkdir(parents=True, exist_ok=True)
    temporary = _temporary(target)
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)



def keep_copy(folder: Path, relative: str, data: bytes, reason: str) -> tuple[str | None, str]:
    """Keep quarantined bytes: (kept_as, reason), kept_as None and the reason extended if they cannot be."""
    try:
        keep_bytes(folder, relative, data)
    except OSError as error:
        return None, f"{reason} (copy not kept: {error})"
    return relative, reason
