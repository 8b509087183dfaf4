"""Echo cancellation in the simulated room: the echo goes, the user's speech stays; frames in play order."""

from __future__ import annotations

import asyncio
import sys

import numpy as np
import pytest

from livetui.media.audio.apm import EchoUnavailable, WebRtcProcessor
from livetui.media.audio.echo import LEARN_SECONDS, EchoCanceller, EchoFailed, Timeline
from livetui.media.audio.pcm import MIC_RATE, SPEAKER_RATE
from tests.media.echo_room import StepClock, converged, erle, play_through, scene, user_kept

REPLY_STARTS = 0.5
"""Seconds of silence the speaker plays before the reply."""


@pytest.mark.parametrize("delay", [0.03, 0.12])
async def test_the_echo_is_cancelled_and_the_users_speech_kept(delay: float) -> None:
    room = scene(delay)
    clock = StepClock()
    canceller = EchoCanceller(clock=clock)
    await canceller.start()
    try:
        out = await play_through(room, canceller, clock)
    finally:
        canceller.close()
    assert canceller.converged, "it has learned from enough of the reply"
    measured = erle(room, out)
    assert len(measured) > 20, "the echo-only stretch is long enough to measure"
    settled = converged(measured)
    assert settled - REPLY_STARTS <= LEARN_SECONDS, "converged within the time it is given to learn"
    after = [db for at, db in measured if at >= settled]
    assert float(np.median(after)) >= 30.0
    assert abs(user_kept(room, out)) <= 1.0, "the user's speech within 1 dB"
    talk = canceller.double_talk
    assert talk.path.lag is not None and talk.gated > 0, "what it left of the echo was turned down"
    assert talk.talked > 0, "the user talking over the reply was sent as heard"


async def test_without_cancellation_the_room_measures_its_echo() -> None:
    room = scene(0.06)
    clock = StepClock()
    canceller = EchoCanceller(echo_cancellation=False, clock=clock)  # the same path, nothing cancelled
    await canceller.start()
    try:
        out = await play_through(room, canceller, clock)
    finally:
        canceller.close()
    assert float(np.median([db for _, db in erle(room, out)])) < 3.0


class Recording:
    """A processor that records what it is given, in order (and can be told to fail)."""

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[tuple[str, int, int]] = []
        self.fail = fail

    def render(self, frame: bytes, rate: int) -> None:
        self.calls.append(("far", len(frame) // 2, rate))

    def capture(self, frame: bytearray, rate: int, delay_ms: int) -> None:
        if self.fail:
            raise RuntimeError("apm\nbroke")
        self.calls.append(("near", len(frame) // 2, delay_ms))
        frame[:] = bytes(len(frame))


async def test_far_end_blocks_of_any_size_go_in_as_10_ms_frames_before_the_echo_they_cause() -> None:
    clock, recording = StepClock(), Recording()
    canceller = EchoCanceller(load=lambda echo, noise: recording, clock=clock)
    await canceller.start()
    canceller.delay = 0.0234
    for step in range(3):  # a JACK-style device pulls 1024 frames at 48 kHz: 21.3 ms, not whole frames
        clock.now = step * 1024 / 48000
        canceller.render(bytes(2048), 48000)
    clock.now = 0.04
    cleaned = await canceller.capture(b"\x01" * 1280, MIC_RATE)
    canceller.close()
    assert cleaned == bytes(1280), "the processed frames are what comes out"
    far_before = [call for call in recording.calls[: recording.calls.index(("near", 160, 23))]]
    assert far_before == [("far", 480, 48000)], "only the far end pulled before the first 10 ms was heard"
    assert [c for c in recording.calls if c[0] == "near"] == [("near", 160, 23)] * 4
    assert sum(1 for c in recording.calls if c[0] == "far") == 4, "pulled by 40 ms: 4 whole frames"


async def test_a_short_last_block_comes_back_the_same_length() -> None:
    canceller = EchoCanceller(load=lambda echo, noise: Recording())
    await canceller.start()
    assert len(await canceller.capture(b"\x01" * 1000, MIC_RATE)) == 1000
    canceller.close()


async def test_a_processor_that_raises_gives_one_line() -> None:
    canceller = EchoCanceller(load=lambda echo, noise: Recording(fail=True))
    await canceller.start()
    canceller.render(bytes(960), SPEAKER_RATE)
    with pytest.raises(EchoFailed) as caught:
        await canceller.capture(bytes(1280), MIC_RATE)
    canceller.close()
    assert str(caught.value) == "RuntimeError: apm broke"


def test_without_the_package_it_says_so_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "livekit", None)
    with pytest.raises(EchoUnavailable) as caught:
        WebRtcProcessor(echo_cancellation=True, noise_suppression=False)
    assert str(caught.value).startswith("echo cancellation needs the livekit package")
    assert "\n" not in str(caught.value)


def test_a_streams_blocks_are_placed_end_to_end() -> None:
    line = Timeline()
    assert line.place(1.0, 0.04) == 1.0
    assert line.place(1.05, 0.04) == 1.04, "handed over late (a busy loop): it still followed on"
    assert line.place(1.09, 0.04) == 1.08
    assert line.moved == 0.0
    assert line.place(1.10, 0.04) == 1.10, "early: the timeline was late, and moves"
    assert round(line.moved, 9) == -0.02
    assert line.place(2.0, 0.04) == 2.0, "after a pause it starts afresh"
    assert round(line.moved, 9) == 0.86


async def test_a_block_heard_before_the_late_sink_pulled_waits_for_that_far_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("livetui.media.audio.echo.FAR_WAIT_SECONDS", 60.0)  # however loaded the machine
    clock, recording = StepClock(), Recording()
    canceller = EchoCanceller(load=lambda echo, noise: recording, clock=clock)
    await canceller.start()
    canceller.render(bytes(960), SPEAKER_RATE)  # 0-20 ms played
    clock.now = 0.04
    heard = asyncio.create_task(canceller.capture(bytes(1280), MIC_RATE))  # 0-40 ms heard
    async with asyncio.timeout(30):
        while canceller.far_waits == 0:  # the worker has taken the first 20 ms and waits for the rest
            await asyncio.sleep(0.001)
    clock.now = 0.02
    canceller.render(bytes(960), SPEAKER_RATE)  # the sink, late, pulls 20-40 ms
    await heard
    canceller.close()
    kinds = [kind for kind, _, _ in recording.calls]
    assert kinds == ["far", "near", "far", "near", "far", "near", "far", "near"], (
        "each frame after its far end"
    )
    assert canceller.far_waits == 1 and canceller.far_late == 0


async def test_a_sink_that_stopped_is_waited_for_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("livetui.media.audio.echo.FAR_WAIT_SECONDS", 0.0)  # a wait that gives up at once
    clock, recording = StepClock(), Recording()
    canceller = EchoCanceller(load=lambda echo, noise: recording, clock=clock)
    await canceller.start()
    canceller.render(bytes(960), SPEAKER_RATE)  # 0-20 ms played, then the sink closes
    for block in range(1, 6):
        clock.now = block * 0.04
        await canceller.capture(bytes(1280), MIC_RATE)
    canceller.close()
    assert canceller.far_late == 1, "the first block gave up on it; the next did not wait"
    assert sum(1 for kind, _, _ in recording.calls if kind == "near") == 20


async def test_a_stream_that_restarts_makes_the_double_talk_detector_learn_the_room_again() -> None:
    clock = StepClock()
    canceller = EchoCanceller(load=lambda echo, noise: Recording(), clock=clock)
    await canceller.start()
    clock.now = 0.04
    await canceller.capture(bytes(1280), MIC_RATE)
    path = canceller.double_talk.path
    path.lag, path.gain = 12, 0.5  # as if learned
    clock.now = 0.08
    await canceller.capture(bytes(1280), MIC_RATE)
    assert path.lag == 12, "the next block followed on"
    clock.now = 3.0  # the event loop stalled: the microphone's timeline starts afresh
    await canceller.capture(bytes(1280), MIC_RATE)
    canceller.close()
    assert path.lag is None and path.gain == 0.0
