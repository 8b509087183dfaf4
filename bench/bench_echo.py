"""Echo cancellation: ERLE and convergence in the simulated room, the CPU and latency it adds.

The room is the tests' (`tests.media.echo_room`): the model's espeak-ng reply at 24 kHz, through a
synthetic impulse response (a direct path after the delay, a decaying tail, a little noise), with the
user's espeak-ng speech starting mid-reply and the reply stopped 0.3 s later (a barge-in). Each scene is
played through the real `EchoCanceller` (its worker thread, WebRTC's processing through livekit) as
devices would drive it: a 20 ms far-end block pulled every 20 ms, a 40 ms microphone block every 40 ms.

- **ERLE**: echo return loss enhancement per 100 ms over the echo-only stretch, median after convergence;
  **convergence**: from the start of the reply to the time from which the ERLE stays at 30 dB (5-window
  median); **user kept**: the user's speech after the echo has died away, against the user alone. Each
  for the canceller alone, then for what is sent (after the double-talk detector, which turns residual
  echo down and sends the user talking over the reply as heard), with how many frames it did each to.
- **CPU**: the worker's CPU time per 10 ms microphone frame (its far-end frames included), and as % of a
  core, beside a pass-through processor on the same path (the cost of the thread hop alone); rounds
  interleaved, medians printed.
- **Latency added**: the processing's own delay (cross-correlation of a user-only input with its output)
  plus the hop to the worker and back per block (median / p95).
"""

from __future__ import annotations

import asyncio
import time
from statistics import median

import numpy as np

from livetui.media.audio.apm import Processor
from livetui.media.audio.echo import EchoCanceller
from livetui.media.audio.pcm import MIC_RATE, samples
from livetui.media.audio.residual import Choice, DoubleTalk
from tests.media.echo_room import StepClock, converged, erle, play_through, scene, speech, user_kept

DELAYS = (0.03, 0.06, 0.12)
"""Room delays measured (seconds to the direct path)."""
ROUNDS = 5
"""Interleaved rounds for the CPU and hop figures."""
REPLY_STARTS = 0.5
"""Seconds of silence before the reply in each scene."""


class PassThrough:
    """A processor that does nothing: the cost of the path without the processing."""

    def render(self, frame: bytes, rate: int) -> None:
        """Ignore the far end."""

    def capture(self, frame: bytearray, rate: int, delay_ms: int) -> None:
        """Leave the microphone as it is."""


def pass_through(cancel: bool, noise: bool) -> Processor:
    """Load the pass-through processor."""
    return PassThrough()


class CleanedOnly(DoubleTalk):
    """A double-talk detector that sends every frame as the canceller left it (the canceller alone)."""

    def choose(self, at: float, heard: float, left: float) -> Choice:
        """The canceller's output, always."""
        return "cleaned"


async def room_figures() -> None:
    """ERLE, convergence and the user's speech, per room delay: the canceller alone, then what is sent
    (after the double-talk detector)."""
    for delay in DELAYS:
        room = scene(delay)
        for alone in (True, False):
            clock = StepClock()
            canceller = EchoCanceller(clock=clock)
            if alone:
                canceller.double_talk = CleanedOnly()
            await canceller.start()
            out = await play_through(room, canceller, clock)
            canceller.close()
            measured = erle(room, out)
            settled = converged(measured)
            after = [db for at, db in measured if at >= settled]
            low = float(np.percentile(after, 10)) if after else float("nan")
            talk = canceller.double_talk
            what = (
                "canceller alone"
                if alone
                else (
                    f"sent ({talk.gated} frames of residual echo turned down, {talk.talked} of the user "
                    "sent as heard)"
                )
            )
            print(
                f"room delay {delay * 1000:.0f} ms, {what}: ERLE after convergence {median(after):.1f} dB "
                f"median (p10 {low:.1f}; budget >= 30), converged {settled - REPLY_STARTS:.1f} s into the "
                f"reply, user's speech {user_kept(room, out):+.2f} dB (budget within 1)",
                flush=True,
            )


async def timed_run(load: bool) -> tuple[float, list[float]]:
    """CPU per microphone frame (s) and the hop of each block (s), through the threaded path."""
    room = scene(0.06)
    canceller = EchoCanceller() if load else EchoCanceller(load=pass_through)
    await canceller.start()
    far_block, mic_block = 960, 1280
    hops: list[float] = []
    for index in range(len(room.mic) // mic_block):
        for half in range(2):
            start = (2 * index + half) * far_block
            canceller.render(room.far[start : start + far_block], 24000)
        started = time.perf_counter()
        await canceller.capture(room.mic[index * mic_block : (index + 1) * mic_block], MIC_RATE)
        hops.append(time.perf_counter() - started)
    canceller.close()
    return canceller.cpu_seconds / canceller.frames, hops


async def processing_delay() -> float:
    """Seconds the processing delays the microphone (user-only speech in, cross-correlated with out)."""
    said = speech("stop talking please", MIC_RATE)
    pcm = np.concatenate([np.zeros(MIC_RATE // 2), said, np.zeros(MIC_RATE // 2)]).astype(np.int16).tobytes()
    canceller = EchoCanceller()
    await canceller.start()
    out = bytearray()
    for offset in range(0, len(pcm) - 1279, 1280):
        canceller.render(bytes(960), 24000)
        canceller.render(bytes(960), 24000)
        out += await canceller.capture(pcm[offset : offset + 1280], MIC_RATE)
    canceller.close()
    before, after = samples(pcm[: len(out)]).astype(float), samples(bytes(out)).astype(float)
    lags = range(int(0.03 * MIC_RATE))
    best = max(lags, key=lambda lag: float(np.dot(before[: len(before) - lag], after[lag:])))
    return best / MIC_RATE


async def main() -> None:
    """Print the figures."""
    await room_figures()
    cpu: dict[bool, list[float]] = {True: [], False: []}
    hops: dict[bool, list[float]] = {True: [], False: []}
    for round_ in range(ROUNDS):
        for load in (True, False) if round_ % 2 == 0 else (False, True):
            per_frame, each = await timed_run(load)
            cpu[load].append(per_frame)
            hops[load] += each
    aec, floor = median(cpu[True]), median(cpu[False])
    print(
        f"CPU per 10 ms frame: {aec * 1e3:.3f} ms = {aec / 0.01 * 100:.2f} % of a core (budget <= 2 %); "
        f"pass-through on the same path {floor * 1e3:.3f} ms; ratio {aec / max(floor, 1e-9):.1f}x"
    )
    lag = await processing_delay()
    hop, hop95 = median(hops[True]), float(np.percentile(hops[True], 95))
    print(
        f"latency added: processing {lag * 1e3:.1f} ms + hop to the worker {hop * 1e3:.2f} ms median "
        f"/ {hop95 * 1e3:.2f} ms p95 per 40 ms block = {(lag + hop) * 1e3:.1f} ms (budget <= 10); "
        f"pass-through hop {median(hops[False]) * 1e3:.2f} ms"
    )


if __name__ == "__main__":
    asyncio.run(main())
