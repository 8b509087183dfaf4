"""Echo cancellation that cannot run, or fails mid-session: the session goes on, half-duplex, one line."""

from __future__ import annotations

import sys

import pytest

from livetui import events as ev
from livetui.media.audio.echo import EchoCanceller
from livetui.media.audio.source import FakeSource, FileSource
from livetui.server.app import LiveServer
from tests.voice.conftest import Speech
from tests.voice.helpers import voiced


class Broken:
    """A processor that takes the far end but raises on the microphone, as a failing native module would."""

    def render(self, frame: bytes, rate: int) -> None:
        """Take the frame."""

    def capture(self, frame: bytearray, rate: int, delay_ms: int) -> None:
        """Fail."""
        raise RuntimeError("the processing module stopped")


def notices(recorder_events: list[ev.AnyEvent]) -> list[str]:
    """The notices said so far."""
    return [event.message for event in recorder_events if isinstance(event, ev.Notice)]


async def test_without_the_package_the_voice_goes_half_duplex(
    voice_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "livekit", None)
    async with voiced(voice_server, FakeSource(), echo=EchoCanceller()) as (voice, sink, recorder):
        await recorder.wait_for(lambda: voice.mic_open and voice.sink_open)
        [line] = [n for n in notices(recorder.events) if "echo" in n]
        assert line.startswith("echo cancellation needs the livekit package")
        assert line.endswith("half-duplex instead (the microphone is held while the model speaks)")
        assert "\n" not in line
        assert voice.half_duplex and voice.echo is None
        state = voice.state()
        assert state.half_duplex and not state.echo_cancel
        voice.send_text("tell me a story")
        await recorder.wait_for(lambda: voice.gated)
        assert voice.state().gated, "the microphone is held while the model speaks"


async def test_processing_that_raises_falls_back_and_the_question_is_still_heard(
    voice_server: LiveServer, speech: Speech
) -> None:
    source = FileSource(speech("what is the weather like today"))
    echo = EchoCanceller(load=lambda cancel, noise: Broken())
    async with voiced(voice_server, source, echo=echo) as (voice, sink, recorder):
        question = "what is the weather like today"
        await recorder.first(ev.LatencyMark, lambda e: e.mark == "t1")  # the reply began: all was heard
        assert "".join(e.text for e in recorder.of(ev.InputTranscript)) == question  # append-only chunks
        [line] = [n for n in notices(recorder.events) if "echo" in n]
        assert line == (
            "echo cancellation failed (RuntimeError: the processing module stopped): "
            "half-duplex instead (the microphone is held while the model speaks)"
        )
        assert voice.half_duplex and voice.echo is None and voice.blocks_sent > 0
