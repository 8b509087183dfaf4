"""New instructions mid-session go to OpenAI as a ``session.update`` naming only them."""

from __future__ import annotations

import json

from livetui.live.config import SessionConfig
from livetui.providers.openai.provider import OpenAIProvider


def test_new_instructions_are_a_session_update_of_the_instructions_alone() -> None:
    codec = OpenAIProvider().codec(SessionConfig(model="gpt-realtime"))
    codec.update_instructions("Answer in French.")
    [frame] = codec.data_to_send()
    assert json.loads(frame) == {
        "type": "session.update",
        "session": {"type": "realtime", "instructions": "Answer in French."},
    }
