"""The OpenAI Realtime dialect's output: the core's neutral calls as ``response.*`` and input events.

A reply is a response: ``response.created``, then, as its first words come, a message item
(``response.output_item.added``, ``conversation.item.added``, ``response.content_part.added``) whose
deltas are ``response.output_text.delta`` (text) or ``response.output_audio_transcript.delta`` and
``response.output_audio.delta`` (spoken), closed by their ``.done`` events and ``response.done`` with
usage. Function calls are ``function_call`` items whose arguments stream as
``response.function_call_arguments.delta``/``.done``; their response ends there (``response.done``), and
the reply goes on in a new response once the client sends the outputs and ``response.create``. An
interrupted reply ends with ``response.done`` status ``cancelled``.

What the user said comes as ``input_audio_buffer.speech_started``/``speech_stopped``/``committed``, then
``conversation.item.input_audio_transcription.delta``/``.completed`` when the session asked for
transcripts. The audio each spoken item sent is remembered (`SpokenItems`), so a
``conversation.item.truncate`` can tell which words the user heard.
"""

from __future__ import annotations

import base64
import json
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from livetui.server.core.turns import OutgoingCall, Usage
from livetui.server.dialects.openai.session import RATE, RealtimeSession
from livetui.server.dialects.openai.wire import Event, Wire, new_id

KEPT_ITEMS = 64
"""Spoken items remembered for truncation (the oldest are forgotten)."""

PartKind = Literal["text", "audio"]


@dataclass
class _Message:
    """The assistant message item a response is writing."""

    item_id: str
    kind: PartKind
    output_index: int
    said: list[str] = field(default_factory=list)

    def event(self, kind: str, **fields: Any) -> Event:
        return {"type": kind, "item_id": self.item_id, "output_index": self.output_index, **fields}

    def item(self, status: str) -> Event:
        text = "".join(self.said)
        part = (
            {"type": "output_text", "text": text}
            if self.kind == "text"
            else {
                "type": "output_audio",
                "transcript": text,
            }
        )
        return {
            "id": self.item_id,
            "object": "realtime.item",
            "type": "message",
            "role": "assistant",
            "status": status,
            "content": [part],
        }


@dataclass
class _Response:
    response_id: str
    output: list[Event] = field(default_factory=list)
    message: _Message | None = None


class SpokenItems:
    """The audio each spoken item sent: (start ms, end ms, words) per chunk, for the latest items."""

    def __init__(self) -> None:
        self._items: OrderedDict[str, list[tuple[float, float, str]]] = OrderedDict()

    def add(self, item_id: str, words: str, pcm: bytes) -> None:
        """Record one chunk of `item_id`."""
        chunks = self._items.setdefault(item_id, [])
        start = chunks[-1][1] if chunks else 0.0
        chunks.append((start, start + len(pcm) / 2 / RATE * 1000, words))
        while len(self._items) > KEPT_ITEMS:
            self._items.popitem(last=False)

    def milliseconds(self, item_id: str) -> float | None:
        """How much audio `item_id` sent, or None when it is not a spoken item remembered."""
        chunks = self._items.get(item_id)
        return chunks[-1][1] if chunks else None

    def heard(self, item_id: str, end_ms: float) -> str:
        """The words of `item_id` whose audio started before `end_ms`."""
        return "".join(words for start, _, words in self._items.get(item_id, ()) if start < end_ms)


class RealtimeSink:
    """Writes one connection's output as OpenAI Realtime events (see the module docstring)."""

    def __init__(self, wire: Wire, session: RealtimeSession) -> None:
        self.wire = wire
        """Where events go."""
        self.session = session
        """The session (whether it transcribes, whether turns are detected)."""
        self.items = SpokenItems()
        """The audio of recent spoken items."""
        self.cancel_reason = "turn_detected"
        """Why the next interruption happened, as ``response.done`` tells it."""
        self.last_item_id: str | None = None
        """The latest item added to the conversation (a ``previous_item_id``)."""
        self._response: _Response | None = None
        self._message_id = ""
        self._input_id = ""

    @property
    def responding(self) -> bool:
        """True while a response is open."""
        return self._response is not None

    def new_call_id(self) -> str:
        """A fresh ``call_…`` id."""
        return new_id("call")

    async def item_added(self, item: Event) -> None:
        """Announce an item the conversation took (``conversation.item.added`` then ``.done``)."""
        previous, self.last_item_id = self.last_item_id, item["id"]
        await self.wire.send({"type": "conversation.item.added", "previous_item_id": previous, "item": item})
        await self.wire.send({"type": "conversation.item.done", "previous_item_id": previous, "item": item})

    async def started(self) -> str:
        """Open a response; its message item's id names the reply's turn."""
        self._message_id = new_id("item")
        await self.open()
        return self._message_id

    async def open(self) -> None:
        """Open a response if none is (a reply going on after its function calls were answered)."""
        if self._response is None:
            self._response = _Response(new_id("resp"))
            await self.wire.send(
                {"type": "response.created", "response": self._shape(self._response, "in_progress")}
            )

    async def text(self, delta: str) -> None:
        """``response.output_text.delta``."""
        message = await self._message("text")
        message.said.append(delta)
        await self.wire.send(message.event("response.output_text.delta", **self._ids(), delta=delta))

    async def spoken(self, words: str, pcm: bytes) -> None:
        """``response.output_audio_transcript.delta`` of `words`, then ``response.output_audio.delta``."""
        message = await self._message("audio")
        if words:
            message.said.append(words)
            await self.wire.send(
                message.event("response.output_audio_transcript.delta", **self._ids(), delta=words)
            )
        if pcm:
            delta = base64.b64encode(pcm).decode("ascii")
            await self.wire.send(message.event("response.output_audio.delta", **self._ids(), delta=delta))
        if words or pcm:
            self.items.add(message.item_id, words, pcm)

    async def tool_calls(self, calls: Sequence[OutgoingCall]) -> None:
        """A ``function_call`` item per call, its arguments streamed; then the response is done."""
        await self.open()
        response = self._response
        assert response is not None
        await self._close_message("completed")
        for call in calls:
            arguments = json.dumps(call.args, ensure_ascii=False)
            item = {
                "id": new_id("item"),
                "object": "realtime.item",
                "type": "function_call",
                "status": "in_progress",
                "call_id": call.call_id,
                "name": call.name,
                "arguments": "",
            }
            where = {"response_id": response.response_id, "output_index": len(response.output)}
            ids = {**where, "item_id": item["id"], "call_id": call.call_id}
            await self.wire.send({"type": "response.output_item.added", **where, "item": item})
            await self.wire.send(
                {"type": "response.function_call_arguments.delta", **ids, "delta": arguments}
            )
            await self.wire.send(
                {
                    "type": "response.function_call_arguments.done",
                    **ids,
                    "name": call.name,
                    "arguments": arguments,
                }
            )
            done = {**item, "status": "completed", "arguments": arguments}
            response.output.append(done)
            await self.wire.send({"type": "response.output_item.done", **where, "item": done})
            await self.item_added(done)
        await self._done("completed")

    async def tools_cancelled(self, call_ids: Sequence[str]) -> None:
        """Nothing to send: the calls' response is already done."""

    async def completed(self, usage: Usage) -> None:
        """Close the message item, then ``response.done`` (completed) with usage."""
        await self.open()
        await self._close_message("completed")
        await self._done("completed", usage)

    async def interrupted(self) -> None:
        """Close the message item as incomplete, then ``response.done`` (cancelled)."""
        reason, self.cancel_reason = self.cancel_reason, "turn_detected"
        if self._response is None:
            return
        await self._close_message("incomplete")
        await self._done("cancelled", details={"type": "cancelled", "reason": reason})

    async def speech_started(self, at: float) -> None:
        """``input_audio_buffer.speech_started`` (with turn detection)."""
        self._input_id = new_id("item")
        if self.session.turn_detection is not None:
            event = {"type": "input_audio_buffer.speech_started", "audio_start_ms": int(at * 1000)}
            await self.wire.send({**event, "item_id": self._input_id})

    async def speech_stopped(self, at: float) -> None:
        """``speech_stopped`` (with turn detection), ``committed``, and the user's audio item."""
        item_id = self._input_id or new_id("item")
        self._input_id = item_id
        if self.session.turn_detection is not None:
            event = {"type": "input_audio_buffer.speech_stopped", "audio_end_ms": int(at * 1000)}
            await self.wire.send({**event, "item_id": item_id})
        committed = {"type": "input_audio_buffer.committed", "previous_item_id": self.last_item_id}
        await self.wire.send({**committed, "item_id": item_id})
        content = [{"type": "input_audio", "transcript": None}]
        item = {
            "id": item_id,
            "object": "realtime.item",
            "type": "message",
            "role": "user",
            "status": "completed",
        }
        await self.item_added({**item, "content": content})

    async def heard(self, text: str, *, finished: bool) -> None:
        """Input transcription deltas, then ``.completed`` (when the session asked for transcripts)."""
        if not self.session.transcribes:
            return
        if not self._input_id:
            self._input_id = new_id("item")
        where = {"item_id": self._input_id, "content_index": 0}
        if finished:
            usage = {"type": "duration", "seconds": 0}
            kind = "conversation.item.input_audio_transcription.completed"
            await self.wire.send({"type": kind, **where, "transcript": text, "usage": usage})
            self._input_id = ""
        else:
            await self.wire.send(
                {"type": "conversation.item.input_audio_transcription.delta", **where, "delta": text}
            )

    async def going_away(self, seconds: float) -> None:
        """Nothing: OpenAI announces no end; the connection just closes when the time is up."""

    def _ids(self) -> dict[str, Any]:
        assert self._response is not None
        return {"response_id": self._response.response_id, "content_index": 0}

    async def _message(self, kind: PartKind) -> _Message:
        await self.open()
        response = self._response
        assert response is not None
        if response.message is not None:
            return response.message
        item_id = self._message_id or new_id("item")
        message = response.message = _Message(item_id, kind, len(response.output))
        where = {"response_id": response.response_id, "output_index": message.output_index}
        await self.wire.send(
            {"type": "response.output_item.added", **where, "item": message.item("in_progress")}
        )
        await self.wire.send(
            {
                "type": "conversation.item.added",
                "previous_item_id": self.last_item_id,
                "item": message.item("in_progress"),
            }
        )
        self.last_item_id = item_id
        part = {"type": "text", "text": ""} if kind == "text" else {"type": "audio", "transcript": ""}
        await self.wire.send(message.event("response.content_part.added", **self._ids(), part=part))
        return message

    async def _close_message(self, status: str) -> None:
        response = self._response
        message = response.message if response is not None else None
        if response is None or message is None:
            return
        response.message = None
        text = "".join(message.said)
        ids = self._ids()
        if message.kind == "text":
            await self.wire.send(message.event("response.output_text.done", **ids, text=text))
            part: Event = {"type": "text", "text": text}
        else:
            await self.wire.send(message.event("response.output_audio.done", **ids))
            await self.wire.send(
                message.event("response.output_audio_transcript.done", **ids, transcript=text)
            )
            part = {"type": "audio", "transcript": text}
        await self.wire.send(message.event("response.content_part.done", **ids, part=part))
        item = message.item(status)
        response.output.append(item)
        where = {"response_id": response.response_id, "output_index": message.output_index}
        await self.wire.send({"type": "response.output_item.done", **where, "item": item})
        await self.wire.send({"type": "conversation.item.done", "previous_item_id": None, "item": item})

    async def _done(self, status: str, usage: Usage | None = None, details: Event | None = None) -> None:
        response, self._response = self._response, None
        if response is None:
            return
        shape = self._shape(response, status, usage)
        shape["status_details"] = details
        await self.wire.send({"type": "response.done", "response": shape})

    def _shape(self, response: _Response, status: str, usage: Usage | None = None) -> Event:
        counted = None
        if usage is not None:
            counted = {
                "total_tokens": usage.total,
                "input_tokens": usage.prompt,
                "output_tokens": usage.reply,
                "input_token_details": {"text_tokens": usage.prompt, "audio_tokens": 0, "cached_tokens": 0},
                "output_token_details": {"text_tokens": usage.reply, "audio_tokens": 0},
            }
        modalities = self.session.data.get("output_modalities")
        return {
            "id": response.response_id,
            "object": "realtime.response",
            "status": status,
            "status_details": None,
            "output": list(response.output),
            "usage": counted,
            "conversation_id": "conv_local",
            "output_modalities": modalities,
            "metadata": None,
        }
