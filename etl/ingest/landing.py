"""Listing the files of the landing folder that are ready to be read."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

#: Name endings of files still being written by an editor, a browser or a copy tool.
TEMPORARY_SUFFIXES: tuple[str, ...] = ("~", ".part", ".tmp", ".crdownload")


@dataclass(frozen=True)
class LandingFile:
    """One file of the landing folder, as it was when listed."""

    path: Path
    #: The path relative to the landing folder, with "/" separators: the file's name in every table (bytes of
    #: the name that are not UTF-8 written as \\xNN).
    name: str
    size: int
    mtime_ns: int


def _skipped(name: str) -> bool:
    return name.startswith(".") or name.lower().endswith(TEMPORARY_SUFFIXES)


def _storable_name(name: str) -> str:
    """The name with bytes that are not UTF-8 (which Python keeps as lone surrogates, and no table can store)
    written as \\xNN escapes; the file itself is still read by its real path."""
    if name.isascii():
        return name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def list_landing_files(folder: Path) -> list[LandingFile]:
    """The regular files under folder, recursively, sorted by name; hidden and temporary files, folders that
    cannot be listed and symbolic links leading outside the folder are left out. A missing folder has none."""
    root = Path(folder)
    try:
        resolved_root = root.resolve(strict=True)
    except (OSError, RuntimeError):
        return []
    found: list[LandingFile] = []
    pending = [root]
    while pending:
        directory = pending.pop()
        try:
            with os.scandir(directory) as scan:
                entries = list(scan)
        except OSError:
            continue
        for entry in entries:
            if _skipped(entry.name):
                continue
            path = Path(entry.path)
            try:
                if entry.is_symlink():
                    target = path.resolve(strict=True)
                    if not target.is_relative_to(resolved_root) or target.is_dir():
                        # A folder link inside the landing folder is skipped too: its files are listed
                        # under their own names, and following it could loop.
                        continue
                    status = target.stat()
                elif entry.is_dir(follow_symlinks=False):
                    pending.append(path)
                    continue
                else:
                    status = entry.stat(follow_symlinks=False)
            except (OSError, RuntimeError):  # vanished since listed, dangling or looping link
                continue
            # Pipes, sockets and devices would block or never end when read.
            if stat.S_ISREG(status.st_mode):
                found.append(LandingFile(path, _storable_name(path.relative_to(root).as_posix()), status.st_size,
                                         status.st_mtime_ns))
    found.sort(key=lambda landing_file: landing_file.name)
    return found
