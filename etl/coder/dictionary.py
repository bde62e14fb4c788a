"""Turning the readable dictionary files of one language into fast matchers.

Everything here is built once per language and cached; the coder only looks things up.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

import simplemma

from etl.codebook import event_codes
from etl.coder.text import Tokens, phrase_words, strip_possessive
from etl.lang import ALL_LANGUAGES, Row, read_table

VERB_FLAGS = frozenset({"mutual", "passive", "no_target_ok", "swallow"})
MAX_GAP = 4
SLOT_REACH = 4


class DictionaryError(ValueError):
    """A dictionary entry that cannot be used, with the file and line it came from."""


# ---------------------------------------------------------------------------------------------
# Phrases (actors, agents, pair words)


def _phrase_key(word: str) -> tuple[str, bool]:
    """How a phrase word is compared: all-capital acronyms keep their case, everything else is folded."""
    bare = strip_possessive(word)
    letters = [ch for ch in bare if ch.isalpha()]
    if len(letters) >= 2 and all(ch.isupper() for ch in letters):
        return bare, True
    return bare.lower(), False


class PhraseIndex:
    """Longest-match look-up of multi-word phrases in a token sequence."""

    def __init__(self) -> None:
        self._by_first: dict[str, list[tuple[tuple[tuple[str, bool], ...], object]]] = {}

    def add(self, phrase: str, payload: object) -> None:
        words = tuple(_phrase_key(word) for word in phrase_words(phrase))
        if not words:
            raise ValueError(f"empty phrase {phrase!r}")
        bucket = self._by_first.setdefault(words[0][0].lower(), [])
        bucket.append((words, payload))
        bucket.sort(key=lambda item: -len(item[0]))

    def match(self, tokens: Tokens, i: int) -> tuple[int, list[object]]:
        """The length of the longest phrase starting at token i and every payload of that phrase."""
        bucket = self._by_first.get(tokens.key[i])
        if not bucket:
            return 0, []
        best_len, payloads = 0, []
        n = len(tokens)
        for words, payload in bucket:
            size = len(words)
            if size < best_len:
                break
            if i + size > n:
                continue
            for offset, (word, exact) in enumerate(words):
                token = tokens.surface[i + offset] if exact else tokens.key[i + offset]
                if exact:
                    token = strip_possessive(token)
                if token != word:
                    break
            else:
                best_len = size
                payloads.append(payload)
        return best_len, payloads

    def __len__(self) -> int:
        return sum(len(bucket) for bucket in self._by_first.values())


@dataclass(frozen=True, slots=True)
class ActorEntry:
    code: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    is_person: bool
    phrase: str

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or day >= self.valid_from) and (
            self.valid_until is None or day < self.valid_until
        )


def parse_partial_date(text: str, *, end: bool = False) -> dt.date | None:
    """YYYY, YYYY-MM or YYYY-MM-DD; a partial `until` date means the start of that period."""
    text = text.strip()
    if not text:
        return None
    parts = text.split("-")
    if not all(part.isdigit() for part in parts) or not 1 <= len(parts) <= 3:
        raise ValueError(f"not a date: {text!r}")
    year, month, day = (int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    return dt.date(year, month, day)


def choose_entry(entries: list[ActorEntry], day: dt.date) -> ActorEntry | None:
    """The entry valid on `day`; undated entries are the fallback."""
    dated = [entry for entry in entries if entry.valid_from or entry.valid_until]
    for entry in dated:
        if entry.valid_on(day):
            return entry
    undated = [entry for entry in entries if not (entry.valid_from or entry.valid_until)]
    return undated[0] if undated else None


# ---------------------------------------------------------------------------------------------
# Verb patterns


@dataclass(frozen=True, slots=True)
class Element:
    kind: str  # "word", "gap", "target", "source"
    words: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class VerbPattern:
    code: str
    text: str
    elements: tuple[Element, ...]
    flags: frozenset[str]
    where: str

    @property
    def weight(self) -> int:
        """Longer, more specific patterns win over shorter ones at the same place."""
        return sum(2 if e.kind == "word" else 1 for e in self.elements if e.kind != "gap")


_GROUP_RE = re.compile(r"\(([^()]*)\)")


def expand_pattern(pattern: str) -> list[str]:
    """Expand parenthesised groups of multi-word alternatives: "(a b|c) d" -> ["a b d", "c d"]."""
    groups = _GROUP_RE.findall(pattern)
    if not groups:
        return [pattern]
    template = _GROUP_RE.sub("\x00", pattern)
    choices = [[alt.strip() for alt in group.split("|")] for group in groups]
    out = []
    for combo in itertools.product(*choices):
        pieces = template.split("\x00")
        text = pieces[0] + "".join(choice + rest for choice, rest in zip(combo, pieces[1:]))
        out.append(" ".join(text.split()))
    return out


def compile_pattern(code: str, pattern: str, flags: str, where: str) -> list[VerbPattern]:
    """Compile one dictionary row; raises DictionaryError with the row's place when it cannot be used."""
    if code not in event_codes():
        raise DictionaryError(f"{where}: event code {code!r} is not in the CAMEO codebook")
    flag_set = frozenset(flag.strip() for flag in flags.split(",") if flag.strip())
    unknown = flag_set - VERB_FLAGS
    if unknown:
        raise DictionaryError(f"{where}: unknown flag(s) {sorted(unknown)}")
    if pattern.count("(") != pattern.count(")"):
        raise DictionaryError(f"{where}: unbalanced parentheses in {pattern!r}")
    compiled = []
    for text in expand_pattern(pattern):
        elements: list[Element] = []
        for piece in text.split():
            if piece == "*":
                elements.append(Element("gap"))
            elif piece == "+":
                elements.append(Element("target"))
            elif piece == "$":
                elements.append(Element("source"))
            else:
                words, prefixes = set(), []
                for alt in piece.lower().split("|"):
                    if not alt:
                        raise DictionaryError(f"{where}: empty alternative in {piece!r}")
                    if alt.endswith("*") and len(alt) > 1:
                        if len(alt) < 4:
                            raise DictionaryError(f"{where}: prefix {alt!r} is too short (3 letters at least)")
                        prefixes.append(alt[:-1])
                    elif "*" in alt:
                        raise DictionaryError(f"{where}: '*' inside a word in {piece!r}")
                    else:
                        words.add(alt)
                elements.append(Element("word", frozenset(words), tuple(prefixes)))
        if not elements or elements[0].kind != "word":
            raise DictionaryError(f"{where}: a pattern must start with a word: {text!r}")
        if elements[-1].kind == "gap":
            raise DictionaryError(f"{where}: a pattern cannot end with a gap: {text!r}")
        if sum(e.kind == "target" for e in elements) > 1 or sum(e.kind == "source" for e in elements) > 1:
            raise DictionaryError(f"{where}: at most one '+' and one '$' per pattern: {text!r}")
        compiled.append(VerbPattern(code, text, tuple(elements), flag_set, where))
    return compiled


# ---------------------------------------------------------------------------------------------
# One language's compiled knowledge


@dataclass
class Language:
    code: str
    actors: PhraseIndex = field(default_factory=PhraseIndex)
    agents: PhraseIndex = field(default_factory=PhraseIndex)
    pairs: PhraseIndex = field(default_factory=PhraseIndex)
    relative_dates: PhraseIndex = field(default_factory=PhraseIndex)
    patterns_by_word: dict[str, list[VerbPattern]] = field(default_factory=dict)
    patterns_by_prefix: dict[str, list[tuple[str, VerbPattern]]] = field(default_factory=dict)
    words: dict[str, frozenset[str]] = field(default_factory=dict)
    dates: dict[str, dict[str, int | None]] = field(default_factory=dict)
    pattern_count: int = 0
    _lemmas: dict[str, str] = field(default_factory=dict)

    def lemma(self, lower: str) -> str:
        cached = self._lemmas.get(lower)
        if cached is None:
            cached = simplemma.lemmatize(lower, lang=self.code) if lower.isalpha() else lower
            cached = cached.lower()
            if len(self._lemmas) < 500_000:
                self._lemmas[lower] = cached
        return cached

    def word_set(self, category: str) -> frozenset[str]:
        return self.words.get(category, frozenset())

    def patterns_at(self, lower: str, lemma: str) -> list[VerbPattern]:
        found = list(self.patterns_by_word.get(lower, ()))
        if lemma != lower:
            found.extend(self.patterns_by_word.get(lemma, ()))
        for prefix, pattern in self.patterns_by_prefix.get(lower[:3], ()):
            if lower.startswith(prefix):
                found.append(pattern)
        return found


def actor_rows(lang: str) -> list[Row]:
    return list(read_table(lang, "actors")) + list(read_table(ALL_LANGUAGES, "people"))


@lru_cache(maxsize=None)
def load_language(lang: str) -> Language:
    """Compile the dictionaries of `lang` (plus the all-languages people list)."""
    language = Language(lang)
    for row in actor_rows(lang):
        entry = ActorEntry(
            code=row["code"],
            valid_from=parse_partial_date(row["from"]),
            valid_until=parse_partial_date(row["until"]),
            is_person=row.file.endswith("people.tsv"),
            phrase=row["phrase"],
        )
        language.actors.add(row["phrase"], entry)
    for row in read_table(lang, "agents"):
        language.agents.add(row["phrase"], row["role"])
    words: dict[str, set[str]] = {}
    for row in read_table(lang, "words"):
        if row["category"] == "pair":
            language.pairs.add(row["word"], row["word"])
        else:
            words.setdefault(row["category"], set()).add(row["word"].lower())
    language.words = {category: frozenset(values) for category, values in words.items()}
    for row in read_table(lang, "dates"):
        value = int(row["value"]) if row["value"].lstrip("-").isdigit() else None
        language.dates.setdefault(row["category"], {})[row["word"].lower()] = value
        if row["category"] == "relative":
            language.relative_dates.add(row["word"], value)
    for row in read_table(lang, "verbs"):
        for pattern in compile_pattern(row["code"], row["pattern"], row["flags"], row.where):
            first = pattern.elements[0]
            for word in first.words:
                language.patterns_by_word.setdefault(word, []).append(pattern)
            for prefix in first.prefixes:
                language.patterns_by_prefix.setdefault(prefix[:3], []).append((prefix, pattern))
            language.pattern_count += 1
    return language
