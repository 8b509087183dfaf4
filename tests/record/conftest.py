"""Helpers for record tests: a journal written on a controlled clock, with a small session in it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from livetui import events as ev
from livetui.record.journal import Journal

START = 1_800_000_000.0
"""The wall-clock time the sample session starts (a fixed UNIX time)."""


@dataclass
class StepClock:
    """A wall clock and a monotonic clock that move only when told."""

    wall: float = START
    mono: float = 500.0

    def advance(self, seconds: float) -> None:
        """Move both clocks forward."""
        self.wall += seconds
        self.mono += seconds


def tone(seconds: float, rate: int, level: int = 8000) -> bytes:
    """A square wave of `seconds` at `rate`, PCM16 mono (never silent, so placement can be checked)."""
    frames = round(seconds * rate)
    wave = np.where((np.arange(frames) // 20) % 2 == 0, level, -level).astype("<i2")
    return wave.tobytes()


def write_sample_session(directory: Path) -> StepClock:
    """A session with a text turn, an interrupted turn, a tool call, a spoken turn, microphone audio, a
    dropped connection and a turn it cut off. Returns the clock, at the end of the session."""
    clock = StepClock()
    journal = Journal(directory, wall=lambda: clock.wall, monotonic=lambda: clock.mono)

    def at(seconds: float, *events: ev.AnyEvent) -> None:
        clock.advance(seconds)
        for event in events:
            journal.write(event)

    at(0.0, ev.Connecting(url="ws://127.0.0.1:1/ws"), ev.SetupComplete())
    at(1.0, ev.UserText(turn=1, text="hello"))
    at(0.1, ev.TextDelta(turn=1, text="Hi there. "), ev.TextDelta(turn=1, text="How are you?"))
    at(0.1, ev.TurnComplete(turn=1))
    at(1.0, ev.UserText(turn=2, text="tell me a story"))
    at(0.1, ev.TextDelta(turn=2, text="Once upon"))
    at(0.1, ev.Interrupted(turn=2, by="user"), ev.TurnComplete(turn=2, reason="interrupted"))
    call = ev.ToolCall(turn=3, call_id="c1", name="calculator", args={"expression": "6*7"})
    at(1.0, ev.UserText(turn=3, text="six times seven"))
    at(0.1, ev.ToolCallRequested(turn=3, calls=(call,)))
    at(0.1, ev.ToolResult(turn=3, call_id="c1", name="calculator", response={"output": 42}))
    at(0.1, ev.TextDelta(turn=3, text="It is 42."), ev.TurnComplete(turn=3))
    # Turn 4 is spoken: two seconds of speech arriving in one second, with its transcript.
    at(1.0, ev.UserText(turn=4, text="say something"))
    words = ["Good morning. ", "It is ", "a fine ", "day."]
    for index in range(4):
        clock.advance(0.25)
        journal.mic(tone(0.25, 16000, level=2000))
        journal.write(ev.AudioOut(turn=4, pcm=tone(0.5, 24000)))
        journal.write(ev.OutputTranscript(turn=4, text=words[index]))
    at(0.1, ev.TurnComplete(turn=4))
    at(1.5, ev.UserText(turn=5, text="and then"))
    at(0.1, ev.TextDelta(turn=5, text="Well"))
    at(0.1, ev.Disconnected(code=1006, reason="the connection dropped (1006)", will_retry=True))
    at(0.0, ev.TurnComplete(turn=5, reason="disconnected"))
    at(0.5, ev.Notice(message="the session resumed on a new connection"))
    journal.close()
    return clock


@pytest.fixture
def sample_session(tmp_path: Path) -> Path:
    """A session directory holding the sample session's journal and tracks."""
    directory = tmp_path / "sessions" / "2027-01-15T08-00-00-abcdef"
    directory.mkdir(parents=True)
    write_sample_session(directory)
    return directory
