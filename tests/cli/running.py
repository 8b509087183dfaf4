"""Running `livetui` (in process or as a command) with settings from the test alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

KEY_NAMES = ("GEMINI_API_KEY", "GOOGLE_API_KEY", "OPENAI_API_KEY", "LIVETUI_API_KEY")
"""The variables outside the settings' own names that keys are read from."""


def isolate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Keep the developer's keys, settings and files out: returns the test's own (empty) config file."""
    for name in list(os.environ):
        if name.startswith("LIVETUI_") or name in KEY_NAMES:
            monkeypatch.delenv(name)
    config = tmp_path / "config.toml"
    monkeypatch.setenv("LIVETUI_CONFIG", str(config))
    monkeypatch.setenv("LIVETUI_DATA_DIR", str(tmp_path / "data"))
    return config


def run(
    tmp_path: Path, *args: str, config: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run `python -m livetui ARGS` with no key, an isolated config (written from `config`) and `env`."""
    path = tmp_path / "config.toml"
    if config is not None:
        path.write_text(config, encoding="utf-8")
    clean = {k: v for k, v in os.environ.items() if k not in KEY_NAMES and not k.startswith("LIVETUI_")}
    return subprocess.run(
        [sys.executable, "-m", "livetui", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**clean, "LIVETUI_CONFIG": str(path), "LIVETUI_DATA_DIR": str(tmp_path / "data"), **env},
        check=False,
    )
