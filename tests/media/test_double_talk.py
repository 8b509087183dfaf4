"""The double-talk detector: residual echo is turned down, the user talking over the model goes as heard;
and the echo path it bounds the echo with (its lag and gain, learned from frames of echo alone)."""

from __future__ import annotations

import numpy as np

from livetui.media.audio.echo_path import MIN_FRAMES, SLOT_SECONDS, EchoPath
from livetui.media.audio.residual import GAIN, HANGOVER_SECONDS, DoubleTalk, attenuated

LAG = 23
"""The room's delay in these tests, in 10 ms frames."""
ECHO_GAIN = 0.25
"""How loud the echo is against what is played (-6 dB)."""


class Room:
    """Far-end frames of changing loudness, whose echo comes `LAG` frames later at `ECHO_GAIN`."""

    def __init__(self) -> None:
        self.loudness = np.random.default_rng(1).uniform(1e5, 1e7, 4000)
        """The mean square of each far-end frame."""
        self.frame = 0
        """The next frame."""

    def step(self, listener: DoubleTalk | EchoPath) -> tuple[float, float]:
        """Play one far-end frame to `listener`; returns the time of the microphone frame heard with it
        and its echo."""
        at = self.frame * SLOT_SECONDS
        listener.far(at, float(self.loudness[self.frame]))
        echo = ECHO_GAIN * float(self.loudness[self.frame - LAG]) if self.frame >= LAG else 0.0
        self.frame += 1
        return at, echo


def learned(frames: int = MIN_FRAMES + LAG) -> tuple[DoubleTalk, Room]:
    """A detector that has heard `frames` frames of echo alone, the canceller removing 30 dB of each."""
    detector, room = DoubleTalk(), Room()
    for _ in range(frames):
        at, echo = room.step(detector)
        assert detector.choose(at, echo, echo / 1000) in ("cleaned", "residual")
    return detector, room


def test_the_path_is_learned_from_the_echo_alone() -> None:
    path = EchoPath()
    room = Room()
    for _ in range(MIN_FRAMES + LAG):
        at, echo = room.step(path)
        if echo:
            path.echo(at, echo)
    assert path.lag == LAG
    assert abs(path.gain - ECHO_GAIN) < 1e-9, "the loudest frame echoing now is the one that echoes"


def test_it_does_nothing_until_it_has_learned_the_room() -> None:
    detector, room = learned(MIN_FRAMES - 1)
    assert detector.path.lag is None
    at, echo = room.step(detector)
    assert detector.choose(at, echo, echo / 10) == "cleaned", "a burst, but the room is not known yet"


def test_a_burst_of_echo_the_canceller_let_through_is_turned_down() -> None:
    detector, room = learned()
    gated = detector.gated
    at, echo = room.step(detector)
    assert detector.choose(at, echo, echo / 10) == "residual", "only 10 dB removed"
    at, echo = room.step(detector)
    assert detector.choose(at, echo, echo / 1000) == "residual", "what is left of a well cancelled echo"
    at, echo = room.step(detector)
    assert detector.choose(at, echo, echo) == "residual", "where the canceller lost the room for a moment"
    at, echo = room.step(detector)
    bound = detector.path.gain * detector.path.envelope(at)
    assert detector.choose(at, 1.5 * bound, bound) == "cleaned", "louder than the echo can be, not yet 3 dB"
    assert detector.gated == gated + 3


def test_when_the_streams_delay_changes_it_learns_the_room_again() -> None:
    detector, room = learned()
    detector.path.forget()
    assert detector.path.lag is None and detector.path.gain == 0.0
    at, echo = room.step(detector)
    assert detector.choose(at, echo, echo) == "cleaned", "until it has learned the new delay"
    for _ in range(MIN_FRAMES):
        at, echo = room.step(detector)
        detector.choose(at, echo, echo / 1000)
    assert detector.path.lag == LAG


def test_the_user_louder_than_the_echo_is_sent_as_heard_and_the_sounds_between_are_not_turned_down() -> None:
    detector, room = learned()
    gain = detector.path.gain
    at, echo = room.step(detector)
    bound = gain * detector.path.envelope(at)
    assert detector.choose(at, 4 * bound, bound) == "cleaned", "one loud frame alone is not the user yet"
    at, echo = room.step(detector)
    bound = gain * detector.path.envelope(at)
    assert detector.choose(at, 4 * bound, bound / 25) == "heard", "however hard it was suppressed"
    assert detector.path.gain == gain, "the user's suppressed syllable taught it nothing about the echo"
    talked = at
    while at < talked + HANGOVER_SECONDS - SLOT_SECONDS:
        at, echo = room.step(detector)
    assert detector.choose(at, echo, echo / 1000) == "cleaned", "between the user's syllables"
    for _ in range(3):
        at, echo = room.step(detector)
    assert detector.choose(at, echo, echo / 1000) == "residual", "the user has stopped"
    assert detector.talked == 1


def test_nothing_is_touched_while_the_speaker_is_silent() -> None:
    detector, room = learned()
    at = room.frame * SLOT_SECONDS + 2.0  # the far end's last frame was two seconds ago
    assert not detector.path.playing(at)
    assert detector.choose(at, 1e6, 1e3) == "cleaned"


def test_an_attenuated_frame_is_40_db_down() -> None:
    frame = (np.ones(160) * 10000).astype(np.int16).tobytes()
    assert np.frombuffer(bytes(attenuated(frame)), dtype=np.int16).tolist() == [round(10000 * GAIN)] * 160
