"""The sentence shapes the coder must read right, one test each, in both languages."""

from __future__ import annotations

import datetime as dt

import pytest

from etl.coder import Coder

CODER = Coder()
PUBLISHED = dt.date(2025, 3, 7)  # a Friday


def triples(text: str, lang: str, published: dt.date = PUBLISHED) -> set[tuple[str, str, str]]:
    return {(e["source_code"], e["target_code"], e["event_code"])
            for e in CODER.code_text(text, lang=lang, published=published)}


def roots(text: str, lang: str, published: dt.date = PUBLISHED) -> set[tuple[str, str, str]]:
    return {(s[:3], t[:3] if t else "", code[:2]) for s, t, code in triples(text, lang, published)}


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en", "Two Malaysian fishermen were arrested by the Indonesian navy near Natuna.", ("IDN", "MYS", "17")),
    ("id", "Dua nelayan Malaysia ditangkap oleh TNI AL di perairan Natuna.", ("IDN", "MYS", "17")),
    ("id", "Pos polisi di Puncak diserang KKB pada Senin dini hari.", ("IDN", "IDN", "19")),
])
def test_passive_voice_swaps_the_roles(lang: str, text: str, expected: tuple[str, str, str]) -> None:
    assert expected in roots(text, lang)


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Indonesia did not sign the agreement with Malaysia."),
    ("en", "Israel denied that its troops attacked the convoy."),
    ("en", "Would Russia attack Ukraine again?"),
    ("en", "If China invades Taiwan, the United States could impose sanctions on Beijing."),
    ("id", "Malaysia tidak menandatangani perjanjian itu dengan Indonesia."),
    ("id", "Apakah Rusia akan menyerang Ukraina lagi?"),
    ("id", "Jika Tiongkok menyerang Taiwan, Amerika Serikat bisa menjatuhkan sanksi kepada Beijing."),
])
def test_negated_hypothetical_and_questioned_actions_are_not_events(lang: str, text: str) -> None:
    coded = triples(text, lang)
    assert not {t for t in coded if t[2][:2] in ("05", "19", "16", "17")}, coded


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Indonesia and Malaysia signed a border agreement in Kuala Lumpur on Thursday."),
    ("id", "Indonesia dan Malaysia menandatangani perjanjian perbatasan di Kuala Lumpur, Kamis (6/3)."),
])
def test_compound_actors_code_a_joint_action_both_ways(lang: str, text: str) -> None:
    coded = roots(text, lang)
    assert ("IDN", "MYS", "05") in coded and ("MYS", "IDN", "05") in coded


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en", "Chinese President Xi Jinping arrived in Moscow on Wednesday. Xi later met Putin at the Kremlin.",
     ("CHNGOV", "RUSGOV", "04")),
    ("id", "Presiden Prabowo Subianto tiba di Tokyo, Rabu (5/3). Ia kemudian bertemu Perdana Menteri Jepang.",
     ("IDNGOV", "JPNGOV", "04")),
])
def test_later_short_mentions_resolve_to_the_actor_introduced_before(lang: str, text: str, expected) -> None:
    assert any((s, t, c[:2]) == expected for s, t, c in triples(text, lang)), triples(text, lang)


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en", "Thai police arrested three opposition activists in Bangkok.", ("THACOP", "THAOPP", "173")),
    ("id", "Polisi Thailand menangkap tiga aktivis oposisi di Bangkok.", ("THACOP", "THAOPP", "173")),
])
def test_agents_compose_with_countries(lang: str, text: str, expected) -> None:
    assert expected in triples(text, lang)


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en", "A spokesman said Israeli troops attacked a refugee camp in Gaza.", ("ISR", "PSE", "19")),
    ("id", "Juru bicara PBB mengatakan pasukan Israel menyerang kamp pengungsi Palestina di Gaza.", ("ISR", "PSE", "19")),
])
def test_reported_speech_codes_the_reported_action(lang: str, text: str, expected) -> None:
    coded = roots(text, lang)
    assert expected in coded, coded


@pytest.mark.parametrize(("lang", "text", "code"), [
    ("en", "Japan's prime minister visited Jakarta on Monday.", "042"),
    ("en", "Japan's prime minister telephoned the Indonesian president on Monday.", "041"),
    ("en", "Indonesia hosted Japan's prime minister on Monday.", "043"),
    ("id", "Perdana Menteri Jepang berkunjung ke Jakarta, Senin (3/3).", "042"),
    ("id", "Perdana Menteri Jepang menelepon Presiden Indonesia, Senin (3/3).", "041"),
])
def test_consultation_kinds_reach_three_digit_codes(lang: str, text: str, code: str) -> None:
    assert any(c == code for _, _, c in triples(text, lang)), triples(text, lang)


def test_person_is_coded_by_the_role_held_on_the_date() -> None:
    text = "Joko Widodo met Anthony Albanese in Jakarta."
    before = triples(text, "en", dt.date(2023, 7, 4))
    after = triples(text, "en", dt.date(2025, 7, 4))
    assert any(s == "IDNGOV" for s, _, _ in before), before
    assert not any(s == "IDNGOV" for s, _, _ in after), after


def test_text_without_sentence_ends_is_coded_in_pieces_not_cut() -> None:
    text = "Israel menyerang Gaza dan " * 400  # 10,400 characters, no sentence end
    events = CODER.code_text(text, lang="id", published=PUBLISHED)
    assert max(event["char_start"] for event in events) > 8000
    for event in events:
        assert text[event["char_start"] : event["char_end"]] == event["sentence"]
        assert event["char_end"] - event["char_start"] <= 2000


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # a protest with no named target is against the protesters' own government
    ("en", "Thousands of protesters rallied against the new labour law in Nairobi on Tuesday.", ("KEN", "KEN", "14")),
    ("id", "Ribuan buruh berunjuk rasa di Jakarta, Selasa (4/3).", ("IDN", "IDN", "14")),
    # a criticism with no named target answers the last reported act
    ("en", "Israeli jets struck a building in Doha on Tuesday. Qatar condemned the attack.", ("QAT", "ISR", "11")),
    ("id", "Pasukan Israel menyerang Doha, Selasa (4/3). Pemerintah Qatar mengecam keras serangan itu.",
     ("QAT", "ISR", "11")),
    # a mediator mediates between the parties
    ("id", "Israel dan Hamas menyepakati gencatan senjata yang dimediasi Qatar.", ("QAT", "ISR", "04")),
    ("en", "Thailand and Cambodia agreed to a ceasefire in a deal mediated by Malaysia.", ("MYS", "KHM", "04")),
    # each other / saling
    ("id", "India dan Pakistan saling menuduh melanggar gencatan senjata.", ("PAK", "IND", "11")),
])
def test_implicit_targets(lang: str, text: str, expected: tuple[str, str, str]) -> None:
    assert expected in roots(text, lang), roots(text, lang)
