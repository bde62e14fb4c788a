"""What readers use instead of the live warehouse: a DuckDB snapshot, Parquet files and PostgreSQL tables."""

from pathlib import Path

import dagster as dg

from etl import publish
from etl.defs.pipeline_assets import WAREHOUSE_POOL
from etl.defs.resources import PipelineStorage

#: Tables published to PostgreSQL besides the marts: the events and the codebook to join names from.
POSTGRES_TABLES = ("events", "cameo_event_codes", "cameo_actor_types", "countries")
WAREHOUSE_TABLES = [dg.AssetKey(["warehouse", table]) for table in ("events", "mentions", "articles")]


@dg.asset(
    key=["exports", "bi"],
    group_name="publish",
    kinds={"duckdb", "parquet", "postgres"},
    deps=WAREHOUSE_TABLES,
    pool=WAREHOUSE_POOL,
)
def bi_exports(context: dg.AssetExecutionContext, storage: PipelineStorage) -> dg.MaterializeResult:
    """Publish the warehouse for BI tools and notebooks, which must never hold the live DuckDB file.

    A read-only DuckDB snapshot (exports/geoevents.duckdb, swapped in atomically), Parquet files of events,
    mentions, articles and every mart partitioned by year and month (exports/parquet/current), and, when
    GEOEVENTS_POSTGRES_URL is set, the events and marts in PostgreSQL (schema geoevents).
    """
    report = publish.publish(Path(storage.database), Path(storage.exports_dir))
    metadata: dict[str, object] = {
        "snapshot": dg.MetadataValue.path(str(report.snapshot)),
        "parquet": dg.MetadataValue.path(str(report.parquet)),
        "seconds": round(report.seconds, 2),
        **{f"rows_{name}": count for name, count in report.rows.items()},
    }
    from etl.publish_postgres import postgres_url, publish_to_postgres, redact_url

    url = postgres_url()
    if url:
        published = publish_to_postgres(Path(storage.database), url, tables=POSTGRES_TABLES)
        metadata["postgres"] = redact_url(url)
        metadata["postgres_seconds"] = round(published.seconds, 2)
        metadata["postgres_tables"] = ", ".join(f"{name} ({rows:,})" for name, rows in published.tables.items())
    else:
        metadata["postgres"] = "not configured (set GEOEVENTS_POSTGRES_URL)"
    return dg.MaterializeResult(metadata=metadata)
