"""The de-duplication rule, mention by mention: what merges into one event and what stays apart."""

from __future__ import annotations

import datetime as dt

import polars as pl

from etl.codebook import event_codes, event_families, event_family
from etl.transform import DedupRule, assign_events

DAY = dt.date(2025, 6, 3)
JAKARTA, BATAM = "1642911", "1649150"


def mention(mention_id: str, *, actor1: str = "IDNCOP", actor2: str | None = "MYSCVL", code: str = "173",
            day: dt.date = DAY, city: str | None = JAKARTA, country: str | None = "IDN", article: str | None = None
            ) -> dict:
    return {
        "mention_id": mention_id, "article_id": article or mention_id.split(":")[0], "sentence_id": 1,
        "mention_time_date": 20250603000000, "event_date": day, "actor1_code": actor1, "actor2_code": actor2,
        "event_code": code, "action_geo_type": 4 if city else (1 if country else None),
        "action_geo_feature_id": city, "action_geo_country_iso3": country,
    }


def events_of(rows: list[dict], existing: pl.DataFrame | None = None, rule: DedupRule | None = None) -> list[int]:
    frame = pl.DataFrame(rows, schema_overrides={"action_geo_type": pl.Int8, "sentence_id": pl.Int32})
    return assign_events(frame, existing, rule or DedupRule(window_days=1))["global_event_id"].to_list()


def test_same_event_in_other_words_merges() -> None:
    ids = events_of([
        mention("a:0:0"),
        mention("b:3:0", code="173", day=DAY + dt.timedelta(days=1)),  # dated a day later by another outlet
        mention("c:0:0", actor1="IDN", city=None),  # "Indonesia arrested ...": no role, no city
    ])
    assert len(set(ids)) == 1


def test_code_families_merge_and_other_actions_do_not() -> None:
    meeting = [mention("a:0:0", actor1="IDNGOV", actor2="CHNGOV", code="040"),
               mention("b:0:0", actor1="IDNGOV", actor2="CHNGOV", code="042"),
               mention("c:0:0", actor1="IDNGOV", actor2="CHNGOV", code="046")]
    sanction = [mention("d:0:0", actor1="IDNGOV", actor2="CHNGOV", code="163")]
    ids = events_of(meeting + sanction)
    assert len(set(ids[:3])) == 1 and ids[3] != ids[0]


def test_two_strikes_in_two_cities_on_one_day_stay_two() -> None:
    ids = events_of([
        mention("a:0:0", actor1="ISRMIL", actor2="PSE", code="195", city="281133", country="PSE"),
        mention("b:0:0", actor1="ISRMIL", actor2="PSE", code="195", city="282615", country="PSE"),
        mention("c:0:0", actor1="ISRMIL", actor2="PSE", code="190", city="281133", country="PSE"),
    ])
    assert ids[0] != ids[1] and ids[0] == ids[2]


def test_dates_outside_the_window_stay_apart() -> None:
    ids = events_of([mention("a:0:0"), mention("b:0:0", day=DAY + dt.timedelta(days=2))])
    assert ids[0] != ids[1]
    wider = events_of([mention("a:0:0"), mention("b:0:0", day=DAY + dt.timedelta(days=2))],
                      rule=DedupRule(window_days=2))
    assert wider[0] == wider[1]


def test_different_roles_or_direction_stay_apart() -> None:
    ids = events_of([
        mention("a:0:0", actor1="IDNCOP"),
        mention("b:0:0", actor1="IDNMIL"),  # the army, not the police
        mention("c:0:0", actor1="MYSCVL", actor2="IDNCOP"),  # the other direction
    ])
    assert len(set(ids)) == 3
    strict = events_of([mention("a:0:0"), mention("b:0:0", actor1="IDN")], rule=DedupRule(unknown_role_matches=False))
    assert strict[0] != strict[1]


def test_a_later_report_joins_the_stored_event_and_keeps_its_id() -> None:
    existing = pl.DataFrame({
        "global_event_id": [42], "event_date": [DAY], "actor1_code": ["IDNCOP"], "actor2_code": ["MYSCVL"],
        "event_code": ["173"], "action_geo_type": [4], "action_geo_feature_id": [JAKARTA],
        "action_geo_country_iso3": ["IDN"],
    })
    assert events_of([mention("z:1:0"), mention("y:0:0", city=BATAM)], existing) == [42, events_of(
        [mention("y:0:0", city=BATAM)])[0]]


def test_ids_are_stable_and_order_free_within_a_batch() -> None:
    rows = [mention("a:0:0"), mention("b:0:0", city=None), mention("c:0:0", code="190", actor1="IDNMIL")]
    assert events_of(rows) == events_of(rows)
    reordered = events_of(list(reversed(rows)))
    assert reordered == list(reversed(events_of(rows)))


def test_families_name_real_codes() -> None:
    assert set(event_families()) <= set(event_codes())
    assert event_family("1662") == "166" and event_family("042") == event_family("043") == "consult"
