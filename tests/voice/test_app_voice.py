"""The app with a voice (Pilot): spoken turns in the chat log, Esc silences at once, push-to-talk, mute."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Label

from livetui.config import AudioSettings, LocalSettings, Settings
from livetui.media.audio.pcm import is_silent
from livetui.media.audio.sink import FakeSink
from livetui.media.audio.source import AudioSource, FakeSource, FileSource
from livetui.providers.registry import provider
from livetui.server.app import LiveServer
from livetui.session.connect import connect_to
from livetui.session.engine import LiveSession
from livetui.session.voice import Voice
from livetui.ui.app import LiveApp, make_app
from livetui.ui.screens.devices import DevicesScreen
from livetui.ui.widgets.entries import HeardEntry
from livetui.ui.widgets.latency_pane import LatencyPane
from tests.conftest import Dialect, both_dialects
from tests.voice.conftest import Speech, pcm_of
from tests.voice.helpers import audible

WEATHER = "It is sunny and warm today. Expect a light breeze this afternoon."
"""The test script's reply to the weather question."""


@pytest.fixture(autouse=True)
def isolated_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No user config file, key or data directory."""
    monkeypatch.setenv("LIVETUI_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("LIVETUI_DATA_DIR", str(tmp_path / "data"))
    for name in ("GEMINI_API_KEY", "GOOGLE_API_KEY", "LIVETUI_API_KEY", "LIVETUI_PROVIDER"):
        monkeypatch.delenv(name, raising=False)


async def until(pilot: Pilot[Any], condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    """Let the app run until `condition()` holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause()


def voiced_app(server: LiveServer, settings: Settings, source: AudioSource | None, sink: FakeSink) -> LiveApp:
    """The app connected to `server`, its voice using `source` and `sink`."""

    def voice(session: LiveSession) -> Voice:
        return Voice(
            session,
            source=source,
            sink=sink,
            push_to_talk=settings.audio.push_to_talk,
            half_duplex=settings.audio.half_duplex,
        )

    return make_app(settings, connect_to(server.url, settings), voice=voice)


def label(app: LiveApp, selector: str) -> str:
    """The text of a status-bar label."""
    return str(app.main.status.query_one(selector, Label).render())


def spoken(dialect: Dialect) -> Settings:
    """Default settings (a spoken conversation), speaking `dialect` to the local server."""
    return Settings(local=LocalSettings(dialect=dialect))


@both_dialects
async def test_a_spoken_question_and_its_spoken_answer_appear_in_the_chat_log(
    voice_server: LiveServer, speech: Speech, dialect: Dialect
) -> None:
    sink = FakeSink()
    rate = provider(dialect).capabilities.audio_in_rate  # as the app makes it: at the provider's rate
    source = FileSource(speech("what is the weather like today"), rate=rate)
    app = voiced_app(voice_server, spoken(dialect), source, sink)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: label(app, "#mic").startswith("mic "), "the microphone meter")
        chat = app.main.chat
        # Looked for while the reply plays, not after two seconds of it: a loop stalled on a loaded machine
        # plays the blocks that fell due at once, and the reply may have ended by then.
        await until(pilot, lambda: "◉ speaking" in label(app, "#voice"), "the speaking status")
        await until(pilot, lambda: bool(chat.model_turns) and chat.model_turns[0].complete, "the reply")
        await until(pilot, lambda: sink.flushes == 0 and audible(sink) > 100, "the reply to be heard")
        heard = list(chat.query(HeardEntry))
        assert [entry.text.strip() for entry in heard] == ["what is the weather like today"]
        assert chat.model_turns[0].transcript == WEATHER
        assert app.session is not None
        marks = app.session.latency.turn(chat.model_turns[0].turn)
        assert marks is not None and "t3" in marks.marks
        await until(
            pilot,
            lambda: app.main.query_one("#latency", LatencyPane).cell("first audio", "turn") != "—",
            "t3",
        )


@both_dialects
async def test_the_interrupt_key_silences_playback_before_the_next_sample(
    voice_server: LiveServer, dialect: Dialect
) -> None:
    sink = FakeSink()
    app = voiced_app(voice_server, spoken(dialect), None, sink)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.session is not None and app.session.ready, "the session")
        await pilot.press(*"tell me a story", "enter")
        await until(pilot, lambda: audible(sink) >= 10, "the story to be heard")
        await pilot.press("escape")
        assert sink.flushes >= 1 and app.session is not None
        chat = app.main.chat
        await until(pilot, lambda: chat.model_turns[0].complete, "the server to close the turn")
        flushed_at = len(sink.log)
        await until(pilot, lambda: len(sink.log) >= flushed_at + 25, "half a second of playback")
        after = [block for block in sink.log if block.flushes >= 1]
        assert after and all(is_silent(block.pcm) for block in after), "not one sample after the key"
        assert chat.model_turns[0].interrupted
        marks = app.session.latency.turn(chat.model_turns[0].turn)
        assert marks is not None
        assert marks.marks["k0"] <= marks.marks["k1"] < marks.marks["k2"], "silent before the server knew"
        silence = app.main.query_one("#latency", LatencyPane).cell("silence", "turn")
        assert silence.endswith("ms")


async def test_push_to_talk_with_the_talk_key_and_space(voice_server: LiveServer, speech: Speech) -> None:
    mic, sink = FakeSource(), FakeSink()
    app = voiced_app(voice_server, Settings(audio=AudioSettings(push_to_talk=True)), mic, sink)
    async with app.run_test(size=(120, 40)) as pilot:
        voice = await wait_for_voice(pilot, app)
        await until(pilot, lambda: label(app, "#mic") == "mic off: talk key", "push-to-talk to wait")
        await pilot.press("f5")
        assert voice.talking and label(app, "#mic").startswith("talking")
        words = pcm_of(speech("what is the weather like today", before=0.2, after=0.2))
        mic.push(words)
        await until(pilot, lambda: voice.blocks_sent >= len(words) // 1280, "the words to be sent")
        await pilot.press("space")  # the message box is empty: Space is the talk key
        assert not voice.talking and app.main.composer.text == ""
        chat = app.main.chat
        await until(pilot, lambda: bool(chat.model_turns) and chat.model_turns[0].complete, "the reply")
        assert [e.text.strip() for e in chat.query(HeardEntry)] == ["what is the weather like today"]
        assert chat.model_turns[0].transcript == WEATHER
        await pilot.press("a", "space", "b")  # with text in the box, Space is a space
        assert app.main.composer.text == "a b" and not voice.talking


async def test_the_mute_key_and_the_device_picker(voice_server: LiveServer) -> None:
    mic, sink = FakeSource(), FakeSink()
    app = voiced_app(voice_server, Settings(), mic, sink)
    async with app.run_test(size=(120, 40)) as pilot:
        voice = await wait_for_voice(pilot, app)
        await pilot.press("f4")
        assert voice.muted
        await until(pilot, lambda: label(app, "#mic") == "mic muted", "the muted microphone")
        await pilot.press("f4")
        await until(pilot, lambda: label(app, "#mic").startswith("mic "), "the unmuted microphone")
        await pilot.press("f8")
        await until(pilot, lambda: isinstance(app.screen, DevicesScreen), "the device picker")
        note = app.screen.query_one("#devices-note", Label)
        await until(pilot, lambda: "listing" not in str(note.render()), "the devices to be listed")
        await pilot.press("escape")
        assert app.screen is app.main and voice.mic_open, "closing the picker changes nothing"


async def wait_for_voice(pilot: Pilot[Any], app: LiveApp) -> Voice:
    """The app's voice, once the session is live and the microphone open."""

    def ready() -> bool:
        return app.session is not None and app.session.ready and app.voice is not None and app.voice.mic_open

    await until(pilot, ready, "the session and its microphone")
    assert app.voice is not None
    return app.voice
