"""Benchmarks run with a configuration and data folder of their own, never the user's."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def isolated() -> Iterator[Path]:
    """A temporary folder; `LIVETUI_CONFIG` names a file in it that does not exist, `LIVETUI_DATA_DIR` a
    folder in it."""
    with tempfile.TemporaryDirectory() as folder:
        os.environ["LIVETUI_CONFIG"] = str(Path(folder) / "none.toml")
        os.environ["LIVETUI_DATA_DIR"] = str(Path(folder) / "data")
        yield Path(folder)
