"""The interrupt key tells the session how much of the reply was heard: the player's milliseconds of the
playing turn, taken before the flush (a provider that truncates keeps only those)."""

from __future__ import annotations

import pytest

from livetui import events as ev
from livetui.server.app import LiveServer
from tests.voice.helpers import audible, voiced


async def test_the_interrupt_key_passes_the_milliseconds_heard(
    voice_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with voiced(voice_server) as (voice, sink, recorder):
        heard: list[int | None] = []
        interrupt = voice.session.interrupt

        def spy(*, at: float | None = None, heard_ms: int | None = None) -> int | None:
            heard.append(heard_ms)
            return interrupt(at=at, heard_ms=heard_ms)

        monkeypatch.setattr(voice.session, "interrupt", spy)
        turn = voice.send_text("tell me a story")
        await sink.wait_for(lambda: audible(sink) >= 10)
        assert voice.interrupt() == turn
        played = voice.player.played_ms(turn)
        await recorder.first(ev.TurnComplete)
    [ms] = heard
    assert ms is not None and 200 <= ms <= played <= ms + 20, "what was heard, to the block"
