"""A server that sends hostile frames never ends the session: the engine turns each into events (an error
event when it cannot be used), keeps the connection, and still reads the reply that follows."""

from __future__ import annotations

import contextlib

import pytest

from livetui import events as ev
from livetui.providers.registry import local_endpoint, provider
from livetui.session.engine import LiveSession
from tests.hostile import (
    GO_AWAY,
    HOSTILE_FRAMES,
    SENTINEL,
    Frame,
    fuzzed_frames,
    hostile_peer,
    moves_the_session,
)
from tests.session.conftest import TEXT_CONFIG, Recorder, running

FUZZ_FRAMES = 300
"""Random and mutated frames sent through one connection."""


async def run_against(frames: list[Frame], unread: int = 0) -> tuple[LiveSession, Recorder]:
    """Run a session against a peer that sends `frames` then a whole reply; wait until the session has read
    every frame but `unread` (the reply's turnComplete included), or for at most the recorder's timeout."""
    async with hostile_peer(frames) as (url, _received):
        session = LiveSession(local_endpoint(url), provider("gemini"), TEXT_CONFIG)
        async with running(session) as recorder:
            expected = len(frames) + 3 - unread
            with contextlib.suppress(TimeoutError):
                await recorder.wait_for(lambda: len(wire_in(recorder)) >= expected)
            assert SENTINEL in texts(recorder) or interrupted(recorder)
            assert session.ready, "the session is still live"
            return session, recorder


def wire_in(recorder: Recorder) -> list[ev.WireFrame]:
    """Every frame the session has read so far."""
    return [e for e in recorder.of(ev.WireFrame) if e.direction == "in"]


def texts(recorder: Recorder) -> str:
    """Every text delta so far."""
    return "".join(e.text for e in recorder.of(ev.TextDelta))


def interrupted(recorder: Recorder) -> bool:
    """The server interrupted a turn (its later text is dropped by design)."""
    return any(e.by == "server" for e in recorder.of(ev.Interrupted))


def assert_every_frame_seen(recorder: Recorder, frames: list[Frame]) -> None:
    """One `WireFrame` per frame sent (setupComplete and the two of the reply included), no fatal error,
    no disconnection."""
    assert len(wire_in(recorder)) == len(frames) + 3
    assert not [e for e in recorder.of(ev.SessionError) if e.fatal]
    assert not recorder.of(ev.Disconnected)


@pytest.mark.parametrize("name", [name for name in HOSTILE_FRAMES if name not in GO_AWAY])
async def test_a_hostile_frame_is_an_event_and_the_session_reads_on(name: str) -> None:
    frames = [HOSTILE_FRAMES[name]]
    _session, recorder = await run_against(frames)
    assert_every_frame_seen(recorder, frames)


async def test_every_hostile_frame_in_a_row_then_the_reply() -> None:
    frames = [frame for name, frame in HOSTILE_FRAMES.items() if name not in GO_AWAY]
    _session, recorder = await run_against(frames)
    assert_every_frame_seen(recorder, frames)
    errors = recorder.of(ev.SessionError)
    assert len(errors) >= 10 and all("\n" not in e.message for e in errors)


async def test_fuzzed_frames_through_the_engine_leave_the_session_live() -> None:
    frames = [frame for frame in fuzzed_frames(FUZZ_FRAMES, 11) if not moves_the_session(frame)]
    _session, recorder = await run_against(frames)
    assert_every_frame_seen(recorder, frames)


async def test_a_frame_the_engine_cannot_handle_is_an_error_event_not_the_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Whatever a bug lets one frame raise, the engine's reader reports it and reads the next."""
    from livetui.providers.gemini.session import GeminiSession

    real = GeminiSession.receive

    def receive(self: GeminiSession, frame: str | bytes, *, at: float) -> None:
        if frame == "boom":
            raise RuntimeError("a bug\nover two lines")
        real(self, frame, at=at)

    monkeypatch.setattr(GeminiSession, "receive", receive)
    _session, recorder = await run_against(["boom"], unread=1)
    [error] = recorder.of(ev.SessionError)
    assert error.message == "could not handle a frame from the server: a bug over two lines"
    assert not error.fatal and SENTINEL in texts(recorder)
