"""End to end: the installed `livetui`, spoken by default, on a machine without PortAudio (tmux)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.terminal import Terminal, livetui_command

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (CI installs it)"),
]

TABLE = "| tool | use |\n|---|---|\n| tmux | terminals |\n| sox | sound |\n"
"""A Markdown table reply."""


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    """livetui with default (spoken) settings, where importing sounddevice fails as without PortAudio."""
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sounddevice.py").write_text('raise OSError("PortAudio library not found")\n', encoding="utf-8")
    script = tmp_path / "script.json"
    script.write_text(json.dumps({"rules": [{"match": "table", "reply": TABLE}]}), encoding="utf-8")
    term = Terminal("nosound", tmp_path)
    env = {
        "LIVETUI_CONFIG": str(tmp_path / "none.toml"),
        "LIVETUI_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": str(shim),
    }
    term.start([livetui_command(), "--brain", "scripted", "--script", str(script)], env)
    try:
        yield term
    finally:
        term.close()


def test_without_a_sound_card_the_reply_is_written_and_a_table_is_a_table(terminal: Terminal) -> None:
    terminal.wait_for("● live")
    screen = terminal.wait_for("replies come as text")
    assert "the PortAudio library is not installed" in screen
    terminal.type_line("a table please")
    screen = terminal.wait_for("terminals")
    assert "| tmux |" not in screen and "|---|" not in screen, "rendered as a table, not raw pipes"
    assert "spoken" not in screen and "Traceback" not in screen
    terminal.keys("C-q")
    assert terminal.exit_status() == 0
