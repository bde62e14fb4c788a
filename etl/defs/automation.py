"""When the pipeline runs: a sensor on the landing folder, a nightly sweep, and the job both start."""

import json
import time
from pathlib import Path

import dagster as dg

from etl.defs.resources import PipelineStorage
from etl.ingest import list_landing_files

#: A file changed less than this long ago may still be being written; the next tick takes it.
SETTLE_SECONDS = 2.0

ingest_job = dg.define_asset_job(
    name="ingest_landing",
    description="Read new landing files, code them, and load the warehouse (what `geoevents run` does).",
    selection=dg.AssetSelection.groups("coding", "warehouse", "publish"),
    # One process: the steps share DuckDB and the coder's dictionaries, and a 2-core machine gains nothing
    # from a process per step.
    executor_def=dg.in_process_executor,
)


@dg.sensor(job=ingest_job, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING)
def landing_folder_sensor(context: dg.SensorEvaluationContext, storage: PipelineStorage) -> dg.SensorResult:
    """Start a run when files arrive in (or are moved into) the landing folder.

    The cursor is the newest change time seen; files moved in keep their old modification time but get a
    new change time, so both are looked at.
    """
    cursor = json.loads(context.cursor) if context.cursor else {"newest_ns": 0}
    settled_before = time.time_ns() - int(SETTLE_SECONDS * 1e9)
    arrived, unsettled = [], []
    for landing_file in list_landing_files(Path(storage.landing_dir)):
        try:
            changed = max(landing_file.mtime_ns, landing_file.path.stat().st_ctime_ns)
        except OSError:
            continue
        if changed <= cursor["newest_ns"]:
            continue
        # A file still being written has a fresh modification time; one moved in whole keeps its old one.
        if landing_file.mtime_ns <= settled_before:
            arrived.append((changed, landing_file.name))
        else:
            unsettled.append(changed)
    if not arrived:
        return dg.SensorResult(skip_reason="no new files in the landing folder")
    newest = max(changed for changed, _ in arrived)
    if unsettled:
        # Keep the cursor below files still being written, so a later tick sees them.
        newest = min(newest, min(unsettled) - 1)
    names = sorted(name for _, name in arrived)
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=f"landing-{newest}",
                tags={"geoevents/new_files": str(len(names))},
            )
        ],
        cursor=json.dumps({"newest_ns": newest}),
    )


nightly_sweep = dg.ScheduleDefinition(
    name="nightly_landing_sweep",
    description="Runs the ingest job every night, so files the sensor could not see (copied with old "
    "timestamps while it was stopped) are read too. Runs with nothing new finish in seconds.",
    job=ingest_job,
    cron_schedule="0 2 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
