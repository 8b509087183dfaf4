"""End to end: a fresh start with no key, in a real terminal, says what it talks to."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.terminal import Terminal, livetui_command

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (CI installs it)"),
]

KEY_NAMES = ("GEMINI_API_KEY", "GOOGLE_API_KEY", "OPENAI_API_KEY", "LIVETUI_API_KEY")
"""The variables the key is read from: none is set for these runs."""


UNSET = tuple(f"--unset={name}" for name in KEY_NAMES)
"""`env` options that keep a key the test runner may have out of the app's environment."""


def chat_column(screen: str) -> str:
    """The chat column's text (left of the side panes), its wrapped lines joined by single spaces."""
    return " ".join(" ".join(line.split("│")[0].split()) for line in screen.splitlines()).strip()


def test_a_fresh_start_without_a_key_shows_the_notice_and_the_local_brain(tmp_path: Path) -> None:
    terminal = Terminal("startup", tmp_path)
    env = {
        "LIVETUI_CONFIG": str(tmp_path / "none.toml"),
        "LIVETUI_DATA_DIR": str(tmp_path / "data"),
        "LIVETUI_STATE_DIR": str(tmp_path / "state"),
    }
    terminal.start(["env", *UNSET, livetui_command(), "--text-only"], env)
    try:
        screen = terminal.wait_for("● live", timeout=60)
        brain = re.search(r"local · (smollm2|scripted)", screen)
        assert brain is not None, screen
        notice = chat_column(screen)
        assert f"No API key: you are talking to the local server's {brain.group(1)} brain" in notice
        assert "set GEMINI_API_KEY" in notice
        assert "gemini-live" not in screen, "a local session never shows a Gemini model"
        terminal.keys("C-q")
        assert terminal.exit_status() == 0
    finally:
        terminal.close()
