"""Named points in a run where a test can stop the process, to prove that a killed run loses nothing.

When GEOEVENTS_PAUSE_AT names a point, the process writes the file GEOEVENTS_PAUSE_MARKER when it reaches
it and then waits to be killed (SIGKILL). Without the variable, `checkpoint` costs one dictionary look-up.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

#: The points, in run order: landing files read, a chunk of articles coded, the load transaction written
#: but not committed, the snapshot published but not the Parquet files.
POINTS = ("ingest", "coding", "load", "publish")


def checkpoint(name: str) -> None:
    """Pause here for good when GEOEVENTS_PAUSE_AT == name (see the module docstring)."""
    if os.environ.get("GEOEVENTS_PAUSE_AT") != name:
        return
    marker = os.environ.get("GEOEVENTS_PAUSE_MARKER")
    if marker:
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
    while True:
        time.sleep(1)
