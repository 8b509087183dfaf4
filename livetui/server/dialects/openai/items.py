"""What a ``conversation.item.create`` gives the conversation: user words, camera images, function outputs.

A user (or system, or assistant) message's ``input_text``/``output_text`` parts, and the transcripts of
its ``input_audio``/``output_audio`` parts (a client replaying a conversation), become a turn; its
``input_image`` parts (``data:`` URIs of JPEG or PNG) go to the vision sense; a ``function_call_output``
answers a call. What is malformed is refused (`ClientError`).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from livetui.live.limits import LimitError, bounded_json
from livetui.live.tools import ToolAnswer
from livetui.server.dialects.openai.wire import ClientError, Event, new_id

TEXT_PARTS = ("input_text", "output_text", "text")
"""The content parts that carry words."""
AUDIO_PARTS = ("input_audio", "output_audio")
"""The content parts that carry speech: their ``transcript`` is their words (a replayed spoken turn)."""
IMAGE_TYPES = ("image/jpeg", "image/png")
"""The image types an ``input_image`` may hold."""


@dataclass(frozen=True)
class NewItem:
    """One created item, read."""

    item: Event
    """The item as the server shows it back (with its id, ``object`` and ``status``)."""
    role: str = ""
    """A message's role (``user``, ``assistant``, ``system``); "" for other items."""
    text: str = ""
    """A message's words, its text parts joined."""
    images: tuple[bytes, ...] = ()
    """A message's images, decoded."""
    answer: ToolAnswer | None = None
    """A function call's output."""


def decode_base64(data: Any, param: str) -> bytes:
    """`data` decoded from strict base64.

    Raises:
        ClientError: not a string of valid base64.
    """
    if not isinstance(data, str):
        raise ClientError(
            f"Invalid type for '{param}': expected a base64 string.", code="invalid_type", param=param
        )
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise ClientError(f"Invalid base64 in '{param}'.", param=param) from None


def _image(url: Any, param: str) -> bytes:
    if not isinstance(url, str) or not url.startswith("data:"):
        raise ClientError(
            "An input_image must be a data: URI (the local server fetches nothing).", param=param
        )
    header, _, data = url[5:].partition(",")
    mime, _, encoding = header.partition(";")
    if mime not in IMAGE_TYPES or encoding != "base64":
        raise ClientError("An input_image must be a base64 JPEG or PNG data: URI.", param=param)
    return decode_base64(data, param)


def _output(value: Any) -> dict[str, Any]:
    """A function output string as the JSON object the brains read (``{"output": ...}`` unless it is one)."""
    try:
        parsed = bounded_json(value)
    except LimitError:  # not JSON, or JSON past the frame's own bounds: the text as given
        return {"output": value}
    return parsed if isinstance(parsed, dict) else {"output": parsed}


def read_item(item: Any) -> NewItem:
    """Read the ``item`` of a ``conversation.item.create``.

    Raises:
        ClientError: an item of an unknown type, or a malformed one.
    """
    if not isinstance(item, dict):
        raise ClientError("Invalid type for 'item': expected an object.", code="invalid_type", param="item")
    shown = {**item, "id": item.get("id") or new_id("item"), "object": "realtime.item", "status": "completed"}
    kind = item.get("type")
    if kind == "function_call_output":
        call_id, output = item.get("call_id"), item.get("output")
        if not isinstance(call_id, str) or not isinstance(output, str):
            raise ClientError("A function_call_output needs a call_id and an output string.", param="item")
        return NewItem(shown, answer=ToolAnswer(call_id=call_id, name="", output=_output(output)))
    if kind == "function_call":
        return NewItem(shown)
    if kind != "message":
        raise ClientError(f"Invalid value {kind!r} for 'item.type'.", param="item.type")
    role = item.get("role")
    if role not in ("user", "assistant", "system"):
        raise ClientError(f"Invalid value {role!r} for 'item.role'.", param="item.role")
    content = item.get("content")
    if not isinstance(content, list):
        raise ClientError(
            "Invalid type for 'item.content': expected an array.", code="invalid_type", param="item.content"
        )
    words: list[str] = []
    images: list[bytes] = []
    for index, part in enumerate(content):
        param = f"item.content[{index}]"
        if not isinstance(part, dict):
            raise ClientError(
                f"Invalid type for '{param}': expected an object.", code="invalid_type", param=param
            )
        if part.get("type") in TEXT_PARTS and isinstance(part.get("text"), str):
            words.append(part["text"])
        elif part.get("type") in AUDIO_PARTS:
            words.append(part["transcript"] if isinstance(part.get("transcript"), str) else "")
        elif part.get("type") == "input_image":
            images.append(_image(part.get("image_url"), f"{param}.image_url"))
        else:
            raise ClientError(f"Unsupported content part {part.get('type')!r}.", param=f"{param}.type")
    return NewItem(shown, role=role, text="".join(words), images=tuple(images))
