"""Every dictionary entry is checked: codes exist in the codebook, no duplicates, patterns compile."""

from __future__ import annotations

from collections import defaultdict

import pytest

from etl.codebook import actor_code_problem, event_codes, role_blocks
from etl.coder.dictionary import DictionaryError, compile_pattern, parse_partial_date
from etl.lang import ALL_LANGUAGES, TABLES, read_table, table_path
from etl.lang import languages as dictionary_languages

LANGUAGES = dictionary_languages()
WORD_CATEGORIES = {"aim", "noun_suffix", "object", "with", "gerund", "topic", "between", "former", "intend", "anaphor", "negation", "modal", "future", "connector", "contrast", "reciprocal", "infinitive", "light", "determiner", "report", "and", "by", "be", "clause", "relative", "pronoun", "pair",
                   "locative", "common"}
DATE_CATEGORIES = {"weekday": range(0, 7), "month": range(1, 13), "relative": range(-31, 32), "part_of_day": None}


def test_languages_present() -> None:
    assert {"en", "id"} <= set(LANGUAGES)


def test_codebook_has_all_cameo_codes() -> None:
    codes = event_codes()
    assert len(codes) == 311
    assert sum(code.level == "root" for code in codes.values()) == 20
    assert codes["0231"].root == "02" and codes["057"].goldstein == 8.0 and codes["190"].quad_class == 4


@pytest.mark.parametrize("lang", LANGUAGES + [ALL_LANGUAGES])
def test_every_table_file_has_its_header(lang: str) -> None:
    for table, columns in TABLES.items():
        path = table_path(lang, table)
        if not path.exists():
            continue
        header = next(line for line in path.read_text(encoding="utf-8").splitlines()
                      if line.strip() and not line.startswith("#"))
        assert tuple(header.split("\t")) == columns, f"{path}: header must be {columns}"


def _actor_tables() -> list[tuple[str, str]]:
    return [(lang, "actors") for lang in LANGUAGES] + [(ALL_LANGUAGES, "people")]


@pytest.mark.parametrize(("lang", "table"), _actor_tables())
def test_actor_entries(lang: str, table: str) -> None:
    rows = read_table(lang, table)
    assert rows, f"{lang}/{table}.tsv is empty"
    problems = []
    seen = set()
    ranges: dict[str, list] = defaultdict(list)
    for row in rows:
        if not row["phrase"]:
            problems.append(f"{row.where}: empty phrase")
        problem = actor_code_problem(row["code"])
        if problem:
            problems.append(f"{row.where}: {row['code']!r}: {problem}")
        try:
            start = parse_partial_date(row["from"])
            end = parse_partial_date(row["until"])
        except ValueError as error:
            problems.append(f"{row.where}: {error}")
            continue
        if start and end and start >= end:
            problems.append(f"{row.where}: 'from' {start} is not before 'until' {end}")
        key = (row["phrase"].lower(), row["code"], row["from"])
        if key in seen:
            problems.append(f"{row.where}: duplicate entry {key}")
        seen.add(key)
        ranges[row["phrase"].lower()].append((start, end, row))
    for phrase, spans in ranges.items():
        if len(spans) < 2:
            continue
        undated = [row for start, end, row in spans if not start and not end]
        if len(undated) > 1:
            problems.append(f"{undated[1].where}: {phrase!r} has several undated codes")
        dated = sorted(((s, e, r) for s, e, r in spans if s or e), key=lambda item: (item[0] is not None, item[0]))
        for (_s1, e1, r1), (s2, _e2, r2) in zip(dated, dated[1:]):
            if e1 is None or (s2 is not None and s2 < e1):
                problems.append(f"{r2.where}: {phrase!r} overlaps the range of {r1.where}")
    assert not problems, "\n".join(problems[:50])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_agent_entries(lang: str) -> None:
    rows = read_table(lang, "agents")
    assert rows, f"{lang}/agents.tsv is empty"
    roles = role_blocks()
    problems, seen = [], set()
    for row in rows:
        if roles.get(row["role"]) != "role":
            problems.append(f"{row.where}: {row['role']!r} is not a role in actor_roles.tsv")
        key = row["phrase"].lower()
        if key in seen:
            problems.append(f"{row.where}: duplicate agent {row['phrase']!r}")
        seen.add(key)
    assert not problems, "\n".join(problems[:50])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_verb_patterns_compile_and_cover_every_root(lang: str) -> None:
    rows = read_table(lang, "verbs")
    problems, seen = [], {}
    roots = set()
    for row in rows:
        try:
            compiled = compile_pattern(row["code"], row["pattern"], row["flags"], row.where)
        except DictionaryError as error:
            problems.append(str(error))
            continue
        for pattern in compiled:
            key = " ".join(pattern.text.lower().split())
            if key in seen:
                problems.append(f"{row.where}: pattern {pattern.text!r} repeats {seen[key]}")
            seen[key] = row.where
        roots.add(row["code"][:2])
    assert not problems, "\n".join(problems[:50])
    missing = {code for code in event_codes() if len(code) == 2} - roots
    assert not missing, f"{lang}: no pattern for CAMEO roots {sorted(missing)}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_function_words(lang: str) -> None:
    rows = read_table(lang, "words")
    problems, seen = [], set()
    for row in rows:
        if row["category"] not in WORD_CATEGORIES:
            problems.append(f"{row.where}: unknown category {row['category']!r}")
        key = (row["category"], row["word"].lower())
        if key in seen:
            problems.append(f"{row.where}: duplicate {key}")
        seen.add(key)
    categories = {row["category"] for row in rows}
    assert {"negation", "and", "common", "clause", "report"} <= categories
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_date_words(lang: str) -> None:
    rows = read_table(lang, "dates")
    problems, seen = [], set()
    for row in rows:
        allowed = DATE_CATEGORIES.get(row["category"], "unknown")
        if allowed == "unknown":
            problems.append(f"{row.where}: unknown category {row['category']!r}")
        elif allowed is not None and (not row["value"].lstrip("-").isdigit() or int(row["value"]) not in allowed):
            problems.append(f"{row.where}: value {row['value']!r} out of range for {row['category']}")
        key = (row["category"], row["word"].lower())
        if key in seen:
            problems.append(f"{row.where}: duplicate {key}")
        seen.add(key)
    weekdays = {int(row["value"]) for row in rows if row["category"] == "weekday"}
    months = {int(row["value"]) for row in rows if row["category"] == "month"}
    assert weekdays == set(range(7)) and months == set(range(1, 13))
    assert not problems, "\n".join(problems)


def test_bad_patterns_are_rejected() -> None:
    for code, pattern, flags in [("999", "attack", ""), ("190", "* attack", ""), ("190", "attack *", ""),
                                 ("190", "attack", "sometimes"), ("190", "at*", ""), ("190", "(attack", "")]:
        with pytest.raises(DictionaryError):
            compile_pattern(code, pattern, flags, "test")


def test_actor_code_validation() -> None:
    assert actor_code_problem("CHNGOV") is None
    assert actor_code_problem("IGOWSTNAT") is None
    assert actor_code_problem("IDNSEP") is None
    assert actor_code_problem("XYZ") is not None
    assert actor_code_problem("CHNXXX") is not None
    assert actor_code_problem("chngov") is not None
