"""Tools as every provider sees them: a declaration in JSON Schema, and the answer to one call."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Scheduling = Literal["SILENT", "WHEN_IDLE", "INTERRUPT"]
"""When the model uses a non-blocking function's answer: silently, once it is idle, or at once (Gemini)."""


@dataclass(frozen=True)
class ToolDeclaration:
    """One function the model may call."""

    name: str
    """The name the model calls it by."""
    description: str = ""
    """What it does, for the model."""
    parameters: dict[str, Any] = field(default_factory=lambda: {"type": "object", "properties": {}})
    """The arguments, as a JSON Schema object."""
    non_blocking: bool = False
    """The model may go on talking while the call runs (a provider without the notion ignores it)."""


@dataclass(frozen=True)
class ToolAnswer:
    """The result of one function call, sent back to the model."""

    call_id: str
    """The id of the call it answers."""
    name: str
    """The function's name."""
    output: dict[str, Any]
    """The result (``{"output": ...}``) or the failure (``{"error": "..."}``) as a JSON object."""
    scheduling: Scheduling | None = None
    """When a non-blocking call's answer is used (Gemini only)."""
