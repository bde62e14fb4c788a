from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def geoevents_command() -> list[str]:
    """The installed console script, run as users run it."""
    script = Path(sys.executable).parent / "geoevents"
    return [str(script)] if script.exists() else [sys.executable, "-m", "etl.cli"]


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["GEOEVENTS_WAREHOUSE_DIR"] = str(tmp_path / "warehouse")
    for variable in ("GEOEVENTS_DATABASE", "GEOEVENTS_LANDING_DIR", "GEOEVENTS_QUARANTINE_DIR", "GEOEVENTS_STAGING_DIR"):
        env.pop(variable, None)
    # Runs are recorded in a throwaway Dagster instance, not the project's .dagster folder.
    env["DAGSTER_HOME"] = str(tmp_path / "dagster_home")
    (tmp_path / "dagster_home").mkdir()
    return env
