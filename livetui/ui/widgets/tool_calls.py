"""What the UI knows of one function call, gathered from the session's events, and how it is written.

The tools pane and the chat log both show calls; they read the same `CallView`, built from the
`ToolCallRequested` that announced the call and the `ToolCallStatus` events that followed it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from rich.text import Text

from livetui import events as ev
from livetui.ui.widgets.latency_pane import format_ms

STATUS_STYLES: dict[str, str] = {
    "pending": "bold yellow",
    "running": "bold cyan",
    "done": "bold green",
    "error": "bold red",
    "cancelled": "dim",
    "denied": "bold magenta",
}
"""How each status is drawn."""

WAITING = {"approval": "awaiting approval", "answer": "awaiting your answer", "arguments": "streaming"}
"""What a pending call waits for, in words."""


def pretty_json(value: Any) -> str:
    """`value` as indented JSON (anything JSON cannot hold is written as text)."""
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def compact_json(value: Any, limit: int = 60) -> str:
    """`value` as one line of JSON, cut to `limit` characters."""
    text = json.dumps(value, ensure_ascii=False, default=str, separators=(", ", ": "))
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class CallView:
    """One call as the UI shows it."""

    call: ev.ToolCall
    """The call as the model asked for it (id, name, arguments, turn)."""
    status: ev.ToolStatus = "pending"
    """Where it stands."""
    awaiting: str | None = None
    """While pending: ``approval`` or ``answer`` (confirm and manual modes), or ``arguments`` while they
    stream."""
    result: dict[str, Any] | None = None
    """The response sent."""
    duration: float | None = None
    """Seconds it ran (or the user took to answer)."""

    def update(self, status: ev.ToolCallStatus) -> None:
        """Take a newer status."""
        self.status = status.status
        self.awaiting = status.awaiting
        if status.result is not None:
            self.result = status.result
        if status.duration is not None:
            self.duration = status.duration

    @property
    def status_text(self) -> Text:
        """The status, coloured; a pending call says what it waits for."""
        label = WAITING.get(self.awaiting or "", self.status) if self.status == "pending" else self.status
        return Text(label, style=STATUS_STYLES[self.status])

    @property
    def duration_text(self) -> str:
        """The duration in ms, or `—`."""
        return format_ms(self.duration)

    @property
    def outcome(self) -> str:
        """The result in one line: the output, or ``error: ...``; "" before there is one."""
        if self.result is None:
            return ""
        if "error" in self.result:
            return f"error: {self.result['error']}"
        output = self.result.get("output", self.result)
        return output if isinstance(output, str) and output else compact_json(output)

    def signature(self) -> str:
        """``name(arg=value, ...)`` on one line."""
        args = ", ".join(f"{key}={compact_json(value, 30)}" for key, value in self.call.args.items())
        return f"{self.call.name}({args})"

    def details(self) -> Text:
        """Everything about the call: id, turn, status, arguments and result as indented JSON, duration."""
        text = Text()
        text.append(self.call.name, style="bold")
        text.append("  ")
        text.append_text(self.status_text)
        text.append(f"\nid {self.call.call_id} · turn {self.call.turn} · {self.duration_text}\n", style="dim")
        text.append("\narguments\n", style="bold")
        text.append(pretty_json(self.call.args))
        text.append("\n\nresult\n", style="bold")
        text.append(pretty_json(self.result) if self.result is not None else "—")
        return text
