"""End to end: the installed `livetui` command in a real terminal (tmux), against its embedded server."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Dialect, both_dialects
from tests.terminal import Terminal, livetui_command, local_flags

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (CI installs it)"),
]

STORY = {
    "match": "story",
    "reply": "Once upon a time " + "the story went on and on. " * 80,
    "chunk_chars": 10,
    "interval_ms": 30,
}
"""A reply long and slow enough to interrupt."""


@pytest.fixture
def script(tmp_path: Path) -> Path:
    """A script with the story rule; its path also names this test's server process."""
    path = tmp_path / "script.json"
    path.write_text(json.dumps({"rules": [STORY]}), encoding="utf-8")
    return path


@pytest.fixture
def terminal(tmp_path: Path, script: Path, dialect: Dialect) -> Iterator[Terminal]:
    """livetui on its local server in `dialect`, scripted brain, text only."""
    term = Terminal("e2e", tmp_path)
    env = {"LIVETUI_CONFIG": str(tmp_path / "none.toml"), "LIVETUI_DATA_DIR": str(tmp_path / "data")}
    args = [*local_flags(dialect), "--brain", "scripted", "--text-only", "--script", str(script)]
    term.start([livetui_command(), *args], env)
    try:
        yield term
    finally:
        term.close()


@both_dialects
def test_a_typed_message_is_answered_interrupted_and_the_app_quits_cleanly(
    terminal: Terminal, script: Path
) -> None:
    terminal.wait_for("● live")
    terminal.type_line("hello from tmux")
    terminal.wait_for("You said: hello from tmux")

    terminal.type_line("tell me a story")
    terminal.wait_for("Once upon a time")
    terminal.keys("Escape")
    screen = terminal.wait_for("interrupted")
    assert "Traceback" not in screen

    servers = subprocess.run(["pgrep", "-f", f"livetui serve .*{script}"], capture_output=True, text=True)
    [server] = servers.stdout.split()  # the app runs its local server as one child process
    terminal.keys("C-q")
    assert terminal.exit_status() == 0
    assert not Path(f"/proc/{server}").exists() or _is_zombie(server), "the local server outlived the app"


def _is_zombie(pid: str) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except OSError:
        return True
