"""Content, parts and blobs: the pieces both directions share."""

from __future__ import annotations

from typing import Any, Literal

from livetui.providers.gemini.base import Base64Bytes, WireModel


class Blob(WireModel):
    """Inline bytes with their MIME type (``audio/pcm;rate=16000``, ``image/jpeg``)."""

    mime_type: str = ""
    """The MIME type; for PCM audio the rate travels as ``;rate=N``."""
    data: Base64Bytes = b""
    """The bytes (base64 on the wire)."""
    display_name: str | None = None


class FileData(WireModel):
    """A reference to a file by URI."""

    mime_type: str = ""
    file_uri: str = ""
    display_name: str | None = None


class ExecutableCode(WireModel):
    """Code the model wrote for the server to run (built-in code execution)."""

    language: str = "PYTHON"
    code: str = ""
    id: str | None = None


class CodeExecutionResult(WireModel):
    """The result of running `ExecutableCode`."""

    outcome: str = ""
    output: str = ""
    id: str | None = None


class PartialArg(WireModel):
    """A piece of a function call's arguments, streamed before the call is complete."""

    json_path: str = ""
    """Where the value goes in the arguments (``$.city``, ``$.stops[1].name``)."""
    string_value: str | None = None
    number_value: float | None = None
    bool_value: bool | None = None
    null_value: str | None = None
    """``NULL_VALUE`` for a JSON null."""
    will_continue: bool | None = None
    """More of this string follows in the next piece for the same path."""


class FunctionCall(WireModel):
    """One function call the model asks for."""

    id: str | None = None
    """The call id; the Gemini API always sends one and requires it back (older Vertex models do not)."""
    name: str = ""
    args: dict[str, Any] = {}
    """The arguments, a JSON object (not a string)."""
    partial_args: tuple[PartialArg, ...] | None = None
    """Streamed pieces of the arguments (with `will_continue`, more follow)."""
    will_continue: bool | None = None
    """The call's arguments are still streaming: run it once a part without this arrives."""


class FunctionResponse(WireModel):
    """The client's answer to one function call."""

    id: str | None = None
    name: str = ""
    response: dict[str, Any] = {}
    """By convention ``{"output": ...}`` or ``{"error": "..."}``."""
    will_continue: bool | None = None
    """For NON_BLOCKING functions: more responses follow for this call."""
    scheduling: Literal["SCHEDULING_UNSPECIFIED", "SILENT", "WHEN_IDLE", "INTERRUPT"] | None = None
    """For NON_BLOCKING functions: when the model should use the answer."""
    parts: tuple[dict[str, Any], ...] | None = None
    """Media parts of the answer."""


class Part(WireModel):
    """One part of a `Content`: text, inline data, or code."""

    text: str | None = None
    inline_data: Blob | None = None
    file_data: FileData | None = None
    thought: bool | None = None
    """True when the part is the model's thinking, not its answer."""
    executable_code: ExecutableCode | None = None
    code_execution_result: CodeExecutionResult | None = None
    function_call: FunctionCall | None = None
    function_response: FunctionResponse | None = None
    thought_signature: Base64Bytes | None = None
    """The model's signature of its thinking, to be sent back with the part."""
    video_metadata: dict[str, Any] | None = None
    media_resolution: dict[str, Any] | None = None


class Content(WireModel):
    """A turn of conversation: a role and its parts."""

    role: str | None = None
    """``user`` or ``model``."""
    parts: tuple[Part, ...] = ()
