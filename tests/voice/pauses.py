"""Speech with a pause inside it: two pieces of real speech (espeak-ng) with exactly 300 ms of silence
between them, the length of a pause at a comma."""

from __future__ import annotations

import numpy as np

from tests.voice.conftest import Speech, pcm_of

PAUSE_SECONDS = 0.3
"""The pause inside the sentence."""


def voiced(pcm: bytes) -> bytes:
    """`pcm` without its leading and trailing near-silence."""
    samples = np.frombuffer(pcm, dtype=np.int16)
    loud = np.flatnonzero(np.abs(samples) > 200)
    return samples[loud[0] : loud[-1] + 1].tobytes()


def halves(speech: Speech, before: str, after: str, rate: int = 16000) -> tuple[bytes, bytes]:
    """`with_pause` cut where the speech resumes: half a second of silence, `before` and the pause; then
    `after` and a second of silence."""
    start = bytes(rate) + voiced(pcm_of(speech(before, rate=rate))) + bytes(int(PAUSE_SECONDS * rate) * 2)
    return start, voiced(pcm_of(speech(after, rate=rate))) + bytes(rate * 2)


def with_pause(speech: Speech, before: str, after: str, rate: int = 16000) -> bytes:
    """`before` and `after` spoken at `rate` Hz with `PAUSE_SECONDS` of silence between them, half a
    second of silence ahead and a second behind."""
    return b"".join(halves(speech, before, after, rate))
