"""The app shows what the user said rightly whichever way the model sends it: 2.5-class models in
append-only chunks never marked finished, 3.1-class models once, finished."""

from __future__ import annotations

import pytest

from livetui.config import GeminiSettings, Settings
from livetui.media.audio.sink import FakeSink
from livetui.media.audio.source import FileSource
from livetui.server.app import LiveServer
from livetui.ui.widgets.entries import HeardEntry
from tests.voice.conftest import Speech
from tests.voice.test_app_voice import isolated_config, until, voiced_app

__all__ = ["isolated_config"]  # the autouse fixture, used here too


@pytest.mark.parametrize("model", ["gemini-live-2.5-flash-preview", "gemini-3.1-flash-live-preview"])
async def test_the_utterance_is_shown_once_and_whole(
    voice_server: LiveServer, speech: Speech, model: str
) -> None:
    settings = Settings(gemini=GeminiSettings(model=model))
    app = voiced_app(voice_server, settings, FileSource(speech("what is the weather like today")), FakeSink())
    async with app.run_test(size=(120, 40)) as pilot:
        chat = app.main.chat
        await until(pilot, lambda: bool(chat.model_turns) and chat.model_turns[0].complete, "the reply")
        assert [entry.text.strip() for entry in chat.query(HeardEntry)] == ["what is the weather like today"]
