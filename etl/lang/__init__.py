"""Reading the per-language dictionaries (see README.md in this folder for their format)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from etl.settings import CODEBOOK_DIR, LANG_DIR

#: The folder of what is the same in every language (people's names).
ALL_LANGUAGES = "xx"

#: Each table and its columns; the last column of every table is a free-text note.
TABLES: dict[str, tuple[str, ...]] = {
    "actors": ("phrase", "code", "from", "until", "note"),
    "people": ("phrase", "code", "from", "until", "note"),
    "agents": ("phrase", "role", "note"),
    "verbs": ("code", "pattern", "flags", "note"),
    "words": ("category", "word", "note"),
    "dates": ("category", "word", "value", "note"),
}


@dataclass(frozen=True, slots=True)
class Row:
    """One dictionary entry, with where it came from so errors can point at it."""

    file: str
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def table_path(lang: str, table: str) -> Path:
    return LANG_DIR / lang / f"{table}.tsv"


@cache
def read_table(lang: str, table: str) -> tuple[Row, ...]:
    """The rows of one dictionary file; an absent file is an empty table."""
    path = table_path(lang, table)
    if not path.exists():
        return ()
    columns = TABLES[table]
    rows = []
    with path.open(encoding="utf-8") as handle:
        header_seen = False
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if not header_seen:
                header_seen = True
                continue
            cells = [cell.strip() for cell in line.split("\t")]
            # Extra cells belong to the trailing note; missing cells are empty.
            if len(cells) > len(columns):
                cells = cells[: len(columns) - 1] + [" ".join(cells[len(columns) - 1 :])]
            values = dict(zip(columns, cells + [""] * (len(columns) - len(cells))))
            rows.append(Row(f"{path.parent.name}/{path.name}", number, values))
    return tuple(rows)


def languages() -> list[str]:
    """Language codes that have a dictionary folder (excluding the all-languages folder)."""
    return sorted(p.name for p in LANG_DIR.iterdir() if p.is_dir() and len(p.name) == 2 and p.name != ALL_LANGUAGES)


def dictionary_fingerprint() -> str:
    """A short hash of every dictionary and codebook file: it changes whenever the coder's knowledge does."""
    digest = hashlib.sha1()
    # tone.tsv is read by etl.tone, not the coder, and versioned by its TONE_VERSION.
    coder_files = [path for path in sorted(LANG_DIR.glob("*/*.tsv")) if path.name != "tone.tsv"]
    for path in coder_files + sorted(CODEBOOK_DIR.glob("*.tsv")):
        digest.update(f"{path.parent.name}/{path.name}".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]
