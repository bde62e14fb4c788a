"""How fast the analytic views answer and the exports publish on a large warehouse (not part of the tests).

    .venv/bin/python benchmarks/analytics_speed.py [--events 10000000] [--years 5] [--folder DIR]

Builds (once; reused when present) a warehouse of synthetic events spread over the years, deterministic for
a given size: 60 countries with roles, every CAMEO code with its Goldstein score and QuadClass, places and
tones drawn from hashes of the row number. Then times the marts in sql/views/ and the publication of the
DuckDB snapshot and Parquet exports, and prints a table.
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from etl import warehouse  # noqa: E402
from etl.publish import publish_parquet, publish_snapshot  # noqa: E402

COUNTRIES = ("USA CHN RUS IDN MYS SGP THA KHM VNM PHL MMR JPN KOR PRK IND PAK AFG IRN IRQ SYR ISR PSE LBN JOR SAU "
             "YEM EGY TUR UKR POL DEU FRA GBR ITA ESP NLD BEL SWE NOR AUS NZL CAN MEX BRA ARG COL VEN CUB NGA ZAF "
             "ETH KEN SDN SSD COD LBY DZA MAR QAT ARE").split()
ROLES = ("", "GOV", "MIL", "COP", "OPP", "REB", "CVL", "BUS", "MED", "JUD")
FIRST_DAY = "2021-01-01"


def build(database: Path, events: int, years: int) -> float:
    """Fill `database` with `events` synthetic events; returns seconds taken."""
    started = time.perf_counter()
    with warehouse.connect(database) as con:
        warehouse.create_schema(con)
        con.execute("CREATE TEMP TABLE countries_pick AS SELECT unnest(?) AS code, generate_subscripts(?, 1) - 1 AS i",
                    [list(COUNTRIES), list(COUNTRIES)])
        con.execute("CREATE TEMP TABLE roles_pick AS SELECT unnest(?) AS role, generate_subscripts(?, 1) - 1 AS i",
                    [list(ROLES), list(ROLES)])
        con.execute("""CREATE TEMP TABLE codes_pick AS
                       SELECT code, root, goldstein, quad_class, row_number() OVER (ORDER BY code) - 1 AS i
                       FROM cameo_event_codes WHERE level <> 'root'""")
        n_countries, n_roles = len(COUNTRIES), len(ROLES)
        n_codes = con.execute("SELECT count(*) FROM codes_pick").fetchone()[0]
        con.execute(f"""
            INSERT INTO events BY NAME
            WITH draws AS (
                SELECT
                    i,
                    hash(i) AS h1, hash(i + 1000000007) AS h2, hash(i * 31 + 7) AS h3,
                    (DATE '{FIRST_DAY}' + CAST(hash(i * 17) % ({years} * 365) AS INTEGER)) AS day
                FROM range({events}) t(i)
            ),
            picked AS (
                SELECT d.*,
                    c1.code AS c1, c2.code AS c2, r1.role AS r1, r2.role AS r2, k.code AS ev, k.root, k.goldstein,
                    k.quad_class
                FROM draws d
                JOIN countries_pick c1 ON c1.i = d.h1 % {n_countries}
                JOIN countries_pick c2 ON c2.i = (d.h1 // {n_countries} + 1 + d.h1 % {n_countries}) % {n_countries}
                JOIN roles_pick r1 ON r1.i = d.h2 % {n_roles}
                JOIN roles_pick r2 ON r2.i = (d.h2 // {n_roles}) % {n_roles}
                JOIN codes_pick k ON k.i = d.h3 % {n_codes}
            )
            SELECT
                i + 1 AS global_event_id,
                strftime(day, '%Y%m%d')::INTEGER AS sql_date,
                strftime(day, '%Y%m')::INTEGER AS month_year,
                year(day) AS year,
                round(year(day) + (month(day) * 30 + day(day)) / 365, 4) AS fraction_date,
                day AS event_date,
                c1 || r1 AS actor1_code, c1 AS actor1_name, c1 AS actor1_country_code, nullif(r1, '') AS actor1_type1_code,
                c2 || r2 AS actor2_code, c2 AS actor2_name, c2 AS actor2_country_code, nullif(r2, '') AS actor2_type1_code,
                (h2 % 3 = 0)::INTEGER AS is_root_event,
                ev AS event_code, left(ev, 3) AS event_base_code, root AS event_root_code,
                quad_class, goldstein AS goldstein_scale,
                1 + (h3 // 7) % 20 AS num_mentions, 1 + (h3 // 7) % 12 AS num_articles, 1 + (h3 // 7) % 8 AS num_sources,
                ((h1 // 13) % 2000) / 100.0 - 12 AS avg_tone,
                4 AS action_geo_type, c1 || ' city' AS action_geo_fullname, c1 AS action_geo_country_iso3,
                -60 + (h3 // 11) % 120 AS action_geo_lat, -180 + (h3 // 17) % 360 AS action_geo_long,
                strftime(day, '%Y%m%d')::BIGINT * 1000000 AS date_added,
                'https://example.org/synthetic/' || i AS source_url,
                'geoevents' AS source, 'synthetic' AS coder_version
            FROM picked
        """)
        con.execute("CHECKPOINT")
    return time.perf_counter() - started


def timed(con, query: str, parameters: list | None = None, repeat: int = 3) -> tuple[float, int]:
    """Best of `repeat` runs (seconds) and the number of rows the query returns."""
    best, rows = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        rows = len(con.execute(query, parameters or []).fetchall())
        best = min(best, time.perf_counter() - started)
    return best, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "geoevents-bench")
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    database = args.folder / f"synthetic-{args.events}-{args.years}y.duckdb"
    if not database.exists():
        seconds = build(database, args.events, args.years)
        print(f"built {database} ({args.events:,} events over {args.years} years) in {seconds:.1f} s")
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, warehouse {database.stat().st_size / 2**30:.2f} GiB")
    rows = []
    with warehouse.connect(database, read_only=True) as con:
        total = con.execute("SELECT count(*) FROM events").fetchone()[0]
        queries = [
            ("dyad_day_events, one dyad, one year",
             "SELECT * FROM dyad_day_events WHERE source = ? AND target = ? AND event_date BETWEEN ? AND ?",
             ["CHN", "RUS", "2023-01-01", "2023-12-31"]),
            ("dyad_day_goldstein, one dyad, one year",
             "SELECT * FROM dyad_day_goldstein WHERE source = ? AND target = ? AND event_date BETWEEN ? AND ?",
             ["USA", "IRN", "2023-01-01", "2023-12-31"]),
            ("country_month_quad_shares, all", "SELECT * FROM country_month_quad_shares", []),
            ("dyad_week_cooperation_index, all", "SELECT * FROM dyad_week_cooperation_index", []),
            ("dyad_goldstein_rolling_7d, one dyad", "SELECT * FROM dyad_goldstein_rolling_7d WHERE source = ? AND target = ?",
             ["THA", "KHM"]),
            ("actor_top_root_codes, all", "SELECT * FROM actor_top_root_codes", []),
            ("actor_activity, all", "SELECT * FROM actor_activity", []),
        ]
        for name, query, parameters in queries:
            seconds, count = timed(con, query, parameters)
            rows.append((name, count, seconds))
    exports = args.folder / "exports"
    started = time.perf_counter()
    publish_snapshot(database, exports)
    snapshot_seconds = time.perf_counter() - started
    started = time.perf_counter()
    publish_parquet(database, exports)
    parquet_seconds = time.perf_counter() - started
    print(f"\n{'query':<42} {'rows':>10} {'seconds':>9}   (warehouse of {total:,} events)")
    for name, count, seconds in rows:
        print(f"{name:<42} {count:>10,} {seconds:>9.3f}")
    print(f"{'publish DuckDB snapshot':<42} {'':>10} {snapshot_seconds:>9.1f}")
    print(f"{'publish Parquet (tables and marts)':<42} {'':>10} {parquet_seconds:>9.1f}")
    print(f"{'publish, both':<42} {'':>10} {snapshot_seconds + parquet_seconds:>9.1f}")


if __name__ == "__main__":
    main()
