"""On speakers, through the app and the local server: the echo is live, made from what the app plays.

Without echo cancellation the server hears the model's own words through the room and interrupts it;
with it the model talks on until the user speaks over it, and then the user's words are heard.
"""

from __future__ import annotations

import numpy as np
import pytest

from livetui.config import Settings
from livetui.media.audio.echo import EchoCanceller
from livetui.media.audio.pcm import MIC_RATE
from livetui.server.app import LiveServer
from livetui.session.connect import connect_to
from livetui.session.engine import LiveSession
from livetui.session.voice import Voice
from livetui.ui.app import LiveApp, make_app
from livetui.ui.widgets.entries import HeardEntry
from tests.media.echo_room import speech
from tests.voice.helpers import audible
from tests.voice.room import Room, RoomMic, RoomSpeaker
from tests.voice.test_app_voice import isolated_config, label, until

__all__ = ["isolated_config"]  # the autouse fixture: no user config, key or data directory

STORY_SECONDS = 3.0
"""How long the story plays, echoing, before the user could speak over it (without cancellation)."""
LEARNED_SECONDS = 8.0
"""How long the story plays before the user speaks over it: the canceller has learned the room by then."""


def room_app(server: LiveServer, room: Room, speaker: RoomSpeaker, *, cancel: bool) -> LiveApp:
    """The app on `server`, its speaker and microphone in `room` (with or without echo cancellation)."""

    def voice(session: LiveSession) -> Voice:
        echo = EchoCanceller() if cancel else None
        return Voice(session, source=RoomMic(room), sink=speaker, echo=echo)

    return make_app(Settings(), connect_to(server.url, Settings()), voice=voice)


@pytest.mark.timeout(90)
async def test_without_echo_cancellation_the_model_hears_itself_and_stops(voice_server: LiveServer) -> None:
    room = Room()
    speaker = RoomSpeaker(room)
    app = room_app(voice_server, room, speaker, cancel=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.session is not None and app.session.ready, "the session")
        await pilot.press(*"tell me a story", "enter")
        chat = app.main.chat
        await until(
            pilot, lambda: bool(chat.model_turns) and chat.model_turns[0].interrupted, "self-interruption"
        )
        assert audible(speaker) < STORY_SECONDS / 0.02, "it stopped itself before the user could speak"
        assert room.played > 0 and label(app, "#aec") == ""


@pytest.mark.timeout(90)
async def test_with_echo_cancellation_the_model_talks_on_until_the_user_speaks(
    voice_server: LiveServer,
) -> None:
    room = Room()
    speaker = RoomSpeaker(room)
    app = room_app(voice_server, room, speaker, cancel=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.session is not None and app.session.ready, "the session")
        await until(pilot, lambda: label(app, "#aec") == "aec", "echo cancellation to run")
        await pilot.press(*"tell me a story", "enter")
        chat = app.main.chat
        await until(pilot, lambda: label(app, "#mic") == "mic held", "the mic held while it learns")
        voice = app.voice
        assert voice is not None
        await until(pilot, lambda: not voice.learning, "the canceller to learn the room")
        assert label(app, "#mic").startswith("mic "), "the mic is sent again, over the model's speech"
        await until(pilot, lambda: audible(speaker) >= LEARNED_SECONDS / 0.02, "the story to echo a while")
        assert not chat.model_turns[0].interrupted, "the model did not hear itself"
        assert room.underruns == 0, "the room's delay held steady"
        assert not list(chat.query(HeardEntry)), "nothing of the echo was heard as speech"
        quiet = np.zeros(MIC_RATE // 4)
        room.say(np.concatenate([quiet, speech("stop talking please", MIC_RATE), quiet]))
        await until(pilot, lambda: chat.model_turns[0].interrupted, "the user's barge-in", timeout=20)
        await until(pilot, lambda: len(chat.model_turns) > 1 and chat.model_turns[1].complete, "the answer")
        assert [entry.text.strip() for entry in chat.query(HeardEntry)] == ["stop talking please"]
        assert chat.model_turns[1].transcript == "Okay."
