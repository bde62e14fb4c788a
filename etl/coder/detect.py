"""Telling the language of a text from its most common function words (`common` in words.tsv)."""

from __future__ import annotations

import re

from etl.coder.dictionary import load_language
from etl.settings import SUPPORTED_LANGUAGES

_WORD_RE = re.compile(r"[^\W\d_]+")


def detect_language(text: str, candidates: tuple[str, ...] = SUPPORTED_LANGUAGES) -> str:
    """The candidate language whose common words cover most of the text's words (first one on a tie)."""
    words = _WORD_RE.findall(text[:5000].lower())
    if not words:
        return candidates[0]
    scores = {}
    for lang in candidates:
        common = load_language(lang).word_set("common")
        scores[lang] = sum(word in common for word in words)
    return max(candidates, key=lambda lang: scores[lang])
