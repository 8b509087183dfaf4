"""What the status bar says about the microphone and the model's voice (pure text, no widgets).

The microphone segment shows a level meter while the microphone is sent, or why it is not: muted, waiting
for the talk key (push-to-talk), held back while the model speaks (half-duplex), or absent. The voice
segment shows when the model is speaking, and the processing segment says ``aec`` while the speaker's
echo is cancelled from the microphone.
"""

from __future__ import annotations

from livetui import events as ev

METER_CELLS = 6
"""Width of the level meter, in cells."""
METER_STEPS = " ▏▎▍▌▋▊▉█"
"""Partial blocks, from empty to a full cell, for an eighth-of-a-cell resolution."""


def meter(level: float, cells: int = METER_CELLS) -> str:
    """A horizontal bar `cells` wide, filled in proportion to `level` (0 to 1)."""
    eighths = round(max(0.0, min(1.0, level)) * cells * 8)
    full, rest = divmod(eighths, 8)
    bar = "█" * full + (METER_STEPS[rest] if rest and full < cells else "")
    return bar.ljust(cells, "·")


def mic_status(state: ev.AudioState, level: float) -> str:
    """The microphone segment: ``mic ███▌··``, ``mic muted``, ``F5 to talk``, ``mic held``..."""
    if not state.mic:
        return "no mic"
    if state.muted:
        return "mic muted"
    if state.gated:
        return "mic held"
    if state.push_to_talk and not state.talking:
        return "mic off: talk key"
    label = "talking" if state.push_to_talk else "mic"
    return f"{label} {meter(level)}"


def voice_status(state: ev.AudioState) -> str:
    """The voice segment: ``◉ speaking`` while the model's speech plays, else "" (or ``no speaker``)."""
    if not state.speaker:
        return "no speaker"
    return "◉ speaking" if state.speaking else ""


def processing_status(state: ev.AudioState) -> str:
    """The microphone's processing: ``aec`` while echo cancellation runs (``aec ns`` with noise
    suppression, ``ns`` alone), else ""."""
    if not state.mic:
        return ""
    return " ".join(name for name, on in (("aec", state.echo_cancel), ("ns", state.noise_suppression)) if on)


def mic_classes(state: ev.AudioState) -> dict[str, bool]:
    """CSS classes of the microphone segment, for its colour."""
    return {
        "-muted": state.muted or not state.mic,
        "-talking": state.push_to_talk and state.talking and not state.muted,
        "-gated": state.gated,
    }
