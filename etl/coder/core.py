"""The event coder: one document's text in, CAMEO event mentions out.

A sparse, dictionary-driven coder in the TABARI tradition: it finds actor phrases and verb patterns from
the language's dictionaries and reads the sentence's shape around them (clauses, passive voice, compound
actors, negation), without a full parse. See README.md ("How the coder works") for the rules.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field

from etl import __version__
from etl.codebook import country_blocks, event_codes, intention_of, split_known_group
from etl.coder.dates import DateMention, find_dates, nearest_date
from etl.coder.dictionary import MAX_GAP, SLOT_REACH, Language, VerbPattern, choose_entry, load_language
from etl.coder.places import Place, country_place, lookup_city
from etl.coder.text import Sentence, Tokens, split_sentences, tokenize
from etl.lang import dictionary_fingerprint
from etl.settings import MAX_SENTENCE_CHARS

_SENTENCE_STOPS = frozenset({";", ":", "?", "!", "."})
_ARMED_ROOTS = frozenset({"15", "18", "19", "20"})
# Appeals and demands: with no addressee named, they concern the country where the sentence places them.
_APPEALS = frozenset({"02", "10"})
# Mediation and the intent to mediate: "between A and B" names whom, not who.
_MEDIATION = frozenset({"045", "039"})
# Praise, criticism, rejection and threats: with no target named, they answer the last reported act.
_REACTIONS = frozenset({"05", "11", "12", "13"})
# Roles of people who act for a state and travel: a place after them does not tell their country.
_STATE_ROLES = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY", "ELI"})
_NAME_WORD_RE = re.compile(r"^[A-Z][a-zA-Z'’-]+$")
# "JAKARTA, Selasa (4/3) –", "MOSCOW, May 8 (Reuters) -", "Moskow, –": a place, then a dash soon after.
_DATELINE_RE = re.compile(r"^\s*([A-Z][A-Za-z.'’ ]{1,40}?)\s*[,(][^–—\n]{0,60}?\s[–—-]\s")
_MAX_NAME_WORDS = 4


@dataclass(slots=True)
class Span:
    start: int
    end: int
    kind: str  # actor, agent, pronoun, pair, alias
    code: str = ""
    role: str = ""


@dataclass(slots=True)
class Chunk:
    """A noun phrase naming one actor (or, for "both leaders", two)."""

    start: int
    end: int
    text: str
    kind: str  # actor, role, pronoun, pair
    code: str = ""
    role: str = ""
    is_place: bool = False
    is_topic: bool = False
    names_people: bool = False  # ends in a role noun: "protesters", "Philippine fishermen"
    name_words: list[str] = field(default_factory=list)
    resolved: list[tuple[str, str]] = field(default_factory=list)  # (code, words) after context


@dataclass(slots=True)
class Group:
    """Chunks joined by "and"/"dan": one compound actor."""

    chunks: list[Chunk]

    @property
    def start(self) -> int:
        return self.chunks[0].start

    @property
    def end(self) -> int:
        return self.chunks[-1].end

    def actors(self) -> list[tuple[str, str]]:
        seen, out = set(), []
        for chunk in self.chunks:
            for code, words in chunk.resolved:
                if code not in seen:
                    seen.add(code)
                    out.append((code, words))
        return out


@dataclass(slots=True)
class Match:
    pattern: VerbPattern
    start: int
    end: int
    word_positions: tuple[int, ...]
    target: Group | None
    source: Group | None


@dataclass
class DocumentContext:
    """What earlier sentences of the same document tell about later ones."""

    published: dt.date
    recent: list[tuple[str, str]] = field(default_factory=list)  # resolved actors, in order of mention
    aliases: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (code, full name)
    last_subject: list[tuple[str, str]] = field(default_factory=list)
    dateline: Place | None = None
    sentence_place: Place | None = None  # where the sentence being coded says it happens
    sentence_place_at: int = -1  # token position of the locative word before that place
    last_actor: tuple[str, str] | None = None  # the source of the last event coded in the document
    last_target: tuple[str, str] | None = None  # and its target
    sentence_actors: list[tuple[int, str]] = field(default_factory=list)  # (token, country) in this sentence

    def remember(self, code: str, words: str) -> None:
        self.recent.append((code, words))
        if len(self.recent) > 50:
            del self.recent[:10]

    def recent_country(self, at: int = 0) -> str | None:
        """The country a bare role noun ("the police", "pasukan") at token `at` belongs to: the one named
        nearest before it in its sentence (else after it), else where the sentence or the article is placed,
        else the country named last."""
        if self.sentence_actors:
            before = [country for position, country in self.sentence_actors if position < at]
            return before[-1] if before else self.sentence_actors[0][1]
        if self.sentence_place is not None:
            return self.sentence_place.country
        if self.dateline is not None:
            return self.dateline.country
        for code, _ in reversed(self.recent):
            if code[:3] not in ("IGO", "NGO", "MNC"):
                return code[:3]
        return None

    def recent_country_named(self) -> str | None:
        """The country most recently named as a whole ("Myanmar"), for "the country" / "negara itu"."""
        for code, _ in reversed(self.recent):
            if len(code) == 3 and code[:3] not in ("IGO", "NGO", "MNC"):
                return code
        return None

    def last_two(self, earlier_here: list[tuple[str, str]] = ()) -> list[tuple[str, str]]:
        """The two actors most recently named ("kedua pemimpin", "the two leaders")."""
        out: list[tuple[str, str]] = []
        for code, words in reversed(self.recent + list(earlier_here)):
            if all(code != seen for seen, _ in out):
                out.append((code, words))
            if len(out) == 2:
                break
        return list(reversed(out)) if len(out) == 2 else []


def _trigger_words(tokens: Tokens, positions: tuple[int, ...]) -> str:
    words = [tokens.surface[positions[0]]]
    for previous, current in zip(positions, positions[1:]):
        words.append(("… " if current != previous + 1 else "") + tokens.surface[current])
    return " ".join(words)


def _distinct(source: str, target: str) -> bool:
    """Two actors an event can link: not the same code, and not a country and one of its own parts."""
    if source == target:
        return False
    if (len(source) == 3 or len(target) == 3) and source[:3] == target[:3] and source[:3] not in ("IGO", "NGO", "MNC"):
        return False
    return True


CODER_VERSION = f"{__version__}+{dictionary_fingerprint()}"


class Coder:
    """Codes documents of the languages it has dictionaries for. Build once, reuse: it caches lemmas."""

    def __init__(self) -> None:
        self.version = CODER_VERSION
        self._codes = event_codes()

    # ---------------------------------------------------------------------------------------------
    def code_text(
        self,
        text: str,
        *,
        lang: str,
        published: dt.date | None = None,
        doc_id: str = "",
    ) -> list[dict]:
        """All event mentions of one document, as dicts with the output columns (see OUTPUT_COLUMNS)."""
        language = load_language(lang)
        context = DocumentContext(published or dt.date.today())
        context.dateline = self._dateline(text, language, context)
        events: list[dict] = []
        for sentence in split_sentences(text, MAX_SENTENCE_CHARS):
            events.extend(self._code_sentence(sentence, language, context, doc_id))
        return events

    # ---------------------------------------------------------------------------------------------
    def _dateline(self, text: str, language: Language, context: DocumentContext) -> Place | None:
        match = _DATELINE_RE.match(text[:80])
        if not match:
            return None
        words = match.group(1).split()
        if not 1 <= len(words) <= 3:
            return None
        return lookup_city(words)

    def _code_sentence(
        self, sentence: Sentence, language: Language, context: DocumentContext, doc_id: str
    ) -> list[dict]:
        text = sentence.text
        tokens = tokenize(text)
        if not len(tokens):
            return []
        context.sentence_place, context.sentence_place_at = self._place(tokens, language)
        chunks = self._chunks(tokens, text, language, context)
        groups = self._groups(chunks, tokens, language)
        self._resolve(groups, chunks, language, context)
        events: list[dict] = []
        if not text.rstrip().endswith("?"):
            matches = self._matches(tokens, language, groups)
            events = self._events(matches, tokens, text, sentence, language, context, groups, doc_id)
        actors_here = [group for group in groups if not group.chunks[0].is_place]
        for group in actors_here:
            for code, words in group.actors():
                context.remember(code, words)
        if actors_here and actors_here[0].actors():
            context.last_subject = actors_here[0].actors()
        return events

    # ---------------------------------------------------------------------------------------------
    # Actors

    def _spans(self, tokens: Tokens, language: Language, context: DocumentContext) -> list[Span]:
        spans: list[Span] = []
        pronouns = language.word_set("pronoun")
        n = len(tokens)
        i = 0
        while i < n:
            anaphor_len, _ = language.anaphors.match(tokens, i)
            if anaphor_len:
                spans.append(Span(i, i + anaphor_len, "anaphor"))
                i += anaphor_len
                continue
            pair_len, _ = language.pairs.match(tokens, i)
            actor_len, entries = language.actors.match(tokens, i)
            agent_len, roles = language.agents.match(tokens, i)
            if pair_len and pair_len >= max(actor_len, agent_len):
                spans.append(Span(i, i + pair_len, "pair"))
                i += pair_len
                continue
            entry = choose_entry(entries, context.published) if actor_len else None
            if entry and actor_len > agent_len:
                spans.append(Span(i, i + actor_len, "actor", code=entry.code))
                i += actor_len
                continue
            if agent_len and (agent_len > actor_len or not entry or self._country_follows(tokens, i + agent_len, language, context)):
                spans.append(Span(i, i + agent_len, "agent", role=roles[0]))
                i += agent_len
                continue
            if entry:
                spans.append(Span(i, i + actor_len, "actor", code=entry.code))
                i += actor_len
                continue
            surface = tokens.surface[i]
            if surface[:1].isupper() and context.aliases:
                two = f"{tokens.key[i]} {tokens.key[i + 1]}" if i + 1 < n else ""
                if two in context.aliases:
                    spans.append(Span(i, i + 2, "alias", code=context.aliases[two][0]))
                    i += 2
                    continue
                if tokens.key[i] in context.aliases:
                    spans.append(Span(i, i + 1, "alias", code=context.aliases[tokens.key[i]][0]))
                    i += 1
                    continue
            if tokens.lower[i] in pronouns:
                spans.append(Span(i, i + 1, "pronoun"))
            i += 1
        return spans

    def _country_follows(self, tokens: Tokens, i: int, language: Language, context: DocumentContext) -> bool:
        """Whether a bare country starts at token i ("Kementerian Luar Negeri | Rusia")."""
        if i >= len(tokens):
            return False
        length, entries = language.actors.match(tokens, i)
        entry = choose_entry(entries, context.published) if length else None
        return bool(entry and len(entry.code) == 3)

    def _chunks(self, tokens: Tokens, text: str, language: Language, context: DocumentContext) -> list[Chunk]:
        spans = self._spans(tokens, language, context)
        span_starts = {span.start for span in spans}
        locatives = language.word_set("locative")
        connectors = language.word_set("connector")
        former = language.word_set("former")
        function_words = language.function_words
        date_words = set(language.dates.get("weekday", {})) | set(language.dates.get("month", {}))
        chunks: list[Chunk] = []
        run: list[Span] = []

        def close() -> None:
            if run:
                chunks.append(self._make_chunk(run, tokens, text, date_words, span_starts, former))
                run.clear()

        for span in spans:
            if run and span.kind not in ("pronoun", "pair", "anaphor") and run[-1].kind not in ("pronoun", "pair", "anaphor"):
                gap = span.start - run[-1].end
                between = tokens.surface[run[-1].end] if gap == 1 else ""
                # "Syria's interim President": one adjective may stand between a country and a role noun.
                # (and "pasukan paramiliter RSF": a role noun, an adjective, then who it is).
                adjective = (gap == 1 and between.isalpha() and between.islower() and between not in function_words
                             and ((span.kind == "agent" and run[-1].kind == "actor" and len(run[-1].code) == 3)
                                  or (span.kind == "actor" and run[-1].kind == "agent"))
                             and not language.patterns_at(between, language.lemma(between)))
                # "hakim Mahkamah Agung Federal Brasil": a role noun, the body's own name, then its country.
                named_body = (0 < gap <= 3 and run[-1].kind == "agent" and span.kind == "actor"
                              and all(_NAME_WORD_RE.match(word) for word in tokens.surface[run[-1].end : span.start]))
                if gap == 0 or (gap == 1 and tokens.lower[run[-1].end] in connectors) or adjective or named_body:
                    run.append(span)
                    continue
            close()
            run.append(span)
        close()
        previous: Chunk | None = None
        determiners = language.word_set("determiner")
        topics = language.word_set("topic")
        aims = language.word_set("aim")
        for chunk in chunks:
            before = chunk.start - 1
            if before >= 1 and tokens.lower[before] in determiners:
                before -= 1  # "in the Oval Office"
            # People are not places: "fired water cannon at protesters" names a target.
            if before >= 0 and tokens.lower[before] in locatives \
                    and not (chunk.names_people and tokens.lower[before] in aims):
                chunk.is_place = True
            elif chunk.start > 0 and tokens.lower[chunk.start - 1] in topics:
                chunk.is_topic = True  # "talks on Ukraine": a topic, not a party (unless a pattern's "+" says so)
            # "di Kremlin, Moskow": a chunk right after a place and a comma is part of the place.
            elif previous is not None and previous.is_place and chunk.start == previous.end + 1 \
                    and tokens.lower[previous.end] == ",":
                chunk.is_place = True
            previous = chunk
            if chunk.name_words and chunk.code:
                full = " ".join(chunk.name_words)
                context.aliases[full.lower()] = (chunk.code, full)
                if len(chunk.name_words) > 1:
                    context.aliases[chunk.name_words[-1].lower()] = (chunk.code, full)
        return chunks

    def _make_chunk(self, run: list[Span], tokens: Tokens, text: str, date_words: set[str],
                    span_starts: set[int], former: frozenset[str]) -> Chunk:
        start, end = run[0].start, run[-1].end
        kind = run[0].kind if run[0].kind in ("pronoun", "pair", "anaphor") else "actor"
        codes = [span.code for span in run if span.code]
        roles = [span.role for span in run if span.role]
        name_words: list[str] = []
        if run[-1].kind == "agent":
            j = end
            while j < len(tokens) and len(name_words) < _MAX_NAME_WORDS and _NAME_WORD_RE.match(tokens.surface[j]) \
                    and tokens.lower[j] not in date_words and j not in span_starts:
                name_words.append(tokens.surface[j])
                j += 1
            end = j
        if (start > 0 and tokens.lower[start - 1] in former) or "ELI" in roles:
            roles = ["ELI"]  # "former President", "mantan Menteri": no longer in office
            codes = [code[:3] if len(code) > 3 and code[:3] not in ("IGO", "NGO", "MNC") else code for code in codes]
        # "Ketua DPR AS", "parliament of Iran": a country named after an institution says whose it is.
        for k, span in enumerate(run):
            if span.code and len(span.code) == 6 and span.code[:3] not in ("IGO", "NGO", "MNC"):
                later = [s.code for s in run[k + 1 :] if s.code and len(s.code) == 3 and s.code != span.code[:3]
                         and country_blocks().get(s.code) == "country"]
                if later:
                    codes = [later[0] + span.code[3:6]]
                    break
        code, role = "", ""
        if codes:
            # The most specific code wins: a person's or an institution's over a bare country.
            best = max(codes, key=len)
            if len(best) == 3 and roles and best not in ("IGO", "NGO", "MNC"):
                code = best + roles[0]
            else:
                code = best
        elif roles:
            kind = "role" if kind == "actor" else kind
            role = roles[0]
        return Chunk(start, end, text[tokens.start[start] : tokens.end[end - 1]], kind, code, role,
                     names_people=run[-1].kind == "agent", name_words=name_words)

    def _groups(self, chunks: list[Chunk], tokens: Tokens, language: Language) -> list[Group]:
        joiners = language.word_set("and")
        determiners = language.word_set("determiner")
        groups: list[Group] = []
        for chunk in chunks:
            if groups and not chunk.is_place and not groups[-1].chunks[-1].is_place:
                between = tokens.lower[groups[-1].end : chunk.start]
                # "Indonesia and the United States", "A, B and C"
                conjunctions = [word for word in between if word in joiners and word[0].isalnum()]
                if between and len(between) <= 3 and all(word in joiners or word in determiners for word in between) \
                        and (conjunctions or all(word in joiners for word in between)):
                    groups[-1].chunks.append(chunk)
                    continue
            groups.append(Group([chunk]))
        # "Indian and Chinese troops": the role named once belongs to every country of the group.
        for group in groups:
            last = group.chunks[-1]
            if len(group.chunks) > 1 and last.kind == "actor" and len(last.code) == 6:
                for chunk in group.chunks[:-1]:
                    if chunk.kind == "actor" and len(chunk.code) == 3 and chunk.end - chunk.start == 1:
                        chunk.code += last.code[3:]
        return groups

    def _resolve(self, groups: list[Group], chunks: list[Chunk], language: Language, context: DocumentContext) -> None:
        first_in_sentence: list[tuple[str, str]] = []
        earlier_here: list[tuple[str, str]] = []
        context.sentence_actors = [(chunk.start, chunk.code[:3]) for chunk in chunks if chunk.kind == "actor"
                                   and chunk.code and not chunk.is_place and chunk.code[:3] not in ("IGO", "NGO", "MNC")]
        for group in groups:
            for chunk in group.chunks:
                if chunk.kind == "actor" and chunk.code:
                    chunk.resolved = [(chunk.code, chunk.text)]
                elif chunk.kind == "role":
                    code = self._resolve_role(chunk.role, context, chunk.start)
                    if context.sentence_place is not None and 0 <= context.sentence_place_at - chunk.end <= 3 \
                            and chunk.role not in _STATE_ROLES:
                        code = context.sentence_place.country + chunk.role  # "a refugee camp in Gaza"
                    chunk.resolved = [(code, chunk.text)] if code else []
                elif chunk.kind == "pronoun":
                    chunk.resolved = list(first_in_sentence or context.last_subject)
                elif chunk.kind == "pair":
                    chunk.resolved = context.last_two(earlier_here)
                elif chunk.kind == "anaphor":
                    country = context.recent_country_named()
                    chunk.resolved = [(country, chunk.text)] if country else []
            if not first_in_sentence and not group.chunks[0].is_place and group.chunks[0].kind == "actor":
                first_in_sentence = group.actors()
            if not group.chunks[0].is_place:
                earlier_here.extend(group.actors())

    def _resolve_role(self, role: str, context: DocumentContext, at: int = 0) -> str | None:
        if context.recent and context.recent[-1][0][:3] in ("IGO", "NGO") and role in ("GOV", "JUD"):
            return context.recent[-1][0]  # "the judges" after the ICJ, "officials" after the UN: its own people
        if context.sentence_actors:
            country = context.recent_country(at)  # a country named in the same sentence comes first
            return country + role if country else None
        for code, _ in reversed(context.recent):
            if code[3:6] == role and code[:3] not in ("IGO", "NGO", "MNC"):
                return code
        country = context.recent_country(at)
        return country + role if country else None

    # ---------------------------------------------------------------------------------------------
    # Verb patterns

    def _matches(self, tokens: Tokens, language: Language, groups: list[Group]) -> list[Match]:
        group_at = {group.start: group for group in groups if not group.chunks[0].is_place}
        covered = set()
        for group in groups:
            covered.update(range(group.start, group.end))
        found: list[Match] = []
        months = language.dates.get("month", {})
        # A word's patterns that can match in this sentence at all, worked out once per distinct word:
        # a sentence repeating one verb would otherwise try every pattern of it at every token.
        viable: dict[str, list[VerbPattern]] = {}
        repeats: dict[str, int] = {}
        present: set[str] = set()
        for i, lower in enumerate(tokens.lower):
            if i in covered or not lower[0].isalnum():
                continue
            if lower in months and tokens.surface[i][:1].isupper():
                continue  # "March", "May": the month, not the verb
            patterns = viable.get(lower)
            if patterns is None:
                patterns = language.patterns_at(lower, language.lemma(lower))
                if patterns:
                    if not present:
                        present = set(tokens.lower) | {language.lemma(word) for word in tokens.lower}
                    patterns = [pattern for pattern in patterns if self._can_match(pattern, present, bool(group_at))]
                viable[lower] = patterns
            elif patterns:
                repeats[lower] = repeats.get(lower, 0) + 1
                if repeats[lower] == 2:  # the word's third time: worth checking every word of its patterns
                    patterns = viable[lower] = [pattern for pattern in patterns
                                                if self._can_match(pattern, present, bool(group_at), every_word=True)]
            for pattern in patterns:
                result = self._match_from(pattern.elements, 0, i, tokens, language, group_at, [], None, None)
                if result:
                    end, positions, target, source = result
                    found.append(Match(pattern, i, end, tuple(positions), target, source))
        # Longer, more specific matches win over shorter ones that share words with them.
        found.sort(key=lambda m: (-(2 * len(m.word_positions) + (m.target is not None) + (m.source is not None)), m.start))
        taken: set[int] = set()
        chosen: list[Match] = []
        for match in found:
            if taken.isdisjoint(match.word_positions):
                chosen.append(match)
                taken.update(match.word_positions)
        chosen.sort(key=lambda m: m.start)
        return chosen

    @staticmethod
    def _can_match(pattern: VerbPattern, present: set[str], has_groups: bool, every_word: bool = False) -> bool:
        """Whether every part of the pattern can be found in a sentence of these words and lemmas: each word
        group by the first word (or, with `every_word`, all the words) of one of its alternatives, each actor
        slot by some actor group. A necessary condition of _match_from, which compares words by their lower
        case or lemma."""

        def found(word: str, is_prefix: bool) -> bool:
            return word in present if not is_prefix else any(other.startswith(word) for other in present)

        for element in pattern.elements:
            if element.kind == "words":
                if not every_word:
                    if present.isdisjoint(element.by_first) and not any(found(*a[0]) for a in element.prefixed):
                        return False
                    continue
                alternatives = [alternative for first in present.intersection(element.by_first)
                                for alternative in element.by_first[first]]
                alternatives += [alternative for alternative in element.prefixed if found(*alternative[0])]
                if not any(all(found(word, is_prefix) for word, is_prefix in alternative[1:])
                           for alternative in alternatives):
                    return False
            elif element.kind != "gap" and not has_groups:
                return False
        return True

    def _match_from(self, elements, k, j, tokens, language, group_at, positions, target, source):
        if k == len(elements):
            return j, positions, target, source
        element = elements[k]
        n = len(tokens)
        if element.kind == "words":
            if j >= n:
                return None
            lower = tokens.lower[j]
            for alternative in element.candidates(lower, language.lemma(lower)):
                size = len(alternative)
                if j + size > n:
                    continue
                if size == 1 or all(language.word_matches(word, is_prefix, tokens.lower[j + offset])
                                    for offset, (word, is_prefix) in enumerate(alternative) if offset):
                    result = self._match_from(elements, k + 1, j + size, tokens, language, group_at,
                                              positions + list(range(j, j + size)), target, source)
                    if result:
                        return result
            return None
        if element.kind == "gap":
            for skip in range(0, MAX_GAP + 1):
                if skip and (j + skip - 1 >= n or tokens.lower[j + skip - 1] in _SENTENCE_STOPS):
                    break
                result = self._match_from(elements, k + 1, j + skip, tokens, language, group_at, positions, target, source)
                if result:
                    return result
            return None
        # A slot: a (non-place) actor group must start within reach.
        for offset in range(0, SLOT_REACH + 1):
            group = group_at.get(j + offset)
            if group is not None:
                if element.kind == "target":
                    return self._match_from(elements, k + 1, group.end, tokens, language, group_at, positions, group, source)
                return self._match_from(elements, k + 1, group.end, tokens, language, group_at, positions, target, group)
            if j + offset >= n or tokens.lower[j + offset] in _SENTENCE_STOPS:
                break
        return None

    # ---------------------------------------------------------------------------------------------
    # Events

    def _clause_bounds(self, tokens: Tokens, language: Language) -> tuple[list[int], list[int]]:
        """Where the clause of the words start..end begins (lo[start]) and ends (hi[end]): at clause words and
        stops, and before a reporting verb. Computed once per sentence, for every position, so that coding
        a sentence stays linear however many verbs it has."""
        breaks = language.word_set("clause") | _SENTENCE_STOPS
        ends = breaks | language.word_set("report")
        n = len(tokens)
        lo = [0] * (n + 1)
        for i in range(1, n + 1):
            lo[i] = i if tokens.lower[i - 1] in breaks else lo[i - 1]
        hi = [n] * (n + 1)
        for i in range(n - 1, -1, -1):
            hi[i] = i if tokens.lower[i] in ends else hi[i + 1]
        return lo, hi

    def _is_passive(self, match: Match, tokens: Tokens, language: Language) -> bool:
        if "passive" in match.pattern.flags:
            return True
        first = match.word_positions[0]
        lower = tokens.lower[first]
        if language.code == "id":
            if not lower.startswith("di") or len(lower) < 6:
                return False
            lemma = language.lemma(lower)
            return (lemma != lower and not lemma.startswith("di")) or language.is_word(lower[2:])
        auxiliaries = language.word_set("be")
        if not auxiliaries:
            return False
        if lower in auxiliaries:
            return True  # the pattern itself begins with the auxiliary: "(was|were|been) captured"
        if lower.endswith("ing"):
            return False  # "was attacking": progressive, not passive
        last = match.word_positions[-1]
        if lower.endswith("ed") and last + 1 < len(tokens) and tokens.lower[last + 1] in language.word_set("by"):
            return True  # "loans backed by ...": a participle with its agent
        # "was attacked", "were reportedly shot": an auxiliary of "be" just before the verb.
        return any(word in auxiliaries for word in tokens.lower[max(0, first - 2) : first])

    def _agent_after(self, match: Match, hi: int, tokens: Tokens, language: Language, groups: list[Group],
                     by_only: bool = False) -> Group | None:
        by_words = language.word_set("by")
        for j in range(match.word_positions[-1], min(hi, match.end + 6)):
            if tokens.lower[j] in by_words:
                for group in groups:
                    if j < group.start <= j + 6 and not group.chunks[0].is_place:
                        return group
                return None
        if language.code == "id" and not by_only:
            for group in groups:
                if match.end <= group.start <= match.end + 1 and not group.chunks[0].is_place:
                    return group
        return None

    def _between(self, j: int, tokens: Tokens, language: Language, groups: list[Group]) -> Group | None:
        """The two sides after "between"/"antara": one compound group, or a group, "and", another group
        ("antara Tim Alap-alap Yonif Raider 715/MTL dan kelompok kriminal bersenjata")."""
        first = next((g for g in groups if j < g.start <= j + 4), None)
        if first is None:
            return None
        if len(first.actors()) > 1:
            return first
        joiners = language.word_set("and")
        for k in range(first.end, min(len(tokens), first.end + 6)):
            if tokens.lower[k] in joiners and tokens.lower[k][0].isalnum():
                second = next((g for g in groups if k < g.start <= k + 3), None)
                return Group(first.chunks + second.chunks) if second is not None else None
        return None

    def _earlier_actors(self, groups: list[Group], before: int) -> list[tuple[str, str]]:
        return [actor for group in groups if group.end <= before for actor in group.actors()]

    @staticmethod
    def _can_be_target(group: Group, source: Group | None, tokens: Tokens, reports: frozenset[str]) -> bool:
        """A target names someone other than the source ("mengerahkan kapal perang" is the source's own),
        and not the one reporting it ("..., U.N. investigators concluded")."""
        if group.end < len(tokens) and tokens.lower[group.end] in reports:
            return False
        if source is None:
            return True
        return any(_distinct(s, t) for s, _ in source.actors() for t, _ in group.actors())

    def _participle(self, lower: str, language: Language) -> bool:
        """A verb form that opens a clause with no subject of its own ("demanding", "menuntut")."""
        if language.code == "id":
            return lower.startswith(("me", "ber")) and language.lemma(lower) != lower
        return lower.endswith("ing") and len(lower) > 5

    def _parentheticals(self, tokens: Tokens, language: Language) -> set[int]:
        """Token positions inside ", who ...," / ", yang ...," asides, which never hold the source."""
        relatives = language.word_set("relative")
        skipped: set[int] = set()
        n = len(tokens)
        for i in range(n - 1):
            if tokens.lower[i] == "," and tokens.lower[i + 1] in relatives:
                j = i + 1
                while j < n and tokens.lower[j] != ",":
                    j += 1
                if j < n:
                    skipped.update(range(i, j + 1))
        return skipped

    def _nominal(self, match: Match, tokens: Tokens, language: Language) -> str | None:
        """How a noun names the action, or None when a verb does.

        "agent": the words after the noun name who acts ("serangan Israel", "Russia's attack");
        "process": Indonesian pe-an nouns, whose following words name who undergoes it ("penangkapan
        dua warga", the actor comes with "oleh"). A noun after a light verb or a preposition of means
        ("launched an attack", "melakukan kunjungan", "melalui sambungan telepon") is read as the verb.
        """
        first = match.word_positions[0]
        lower = tokens.lower[first]
        previous = tokens.lower[first - 1] if first else ""
        light = language.word_set("light")
        determiners = language.word_set("determiner")
        noun_suffixes = tuple(language.word_set("noun_suffix"))
        kind = None
        if language.code == "id":
            if lower.endswith("an") and len(lower) > 5 and not lower.startswith(("me", "di", "ber", "ter")):
                if lower.startswith(("pe", "pem", "pen", "peng", "peny", "per")):
                    kind = "process"
                elif lower.startswith("ke") or language.lemma(lower) != lower:
                    kind = "agent"
            elif lower.endswith(noun_suffixes) and len(lower) > 5 and not lower.startswith(("me", "di", "ber", "ter")):
                kind = "agent"  # loanword nouns: demonstrasi, invasi, agresi, operasi, intervensi
        elif lower.endswith(noun_suffixes) or previous in determiners or previous.endswith(("'s", "’s")) or (
                first > 1 and tokens.lower[first - 2] in determiners and tokens.surface[first - 1].isalpha()
                and tokens.surface[first - 1].islower()
                and not (first + 1 < len(tokens) and tokens.lower[first + 1] in language.word_set("by"))
                and not language.patterns_at(previous, language.lemma(previous))):
            kind = "agent"  # "the attack", "Russia's invasion", "an internal armed conflict"
        if kind is None:
            return None
        for j in range(first - 1, max(-1, first - 4), -1):
            if tokens.lower[j] in light:
                return None
            if not (tokens.lower[j] in determiners or tokens.surface[j][:1].islower()):
                break
        return kind

    def _events(self, matches: list[Match], tokens: Tokens, text: str, sentence: Sentence, language: Language,
                context: DocumentContext, groups: list[Group], doc_id: str) -> list[dict]:
        if not matches:
            return []
        negations = language.word_set("negation")
        modals = language.word_set("modal")
        reports = language.word_set("report")

        def can_be_target(group: Group, source: Group | None) -> bool:
            return self._can_be_target(group, source, tokens, reports)
        infinitives = language.word_set("infinitive")
        futures = language.word_set("future")
        intenders = language.word_set("intend")
        gerund_markers = language.word_set("gerund")
        object_pronouns = language.word_set("object")
        contrasts = language.word_set("contrast")
        reciprocals = language.word_set("reciprocal")
        joiners = language.word_set("and")
        actor_groups = [group for group in groups if not group.chunks[0].is_place and not group.chunks[0].is_topic
                        and group.actors()]
        dates: list[DateMention] | None = None
        place: Place | None | bool = False
        swallowed_until = -1
        sources_of: dict[int, Group] = {}  # match start -> source group used
        targets_of: dict[int, Group] = {}  # id(target group) -> source group of that match
        events: list[dict] = []
        seen: set[tuple[str, str, str]] = set()

        skipped = self._parentheticals(tokens, language)
        match_at = {position: m for m in matches for position in m.word_positions}
        group_ending_at: dict[int, Group] = {}
        for group in actor_groups:
            group_ending_at.setdefault(group.end, group)
        # The only positions where the look back for a verb's subject can stop, in order: the last word of an
        # actor group, and the words of a match that found its source. Stepping from one to the next, rather
        # than over every word, keeps a sentence of many verbs linear.
        anchors = sorted({end - 1 for end in group_ending_at})

        def only_joiners(words: list[str]) -> bool:
            return all(word in joiners or not word[0].isalnum() for word in words)

        # Per-position look-ups, so that each match costs the same however long the sentence is.
        clause_lo, clause_hi = self._clause_bounds(tokens, language)
        group_starts = [group.start for group in actor_groups]  # in order: groups do not overlap
        group_codes = [tuple(code for code, _ in group.actors()) for group in actor_groups]
        group_reported = [group.end < len(tokens) and tokens.lower[group.end] in reports for group in actor_groups]
        # For a source's actor codes: group index -> the first group index at or after it that can be its target.
        next_target: dict[tuple[str, ...] | None, dict[int, int]] = {}

        def first_target(source: Group | None, begin: int, stop: int, avoid: Group | None = None) -> Group | None:
            """next(g for g in actor_groups if begin <= g.start < stop and g is not avoid and can_be_target(g,
            source)), skipping the groups already found unable to be the target of such a source: without
            that, a sentence of many actors and many verbs would look at every actor for every verb."""
            key = None if source is None else tuple(code for code, _ in source.actors())
            known = next_target.setdefault(key, {})
            index = bisect.bisect_left(group_starts, begin)
            while True:
                passed = []
                while index < len(actor_groups) and index not in known:
                    if not group_reported[index] and (key is None or any(
                            _distinct(s, t) for s in key for t in group_codes[index])):
                        known[index] = index
                        break
                    passed.append(index)
                    index += 1
                found = known.get(index, index)
                for position in passed:
                    known[position] = found
                if found == len(actor_groups) or group_starts[found] >= stop:
                    return None
                if actor_groups[found] is not avoid:
                    return actor_groups[found]
                index = found + 1

        relatives = language.word_set("relative")
        n = len(tokens)
        modals_before = [0] * (n + 1)  # how many modal words precede each position
        next_relative = [n] * (n + 1)  # the first relative word at or after each position
        for i, word in enumerate(tokens.lower):
            modals_before[i + 1] = modals_before[i] + (word in modals)
        for i in range(n - 1, -1, -1):
            next_relative[i] = i if tokens.lower[i] in relatives else next_relative[i + 1]

        for match in matches:
            start = match.word_positions[0]
            if start < swallowed_until:
                continue
            lo, hi = clause_lo[start], clause_hi[match.end]
            if "swallow" in match.pattern.flags:
                # What was accused, denied, urged or threatened runs to the end of the sentence or to "but".
                swallowed_until = next((j for j in range(match.end, len(tokens))
                                        if tokens.lower[j] in contrasts or tokens.lower[j] == ";"), len(tokens))
            window = tokens.lower[max(lo, start - 3) : start]
            if any(word in negations or word.endswith("n't") for word in window):
                continue
            if modals_before[start] > modals_before[lo]:
                continue  # a modal word in the clause before the verb
            announced = False
            if start and tokens.lower[start - 1] in gerund_markers and tokens.lower[start].endswith("ing"):
                continue  # "the chances of reaching a deal": talked about, not done
            if start and tokens.lower[start - 1] in infinitives:
                # "agreed to withdraw", "sepakat untuk menarik": an intention; otherwise a purpose, not an act.
                if any(word in intenders for word in tokens.lower[max(lo, start - 5) : start - 1]):
                    announced = True
                else:
                    continue
            source = match.source
            target = match.target
            inherited = False
            between = language.word_set("between")
            both = None
            if match.end < len(tokens) and tokens.lower[match.end] in between:
                both = self._between(match.end, tokens, language, actor_groups)
            nominal = self._nominal(match, tokens, language) if source is None and both is None else None
            if nominal == "process" and "mutual" in match.pattern.flags \
                    and any(word in language.word_set("with") for word in tokens.lower[match.end : min(hi, match.end + 6)]):
                nominal = "agent"  # "pertemuan Trump dengan Rutte": in a joint act the genitive takes part
            if both is not None and match.pattern.code in _MEDIATION:
                target = both  # "offered to mediate between Thailand and Cambodia": the sides are mediated
                both = None
            if both is not None:
                source, target = both, None  # "talks between A and B": the two sides act together
            elif nominal == "agent":
                # "Russia's attack on Ukraine", "serangan Israel ke Gaza": the possessor or genitive acts.
                # (Looked up by position: groups do not overlap, so one ends at `start` and one starts first.)
                possessor = group_ending_at.get(start) if tokens.surface[start - 1].endswith(("'s", "’s")) else None
                if possessor is None and language.code == "id":
                    after = bisect.bisect_left(group_starts, match.end)
                    if after < len(actor_groups) and group_starts[after] <= match.end + 1:
                        possessor = actor_groups[after]
                if possessor is None:
                    continue
                source = possessor
                if target is None:
                    target = first_target(possessor, max(match.end, possessor.end), hi)
            elif nominal == "process":
                # "penangkapan dua warga Malaysia oleh polisi": the genitive undergoes, "oleh" names the actor.
                source = self._agent_after(match, hi, tokens, language, actor_groups, by_only=True)
                if source is None:
                    continue
                if target is None:
                    target = next((g for g in actor_groups if match.end <= g.start <= match.end + 2 and g is not source), None)
            elif source is None and start > 1 and (tokens.lower[start - 1] == "," or tokens.lower[start - 1] in joiners) \
                    and self._participle(tokens.lower[start], language) \
                    and (tokens.lower[start - 1] == "," or "," in tokens.lower[lo:start]):
                # "..., demanding his resignation", "..., menuntut polisi": the sentence's subject acts, or the
                # speaker just named ("Stoltenberg said on Tuesday, demanding that Moscow ...").
                reports = language.word_set("report")
                speakers = [g for g in actor_groups if g.end < start and tokens.lower[g.end] in reports]
                source = speakers[-1] if speakers else next(
                    (g for g in actor_groups if g.end <= start and g.start < lo + 8), None)
                if source is None:
                    continue
                if target is None:
                    target = first_target(source, match.end, hi)
            elif source is None:
                before = None
                passive_here = self._is_passive(match, tokens, language)
                k = bisect.bisect_left(anchors, start) - 1
                while k >= 0 and anchors[k] >= lo:
                    j = anchors[k]
                    k -= 1
                    if j in skipped:
                        continue
                    earlier = None if passive_here else match_at.get(j)
                    earlier = earlier if earlier is not match else None
                    if earlier is not None and earlier.start in sources_of:
                        if only_joiners(tokens.lower[j + 1 : start]) or start - j <= 3:
                            before = sources_of[earlier.start]
                            inherited = True
                            break
                    group = group_ending_at.get(j + 1)
                    if group is not None:
                        before = group
                        between = tokens.lower[group.end : start]
                        # "A telephoned B on Sunday and called for ...": a verb after "and" shares A.
                        if id(group) in targets_of and between and (only_joiners(between)
                                                                   or any(word in joiners and word != "," for word in between)):
                            before = targets_of[id(group)]
                            inherited = True
                        break
                if before is None and 0 < lo and tokens.lower[lo - 1] in language.word_set("clause") \
                        and tokens.lower[lo - 1] not in _SENTENCE_STOPS:
                    # "..., saat menerima kunjungan Prabowo", "while visiting": the main clause's subject acts.
                    before = next((g for g in actor_groups if g.end <= lo), None)
                if not inherited and passive_here:
                    # "X diperiksa KPK", "X was hosted by Y": the actor after the verb is the doer.
                    source = target or self._agent_after(match, hi, tokens, language, actor_groups)
                    target = before
                    if target is None and source is not None:
                        # "Dimediasi Anwar Ibrahim, Thailand dan Kamboja sepakat ...": a passive phrase opening
                        # the sentence acts on the subject that follows it.
                        target = first_target(source, source.end, len(tokens))
                else:
                    source = before
                    if target is None and "content" not in match.pattern.flags:
                        stop = min(next_relative[match.end], hi)
                        # The first actor after the action; it may begin inside the pattern's last words
                        # ("recognised the State of Palestine").
                        inside = actor_groups[bisect.bisect_right(group_starts, start)
                                              : bisect.bisect_left(group_starts, match.end)]
                        target = next((g for g in inside if g is not source and g.end >= match.end
                                       and can_be_target(g, source)), None)
                        if target is None:
                            target = first_target(source, match.end, stop, avoid=source)
                        if target is None:
                            # "menetapkan dua pejabat Pertamina sebagai tersangka": an actor inside the pattern's gap.
                            words = set(match.word_positions)
                            target = next((g for g in inside if g is not source
                                           and g.end <= match.end and words.isdisjoint(range(g.start, g.end))
                                           and can_be_target(g, source)), None)
                        if target is not None and match.pattern.code[:2] in ("02", "10") and target.start > 0 \
                                and tokens.lower[target.start - 1] in language.word_set("connector") \
                                and context.last_target and source is not None \
                                and all(_distinct(a, context.last_target[0]) for a, _ in source.actors()):
                            # "called for the release of X": X is what is asked for; the appeal goes to the
                            # side last addressed. (With no source the match codes nothing: see below.)
                            target = Group([Chunk(target.start, target.start, context.last_target[1], "actor",
                                                  resolved=[context.last_target])])
            elif target is None:
                target = first_target(source, match.end, hi, avoid=source)
            if source is None or not source.actors():
                continue
            if target is None and match is matches[0] and match.pattern.code[:2] not in _REACTIONS:
                # The sentence's main act can be reacted to even when it names no target ("struck a building").
                context.last_actor = source.actors()[0]
            pronoun_at = next((j for j in (start + 1, match.end) if j < len(tokens) and tokens.lower[j] in object_pronouns),
                              None)
            if pronoun_at is not None and context.last_target and (target is None or target.start > pronoun_at):
                # "accusing it of ...", "granted him asylum": the one just acted upon.
                target = Group([Chunk(pronoun_at, pronoun_at + 1, tokens.surface[pronoun_at], "actor",
                                      resolved=[context.last_target])])
            if target is None and match.pattern.code == "045":
                # "a deal mediated by Qatar", "kesepakatan yang dimediasi Tiongkok": between the parties last named.
                parties = [a for a in context.last_two(self._earlier_actors(actor_groups, start))
                           if all(_distinct(s, a[0]) for s, _ in source.actors())]
                if parties:
                    target = Group([Chunk(match.end, match.end, "", "actor", resolved=parties)])
            if target is None and match.pattern.code[:2] in _REACTIONS:
                # "Qatar condemned the attack", "mengecam latihan itu": a reaction to the last reported act is
                # aimed at whoever carried it out (or, when the reacting side did, at whom it was aimed).
                for candidate in (context.last_actor, context.last_target):
                    if candidate and all(_distinct(s, candidate[0]) for s, _ in source.actors()):
                        target = Group([Chunk(match.end, match.end, candidate[1], "actor", candidate[0],
                                              resolved=[candidate])])
                        break
            if target is None and match.pattern.code[:2] in _REACTIONS | _APPEALS and context.sentence_place is not None \
                    and context.sentence_place.lat is None:
                country = context.sentence_place.country  # "condemned the coup in Niger"
                if all(_distinct(s, country) for s, _ in source.actors()):
                    target = Group([Chunk(match.end, match.end, country, "actor", country, resolved=[(country, country)])])
            default_role = match.pattern.default_target_role
            if target is None and default_role:
                # A protest with no named target is against the protesters' own government.
                country = source.actors()[0][0][:3]
                if country not in ("IGO", "NGO", "MNC"):
                    target = Group([Chunk(match.end, match.end, country, "actor", country + default_role,
                                          resolved=[(country + default_role, "")])])
            sources_of[match.start] = source
            for position in match.word_positions:
                at = bisect.bisect_left(anchors, position)
                if at == len(anchors) or anchors[at] != position:
                    anchors.insert(at, position)
            if target is not None:
                targets_of[id(target)] = source
            code = match.pattern.code
            if announced or any(word in futures for word in tokens.lower[max(lo, start - 3) : start]):
                code = intention_of(code) or code  # "akan mendukung": an announced action is an intention
            nearby = " " + " ".join(tokens.lower[max(lo, start - 2) : min(hi, match.end + 3)]) + " "
            mutual = "mutual" in match.pattern.flags or any(f" {phrase} " in nearby for phrase in reciprocals) \
                or (target is None and match.end < len(tokens) and tokens.lower[match.end] in between)
            if target is None and code == "042":
                target = self._place_as_target(match.end, tokens)
            pairs = [(pair, code) for pair in self._pairs(match.pattern, source, target, mutual)]
            if code == "040" and context.sentence_place is not None:
                # A meeting in a country neither side belongs to is a meeting at a third location.
                here = context.sentence_place.country
                if all(here not in (s[0][:3], t[0][:3]) for (s, t), _ in pairs if t[0]):
                    pairs = [(pair, "044") for pair, _ in pairs]
            reverse = match.pattern.reverse_code
            if reverse and target is not None and code == match.pattern.code:
                pairs += [((t, s), reverse) for (s, t), _ in pairs if t[0]]
            if not pairs:
                continue
            if dates is None:
                dates = find_dates(text, language.code, context.published)
            if place is False:
                place = context.sentence_place or context.dateline
            trigger_start = tokens.start[match.word_positions[0]]
            date = nearest_date(dates, trigger_start)
            for ((source_code, source_text), (target_code, target_text)), code in pairs:
                key = (source_code, target_code or "", code)
                if key in seen:
                    continue
                seen.add(key)
                info = self._codes[code]
                source_code, source_group = split_known_group(source_code)
                if code[:2] in _ARMED_ROOTS and len(source_code) == 3 and country_blocks().get(source_code) == "country":
                    source_code += "MIL"  # a country that uses force does so through its forces ("the US bombed")
                target_code, target_group = split_known_group(target_code) if target_code else (None, None)
                context.last_actor = (source_code, source_text)
                if target_code:
                    context.last_target = (target_code, target_text)
                events.append({
                    "doc_id": doc_id,
                    "sentence_index": sentence.index,
                    "char_start": sentence.start,
                    "char_end": sentence.start + len(text),
                    "sentence": text,
                    "source_code": source_code,
                    "source_text": source_text,
                    "target_code": target_code,
                    "target_text": target_text,
                    "source_group_code": source_group,
                    "target_group_code": target_group,
                    "event_code": code,
                    "event_root_code": info.root,
                    "quad_class": info.quad_class,
                    "goldstein": info.goldstein,
                    "trigger_text": _trigger_words(tokens, match.word_positions),
                    "trigger_char_start": sentence.start + trigger_start,
                    "event_date": (date.day if date else context.published).isoformat(),
                    "date_text": date.text if date else None,
                    "geo_name": place.name if place else None,
                    "geo_country": place.country if place else None,
                    "geo_lat": place.lat if place else None,
                    "geo_lon": place.lon if place else None,
                    "geo_type": place.geo_type if place else None,
                    "geo_adm1": place.adm1 if place else None,
                    "geo_feature_id": place.feature_id if place else None,
                    "language": language.code,
                    "pattern": match.pattern.text,
                    "coder_version": self.version,
                })
        return events

    def _place_as_target(self, j: int, tokens: Tokens) -> Group | None:
        """A city right after the action stands for its country: a visit to Bogor is a visit to Indonesia,
        seizing Goma is seizing Congolese territory."""
        n = len(tokens)
        limit = min(n, j + 2)
        while j < limit and not tokens.surface[j][:1].isupper():
            if tokens.lower[j] in _SENTENCE_STOPS:
                return None
            j += 1
        words = []
        while j < n and len(words) < 3 and tokens.surface[j][:1].isupper() and not tokens.surface[j].isupper():
            words.append(tokens.surface[j])
            j += 1
        for size in range(len(words), 0, -1):
            place = lookup_city(words[:size])
            if place:
                name = " ".join(words[:size])
                return Group([Chunk(j, j, name, "actor", place.country, resolved=[(place.country, name)])])
        return None

    def _pairs(self, pattern: VerbPattern, source: Group, target: Group | None, mutual: bool):
        sources = source.actors()
        pairs = []
        if mutual and len(sources) > 1 and not any(e.kind == "target" for e in pattern.elements):
            # "A and B signed an agreement": the joint action is between them.
            return [(s, t) for s in sources for t in sources if _distinct(s[0], t[0])]
        if target is not None and target.actors():
            for s in sources:
                for t in target.actors():
                    if _distinct(s[0], t[0]):
                        pairs.append((s, t))
                        if mutual:
                            pairs.append((t, s))
        elif mutual and len(sources) > 1:
            pairs = [(s, t) for s in sources for t in sources if _distinct(s[0], t[0])]
        elif "no_target_ok" in pattern.flags:
            pairs = [(s, (None, None)) for s in sources]
        return pairs

    def _place(self, tokens: Tokens, language: Language) -> tuple[Place | None, int]:
        """The first place the sentence names after a locative, and the locative's token position."""
        locatives = language.word_set("locative")
        n = len(tokens)
        for i, lower in enumerate(tokens.lower):
            if lower not in locatives:
                continue
            j = i + 1
            # "di Kremlin, Moskow": look at the capitalised run and at the one after a comma.
            for _ in range(2):
                words = []
                while j < n and tokens.surface[j][:1].isupper() and not tokens.surface[j].isupper() and len(words) < 3:
                    words.append(tokens.surface[j])
                    j += 1
                for size in range(len(words), 0, -1):
                    place = lookup_city(words[:size])
                    if place:
                        return place, i
                if words:
                    length, entries = language.actors.match(tokens, j - len(words))
                    entry = choose_entry(entries, dt.date.today()) if length else None
                    if entry and len(entry.code) == 3:
                        found = country_place(entry.code, " ".join(words[:length]))
                        if found:
                            return found, i
                if j < n and tokens.surface[j] == ",":
                    j += 1
                    continue
                break
        return None, -1
