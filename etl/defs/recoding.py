"""Re-coding stored articles by publication day: backfills, and catching up when the coder changes.

Articles are partitioned by publication day. Materialising a range of `warehouse/coded_days` partitions
codes the stored articles of those days again (nothing is fetched) and rewrites only the days whose events
change. The asset's code version is the coder's version (code + dictionaries), so after a dictionary edit
Dagster shows the materialised days as out of date; the check below counts them and the sensor (off by
default) re-codes them.
"""

import datetime as dt
import os
import warnings
from pathlib import Path

import dagster as dg

from etl import pipeline
from etl.coder import CODER_VERSION
from etl.defs.pipeline_assets import WAREHOUSE_POOL
from etl.defs.resources import PipelineStorage

#: First publication day Dagster offers as a partition (GDELT 2.0 starts in February 2015).
FIRST_DAY = os.environ.get("GEOEVENTS_FIRST_DAY", "2015-01-01")
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"

# A single-run backfill policy is what makes a backfill of many days one run; Dagster still calls it beta.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)

publication_days = dg.DailyPartitionsDefinition(start_date=FIRST_DAY, end_offset=1)


@dg.asset(
    key=["warehouse", "coded_days"],
    partitions_def=publication_days,
    backfill_policy=dg.BackfillPolicy.single_run(),
    code_version=CODER_VERSION,
    group_name="recoding",
    kinds={"duckdb", "python"},
    pool=WAREHOUSE_POOL,
)
def coded_days(context: dg.AssetExecutionContext, storage: PipelineStorage) -> dg.MaterializeResult:
    """The events of the articles published on these days, coded again from the stored articles.

    Each day is one transaction: if the coder now finds something else, the day's mentions are replaced and
    the events they touch rebuilt; if not, only the day's coder version is recorded. Other days are left
    alone. A backfill over many days runs as one run.
    """
    window = context.partition_time_window
    first, last = window.start.date(), window.end.date() - dt.timedelta(days=1)
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    report = pipeline.recode_days(days, Path(storage.database), storage.progress(context))
    return dg.MaterializeResult(metadata={
        "days": report.days,
        "days_rewritten": len(report.changed_days),
        "rewritten": ", ".join(day.isoformat() for day in report.changed_days[:50]) or "none",
        "articles": report.articles,
        "mentions_before": report.mentions_before,
        "mentions_after": report.mentions_after,
        "coder_version": CODER_VERSION,
    })


@dg.asset_check(asset=coded_days, description="Every publication day was coded by the current coder version.")
def days_coded_by_the_current_coder(context: dg.AssetCheckExecutionContext,
                                    storage: PipelineStorage) -> dg.AssetCheckResult:
    stale = pipeline.stale_days(Path(storage.database))
    return dg.AssetCheckResult(
        passed=not stale,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"days_out_of_date": len(stale),
                  "first_days": ", ".join(day.isoformat() for day in stale[:20]) or "none",
                  "coder_version": CODER_VERSION},
    )


recode_job = dg.define_asset_job(
    name="recode_days",
    description="Re-code stored articles of a range of publication days (what `geoevents backfill` runs).",
    selection=dg.AssetSelection.assets(coded_days) | dg.AssetSelection.groups("publish"),
    partitions_def=publication_days,
    executor_def=dg.in_process_executor,
)


def range_tags(first: dt.date, last: dt.date) -> dict[str, str]:
    """Run tags that make one run cover a range of daily partitions."""
    return {RANGE_START_TAG: first.isoformat(), RANGE_END_TAG: last.isoformat()}


@dg.sensor(job=recode_job, minimum_interval_seconds=3600, default_status=dg.DefaultSensorStatus.STOPPED)
def stale_days_sensor(context: dg.SensorEvaluationContext, storage: PipelineStorage) -> dg.SensorResult:
    """Re-code the days coded by an older coder (after a dictionary or code change): one run over the range
    from the first to the last such day; days whose events do not change are only stamped."""
    stale = pipeline.stale_days(Path(storage.database))
    if not stale:
        return dg.SensorResult(skip_reason="every day is coded by the current coder")
    return dg.SensorResult(run_requests=[dg.RunRequest(
        run_key=f"recode-{CODER_VERSION}-{stale[0]}-{stale[-1]}-{len(stale)}",
        tags=range_tags(stale[0], stale[-1]),
    )])
