"""Any text codes without an exception and yields only valid records."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.codebook import actor_code_problem, event_codes
from etl.coder import Coder

CODER = Coder()
NEWS_WORDS = st.sampled_from(
    "Indonesia Rusia Tiongkok China police polisi menyerang attacked signed menandatangani kesepakatan "
    "agreement and dan oleh by was tidak not Xi Jinping Putin Presiden President Kamis (8/5) Tuesday "
    "kemarin yesterday . , ? di in Jakarta Moskow TNI KKB Hamas Israel the two leaders kedua pemimpin "
    "he ia visited kunjungan ke to with dengan met bertemu arrested ditangkap".split()
)
TEXTS = st.one_of(st.text(max_size=400), st.lists(NEWS_WORDS, max_size=60).map(" ".join))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, lang=st.sampled_from(["en", "id"]), day=st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)))
def test_any_text_codes_to_valid_events(text: str, lang: str, day: dt.date) -> None:
    codes = event_codes()
    for event in CODER.code_text(text, lang=lang, published=day, doc_id="h"):
        assert event["event_code"] in codes
        assert actor_code_problem(event["source_code"]) is None
        if event["target_code"] is not None:
            assert actor_code_problem(event["target_code"]) is None
        assert text[event["char_start"] : event["char_end"]].startswith(event["sentence"][:20])
        dt.date.fromisoformat(event["event_date"])
