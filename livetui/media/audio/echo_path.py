"""The room's echo path in the energy domain: how long after a far-end frame is played its echo is heard,
and how loud the echo can be against it. The double-talk detector (:mod:`livetui.media.audio.residual`)
bounds the echo with it.

Far-end frames come in with the time they were played and their mean square, in 10 ms slots; microphone
frames known to hold the echo alone (the canceller removed most of them) come in with the time they were
heard and theirs. Every :data:`RELEARN_FRAMES` such frames, the *lag* is the one, up to
:data:`MAX_LAG_SECONDS`, at which the microphone's loudness (in dB) follows the far end's most closely
(the delay of the direct path, whatever the devices' and the event loop's timing put between the two
streams' clocks), and the *gain* is the loudest echo-only frame against the far end's envelope there. The
envelope at a time is the loudest far-end frame from :data:`TAIL_SECONDS` before the lag to
:data:`SLACK_SECONDS` after it (the reverberation, and a frame either way).
"""

from __future__ import annotations

from collections import deque

import numpy as np

SLOT_SECONDS = 0.01
"""The resolution of the path: one 10 ms frame."""
MAX_LAG_SECONDS = 1.0
"""The longest delay looked for between playing and hearing."""
TAIL_SECONDS = 0.3
"""How long a sound goes on echoing after its direct path (the room's reverberation)."""
SLACK_SECONDS = 0.03
"""The envelope reaches this far past the lag (the lag is found to a frame or two)."""
HISTORY_SECONDS = 30.0
"""Far-end loudness kept, for relearning from the echo-only frames heard meanwhile."""
ECHO_FRAMES = 500
"""Echo-only frames (five seconds of them) the path is learned from, the most recent."""
MIN_FRAMES = 100
"""Echo-only frames heard before the path is first learned."""
RELEARN_FRAMES = 100
"""Echo-only frames between two relearnings."""
QUIET = 1e4
"""A far-end envelope below this mean square (-50 dBFS) is silence: nothing echoes."""

_SLOTS = round(MAX_LAG_SECONDS / SLOT_SECONDS)
_TAIL = round(TAIL_SECONDS / SLOT_SECONDS)
_SLACK = round(SLACK_SECONDS / SLOT_SECONDS)


def slot(at: float) -> int:
    """The 10 ms slot of a time (seconds)."""
    return round(at / SLOT_SECONDS)


class EchoPath:
    """The lag and gain of the room's echo, learned from the far end and echo-only microphone frames."""

    def __init__(self) -> None:
        self.lag: int | None = None
        """Slots from a far-end frame played to its echo's direct path heard (None: not learned yet)."""
        self.gain = 0.0
        """The loudest echo-only frame's mean square against the far end's envelope (0: not learned)."""
        self._far: dict[int, float] = {}
        self._latest = 0
        self._sounded = -(10**9)  # the last slot the far end was not silent in
        self._echo: deque[tuple[int, float]] = deque(maxlen=ECHO_FRAMES)
        self._new = 0

    def far(self, at: float, power: float) -> None:
        """One far-end frame played at `at`, of mean square `power`."""
        here = slot(at)
        self._far[here] = power
        if power >= QUIET:
            self._sounded = max(self._sounded, here)
        if here > self._latest + 1000:  # now and then, forget what is older than the history
            self._latest = here
            old = here - round(HISTORY_SECONDS / SLOT_SECONDS)
            self._far = {s: p for s, p in self._far.items() if s >= old}

    def forget(self) -> None:
        """The delay between the streams changed: learn the lag and gain afresh from what comes next."""
        self.lag, self.gain = None, 0.0
        self._echo.clear()
        self._new = 0

    def playing(self, at: float) -> bool:
        """The far end played something, in the time its echo could still be heard at `at`."""
        return slot(at) - self._sounded <= _SLOTS + _TAIL

    def envelope(self, at: float) -> float:
        """The loudest far-end frame that can be echoing at `at` (0 before the lag is learned)."""
        if self.lag is None:
            return 0.0
        here = slot(at) - self.lag
        far = self._far
        return max(far.get(s, 0.0) for s in range(here - _TAIL, here + _SLACK + 1))

    def echo(self, at: float, heard: float) -> None:
        """A microphone frame heard at `at` that held the echo alone, of mean square `heard`."""
        self._echo.append((slot(at), heard))
        self._new += 1
        if len(self._echo) >= MIN_FRAMES and (self.lag is None or self._new >= RELEARN_FRAMES):
            self._learn()

    def _learn(self) -> None:
        self._new = 0
        heard_at = np.array([s for s, _ in self._echo])
        heard = np.array([h for _, h in self._echo])
        base = int(heard_at.min()) - _SLOTS - _TAIL
        span = np.zeros(int(heard_at.max()) - base + _SLACK + 1)
        for s, power in self._far.items():
            if 0 <= s - base < len(span):
                span[s - base] = power
        lags = np.arange(_SLOTS + 1)
        played = np.log10(span[heard_at[np.newaxis, :] - base - lags[:, np.newaxis]] + 1.0)
        loudness = np.log10(heard + 1.0)
        played -= played.mean(axis=1, keepdims=True)
        centred = loudness - loudness.mean()
        spread = np.sqrt((played**2).sum(axis=1) * float((centred**2).sum())) + 1e-9
        lag = int(np.argmax(played @ centred / spread))
        envelope = np.zeros(len(heard))
        for back in range(-_SLACK, _TAIL + 1):
            envelope = np.maximum(envelope, span[heard_at - base - lag - back])
        echoing = envelope >= QUIET
        if echoing.any():
            self.lag = lag
            self.gain = float(np.max(heard[echoing] / envelope[echoing]))
