"""End to end: a block pasted into the real terminal (bracketed paste) is sent and answered as one message."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_kill_export import journal_events, journal_kinds, wait_until
from tests.terminal import Terminal, livetui_command

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (CI installs it)"),
]

BLOCK = "pasted line one\npasted line two\npasted line three"
"""Three lines, pasted at once."""


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    """livetui on the scripted local brain, text only, recording into the test's directory."""
    term = Terminal("paste", tmp_path)
    env = {"LIVETUI_CONFIG": str(tmp_path / "none.toml"), "LIVETUI_DATA_DIR": str(tmp_path / "data")}
    term.start([livetui_command(), "--brain", "scripted", "--text-only"], env)
    try:
        yield term
    finally:
        term.close()


def test_a_pasted_block_is_answered_as_one_message(terminal: Terminal, tmp_path: Path) -> None:
    terminal.wait_for("● live")
    terminal.paste(BLOCK)
    terminal.wait_for("pasted line three")
    terminal.keys("Enter")
    screen = terminal.wait_for("You said: pasted line one")
    assert "Traceback" not in screen
    # The screen shows the reply's first words while the rest is still coming: wait for its end.
    data = tmp_path / "data"
    wait_until(lambda: "turn_complete" in journal_kinds(data), "the journal's turn_complete line")
    events = journal_events(data)
    assert [event["text"] for event in events if event["kind"] == "user_text"] == [BLOCK]
    replies = [event["text"] for event in events if event["kind"] == "text_delta"]
    assert "".join(replies).startswith("You said: pasted line one")
    assert "pasted line three" in "".join(replies), "one reply to the whole block"
    terminal.keys("C-q")
    assert terminal.exit_status() == 0
