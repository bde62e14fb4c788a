"""`geoevents report`: the HTML report from a small hand-made warehouse, checked as text and in Chromium.

The browser test drives headless Chromium (Debian's `chromium`) over the DevTools protocol (tests/chromium.py):
the charts must be in the rendered page with a size, the page must log no error and request nothing but
itself, and its screenshot must be a real picture.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import struct
import time
import zlib
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from chromium import INSTALL_HINT, Chromium, find_chromium

from etl import report, warehouse

HOSTILE_ACTOR = "<script>alert(1)</script>"
HOSTILE_PLACE = '<img src=x onerror="alert(2)">Kyiv'
HOSTILE_URL = "javascript:alert(3)"
QUOTED_URL = 'https://news.example.com/story?a=1&b="><script>alert(4)</script>'

NAMES = {
    "CHN": "China", "CHNGOV": "China: Government", "RUS": "Russian Federation",
    "RUSGOV": "Russian Federation: Government", "RUSMIL": "Russian Federation: Military",
    "USA": "United States", "USAGOV": "United States: Government", "UKR": "Ukraine",
    "UKRGOV": "Ukraine: Government", "UKRMIL": "Ukraine: Military", "IDNCOP": "Indonesia: Police",
    "IDNOPP": "Indonesia: Political opposition",
}
PLACES = {
    "Beijing, China": (39.9075, 116.39723), "Moscow, Russian Federation": (55.75222, 37.61556),
    "Washington, United States": (38.89511, -77.03637), HOSTILE_PLACE: (50.45466, 30.5238),
    "Jakarta, Indonesia": (-6.21462, 106.84513),
}
#: (day, source, target, CAMEO code, QuadClass, Goldstein, mentions, place, url) - 36 events in 2024.
EVENTS = [
    ("2024-01-08", "CHNGOV", "RUSGOV", "036", 1, 4.0, 3, "Beijing, China", "https://news.example.com/cn-ru-1"),
    ("2024-02-12", "CHNGOV", "RUSGOV", "057", 1, 8.0, 5, "Beijing, China", "https://news.example.com/cn-ru-2"),
    ("2024-03-04", "CHN", "RUS", "042", 1, 1.9, 2, "Moscow, Russian Federation", "https://news.example.com/cn-ru-3"),
    ("2024-03-05", "CHNGOV", "RUSGOV", "061", 2, 6.4, 1, "Moscow, Russian Federation", None),
    ("2024-05-16", "CHNGOV", "RUS", "057", 1, 8.0, 9, "Beijing, China", HOSTILE_URL),
    ("2024-10-22", "CHNGOV", "RUSGOV", "112", 3, -2.0, 1, "Moscow, Russian Federation", None),
    ("2024-01-09", "RUSGOV", "CHNGOV", "040", 1, 1.0, 1, "Moscow, Russian Federation", None),
    ("2024-05-17", "RUSGOV", "CHNGOV", "043", 1, 2.8, 4, "Beijing, China", "https://news.example.com/ru-cn-2"),
    ("2024-07-03", "RUS", "CHN", "071", 2, 7.4, 1, None, None),
    ("2024-11-20", "RUSGOV", "CHNGOV", "125", 3, -5.0, 2, "Moscow, Russian Federation", None),
    ("2024-02-01", "USAGOV", "CHNGOV", "163", 4, -8.0, 6, "Washington, United States", QUOTED_URL),
    ("2024-04-10", "USAGOV", "CHNGOV", "111", 3, -2.0, 2, "Washington, United States", None),
    ("2024-06-18", "USAGOV", "CHNGOV", "036", 1, 4.0, 1, "Beijing, China", None),
    ("2024-08-27", "USAGOV", "CHNGOV", "172", 4, -5.0, 3, "Washington, United States", None),
    ("2024-12-02", "USAGOV", "CHNGOV", "130", 3, -4.4, 1, None, None),
    ("2024-03-11", "CHNGOV", "USAGOV", "114", 3, -2.0, 1, "Beijing, China", None),
    ("2024-09-09", "CHNGOV", "USAGOV", "046", 1, 7.0, 2, "Beijing, China", None),
    ("2024-10-01", "CHNGOV", "USAGOV", "128", 3, -2.0, 1, "Beijing, China", None),
    ("2024-02-24", "RUSMIL", "UKRGOV", "190", 4, -10.0, 12, HOSTILE_PLACE, "https://news.example.com/ua-1"),
    ("2024-03-15", "RUSMIL", "UKRGOV", "195", 4, -10.0, 8, HOSTILE_PLACE, "https://news.example.com/ua-2"),
    ("2024-05-02", "RUSMIL", "UKRGOV", "190", 4, -10.0, 7, HOSTILE_PLACE, None),
    ("2024-06-21", "RUSMIL", "UKRGOV", "183", 4, -10.0, 4, HOSTILE_PLACE, None),
    ("2024-09-30", "RUSMIL", "UKRGOV", "190", 4, -10.0, 6, HOSTILE_PLACE, None),
    ("2024-12-18", "RUSMIL", "UKRGOV", "195", 4, -10.0, 3, HOSTILE_PLACE, None),
    ("2024-03-16", "UKRMIL", "RUSMIL", "190", 4, -10.0, 2, "Moscow, Russian Federation", None),
    ("2024-07-07", "UKRMIL", "RUSMIL", "195", 4, -10.0, 3, "Moscow, Russian Federation", None),
    ("2024-11-11", "UKRMIL", "RUSMIL", "190", 4, -10.0, 2, None, None),
    ("2024-04-04", "IDNCOP", "IDNOPP", "173", 4, -5.0, 2, "Jakarta, Indonesia", None),
    ("2024-04-05", "IDNCOP", "IDNOPP", "145", 4, -7.0, 3, "Jakarta, Indonesia", None),
    ("2024-04-06", "IDNCOP", "IDNOPP", "014", 1, 0.0, 1, "Jakarta, Indonesia", None),
    ("2024-01-03", "USAGOV", None, "010", 1, 0.0, 1, "Washington, United States", None),
    ("2024-06-01", "UKRGOV", None, "015", 1, 0.0, 1, None, None),
    ("2024-08-08", "USAGOV", "RUSGOV", "163", 4, -8.0, 2, "Washington, United States", None),
    ("2024-08-09", "RUSGOV", "USAGOV", "128", 3, -2.0, 1, "Moscow, Russian Federation", None),
    ("2024-10-10", "UKRGOV", "USAGOV", "020", 1, 3.0, 2, "Washington, United States", None),
    ("2024-12-20", "USAGOV", "UKRGOV", "071", 2, 7.4, 4, HOSTILE_PLACE, None),
]
CHN_RUS_EVENTS = 10  # the first ten rows: CHN -> RUS and RUS -> CHN at any level (CHN, CHNGOV ...)
CHARTS = ("chart-timeline-counts", "chart-timeline-goldstein", "chart-quad-mix", "chart-map")
SECTIONS = ("summary", "timeline", "quad-mix", "map", "top-dyads", "top-events")


def _row(number: int, spec: tuple) -> dict:
    day, source, target, code, quad, goldstein, mentions, place, url = spec
    date = dt.date.fromisoformat(day)
    lat, lon = PLACES[place] if place else (None, None)
    return {
        "global_event_id": 1000 + number, "sql_date": int(date.strftime("%Y%m%d")),
        "month_year": date.year * 100 + date.month, "year": date.year,
        "fraction_date": date.year + (date.month * 30 + date.day) / 365, "event_date": date,
        "actor1_code": source,
        "actor1_name": HOSTILE_ACTOR if number == 10 else NAMES[source],
        "actor1_country_code": source[:3],
        "actor2_code": target, "actor2_name": NAMES.get(target), "actor2_country_code": target and target[:3],
        "is_root_event": 1, "event_code": code, "event_base_code": code[:3], "event_root_code": code[:2],
        "quad_class": quad, "goldstein_scale": goldstein, "num_mentions": mentions,
        "num_sources": max(1, mentions // 2), "num_articles": max(1, mentions - 1), "avg_tone": -1.5 + number % 5,
        "action_geo_type": 4 if place else None, "action_geo_fullname": place,
        "action_geo_lat": lat, "action_geo_long": lon,
        "date_added": int(date.strftime("%Y%m%d")) * 1_000_000, "source_url": url,
        "source": "gdelt" if number == 30 else "geoevents",
    }


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "events.duckdb"
    rows = [_row(number, spec) for number, spec in enumerate(EVENTS)]
    columns = list(rows[0])
    with warehouse.connect(path) as con:
        warehouse.create_schema(con)
        warehouse.load_codebook(con)
        con.executemany(
            f"INSERT INTO events ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
            [[row[c] for c in columns] for row in rows],
        )
    return path


@pytest.fixture(scope="module")
def empty_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report-empty") / "events.duckdb"
    with warehouse.connect(path) as con:
        warehouse.create_schema(con)
        warehouse.load_codebook(con)
    return path


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def _tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def assert_self_contained(page: str) -> None:
    """Nothing in the page loads from elsewhere: no script, no external src/href other than <a> links to
    http(s) sources, no CSS url() or @import, no event-handler attribute."""
    for tag, attrs in _tags(page):
        assert tag not in ("script", "iframe", "object", "embed", "base", "img", "image"), tag
        for name, value in attrs.items():
            assert not name.startswith("on"), f"<{tag} {name}=...>"
            if name in ("src", "srcset", "href", "xlink:href", "action", "poster", "data", "background"):
                value = (value or "").strip()
                if tag == "a" and name == "href":
                    assert re.match(r"https?://", value), f"link to {value!r}"
                else:
                    assert value.startswith(("data:", "#")), f"<{tag} {name}={value!r}> loads a resource"
    assert not re.search(r"url\s*\(|@import", page, re.IGNORECASE)


def test_report_sections_figures_and_escaping(database: Path, tmp_path: Path) -> None:
    output = tmp_path / "out" / "report.html"
    summary = report.build_report(database, output)
    page = output.read_text(encoding="utf-8")

    assert summary.output == output and summary.events == len(EVENTS)
    assert summary.mentions == sum(spec[6] for spec in EVENTS)
    assert summary.bucket == "week" and summary.period == (dt.date(2024, 1, 3), dt.date(2024, 12, 20))
    assert len(summary.dyads) == report.BUSIEST_DYADS and summary.dyads[0] == ("RUSMIL", "UKRGOV")
    for section in SECTIONS:
        assert f'id="{section}"' in page, section
    for chart in CHARTS:
        assert f'<svg id="{chart}"' in page, chart
    assert f"<b>{len(EVENTS)}</b>events" in page
    assert all(name in page for name in ("Verbal cooperation", "Material cooperation", "Verbal conflict",
                                         "Material conflict"))
    assert "Sign formal agreement" in page  # event names come from the codebook

    # Database text is escaped everywhere, in text and in attributes.
    assert HOSTILE_ACTOR not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page and "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;Kyiv" in page
    assert "<script" not in page.lower()
    assert_self_contained(page)
    links = [attrs["href"] for tag, attrs in _tags(page) if tag == "a"]
    assert "https://news.example.com/ua-1" in links and QUOTED_URL in links  # the parser unescapes
    assert not any("javascript" in link.lower() for link in links)
    assert "javascript:alert(3)" in page  # shown as text, not linked


def test_report_actor_filter_and_period(database: Path, tmp_path: Path) -> None:
    summary = report.build_report(database, tmp_path / "chn-rus.html", actors=["CHN", "rus"])
    assert summary.events == CHN_RUS_EVENTS
    assert summary.dyads == (("CHN", "RUS"), ("RUS", "CHN"))
    page = (tmp_path / "chn-rus.html").read_text(encoding="utf-8")
    assert "CHN, RUS: events between any two of them" in page
    assert "CHN → RUS (6 events)" in page and "RUS → CHN (4 events)" in page

    march = report.build_report(database, tmp_path / "march.html", start=dt.date(2024, 3, 1),
                                end=dt.date(2024, 3, 31))
    assert march.events == sum(spec[0].startswith("2024-03") for spec in EVENTS)
    assert march.bucket == "day" and march.period == (dt.date(2024, 3, 1), dt.date(2024, 3, 31))

    one = report.build_report(database, tmp_path / "ukr.html", actors=("UKR",))
    assert one.events == sum("UKR" in (spec[1] or "") + (spec[2] or "") for spec in EVENTS)
    assert ("RUSMIL", "UKR") in one.dyads


def test_report_rejects_bad_input(database: Path, tmp_path: Path) -> None:
    for bad in (["CH"], ["CHN1"], ["CHN;DROP TABLE events"], [HOSTILE_ACTOR], ["ABCDEFGHIJ"], [""]):
        with pytest.raises(ValueError, match="not an actor code"):
            report.build_report(database, tmp_path / "bad.html", actors=bad)
    with pytest.raises(ValueError, match="before it starts"):
        report.build_report(database, tmp_path / "bad.html", start=dt.date(2024, 5, 1), end=dt.date(2024, 4, 1))
    with pytest.raises(FileNotFoundError):
        report.build_report(tmp_path / "missing.duckdb", tmp_path / "bad.html")
    assert not (tmp_path / "bad.html").exists()
    assert report.parse_actors(" chn, RUS  usa,CHN ") == ("CHN", "RUS", "USA")
    assert report.build_report(database, tmp_path / "ok.html", actors="CHN,RUS").dyads == (("CHN", "RUS"), ("RUS", "CHN"))


def test_every_database_text_is_escaped(tmp_path: Path) -> None:
    """Markup in any text column (codes, names, places, addresses, sources) comes out as text."""
    probe = '<xss-probe a="1">\'&'
    database = tmp_path / "probe.duckdb"
    rows = [_row(number, spec) for number, spec in enumerate(EVENTS[:12])]
    for row in rows:
        for column in ("actor1_code", "actor1_name", "actor2_code", "actor2_name", "action_geo_fullname",
                       "source_url", "source", "event_code"):
            row[column] = f"{column}{probe}"
        row["source_url"] = "https://news.example.com/" + probe
    columns = list(rows[0])
    with warehouse.connect(database) as con:
        warehouse.create_schema(con)
        warehouse.load_codebook(con)
        con.executemany(f"INSERT INTO events ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                        [[row[c] for c in columns] for row in rows])
    summary = report.build_report(database, tmp_path / "probe.html")
    page = (tmp_path / "probe.html").read_text(encoding="utf-8")
    assert summary.events == 12 and "&lt;xss-probe a=&quot;1&quot;&gt;&#x27;&amp;" in page
    assert "<xss-probe" not in page and 'a="1"' not in page
    assert_self_contained(page)


def test_empty_warehouse_and_selection(database: Path, empty_database: Path, tmp_path: Path) -> None:
    bare = tmp_path / "bare.duckdb"
    duckdb.connect(str(bare)).close()  # a database file without any table
    cases = {"empty": (empty_database, {}), "bare": (bare, {}),
             "nothing": (database, {"actors": ["ZZZ", "CHN"]}),
             "future": (database, {"start": dt.date(2030, 1, 1)})}
    for name, (path, options) in cases.items():
        summary = report.build_report(path, tmp_path / f"{name}.html", **options)
        page = (tmp_path / f"{name}.html").read_text(encoding="utf-8")
        assert summary.events == 0 and summary.dyads == (), name
        assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
        assert 'id="no-events"' in page and "No events for this selection" in page, name
        assert_self_contained(page)


def test_buckets() -> None:
    assert report.choose_bucket(dt.date(2024, 1, 1), dt.date(2024, 2, 14)) == "day"
    assert report.choose_bucket(dt.date(2024, 1, 1), dt.date(2024, 12, 31)) == "week"
    assert report.choose_bucket(dt.date(2023, 1, 1), dt.date(2025, 12, 31)) == "month"
    assert report.choose_bucket(dt.date(1990, 1, 1), dt.date(2015, 1, 1)) == "quarter"
    assert report.bucket_range(dt.date(2024, 1, 31), dt.date(2024, 3, 1), "month") == [
        dt.date(2024, 1, 1), dt.date(2024, 2, 1), dt.date(2024, 3, 1)]
    weeks = report.bucket_range(dt.date(2024, 1, 3), dt.date(2024, 1, 15), "week")
    assert weeks == [dt.date(2024, 1, 1), dt.date(2024, 1, 8), dt.date(2024, 1, 15)]
    assert report.bucket_range(dt.date(2024, 11, 5), dt.date(2025, 2, 1), "quarter")[-1] == dt.date(2025, 1, 1)
    assert report.safe_link("https://a.example/x?y=1") and report.safe_link("http://a.example")
    for bad in ("javascript:alert(1)", "data:text/html,x", "//a.example", "https:///x", "https://a.example/a b",
                "ftp://a.example", None, ""):
        assert report.safe_link(bad) is None, bad


def _check_png(data: bytes) -> tuple[int, int]:
    """Width and height of a well-formed PNG (signature, chunk CRCs, IHDR, IDAT, IEND) whose pixels vary."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    offset, chunks, pixels = 8, [], b""
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length:offset + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in {kind!r}"
        chunks.append(kind)
        if kind == b"IDAT":
            pixels += body
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        offset += 12 + length
    assert chunks[0] == b"IHDR" and chunks[-1] == b"IEND" and b"IDAT" in chunks
    raw = zlib.decompress(pixels)
    assert len(set(raw[: 4_000_000])) > 30, "the screenshot is (nearly) blank"
    return width, height


def test_report_renders_in_chromium(database: Path, empty_database: Path, tmp_path: Path) -> None:
    browser_binary = find_chromium()
    if browser_binary is None:
        pytest.fail(INSTALL_HINT)
    started = time.monotonic()
    full = tmp_path / "report.html"
    report.build_report(database, full)
    empty = tmp_path / "empty.html"
    report.build_report(empty_database, empty)
    with Chromium(browser_binary) as browser:
        page = browser.open(full.as_uri())
        charts = page.evaluate("""JSON.stringify([...document.querySelectorAll('svg.chart')].map(svg => {
            const box = svg.getBoundingClientRect();
            return {id: svg.id, width: box.width, height: box.height,
                    shapes: svg.querySelectorAll('path, circle, rect, line').length,
                    titles: svg.querySelectorAll('title').length};
        }))""")
        found = {chart["id"]: chart for chart in json.loads(charts)}
        for chart in CHARTS:
            assert chart in found, f"{chart} is not in the rendered page"
            assert found[chart]["width"] > 600 and found[chart]["height"] > 150, found[chart]
            assert found[chart]["shapes"] > 5 and found[chart]["titles"] > 1, found[chart]
        places = page.evaluate("document.querySelectorAll('#chart-map g.place > title').length")
        assert places == len({spec[7] for spec in EVENTS if spec[7]})
        land = page.evaluate("(document.querySelector('#chart-map path.land') || {getAttribute: () => ''})"
                             ".getAttribute('d').length")
        assert (land > 10_000) == (report.world_outlines() is not None)
        tooltip = page.evaluate("[...document.querySelectorAll('#chart-map g.place > title')]"
                                ".map(t => t.textContent).join('\\n')")
        assert HOSTILE_PLACE in tooltip and "Kyiv" in tooltip  # shown as text, in the tooltip
        assert page.evaluate("document.querySelectorAll('script, img').length") == 0
        assert page.evaluate("document.querySelectorAll('#top-events tbody tr').length") == report.TOP_ROWS
        shot = page.screenshot(tmp_path / "report.png")
        width, height = _check_png(shot)
        assert width == 1280 and height > 2500 and len(shot) > 50_000
        pdf = page.print_pdf()
        assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
        assert page.console_errors() == [], page.console_errors()
        assert all(url.startswith("file://") for url in page.requests), page.requests

        # The checks see what they are for: a page with errors and a remote image fails them. (Port 9 is one
        # Chromium refuses to connect to, so nothing leaves the machine.)
        broken = tmp_path / "broken.html"
        broken.write_text("<!DOCTYPE html><title>broken</title><script>console.error('boom');"
                          "throw new Error('uncaught')</script><img src='http://127.0.0.1:9/x.png'>")
        bad = browser.open(broken.as_uri())
        assert any("boom" in e for e in bad.console_errors()), bad.console_errors()
        assert any("uncaught" in e for e in bad.console_errors()), bad.console_errors()
        assert "http://127.0.0.1:9/x.png" in bad.requests

        blank = browser.open(empty.as_uri())
        assert blank.evaluate("document.getElementById('no-events').textContent").startswith("No events")
        _check_png(blank.screenshot(tmp_path / "empty.png"))
        assert blank.console_errors() == [] and all(url.startswith("file://") for url in blank.requests)
    assert (tmp_path / "report.png").stat().st_size == len(shot)
    assert time.monotonic() - started < 20
