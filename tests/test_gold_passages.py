"""The coder against the project's own gold passages (tests/gold/, written for this project).

These are regression guards with floors a little under today's figures; `geoevents evaluate` prints the
figures themselves. The development gold sets in ../shared/gold are scored the same way (see README).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from etl.codebook import event_codes
from etl.coder import code_records
from etl.evaluate import score

GOLD_DIR = Path(__file__).parent / "gold"
# Floors per language at L1 (source country, target country, root code).
FLOORS = {"en": {"precision": 0.82, "recall": 0.68}, "id": {"precision": 0.84, "recall": 0.75}}


def _passages(lang: str) -> list[dict]:
    with (GOLD_DIR / f"{lang}.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.mark.parametrize("lang", sorted(FLOORS))
def test_gold_passages_cover_every_root_and_the_hard_cases(lang: str) -> None:
    passages = _passages(lang)
    assert len(passages) >= 80
    assert len({p["id"] for p in passages}) == len(passages)
    codes = event_codes()
    roots = set()
    for passage in passages:
        assert passage["lang"] == lang
        for event in passage["events"]:
            assert event["code"] in codes
            roots.add(event["code"][:2])
    assert roots == {code for code in codes if len(code) == 2}
    phenomena = {name for p in passages for name in p.get("phenomena", [])}
    assert {"passive", "negation", "compound_actor", "reported_speech", "pronoun_or_short_name",
            "relative_date", "hypothetical", "question"} <= phenomena
    assert sum(not p["events"] for p in passages) >= 10


@pytest.mark.parametrize("lang", sorted(FLOORS))
def test_coder_reaches_its_floors_on_the_gold_passages(lang: str) -> None:
    passages = _passages(lang)
    report = score(passages, code_records(passages))
    tally = report.tallies[("L1", lang)]
    floor = FLOORS[lang]
    assert tally.precision >= floor["precision"], report.table()
    assert tally.recall >= floor["recall"], report.table()
    correct, compared = report.dates[lang]
    assert compared and correct / compared >= 0.8, report.table()
