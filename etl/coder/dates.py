"""Finding dates in a sentence and resolving them against the publication date."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from etl.coder.dictionary import Language, load_language

#: A day-and-month without a year that would fall more than this many days after publication
#: belongs to the previous year (news reports the past).
FUTURE_TOLERANCE_DAYS = 3


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    text: str
    day: dt.date


def _alternation(words: list[str], *, capitalised: bool) -> str:
    ordered = sorted(words, key=len, reverse=True)
    if capitalised:
        return "|".join(f"[{w[0].upper()}]{re.escape(w[1:])}" for w in ordered)
    return "|".join(re.escape(w) for w in ordered)


@cache
def _date_regexes(lang: str) -> list[tuple[str, re.Pattern[str]]]:
    language = load_language(lang)
    weekdays = _alternation(list(language.dates.get("weekday", {})), capitalised=True)
    months = _alternation(list(language.dates.get("month", {})), capitalised=True)
    parts = _alternation(list(language.dates.get("part_of_day", {})) or ["\x00"], capitalised=False)
    numeric = r"\(?\s*(?P<nd>\d{1,2})\s*/\s*(?P<nm>\d{1,2})(?:\s*/\s*(?P<ny>\d{2,4}))?\s*\)?"
    regexes = []
    if months:
        regexes.append((
            "day_month",
            re.compile(
                rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{months})\.?(?:,?\s+(?P<y>\d{{4}}))?\b"
            ),
        ))
        regexes.append((
            "month_day",
            re.compile(rf"\b(?P<m>{months})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}}))?"),
        ))
    if weekdays:
        # The possessive "\s*+" keep the run of spaces before a numeric date from being split between
        # the optional parts in every way (cubic time on a weekday followed by a long run of spaces).
        regexes.append((
            "weekday",
            re.compile(
                rf"\b(?P<w>{weekdays})\b(?:\s+(?:(?i:{parts})))?(?:\s*+,?\s*+{numeric}(?![\d/]))?"
            ),
        ))
    regexes.append(("numeric", re.compile(r"\((?P<nd>\d{1,2})\s*/\s*(?P<nm>\d{1,2})(?:\s*/\s*(?P<ny>\d{2,4}))?\)")))
    return regexes


def _year(text: str | None) -> int | None:
    if not text:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


def _build(day: int, month: int, year: int | None, published: dt.date) -> dt.date | None:
    try:
        candidate = dt.date(year or published.year, month, day)
    except ValueError:
        return None
    if year is None and (candidate - published).days > FUTURE_TOLERANCE_DAYS:  # no overflow near date.max
        try:
            candidate = candidate.replace(year=candidate.year - 1)
        except ValueError:
            return None
    return candidate


def _shift(day: dt.date, days: int) -> dt.date | None:
    """The day `days` later, or None before 1 January of year 1 or after 9999 (a publication date at the
    ends of the calendar, as in sentinel values like 9999-12-31)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


def _weekday_before(weekday: int, published: dt.date) -> dt.date | None:
    return _shift(published, -((published.weekday() - weekday) % 7))


def find_dates(sentence: str, lang: str, published: dt.date) -> list[DateMention]:
    """Every date expression in the sentence, resolved to a calendar day, in text order."""
    language: Language = load_language(lang)
    months = language.dates.get("month", {})
    weekdays = language.dates.get("weekday", {})
    found: list[DateMention] = []
    for kind, regex in _date_regexes(lang):
        for match in regex.finditer(sentence):
            groups = match.groupdict()
            day: dt.date | None = None
            if kind in ("day_month", "month_day"):
                month = months.get(groups["m"].lower())
                if month:
                    day = _build(int(groups["d"]), month, _year(groups.get("y")), published)
            elif groups.get("nd"):
                day = _build(int(groups["nd"]), int(groups["nm"]), _year(groups.get("ny")), published)
            elif kind == "weekday":
                weekday = weekdays.get(groups["w"].lower())
                if weekday is not None:
                    day = _weekday_before(weekday, published)
            if day is not None:
                found.append(DateMention(match.start(), match.end(), match.group().strip(), day))
    lowered = sentence.lower()
    if len(lowered) != len(sentence):
        # "İ" lowers to two characters: lower character by character so offsets still point into the sentence.
        lowered = "".join(ch.lower()[0] for ch in sentence)
    for phrase, offset in language.dates.get("relative", {}).items():
        for match in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", lowered):
            day = _shift(published, offset or 0)
            if day is not None:
                found.append(DateMention(match.start(), match.end(), sentence[match.start() : match.end()], day))
    # "Kamis, 8 Mei 2025": a weekday followed by an explicit date is one mention with the explicit day.
    found.sort(key=lambda m: m.start)
    merged: list[DateMention] = []
    for mention in found:
        if merged and 0 <= mention.start - merged[-1].end <= 2 and sentence[merged[-1].end : mention.start].strip(" ,") == "" \
                and merged[-1].text.split()[0].lower() in weekdays:
            head = merged.pop()
            mention = DateMention(head.start, mention.end, sentence[head.start : mention.end], mention.day)
        merged.append(mention)
    found = merged
    # Overlapping mentions: keep the longest ("Selasa (7/5/2024)" over "Selasa", "minggu lalu" over "Minggu").
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[DateMention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            if mention.end - mention.start > kept[-1].end - kept[-1].start:
                kept[-1] = mention
            continue
        kept.append(mention)
    return kept


def nearest_date(mentions: list[DateMention], position: int) -> DateMention | None:
    """The date mention closest to a character position (the action's trigger) in the sentence."""
    if not mentions:
        return None
    return min(mentions, key=lambda m: min(abs(m.start - position), abs(m.end - position)))
