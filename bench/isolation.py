"""Benchmarks run with a configuration and data folder of their own, never the user's."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def isolated() -> Iterator[Path]:
    """A temporary folder; `LIVETUI_CONFIG` names a file in it that does not exist, `LIVETUI_DATA_DIR` and
    `LIVETUI_STATE_DIR` folders in it (so no remembered theme of the user's applies)."""
    with tempfile.TemporaryDirectory() as folder:
        os.environ["LIVETUI_CONFIG"] = str(Path(folder) / "none.toml")
        os.environ["LIVETUI_DATA_DIR"] = str(Path(folder) / "data")
        os.environ["LIVETUI_STATE_DIR"] = str(Path(folder) / "state")
        yield Path(folder)


def rss_mb() -> float:
    """This process's resident memory (VmRSS), in MB of 2**20 bytes (0 where /proc is not there)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0
