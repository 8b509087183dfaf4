"""Closing a connection: the codes every dialect uses, and reasons that fit a close frame."""

from __future__ import annotations

GOING_AWAY = 1001
"""The close code for a session that has ended on the server's side (its time is up)."""
INTERNAL = 1011
"""The close code for a failure on the server's side."""
INTERNAL_REASON = "Internal error encountered."
"""The close reason for a failure on the server's side (code 1011), in Google's words."""
MAX_REASON_BYTES = 123
"""The longest close reason a WebSocket close frame can carry."""


def one_line(text: object) -> str:
    """`text` with its whitespace runs (newlines included) collapsed to single spaces."""
    return " ".join(str(text).split())


def fit_reason(reason: str) -> str:
    """`reason` on one line, cut to fit a close frame."""
    reason = one_line(reason)
    data = reason.encode("utf-8")
    if len(data) <= MAX_REASON_BYTES:
        return reason
    return data[: MAX_REASON_BYTES - 3].decode("utf-8", "ignore") + "..."
