"""One real event told by 5-20 articles in two languages is one row in `events`; distinct events stay apart.

The corpus (tests/dedup_corpus.py) is written for the project: each event is reported in English and
Indonesian with different wordings and dates relative to each article's own publication day, and it holds
near misses: the same dyad on the same day in two cities or with two different actions, and the same dyad and
action ten or more days apart.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict

import duckdb
import pytest
from dedup_corpus import EventSpec, build_corpus, near_miss_pairs, row_matches

from etl import pipeline


def _labels(spec_by_key: dict[str, EventSpec], article_keys: tuple[str, ...], row: dict) -> set[tuple[str, str]]:
    """Which (event, direction) a stored mention reports, by the corpus's own matching rule."""
    coder_row = {"source_code": row["actor1_code"], "target_code": row["actor2_code"],
                 "event_code": row["event_code"], "event_date": row["event_date"].isoformat(),
                 "geo_name": row["geo_name"]}
    found = set()
    for key in article_keys:
        spec = spec_by_key[key]
        same_event = row_matches(spec, {**coder_row, "event_date": spec.day.isoformat()}, check_place=False)
        if same_event and (row["geo_name"] in (None, spec.place) or spec.place is None):
            found.add((key, "forward" if (row["actor1_code"] or "")[:6] == spec.source else "reverse"))
    # A mention without a place in an article that reports two such events could be either: no label.
    return found if len(found) == 1 else set()


@pytest.fixture(scope="module")
def deduplicated(tmp_path_factory: pytest.TempPathFactory):
    specs, articles = build_corpus(seed=11, events=30)
    root = tmp_path_factory.mktemp("dedup")
    paths = pipeline.RunPaths(landing=root / "landing", quarantine=root / "quarantine",
                              staging=root / "staging" / "run", database=root / "events.duckdb")
    paths.landing.mkdir()
    # Two drops, as articles arrive over days: the second run's reports must join the first run's events.
    half = len(articles) // 2
    for name, batch in (("day1.jsonl", articles[:half]), ("day2.jsonl", articles[half:])):
        (paths.landing / name).write_text("".join(
            json.dumps({"id": a.id, "lang": a.lang, "published_at": a.published_at.isoformat(), "source": a.source,
                        "url": a.url, "title": a.title, "text": a.text}) + "\n" for a in batch), encoding="utf-8")
        pipeline.run_pipeline(paths)
    with duckdb.connect(str(paths.database), read_only=True) as con:
        mentions = con.execute("""
            SELECT m.global_event_id, m.article_id, m.actor1_code, m.actor2_code, m.event_code, m.event_date,
                   split_part(m.action_geo_fullname, ', ', 1) AS geo_name
            FROM mentions m
        """).pl().to_dicts()
        events = {row[0]: row[1:] for row in con.execute(
            "SELECT global_event_id, num_mentions, num_articles, num_sources FROM events").fetchall()}
    return specs, articles, mentions, events


def test_each_real_event_is_one_row_and_distinct_events_are_never_merged(deduplicated) -> None:
    specs, articles, mentions, events = deduplicated
    spec_by_key = {spec.key: spec for spec in specs}
    keys_of_article = {article.id: article.event_keys for article in articles}
    labels_of_event: dict[int, set[tuple[str, str]]] = defaultdict(set)
    events_of_label: dict[tuple[str, str], set[int]] = defaultdict(set)
    for row in mentions:
        for label in _labels(spec_by_key, keys_of_article[row["article_id"]], row):
            labels_of_event[row["global_event_id"]].add(label)
            events_of_label[label].add(row["global_event_id"])
    merged = {event: labels for event, labels in labels_of_event.items() if len(labels) > 1}
    assert not merged, merged
    expected = sum(2 if spec.mutual else 1 for spec in specs)
    assert abs(len(events) - expected) <= 0.10 * expected, (len(events), expected)
    split = {label: ids for label, ids in events_of_label.items() if len(ids) > 1}
    assert len(split) <= 0.10 * expected, split
    # Near misses stay apart: their mentions never share an event.
    for first, second in near_miss_pairs(specs):
        for direction in ("forward", "reverse"):
            assert not events_of_label[(first, direction)] & events_of_label[(second, direction)]


def test_counts_follow_from_the_reports(deduplicated) -> None:
    specs, articles, mentions, events = deduplicated
    spec_by_key = {spec.key: spec for spec in specs}
    keys_of_article = {article.id: article.event_keys for article in articles}
    articles_of_label: dict[tuple[str, str], set[str]] = defaultdict(set)
    event_of_label: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for row in mentions:
        for label in _labels(spec_by_key, keys_of_article[row["article_id"]], row):
            articles_of_label[label].add(row["article_id"])
            event_of_label[label][row["global_event_id"]] += 1
    outlets = {article.id: article.source for article in articles}
    right = 0
    for label, counter in event_of_label.items():
        event, mention_count = counter.most_common(1)[0]
        num_mentions, num_articles, num_sources = events[event]
        reporting = articles_of_label[label]
        right += (num_mentions == mention_count and num_articles == len(reporting)
                  and num_sources == len({outlets[a] for a in reporting}))
    assert right >= 0.9 * len(event_of_label), (right, len(event_of_label))
    reported = [n for (_, n, _) in events.values()]
    assert max(reported) >= 5, "events are reported by several articles each"


def test_every_mention_counts_towards_exactly_one_event(deduplicated) -> None:
    _, articles, mentions, events = deduplicated
    assert len(mentions) >= len(articles)
    assert sum(n for (n, _, _) in events.values()) == len(mentions)
