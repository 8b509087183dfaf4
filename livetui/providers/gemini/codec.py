"""Encoding and decoding frames: text or binary, camelCase or snake_case in; camelCase out.

Decoding never raises anything but :class:`ProtocolError`, whose message is one line a user can read.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from livetui.live.limits import LimitError, bounded_json
from livetui.providers.gemini.client import (
    ClientContentMessage,
    ClientMessage,
    ContextUpdateMessage,
    RealtimeInputMessage,
    SetupMessage,
    ToolResponseMessage,
)
from livetui.providers.gemini.server import ServerMessage

MAX_FRAME_BYTES = 1 << 20
"""Frames larger than 1 MiB are refused, as Google's endpoint and the Python SDK do."""


class ProtocolError(ValueError):
    """A frame that cannot be understood. The message is one line, fit to show a user."""


_CLIENT_KINDS: dict[str, type[ClientMessage]] = {
    "setup": SetupMessage,
    "clientContent": ClientContentMessage,
    "client_content": ClientContentMessage,
    "realtimeInput": RealtimeInputMessage,
    "realtime_input": RealtimeInputMessage,
    "toolResponse": ToolResponseMessage,
    "tool_response": ToolResponseMessage,
    "contextUpdate": ContextUpdateMessage,
    "context_update": ContextUpdateMessage,
}

_SERVER_KEYS = frozenset(f.alias or name for name, f in ServerMessage.model_fields.items()) | frozenset(
    ServerMessage.model_fields
)


def encode(message: BaseModel) -> str:
    """Write a message as compact JSON with camelCase keys, omitting unset fields."""
    return message.model_dump_json(by_alias=True, exclude_none=True)


def load_json(frame: str | bytes) -> dict[str, Any]:
    """Parse a frame's JSON object (text or binary frame).

    The frame must stay within the bounds of :mod:`livetui.live.limits` (nesting, numbers, text).

    Raises:
        ProtocolError: the frame is not a JSON object within those bounds.
    """
    try:
        data = bounded_json(frame)
    except LimitError as error:
        raise ProtocolError(str(error)) from None
    if not isinstance(data, dict):
        raise ProtocolError(f"frame is a JSON {type(data).__name__}, not an object")
    return data


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


def decode_client(frame: str | bytes) -> ClientMessage:
    """Read one client message.

    Raises:
        ProtocolError: not JSON, not exactly one known top-level key, or fields of the wrong shape.
    """
    data = load_json(frame)
    if len(data) != 1:
        keys = ", ".join(sorted(data)) or "none"
        raise ProtocolError(f"a client message has exactly one top-level key, got: {keys}")
    key = next(iter(data))
    kind = _CLIENT_KINDS.get(key)
    if kind is None:
        raise ProtocolError(f"unknown message type {key!r}")
    try:
        return kind.model_validate(data)
    except ValidationError as error:
        raise ProtocolError(f"invalid {key}: {_first_error(error)}") from None


def decode_server(frame: str | bytes) -> ServerMessage:
    """Read one server message.

    Raises:
        ProtocolError: not JSON, no known top-level key, or fields of the wrong shape.
    """
    return server_message(load_json(frame))


def server_message(data: dict[str, Any]) -> ServerMessage:
    """A server message from a frame's JSON object already parsed (see `load_json`).

    Raises:
        ProtocolError: no known top-level key, or fields of the wrong shape.
    """
    if data and not _SERVER_KEYS.intersection(data):
        keys = ", ".join(sorted(data))
        raise ProtocolError(f"unknown message type {keys!r}")
    try:
        return ServerMessage.model_validate(data)
    except ValidationError as error:
        raise ProtocolError(f"invalid server message: {_first_error(error)}") from None
