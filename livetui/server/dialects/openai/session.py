"""The OpenAI Realtime session's configuration: what ``session.update`` may set, checked and merged.

The server keeps the whole session object (GA shape: ``audio.input`` / ``audio.output``), answers each
update with all of it (``session.updated``), and gives the core its neutral reading
(`livetui.server.core.turns.SessionSettings`). Audio is PCM16 at 24 kHz only; a format the local server
cannot speak, an unknown modality or turn detection, or a malformed tool is refused (`ClientError`) and
leaves the session as it was.
"""

from __future__ import annotations

import copy
import time
from typing import Any

from livetui.live.tools import ToolDeclaration
from livetui.server.core.turns import SessionSettings
from livetui.server.dialects.openai.wire import ClientError, Event, new_id

RATE = 24000
"""The one PCM rate of the dialect, in and out."""
VOICE = "marin"
"""The voice a session starts with."""
TURN_DETECTION_TYPES = ("server_vad", "semantic_vad")
"""The voice-activity detection modes (both served by the local listener)."""


MAX_OUTPUT_TOKENS = 4096
"""The most tokens a reply may be asked for (OpenAI's own cap)."""


def _pcm() -> Event:
    return {"type": "audio/pcm", "rate": RATE}


def default_session(model: str, max_session: float) -> Event:
    """The session a connection starts with."""
    return {
        "type": "realtime",
        "object": "realtime.session",
        "id": new_id("sess"),
        "model": model,
        "expires_at": int(time.time() + max_session),
        "output_modalities": ["audio"],
        "instructions": "",
        "tools": [],
        "tool_choice": "auto",
        "max_output_tokens": "inf",
        "tracing": None,
        "prompt": None,
        "include": None,
        "audio": {
            "input": {
                "format": _pcm(),
                "transcription": None,
                "noise_reduction": None,
                "turn_detection": {
                    "type": "server_vad",
                    "threshold": 0.5,
                    "prefix_padding_ms": 300,
                    "silence_duration_ms": 500,
                    "create_response": True,
                    "interrupt_response": True,
                    "idle_timeout_ms": None,
                },
            },
            "output": {"format": _pcm(), "voice": VOICE, "speed": 1.0},
        },
    }


def _object(value: Any, param: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ClientError(
            f"Invalid type for '{param}': expected an object.", code="invalid_type", param=param
        )
    return value


def _check_format(value: Any, param: str) -> None:
    form = _object(value, param)
    if form.get("type") != "audio/pcm":
        raise ClientError(
            f"Unsupported audio format {form.get('type')!r}: the local server speaks only audio/pcm.",
            param=f"{param}.type",
        )
    if form.get("rate", RATE) != RATE:
        raise ClientError(
            f"Invalid rate {form.get('rate')!r}: audio/pcm is {RATE} Hz.", param=f"{param}.rate"
        )


def _check_turn_detection(value: Any, param: str) -> None:
    if value is None:
        return
    detection = _object(value, param)
    if detection.get("type") not in TURN_DETECTION_TYPES:
        raise ClientError(
            f"Invalid value {detection.get('type')!r}: turn detection is server_vad, semantic_vad or null.",
            param=f"{param}.type",
        )


def _check_tools(value: Any) -> None:
    if not isinstance(value, list):
        raise ClientError("Invalid type for 'session.tools': expected an array.", code="invalid_type")
    for index, tool in enumerate(value):
        param = f"session.tools[{index}]"
        tool = _object(tool, param)
        if tool.get("type", "function") != "function" or not isinstance(tool.get("name"), str):
            raise ClientError("A tool must be a function with a name.", param=param)


def _check(update: dict[str, Any]) -> None:
    kind = update.get("type", "realtime")
    if kind != "realtime":
        raise ClientError(
            f"Invalid session type {kind!r}: the local server serves realtime sessions.", param="session.type"
        )
    limit = update.get("max_output_tokens")
    counted = type(limit) is int and 1 <= limit <= MAX_OUTPUT_TOKENS
    if limit is not None and limit != "inf" and not counted:
        raise ClientError(
            "Invalid value for 'session.max_output_tokens': 'inf' or an integer from 1 to "
            f"{MAX_OUTPUT_TOKENS}.",
            param="session.max_output_tokens",
        )
    modalities = update.get("output_modalities")
    if modalities is not None and modalities not in (["audio"], ["text"]):
        raise ClientError(
            "Invalid value for 'session.output_modalities': ['audio'] or ['text'].",
            param="session.output_modalities",
        )
    if "instructions" in update and not isinstance(update["instructions"], str):
        raise ClientError("Invalid type for 'session.instructions': expected a string.", code="invalid_type")
    if "tools" in update:
        _check_tools(update["tools"])
    audio = _object(update.get("audio", {}), "session.audio")
    hearing = _object(audio.get("input", {}), "session.audio.input")
    speaking = _object(audio.get("output", {}), "session.audio.output")
    if "format" in hearing:
        _check_format(hearing["format"], "session.audio.input.format")
    if "format" in speaking:
        _check_format(speaking["format"], "session.audio.output.format")
    if "turn_detection" in hearing:
        _check_turn_detection(hearing["turn_detection"], "session.audio.input.turn_detection")
    if "transcription" in hearing and hearing["transcription"] is not None:
        _object(hearing["transcription"], "session.audio.input.transcription")


def _merge(into: dict[str, Any], update: dict[str, Any]) -> None:
    for key, value in update.items():
        if key in ("id", "object", "expires_at"):
            continue
        if (
            isinstance(value, dict)
            and isinstance(into.get(key), dict)
            and key not in ("turn_detection", "format")
        ):
            _merge(into[key], value)
        else:
            into[key] = copy.deepcopy(value)


class RealtimeSession:
    """One connection's session object, as ``session.update`` changed it."""

    def __init__(self, model: str, max_session: float) -> None:
        self.data = default_session(model, max_session)
        """The whole session object, as ``session.created``/``session.updated`` show it."""

    def update(self, update: Any) -> None:
        """Merge a ``session.update``'s ``session`` in, or change nothing.

        Raises:
            ClientError: a value the local server cannot take (the module docstring).
        """
        update = _object(update, "session")
        _check(update)
        merged = copy.deepcopy(self.data)
        _merge(merged, update)
        self.data = merged

    @property
    def hearing(self) -> dict[str, Any]:
        """``audio.input``."""
        value: dict[str, Any] = self.data["audio"]["input"]
        return value

    @property
    def transcribes(self) -> bool:
        """True when the client asked for transcripts of its speech."""
        return self.hearing.get("transcription") is not None

    @property
    def turn_detection(self) -> dict[str, Any] | None:
        """The turn detection in force (None: the client commits its turns)."""
        detection: dict[str, Any] | None = self.hearing.get("turn_detection")
        return detection

    def settings(self) -> SessionSettings:
        """The core's reading of the session."""
        detection = self.turn_detection
        limit = self.data.get("max_output_tokens")
        return SessionSettings(
            system_text=self.data.get("instructions") or "",
            modality="TEXT" if self.data.get("output_modalities") == ["text"] else "AUDIO",
            manual_activity=detection is None,
            create_response=detection is not None and detection.get("create_response", True) is not False,
            functions=frozenset(tool["name"] for tool in self.data.get("tools") or ()),
            tools=tuple(declaration_of(tool) for tool in self.data.get("tools") or ()),
            max_output_tokens=limit if isinstance(limit, int) else None,
        )


def declaration_of(tool: dict[str, Any]) -> ToolDeclaration:
    """The neutral declaration of a ``session.tools`` entry (checked when the session was updated)."""
    parameters = tool.get("parameters")
    if not isinstance(parameters, dict):
        return ToolDeclaration(tool["name"], tool.get("description") or "")
    return ToolDeclaration(tool["name"], tool.get("description") or "", parameters)
