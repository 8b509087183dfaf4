"""The player's jitter buffer: pre-buffering, underruns, instant flushes, t3, resampling, threads."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from livetui.media.audio.player import Player

RATE = 24000
BLOCK = 480  # 20 ms


def state(player: Player) -> str:
    """The player's state (read through a function, so each check reads it afresh)."""
    return player.state


def samples_of(value: int, frames: int) -> bytes:
    """`frames` frames all holding `value`."""
    return np.full(frames, value, dtype=np.int16).tobytes()


def test_playback_waits_for_the_prebuffer_or_the_end_of_the_turn() -> None:
    player = Player(prebuffer=0.1)
    player.feed(1, samples_of(1, 1200))  # 50 ms: not enough
    assert player.pull(BLOCK) == b"" and state(player) == "buffering" and player.speaking
    player.feed(1, samples_of(1, 1200))  # 100 ms buffered
    assert player.pull(BLOCK) == samples_of(1, BLOCK) and state(player) == "playing"

    short = Player(prebuffer=0.1)
    short.feed(2, samples_of(2, 600))
    assert short.pull(BLOCK) == b""
    short.end_turn(2)  # nothing more is coming: play what there is
    assert short.pull(BLOCK) == samples_of(2, BLOCK)
    assert short.pull(BLOCK) == samples_of(2, 120) and state(short) == "idle" and not short.speaking
    assert short.underruns == 0


def test_running_dry_mid_turn_is_an_underrun_and_buffers_again() -> None:
    player = Player(prebuffer=0.02)
    player.feed(1, samples_of(1, BLOCK))
    assert len(player.pull(BLOCK)) == BLOCK * 2
    assert player.pull(BLOCK) == b"" and player.underruns == 1 and state(player) == "buffering"
    assert player.pull(BLOCK) == b"" and player.underruns == 1, "counted once per dry spell"
    player.feed(1, samples_of(1, BLOCK))
    assert len(player.pull(BLOCK)) == BLOCK * 2


def test_flush_drops_everything_at_once() -> None:
    player = Player(prebuffer=0.0)
    player.feed(1, samples_of(1, 24000))
    player.pull(BLOCK)
    assert player.flush() == 24000 - BLOCK
    assert player.pull(BLOCK) == b"" and not player.speaking
    assert player.frames_dropped == 24000 - BLOCK and player.frames_by_turn == {1: BLOCK}
    player.feed(2, samples_of(2, 2400))
    assert player.pull(BLOCK) == samples_of(2, BLOCK), "the next turn plays after a flush"


def test_the_first_sample_of_each_turn_is_reported_with_the_time_it_was_handed_over() -> None:
    now = [10.0]
    started: list[tuple[int, float]] = []
    player = Player(prebuffer=0.0, clock=lambda: now[0], on_started=lambda t, at: started.append((t, at)))
    player.feed(1, samples_of(1, 600))
    player.feed(2, samples_of(2, 600))
    player.pull(BLOCK)
    now[0] = 11.0
    player.pull(BLOCK)
    player.pull(BLOCK)
    assert started == [(1, 10.0), (2, 11.0)]


def test_speech_at_another_rate_is_resampled_to_the_sinks() -> None:
    player = Player(rate=48000, prebuffer=0.0)
    player.feed(1, samples_of(1000, 24000), rate=24000)
    player.end_turn(1)
    out = b""
    while chunk := player.pull(960):
        out += chunk
    assert abs(len(out) // 2 - 48000) <= 64


@pytest.mark.parametrize("rate", [1, 7999, 48001, 10**15])
def test_speech_at_a_rate_outside_8_to_48_khz_is_dropped_not_resampled(rate: int) -> None:
    player = Player(prebuffer=0.0)
    player.feed(1, samples_of(1000, 4800), rate=rate)
    player.feed(1, samples_of(7, BLOCK), rate=RATE)
    player.end_turn(1)
    assert player.pull(BLOCK * 4) == samples_of(7, BLOCK), "only the speech at a rate in range"


def test_no_flushed_sample_is_played_after_the_flush_while_a_thread_pulls() -> None:
    player = Player(prebuffer=0.0)
    out: list[bytes] = []
    stop = threading.Event()

    def device() -> None:
        while not stop.is_set():
            out.append(player.pull(BLOCK))

    thread = threading.Thread(target=device)
    thread.start()
    try:
        for _ in range(200):
            player.feed(1, samples_of(1, 4800))
        player.flush()
        player.feed(2, samples_of(2, 48000))
        player.end_turn(2)
        while player.speaking:
            pass
    finally:
        stop.set()
        thread.join()
    values = np.frombuffer(b"".join(out), dtype=np.int16)
    assert 2 in values
    first_new = int(np.argmax(values == 2))
    assert not np.any(values[first_new:] == 1), "nothing from before the flush after it"


def test_the_milliseconds_played_of_each_turn_are_exact_to_the_block_and_survive_a_flush() -> None:
    player = Player(prebuffer=0.0)
    player.feed(1, samples_of(1, 24000))
    assert player.played_ms(1) == 0, "queued is not played"
    for _ in range(3):
        player.pull(BLOCK)
    assert player.played_ms(1) == 60
    player.pull(BLOCK // 2)
    assert player.played_ms(1) == 70
    player.flush()
    assert player.played_ms(1) == 70 and player.played_ms(2) == 0
    fast = Player(rate=48000, prebuffer=0.0)  # a sink at 48 kHz: milliseconds, not frames
    fast.feed(3, samples_of(3, 2400), 24000)
    fast.pull(960)
    assert fast.played_ms(3) == 20
