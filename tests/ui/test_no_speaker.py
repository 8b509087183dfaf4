"""A session with nothing to play speech on asks for written replies; a spoken reply becomes Markdown.

PortAudio is made unavailable as the PortAudio tests do it: a `sounddevice` on the path whose import fails
the way it does without the library.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from textual.message import Message

from livetui import events as ev
from livetui.config import Settings
from livetui.server.app import ServerConfig
from livetui.session.audio_io import voice_for
from livetui.session.connect import connect_to
from livetui.ui.app import make_app
from livetui.ui.widgets.entries import NoticeEntry
from livetui.ui.widgets.events_pane import EventsPane
from livetui.ui.widgets.streamed_text import StreamedText
from tests.conftest import ScriptWriter, ServerStarter
from tests.ui.waiting import send, until, until_live

TABLE = "| tool | use |\n|---|---|\n| tmux | e2e |\n| sox | audio |\n"
"""A reply that is a Markdown table."""


@pytest.fixture
def no_portaudio(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Importing sounddevice fails as it does without the PortAudio library (for this test only)."""
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sounddevice.py").write_text('raise OSError("PortAudio library not found")\n', encoding="utf-8")
    monkeypatch.syspath_prepend(str(shim))
    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)


@pytest.mark.usefixtures("no_portaudio")
async def test_without_portaudio_the_session_asks_for_text_and_a_table_renders_as_a_table(
    start_live_server: ServerStarter, write_script: ScriptWriter
) -> None:
    server = await start_live_server(
        ServerConfig(script=write_script({"rules": [{"match": "table", "reply": TABLE}]}))
    )
    settings = Settings()  # spoken replies, the default device speaker: none can be opened
    messages: list[Message] = []
    app = make_app(settings, connect_to(server.url, settings), voice=voice_for(settings))
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await until_live(pilot)
        [setup] = [f for f in app.main.query_one(EventsPane).frames if f.summary == "setup"]
        sent = json.loads(setup.text)["setup"]
        assert sent["generationConfig"]["responseModalities"] == ["TEXT"]
        assert "outputAudioTranscription" not in sent and "speechConfig" not in sent["generationConfig"]
        notices = [str(entry.render()) for entry in app.main.chat.query(NoticeEntry)]
        assert notices == [
            "no audio devices: the PortAudio library is not installed (on Debian/Ubuntu: libportaudio2): "
            "replies come as text"
        ], "one line, for the speaker and the microphone both"

        await send(pilot, "a table")
        chat = app.main.chat
        await until(pilot, lambda: (t := chat.turn(1)) is not None and t.complete, "the reply")
        turn = chat.turn(1)
        assert turn is not None and turn.text == TABLE and turn.transcript == ""
        assert len(turn.markdown.query("MarkdownTable")) == 1


async def test_a_spoken_replys_transcript_becomes_markdown_when_its_turn_completes(
    start_live_server: ServerStarter,
) -> None:
    server = await start_live_server()
    settings = Settings()
    app = make_app(settings, connect_to(server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        session = app.session
        assert session is not None
        chat = app.main.chat
        lines = TABLE.splitlines(keepends=True)
        for line in lines[:2]:
            app.main.deliver(ev.OutputTranscript(turn=3, text=line), app.runtime)
        await until(pilot, lambda: (t := chat.turn(3)) is not None and "| tool" in t.transcript, "speech")
        turn = chat.turn(3)
        assert turn is not None
        transcript = turn.query_one(StreamedText)
        await until(pilot, lambda: transcript.display and "|---|" in transcript.text, "plain text")
        assert not turn.markdown.query("MarkdownTable"), "no Markdown while it is spoken"

        for line in lines[2:]:
            app.main.deliver(ev.OutputTranscript(turn=3, text=line), app.runtime)
        app.main.deliver(ev.TurnComplete(turn=3), app.runtime)
        await until(pilot, lambda: turn.complete and bool(turn.markdown.query("MarkdownTable")), "a table")
        assert not transcript.display, "the Markdown takes the plain text's place"
        assert turn.transcript == TABLE and turn.text == ""
