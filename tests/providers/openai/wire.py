"""Helpers for the OpenAI codec's tests: server events as frames, a codec past ``session.updated``, and
what it sent, parsed."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from typing import Any, TypeVar

from livetui import events as ev
from livetui.live.codec import Exchange
from livetui.live.config import SessionConfig
from livetui.providers.openai.codec import OpenAICodec

CONFIG = SessionConfig(model="gpt-realtime")
"""An audio session under server VAD."""

E = TypeVar("E", bound=ev.Event)


def frame(kind: str, **fields: Any) -> str:
    """A server event of type `kind` as a text frame (with an event id, as servers send)."""
    return json.dumps({"type": kind, "event_id": f"event_{kind}", **fields})


def audio_delta(pcm: bytes, *, item_id: str = "item_a", kind: str = "response.output_audio.delta") -> str:
    """A piece of the reply's audio."""
    return frame(
        kind, response_id="resp_1", item_id=item_id, content_index=0, delta=base64.b64encode(pcm).decode()
    )


def live_codec(
    config: SessionConfig = CONFIG, *, history: Sequence[Exchange] = (), first_turn: int = 1
) -> OpenAICodec:
    """A codec whose session the server accepted; what it sent and emitted so far is drained."""
    codec = OpenAICodec(config, history=history, first_turn=first_turn)
    codec.start()
    codec.receive(frame("session.created", session={"id": "sess_1", "object": "realtime.session"}), at=0.0)
    codec.receive(frame("session.updated", session={"id": "sess_1"}), at=0.0)
    codec.data_to_send()
    codec.events_received()
    return codec


def sent(codec: OpenAICodec) -> list[dict[str, Any]]:
    """The client events queued since the last call, parsed."""
    return [json.loads(f) for f in codec.data_to_send()]


def types(events: Sequence[dict[str, Any]]) -> list[str]:
    """The types of client events."""
    return [e["type"] for e in events]


def of(kind: type[E], events: Sequence[ev.Event]) -> list[E]:
    """The events of one kind, in order."""
    return [e for e in events if isinstance(e, kind)]


def domain(codec: OpenAICodec) -> list[ev.AnyEvent]:
    """The events emitted since the last call, without wire frames and latency marks."""
    return [e for e in codec.events_received() if not isinstance(e, ev.WireFrame | ev.LatencyMark)]


def reply(codec: OpenAICodec, *, text: str = "hi", at: float = 1.0, status: str = "completed") -> None:
    """The server's whole text reply to the oldest open turn."""
    codec.receive(frame("response.created", response={"id": "resp_1", "status": "in_progress"}), at=at)
    codec.receive(
        frame("response.output_text.delta", response_id="resp_1", item_id="item_t", delta=text), at=at
    )
    codec.receive(frame("response.done", response={"id": "resp_1", "status": status}), at=at)


def tool_call_reply(codec: OpenAICodec, *, call_id: str = "call_1", arguments: str = "{}") -> None:
    """The server's reply that calls the function ``add`` and ends, waiting for the answer."""
    codec.receive(frame("response.created", response={"id": "resp_1"}), at=1.1)
    codec.receive(
        frame(
            "response.function_call_arguments.done",
            response_id="resp_1",
            item_id="item_f",
            call_id=call_id,
            name="add",
            arguments=arguments,
        ),
        at=1.2,
    )
    codec.receive(frame("response.done", response={"id": "resp_1", "status": "completed"}), at=1.3)


def spoken_reply(codec: OpenAICodec, *millis: int, done: bool = False) -> int:
    """A typed turn answered with speech: items ``item_a``, ``item_b``… of `millis` ms each (48 bytes a
    ms), the reply over when `done`. Returns the turn; what was sent so far is drained."""
    turn = codec.send_text("talk", at=1.0)
    codec.receive(frame("response.created", response={"id": "resp_1"}), at=1.1)
    for index, ms in enumerate(millis):
        codec.receive(audio_delta(bytes(48 * ms), item_id=f"item_{'abcdefgh'[index]}"), at=1.2)
    if done:
        codec.receive(frame("response.done", response={"id": "resp_1", "status": "completed"}), at=1.3)
    codec.data_to_send()
    return turn
