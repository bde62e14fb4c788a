"""News sources: the sources file, polite fetching and polling, against loopback servers only.

Every server is tests/http_fixtures.LocalServer on 127.0.0.1, allowed through `allow_hosts: [127.0.0.1]`;
addresses such as 10.0.0.1 appear only in redirects that must be refused before any connection is made.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
import subprocess
import time
import tracemalloc
import zlib
from pathlib import Path

import pytest
from http_fixtures import Hit, LocalServer, Reply, closed_port

from etl.ingest import list_landing_files, read_landing_files
from etl.sources import (
    Fetcher,
    FetchError,
    FetchSettings,
    Source,
    SourcesError,
    Validators,
    check_source,
    is_due,
    load_sources,
    parse_interval,
    poll_feed,
    poll_folder,
    poll_page,
    write_landing_file,
)
from etl.sources.config import DEFAULT_USER_AGENT

PROJECT = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2026, 1, 10, 9, 30, tzinfo=dt.UTC)

# -- content ---------------------------------------------------------------------------------------------------

EN_PARAGRAPHS = [
    "JAKARTA - Indonesian Foreign Minister met his Malaysian counterpart in Jakarta on Friday to discuss "
    "the maritime boundary in the Sulawesi Sea, officials said after the meeting ended late in the evening.",
    "The two ministers agreed to resume technical talks next month and to open a hotline between their "
    "coast guards, according to a joint statement released by both foreign ministries on Saturday morning.",
    "Analysts said the agreement could ease tensions that have risen since fishing vessels from both "
    "countries were detained in disputed waters earlier this year, although several questions remain open.",
    "The ministers also discussed trade, the protection of migrant workers and regional security, and "
    "said they would meet again before the ASEAN summit to review the progress of the technical teams.",
]
ID_PARAGRAPHS = [
    "JAKARTA - Menteri Luar Negeri Indonesia bertemu dengan Menteri Luar Negeri Malaysia di Jakarta pada "
    "hari Jumat untuk membahas batas maritim di Laut Sulawesi, kata para pejabat setelah pertemuan itu.",
    "Kedua menteri sepakat untuk melanjutkan perundingan teknis bulan depan dan membuka saluran langsung "
    "antara penjaga pantai kedua negara, menurut pernyataan bersama yang dirilis pada hari Sabtu pagi.",
    "Para pengamat mengatakan kesepakatan itu dapat meredakan ketegangan yang meningkat sejak kapal nelayan "
    "dari kedua negara ditahan di perairan sengketa awal tahun ini, meskipun beberapa pertanyaan masih terbuka.",
    "Para menteri juga membahas perdagangan, perlindungan pekerja migran dan keamanan kawasan, serta "
    "berjanji untuk bertemu lagi sebelum KTT ASEAN untuk meninjau kemajuan tim teknis masing-masing.",
]


def article_html(title: str, paragraphs: list[str], *, lang: str = "en", date: str = "2026-01-09") -> bytes:
    body = "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title} | Example News</title>
<meta property="article:published_time" content="{date}T08:00:00+07:00">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{title}</h1>
{body}
</article>
<footer>Copyright Example News</footer>
</body></html>""".encode()


NAV_ONLY_HTML = b"<html><body><nav><a href='/'>Home</a> <a href='/x'>About</a></nav></body></html>"


def rss2(base: str, items: list[tuple[str, str, str]], *, extra_item_xml: str = "") -> bytes:
    """items: (guid, path, title)."""
    entries = "".join(f"""
    <item><title>{title}</title><link>{base}{path}</link><guid isPermaLink="false">{guid}</guid>
      <pubDate>Fri, 09 Jan 2026 08:00:00 +0700</pubDate><description>Teaser of {title}</description>{extra_item_xml}</item>"""
                      for guid, path, title in items)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel><title>Example World</title><link>{base}/</link><description>World news</description>
  <language>en-us</language>{entries}
  </channel></rss>""".encode()


def atom(base: str) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Example Atom</title><id>urn:example:feed</id><updated>2026-01-09T10:00:00Z</updated>
  <entry><title>Ministers agree on maritime talks</title><id>urn:example:entry:1</id>
    <link rel="alternate" href="{base}/atom/1"/><updated>2026-01-09T10:00:00Z</updated>
    <published>2026-01-09T09:00:00+07:00</published><summary>Short teaser.</summary></entry>
</feed>""".encode()


def rss091_indonesian(base: str) -> bytes:
    return f"""<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
  "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Berita Contoh</title><link>{base}/</link>
  <description>Berita terkini</description><language>id</language>
  <item><title>Menteri bahas batas maritim</title><link>{base}/berita/1</link>
    <description>Kedua menteri sepakat melanjutkan perundingan.</description></item>
</channel></rss>""".encode("latin-1")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>Laughs &lol9;</title><link>LINK</link><description>&lol9;</description></item>
</channel></rss>"""


# -- fixtures --------------------------------------------------------------------------------------------------


@pytest.fixture
def server():
    with LocalServer() as local:
        yield local


def fast_settings(**overrides) -> FetchSettings:
    values = dict(allow_hosts=("127.0.0.1/32",), per_host_interval_s=0.0, retries=1, backoff_s=0.01,
                  timeout_s=2.0, connect_timeout_s=1.0, max_retry_after_s=5.0)
    values.update(overrides)
    return FetchSettings(**values)


@pytest.fixture
def fetcher():
    with Fetcher(fast_settings()) as fetcher:
        yield fetcher


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def feed_source(url: str, **values) -> Source:
    return Source(name=values.pop("name", "example"), kind="feed", url=url, **values)


# -- the sources file ------------------------------------------------------------------------------------------


def test_sources_file_is_read_with_defaults_and_relative_folders(tmp_path, server):
    path = write_config(tmp_path, f"""
sources:
  - name: world
    kind: feed
    url: {server.url('/feed.xml')}
    lang: EN
  - name: statement
    kind: page
    url: {server.url('/statement')}
  - name: drops
    kind: folder
    path: inbox/manual
    every: 1h30m
    enabled: false
fetch:
  allow_hosts: [127.0.0.1]
  per_host_interval_s: 0
  contact: ops@example.org
""")
    config = load_sources(path)
    world, statement, drops = config.sources
    assert (world.kind, world.lang, world.every) == ("feed", "en", dt.timedelta(minutes=15))
    assert statement.every == dt.timedelta(days=1)
    assert drops.path == (tmp_path / "inbox" / "manual").resolve()
    assert drops.every == dt.timedelta(hours=1, minutes=30) and not drops.enabled
    assert [source.name for source in config.enabled] == ["world", "statement"]
    assert config.fetch.allow_hosts == ("127.0.0.1/32",)
    assert config.fetch.agent == DEFAULT_USER_AGENT[:-1] + "; ops@example.org)"
    assert config.get("world") is world


def test_example_sources_file_is_valid():
    config = load_sources(PROJECT / "sources.example.yaml")
    kinds = {source.kind for source in config.sources}
    assert kinds == {"feed", "page", "folder"}
    assert all(source.url.startswith("https://") for source in config.sources if source.kind != "folder")


@pytest.mark.parametrize(("yaml_text", "expected"), [
    ("sources:\n  - {name: a, kind: feed, url: 'https://x.org/rss', evry: 15m}",
     ["sources[0]", "'a'", "unknown key 'evry'", "did you mean 'every'"]),
    ("sources:\n  - {name: Antara News, kind: feed, url: 'https://x.org/rss'}",
     ["sources[0]", "field 'name'", "'Antara News' is not a valid name"]),
    ("sources:\n  - {name: a, kind: feed, url: 'https://x.org/rss', every: 15 minutes}",
     ["sources[0] (name 'a')", "field 'every'", "not a duration"]),
    ("sources:\n  - {name: a, kind: feed, url: 'https://x.org/rss', every: 15}",
     ["field 'every'", "no unit", "'15m'"]),
    ("sources:\n  - {name: a, kind: feed, url: 'https://x.org/rss', every: 5s}",
     ["field 'every'", "too short"]),
    ("sources:\n  - {name: a, kind: feed, url: 'https://x.org/rss'}\n  - {name: b, kind: page, url: 'https://x.org/p'}"
     "\n  - {name: a, kind: feed, url: 'https://y.org/rss'}",
     ["sources[2] (name 'a')", "duplicate name", "sources[0]"]),
    ("sources:\n  - {name: a, kind: fed, url: 'https://x.org/rss'}", ["field 'kind'", "did you mean 'feed'"]),
    ("sources:\n  - {name: a, kind: feed, url: 'file:///etc/passwd'}", ["field 'url'", "scheme 'file'"]),
    ("sources:\n  - {name: a, kind: folder, url: 'https://x.org/'}", ["field 'url'", "takes 'path'"]),
    ("sources:\n  - {name: a, kind: feed}", ["field 'url'", "missing"]),
    ("sources: []\nfetch:\n  timeout: 10", ["fetch", "unknown key 'timeout'", "did you mean 'timeout_s'"]),
    ("sources: []\nfetch:\n  allow_hosts: ['10.0.0.0/99']", ["allow_hosts", "neither a host name"]),
    ("sources: []\nfetch:\n  retries: -1", ["field 'retries'", "out of range"]),
    ("source: []", ["unknown key 'source'", "did you mean 'sources'"]),
    ("sources:\n  - name: a\n   kind: feed", ["not valid YAML", "line"]),
    ("", ["empty"]),
])
def test_sources_file_errors_name_the_entry_and_field(tmp_path, yaml_text, expected):
    path = write_config(tmp_path, yaml_text)
    with pytest.raises(SourcesError) as raised:
        load_sources(path)
    message = str(raised.value)
    assert message.startswith(str(path))
    for part in expected:
        assert part in message, message


def test_intervals():
    assert parse_interval("30s") == dt.timedelta(seconds=30)
    assert parse_interval("1.5h") == dt.timedelta(minutes=90)
    assert parse_interval("1d") == dt.timedelta(days=1)
    with pytest.raises(ValueError):
        parse_interval("soon")


# -- fetching --------------------------------------------------------------------------------------------------


def test_get_sends_user_agent_and_undoes_gzip_and_deflate(server, fetcher):
    server.route("/gz", Reply(body=gzip.compress(b"hello " * 1000), headers={"Content-Encoding": "gzip"}))
    raw_deflate = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    server.route("/deflate", Reply(body=raw_deflate.compress(b"raw deflate") + raw_deflate.flush(),
                                   headers={"Content-Encoding": "deflate"}))
    result = fetcher.get(server.url("/gz"))
    assert result.status == 200 and result.body == b"hello " * 1000 and not result.not_modified
    assert fetcher.get(server.url("/deflate")).body == b"raw deflate"
    hit = server.hits_for("/gz")[0]
    assert hit.headers["User-Agent"].startswith("geoevents/")
    assert "gzip" in hit.headers["Accept-Encoding"]


def test_conditional_request_gives_not_modified(server, fetcher):
    def conditional(hit: Hit) -> Reply:
        if hit.headers.get("If-None-Match") == '"v1"':
            return Reply(status=304, headers={"ETag": '"v1"'})
        return Reply(body=b"content", headers={"ETag": '"v1"', "Last-Modified": "Fri, 09 Jan 2026 08:00:00 GMT"})

    server.route("/c", conditional)
    first = fetcher.get(server.url("/c"))
    assert (first.etag, first.last_modified) == ('"v1"', "Fri, 09 Jan 2026 08:00:00 GMT")
    second = fetcher.get(server.url("/c"), etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.status == 304 and second.body == b""
    assert server.hits_for("/c")[1].headers["If-Modified-Since"] == "Fri, 09 Jan 2026 08:00:00 GMT"


def test_client_errors_are_not_retried_and_server_errors_are(server, fetcher):
    server.route("/missing", Reply(status=404))
    with pytest.raises(FetchError) as raised:
        fetcher.get(server.url("/missing"))
    assert raised.value.reason == "HTTP 404" and raised.value.status == 404
    assert len(server.hits_for("/missing")) == 1

    server.route("/flaky", [Reply(status=500), Reply(body=b"fine")])
    assert fetcher.get(server.url("/flaky")).body == b"fine"
    assert len(server.hits_for("/flaky")) == 2

    server.route("/down", Reply(status=503))
    with pytest.raises(FetchError) as raised:
        fetcher.get(server.url("/down"))
    assert raised.value.reason == "HTTP 503 (2 attempts)"


def test_429_waits_for_retry_after_within_the_cap(server, fetcher):
    server.route("/busy", [Reply(status=429, headers={"Retry-After": "1"}), Reply(body=b"now")])
    assert fetcher.get(server.url("/busy")).body == b"now"
    first, second = server.hits_for("/busy")
    assert second.at - first.at >= 0.95

    server.route("/later", Reply(status=429, headers={"Retry-After": "3600"}))
    started = time.monotonic()
    with pytest.raises(FetchError) as raised:
        fetcher.get(server.url("/later"))
    assert time.monotonic() - started < 1
    assert raised.value.reason.startswith("HTTP 429") and "3600" in raised.value.reason
    assert len(server.hits_for("/later")) == 1


def test_slow_responses_time_out(server):
    server.route("/slow", Reply(body=b"late", delay_s=1.5))
    server.route("/drip", Reply(chunks=[b"x"] * 20, chunk_delay_s=0.2))
    with Fetcher(fast_settings(timeout_s=0.5, retries=0)) as fetcher:
        started = time.monotonic()
        with pytest.raises(FetchError) as raised:
            fetcher.get(server.url("/slow"))
        assert raised.value.reason == "timed out after 0.5 s"
        # A body trickling in never outlasts the total timeout.
        with pytest.raises(FetchError) as raised:
            fetcher.get(server.url("/drip"))
        assert raised.value.reason == "timed out after 0.5 s"
        assert time.monotonic() - started < 2.5


def test_redirects_are_followed_and_every_hop_is_checked(server, fetcher):
    server.route("/old", Reply(status=301, headers={"Location": "/new"}))
    server.route("/new", Reply(status=302, headers={"Location": server.url("/final")}))
    server.route("/final", Reply(body=b"here"))
    result = fetcher.get(server.url("/old"))
    assert result.final_url == server.url("/final") and result.body == b"here"

    server.route("/to-private", Reply(status=302, headers={"Location": "http://10.0.0.1/admin"}))
    with pytest.raises(FetchError) as raised:
        fetcher.get(server.url("/to-private"))
    assert raised.value.reason == "refused: private address 10.0.0.1"

    server.route("/to-file", Reply(status=302, headers={"Location": "file:///etc/passwd"}))
    with pytest.raises(FetchError) as raised:
        fetcher.get(server.url("/to-file"))
    assert raised.value.reason == "refused: scheme 'file'"

    server.route("/loop", Reply(status=302, headers={"Location": "/loop"}))
    with pytest.raises(FetchError) as raised:
        fetcher.get(server.url("/loop"))
    assert raised.value.reason.startswith("too many redirects")
    assert len(server.hits_for("/loop")) == 6  # the first request and 5 redirects


def test_private_addresses_are_refused_unless_allowed(server):
    server.route("/x", Reply(body=b"x"))
    with Fetcher(FetchSettings(per_host_interval_s=0)) as strict:
        with pytest.raises(FetchError) as raised:
            strict.get(server.url("/x"))
        assert raised.value.reason == "refused: loopback address 127.0.0.1"
        for url, reason in [("http://169.254.169.254/latest/meta-data", "refused: link-local address 169.254.169.254"),
                            ("http://[::1]/", "refused: loopback address ::1"),
                            ("http://224.0.0.1/", "refused: multicast address 224.0.0.1"),
                            ("ftp://example.org/", "refused: scheme 'ftp'")]:
            with pytest.raises(FetchError) as raised:
                strict.get(url)
            assert raised.value.reason == reason
    assert server.hits == []


def test_names_are_resolved_once_checked_and_connected_to(server):
    answers = {"news.test": ["127.0.0.1"], "evil.test": ["127.0.0.1", "10.0.0.5"], "inside.test": ["10.0.0.5"]}

    def resolver(host: str, port: int) -> list[str]:
        if host not in answers:
            raise OSError(-2, "Name or service not known")
        return answers[host]

    server.route("/x", Reply(body=b"via name"))
    with Fetcher(fast_settings(), resolver=resolver) as fetcher:
        # The connection goes to the address that was checked; the name is only the Host header.
        assert fetcher.get(f"http://news.test:{server.port}/x").body == b"via name"
        assert server.hits_for("/x")[0].headers["Host"] == f"news.test:{server.port}"
        for host, reason in [("evil.test", "refused: private address 10.0.0.5"),
                             ("inside.test", "refused: private address 10.0.0.5"),
                             ("nowhere.test", "DNS lookup failed (Name or service not known)")]:
            with pytest.raises(FetchError) as raised:
                fetcher.get(f"http://{host}:{server.port}/x")
            assert raised.value.reason == reason
    assert len(server.hits_for("/x")) == 1


def self_signed_certificate(folder: Path, name: str) -> tuple[str, str]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = folder / f"{name}.crt", folder / f"{name}.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}"],
                   check=True, capture_output=True, timeout=60)
    return str(cert), str(key)


def test_https_connects_to_the_checked_address_and_verifies_the_name(tmp_path, monkeypatch):
    certifi = pytest.importorskip("certifi")
    cert, key = self_signed_certificate(tmp_path, "news.test")
    resolver = {"news.test": ["127.0.0.1"], "other.test": ["127.0.0.1"]}
    with LocalServer(tls=(cert, key)) as tls_server:
        tls_server.route("/x", Reply(body=b"secure"))
        with Fetcher(fast_settings(retries=0), resolver=lambda host, port: resolver[host]) as fetcher:
            # An unknown issuer is refused: certificates are always verified.
            with pytest.raises(FetchError) as raised:
                fetcher.get(tls_server.url("/x", host="news.test"))
            assert raised.value.reason.startswith("TLS error") and "certificate verify failed" in raised.value.reason
        monkeypatch.setattr(certifi, "where", lambda: cert)  # trust the test certificate
        with Fetcher(fast_settings(retries=0), resolver=lambda host, port: resolver[host]) as fetcher:
            assert fetcher.get(tls_server.url("/x", host="news.test")).body == b"secure"
            assert tls_server.hits_for("/x")[0].headers["Host"] == f"news.test:{tls_server.port}"
            # The certificate must name the host of the URL, whatever address the connection went to.
            with pytest.raises(FetchError) as raised:
                fetcher.get(tls_server.url("/x", host="other.test"))
            assert raised.value.reason.startswith("TLS error")


def test_huge_bodies_are_cut_off_while_streaming(server):
    endless = (b"x" * 65536 for _ in range(16_000))  # 1 GB if it were all sent
    server.route("/huge", Reply(chunks=endless))
    server.route("/declared", Reply(body=b"", headers={"Content-Length": "999999999"}))
    bomb = gzip.compress(b"\0" * 50_000_000)  # 50 MB once decompressed, ~50 KB on the wire
    server.route("/bomb", Reply(body=bomb, headers={"Content-Encoding": "gzip"}))
    tracemalloc.start()
    try:
        with Fetcher(fast_settings(max_bytes=1_000_000)) as fetcher:
            for path in ("/huge", "/declared", "/bomb"):
                with pytest.raises(FetchError) as raised:
                    fetcher.get(server.url(path))
                assert raised.value.reason == "body larger than 1,000,000 bytes"
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000
    time.sleep(0.1)
    assert server.routes["/huge"].bytes_sent < 50_000_000


def test_robots_txt_is_obeyed_and_cached(server, fetcher):
    server.route("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /private/\n"))
    server.route("/private/page", Reply(body=b"secret"))
    server.route("/public/page", Reply(body=b"public"))
    with pytest.raises(FetchError) as raised:
        fetcher.get(server.url("/private/page"))
    assert raised.value.reason == "blocked by robots.txt"
    assert fetcher.get(server.url("/public/page")).body == b"public"
    assert server.hits_for("/private/page") == []
    assert len(server.hits_for("/robots.txt")) == 1


def test_robots_txt_server_error_disallows_for_now(server, fetcher):
    server.route("/robots.txt", Reply(status=500))
    server.route("/page", Reply(body=b"x"))
    with pytest.raises(FetchError) as raised:
        fetcher.get(server.url("/page"))
    assert raised.value.reason == "blocked by robots.txt (robots.txt answered HTTP 500)"
    assert server.hits_for("/page") == []


def test_requests_to_one_host_are_spaced(server):
    server.route("/a", Reply(body=b"a"))
    with Fetcher(fast_settings(per_host_interval_s=0.3)) as fetcher:
        fetcher.get(server.url("/a"))
        fetcher.get(server.url("/a"))
    times = [hit.at for hit in server.hits]  # robots.txt, /a, /a
    assert len(times) == 3
    assert all(later - earlier >= 0.28 for earlier, later in zip(times, times[1:]))


def test_unreachable_host_fails_with_a_reason(fetcher):
    with pytest.raises(FetchError) as raised:
        fetcher.get(f"http://127.0.0.1:{closed_port()}/feed.xml")
    assert raised.value.reason.startswith("could not connect (Connection refused)")


# -- polling feeds ---------------------------------------------------------------------------------------------


def serve_articles(server: LocalServer) -> None:
    server.route("/news/1", Reply(body=article_html("Ministers agree on maritime talks", EN_PARAGRAPHS),
                                  headers={"Content-Type": "text/html; charset=utf-8"}))
    server.route("/news/2", Reply(body=article_html("Coast guards open a hotline", EN_PARAGRAPHS[1:] + EN_PARAGRAPHS[:1]),
                                  headers={"Content-Type": "text/html; charset=utf-8"}))


def test_rss_feed_poll_gives_articles_that_the_landing_reader_reads(server, fetcher, tmp_path):
    serve_articles(server)
    server.route("/feed.xml", Reply(body=rss2(server.url(""), [("g1", "/news/1", "Ministers agree"),
                                                               ("g2", "/news/2", "Hotline")]),
                                    headers={"Content-Type": "application/rss+xml"}))
    source = feed_source(server.url("/feed.xml"))
    result = poll_feed(source, fetcher, seen=set(), validators=None, now=NOW)
    assert result.health.ok and result.health.reason is None
    assert (result.health.items_seen, result.health.items_new, result.health.articles) == (2, 2, 2)
    assert [item.key for item in result.new_seen] == ["g1", "g2"]
    first = result.articles[0]
    assert first["url"] == server.url("/news/1") and first["title"] == "Ministers agree"
    assert first["source"] == "example" and first["lang"] == "en"
    assert first["published_at"] == "2026-01-09T08:00:00+07:00"  # the page's day, the feed item's time
    assert "Sulawesi Sea" in first["text"] and "Copyright" not in first["text"]

    written = write_landing_file(result.articles, tmp_path / "landing", source.name, NOW)
    assert written == tmp_path / "landing" / "sources" / "example" / "20260110T093000.000000Z.jsonl"
    ingested = read_landing_files(list_landing_files(tmp_path / "landing"), quarantine_dir=tmp_path / "q", now=NOW)
    assert ingested.quarantine.height == 0
    rows = ingested.articles.sort("title").to_dicts()
    assert [row["title"] for row in rows] == ["Hotline", "Ministers agree"]
    assert {row["id"] for row in rows} == {article["id"] for article in result.articles}
    assert {row["published_at"] for row in rows} == {dt.date(2026, 1, 9)}

    # Already seen items are not fetched again.
    again = poll_feed(source, fetcher, seen={item.key for item in result.new_seen}, validators=None, now=NOW)
    assert again.articles == [] and again.health.items_new == 0
    assert len(server.hits_for("/news/1")) == 1 and len(server.hits_for("/news/2")) == 1


def test_second_poll_is_conditional_and_not_modified_gives_nothing(server, fetcher):
    serve_articles(server)
    body = rss2(server.url(""), [("g1", "/news/1", "Ministers agree")])

    def feed(hit: Hit) -> Reply:
        if hit.headers.get("If-None-Match") == '"feed-1"':
            return Reply(status=304)
        return Reply(body=body, headers={"ETag": '"feed-1"'})

    server.route("/feed.xml", feed)
    source = feed_source(server.url("/feed.xml"))
    first = poll_feed(source, fetcher, seen=set(), validators=None)
    assert first.validators == Validators(etag='"feed-1"')
    second = poll_feed(source, fetcher, seen=set(), validators=first.validators)
    assert server.hits_for("/feed.xml")[1].headers["If-None-Match"] == '"feed-1"'
    assert second.articles == [] and second.health.ok and second.health.http_status == 304
    assert second.validators == first.validators
    assert len(server.hits_for("/news/1")) == 1


def test_atom_feed(server, fetcher):
    server.route("/atom.xml", Reply(body=atom(server.url("")), headers={"Content-Type": "application/atom+xml"}))
    server.route("/atom/1", Reply(body=article_html("Ministers agree on maritime talks", EN_PARAGRAPHS)))
    result = poll_feed(feed_source(server.url("/atom.xml")), fetcher, seen=(), validators=None)
    assert [item.key for item in result.new_seen] == ["urn:example:entry:1"]
    (article,) = result.articles
    assert article["title"] == "Ministers agree on maritime talks"
    assert article["published_at"] == "2026-01-09T09:00:00+07:00"


def test_rss_091_feed_in_indonesian(server, fetcher):
    server.route("/rss091.xml", Reply(body=rss091_indonesian(server.url("")),
                                      headers={"Content-Type": "text/xml; charset=ISO-8859-1"}))
    server.route("/berita/1", Reply(body=article_html("Menteri bahas batas maritim", ID_PARAGRAPHS, lang="id")))
    result = poll_feed(feed_source(server.url("/rss091.xml")), fetcher, seen=(), validators=None)
    assert result.health.ok, result.health.reason
    (article,) = result.articles
    assert article["lang"] == "id" and article["title"] == "Menteri bahas batas maritim"
    assert "Laut Sulawesi" in article["text"]
    # Without an item key, the normalised link is the key.
    assert result.new_seen[0].key == server.url("/berita/1")


def test_full_text_in_the_feed_is_used_without_fetching_the_page(server, fetcher):
    full = "".join(f"<p>{paragraph}</p>" for paragraph in EN_PARAGRAPHS * 2)
    extra = f"<content:encoded><![CDATA[{full}]]></content:encoded>"
    server.route("/full.xml", Reply(body=rss2(server.url(""), [("g1", "/news/1", "Ministers agree")],
                                              extra_item_xml=extra)))
    result = poll_feed(feed_source(server.url("/full.xml"), lang="en"), fetcher, seen=(), validators=None)
    (article,) = result.articles
    assert "Sulawesi Sea" in article["text"] and article["url"] == server.url("/news/1")
    assert server.hits_for("/news/1") == []


def test_failing_items_are_reported_retried_then_given_up(server, fetcher):
    server.route("/news/1", Reply(body=article_html("Ministers agree on maritime talks", EN_PARAGRAPHS)))
    server.route("/gone", Reply(status=404))
    server.route("/empty", Reply(body=NAV_ONLY_HTML))
    server.route("/feed.xml", Reply(body=rss2(server.url(""), [("ok", "/news/1", "Fine"), ("gone", "/gone", "Gone"),
                                                               ("empty", "/empty", "Empty")])))
    source = feed_source(server.url("/feed.xml"))
    seen: set[str] = set()
    attempts: dict[str, int] = {}
    for poll in (1, 2, 3):
        result = poll_feed(source, fetcher, seen=seen, validators=None, attempts=attempts, max_attempts=3)
        problems = {problem.key: problem for problem in result.problems}
        assert set(problems) == {"gone", "empty"}
        assert problems["gone"].reason == "page: HTTP 404"
        assert problems["empty"].reason == "page: no main text found"
        assert all(problem.attempts == poll for problem in problems.values())
        assert result.health.ok and "2 of" in result.health.reason
        seen |= {item.key for item in result.new_seen}
        attempts = result.attempts
        if poll < 3:
            assert seen == {"ok"} and attempts == {"gone": poll, "empty": poll}
    given_up = {item.key: item.reason for item in result.new_seen}
    assert given_up == {"gone": "gave up after 3 attempts: page: HTTP 404",
                        "empty": "gave up after 3 attempts: page: no main text found"}
    assert attempts == {} and all(problem.given_up for problem in result.problems)
    final = poll_feed(source, fetcher, seen=seen, validators=None, attempts=attempts)
    assert final.problems == [] and len(server.hits_for("/gone")) == 3
    assert len(server.hits_for("/news/1")) == 1


def test_max_items_leaves_the_rest_for_the_next_poll(server, fetcher):
    serve_articles(server)
    server.route("/feed.xml", Reply(body=rss2(server.url(""), [("g1", "/news/1", "One"), ("g2", "/news/2", "Two")])))
    source = feed_source(server.url("/feed.xml"), max_items=1)
    first = poll_feed(source, fetcher, seen=(), validators=None)
    assert [item.key for item in first.new_seen] == ["g1"] and "1 new items left" in first.health.reason
    second = poll_feed(source, fetcher, seen={"g1"}, validators=None)
    assert [item.key for item in second.new_seen] == ["g2"]


def test_malformed_and_non_feeds_are_failures(server, fetcher):
    server.route("/broken.xml", Reply(body=b"<rss><channel><item><title>unclosed</ti"))
    server.route("/page.html", Reply(body=article_html("Not a feed", EN_PARAGRAPHS)))
    broken = poll_feed(feed_source(server.url("/broken.xml")), fetcher, seen=(), validators=None)
    assert not broken.health.ok and broken.health.reason.startswith("not a well-formed feed")
    assert broken.health.http_status == 200 and broken.validators is None
    html = poll_feed(feed_source(server.url("/page.html")), fetcher, seen=(), validators=None)
    assert not html.health.ok and html.health.reason == "not an RSS or Atom feed (it looks like an HTML page)"


def test_entity_bombs_are_never_expanded(server, fetcher):
    server.route("/bomb.xml", Reply(body=BILLION_LAUGHS.replace(b"LINK", server.url("/news/1").encode())))
    server.route("/news/1", Reply(body=article_html("Ministers agree on maritime talks", EN_PARAGRAPHS)))
    tracemalloc.start()
    started = time.monotonic()
    try:
        result = poll_feed(feed_source(server.url("/bomb.xml")), fetcher, seen=(), validators=None)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 5 and peak < 50_000_000
    assert result.health.ok and "declares XML entities" in result.health.reason
    dumped = json.dumps([result.articles, [problem.reason for problem in result.problems], result.health.reason])
    assert "lollol" not in dumped


def test_external_entities_are_never_resolved(server, fetcher, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER-4711", encoding="utf-8")
    server.route("/xxe-target", Reply(body=b"REMOTE-ENTITY-MARKER"))
    feed = f"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY local SYSTEM "file://{secret}">
  <!ENTITY remote SYSTEM "{server.url('/xxe-target')}">
]>
<rss version="2.0"><channel><title>t &local;</title>
<item><title>Item &local; &remote;</title><link>{server.url('/news/1')}</link>
<description>&local; &remote;</description></item></channel></rss>""".encode()
    server.route("/xxe.xml", Reply(body=feed))
    server.route("/news/1", Reply(body=article_html("Ministers agree on maritime talks", EN_PARAGRAPHS)))
    result = poll_feed(feed_source(server.url("/xxe.xml")), fetcher, seen=(), validators=None)
    dumped = json.dumps([result.articles, [item.key for item in result.new_seen], result.health.reason])
    assert "TOP-SECRET-MARKER" not in dumped and "REMOTE-ENTITY-MARKER" not in dumped
    assert "declares XML entities" in result.health.reason and len(result.articles) == 1
    assert server.hits_for("/xxe-target") == []


def test_unreachable_feed_is_a_failed_poll(fetcher):
    result = poll_feed(feed_source(f"http://127.0.0.1:{closed_port()}/feed.xml"), fetcher, seen=(),
                       validators=Validators(etag='"old"'))
    assert not result.health.ok and result.health.reason.startswith("could not connect")
    assert result.health.http_status is None and result.validators == Validators(etag='"old"')


# -- pages, folders, landing files, schedule, checks ------------------------------------------------------------


def test_page_source_is_fetched_conditionally_and_changes_give_new_versions(server, fetcher):
    versions = {"body": article_html("Statement on the maritime talks", EN_PARAGRAPHS), "etag": '"p1"'}

    def page(hit: Hit) -> Reply:
        if hit.headers.get("If-None-Match") == versions["etag"]:
            return Reply(status=304)
        return Reply(body=versions["body"], headers={"ETag": versions["etag"]})

    server.route("/statement", page)
    source = Source(name="statement", kind="page", url=server.url("/statement"), lang="en")
    first = poll_page(source, fetcher, validators=None)
    assert len(first.articles) == 1 and first.articles[0]["published_at"] == "2026-01-09"
    assert first.validators.etag == '"p1"' and first.validators.digest
    assert poll_page(source, fetcher, validators=first.validators).articles == []

    versions.update(body=article_html("Statement on the maritime talks", EN_PARAGRAPHS + ["Updated: the talks "
                    "were moved to February at the request of both delegations, the ministries said today."]),
                    etag='"p2"')
    changed = poll_page(source, fetcher, validators=first.validators)
    assert len(changed.articles) == 1 and changed.articles[0]["id"] == first.articles[0]["id"]
    assert "moved to February" in changed.articles[0]["text"]

    # A server without validators: the same text gives no new version.
    versions["etag"] = ""
    same = poll_page(source, fetcher, validators=changed.validators)
    assert same.articles == [] and same.health.ok


def test_folder_source_copies_new_and_changed_files_into_landing(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    (inbox / "a.txt").write_text("title: A\n\nSome article text about the maritime talks in Jakarta.\n")
    (inbox / "sub" / "b.md").write_text("# B\n\nAnother article.\n")
    (inbox / ".hidden.txt").write_text("never copied")
    landing = tmp_path / "landing"
    source = Source(name="drops", kind="folder", path=inbox)
    first = poll_folder(source, landing_dir=landing, seen=(), now=NOW, settle_s=0)
    assert first.health.ok and first.health.items_new == 2
    batch = landing / "sources" / "drops" / "20260110T093000.000000Z"
    assert sorted(path.relative_to(batch).as_posix() for path in first.files) == ["a.txt", "sub/b.md"]
    seen = {item.key for item in first.new_seen}
    assert poll_folder(source, landing_dir=landing, seen=seen, settle_s=0).files == []
    (inbox / "a.txt").write_text("title: A\n\nThe corrected article text, now longer than before.\n")
    assert [path.name for path in poll_folder(source, landing_dir=landing, seen=seen, settle_s=0).files] == ["a.txt"]
    missing = poll_folder(Source(name="gone", kind="folder", path=tmp_path / "nope"), landing_dir=landing)
    assert not missing.health.ok and "does not exist" in missing.health.reason


def test_landing_file_is_written_atomically_and_never_overwritten(tmp_path):
    articles = [{"text": "Some text.", "title": "T", "url": "https://example.org/a", "source": "s",
                 "published_at": "2026-01-09", "lang": "en", "id": "x1"}]
    assert write_landing_file([], tmp_path, "s", NOW) is None
    first = write_landing_file(articles, tmp_path, "s", NOW)
    second = write_landing_file(articles, tmp_path, "s", NOW)
    assert first != second and first.read_text() == second.read_text()
    assert json.loads(first.read_text().splitlines()[0])["id"] == "x1"
    assert sorted(path.name for path in first.parent.iterdir()) == sorted([first.name, second.name])  # no temporary
    with pytest.raises(ValueError):
        write_landing_file(articles, tmp_path, "../escape", NOW)


def test_is_due():
    source = Source(name="s", kind="feed", url="https://example.org/rss", every=dt.timedelta(minutes=15))
    assert is_due(source, None, NOW)
    assert not is_due(source, NOW - dt.timedelta(minutes=14), NOW)
    assert is_due(source, NOW - dt.timedelta(minutes=15), NOW)
    assert not is_due(Source(name="s", kind="feed", url="https://example.org/rss", enabled=False), None, NOW)


def test_check_source(server, fetcher, tmp_path):
    serve_articles(server)
    server.route("/feed.xml", Reply(body=rss2(server.url(""), [("g1", "/news/1", "One"), ("g2", "/news/2", "Two")])))
    server.route("/empty", Reply(body=NAV_ONLY_HTML))
    assert check_source(feed_source(server.url("/feed.xml")), fetcher).items == 2
    page = check_source(Source(name="p", kind="page", url=server.url("/news/1")), fetcher)
    assert page.ok and page.items == 1 and page.http_status == 200
    empty = check_source(Source(name="p", kind="page", url=server.url("/empty")), fetcher)
    assert not empty.ok and empty.reason == "no main text found"
    closed = check_source(feed_source(f"http://127.0.0.1:{closed_port()}/rss"), fetcher)
    assert not closed.ok and closed.reason.startswith("could not connect")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("text")
    (tmp_path / "in" / "b.pdf").write_bytes(b"%PDF")
    folder = check_source(Source(name="f", kind="folder", path=tmp_path / "in"))
    assert folder.ok and folder.items == 1 and "unsupported" in folder.reason
    assert not check_source(Source(name="f", kind="folder", path=tmp_path / "nope")).ok
