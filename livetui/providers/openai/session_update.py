"""The opening frames of an OpenAI Realtime connection: ``session.update`` from the neutral
`SessionConfig`, and the conversation so far replayed as items (OpenAI cannot resume a session).

The session is GA-shaped (``session.type: "realtime"``, audio settings under ``audio.input`` and
``audio.output``): PCM16 at 24 kHz both ways, ``output_modalities`` ``["audio"]`` or ``["text"]``,
input transcription when asked for, and ``turn_detection`` server VAD (the default), semantic VAD, or
``null`` for push-to-talk (the client then commits the audio and asks for the reply itself).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from livetui.live.codec import Exchange
from livetui.live.config import SessionConfig
from livetui.live.tools import ToolDeclaration
from livetui.providers.openai.client_events import (
    ContentPart,
    InputText,
    ItemCreate,
    MessageItem,
    OutputText,
    SessionUpdate,
)

AUDIO_RATE = 24000
"""The only PCM rate the Realtime API takes and gives (Hz)."""
AUDIO_FORMAT: dict[str, Any] = {"type": "audio/pcm", "rate": AUDIO_RATE}
"""PCM16 mono little-endian at 24 kHz, in and out."""
TRANSCRIPTION_MODEL = "gpt-realtime-whisper"
"""The model that transcribes the user's speech (transcripts are only guidance of what the model heard)."""


def turn_detection(config: SessionConfig) -> dict[str, Any] | None:
    """Server or semantic VAD that ends the turn and interrupts a reply when the user speaks; None (sent as
    ``null``) under push-to-talk."""
    if config.manual_activity:
        return None
    return {"type": config.turn_detection, "create_response": True, "interrupt_response": True}


def function_tool(tool: ToolDeclaration) -> dict[str, Any]:
    """A neutral declaration as a Realtime ``function`` tool."""
    return {
        "type": "function",
        "name": tool.name,
        "description": tool.description,
        "parameters": tool.parameters,
    }


def session_update(config: SessionConfig, *, transcription_model: str = TRANSCRIPTION_MODEL) -> SessionUpdate:
    """The ``session.update`` asking for what `config` says (see the module docstring)."""
    audio_input: dict[str, Any] = {"format": AUDIO_FORMAT, "turn_detection": turn_detection(config)}
    if config.transcription:
        audio_input["transcription"] = {"model": transcription_model}
    audio_output: dict[str, Any] = {"format": AUDIO_FORMAT}
    if config.voice:
        audio_output["voice"] = config.voice
    session: dict[str, Any] = {
        "type": "realtime",
        "output_modalities": [config.modality],
        "audio": {"input": audio_input, "output": audio_output},
    }
    if config.system_prompt:
        session["instructions"] = config.system_prompt
    if config.tools:
        session["tools"] = [function_tool(tool) for tool in config.tools]
        session["tool_choice"] = "auto"
    return SessionUpdate(session=session)


def exchange_item(exchange: Exchange) -> ItemCreate:
    """One line of the conversation so far as a ``conversation.item.create``: the user's as
    ``input_text``, the model's as ``output_text`` (what was heard of an interrupted reply)."""
    part: ContentPart
    if exchange.role == "user":
        part = InputText(text=exchange.text)
        return ItemCreate(item=MessageItem(role="user", content=(part,)))
    part = OutputText(text=exchange.text)
    return ItemCreate(item=MessageItem(role="assistant", content=(part,)))


def replay(history: Sequence[Exchange]) -> list[ItemCreate]:
    """The conversation so far, in order, as items (empty lines are left out)."""
    return [exchange_item(exchange) for exchange in history if exchange.text]
