"""Turning the readable dictionary files of one language into fast matchers.

Everything here is built once per language and cached; the coder only looks things up.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field
from functools import cache

import simplemma

from etl.codebook import event_codes, role_blocks
from etl.coder.text import Tokens, phrase_words, strip_possessive
from etl.lang import ALL_LANGUAGES, Row, read_table

VERB_FLAGS = frozenset({"mutual", "passive", "no_target_ok", "swallow", "content"})
#: A flag "target:ROLE" gives an event with no target found the source's own country with ROLE
#: (protests are against one's own government: "target:GOV").
DEFAULT_TARGET_FLAG = "target:"
#: A flag "reverse:CODE" also codes the reverse event (target -> source) with CODE: hosting implies a visit.
REVERSE_FLAG = "reverse:"
MAX_GAP = 4
SLOT_REACH = 4


class DictionaryError(ValueError):
    """A dictionary entry that cannot be used, with the file and line it came from."""


# ---------------------------------------------------------------------------------------------
# Phrases (actors, agents, pair words)


EXACT, CAPITALISED, ANY_CASE = 2, 1, 0


def _phrase_key(word: str) -> tuple[str, int]:
    """How a phrase word is compared: acronyms keep their case, capitalised names need a capital letter
    (so the name "Baku" is not the Indonesian word "baku"), other words match in any case."""
    bare = strip_possessive(word)
    letters = [ch for ch in bare if ch.isalpha()]
    if len(letters) >= 2 and all(ch.isupper() for ch in letters):
        return bare, EXACT
    if letters and letters[0].isupper():
        return bare.lower(), CAPITALISED
    return bare.lower(), ANY_CASE


class PhraseIndex:
    """Longest-match look-up of multi-word phrases in a token sequence."""

    def __init__(self) -> None:
        self._by_first: dict[str, list[tuple[tuple[tuple[str, int], ...], object]]] = {}

    def add(self, phrase: str, payload: object) -> None:
        words = tuple(_phrase_key(word) for word in phrase_words(phrase))
        if len(words) > 1:
            # Only a one-word name needs its capital to be told from a common word ("Baku", "baku");
            # news writes longer names in any case ("kelompok kriminal bersenjata").
            words = tuple((word, ANY_CASE if case == CAPITALISED else case) for word, case in words)
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
            for offset, (word, case) in enumerate(words):
                if case == EXACT:
                    if strip_possessive(tokens.surface[i + offset]) != word:
                        break
                elif tokens.key[i + offset] != word or (case == CAPITALISED and not tokens.surface[i + offset][:1].isupper()):
                    break
            else:
                best_len = size
                payloads.append(payload)
        return best_len, payloads


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


def parse_partial_date(text: str) -> dt.date | None:
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


@dataclass(frozen=True, slots=True, eq=False)
class Element:
    kind: str  # "words", "gap", "target", "source"
    # For "words": the alternatives, each a sequence of (word, is_prefix), longest first.
    alternatives: tuple[tuple[tuple[str, bool], ...], ...] = ()
    # The same alternatives indexed by their first word, and those starting with a prefix, for speed.
    by_first: dict[str, tuple[tuple[tuple[str, bool], ...], ...]] = field(default_factory=dict)
    prefixed: tuple[tuple[tuple[str, bool], ...], ...] = ()

    @classmethod
    def words(cls, alternatives: set[tuple[tuple[str, bool], ...]]) -> Element:
        ordered = tuple(sorted(alternatives, key=lambda a: (-len(a), a)))
        by_first: dict[str, list] = {}
        for alternative in ordered:
            word, is_prefix = alternative[0]
            if not is_prefix:
                by_first.setdefault(word, []).append(alternative)
        prefixed = tuple(a for a in ordered if a[0][1])
        return cls("words", ordered, {k: tuple(v) for k, v in by_first.items()}, prefixed)

    def candidates(self, lower: str, lemma: str) -> list[tuple[tuple[str, bool], ...]]:
        """Alternatives whose first word can match a token with this lower-case form and lemma."""
        found = list(self.by_first.get(lower, ()))
        if lemma != lower:
            found.extend(self.by_first.get(lemma, ()))
        found.extend(a for a in self.prefixed if lower.startswith(a[0][0]))
        if len(found) > 1:
            found.sort(key=len, reverse=True)
        return found


@dataclass(frozen=True, slots=True, eq=False)
class VerbPattern:
    code: str
    text: str
    elements: tuple[Element, ...]
    flags: frozenset[str]
    where: str

    def _flag_value(self, prefix: str) -> str | None:
        return next((flag[len(prefix):] for flag in self.flags if flag.startswith(prefix)), None)

    @property
    def default_target_role(self) -> str | None:
        return self._flag_value(DEFAULT_TARGET_FLAG)

    @property
    def reverse_code(self) -> str | None:
        return self._flag_value(REVERSE_FLAG)


_GROUP_RE = re.compile(r"\(([^()]*)\)")
_SEPARATORS = {"*": "gap", "+": "target", "$": "source"}


def expand_pattern(pattern: str) -> list[str]:
    """Expand parenthesised groups: "(a|b) (c|d)" -> ["a c", "a d", "b c", "b d"]."""
    groups = _GROUP_RE.findall(pattern)
    if not groups:
        return [pattern]
    template = _GROUP_RE.sub("\x00", pattern)
    choices = [[alt.strip() for alt in group.split("|")] for group in groups]
    out = []
    for combo in itertools.product(*choices):
        pieces = template.split("\x00")
        text = pieces[0] + "".join(choice + rest for choice, rest in zip(combo, pieces[1:], strict=True))
        out.append(" ".join(text.split()))
    return out


def _alternative(phrase: str, where: str) -> tuple[tuple[str, bool], ...]:
    words = []
    for word in phrase.lower().split():
        if word.endswith("*") and len(word) > 1:
            if len(word) < 4:
                raise DictionaryError(f"{where}: prefix {word!r} is too short (3 letters at least)")
            words.append((word[:-1], True))
        elif "*" in word or "+" in word or "$" in word:
            raise DictionaryError(f"{where}: '*', '+' and '$' stand alone between spaces: {word!r}")
        else:
            words.append((word, False))
    if not words:
        raise DictionaryError(f"{where}: empty alternative")
    return tuple(words)


def compile_pattern(code: str, pattern: str, flags: str, where: str) -> list[VerbPattern]:
    """Compile one dictionary row; raises DictionaryError with the row's place when it cannot be used.

    A pattern is a sequence of word groups separated by `*` (gap), `+` (target) and `$` (source); a word
    group lists alternatives separated by `|`, each one or more words ("sign * agreement|peace deal").
    """
    if code not in event_codes():
        raise DictionaryError(f"{where}: event code {code!r} is not in the CAMEO codebook")
    flag_set = frozenset(flag.strip() for flag in flags.split(",") if flag.strip())
    unknown = {flag for flag in flag_set - VERB_FLAGS
               if not flag.startswith(REVERSE_FLAG) and not flag.startswith(DEFAULT_TARGET_FLAG)}
    if unknown:
        raise DictionaryError(f"{where}: unknown flag(s) {sorted(unknown)}")
    for flag in flag_set:
        if flag.startswith(REVERSE_FLAG) and flag[len(REVERSE_FLAG):] not in event_codes():
            raise DictionaryError(f"{where}: {flag!r} names no CAMEO event code")
        if flag.startswith(DEFAULT_TARGET_FLAG) and role_blocks().get(flag[len(DEFAULT_TARGET_FLAG):]) != "role":
            raise DictionaryError(f"{where}: {flag!r} names no actor role")
    if pattern.count("(") != pattern.count(")"):
        raise DictionaryError(f"{where}: unbalanced parentheses in {pattern!r}")
    compiled = []
    for text in expand_pattern(pattern):
        elements: list[Element] = []
        words: list[str] = []
        for piece in [*text.split(), None]:
            if piece is None or piece in _SEPARATORS:
                if words:
                    elements.append(Element.words({_alternative(alt, where) for alt in " ".join(words).split("|")}))
                    words = []
                if piece is not None:
                    elements.append(Element(_SEPARATORS[piece]))
            else:
                words.append(piece)
        if not elements or elements[0].kind != "words":
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
    anaphors: PhraseIndex = field(default_factory=PhraseIndex)
    relative_dates: PhraseIndex = field(default_factory=PhraseIndex)
    patterns_by_word: dict[str, list[VerbPattern]] = field(default_factory=dict)
    patterns_by_prefix: dict[str, list[tuple[str, VerbPattern]]] = field(default_factory=dict)
    words: dict[str, frozenset[str]] = field(default_factory=dict)
    function_words: frozenset[str] = frozenset()  # every word of words.tsv but the language-detection list
    dates: dict[str, dict[str, int | None]] = field(default_factory=dict)
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
        if len(found) > 1:
            found = list({id(pattern): pattern for pattern in found}.values())
        return found

    def is_word(self, lower: str) -> bool:
        """Whether the lemmatiser knows `lower` as a word of this language."""
        return simplemma.is_known(lower, lang=self.code)

    def word_matches(self, word: str, is_prefix: bool, lower: str) -> bool:
        if is_prefix:
            return lower.startswith(word)
        return lower == word or self.lemma(lower) == word


def actor_rows(lang: str) -> list[Row]:
    return list(read_table(lang, "actors")) + list(read_table(ALL_LANGUAGES, "people"))


@cache
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
        elif row["category"] == "anaphor":
            language.anaphors.add(row["word"], row["word"])
        else:
            words.setdefault(row["category"], set()).add(row["word"].lower())
    language.words = {category: frozenset(values) for category, values in words.items()}
    language.function_words = frozenset().union(*(v for k, v in language.words.items() if k != "common"))
    for row in read_table(lang, "dates"):
        value = int(row["value"]) if row["value"].lstrip("-").isdigit() else None
        language.dates.setdefault(row["category"], {})[row["word"].lower()] = value
        if row["category"] == "relative":
            language.relative_dates.add(row["word"], value)
    for row in read_table(lang, "verbs"):
        for pattern in compile_pattern(row["code"], row["pattern"], row["flags"], row.where):
            firsts = {alternative[0] for alternative in pattern.elements[0].alternatives}
            for word, is_prefix in firsts:
                if is_prefix:
                    language.patterns_by_prefix.setdefault(word[:3], []).append((word, pattern))
                else:
                    language.patterns_by_word.setdefault(word, []).append(pattern)
    return language
