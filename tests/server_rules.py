"""Scripted-brain rules shared by tests that record sessions: a calculator call, then plain echoes."""

from __future__ import annotations

from typing import Any

TOOL_RULES: list[dict[str, Any]] = [
    {
        "match": "times",
        "tool_calls": [{"name": "calculator", "args": {"expression": "6 * 7"}}],
        "reply": "It is {output}.",
    },
]
"""A question with "times" in it is answered after a calculator call; anything else is echoed."""
