"""End to end: the installed `livetui` command in a real terminal (tmux), against its embedded server.

The screen of another process cannot be awaited, so each step polls `capture-pane` until the expected text
appears, with a deadline; nothing sleeps for a guessed time.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (CI installs it)"),
]


def livetui_command() -> str:
    """The installed console script (beside this Python in a virtual environment, or on PATH)."""
    beside = Path(sys.executable).parent / "livetui"
    found = str(beside) if beside.exists() else shutil.which("livetui")
    assert found, "the livetui command is not installed"
    return found


class Terminal:
    """A tmux session on a private server socket."""

    def __init__(self, socket: str, script: Path) -> None:
        self.socket = socket
        """The private tmux server's socket name."""
        self.script = script
        """The script file the app was started with: it names this test's server process."""

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return result.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "e2e")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "e2e", *keys)

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} did not appear on screen:\n{screen}")
            time.sleep(0.1)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    script = tmp_path / "script.json"
    script.write_text(
        json.dumps(
            {
                "rules": [
                    {
                        "match": "story",
                        "reply": "Once upon a time " + "the story went on and on. " * 80,
                        "chunk_chars": 10,
                        "interval_ms": 30,
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    env = {
        "LIVETUI_CONFIG": str(tmp_path / "none.toml"),
        "LIVETUI_DATA_DIR": str(tmp_path / "data"),
        "TERM": "xterm-256color",
    }
    exports = " ".join(f"{key}={value}" for key, value in env.items())
    command = f"env {exports} {livetui_command()} --brain scripted --script {script}"
    term = Terminal(f"livetui-e2e-{uuid.uuid4().hex[:8]}", script)
    term.tmux("new-session", "-d", "-s", "e2e", "-x", "140", "-y", "45", "sleep 0.5; " + command)
    term.tmux("set-option", "-t", "e2e", "remain-on-exit", "on")  # keeps the exit status on screen
    try:
        yield term
    finally:
        subprocess.run(["tmux", "-L", term.socket, "kill-server"], capture_output=True, check=False)


def test_a_typed_message_is_answered_interrupted_and_the_app_quits_cleanly(terminal: Terminal) -> None:
    terminal.wait_for("● live")
    terminal.keys("hello from tmux")
    terminal.wait_for("hello from tmux")
    terminal.keys("Enter")
    terminal.wait_for("You said: hello from tmux")

    terminal.keys("tell me a story")
    terminal.wait_for("tell me a story")
    terminal.keys("Enter")
    terminal.wait_for("Once upon a time")
    terminal.keys("Escape")
    screen = terminal.wait_for("interrupted")
    assert "Traceback" not in screen

    pattern = f"livetui serve .*{terminal.script}"
    server_children = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout.split()
    assert len(server_children) == 1, "the app runs its local server as one child process"
    terminal.keys("C-q")
    terminal.wait_for("Pane is dead (status 0")
    for pid in server_children:
        assert not os.path.exists(f"/proc/{pid}") or _is_zombie(pid), "the local server outlived the app"


def _is_zombie(pid: str) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except OSError:
        return True
