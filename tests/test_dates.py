"""Dates relative to publication, in both languages."""

from __future__ import annotations

import datetime as dt

import pytest

from etl.coder.dates import find_dates, nearest_date

PUBLISHED = dt.date(2025, 5, 10)  # a Saturday


@pytest.mark.parametrize(
    ("lang", "sentence", "expected", "words"),
    [
        ("id", "Kedua menteri bertemu pada Kamis (8/5) di Jakarta.", "2025-05-08", "Kamis (8/5)"),
        ("id", "Pernyataan itu diunggah Selasa malam (6/5/2025).", "2025-05-06", "Selasa malam (6/5/2025)"),
        ("id", "Pertemuan digelar pada Kamis, 8 Mei 2025 di Moskow.", "2025-05-08", "Kamis, 8 Mei 2025"),
        ("id", "Polisi menangkap dua orang kemarin.", "2025-05-09", "kemarin"),
        ("id", "Serangan terjadi Sabtu dini hari.", "2025-05-10", "Sabtu dini hari"),
        ("id", "Kesepakatan diteken pekan lalu.", "2025-05-03", "pekan lalu"),
        ("id", "Demo berlangsung sejak 28 Desember.", "2024-12-28", "28 Desember"),
        ("en", "The ministers met on Thursday in Jakarta.", "2025-05-08", "Thursday"),
        ("en", "He was detained on Wednesday night.", "2025-05-07", "Wednesday night"),
        ("en", "The deal was signed on May 8, 2025.", "2025-05-08", "May 8, 2025"),
        ("en", "Troops crossed the border on 3 April.", "2025-04-03", "3 April"),
        ("en", "Police arrested him yesterday.", "2025-05-09", "yesterday"),
    ],
)
def test_resolves_dates(lang: str, sentence: str, expected: str, words: str) -> None:
    mentions = find_dates(sentence, lang, PUBLISHED)
    assert mentions, sentence
    best = nearest_date(mentions, 0)
    assert best is not None
    assert best.day.isoformat() == expected
    assert best.text == words


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("en", "Officials may meet again, and the march continued."),
        ("id", "Dalam satu minggu, harga naik dua persen."),
        ("en", "Turnout was 8 percent."),
    ],
)
def test_words_that_are_not_dates(lang: str, sentence: str) -> None:
    assert find_dates(sentence, lang, PUBLISHED) == []


def test_nearest_date_to_the_trigger() -> None:
    sentence = "Israel attacked on Monday, and on Friday Hamas agreed to a ceasefire."
    mentions = find_dates(sentence, "en", PUBLISHED)
    assert nearest_date(mentions, sentence.index("attacked")).day == dt.date(2025, 5, 5)
    assert nearest_date(mentions, sentence.index("agreed")).day == dt.date(2025, 5, 9)
