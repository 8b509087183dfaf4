"""A simulated room, all offline: the model's reply played on a speaker comes back into the microphone.

The reply is espeak-ng speech at 24 kHz, as the player plays it. The room is a synthetic impulse response
(a direct path after `delay`, then an exponentially decaying reverberant tail) at the microphone's rate,
plus a little noise; the user's own espeak-ng speech is mixed in, starting mid-reply. The far end stops
shortly after the user starts, as it does when the server hears a barge-in. Also here: the measures the
tests assert and the bench prints (echo return loss enhancement, convergence, the user's speech kept).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from livetui.media.audio.echo import EchoCanceller
from livetui.media.audio.pcm import MIC_RATE, SPEAKER_RATE, resample, samples
from livetui.media.audio.sink import padded
from livetui.server.core.senses.tts import shared_synthesizer

REPLY = (
    "Once upon a time, in a quiet village by the sea, there lived an old sailor. Every morning he walked "
    "to the harbour and told the children about the storms he had seen."
)
"""What the model says."""
USER = "stop talking please"
"""What the user says over it."""
WINDOW = 0.1
"""Seconds per ERLE measurement."""

Signal = npt.NDArray[np.float64]
"""Audio as floats on the PCM16 scale."""


def speech(text: str, rate: int) -> Signal:
    """`text` spoken by espeak-ng, at `rate`."""
    pcm = resample(shared_synthesizer().speak(text), SPEAKER_RATE, rate)
    return samples(pcm).astype(np.float64)


def impulse_response(delay: float, *, rate: int = MIC_RATE, decay: float = 0.05, gain: float = 0.5) -> Signal:
    """A synthetic room: silence for `delay` s, a direct path, then a tail decaying with time constant
    `decay` s (0.25 s long); scaled so the echo's energy is `gain` squared of the played sound's."""
    rng = np.random.default_rng(7)
    start, tail = round(delay * rate), round(0.25 * rate)
    response = np.zeros(start + tail)
    response[start:] = rng.standard_normal(tail) * np.exp(-np.arange(tail) / rate / decay)
    response[start] = 3.0
    scaled: Signal = response * gain / np.sqrt(np.sum(response**2))
    return scaled


@dataclass(frozen=True)
class Scene:
    """One simulated conversation in the room."""

    far: bytes
    """What the speaker plays: PCM16 mono at `SPEAKER_RATE`."""
    mic: bytes
    """What the microphone hears: echo, the user, noise (PCM16 mono at `MIC_RATE`)."""
    echo: Signal
    """The echo alone, at `MIC_RATE`."""
    user: Signal
    """The user's speech alone, where it falls in `mic`."""
    user_from: int
    """The sample where the user starts."""
    quiet_from: int
    """The sample from which the echo has died away (the far end stopped, its tail is over)."""


def scene(delay: float, *, user_at: float = 7.0, barge_in: float = 0.3, gain: float = 0.5) -> Scene:
    """The reply through a room with `delay`, the user speaking at `user_at` s, the far end stopped
    `barge_in` s later."""
    reply = speech(REPLY, SPEAKER_RATE)
    far = np.concatenate([np.zeros(SPEAKER_RATE // 2), reply, np.zeros(3 * SPEAKER_RATE)])
    stop = round((user_at + barge_in) * SPEAKER_RATE)
    far[stop:] = 0.0
    far_pcm = far.astype(np.int16).tobytes()
    played = samples(resample(far_pcm, SPEAKER_RATE, MIC_RATE)).astype(np.float64)
    response = impulse_response(delay, gain=gain)
    echo = np.convolve(played, response)[: len(played)]
    said = speech(USER, MIC_RATE)
    user_from = round(user_at * MIC_RATE)
    user = np.zeros(len(played))
    user[user_from : user_from + len(said)] = said[: len(played) - user_from]
    noise = np.random.default_rng(3).standard_normal(len(played)) * 10.0
    mic = np.clip(echo + user + noise, -32768, 32767).astype(np.int16).tobytes()
    quiet_from = round((user_at + barge_in) * MIC_RATE) + len(response)
    return Scene(far_pcm, mic, echo, user, user_from, quiet_from)


def power(signal: Signal) -> float:
    """Mean square."""
    return float(np.mean(signal**2)) if signal.size else 0.0


def erle(room: Scene, out: bytes, *, until: int | None = None) -> list[tuple[float, float]]:
    """(time, dB) of echo return loss enhancement per `WINDOW`, over the echo-only stretch (before the user
    speaks), for the windows where the echo is well above the noise."""
    heard = samples(room.mic).astype(np.float64)
    cleaned = samples(out).astype(np.float64)
    size = round(WINDOW * MIC_RATE)
    end = room.user_from if until is None else until
    found: list[tuple[float, float]] = []
    for start in range(0, end - size + 1, size):
        part = slice(start, start + size)
        if power(room.echo[part]) < 1000 * 100.0:  # 30 dB above the noise (10 rms): echo worth measuring
            continue
        ratio = power(heard[part]) / max(power(cleaned[part]), 1e-3)
        found.append((start / MIC_RATE, 10 * np.log10(ratio)))
    return found


def converged(measured: list[tuple[float, float]], *, target: float = 30.0, span: int = 5) -> float:
    """The time from which the ERLE stays at `target` dB: the median of every `span` windows on reaches it."""
    medians = [
        float(np.median([db for _, db in measured[index : index + span]]))
        for index in range(len(measured) - span + 1)
    ]
    settled = len(medians)
    while settled > 0 and medians[settled - 1] >= target:
        settled -= 1
    return measured[settled][0] if settled < len(medians) else float("inf")


def user_kept(room: Scene, out: bytes) -> float:
    """dB of the user's speech in `out` against the user alone, where the echo has died away."""
    cleaned = samples(out).astype(np.float64)
    end = room.user_from + int(np.nonzero(room.user[room.user_from :])[0][-1])
    part = slice(room.quiet_from, end)
    return float(10 * np.log10(power(cleaned[part]) / power(room.user[part])))


class StepClock:
    """A clock the simulation moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0
        """The time it reads."""

    def __call__(self) -> float:
        return self.now


async def play_through(room: Scene, canceller: EchoCanceller, clock: StepClock) -> bytes:
    """Play the scene through `canceller` as devices would: every 20 ms the sink pulls a far-end block,
    every 40 ms a microphone block arrives (the one just captured); returns the cleaned microphone."""
    far_block, mic_block = SPEAKER_RATE // 50 * 2, MIC_RATE // 25 * 2
    out = bytearray()
    for index in range(len(room.mic) // mic_block):
        for half in range(2):
            clock.now = index * 0.04 + half * 0.02
            start = (2 * index + half) * far_block
            canceller.render(padded(room.far[start : start + far_block], far_block // 2), SPEAKER_RATE)
        clock.now = (index + 1) * 0.04
        out += await canceller.capture(room.mic[index * mic_block : (index + 1) * mic_block], MIC_RATE)
    return bytes(out)
