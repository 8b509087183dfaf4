"""The client events livetui sends to an OpenAI Realtime server, and the conversation items they carry.

Models we send forbid unknown fields (a typo is a bug here, not on the server). `encode` writes compact
JSON and leaves out unset optional fields; a field that must go as ``null`` (``turn_detection`` under
push-to-talk) is written by the session's own dict (`livetui.providers.openai.session_update`).
"""

from __future__ import annotations

import base64
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class ClientModel(BaseModel):
    """Base of everything livetui sends."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class InputText(ClientModel):
    """Text the user typed (or said, in a replayed conversation)."""

    type: Literal["input_text"] = "input_text"
    text: str


class InputImage(ClientModel):
    """A picture for the model: a camera frame as a ``data:`` URL."""

    type: Literal["input_image"] = "input_image"
    image_url: str
    """``data:image/jpeg;base64,...``."""
    detail: Literal["auto", "low", "high"] = "auto"


class OutputText(ClientModel):
    """Text the model said (in a replayed conversation)."""

    type: Literal["output_text"] = "output_text"
    text: str


ContentPart = InputText | InputImage | OutputText
"""One part of a message's content."""


class MessageItem(ClientModel):
    """A message of the conversation: the user's or the model's."""

    type: Literal["message"] = "message"
    role: Literal["user", "assistant", "system"]
    content: tuple[ContentPart, ...]


class FunctionCallOutputItem(ClientModel):
    """The answer to one function call."""

    type: Literal["function_call_output"] = "function_call_output"
    call_id: str
    output: str
    """The result, as a string (livetui sends JSON)."""


Item = MessageItem | FunctionCallOutputItem
"""A conversation item livetui creates."""


class SessionUpdate(ClientModel):
    """``session.update``: the session's configuration (see `session_update`)."""

    type: Literal["session.update"] = "session.update"
    session: dict[str, Any]


class ItemCreate(ClientModel):
    """``conversation.item.create``: add an item to the conversation."""

    type: Literal["conversation.item.create"] = "conversation.item.create"
    item: Item


class ItemTruncate(ClientModel):
    """``conversation.item.truncate``: cut the model's audio item where the user stopped hearing it."""

    type: Literal["conversation.item.truncate"] = "conversation.item.truncate"
    item_id: str
    content_index: int = 0
    audio_end_ms: int
    """Milliseconds of the item's audio kept (inclusive)."""


class AudioCommit(ClientModel):
    """``input_audio_buffer.commit``: the user's audio so far is one turn (push-to-talk)."""

    type: Literal["input_audio_buffer.commit"] = "input_audio_buffer.commit"


class ResponseCreate(ClientModel):
    """``response.create``: ask the model to reply now."""

    type: Literal["response.create"] = "response.create"


class ResponseCancel(ClientModel):
    """``response.cancel``: stop the reply in progress."""

    type: Literal["response.cancel"] = "response.cancel"


ClientEvent = SessionUpdate | ItemCreate | ItemTruncate | AudioCommit | ResponseCreate | ResponseCancel
"""Every client event livetui sends as a model (audio goes by `audio_append`, built without one)."""


def encode(event: ClientEvent) -> str:
    """Write a client event as compact JSON, leaving out unset optional fields."""
    return event.model_dump_json(exclude_none=True)


def audio_append(pcm: bytes) -> str:
    """The ``input_audio_buffer.append`` frame of one microphone block, written without a model (it is the
    most frequent frame: one string format, no validation)."""
    audio = base64.b64encode(pcm).decode("ascii")
    return f'{{"type":"input_audio_buffer.append","audio":"{audio}"}}'


def image_url(jpeg: bytes) -> str:
    """A JPEG as the ``data:`` URL an `InputImage` carries."""
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")
