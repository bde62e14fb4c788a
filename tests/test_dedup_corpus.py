"""The de-duplication corpus itself: its shape, its determinism, and that the coder reads it as intended."""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections import Counter
from functools import cache

import pytest
from dedup_corpus import (
    ACTORS,
    FAR_PAIRS,
    KINDS,
    MAX_ARTICLES,
    MAX_DELAY_DAYS,
    MIN_ARTICLES,
    SAME_ACTION_GAP,
    SAME_DAY_PAIRS,
    SINGLES,
    Article,
    CorpusCheck,
    EventSpec,
    _names,
    _sentence,
    _spec_for,
    articles_frame,
    build_corpus,
    check_corpus,
    date_phrases,
    near_miss_kind,
    near_miss_pairs,
    row_matches,
)

from etl.coder import code_records

MIN_RATE = 0.95


@cache
def corpus(events: int) -> tuple[list[EventSpec], list[Article]]:
    return build_corpus(events=events)


@cache
def checked(events: int) -> CorpusCheck:
    specs, articles = corpus(events)
    return check_corpus(specs, articles)


def _describe(check: CorpusCheck, articles: list[Article]) -> str:
    text = {a.id: a.text for a in articles}
    lines = [f"{check.coded}/{check.pairs} = {check.rate:.2%} coded as expected"]
    for article_id, key, rows in check.failures[:10]:
        lines.append(f"{article_id} {key}: {text[article_id]}")
        lines += [f"    -> {r['source_code']} {r['target_code']} {r['event_code']} {r['event_date']} {r['geo_name']}"
                  for r in rows]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Shape


@pytest.mark.parametrize("events", [30, 60])
def test_corpus_shape(events: int) -> None:
    specs, articles = corpus(events)
    assert len(specs) == events
    assert len({s.key for s in specs}) == events
    assert len({a.id for a in articles}) == len(articles)
    assert len({a.url for a in articles}) == len(articles)
    assert all(a.url.startswith("https://") and ".example.org/" in a.url for a in articles)
    by_key = {s.key: s for s in specs}
    reports: dict[str, list[Article]] = {s.key: [] for s in specs}
    for article in articles:
        assert article.lang in ("en", "id")
        assert article.event_keys and all(key in by_key for key in article.event_keys)
        for key in article.event_keys:
            reports[key].append(article)
            delay = (article.published_at - by_key[key].day).days
            assert 0 <= delay <= MAX_DELAY_DAYS, (article.id, key)
        assert "last week" not in article.text.lower() and "pekan lalu" not in article.text.lower()
    for key, reporting in reports.items():
        assert MIN_ARTICLES <= len(reporting) <= MAX_ARTICLES, key
        outlets = [a.source for a in reporting]
        assert len(set(outlets)) == len(outlets), f"{key}: one outlet reported it twice"
        assert {a.lang for a in reporting} == {"en", "id"}, key
    languages = Counter(a.lang for a in articles)
    assert 0.4 <= languages["en"] / len(articles) <= 0.6, languages
    assert len({(s.source, s.target) for s in specs}) >= 15
    assert {s.code for s in specs} >= {"173", "040", "057", "195", "111", "073", "141", "138", "161", "163"}


def test_same_seed_same_corpus_other_seed_other_corpus() -> None:
    assert build_corpus(seed=11) == build_corpus(seed=11)
    assert build_corpus(seed=5, events=60) == build_corpus(seed=5, events=60)
    assert build_corpus(seed=11)[1] != build_corpus(seed=12)[1]


def test_every_kind_has_several_wordings_per_language() -> None:
    for kind in KINDS.values():
        for templates in (kind.en, kind.id):
            assert len(set(templates)) >= 3, kind.name
            assert all("{S}" in t and ("{when}" in t or "{When}" in t) for t in templates), kind.name
        for templates in (kind.en_again, kind.id_again):
            assert templates and all("{when}" in t or "{When}" in t for t in templates), kind.name


def test_relative_dates_only_in_forms_the_coder_resolves() -> None:
    from etl.coder.dates import find_dates

    for lang, delay in itertools.product(("en", "id"), range(MAX_DELAY_DAYS + 1)):
        for weekday in range(7):
            day = dt.date(2025, 3, 3) + dt.timedelta(days=weekday)
            published = day + dt.timedelta(days=delay)
            for inline, initial in date_phrases(lang, day, published):
                for phrase in (inline.lstrip(" ,"), initial.rstrip(", ")):
                    found = find_dates(f"X {phrase} Y", lang, published)
                    assert [m.day for m in found] == [day], (lang, delay, phrase, found)


# ---------------------------------------------------------------------------------------------
# Near misses


def test_near_miss_pairs_are_marked_and_really_distinct() -> None:
    specs, _ = corpus(30)
    by_key = {s.key: s for s in specs}
    pairs = near_miss_pairs(specs)
    same_day = [(a, b) for a, b in pairs if by_key[a].day == by_key[b].day]
    apart = [(a, b) for a, b in pairs if abs((by_key[a].day - by_key[b].day).days) >= SAME_ACTION_GAP]
    assert len(same_day) >= 4 and len(apart) >= 2
    assert len(same_day) + len(apart) == len(pairs) == len(SAME_DAY_PAIRS) + len(FAR_PAIRS)
    for a, b in pairs:
        first, second = by_key[a], by_key[b]
        assert {first.source, first.target} == {second.source, second.target}
        assert near_miss_kind(a) == near_miss_kind(b)
        if near_miss_kind(a) == "place":
            assert first.day == second.day and first.code == second.code and first.place != second.place
            assert first.place and second.place
        elif near_miss_kind(a) == "action":
            assert first.day == second.day and first.code != second.code
        else:
            assert near_miss_kind(a) == "days" and first.code == second.code
    assert near_miss_kind(specs[-1].key) is None


@pytest.mark.parametrize("events", [30, 60])
def test_no_accidental_near_misses(events: int) -> None:
    """Two events on the same dyad are a declared pair, or days apart (10+ for the same action)."""
    specs, _ = corpus(events)
    declared = {frozenset(pair) for pair in near_miss_pairs(specs)}
    for first, second in itertools.combinations(specs, 2):
        if {first.source, first.target} != {second.source, second.target}:
            continue
        gap = abs((first.day - second.day).days)
        if frozenset((first.key, second.key)) in declared:
            continue
        assert gap >= 3, (first.key, second.key)
        assert first.code != second.code or gap >= SAME_ACTION_GAP, (first.key, second.key)


def test_coded_rows_keep_near_misses_apart() -> None:
    """No article about one event of a near-miss pair yields a row that matches the other event."""
    specs, articles = corpus(30)
    by_key = {s.key: s for s in specs}
    documents = {a.id: a for a in articles}
    partner = {}
    for a, b in near_miss_pairs(specs):
        partner[a], partner[b] = b, a
    rows_of: dict[str, list[dict]] = {}
    for row in code_records([{"id": a.id, "text": a.text, "published_at": a.published_at.isoformat(),
                              "lang": a.lang} for a in articles if len(a.event_keys) == 1
                             and a.event_keys[0] in partner]):
        rows_of.setdefault(row["doc_id"], []).append(row)
    assert rows_of
    for article_id, rows in rows_of.items():
        (key,) = documents[article_id].event_keys
        other = by_key[partner[key]]
        assert not any(row_matches(other, row) for row in rows), (article_id, key, other.key)


# ---------------------------------------------------------------------------------------------
# The coder reads the corpus as intended


@pytest.mark.parametrize("events", [30, 60])
def test_articles_are_coded_as_expected(events: int) -> None:
    specs, articles = corpus(events)
    check = checked(events)
    print(f"\nevents={events}: {len(articles)} articles "
          f"({sum(a.lang == 'en' for a in articles)} en, {sum(a.lang == 'id' for a in articles)} id); "
          f"{check.coded}/{check.pairs} (article, event) pairs coded as expected = {check.rate:.2%}; "
          f"extra rows {len(check.extra_rows)}, misdated {len(check.misdated_rows)}, "
          f"misplaced {len(check.misplaced_rows)}")
    assert check.rate >= MIN_RATE, _describe(check, articles)
    # Rows of the right event on the wrong day or in the wrong place would split one event in two.
    assert len(check.misdated_rows) + len(check.misplaced_rows) <= 0.01 * check.pairs
    assert len(check.extra_rows) <= 0.02 * check.pairs


def test_every_template_and_name_is_coded_as_expected() -> None:
    """Each wording, actor name and date form at least once, for every blueprint, in both languages."""
    day = dt.date(2025, 3, 4)
    cases: list[tuple[dict, EventSpec, bool]] = []
    blueprints = [b for pair in SAME_DAY_PAIRS for b in pair[1:]] + list(FAR_PAIRS) + list(SINGLES)
    for blueprint in dict.fromkeys(blueprints):
        kind = KINDS[blueprint.kind]
        spec = _spec_for(blueprint, day)
        for lang in ("en", "id"):
            detail = kind.details[0][0 if lang == "en" else 1]
            sources = _names(ACTORS[blueprint.source], lang, 3)
            targets = [t for t in _names(ACTORS[blueprint.target], lang, 3) if len(t.split()) <= kind.max_target_words]
            for again, templates in ((False, kind.en if lang == "en" else kind.id),
                                     (True, kind.en_again if lang == "en" else kind.id_again)):
                for i in range(max(len(templates), len(sources), len(targets), 4)):
                    template = templates[i % len(templates)]
                    published = day + dt.timedelta(days=i % (MAX_DELAY_DAYS + 1))
                    forms = date_phrases(lang, day, published)
                    place = blueprint.place
                    at = "" if not place else (f" in {place}" if lang == "en" else f" di {place}")
                    target = targets[i % len(targets)]
                    if again and blueprint.kind == "arrest" and lang == "en":
                        target = target.split(" ", 1)[1]
                    text = _sentence(template, S=sources[i % len(sources)], T=target, at=at,
                                     when=forms[i % len(forms)], x=detail)
                    document = {"id": str(len(cases)), "text": text, "published_at": published.isoformat(),
                                "lang": lang}
                    cases.append((document, spec, bool(place) and "{at}" in template))
    rows_of: dict[str, list[dict]] = {}
    for row in code_records(document for document, _, _ in cases):
        rows_of.setdefault(row["doc_id"], []).append(row)
    failures = [document["text"] for document, spec, placed in cases
                if not any(row_matches(spec, row, check_place=placed) for row in rows_of.get(document["id"], []))]
    rate = 1 - len(failures) / len(cases)
    print(f"\ntemplate sweep: {len(cases) - len(failures)}/{len(cases)} sentences coded as expected = {rate:.2%}")
    assert rate >= MIN_RATE, "\n".join(failures)


def test_background_sentences_carry_no_events() -> None:
    from dedup_corpus import EN_BACKGROUND, ID_BACKGROUND

    documents = [{"id": f"{lang}{i}", "text": text, "published_at": "2025-03-04", "lang": lang}
                 for lang, texts in (("en", EN_BACKGROUND), ("id", ID_BACKGROUND)) for i, text in enumerate(texts)]
    assert list(code_records(documents)) == []


def test_building_and_coding_the_default_corpus_is_fast() -> None:
    from etl.coder import code_documents

    started = time.perf_counter()
    specs, articles = build_corpus()
    events = code_documents(articles_frame(articles))
    elapsed = time.perf_counter() - started
    assert len(events) >= len(articles)
    assert elapsed < 10, f"{elapsed:.1f} s"
