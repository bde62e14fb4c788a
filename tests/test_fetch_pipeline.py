"""Scheduled operation end to end: a local news feed, the Dagster fetch job, and events in the warehouse."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dagster as dg
import duckdb
from http_fixtures import LocalServer, Reply, closed_port
from test_sources import article_html, rss2

from etl.defs.resources import PipelineStorage
from etl.defs.sources_assets import fetch_schedule
from etl.runner import run_fetch_job

PARAGRAPHS = {
    "/news/arrest": ["Indonesian police arrested two Malaysian nationals in Batam on Tuesday, a police spokesman "
                     "said, after a raid on a warehouse near the port.",
                     "The two men were taken to the Riau Islands police headquarters for questioning."],
    "/news/talks": ["Indonesian Foreign Minister Sugiono met his Japanese counterpart in Tokyo on Wednesday to "
                    "discuss maritime security and trade.",
                    "The two ministers agreed to meet again before the end of the year."],
}


def write_sources(path: Path, feed_url: str, dead_url: str) -> None:
    path.write_text(f"""
sources:
  - name: local-wire
    kind: feed
    url: {feed_url}
    lang: en
  - name: dead-wire
    kind: feed
    url: {dead_url}
fetch:
  allow_hosts: [127.0.0.1]
  per_host_interval_s: 0
  retries: 0
  timeout_s: 5
""", encoding="utf-8")


def test_a_schedule_tick_fetches_a_local_feed_and_events_appear(tmp_path: Path, monkeypatch) -> None:
    with LocalServer() as server:
        base = server.url("").rstrip("/")
        server.route("/feed.xml", Reply(body=rss2(base, [("a-1", "/news/arrest", "Police arrest two"),
                                                         ("a-2", "/news/talks", "Ministers meet")]),
                                       headers={"Content-Type": "application/rss+xml", "ETag": '"v1"'}))
        for path, paragraphs in PARAGRAPHS.items():
            server.route(path, Reply(body=article_html(paragraphs[0][:40], paragraphs, date="2026-01-08"),
                                     headers={"Content-Type": "text/html"}))
        server.route("/robots.txt", Reply(status=404))
        sources = tmp_path / "sources.yaml"
        write_sources(sources, server.url("/feed.xml"), f"http://127.0.0.1:{closed_port()}/feed.xml")
        monkeypatch.setenv("GEOEVENTS_SOURCES", str(sources))
        storage = PipelineStorage(landing_dir=str(tmp_path / "landing"), quarantine_dir=str(tmp_path / "q"),
                                  staging_dir=str(tmp_path / "staging"), database=str(tmp_path / "events.duckdb"),
                                  exports_dir=str(tmp_path / "exports"))
        with dg.instance_for_test() as instance:
            # The schedule's tick asks for the fetch job; the run is what the daemon would launch.
            with dg.build_schedule_context(instance=instance,
                                           scheduled_execution_time=dt.datetime(2026, 1, 9, 10, 15)) as context:
                request = fetch_schedule.evaluate_tick(context).run_requests[0]
            assert request is not None
            outcome = run_fetch_job(storage, instance=instance)
            assert outcome.success, outcome.failed_checks
            assert outcome.value("sources/fetched", "sources_failed") == 1
            second = run_fetch_job(storage, instance=instance)
        page_hits = sum(len(server.hits_for(path)) for path in PARAGRAPHS)
        feed_requests = server.hits_for("/feed.xml")
    with duckdb.connect(str(tmp_path / "events.duckdb"), read_only=True) as con:
        urls = {row[0] for row in con.execute("SELECT url FROM articles").fetchall()}
        events = con.execute("SELECT actor1_code, event_code, actor2_code FROM events").fetchall()
        health = con.execute("SELECT source, ok, reason FROM source_health ORDER BY checked_at, source").fetchall()
    assert urls == {server.url(path) for path in PARAGRAPHS}
    assert ("IDNCOP", "173", "MYSCVL") in events
    assert any(row[0] == "dead-wire" and row[1] is False and "connect" in row[2] for row in health), health
    assert any(row[0] == "local-wire" and row[1] for row in health)
    # The second tick: nothing was due yet for the working feed, the dead one is retried; no page twice.
    assert page_hits == len(PARAGRAPHS)
    assert second.value("sources/fetched", "sources_polled") == 1  # the dead one, retried at once
    assert second.value("sources/fetched", "sources_not_due") == 1
    assert sum(1 for row in health if row[0] == "dead-wire") == 2
    assert len(feed_requests) == 1


def test_sources_check_explains_a_broken_sources_file(tmp_path: Path, geoevents_command: list[str]) -> None:
    import subprocess

    broken = tmp_path / "sources.yaml"
    broken.write_text("sources:\n  - name: wire\n    kind: feed\n    url: https://example.org/feed.xml\n"
                      "    evry: 15m\n", encoding="utf-8")
    result = subprocess.run(geoevents_command + ["sources", "check", "--sources", str(broken)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "unknown key 'evry'" in result.stderr and "did you mean 'every'" in result.stderr
