"""Fetching news from the sources declared in sources.yaml, on a schedule, before the ingest steps."""

from pathlib import Path

import dagster as dg

from etl.defs.resources import PipelineStorage
from etl.fetch_sources import fetch_due_sources, load_sources, sources_path

FETCHED = dg.AssetKey(["sources", "fetched"])


@dg.asset(key=FETCHED, group_name="sources", kinds={"python"})
def fetched_articles(context: dg.AssetExecutionContext, storage: PipelineStorage) -> dg.MaterializeResult:
    """New articles from the due sources of sources.yaml (GEOEVENTS_SOURCES), written to the landing folder.

    Feeds are fetched politely (robots.txt, per-host rate limits, conditional requests, size limits,
    retries); items already seen are not fetched again. A failing source is recorded in source_health with
    the reason and shown here; the others still run, and it is retried on its next tick.
    """
    path = sources_path()
    if not path.exists():
        return dg.MaterializeResult(metadata={"sources_file": f"none at {path} (copy sources.example.yaml)"})
    report = fetch_due_sources(load_sources(path), landing=Path(storage.landing_dir), database=Path(storage.database))
    rows = ["| source | ok | articles | new items | reason |", "|---|---|---|---|---|"]
    rows += [f"| {r.source} | {'yes' if r.health.ok else 'NO'} | {r.health.articles} | {r.health.items_new} | "
             f"{(r.health.reason or '').replace('|', '/')} |" for r in report.polled]
    for failed in report.failed:
        context.log.warning(f"source {failed.source} failed: {failed.health.reason}")
    return dg.MaterializeResult(metadata={
        "sources_file": dg.MetadataValue.path(str(path)),
        "sources_polled": len(report.polled),
        "sources_not_due": len(report.skipped_not_due),
        "sources_failed": len(report.failed),
        "articles": report.articles,
        "health": dg.MetadataValue.md("\n".join(rows)),
    })


fetch_job = dg.define_asset_job(
    name="fetch_sources",
    description="Poll the due sources, then read, code and load what arrived (what `geoevents fetch` runs).",
    selection=dg.AssetSelection.groups("sources", "coding", "warehouse", "publish"),
    executor_def=dg.in_process_executor,
)

fetch_schedule = dg.ScheduleDefinition(
    name="fetch_sources_every_15_minutes",
    description="Every 15 minutes, poll the sources that are due (each has its own `every`, 15m by default). "
    "Does nothing until a sources.yaml exists.",
    job=fetch_job,
    cron_schedule="*/15 * * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
