"""Fixtures for the app's tests: isolated settings, and no cursor blink."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from livetui.config import LocalSettings, Settings
from tests.conftest import Dialect


@pytest.fixture(autouse=True)
def isolated_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep the developer's config file, key and data directory out of the tests."""
    monkeypatch.setenv("LIVETUI_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("LIVETUI_DATA_DIR", str(tmp_path / "data"))
    for name in (
        "GEMINI_API_KEY",
        "GOOGLE_API_KEY",
        "OPENAI_API_KEY",
        "LIVETUI_API_KEY",
        "LIVETUI_PROVIDER",
        "LIVETUI_MODEL",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor makes snapshots nondeterministic (it is drawn or not by timing): keep it still."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda _self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda _self: None)


@pytest.fixture
def settings(dialect: Dialect) -> Settings:
    """Default settings with text replies (the tests read the reply's text, not its transcript), speaking
    `dialect` to the local server."""
    return Settings(text_only=True, local=LocalSettings(dialect=dialect))
