"""Hostile and broken landing files never stop a run and never cost a good article.

Every test drops files into a landing folder next to a few good articles and runs the whole pipeline
(`run_pipeline`) into a fresh DuckDB warehouse; then it checks, in SQL, exactly which articles were loaded
and which files or lines were quarantined with which reason, that the good articles are all there, and that
every quarantined copy holds the original bytes. `test_all_hostile_inputs_in_one_drop` puts them all in one
drop. The 200 MB files and the HTML entity bomb are also measured for time and memory.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import textwrap
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from etl import settings
from etl.ingest import reader
from etl.ingest.formats import Rejected, decode_text
from etl.pipeline import RunPaths, run_pipeline

PROJECT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024

# -------------------------------------------------------------------------------------------------
# The good articles of every drop

GOOD_TEXT = ("Indonesian police arrested two Malaysian nationals in Jakarta on Monday, a police spokesman said. "
             "The two men were detained at the airport and will be questioned by investigators.")
GOOD_LINES = [
    "Polisi menangkap dua warga negara Malaysia di Jakarta pada hari Senin, kata juru bicara kepolisian.",
    "The foreign ministers of Indonesia and Malaysia met in Kuala Lumpur on Tuesday to discuss the border.",
]
GOOD_JSON_TEXT = "Thai and Cambodian officials held talks in Bangkok on Wednesday about the disputed temple."
GOOD_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Envoys meet in Manila</title></head>
<body><nav><a href="/">Home</a></nav><article><h1>Envoys meet in Manila</h1>
<p>Philippine and Vietnamese envoys met in Manila on Thursday to discuss fishing rights in the sea.</p>
<p>Both sides said the talks were constructive and agreed to meet again next month.</p>
</article></body></html>
"""

#: (file, file_line) of an article or quarantine row; file_line is None for a whole file.
Key = tuple[str, int | None]


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


@dataclass
class Expected:
    """What a drop must give: articles by key (with their exact text, or None when only their presence is
    checked) and quarantine reasons by key."""

    loaded: dict[Key, str | None] = field(default_factory=dict)
    quarantined: dict[Key, str] = field(default_factory=dict)

    def __or__(self, other: Expected) -> Expected:
        assert not (self.loaded.keys() & other.loaded.keys()) and not (self.quarantined.keys() & other.quarantined.keys())
        return Expected({**self.loaded, **other.loaded}, {**self.quarantined, **other.quarantined})


def good_drop(landing: Path) -> Expected:
    write(landing, "good/arrest.txt", f"Two Malaysians arrested\n\n{GOOD_TEXT}\n")
    write(landing, "good/feed.jsonl", "".join(json.dumps({"text": text}) + "\n" for text in GOOD_LINES))
    write(landing, "good/talks.json", json.dumps({"text": GOOD_JSON_TEXT, "title": "Temple talks"}))
    write(landing, "good/envoys.html", GOOD_HTML)
    return Expected(loaded={
        ("good/arrest.txt", None): f"Two Malaysians arrested\n\n{GOOD_TEXT}",
        ("good/feed.jsonl", 1): GOOD_LINES[0],
        ("good/feed.jsonl", 2): GOOD_LINES[1],
        ("good/talks.json", None): GOOD_JSON_TEXT,
        ("good/envoys.html", None): None,
    })


# -------------------------------------------------------------------------------------------------
# Running the pipeline and reading the warehouse


@dataclass
class Outcome:
    articles: dict[Key, str]
    quarantine: dict[Key, str]
    kept: dict[Key, tuple[str | None, str | None]]  # kept_as, sha256
    paths: RunPaths
    seconds: float


def run(tmp_path: Path) -> Outcome:
    paths = RunPaths(landing=tmp_path / "landing", quarantine=tmp_path / "quarantine",
                     staging=tmp_path / "staging", database=tmp_path / "events.duckdb")
    started = time.perf_counter()
    run_pipeline(paths)
    seconds = time.perf_counter() - started
    with duckdb.connect(str(paths.database), read_only=True) as con:
        articles = {(file, line): text for file, line, text in con.execute(
            "SELECT file, file_line, text FROM articles").fetchall()}
        rows = con.execute("SELECT file, file_line, reason, kept_as, sha256 FROM quarantine").fetchall()
        count = con.execute("SELECT count(*) FROM quarantine").fetchone()[0]
    quarantine = {(file, line): reason for file, line, reason, _, _ in rows}
    assert count == len(quarantine), "one quarantine row per file or line"
    kept = {(file, line): (kept_as, sha256) for file, line, _, kept_as, sha256 in rows}
    return Outcome(articles, quarantine, kept, paths, seconds)


def check(outcome: Outcome, expected: Expected) -> None:
    """Exactly the expected articles (with their texts) and quarantine rows, and exact quarantined copies."""
    assert sorted(outcome.articles, key=repr) == sorted(expected.loaded, key=repr)
    for key, text in expected.loaded.items():
        if text is not None:
            assert outcome.articles[key] == text, key
    assert outcome.quarantine == expected.quarantined
    for (file, line), (kept_as, sha256) in outcome.kept.items():
        if kept_as is None:
            continue
        kept = (outcome.paths.quarantine / kept_as).read_bytes()
        assert hashlib.sha256(kept).hexdigest() == sha256
        if line is None:  # a whole file: the copy is the file as it was dropped
            assert kept == _landing_bytes(outcome.paths.landing, file), file


def _landing_bytes(landing: Path, name: str) -> bytes:
    # Names with bytes that are not UTF-8 are stored with \xNN escapes; find the file by its stored name.
    for path in landing.rglob("*"):
        if path.is_file() and not path.is_symlink():
            relative = path.relative_to(landing).as_posix()
            if os.fsencode(relative).decode("utf-8", "backslashreplace") == name:
                return path.read_bytes()
    raise AssertionError(f"no landing file {name!r}")


def run_and_check(tmp_path: Path, case: Callable[[Path, Path], Expected]) -> Outcome:
    landing = tmp_path / "landing"
    expected = good_drop(landing) | case(landing, tmp_path / "outside")
    outcome = run(tmp_path)
    check(outcome, expected)
    return outcome


# -------------------------------------------------------------------------------------------------
# The hostile inputs: each writes its files and says what they must give

FRENCH = ("Le président français a déclaré lundi à Paris que l'accord était signé. "
          "Les ministres se sont réunis à Genève pour la première fois depuis février.")
GERMAN = ("Die Bundesregierung hat am Montag in Berlin erklärt, dass die Gespräche über die Grenze fortgeführt "
          "würden. Die Außenministerin äußerte sich zurückhaltend.")
SMART_QUOTES = ("The minister said \u201cwe will not back down\u201d \u2014 a claim critics called \u2018absurd\u2019 "
                "\u2026 The plan costs \u20ac5\u00a0million, the minist\u00e8re said.")
WIDE = "Caf\u00e9 owners in Jakarta said on Friday that the new rules were fair, the ministry reported."


def encodings_decoded(landing: Path, outside: Path) -> Expected:
    """Latin-1, Windows-1252, UTF-16/32 with and without BOM, in every format: all decoded correctly."""
    write(landing, "enc/latin1-fr.txt", FRENCH.encode("latin-1"))
    write(landing, "enc/latin1-de.md", f"# Grenze\n\n{GERMAN}".encode("latin-1"))
    write(landing, "enc/cp1252.txt", SMART_QUOTES.encode("cp1252"))
    write(landing, "enc/utf16le-bom.txt", codecs.BOM_UTF16_LE + f"{WIDE} (1)".encode("utf-16-le"))
    write(landing, "enc/utf16be-bom.txt", codecs.BOM_UTF16_BE + f"{WIDE} (2)".encode("utf-16-be"))
    write(landing, "enc/utf16le.txt", f"{WIDE} (3)\r\n".encode("utf-16-le"))
    write(landing, "enc/utf16be.txt", f"{WIDE} (4)\r\n".encode("utf-16-be"))
    write(landing, "enc/utf32le.txt", f"{WIDE} (5)".encode("utf-32-le"))
    write(landing, "enc/latin1.json", json.dumps({"text": FRENCH + " (json)"}, ensure_ascii=False).encode("latin-1"))
    write(landing, "enc/cp1252.jsonl", "\n".join(json.dumps({"text": text}, ensure_ascii=False) for text in [
        SMART_QUOTES + " (line 1)", GERMAN + " (line 2)"]).encode("cp1252"))
    write(landing, "enc/utf16le.jsonl", "\n".join(json.dumps({"text": f"{WIDE} ({n})"}, ensure_ascii=False)
                                                  for n in (6, 7)).encode("utf-16-le"))
    page = GOOD_HTML.replace('<meta charset="utf-8">', "").replace("Manila on Thursday", "Manila (café) on Thursday")
    write(landing, "enc/cp1252-no-meta.html", page.replace("Envoys meet", "Envoys meet again").encode("cp1252"))
    return Expected(loaded={
        ("enc/latin1-fr.txt", None): FRENCH,
        ("enc/latin1-de.md", None): f"# Grenze\n\n{GERMAN}",
        ("enc/cp1252.txt", None): SMART_QUOTES,
        ("enc/utf16le-bom.txt", None): f"{WIDE} (1)",
        ("enc/utf16be-bom.txt", None): f"{WIDE} (2)",
        ("enc/utf16le.txt", None): f"{WIDE} (3)",
        ("enc/utf16be.txt", None): f"{WIDE} (4)",
        ("enc/utf32le.txt", None): f"{WIDE} (5)",
        ("enc/latin1.json", None): FRENCH + " (json)",
        ("enc/cp1252.jsonl", 1): SMART_QUOTES + " (line 1)",
        ("enc/cp1252.jsonl", 2): GERMAN + " (line 2)",
        ("enc/utf16le.jsonl", 1): f"{WIDE} (6)",
        ("enc/utf16le.jsonl", 2): f"{WIDE} (7)",
        ("enc/cp1252-no-meta.html", None): "Envoys meet again in Manila\nPhilippine and Vietnamese envoys met in Manila (café) on Thursday to "
                                            "discuss fishing rights in the sea.\nBoth sides said the talks were "
                                            "constructive and agreed to meet again next month.",
    })


def _random_high_bytes(count: int) -> bytes:
    return bytes(byte | 0x80 for byte in random.Random(7).randbytes(count))


def encodings_undetectable(landing: Path, outside: Path) -> Expected:
    """Bytes that are no detectable encoding: quarantined with the UTF-8 error and why no other encoding fits."""
    write(landing, "bad/random-high.txt", _random_high_bytes(4096))
    write(landing, "bad/damaged-utf8.txt", FRENCH.encode("utf-8").replace("é".encode(), b"\xe9", 1))
    write(landing, "bad/russian-cp1251.txt", "Президент России заявил в понедельник, что переговоры будут "
                                             "продолжены в Москве.".encode("cp1251"))
    write(landing, "bad/japanese-sjis.txt", "日本の首相は月曜日に東京で記者会見を開いた。".encode("shift_jis"))
    write(landing, "bad/polish-cp1250.txt", "Prezydent Polski powiedział w poniedziałek, że rozmowy będą "
                                            "kontynuowane.".encode("cp1250"))
    write(landing, "bad/cut-utf16le.txt", FRENCH.encode("utf-16-le")[:-1])
    write(landing, "bad/latin1-broken.json", '{"text": "Le café est fermé", }'.encode("latin-1"))
    no_other = "and no other encoding fits"
    return Expected(quarantined={
        ("bad/random-high.txt", None): f"not valid UTF-8 (invalid byte 0xb8 at offset 0), {no_other} (byte 0x8d at "
                                       "offset 9 is undefined in Windows-1252 and a control character in ISO-8859-1)",
        ("bad/damaged-utf8.txt", None): f"not valid UTF-8 (invalid byte 0xe9 at offset 5), {no_other} (it looks like "
                                        "damaged UTF-8: 22 of its 23 non-ASCII bytes form valid UTF-8 sequences)",
        ("bad/russian-cp1251.txt", None): f"not valid UTF-8 (invalid byte 0xcf at offset 0), {no_other} (as "
                                          "ISO-8859-1 it is 97% non-ASCII, not Western European text)",
        ("bad/japanese-sjis.txt", None): f"not valid UTF-8 (invalid byte 0x93 at offset 0), {no_other} (byte 0x81 "
                                         "at offset 42 is undefined in Windows-1252 and a control character in "
                                         "ISO-8859-1)",
        ("bad/polish-cp1250.txt", None): f"not valid UTF-8 (invalid byte 0xb3 at offset 26), {no_other} (as "
                                         "ISO-8859-1 it has symbols inside words like 'a³e')",
        ("bad/cut-utf16le.txt", None): "not valid UTF-16 LE without BOM (truncated data at offset 292)",
        # Read as ISO-8859-1, it failed for another reason: the reason says how it was read.
        ("bad/latin1-broken.json", None): "not valid JSON: Expecting property name enclosed in double quotes at "
                                          "line 1 column 31 (read as ISO-8859-1)",
    })


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x02\x00\x00\x00\x01\x80\x08\x06\x00\x00\x00" + bytes(range(256))
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00>\x00\x01\x00\x00\x00" + random.Random(3).randbytes(400)


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("article.txt", GOOD_TEXT)
    return buffer.getvalue()


def binary_files(landing: Path, outside: Path) -> Expected:
    """PNG, ELF and zip under text suffixes: quarantined whole as binary, never read as text or per line."""
    for name, content in [("bin/photo.txt", PNG), ("bin/photo.html", PNG), ("bin/program.json", ELF),
                          ("bin/program.md", ELF), ("bin/archive.jsonl", _zip()), ("bin/archive.txt", _zip())]:
        write(landing, name, content)
    return Expected(quarantined={
        (name, None): "binary file (contains NUL bytes)" for name in [
            "bin/photo.txt", "bin/photo.html", "bin/program.json", "bin/program.md", "bin/archive.jsonl",
            "bin/archive.txt"]})


def empty_files(landing: Path, outside: Path) -> Expected:
    """Zero-byte (and whitespace-only) files of every format: 'empty file'."""
    names = ["empty/a.txt", "empty/b.md", "empty/c.json", "empty/d.jsonl", "empty/e.html", "empty/f.htm"]
    for name in names:
        write(landing, name, b"")
    write(landing, "empty/blank.txt", b" \r\n\t\n")
    write(landing, "empty/utf16-bom-only.txt", codecs.BOM_UTF16_LE)
    return Expected(quarantined={(name, None): "empty file" for name in
                                 [*names, "empty/blank.txt", "empty/utf16-bom-only.txt"]})


def malformed_json_lines(landing: Path, outside: Path) -> Expected:
    """A JSON Lines file with bad lines among good ones: each bad line quarantined by its number."""
    lines = [
        json.dumps({"text": "Line one: police in Surabaya detained a suspect on Friday."}).encode(),
        b'{"text": "unfinished", ',
        b"",
        b'["a", "list"]',
        b"42",
        json.dumps({"title": "A headline and nothing else"}).encode(),
        '{"text": "Line seven: the café in Medan reopened on Saturday."}'.encode("cp1252"),
        b'{"text": "NUL \x00 inside"}',
        b'{"text": "' + _random_high_bytes(40) + b'"}',
        b"[" * 100_000,
        b'{"text": "Line eleven: half a surrogate pair \\ud800 was sent by the wire service."}',
        json.dumps({"text": "Line twelve: rescuers reached the village in Aceh on Sunday."}).encode() + b"\r",
        json.dumps({"text": {"nested": "object"}}).encode(),
        b"   \t",
        b'{"text": "cut off in the mid',
    ]
    write(landing, "lines/feed.jsonl", b"\n".join(lines))
    return Expected(
        loaded={
            ("lines/feed.jsonl", 1): "Line one: police in Surabaya detained a suspect on Friday.",
            ("lines/feed.jsonl", 7): "Line seven: the café in Medan reopened on Saturday.",
            ("lines/feed.jsonl", 11): "Line eleven: half a surrogate pair \ufffd was sent by the wire service.",
            ("lines/feed.jsonl", 12): "Line twelve: rescuers reached the village in Aceh on Sunday.",
        },
        quarantined={
            ("lines/feed.jsonl", 2): "not valid JSON: Expecting property name enclosed in double quotes at line 1 "
                                     "column 24",
            ("lines/feed.jsonl", 4): "not a JSON object (a list)",
            ("lines/feed.jsonl", 5): "not a JSON object (a number)",
            ("lines/feed.jsonl", 6): "no text",
            ("lines/feed.jsonl", 8): "binary data (contains NUL bytes)",
            ("lines/feed.jsonl", 9): "not valid UTF-8 (invalid byte 0xb8 at offset 10), and no other encoding fits "
                                     "(byte 0x8d at offset 19 is undefined in Windows-1252 and a control character "
                                     "in ISO-8859-1)",
            ("lines/feed.jsonl", 10): "not valid JSON: nested too deeply",
            ("lines/feed.jsonl", 13): "'text' is not a string (an object)",
            ("lines/feed.jsonl", 15): "not valid JSON: Unterminated string starting at line 1 column 10",
        },
    )


SCRIPT_ONLY_HTML = """<!DOCTYPE html><html><head><title>Loading</title>
<script>var tracker = {id: 1}; function go() { document.write("Police arrested two men in Jakarta on Monday"); }</script>
<script src="https://cdn.example.com/app.js"></script><style>body { color: red }</style></head>
<body onload="go()"><noscript>Enable JavaScript</noscript><div id="app"></div>
<script>window.__DATA__ = {"text": "The two men were detained at the airport and questioned."};</script></body></html>
"""


def html_without_text(landing: Path, outside: Path) -> Expected:
    """HTML that is all scripts and no text: 'no main text found in HTML' (script text is never the article)."""
    write(landing, "html/script-only.html", SCRIPT_ONLY_HTML)
    write(landing, "html/no-body.htm", "<html><head><script>alert(1)</script></head></html>")
    return Expected(quarantined={("html/script-only.html", None): "no main text found in HTML",
                                 ("html/no-body.htm", None): "no main text found in HTML"})


def _entity_bomb(external: list[str]) -> str:
    levels = ['<!ENTITY a "' + "a" * 100 + '">'] + [
        f'<!ENTITY {chr(98 + level)} "' + f"&{chr(97 + level)};" * 10 + '">' for level in range(9)]
    declarations = "\n".join([*levels, *(f'<!ENTITY x{n} SYSTEM "{url}">' for n, url in enumerate(external))])
    references = " ".join(f"&x{n};" for n in range(len(external)))
    return f"""<?xml version="1.0"?>
<!DOCTYPE html [
{declarations}
]>
<html><head><title>Harbour reopens</title></head><body><article>
<p>The harbour of Makassar reopened on Tuesday after the storm, port officials said in a statement.</p>
<p>&j; {references} Ships waiting offshore began unloading rice and fuel in the afternoon.</p>
</article></body></html>
"""


XML_BOMB = """<?xml version="1.0"?>
<!DOCTYPE feed [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<feed><entry><title>&c;</title><content>&xxe; Police arrested two men in Jakarta on Monday.</content></entry></feed>
"""


def xml_files(landing: Path, outside: Path) -> Expected:
    """.xml is no supported format: quarantined as unsupported (bytes kept), never decoded or parsed."""
    write(landing, "xml/feed.xml", XML_BOMB)
    write(landing, "xml/SITEMAP.XML", '<?xml version="1.0"?><urlset><url><loc>http://x/</loc></url></urlset>')
    return Expected(quarantined={("xml/feed.xml", None): "unsupported file type '.xml'",
                                 ("xml/SITEMAP.XML", None): "unsupported file type '.xml'"})


SHELL_NAMES = [
    "names/with spaces in the name.txt",
    "names/berita – ñ 日本.txt",
    "names/$(touch pwned);'&|.txt",
    "names/`touch pwned`.txt",
    "names/--version; touch pwned #.txt",
    "names/new\nline.txt",
    'names/quote" and \\ backslash.txt',
    "names/*?[glob]{a,b}.txt",
    "names/\U0001f600 emoji.txt",
]


def hostile_names(landing: Path, outside: Path) -> Expected:
    """File names with spaces, Unicode, shell metacharacters, a newline and bytes that are not UTF-8: loaded
    under their names (the bytes as \\xNN), and nothing they spell is ever run."""
    expected = Expected()
    for number, name in enumerate(SHELL_NAMES, start=1):
        text = f"Report {number}: fishermen in Ambon returned to port on Monday after the storm passed."
        write(landing, name, text)
        expected.loaded[(name, None)] = text
    raw = os.path.join(os.fsencode(landing), b"names", b"caf\xe9 \xff report.txt")
    with open(raw, "wb") as handle:
        handle.write(b"Report 10: farmers in Bali harvested rice on Tuesday despite the rain.")
    expected.loaded[("names/caf\\xe9 \\xff report.txt", None)] = (
        "Report 10: farmers in Bali harvested rice on Tuesday despite the rain.")
    write(landing, "names/$(touch pwned) bad.json", "{not json")
    expected.quarantined[("names/$(touch pwned) bad.json", None)] = (
        "not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2")
    return expected


SECRET = "hunter2-do-not-load-me"


def symlinks_outside(landing: Path, outside: Path) -> Expected:
    """Links to a file and a folder outside the landing folder, a dangling link and a link looping to the
    landing folder itself: none followed, so the outside files' content is never loaded (nor quarantined)."""
    write(outside, "passwords.txt", f"{SECRET} The minister said on Monday that the password is safe.")
    write(outside, "folder/secret.txt", f"{SECRET} Police in Jakarta said on Monday that the folder is safe.")
    (landing / "links").mkdir(parents=True)
    (landing / "links" / "leak.txt").symlink_to(outside / "passwords.txt")
    (landing / "links" / "leak-dir").symlink_to(outside / "folder", target_is_directory=True)
    (landing / "links" / "dangling.txt").symlink_to(outside / "missing.txt")
    (landing / "links" / "loop").symlink_to(landing, target_is_directory=True)
    return Expected()


def special_files(landing: Path, outside: Path) -> Expected:
    """A named pipe (reading it would wait forever) under a text suffix: left out of the listing, not read."""
    (landing / "special").mkdir(parents=True)
    os.mkfifo(landing / "special" / "pipe.txt")
    return Expected()


def lone_surrogates(landing: Path, outside: Path) -> Expected:
    """JSON escapes of half a UTF-16 pair in the text, title and url: stored with U+FFFD, not a crash."""
    write(landing, "surrogates/item.json", '{"text": "Divers in Bunaken found the wreck \\udc00 on Monday.", '
                                           '"title": "Wreck \\ud83d found", "url": "https://example.com/\\ud800"}')
    return Expected(loaded={("surrogates/item.json", None): "Divers in Bunaken found the wreck \ufffd on Monday."})


SMALL_CASES: dict[str, Callable[[Path, Path], Expected]] = {
    "encodings decoded": encodings_decoded,
    "encodings undetectable": encodings_undetectable,
    "binary files": binary_files,
    "empty files": empty_files,
    "malformed JSON lines": malformed_json_lines,
    "HTML without text": html_without_text,
    "XML files": xml_files,
    "hostile names": hostile_names,
    "symlinks outside": symlinks_outside,
    "special files": special_files,
    "lone surrogates": lone_surrogates,
}


# -------------------------------------------------------------------------------------------------
# One test per hostile input, and all of them in one drop


@pytest.mark.parametrize("case", SMALL_CASES.values(), ids=SMALL_CASES.keys())
def test_hostile_input_is_quarantined_and_good_articles_are_all_loaded(
        tmp_path: Path, case: Callable[[Path, Path], Expected]) -> None:
    run_and_check(tmp_path, case)


def test_all_hostile_inputs_in_one_drop(tmp_path: Path) -> None:
    landing, outside = tmp_path / "landing", tmp_path / "outside"
    expected = good_drop(landing)
    for case in SMALL_CASES.values():
        expected = expected | case(landing, outside)
    outcome = run(tmp_path)
    check(outcome, expected)
    assert (len(outcome.articles), len(outcome.quarantine)) == (34, 35)


def test_xml_is_never_decoded_or_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bytes] = []
    decode = reader.decode_text

    def spy(data: bytes, **options: bool) -> object:
        seen.append(data)
        return decode(data, **options)

    monkeypatch.setattr(reader, "decode_text", spy)
    run_and_check(tmp_path, xml_files)
    assert seen and not any(b"<!ENTITY" in data or b"urlset" in data for data in seen)


def test_detected_encodings_are_reported() -> None:
    assert decode_text(FRENCH.encode()).encoding == "utf-8"
    assert decode_text(codecs.BOM_UTF8 + FRENCH.encode()).encoding == "utf-8-sig"
    found = {name: decode_text(data) for name, data in {
        "latin-1": FRENCH.encode("latin-1"), "cp1252": SMART_QUOTES.encode("cp1252"),
        "utf-16-le": FRENCH.encode("utf-16-le"), "utf-16-be": FRENCH.encode("utf-16-be"),
        "utf-32-le": FRENCH.encode("utf-32-le"), "utf-32-be": FRENCH.encode("utf-32-be"),
    }.items()}
    assert {name: (decoded.encoding, decoded.guessed) for name, decoded in found.items()} == {
        name: (name, True) for name in found}
    assert {decoded.text for decoded in found.values()} == {FRENCH, SMART_QUOTES}
    assert decode_text(codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be")).guessed is False
    for binary in (PNG, ELF, _zip(), bytes(range(1, 32)) * 100, codecs.BOM_UTF8 + PNG):
        with pytest.raises(Rejected, match="binary file"):
            decode_text(binary)
    # A page's declared charset is used when it is not UTF-8; ISO-8859-1 is read as Windows-1252, as browsers do.
    page = '<html><head><meta charset="ISO-8859-1"></head><body><p>\u201cCaf\u00e9\u201d</p></body></html>'
    declared = decode_text(page.encode("cp1252"), declared_charset=True)
    assert (declared.text, declared.encoding, declared.guessed, declared.label) == (page, "cp1252", False,
                                                                                   "Windows-1252")
    assert decode_text(FRENCH.encode("utf-16-be")).label == "UTF-16 BE without BOM"


def test_a_surprise_in_one_record_costs_only_that_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build = reader.build_article

    def fragile(fields: dict, **options: object) -> tuple:
        if "boom" in str(fields.get("text")):
            raise ZeroDivisionError("division by zero")
        return build(fields, **options)

    monkeypatch.setattr(reader, "build_article", fragile)

    def case(landing: Path, outside: Path) -> Expected:
        write(landing, "surprise.jsonl", "\n".join(json.dumps({"text": text}) for text in [
            "Farmers in Java planted rice on Monday.", "boom", "Fishermen in Bali caught tuna on Tuesday."]))
        return Expected(
            loaded={("surprise.jsonl", 1): "Farmers in Java planted rice on Monday.",
                    ("surprise.jsonl", 3): "Fishermen in Bali caught tuna on Tuesday."},
            quarantined={("surprise.jsonl", 2): "could not read record: ZeroDivisionError: division by zero"})

    run_and_check(tmp_path, case)


def test_bomb_and_external_entities_in_html_are_never_expanded_or_fetched(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    expected = good_drop(landing)
    secret = write(tmp_path / "outside", "secret.txt", SECRET)
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(0)
        port = listener.getsockname()[1]
        write(landing, "bomb/page.html", _entity_bomb(
            ["file:///etc/passwd", secret.as_uri(), f"http://127.0.0.1:{port}/steal", "ftp://127.0.0.1:21/x"]))
        measured = measured_run(landing, tmp_path / "measured")
        outcome = run(tmp_path)
        with pytest.raises((BlockingIOError, TimeoutError)):
            listener.accept()  # nothing ever connected: no entity was fetched
    check(outcome, expected | Expected(loaded={("bomb/page.html", None): None}))
    text = outcome.articles[("bomb/page.html", None)]
    assert text.startswith("The harbour of Makassar reopened on Tuesday")
    assert "Ships waiting offshore began unloading rice and fuel" in text
    assert len(text) < 1000 and "a" * 200 not in text  # &j; would be 10^11 characters
    assert "root:" not in text and SECRET not in text
    assert measured["articles"] == 6 and measured["quarantined"] == 0
    assert measured["seconds"] < 20
    assert measured["rss_growth_bytes"] < 50 * MB


# -------------------------------------------------------------------------------------------------
# Large drops

#: Runs the pipeline in a fresh interpreter after a warm-up run (so that imports and dictionaries are loaded),
#: and reports the time and the growth of the process's peak resident memory (ru_maxrss, KiB on Linux).
_MEASURE = textwrap.dedent('''
    import json, resource, sys, time
    from pathlib import Path

    import duckdb

    from etl.pipeline import RunPaths, run_pipeline


    def paths(work):
        return RunPaths(landing=work / "landing", quarantine=work / "quarantine", staging=work / "staging",
                        database=work / "events.duckdb")


    def main():
        landing, work = Path(sys.argv[1]), Path(sys.argv[2])
        warm = work / "warm-up"
        (warm / "landing").mkdir(parents=True)
        (warm / "landing" / "a.txt").write_text("Police arrested two men in Jakarta on Monday, officials said.")
        (warm / "landing" / "b.jsonl").write_text(json.dumps({"text": "Rain fell in Bandung all day."}) + "\\n")
        (warm / "landing" / "c.html").write_text(
            "<html><body><article><p>Ministers met in Jakarta on Tuesday to discuss the budget for roads."
            "</p></article></body></html>")
        run_pipeline(paths(warm))
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        target = RunPaths(landing=landing, quarantine=work / "quarantine", staging=work / "staging",
                          database=work / "events.duckdb")
        run_pipeline(target)
        seconds = time.perf_counter() - started
        growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
        with duckdb.connect(str(target.database), read_only=True) as con:
            articles, lines, first, last = con.execute(
                "SELECT count(*), count(DISTINCT file_line), min(file_line), max(file_line) FROM articles").fetchone()
            quarantined = con.execute("SELECT count(*) FROM quarantine").fetchone()[0]
        print(json.dumps({"seconds": seconds, "rss_growth_bytes": growth, "articles": articles, "lines": lines,
                          "first_line": first, "last_line": last, "quarantined": quarantined}))


    if __name__ == "__main__":
        main()
''')


def measured_run(landing: Path, work: Path) -> dict:
    work.mkdir(parents=True)
    done = subprocess.run([sys.executable, "-c", _MEASURE, str(landing), str(work)], cwd=PROJECT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _big_jsonl_lines(target_bytes: int) -> Iterator[bytes]:
    # Short articles, each with a large field the reader ignores (a saved page, as some exports have): the
    # file is 200 MB while its articles are a few MB, so memory that grows with the file shows.
    page = json.dumps("<p>" + "The archived page of the article, kept by the exporter. " * 360 + "</p>")
    size = number = 0
    while size < target_bytes:
        number += 1
        line = (f'{{"id": "bulk-{number:06d}", "lang": "en", "text": "Weather note {number}: the sky over the '
                f'harbour stayed grey and calm all afternoon.", "page_html": {page}}}\n').encode()
        size += len(line)
        yield line


@pytest.fixture
def large_tmp_path(tmp_path: Path) -> Iterator[Path]:
    """tmp_path, with its landing folder (the 200 MB files) removed after the test: pytest keeps the folders of
    the last runs."""
    yield tmp_path
    shutil.rmtree(tmp_path / "landing", ignore_errors=True)


def test_200_mb_json_lines_file_is_read_line_by_line_in_bounded_memory(large_tmp_path: Path) -> None:
    tmp_path = large_tmp_path
    landing = tmp_path / "landing"
    good = good_drop(landing)
    lines = 0
    with open(landing / "bulk.jsonl", "wb", buffering=4 * MB) as out:
        for line in _big_jsonl_lines(200 * MB):
            out.write(line)
            lines += 1
    size = (landing / "bulk.jsonl").stat().st_size
    assert 200 * MB <= size < 201 * MB and size > 3 * settings.MAX_FILE_BYTES
    measured = measured_run(landing, tmp_path / "measured")
    assert measured["quarantined"] == 0
    assert measured["articles"] == lines + len(good.loaded)  # every line of the file, and the good drop
    assert (measured["lines"], measured["first_line"], measured["last_line"]) == (lines, 1, lines)
    # Read line by line: the process grows by far less than the file (reading it whole would take 200 MB for
    # the bytes alone). What it grows by (about 35 MB) is the pipeline's work on 10,000 articles.
    assert measured["rss_growth_bytes"] < size / 3
    assert measured["seconds"] < 60


def test_200_mb_text_file_is_quarantined_unread(large_tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tmp_path = large_tmp_path
    landing = tmp_path / "landing"
    expected = good_drop(landing)
    chunk = (GOOD_TEXT + "\n").encode() * 4000
    with open(landing / "huge.txt", "wb") as out:
        for _ in range(200 * MB // len(chunk) + 1):
            out.write(chunk)
    size = (landing / "huge.txt").stat().st_size
    opened: list[str] = []

    def spy(file: object, *args: object, **kwargs: object) -> object:
        opened.append(Path(str(file)).name)
        return open(file, *args, **kwargs)  # noqa: SIM115 - the reader closes it

    monkeypatch.setattr(reader, "open", spy, raising=False)
    outcome = run(tmp_path)
    check(outcome, expected | Expected(quarantined={
        ("huge.txt", None): f"file too large ({size} bytes; limit {settings.MAX_FILE_BYTES}, set GEOEVENTS_MAX_FILE_MB)"}))
    assert "huge.txt" not in opened and "arrest.txt" in opened  # the reader never opened it
    assert outcome.kept[("huge.txt", None)] == (None, None)  # nor copied it
    assert not outcome.paths.quarantine.exists()  # nothing at all was kept
    assert outcome.seconds < 20


def test_10000_tiny_files_in_one_drop_are_all_loaded(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    expected = good_drop(landing)
    for number in range(10_000):
        # Distinct texts without events, so that coding is quick and no two are the same article.
        write(landing, f"tiny/note-{number:05d}.txt",
              f"Weather note {number}: the sky over the harbour stayed grey and calm all afternoon.\n")
    outcome = run(tmp_path)
    check(outcome, expected | Expected(loaded={
        (f"tiny/note-{number:05d}.txt", None): f"Weather note {number}: the sky over the harbour stayed grey and "
                                               "calm all afternoon." for number in range(10_000)}))
    with duckdb.connect(str(outcome.paths.database), read_only=True) as con:
        assert con.execute("SELECT count(*), count(DISTINCT id) FROM articles WHERE file LIKE 'tiny/%'"
                           ).fetchone() == (10_000, 10_000)
        assert con.execute("SELECT count(*) FROM landing_files").fetchone() == (10_000 + 4,)
    assert outcome.seconds < 60


# -------------------------------------------------------------------------------------------------
# Nothing a file name spells is ever run


def test_no_file_named_pwned_appears_anywhere(tmp_path: Path) -> None:
    places = [tmp_path, Path.cwd(), PROJECT, Path.home(), Path("/tmp")]
    before = {place: (place / "pwned").exists() for place in places}
    run_and_check(tmp_path, hostile_names)
    assert not list(tmp_path.rglob("pwned"))
    assert {place: (place / "pwned").exists() for place in places} == before
