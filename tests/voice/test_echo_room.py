"""On speakers, through the app and the local server: the echo is live, made from what the app plays.

Without echo cancellation the server hears the model's own words through the room and interrupts it;
with it the model talks on until the user speaks over it, and then the user's words are heard (said once
more if they were not made out the first time, as a person would).
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
REPEAT_AFTER = 20.0
"""How long the user waits for an answer before saying the words once more. On a loaded machine about one
barge-in in thirty is heard as a barge-in but its words are not made out over the model's voice."""


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


@pytest.mark.timeout(150)
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
        words = np.concatenate([quiet, speech("stop talking please", MIC_RATE), quiet])
        room.say(words)
        await until(pilot, lambda: chat.model_turns[0].interrupted, "the user's barge-in", timeout=20)

        def answered() -> bool:
            return any(turn.complete for turn in chat.model_turns[1:])

        try:
            await until(pilot, answered, "the answer", timeout=REPEAT_AFTER)
        except AssertionError:  # not understood over the model's voice: said once more, as a person would
            room.say(words)
            await until(pilot, answered, "the answer to the words said again")
        heard = [entry.text.strip() for entry in chat.query(HeardEntry)]
        assert heard[-1] == "stop talking please" and len(heard) <= 2, heard
        assert chat.model_turns[-1].transcript == "Okay."
        assert not any(turn.interrupted for turn in chat.model_turns[1:]), "the answer was not cut"
