"""A typed message longer than one frame: several frames under the limit, one turn, nothing cut."""

from __future__ import annotations

import pytest

from livetui import events as ev
from livetui.providers.gemini.client import (
    ClientContentMessage,
    GenerationConfig,
    RealtimeInputMessage,
    Setup,
)
from livetui.providers.gemini.codec import MAX_FRAME_BYTES, decode_client
from livetui.providers.gemini.session import GeminiSession

SETUP = Setup(model="models/m", generation_config=GenerationConfig(response_modalities=("TEXT",)))
"""A text session's setup."""
LONG = "".join(f"ligne {index} — déjà vu, 日本語\n" for index in range(60_000))
"""Some 2.4 MB of text, much of it outside ASCII."""


def sent_after_setup(session: GeminiSession) -> list[str]:
    """The frames queued after `setup`."""
    session.start()
    session.data_to_send()
    session.send_text(LONG, at=0.0)
    return session.data_to_send()


def test_a_long_message_goes_as_several_client_content_frames_completing_one_turn() -> None:
    session = GeminiSession(setup=SETUP)
    frames = sent_after_setup(session)
    assert len(frames) > 2 and all(len(frame.encode()) <= MAX_FRAME_BYTES for frame in frames)
    messages = [decode_client(frame) for frame in frames]
    assert all(isinstance(message, ClientContentMessage) for message in messages)
    contents = [m.client_content for m in messages if isinstance(m, ClientContentMessage)]
    assert [content.turn_complete for content in contents] == [False] * (len(contents) - 1) + [True]
    texts = [part.text or "" for content in contents for turn in content.turns or () for part in turn.parts]
    assert "".join(texts) == LONG
    user = [event for event in session.events_received() if isinstance(event, ev.UserText)]
    assert [event.text for event in user] == [LONG], "one user turn"


@pytest.mark.parametrize("short", ["hi", "two\nlines"])
def test_a_short_message_is_one_frame(short: str) -> None:
    session = GeminiSession(setup=SETUP, text_route="realtime_input")
    session.start()
    session.data_to_send()
    session.send_text(short, at=0.0)
    [frame] = session.data_to_send()
    message = decode_client(frame)
    assert isinstance(message, RealtimeInputMessage) and message.realtime_input.text == short
