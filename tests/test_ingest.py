"""Reading the landing folder: every format, every way a file can be bad, and what ends up in quarantine."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import polars as pl
import pytest

from etl import settings
from etl.ingest import (
    ARTICLE_SCHEMA,
    FILE_SCHEMA,
    QUARANTINE_SCHEMA,
    IngestResult,
    LandingFile,
    article_id,
    file_sha256,
    list_landing_files,
    read_landing_files,
)

NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)
EN_TEXT = ("Indonesian police arrested two Malaysian nationals in Jakarta on Monday, a police spokesman said. "
           "The two men were detained at the airport and will be questioned by investigators.")
ID_TEXT = ("Polisi menangkap dua warga negara Malaysia di Jakarta pada hari Senin, kata juru bicara kepolisian. "
           "Kedua pria itu ditahan di bandara dan akan diperiksa oleh penyidik.")
#: A file time far from any date in the texts, so a "file_time" date is recognisable.
FILE_TIME = dt.datetime(2024, 2, 3, 4, 5, tzinfo=dt.UTC)

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Indonesia and Malaysia sign maritime border deal | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2025-05-08T09:30:00+07:00">
<link rel="canonical" href="https://news.example.com/2025/05/08/border-deal">
<script>window.analytics = {track: function () {}};</script>
</head>
<body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav>
<article>
<h1>Indonesia and Malaysia sign maritime border deal</h1>
<p>Indonesia and Malaysia signed an agreement on Thursday to settle a long-running dispute over their
maritime border in the Sulawesi Sea, officials said.</p>
<p>The foreign ministers of the two countries met in Jakarta and praised the deal as a sign of trust.</p>
<p>The agreement still has to be ratified by both parliaments before it takes effect next year.</p>
</article>
<footer>Copyright Example News</footer>
</body>
</html>
"""
NAVIGATION_HTML = """<html><head><title>Menu</title><script>var tracker = 1; function go() { return 2; }</script>
</head><body><nav><a href="/">Home</a> <a href="/about">About</a> <a href="/contact">Contact</a></nav>
<script>console.log("loaded")</script></body></html>
"""


def write(folder: Path, name: str, content: str | bytes, *, mtime: dt.datetime = FILE_TIME) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    os.utime(path, (mtime.timestamp(), mtime.timestamp()))
    return path


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    folder = tmp_path / "landing"
    folder.mkdir()
    return folder


@pytest.fixture
def quarantine_dir(tmp_path: Path) -> Path:
    return tmp_path / "quarantine"


def ingest(landing: Path, quarantine_dir: Path) -> IngestResult:
    return read_landing_files(list_landing_files(landing), quarantine_dir=quarantine_dir, now=NOW)


def only_article(result: IngestResult) -> dict:
    assert result.quarantine.is_empty(), result.quarantine.to_dicts()
    assert result.articles.height == 1
    return result.articles.row(0, named=True)


def only_quarantined(result: IngestResult) -> dict:
    assert result.articles.is_empty()
    assert result.quarantine.height == 1
    return result.quarantine.row(0, named=True)


def quarantined_lines(result: IngestResult) -> dict[int | None, str]:
    return dict(result.quarantine.select("file_line", "reason").iter_rows())


# ---------------------------------------------------------------------------------------------
# Formats


def test_plain_text_without_header_is_all_text(landing: Path, quarantine_dir: Path) -> None:
    write(landing, "arrest.txt", f"Police arrest two Malaysians\n\n{EN_TEXT}\n")
    article = only_article(ingest(landing, quarantine_dir))
    assert article["text"] == f"Police arrest two Malaysians\n\n{EN_TEXT}"
    assert article["title"] == "Police arrest two Malaysians"
    assert article["file"] == "arrest.txt"
    assert article["file_line"] is None
    assert article["url"] is None and article["source"] is None


def test_plain_text_header_gives_metadata_and_is_not_text(landing: Path, quarantine_dir: Path) -> None:
    write(landing, "arrest.txt", "Title: Two Malaysians arrested\nURL: https://news.example.com/arrest\n"
                                 "source: Example News\ndate: 2025-05-08\nlang: en\n\n" + EN_TEXT)
    article = only_article(ingest(landing, quarantine_dir))
    assert article["text"] == EN_TEXT
    assert (article["title"], article["url"], article["source"]) == (
        "Two Malaysians arrested", "https://news.example.com/arrest", "Example News")
    assert (article["published_at"], article["date_source"]) == (dt.date(2025, 5, 8), "metadata")


def test_plain_text_whose_first_block_has_an_unknown_key_is_all_text(landing: Path, quarantine_dir: Path) -> None:
    content = f"Title: Two Malaysians arrested\nJakarta: police said on Monday\n\n{EN_TEXT}"
    write(landing, "arrest.txt", content)
    article = only_article(ingest(landing, quarantine_dir))
    assert article["text"] == content
    assert article["title"] == "Title: Two Malaysians arrested"


def test_plain_text_header_without_blank_line_after_it_is_text(landing: Path, quarantine_dir: Path) -> None:
    write(landing, "short.txt", "Source: the Jakarta police spokesman speaking on Monday")
    article = only_article(ingest(landing, quarantine_dir))
    assert article["text"] == "Source: the Jakarta police spokesman speaking on Monday"
    assert article["source"] is None


def test_markdown_front_matter(landing: Path, quarantine_dir: Path) -> None:
    write(landing, "notes/arrest.md", '---\ntitle: "Two Malaysians arrested"\nauthor: Desk\ntags:\n  - police\n'
                                      "published_at: 2025-05-08T10:00:00Z\nlanguage: en-US\n---\n\n"
                                      f"# Arrests in Jakarta\n\n{EN_TEXT}\n")
    article = only_article(ingest(landing, quarantine_dir))
    assert article["text"] == f"# Arrests in Jakarta\n\n{EN_TEXT}"
    assert article["title"] == "Two Malaysians arrested"
    assert article["language"] == "en"
    assert article["published_at"] == dt.date(2025, 5, 8)
    assert article["file"] == "notes/arrest.md"


def test_markdown_title_from_heading(landing: Path, quarantine_dir: Path) -> None:
    write(landing, "arrest.md", f"# Arrests in Jakarta\n\n{EN_TEXT}\n")
    assert only_article(ingest(landing, quarantine_dir))["title"] == "Arrests in Jakarta"


def test_long_first_line_is_not_a_title(landing: Path, quarantine_dir: Path) -> None:
    write(landing, "arrest.txt", EN_TEXT * 2)
    assert only_article(ingest(landing, quarantine_dir))["title"] is None


def test_json_object(landing: Path, quarantine_dir: Path) -> None:
    write(landing, "one.json", json.dumps({"id": " a-1 ", "Title": "Arrests", "text": EN_TEXT, "url": None,
                                           "source": "Wire", "published": "2025/05/08", "extra": [1, 2]}))
    article = only_article(ingest(landing, quarantine_dir))
    assert (article["id"], article["title"], article["source"]) == ("a-1", "Arrests", "Wire")
    assert article["published_at"] == dt.date(2025, 5, 8)
    assert article["file_line"] is None


def test_json_list_quarantines_only_the_bad_item(landing: Path, quarantine_dir: Path) -> None:
    items = [{"text": EN_TEXT, "id": 17}, "not an article", {"text": ID_TEXT, "title": 2025}]
    write(landing, "list.json", json.dumps(items))
    result = ingest(landing, quarantine_dir)
    assert result.articles.select("id", "title", "file_line").rows() == [("17", None, 1), (
        result.articles["id"][1], "2025", 3)]
    assert quarantined_lines(result) == {2: "list item is not a JSON object (a string)"}
    kept = quarantine_dir / result.quarantine["kept_as"][0]
    assert kept.name.endswith("-list.json.line2")
    assert json.loads(kept.read_bytes()) == "not an article"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"text": "a" "b"}', "not valid JSON: Expecting ',' delimiter at line 1 column 14"),
        ("[]", "no articles (empty JSON list)"),
        ('"just a string"', "not an article: the JSON is a string, not an object or a list of objects"),
        ('{"title": "no text here"}', "no text"),
        ('{"text": "   "}', "no text"),
        ('{"text": 42}', "'text' is not a string (a number)"),
        ('{"text": "fine", "title": {"en": "Arrests"}}', "'title' is not a string (an object)"),
        ('{"text": "fine", "lang": ["en"]}', "'lang' is not a string (a list)"),
    ],
)
def test_bad_json_file_is_quarantined_whole(landing: Path, quarantine_dir: Path, content: str, reason: str) -> None:
    write(landing, "bad.json", content)
    row = only_quarantined(ingest(landing, quarantine_dir))
    assert (row["file"], row["file_line"], row["reason"]) == ("bad.json", None, reason)
    assert (quarantine_dir / row["kept_as"]).read_bytes() == content.encode()


def test_jsonl_quarantines_each_bad_line_and_ignores_blank_lines(landing: Path, quarantine_dir: Path) -> None:
    lines = [
        json.dumps({"text": EN_TEXT, "id": "good-1"}),
        '{"text": "unfinished", ',
        "",
        '["a", "list"]',
        json.dumps({"title": "no text"}),
        "   \t",
        json.dumps({"text": {"body": "nested"}}),
        json.dumps({"text": ID_TEXT, "id": "good-2"}),
    ]
    path = write(landing, "feed.jsonl", "\n".join(lines) + "\n")
    result = ingest(landing, quarantine_dir)
    assert result.articles.select("id", "file_line").rows() == [("good-1", 1), ("good-2", 8)]
    assert quarantined_lines(result) == {
        2: "not valid JSON: Expecting property name enclosed in double quotes at line 1 column 24",
        4: "not a JSON object (a list)",
        5: "no text",
        7: "'text' is not a string (an object)",
    }
    for row in result.quarantine.iter_rows(named=True):
        kept = (quarantine_dir / row["kept_as"]).read_bytes()
        assert kept == lines[row["file_line"] - 1].encode()
        assert row["sha256"] == hashlib.sha256(kept).hexdigest()
        assert row["kept_as"] == f"{row['sha256'][:16]}-feed.jsonl.line{row['file_line']}"
    assert result.files.row(0, named=True) == {
        "file": "feed.jsonl", "size": path.stat().st_size, "mtime_ns": path.stat().st_mtime_ns,
        "sha256": file_sha256(path), "articles": 2, "quarantined": 4}


def test_jsonl_line_in_no_encoding_keeps_only_that_line(landing: Path, quarantine_dir: Path) -> None:
    latin1 = b'{"text": "Police arrested two men at the caf\xe9 in Jakarta."}'
    bad = b'{"text": "\xd3\xc2\xdd\xd1\xe4\xf2"}'
    write(landing, "feed.jsonl", json.dumps({"text": EN_TEXT}).encode() + b"\r\n" + latin1 + b"\r\n" + bad + b"\r\n")
    result = ingest(landing, quarantine_dir)
    assert result.articles["text"].to_list() == [EN_TEXT, "Police arrested two men at the café in Jakarta."]
    row = result.quarantine.row(0, named=True)
    assert (row["file_line"], row["reason"]) == (3, "not valid UTF-8 (invalid byte 0xd3 at offset 10), and no other "
                                                    "encoding fits (as ISO-8859-1 it is 35% non-ASCII, not Western "
                                                    "European text)")
    assert (quarantine_dir / row["kept_as"]).read_bytes() == bad


def test_jsonl_larger_than_the_file_limit_is_still_read(landing: Path, quarantine_dir: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "MAX_FILE_BYTES", 1000)
    records = [json.dumps({"text": f"{EN_TEXT} Report number {n}."}) for n in range(20)]
    write(landing, "big.jsonl", "\n".join(records))
    result = ingest(landing, quarantine_dir)
    assert result.quarantine.is_empty()
    assert result.articles["file_line"].to_list() == list(range(1, 21))


def test_jsonl_line_longer_than_the_file_limit_is_quarantined_unkept(landing: Path, quarantine_dir: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "MAX_FILE_BYTES", 300)
    huge = json.dumps({"text": EN_TEXT * 3})
    write(landing, "feed.jsonl", "\n".join([json.dumps({"text": "Police arrested two men."}), huge,
                                            json.dumps({"text": "The men were freed."})]))
    result = ingest(landing, quarantine_dir)
    assert result.articles["file_line"].to_list() == [1, 3]
    row = result.quarantine.row(0, named=True)
    assert (row["file_line"], row["reason"], row["kept_as"]) == (
        2, f"line too large ({len(huge) + 1} bytes; limit 300, set GEOEVENTS_MAX_FILE_MB)", None)


def test_html_article(landing: Path, quarantine_dir: Path) -> None:
    write(landing, "page.html", ARTICLE_HTML)
    article = only_article(ingest(landing, quarantine_dir))
    assert "signed an agreement on Thursday" in article["text"]
    assert "ratified by both parliaments" in article["text"]
    assert "window.analytics" not in article["text"] and "Home" not in article["text"]
    assert article["title"] == "Indonesia and Malaysia sign maritime border deal"
    assert article["url"] == "https://news.example.com/2025/05/08/border-deal"
    assert article["source"] == "Example News"
    assert (article["published_at"], article["date_source"]) == (dt.date(2025, 5, 8), "metadata")
    assert article["language"] == "en"


def test_html_without_main_text_is_quarantined(landing: Path, quarantine_dir: Path) -> None:
    write(landing, "menu.HTM", NAVIGATION_HTML)
    row = only_quarantined(ingest(landing, quarantine_dir))
    assert row["reason"] == "no main text found in HTML"
    assert (quarantine_dir / row["kept_as"]).read_text() == NAVIGATION_HTML


def test_html_in_its_declared_charset(landing: Path, quarantine_dir: Path) -> None:
    page = ARTICLE_HTML.replace('charset="utf-8"', 'charset="windows-1252"').replace("officials said",
                                                                                    "officials said in Café")
    write(landing, "page.htm", page.encode("windows-1252"))
    assert "officials said in Café" in only_article(ingest(landing, quarantine_dir))["text"]


# ---------------------------------------------------------------------------------------------
# Bytes that are not text


def test_invalid_utf8_is_quarantined_with_the_offending_byte(landing: Path, quarantine_dir: Path) -> None:
    # 0x81 and 0x8d are no character in Windows-1252 and control characters in ISO-8859-1: no encoding fits.
    content = b"Police arrested two men in Jakarta \x81\x8d on Monday."
    write(landing, "latin.txt", content)
    row = only_quarantined(ingest(landing, quarantine_dir))
    assert row["reason"] == ("not valid UTF-8 (invalid byte 0x81 at offset 35), and no other encoding fits "
                             "(byte 0x81 at offset 35 is undefined in Windows-1252 and a control character in ISO-8859-1)")
    assert (quarantine_dir / row["kept_as"]).read_bytes() == content


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_text_with_a_byte_order_mark_is_decoded(landing: Path, quarantine_dir: Path, encoding: str) -> None:
    content = f"Kabar: polisi\n\n{ID_TEXT}\r\n"
    data = content.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    write(landing, "berita.txt", data)
    article = only_article(ingest(landing, quarantine_dir))
    assert article["text"] == f"Kabar: polisi\n\n{ID_TEXT}"
    assert article["language"] == "id"


def test_utf16_json_lines_are_read(landing: Path, quarantine_dir: Path) -> None:
    lines = [json.dumps({"text": EN_TEXT}), "not json"]
    write(landing, "feed.jsonl", "\r\n".join(lines).encode("utf-16"))
    result = ingest(landing, quarantine_dir)
    assert result.articles["text"].to_list() == [EN_TEXT]
    assert quarantined_lines(result) == {2: "not valid JSON: Expecting value at line 1 column 1"}
    assert (quarantine_dir / result.quarantine["kept_as"][0]).read_bytes() == "not json".encode("utf-16-le")


@pytest.mark.parametrize("name", ["photo.txt", "photo.jsonl", "photo.json"])
def test_binary_file_is_quarantined(landing: Path, quarantine_dir: Path, name: str) -> None:
    content = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    write(landing, name, content)
    row = only_quarantined(ingest(landing, quarantine_dir))
    assert (row["file_line"], row["reason"]) == (None, "binary file (contains NUL bytes)")
    assert (quarantine_dir / row["kept_as"]).read_bytes() == content


@pytest.mark.parametrize("name", ["empty.txt", "empty.json", "empty.jsonl", "empty.html"])
@pytest.mark.parametrize("content", [b"", b" \n\t\r\n  \n"])
def test_empty_file_is_quarantined(landing: Path, quarantine_dir: Path, name: str, content: bytes) -> None:
    write(landing, name, content)
    row = only_quarantined(ingest(landing, quarantine_dir))
    assert row["reason"] == "empty file"
    assert (quarantine_dir / row["kept_as"]).read_bytes() == content


def test_too_large_file_is_quarantined_unread(landing: Path, quarantine_dir: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "MAX_FILE_BYTES", 100)
    write(landing, "huge.txt", EN_TEXT)
    result = ingest(landing, quarantine_dir)
    row = only_quarantined(result)
    assert row["reason"] == f"file too large ({len(EN_TEXT)} bytes; limit 100, set GEOEVENTS_MAX_FILE_MB)"
    assert row["kept_as"] is None and row["sha256"] is None
    assert result.files["quarantined"].to_list() == [1]


def test_too_long_article_is_quarantined(landing: Path, quarantine_dir: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "MAX_ARTICLE_CHARS", 100)
    lines = [json.dumps({"text": "Police arrested two men."}), json.dumps({"text": EN_TEXT})]
    write(landing, "feed.jsonl", "\n".join(lines))
    result = ingest(landing, quarantine_dir)
    assert result.articles["text"].to_list() == ["Police arrested two men."]
    assert quarantined_lines(result) == {
        2: f"text too long ({len(EN_TEXT)} characters; limit 100, set GEOEVENTS_MAX_ARTICLE_CHARS)"}


def test_unsupported_suffix_is_quarantined(landing: Path, quarantine_dir: Path) -> None:
    write(landing, "report.PDF", b"%PDF-1.7 not really")
    write(landing, "README", b"notes")
    result = ingest(landing, quarantine_dir)
    assert result.articles.is_empty()
    reasons = dict(result.quarantine.select("file", "reason").iter_rows())
    assert reasons["report.PDF"] == "unsupported file type '.pdf'"
    assert reasons["README"].startswith("unsupported file type (no suffix")


def test_newlines_normalised_and_control_characters_removed(landing: Path, quarantine_dir: Path) -> None:
    write(landing, "wire.txt", b"Police arrested\x07 two men\r\nin Jakarta\ron Monday.\tAll\x1b were freed.\x7f")
    write(landing, "wire.jsonl", json.dumps({"text": "Police\u0000 arrested two men\r\nin Jakarta.\u0085"}))
    assert ingest(landing, quarantine_dir).articles["text"].to_list() == [
        "Police arrested two men\nin Jakarta.", "Police arrested two men\nin Jakarta\non Monday.\tAll were freed."]


# ---------------------------------------------------------------------------------------------
# One bad file among good ones


def test_bad_files_do_not_stop_the_good_ones(landing: Path, quarantine_dir: Path) -> None:
    write(landing, "a-good.txt", EN_TEXT)
    write(landing, "b-bad.json", '{"text": ')
    write(landing, "c-binary.txt", b"\x00\x01\x02")
    write(landing, "d-good.jsonl", json.dumps({"text": ID_TEXT}))
    write(landing, "e-menu.html", NAVIGATION_HTML)
    files = list_landing_files(landing)
    vanished = LandingFile(landing / "gone.txt", "gone.txt", 10, 0)
    result = read_landing_files([*files[:2], vanished, *files[2:]], quarantine_dir=quarantine_dir, now=NOW)
    assert result.articles["file"].to_list() == ["a-good.txt", "d-good.jsonl"]
    assert result.files.select("file", "articles", "quarantined").rows() == [
        ("a-good.txt", 1, 0), ("b-bad.json", 0, 1), ("gone.txt", 0, 1), ("c-binary.txt", 0, 1),
        ("d-good.jsonl", 1, 0), ("e-menu.html", 0, 1)]
    reasons = dict(result.quarantine.select("file", "reason").iter_rows())
    assert reasons["b-bad.json"] == "not valid JSON: Expecting value at line 1 column 10"
    assert reasons["gone.txt"] == "could not read file: No such file or directory"
    assert result.quarantine.filter(pl.col("file") == "gone.txt")["kept_as"].to_list() == [None]


def test_frames_have_the_declared_schemas(landing: Path, quarantine_dir: Path) -> None:
    empty = read_landing_files([], quarantine_dir=quarantine_dir)
    assert (empty.articles.schema, empty.quarantine.schema, empty.files.schema) == (
        ARTICLE_SCHEMA, QUARANTINE_SCHEMA, FILE_SCHEMA)
    write(landing, "a.txt", EN_TEXT)
    write(landing, "b.txt", b"")
    result = ingest(landing, quarantine_dir)
    assert (result.articles.schema, result.quarantine.schema, result.files.schema) == (
        ARTICLE_SCHEMA, QUARANTINE_SCHEMA, FILE_SCHEMA)
    assert result.quarantine["quarantined_at"].to_list() == [NOW]


def test_quarantine_folder_is_created_only_when_needed(landing: Path, quarantine_dir: Path) -> None:
    write(landing, "a.txt", EN_TEXT)
    ingest(landing, quarantine_dir)
    assert not quarantine_dir.exists()


def test_quarantine_copies_are_exact_and_rewriting_them_is_harmless(landing: Path, quarantine_dir: Path) -> None:
    content = b"\xc3\x28\x90 bad bytes"
    write(landing, "sub dir/bad file?.txt", content)
    first = ingest(landing, quarantine_dir)
    second = ingest(landing, quarantine_dir)
    assert first.quarantine.drop("quarantined_at").equals(second.quarantine.drop("quarantined_at"))
    row = first.quarantine.row(0, named=True)
    sha256 = hashlib.sha256(content).hexdigest()
    assert row["kept_as"] == f"{sha256[:16]}-sub_dir_bad_file_.txt"
    assert row["sha256"] == sha256 == first.files["sha256"][0]
    assert [path.name for path in quarantine_dir.iterdir()] == [row["kept_as"]]
    assert (quarantine_dir / row["kept_as"]).read_bytes() == content


# ---------------------------------------------------------------------------------------------
# Listing the landing folder


def test_listing_is_recursive_sorted_and_skips_hidden_and_temporary_files(landing: Path) -> None:
    for name in ["b.txt", "a/c.json", "a/b/d.jsonl", ".hidden.txt", ".git/config.json", "draft.txt~",
                 "download.json.part", "x.tmp", "video.CRDOWNLOAD", "a/.DS_Store"]:
        write(landing, name, "x")
    assert [file.name for file in list_landing_files(landing)] == ["a/b/d.jsonl", "a/c.json", "b.txt"]
    listed = list_landing_files(landing)[2]
    assert listed.path == landing / "b.txt"
    assert (listed.size, listed.mtime_ns) == (1, (landing / "b.txt").stat().st_mtime_ns)


def test_missing_landing_folder_has_no_files(tmp_path: Path) -> None:
    assert list_landing_files(tmp_path / "nowhere") == []


def test_symlinks_leading_outside_are_not_followed(tmp_path: Path, landing: Path) -> None:
    outside = tmp_path / "secrets"
    write(outside, "passwords.txt", "hunter2")
    write(landing, "real.txt", EN_TEXT)
    (landing / "leak.txt").symlink_to(outside / "passwords.txt")
    (landing / "leak-dir").symlink_to(outside, target_is_directory=True)
    (landing / "alias.txt").symlink_to(landing / "real.txt")
    (landing / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    assert [file.name for file in list_landing_files(landing)] == ["alias.txt", "real.txt"]


def test_unlistable_folder_is_skipped(landing: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(landing, "locked/a.txt", "x")
    write(landing, "open/b.txt", "x")
    scandir = os.scandir

    def refusing(path: str | Path) -> object:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr("etl.ingest.landing.os.scandir", refusing)
    assert [file.name for file in list_landing_files(landing)] == ["open/b.txt"]


# ---------------------------------------------------------------------------------------------
# Ids, languages, dates


def test_same_url_gives_the_same_id_whatever_the_tracking() -> None:
    base = article_id("https://news.example.com/world/arrest?page=2", "one text")
    for variant in [
        "HTTPS://News.Example.COM/world/arrest?page=2",
        "https://news.example.com:443/world/arrest/?page=2",
        "https://news.example.com/world/arrest?utm_source=x&page=2&fbclid=abc#comments",
        "  https://news.example.com/world/arrest?page=2&gclid=1&UTM_Medium=email ",
    ]:
        assert article_id(variant, "another text") == base, variant
    assert base.startswith("u") and len(base) == 21
    assert article_id("https://news.example.com/world/arrest?page=3", "one text") != base
    assert article_id("https://news.example.com/world/Arrest?page=2", "one text") != base


def test_same_text_gives_the_same_id_whatever_the_whitespace_and_case() -> None:
    base = article_id(None, "Police arrested two men in Jakarta.")
    assert article_id("", "  police  arrested\ntwo men\tin JAKARTA. \n") == base
    assert base.startswith("t") and len(base) == 21
    assert article_id(None, "Police arrested three men in Jakarta.") != base
    assert article_id("https://example.com/a", "text", given_id="  given-7 ") == "given-7"
    assert article_id(None, "text", given_id="   ") == article_id(None, "text")


def test_same_article_in_two_files_gets_the_same_id(landing: Path, quarantine_dir: Path) -> None:
    write(landing, "a.txt", EN_TEXT)
    write(landing, "b.jsonl", json.dumps({"text": "  " + EN_TEXT.replace(". ", ".\n    ")}) + "\n")
    write(landing, "c.json", json.dumps([{"text": "x y z", "url": "http://Example.com/a/?utm_campaign=q"},
                                         {"text": "other words", "url": "http://example.com:80/a"}]))
    ids = ingest(landing, quarantine_dir).articles["id"].to_list()
    assert ids[0] == ids[1] and ids[2] == ids[3] and ids[0] != ids[2]


@pytest.mark.parametrize(
    ("given", "expected"),
    [("EN", "en"), ("en-US", "en"), ("en_GB", "en"), ("English", "en"), ("ID", "id"), ("id-ID", "id"),
     ("indonesian", "id"), ("Bahasa Indonesia", "id"), ("fr", "fr"), ("fr-CA", "fr")],
)
def test_given_language_is_normalised(landing: Path, quarantine_dir: Path, given: str, expected: str) -> None:
    write(landing, "a.jsonl", json.dumps({"text": EN_TEXT, "language": given}))
    assert only_article(ingest(landing, quarantine_dir))["language"] == expected


@pytest.mark.parametrize(("text", "expected"), [(EN_TEXT, "en"), (ID_TEXT, "id")])
def test_language_is_detected_when_not_given(landing: Path, quarantine_dir: Path, text: str, expected: str) -> None:
    write(landing, "a.jsonl", json.dumps({"text": text, "lang": "unknown"}) + "\n" + json.dumps({"text": text}))
    assert ingest(landing, quarantine_dir).articles["language"].to_list() == [expected, expected]


@pytest.mark.parametrize(
    "value", ["2025-05-08", "2025-05-08T10:00:00Z", "2025/05/08", "Thu, 08 May 2025 10:00:00 +0000", "8 May 2025"]
)
def test_metadata_date(landing: Path, quarantine_dir: Path, value: str) -> None:
    write(landing, "a.json", json.dumps({"text": EN_TEXT, "date": value}))
    article = only_article(ingest(landing, quarantine_dir))
    assert (article["published_at"], article["date_source"]) == (dt.date(2025, 5, 8), "metadata")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"JAKARTA, Kamis, 8 Mei 2025 - {ID_TEXT}", dt.date(2025, 5, 8)),
        (f"JAKARTA, May 7, 2025 (Wire) - {EN_TEXT}", dt.date(2025, 5, 7)),
        (f"JAKARTA, April 30 (Wire) - {EN_TEXT}", dt.date(2025, 4, 30)),  # no year: that of `now`
        (f"JAKARTA, July 24 (Wire) - {EN_TEXT}", dt.date(2024, 7, 24)),  # no year, and after `now`: last year
    ],
)
def test_date_from_the_dateline(landing: Path, quarantine_dir: Path, text: str, expected: dt.date) -> None:
    write(landing, "a.txt", text)
    article = only_article(ingest(landing, quarantine_dir))
    assert (article["published_at"], article["date_source"]) == (expected, "text")


def test_unreadable_metadata_date_falls_back_to_the_text(landing: Path, quarantine_dir: Path) -> None:
    write(landing, "a.txt", f"date: sometime last spring\n\nJAKARTA, May 7, 2025 - {EN_TEXT}")
    article = only_article(ingest(landing, quarantine_dir))
    assert (article["published_at"], article["date_source"]) == (dt.date(2025, 5, 7), "text")


def test_date_from_the_file_time_when_nothing_else(landing: Path, quarantine_dir: Path) -> None:
    write(landing, "a.txt", EN_TEXT)
    write(landing, "b.jsonl", json.dumps({"text": EN_TEXT, "published_at": "not a date"}))
    write(landing, "c.jsonl", json.dumps({"text": "Le président a parlé lundi 7 mai.", "lang": "fr"}))
    result = ingest(landing, quarantine_dir)
    assert result.articles.select("published_at", "date_source").unique().rows() == [
        (FILE_TIME.date(), "file_time")]


def test_file_sha256_streams_the_file(tmp_path: Path) -> None:
    data = os.urandom(3 * 1024 * 1024 + 7)
    path = write(tmp_path, "blob.bin", data)
    assert file_sha256(path) == hashlib.sha256(data).hexdigest()
