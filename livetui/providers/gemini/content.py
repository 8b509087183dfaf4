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


class FileData(WireModel):
    """A reference to a file by URI."""

    mime_type: str = ""
    file_uri: str = ""


class ExecutableCode(WireModel):
    """Code the model wrote for the server to run (built-in code execution)."""

    language: str = "PYTHON"
    code: str = ""


class CodeExecutionResult(WireModel):
    """The result of running `ExecutableCode`."""

    outcome: str = ""
    output: str = ""


class FunctionCall(WireModel):
    """One function call the model asks for."""

    id: str | None = None
    """The call id; the Gemini API always sends one and requires it back."""
    name: str = ""
    args: dict[str, Any] = {}
    """The arguments, a JSON object (not a string)."""


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


class Content(WireModel):
    """A turn of conversation: a role and its parts."""

    role: str | None = None
    """``user`` or ``model``."""
    parts: tuple[Part, ...] = ()
