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
    return env
