"""Sentence splitting and tokenisation, shared by every language."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Acronyms with dots ("U.S."), words with inner hyphens/apostrophes ("negara-negara", "Russia's"),
# and any other single non-space character.
_TOKEN_RE = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_]+(?:[-'’][^\W_]+)*|\S")
_POSSESSIVE_RE = re.compile(r"['’]s?$")
# "Saudi-led coalition", "Iran-backed Houthis": the first part names the actor.
_COMPOUND_SUFFIX_RE = re.compile(r"-(?:led|backed|based|born|run|owned|sponsored|allied|aligned|linked|made)$")
# Only from the start of a run of stops, and without giving characters back: otherwise a long run of
# "." or "!" not followed by a space is retried from each of its characters (quadratic time).
_BOUNDARY_RE = re.compile(r"(?<![.!?])[.!?]++[\"”’)\]]*+\s+")
_LINE_RE = re.compile(r"[^\n]+")

# Words whose trailing period does not end a sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen lt col maj capt sgt cmdr adm sen rep gov st jr sr no vs etc inc ltd corp co "
    "jan feb mar apr jun jul aug sep sept oct nov dec bpk ir drs hj kh tn ny sdr".split()
)


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


def split_sentences(text: str, max_chars: int | None = None) -> list[Sentence]:
    """Split a document into sentences with their character offsets in the document.

    A run of text longer than `max_chars` with no sentence end is cut at spaces into pieces of at most
    that length, so nothing is dropped and no piece is unboundedly long.
    """
    spans: list[tuple[int, int]] = []
    for line in _LINE_RE.finditer(text):
        start = line.start()
        for boundary in _BOUNDARY_RE.finditer(text, line.start(), line.end()):
            cut = boundary.start()
            if not _ends_sentence(text, start, cut, boundary.end(), line.end()):
                continue
            spans.append((start, boundary.end()))
            start = boundary.end()
        spans.append((start, line.end()))
    if max_chars:
        spans = [piece for span in spans for piece in _cut(text, span, max_chars)]
    sentences = []
    for start, end in spans:
        chunk = text[start:end]
        stripped = chunk.strip()
        if not stripped or not any(ch.isalnum() for ch in stripped):
            continue
        lead = len(chunk) - len(chunk.lstrip())
        begin = start + lead
        sentences.append(Sentence(len(sentences), begin, begin + len(stripped), stripped))
    return sentences


def _cut(text: str, span: tuple[int, int], max_chars: int) -> list[tuple[int, int]]:
    start, end = span
    pieces = []
    while end - start > max_chars:
        cut = text.rfind(" ", start + max_chars // 2, start + max_chars)
        cut = cut if cut > start else start + max_chars
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def _ends_sentence(text: str, start: int, cut: int, after: int, line_end: int) -> bool:
    if text[cut] == ".":
        word_start = cut
        while word_start > start and not text[word_start - 1].isspace():
            word_start -= 1
        word = text[word_start:cut].strip("(\"“'").lower()
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or re.fullmatch(r"(?:[a-z]\.)+[a-z]", word):
            return False
    if after >= line_end:
        return True
    following = text[after]
    return following.isupper() or following.isdigit() or following in "\"“'‘(["


@dataclass(slots=True)
class Tokens:
    """Parallel lists describing the tokens of one sentence (faster than one object per token)."""

    surface: list[str]
    lower: list[str]
    key: list[str]  # lower case without a possessive "'s", used for dictionary look-ups
    start: list[int]
    end: list[int]

    def __len__(self) -> int:
        return len(self.surface)


def tokenize(text: str) -> Tokens:
    surface, lower, key, start, end = [], [], [], [], []
    for match in _TOKEN_RE.finditer(text):
        word = match.group()
        low = word.lower()
        surface.append(word)
        lower.append(low)
        bare = _POSSESSIVE_RE.sub("", low) if ("'" in low or "’" in low) and len(low) > 2 else low
        key.append(_COMPOUND_SUFFIX_RE.sub("", bare) if "-" in bare else bare)
        start.append(match.start())
        end.append(match.end())
    return Tokens(surface, lower, key, start, end)


def phrase_words(phrase: str) -> list[str]:
    """Split a dictionary phrase into words exactly as text is tokenised."""
    return [match.group() for match in _TOKEN_RE.finditer(phrase)]


def strip_possessive(word: str) -> str:
    return _POSSESSIVE_RE.sub("", word) if ("'" in word or "’" in word) and len(word) > 2 else word
