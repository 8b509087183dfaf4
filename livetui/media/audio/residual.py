"""A double-talk detector after the echo canceller: residual echo is not sent, the user talking over the
model is sent as heard.

WebRTC's canceller removes 30-40 dB of the echo most of the time, but two things it does on its own hurt
a live session. Now and then, for a few hundred milliseconds, it lets a burst of echo through only about
10 dB down: quiet, but still speech, and a server listening for the user hears it as the user starting to
speak (the model stops itself). And while the user talks over the model it suppresses the start of what
they say (its first syllables come out 20 dB down, or in pieces), so the server hears them late or not at
all, and recognises the rest as something else.

The detector works in the energy domain, in the manner of Geigel's: while the speaker plays, the loudest
the echo can be at the microphone now (the *bound*) is the room's echo gain times the loudest far-end
frame that can be echoing now, both learned by :class:`~livetui.media.audio.echo_path.EchoPath`. Then,
for each frame:

- **the user talks** when the microphone hears :data:`NEAR_DB` more than the bound for
  :data:`NEAR_FRAMES` frames in a row: such frames are sent as heard (the user's voice over an echo at
  least that much quieter, which the canceller would have cut into), and, until
  :data:`HANGOVER_SECONDS` after the last of them, the quieter frames between are sent as the canceller
  left them;
- otherwise, a frame the microphone heard no louder than the bound, or cleaned to :data:`RESIDUAL_DB`
  below it, holds nothing but what the canceller left of the echo (a burst it let through only 10 dB
  down, or where it lost the room for a moment): it is turned down by :data:`ATTENUATION_DB`;
- anything else (the far end silent, or the path not learned yet) is sent as the canceller left it.

The path is learned from frames the canceller removed at least :data:`LEARN_DB` from (the echo alone),
except those of the user talking (the canceller suppresses their first syllable just as hard).
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from livetui.media.audio.echo_path import EchoPath

NEAR_DB = 3.0
"""The microphone hears this much more than the loudest echo possible: the user is talking."""
NEAR_FRAMES = 2
"""Frames (10 ms) in a row that must be that loud (one alone may be a click)."""
HANGOVER_SECONDS = 0.4
"""The microphone is sent as heard this long after the user was last heard louder than the echo (the
quieter sounds between their syllables)."""
RESIDUAL_DB = 20.0
"""A cleaned frame this far below the loudest echo possible now is residual echo."""
ATTENUATION_DB = 40.0
"""How much a frame of residual echo is turned down: below the noise of a quiet room."""
LEARN_DB = 20.0
"""A frame the canceller removed this much from is echo alone: it teaches the echo path."""

GAIN = 10 ** (-ATTENUATION_DB / 20)
"""The amplitude factor of an attenuated frame."""

Choice = Literal["cleaned", "heard", "residual"]
"""What to send of a microphone frame: the canceller's output, the frame as heard (the user talks over
the model), or the canceller's output turned down (residual echo)."""


class DoubleTalk:
    """Decides, frame by frame, what to send of the microphone while the speaker plays."""

    def __init__(self) -> None:
        self.gated = 0
        """Microphone frames turned down as residual echo so far."""
        self.talked = 0
        """Microphone frames sent as heard (the user talking over the model) so far."""
        self.path = EchoPath()
        """The room's echo path, learned from the frames that held the echo alone."""
        self._loud = 0
        self._talking_until = -1.0

    def far(self, at: float, power: float) -> None:
        """One far-end frame played at `at` (seconds), of mean square `power`."""
        self.path.far(at, power)

    def choose(self, at: float, heard: float, left: float) -> Choice:
        """What to send of the microphone frame captured at `at`: `heard` is its mean square before the
        canceller, `left` after."""
        path = self.path
        if not path.playing(at):
            self._loud = 0
            return "cleaned"
        bound = path.gain * path.envelope(at)  # the loudest the echo can be at the microphone now
        loud = heard > bound * 10 ** (NEAR_DB / 10)
        talking = loud or at <= self._talking_until
        if heard >= left * 10 ** (LEARN_DB / 10) and not (path.gain and talking):
            path.echo(at, heard)  # the user's first syllable, suppressed as hard, is not echo
        if not bound:
            return "cleaned"
        self._loud = self._loud + 1 if loud else 0
        if self._loud >= NEAR_FRAMES or (loud and at <= self._talking_until):
            self._talking_until = at + HANGOVER_SECONDS
            self.talked += 1
            return "heard"
        if at <= self._talking_until:
            return "cleaned"
        if heard <= bound or left < bound * 10 ** (-RESIDUAL_DB / 10):
            self.gated += 1
            return "residual"
        return "cleaned"


def attenuated(frame: bytes | bytearray) -> bytearray:
    """A PCM16 frame of residual echo, turned down by `ATTENUATION_DB`."""
    values = np.frombuffer(bytes(frame), dtype=np.int16).astype(np.float64) * GAIN
    return bytearray(np.round(values).astype(np.int16).tobytes())
