"""Running the Dagster ingest job from the command line, and summarising the warehouse afterwards.

`geoevents run` executes the same job the sensor and the schedule start, in this process, recording the run
in the project's Dagster instance (so it shows in the UI's run history) when dagster.yaml is present.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from etl import warehouse
from etl.settings import PROJECT_DIR, SQL_DIR

JOB_NAME = "ingest_landing"
#: Dagster's own log lines at or above this level reach the terminal during `geoevents run`.
QUIET_RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


@contextmanager
def project_instance() -> Iterator[dg.DagsterInstance]:
    """The project's Dagster instance (dagster.yaml at the project root), or a throwaway one without it.

    dagster.yaml's storage paths are relative to the project root, so the instance is opened from there.
    """
    if os.environ.get("DAGSTER_HOME") or (PROJECT_DIR / "dagster.yaml").exists():
        os.environ.setdefault("DAGSTER_HOME", str(PROJECT_DIR))
        previous = Path.cwd()
        os.chdir(os.environ["DAGSTER_HOME"])
        try:
            with dg.DagsterInstance.get() as instance:
                yield instance
        finally:
            os.chdir(previous)
    else:
        with dg.DagsterInstance.ephemeral() as instance:
            yield instance


@dataclass
class RunOutcome:
    success: bool
    run_id: str
    metadata: dict[str, dict[str, object]] = field(default_factory=dict)  # asset -> its materialization metadata
    failed_checks: list[str] = field(default_factory=list)

    def value(self, asset: str, key: str, default: object = 0) -> object:
        return self.metadata.get(asset, {}).get(key, default)


def run_recode_job(storage: object, first: dt.date, last: dt.date, *, instance: dg.DagsterInstance | None = None,
                   quiet: bool = True) -> RunOutcome:
    """Re-code the stored articles published from `first` to `last` as one Dagster run (a backfill)."""
    from etl.defs.recoding import range_tags

    return _execute("recode_days", storage, instance=instance, quiet=quiet, tags=range_tags(first, last))


def run_fetch_job(storage: object, *, instance: dg.DagsterInstance | None = None, quiet: bool = True) -> RunOutcome:
    """Poll the due sources and ingest what arrived, as the 15-minute schedule does."""
    return _execute("fetch_sources", storage, instance=instance, quiet=quiet)


def run_ingest_job(
    storage: object, *, instance: dg.DagsterInstance | None = None, quiet: bool = True
) -> RunOutcome:
    """Execute the ingest job in this process with the given PipelineStorage resource."""
    return _execute(JOB_NAME, storage, instance=instance, quiet=quiet)


def _execute(job_name: str, storage: object, *, instance: dg.DagsterInstance | None, quiet: bool,
             tags: dict[str, str] | None = None) -> RunOutcome:
    from etl.definitions import defs

    job = defs().resolve_job_def(job_name)

    def execute(active: dg.DagsterInstance) -> RunOutcome:
        result = job.execute_in_process(
            instance=active,
            resources={"storage": storage},
            run_config=QUIET_RUN_CONFIG if quiet else None,
            raise_on_error=False,
            tags=tags,
        )
        metadata: dict[str, dict[str, object]] = {}
        for event in result.get_asset_materialization_events():
            materialization = event.event_specific_data.materialization
            metadata[materialization.asset_key.to_user_string()] = {
                key: getattr(value, "value", value) for key, value in materialization.metadata.items()
            }
        failed = [
            f"{evaluation.asset_check_key.name}: {dict(evaluation.metadata)}"
            for evaluation in (event.event_specific_data for event in result.all_events
                               if event.event_type_value == "ASSET_CHECK_EVALUATION")
            if not evaluation.passed
        ]
        return RunOutcome(success=result.success, run_id=result.run_id, metadata=metadata, failed_checks=failed)

    if instance is not None:
        return execute(instance)
    with project_instance() as active:
        return execute(active)


def report_query(name: str) -> str:
    return (SQL_DIR / "reports" / f"{name}.sql").read_text(encoding="utf-8")


def warehouse_summary(database: Path, outcome: RunOutcome | None = None) -> str:
    """What the warehouse holds: totals, events by root code, the top dyads, and how to query it."""
    lines: list[str] = []
    if outcome is not None:
        lines.append(
            f"this run: {outcome.value('articles', 'new_files')} new landing files, "
            f"{outcome.value('warehouse/articles', 'new_rows')} new articles "
            f"({outcome.value('articles', 'already_in_warehouse')} already stored), "
            f"{outcome.value('articles', 'quarantined')} quarantined, "
            f"{outcome.value('warehouse/mentions', 'new_rows')} event mentions, "
            f"{outcome.value('warehouse/events', 'events_added_or_updated')} events added or updated"
        )
    with warehouse.connect(database, read_only=True) as con:
        totals = dict(zip(
            ("articles", "mentions", "events", "quarantined", "landing_files", "first", "last"),
            con.execute(report_query("warehouse_totals")).fetchone(),
        ))
        roots = con.execute(report_query("events_by_root_code")).fetchall()
        dyads = con.execute(report_query("top_dyads")).fetchall()
    lines.append(
        f"warehouse {database}: {totals['articles']} articles, {totals['mentions']} mentions, "
        f"{totals['events']} events ({totals['first']} .. {totals['last']}), {totals['quarantined']} quarantined"
    )
    if roots:
        lines.append("events by CAMEO root code:")
        lines += [f"  {root}  {(name or '').lower():<42} {events:>6} events {mentions:>6} mentions"
                  for root, name, events, mentions in roots]
    if dyads:
        lines.append("top dyads (source -> target):")
        lines += [f"  {source:>10} -> {target:<10} {events:>4} events {mentions:>4} mentions  Goldstein {mean:+.1f}"
                  for source, target, events, mentions, mean in dyads]
    if totals["quarantined"]:
        lines.append("quarantined files: geoevents sql \"SELECT file, file_line, reason FROM quarantine\"")
    lines.append(
        'query it: ./run sql "SELECT event_date, actor1_name, event_code, actor2_name, num_articles '
        'FROM events ORDER BY num_mentions DESC LIMIT 10"'
    )
    lines.append(f"    or in Python: duckdb.connect('{database}', read_only=True)")
    return "\n".join(lines)
