"""Document tone on GDELT's AvgTone scale, for English and Indonesian.

GDELT's tone is (positive words - negative words) / all words * 100: a percentage from -100 to +100 whose
common values run from about -10 to +10. This module computes the same from a word lexicon per language:

* English: VADER's lexicon (package ``nltk-vader-sentiment``, bundled as data, nothing downloaded) with the
  news supplement ``etl/lang/en/tone.tsv`` laid over it (news words VADER lacks, and VADER words that carry
  no tone in news set to 0). Only VADER's word valences are used, not its compound score, which is a
  squashed sentence score on another scale.
* Indonesian: our own lexicon ``etl/lang/id/tone.tsv``, with affixed words reduced to their root by
  simplemma when the word itself is not listed.

Scale. Lexicon values are on VADER's -4..+4 scale. A word counts towards the positive or negative share
with weight ``min(|value|, 2) / 2``: a word of clear tone (|value| >= 2) counts as one whole word, as in
GDELT's counts, and a mildly toned one as part of a word. A phrase of the lexicon (up to four words,
"gencatan senjata", "air strike") counts once. A negator within the three words before a toned word, in the
same clause, flips it and dampens it by ``NEGATION_FACTOR``: "not peaceful", "tidak damai",
"tanpa kekerasan", "no one was injured". ``positive`` and ``negative`` are these weighted counts as a
percentage of all words, ``tone = positive - negative`` and ``polarity = positive + negative``, so tone is
bounded by -100..+100. Words are runs of letters (with inner hyphens and apostrophes); numbers and
punctuation are not words.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from itertools import compress
from pathlib import Path

import polars as pl
import simplemma

from etl.settings import LANG_DIR

#: Languages with a tone lexicon.
TONE_LANGUAGES: tuple[str, ...] = ("en", "id")
#: The lexicon file of each language (English: a supplement laid over VADER's lexicon).
LEXICON_FILES: dict[str, Path] = {lang: LANG_DIR / lang / "tone.tsv" for lang in TONE_LANGUAGES}
#: Bump when the scoring rules below change (the lexicon files and libraries are hashed on their own).
ALGORITHM_REVISION = "1"

#: A lexicon value of this size or more counts as one whole toned word.
FULL_WEIGHT_AT = 2.0
#: A negated word's value is multiplied by this: flipped and dampened.
NEGATION_FACTOR = -0.75
#: How many words before a toned word a negator may stand.
NEGATION_WINDOW = 3
#: Longest phrase (in words) a lexicon may hold.
MAX_PHRASE_WORDS = 4

NEGATORS: dict[str, frozenset[str]] = {
    "en": frozenset({"not", "no", "never", "without", "nor", "neither", "cannot", "nobody", "none", "nothing",
                     "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "won't", "wouldn't",
                     "can't", "couldn't", "shouldn't", "hasn't", "haven't", "hadn't", "mustn't", "needn't", "ain't"}),
    "id": frozenset({"tidak", "tak", "bukan", "belum", "tanpa", "tiada", "jangan", "enggan", "gak", "nggak",
                     "ndak", "tidaklah", "bukanlah", "belumlah"}),
}
#: Words right after a negator that make it no negation: "not only", "tidak hanya".
NEGATION_EXCEPTIONS: dict[str, frozenset[str]] = {
    "en": frozenset({"only", "just", "merely", "least", "doubt"}),
    "id": frozenset({"hanya", "cuma", "saja", "sekadar", "sekedar", "lama", "sedikit"}),
}

_WORD = r"[^\W\d_]+(?:['\-][^\W\d_]+)*"
#: Words, and the punctuation marks that end a negation's scope.
TOKEN_RE = re.compile(rf"{_WORD}|[.,;:!?()\"]")
WORD_RE = re.compile(_WORD)
_BOUNDARY = frozenset(".,;:!?()\"")
_CACHE_LIMIT = 500_000


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


def _fingerprint() -> str:
    digest = hashlib.sha1()
    digest.update(f"algorithm {ALGORITHM_REVISION}\n".encode())
    for lang, path in sorted(LEXICON_FILES.items()):
        digest.update(f"{lang}\n".encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    for package in ("nltk-vader-sentiment", "simplemma"):
        digest.update(f"{package} {_package_version(package)}\n".encode())
    return digest.hexdigest()[:12]


#: Changes whenever a lexicon file, the VADER or simplemma version or the scoring rules change.
TONE_VERSION: str = f"tone-{_fingerprint()}"


@dataclass(frozen=True)
class Tone:
    """A document's tone on GDELT's scale (all but word_count are percentages of the document's words)."""

    tone: float
    positive: float
    negative: float
    polarity: float
    word_count: int


@dataclass(frozen=True)
class LexiconEntry:
    word: str
    polarity: float
    note: str
    line: int


def read_lexicon_file(path: Path) -> list[LexiconEntry]:
    """The rows of a tone.tsv file (comments, blank lines and the header skipped). Raises ValueError."""
    entries = []
    header_seen = False
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = raw.split("\t")
        if not header_seen:
            if [cell.strip() for cell in cells[:3]] != ["word", "polarity", "note"]:
                raise ValueError(f"{path}:{number}: header must be word<TAB>polarity<TAB>note")
            header_seen = True
            continue
        if len(cells) < 2:
            raise ValueError(f"{path}:{number}: expected word<TAB>polarity<TAB>note")
        try:
            value = float(cells[1])
        except ValueError:
            raise ValueError(f"{path}:{number}: polarity {cells[1]!r} is not a number") from None
        entries.append(LexiconEntry(" ".join(cells[0].split()), value, "\t".join(cells[2:]).strip(), number))
    return entries


def _vader_lexicon() -> dict[str, float]:
    """VADER's single-word entries (with the package's curated corrections) that our tokenizer can produce."""
    try:
        from vader import SentimentIntensityAnalyzer
    except ImportError as error:  # pragma: no cover - the package is a declared dependency
        raise ImportError("English tone needs the package nltk-vader-sentiment (VADER's lexicon): "
                          "pip install nltk-vader-sentiment==1.0.0") from error

    lexicon = SentimentIntensityAnalyzer().lexicon
    return {word: float(value) for word, value in lexicon.items() if WORD_RE.fullmatch(word)}


class _Scorer:
    """One language's lexicon, phrases, negators and a cache of resolved word forms."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        words: dict[str, float] = _vader_lexicon() if lang == "en" else {}
        phrases: dict[str, list[tuple[tuple[str, ...], float]]] = {}
        for entry in read_lexicon_file(LEXICON_FILES[lang]):
            parts = tuple(entry.word.lower().split())
            if len(parts) == 1:
                words[parts[0]] = entry.polarity
            else:
                phrases.setdefault(parts[0], []).append((parts[1:], entry.polarity))
        for candidates in phrases.values():
            candidates.sort(key=lambda item: -len(item[0]))
        self.words = words
        self.phrases = phrases
        self.phrase_starts = frozenset(phrases)
        self.negators = NEGATORS[lang]
        self.exceptions = NEGATION_EXCEPTIONS[lang]
        self.cache: dict[str, float] = {mark: 0.0 for mark in _BOUNDARY}

    def resolve(self, token: str) -> float:
        """The lexicon value of a word form: as written, its reduplication base, its root, or 0."""
        words = self.words
        value = words.get(token)
        if value is not None:
            return value
        if "-" in token:
            head, _, tail = token.partition("-")
            if head == tail or tail.endswith(head) or head.endswith(tail):
                # korban-korban, luka-luka; tembak-menembak.
                value = words.get(head)
                if value is not None:
                    return value
            return 0.0
        if "'" in token:
            return 0.0
        if self.lang == "id":
            # The word without its clitic before the root: keamanannya is keamanan (0), not aman.
            for clitic in ("nya", "lah", "kah", "pun"):
                if token.endswith(clitic) and len(token) > len(clitic) + 2:
                    value = words.get(token[: -len(clitic)])
                    if value is not None:
                        return value
        lemma = simplemma.lemmatize(token, lang=self.lang)
        if lemma != token:
            value = words.get(lemma)
            if value is not None:
                return value
        return 0.0

    def _negated_positions(self, tokens: list[str], unique: set[str]) -> set[int]:
        """Positions of the words a negator reaches: the NEGATION_WINDOW words after it, within its clause."""
        if unique.isdisjoint(self.negators):
            return set()
        count = len(tokens)
        reached: set[int] = set()
        for position in compress(range(count), map(self.negators.__contains__, tokens)):
            if position + 1 < count and tokens[position + 1] in self.exceptions:
                continue
            for following in range(position + 1, min(position + 1 + NEGATION_WINDOW, count)):
                if tokens[following] in _BOUNDARY:
                    break
                reached.add(following)
        return reached

    def score(self, text: str) -> Tone:
        tokens = TOKEN_RE.findall(text.lower().replace("\u2019", "'"))
        if not tokens:
            return Tone(0.0, 0.0, 0.0, 0.0, 0)
        cache = self.cache
        unique = set(tokens)
        missing = unique.difference(cache)
        if missing:
            if len(cache) > _CACHE_LIMIT:
                # A new dict rather than clear(): a thread still scoring with the old one is not disturbed.
                self.cache = cache = {mark: 0.0 for mark in _BOUNDARY}
                missing = unique.difference(cache)
            for token in missing:
                cache[token] = self.resolve(token)
        word_count = len(tokens) - sum(map(_BOUNDARY.__contains__, tokens))
        if word_count == 0:
            return Tone(0.0, 0.0, 0.0, 0.0, 0)
        values = list(map(cache.__getitem__, tokens))
        if not unique.isdisjoint(self.phrase_starts):
            self._apply_phrases(tokens, values)
        negated = self._negated_positions(tokens, unique)

        positive = negative = 0.0
        for index in compress(range(len(values)), values):
            value = values[index]
            if index in negated:
                value *= NEGATION_FACTOR
            weight = min(abs(value), FULL_WEIGHT_AT) / FULL_WEIGHT_AT
            if value > 0:
                positive += weight
            else:
                negative += weight
        positive_pct = 100.0 * positive / word_count
        negative_pct = 100.0 * negative / word_count
        return Tone(positive_pct - negative_pct, positive_pct, negative_pct, positive_pct + negative_pct, word_count)

    def _apply_phrases(self, tokens: list[str], values: list[float]) -> None:
        """Give each phrase found its value on its first word and silence the other words it covers."""
        phrases = self.phrases
        count = len(tokens)
        next_free = 0
        for index in compress(range(count), map(self.phrase_starts.__contains__, tokens)):
            if index < next_free:
                continue
            for rest, value in phrases[tokens[index]]:
                end = index + 1 + len(rest)
                if end <= count and tuple(tokens[index + 1 : end]) == rest:
                    values[index] = value
                    for covered in range(index + 1, end):
                        values[covered] = 0.0
                    next_free = end
                    break


@cache
def _scorer(lang: str) -> _Scorer:
    return _Scorer(lang)


def _language(lang: str | None) -> str | None:
    if not lang:
        return None
    code = lang.strip().lower().replace("_", "-").split("-")[0]
    code = {"eng": "en", "ind": "id", "in": "id"}.get(code, code)
    return code if code in TONE_LANGUAGES else None


def _count_words(text: str) -> int:
    return len(WORD_RE.findall(text))


def document_tone(text: str, lang: str) -> Tone:
    """The tone of one document in `lang` ("en" or "id"); other languages get zeros with the words counted."""
    if not text:
        return Tone(0.0, 0.0, 0.0, 0.0, 0)
    code = _language(lang)
    if code is None:
        return Tone(0.0, 0.0, 0.0, 0.0, _count_words(text))
    return _scorer(code).score(text)


TONE_SCHEMA: dict[str, pl.DataType] = {
    "tone": pl.Float64(),
    "positive": pl.Float64(),
    "negative": pl.Float64(),
    "polarity": pl.Float64(),
    "word_count": pl.Int64(),
}


def _tones(texts: Iterable[str | None], langs: Iterable[str | None]) -> Iterable[tuple[float, float, float, float, int]]:
    for text, lang in zip(texts, langs):
        result = document_tone(text or "", lang or "")
        yield result.tone, result.positive, result.negative, result.polarity, result.word_count


def tone_frame(texts: pl.Series, langs: pl.Series) -> pl.DataFrame:
    """The tone of each text in its language, one row per text, in order: tone, positive, negative, polarity,
    word_count. Null texts score zero words; null or unsupported languages score zero with words counted."""
    if len(texts) != len(langs):
        raise ValueError(f"tone_frame: {len(texts)} texts but {len(langs)} languages")
    rows = list(_tones(texts.to_list(), langs.to_list()))
    if not rows:
        return pl.DataFrame(schema=TONE_SCHEMA)
    columns = list(zip(*rows))
    return pl.DataFrame({name: list(column) for name, column in zip(TONE_SCHEMA, columns)}, schema=TONE_SCHEMA)
