"""End to end: an app killed with SIGKILL leaves a journal that `livetui export` turns into a transcript."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Dialect, both_dialects
from tests.terminal import Terminal, livetui_command, local_flags

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (CI installs it)"),
]


def journal_events(data: Path) -> list[dict[str, Any]]:
    """The events on the complete lines of the one session journal under `data` (none before it exists;
    the app may be writing its last line); microphone lines have no event."""
    journals = list((data / "sessions").glob("*/events.jsonl"))
    if not journals:
        return []
    assert len(journals) == 1
    text = journals[0].read_text(encoding="utf-8")
    lines = [json.loads(line) for line in text[: text.rfind("\n") + 1].splitlines()]
    return [line["event"] for line in lines if "event" in line]


def journal_kinds(data: Path) -> list[str]:
    """The kinds of the events in the one session journal under `data` (see `journal_events`)."""
    return [event["kind"] for event in journal_events(data)]


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    """Poll `condition()` (another process's files cannot be awaited) until it holds, with a deadline."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _command_name(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def app_pid(app_args: list[str]) -> int:
    """The process id of the one `livetui` started with `app_args` (not tmux, not a shell)."""
    pattern = f"livetui {' '.join(app_args)}"
    found = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout
    [pid] = [int(p) for p in found.split() if _command_name(p) == "livetui"]
    return pid


@both_dialects
def test_a_killed_app_leaves_a_journal_that_exports_to_a_transcript(tmp_path: Path, dialect: Dialect) -> None:
    data = tmp_path / "data"
    script = tmp_path / f"script-{uuid.uuid4().hex[:8]}.json"
    script.write_text(json.dumps({"rules": [{"match": "hello", "reply": "Hello back, {text}"}]}))
    env = {"LIVETUI_CONFIG": str(tmp_path / "none.toml"), "LIVETUI_DATA_DIR": str(data)}
    app_args = [*local_flags(dialect), "--brain", "scripted", "--text-only", "--script", str(script)]
    terminal = Terminal("kill", tmp_path)
    terminal.start([livetui_command(), *app_args], env)
    try:
        terminal.wait_for("● live")
        terminal.type_line("hello from tmux")
        terminal.wait_for("Hello back, hello from tmux")
        wait_until(lambda: "turn_complete" in journal_kinds(data), "the journal's turn_complete line")
        os.kill(app_pid(app_args), signal.SIGKILL)
        assert terminal.exit_status() == 128 + signal.SIGKILL
    finally:
        terminal.close()

    result = subprocess.run(
        [livetui_command(), "export", "--last", "--format", "md"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    [session] = (data / "sessions").iterdir()
    assert result.stdout == f"wrote {session / 'transcript.md'} (1 turn)\n"
    transcript = (session / "transcript.md").read_text()
    assert "## Turn 1" in transcript and "hello from tmux" in transcript
    assert "Hello back, hello from tmux" in transcript


def test_a_message_sent_with_enter_and_ctrl_q_at_once_is_journaled(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {"LIVETUI_CONFIG": str(tmp_path / "none.toml"), "LIVETUI_DATA_DIR": str(data)}
    terminal = Terminal("enter-quit", tmp_path)
    terminal.start([livetui_command(), "--brain", "scripted", "--text-only"], env)
    try:
        terminal.wait_for("● live")
        terminal.keys("goodbye now")
        terminal.wait_for("goodbye now")
        terminal.keys("Enter", "C-q")  # one write to the terminal: the app reads both keys at once
        assert terminal.exit_status() == 0
    finally:
        terminal.close()
    assert "user_text" in journal_kinds(data)
