"""Where the pipeline reads and writes, as a Dagster resource (defaults from etl.settings)."""

import sys
import time
from pathlib import Path

import dagster as dg

from etl.pipeline import Progress, RunPaths
from etl.settings import DATABASE_PATH, EXPORTS_DIR, LANDING_DIR, QUARANTINE_DIR, STAGING_DIR


class PipelineStorage(dg.ConfigurableResource):
    """The landing folder, quarantine, staging area and warehouse file of the pipeline.

    Defaults come from the GEOEVENTS_* environment variables (see etl/settings.py and the README).
    """

    landing_dir: str = str(LANDING_DIR)
    quarantine_dir: str = str(QUARANTINE_DIR)
    staging_dir: str = str(STAGING_DIR)
    database: str = str(DATABASE_PATH)
    exports_dir: str = str(EXPORTS_DIR)
    #: Draw a progress line on the terminal (`geoevents run`) instead of logging milestones.
    terminal_progress: bool = False

    def run_paths(self, context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext) -> RunPaths:
        """This run's paths; a retry or re-execution of a run shares the staging folder of its first run."""
        run = context.run
        return RunPaths(
            landing=Path(self.landing_dir),
            quarantine=Path(self.quarantine_dir),
            staging=Path(self.staging_dir) / (run.root_run_id or run.run_id),
            database=Path(self.database),
        )

    def progress(self, context: dg.AssetExecutionContext) -> Progress:
        return _terminal_progress() if self.terminal_progress else _logged_progress(context)


def _terminal_progress() -> Progress:
    started = time.perf_counter()

    def report(step: str, done: int, total: int) -> None:
        elapsed = time.perf_counter() - started
        width = 30
        filled = width * done // total if total else width
        rate = f"{done / elapsed:,.0f}/s" if elapsed > 0 and done else ""
        line = f"\r  {step:<20} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} {rate:>10}"
        sys.stderr.write(line + ("\n" if done >= total else ""))
        sys.stderr.flush()

    return report


def _logged_progress(context: dg.AssetExecutionContext) -> Progress:
    last_decile: dict[str, int] = {}

    def report(step: str, done: int, total: int) -> None:
        decile = 10 * done // total if total else 10
        if last_decile.get(step) != decile:
            last_decile[step] = decile
            context.log.info(f"{step}: {done:,} of {total:,}")

    return report


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={"storage": PipelineStorage()})
