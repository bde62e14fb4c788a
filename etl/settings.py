"""Every path and setting in one place. Each can be overridden by an environment variable."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
CODEBOOK_DIR = PACKAGE_DIR / "codebook"
LANG_DIR = PACKAGE_DIR / "lang"
SAMPLES_DIR = PACKAGE_DIR / "samples"

WAREHOUSE_DIR = Path(os.environ.get("GEOEVENTS_WAREHOUSE_DIR", PROJECT_DIR / "warehouse"))

#: Languages the coder has dictionaries for; language detection chooses among these.
SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "id")

#: Longer runs of text without a sentence end are coded in pieces of at most this many characters:
#: news sentences are far shorter, and the cap bounds the coder's work on hostile input.
MAX_SENTENCE_CHARS = int(os.environ.get("GEOEVENTS_MAX_SENTENCE_CHARS", "2000"))
